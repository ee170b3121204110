# SPDX-License-Identifier: MIT
"""Host tests for tests/uefi/varstore.py.

Run: /usr/bin/python3 -m pytest -q tests/uefi/test_varstore.py
"""

import base64
import os
import shutil
import struct
import subprocess
import sys
import uuid

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import varstore  # noqa: E402

TOOL = os.path.join(HERE, "varstore.py")
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.ms.fd"
needs_ovmf = pytest.mark.skipif(not os.path.exists(OVMF_VARS),
                                reason="%s missing (Debian package ovmf)" % OVMF_VARS)


def run(*args):
    return subprocess.run([sys.executable, TOOL] + list(args),
                          capture_output=True, text=True)


def fake_cert(n=700):
    """A DER SEQUENCE of n content bytes; varstore only checks the DER
    framing, shim does the real X.509 parsing at boot."""
    body = bytes((i * 7 + 3) & 0xFF for i in range(n))
    return b"\x30\x82" + struct.pack(">H", n) + body


def write_pem(path, der):
    b64 = base64.encodebytes(der).decode()
    with open(path, "w") as f:
        f.write("-----BEGIN CERTIFICATE-----\n" + b64 + "-----END CERTIFICATE-----\n")


def synthetic_store(store_size=0x200, fv_len=0x1000):
    """Minimal valid EFI_SYSTEM_NV_DATA_FV + authenticated variable store."""
    hdrlen = 0x48
    fv = bytearray(b"\xff" * fv_len)
    hdr = varstore.FV_HEADER_FIXED.pack(
        bytes(16), varstore.EFI_SYSTEM_NV_DATA_FV_GUID.bytes_le, fv_len,
        b"_FVH", 0x0004FEFF, hdrlen, 0, 0, 0, 2)
    hdr += struct.pack("<IIII", fv_len // 0x1000, 0x1000, 0, 0)
    csum = (-sum(struct.unpack("<%dH" % (hdrlen // 2), hdr))) & 0xFFFF
    hdr = hdr[:0x32] + struct.pack("<H", csum) + hdr[0x34:]
    fv[0:hdrlen] = hdr
    fv[hdrlen:hdrlen + 28] = varstore.VAR_STORE_HEADER.pack(
        varstore.EFI_AUTHENTICATED_VARIABLE_GUID.bytes_le, store_size, 0x5A, 0xFE, 0, 0)
    return bytes(fv)


@needs_ovmf
def test_add_mok_to_real_ovmf_vars(tmp_path):
    src = tmp_path / "in.fd"
    shutil.copy(OVMF_VARS, src)
    before = src.read_bytes()
    cert = fake_cert()
    pem = tmp_path / "k.pem"
    write_pem(pem, cert)
    out = tmp_path / "out.fd"

    r = run("add-mok", "--vars", str(src), "--out", str(out), "--cert", str(pem))
    assert r.returncode == 0, r.stderr
    assert src.read_bytes() == before, "input must not be modified"
    after = out.read_bytes()
    assert len(after) == len(before)

    old, new = varstore.VarStore(before), varstore.VarStore(after)
    # Everything that was there is still there, unchanged.
    assert [(v.offset, v.name, v.guid, v.state) for v in new.variables[:-1]] == \
        [(v.offset, v.name, v.guid, v.state) for v in old.variables]
    start = old.free_offset
    assert start % 4 == 0
    assert after[:start] == before[:start]

    (mok,) = new.find("MokList", "605dab50-e046-4300-abb6-3dd810dd8b23")
    assert mok.offset == start
    assert mok.attributes == 0x3           # NV|BS, no RT, no auth
    assert mok.state == varstore.VAR_ADDED
    assert mok.monotonic_count == 0 and mok.pubkey_index == 0
    assert mok.timestamp == bytes(16)
    data = new.data(mok)
    assert len(data) == 28 + 16 + len(cert)
    (stype, sigs), = list(varstore.parse_signature_lists(data))
    assert stype == "a5c059a1-94e4-4aa7-87b5-ab155c2bf072"   # EFI_CERT_X509_GUID
    assert sigs == [("605dab50-e046-4300-abb6-3dd810dd8b23", cert)]
    # Raw layout of the EFI_SIGNATURE_LIST header (UEFI 2.x 32.4.1).
    assert struct.unpack_from("<III", data, 16) == (28 + 16 + len(cert), 0, 16 + len(cert))

    # Only the appended bytes changed, the rest is still erased flash.
    end = new.free_offset
    assert after[end:new.store_end] == b"\xff" * (new.store_end - end)
    assert after[new.store_end:] == before[new.store_end:]

    # The list subcommand reads it back.
    r = run("list", "--vars", str(out))
    assert r.returncode == 0, r.stderr
    line = [l for l in r.stdout.splitlines() if " MokList " in l]
    assert len(line) == 1
    f = line[0].split()
    assert f[1:] == ["MokList", "605dab50-e046-4300-abb6-3dd810dd8b23", "NV|BS",
                     "ADDED", str(len(data))]
    assert any(" PK " in l for l in r.stdout.splitlines())

    # DER input gives the identical image.
    der = tmp_path / "k.der"
    der.write_bytes(cert)
    out2 = tmp_path / "out2.fd"
    r = run("add-mok", "--vars", str(src), "--out", str(out2), "--cert", str(der))
    assert r.returncode == 0, r.stderr
    assert out2.read_bytes() == after

    # A second add-mok is refused; --replace marks the old copy deleted.
    out3 = tmp_path / "out3.fd"
    r = run("add-mok", "--vars", str(out), "--out", str(out3), "--cert", str(der))
    assert r.returncode == 2 and "already present" in r.stderr
    r = run("add-mok", "--vars", str(out), "--out", str(out3), "--cert", str(der),
            "--replace")
    assert r.returncode == 0, r.stderr
    s3 = varstore.VarStore(out3.read_bytes())
    all_mok = s3.find("MokList", varstore.SHIM_LOCK_GUID, live_only=False)
    assert [varstore.state_str(v.state) for v in all_mok] == ["DELETED", "ADDED"]


@pytest.mark.parametrize("content", [
    b"",
    b"\x00" * 4096,
    bytes((i * 131 + 17) & 0xFF for i in range(0x84000)),
    b"MZ" + b"\x90" * 8190,
], ids=["empty", "zeros", "noise", "pe-like"])
def test_refuses_garbage(tmp_path, content):
    bad = tmp_path / "bad.fd"
    bad.write_bytes(content)
    cert = tmp_path / "k.der"
    cert.write_bytes(fake_cert())
    out = tmp_path / "out.fd"
    r = run("add-mok", "--vars", str(bad), "--out", str(out), "--cert", str(cert))
    assert r.returncode == 2
    assert r.stderr.startswith("varstore: ")
    assert not out.exists()
    r = run("list", "--vars", str(bad))
    assert r.returncode == 2 and r.stderr.startswith("varstore: ")


def test_refuses_bad_checksum_and_non_auth_store(tmp_path):
    good = synthetic_store()
    varstore.VarStore(good)                 # sanity: the builder is right
    bad = bytearray(good)
    bad[0x2C] ^= 1                          # Attributes changed, checksum stale
    with pytest.raises(varstore.StoreError, match="checksum"):
        varstore.VarStore(bad)
    plain = bytearray(good)
    plain[0x48:0x58] = varstore.EFI_VARIABLE_GUID.bytes_le
    with pytest.raises(varstore.StoreError, match="non-authenticated"):
        varstore.VarStore(plain)


def test_refuses_when_no_room(tmp_path):
    img = tmp_path / "small.fd"
    img.write_bytes(synthetic_store(store_size=0x200))
    cert = tmp_path / "k.der"
    cert.write_bytes(fake_cert(700))        # > 0x200 - headers
    r = run("add-mok", "--vars", str(img), "--out", str(tmp_path / "o.fd"),
            "--cert", str(cert))
    assert r.returncode == 2 and "no room" in r.stderr
    # A small one fits, and lands right after the store header.
    cert.write_bytes(fake_cert(100))
    r = run("add-mok", "--vars", str(img), "--out", str(tmp_path / "o.fd"),
            "--cert", str(cert))
    assert r.returncode == 0, r.stderr
    s = varstore.VarStore((tmp_path / "o.fd").read_bytes())
    assert [(v.name, v.offset) for v in s.variables] == [("MokList", 0x48 + 28)]


def test_refuses_dirty_free_area(tmp_path):
    img = bytearray(synthetic_store(store_size=0x400))
    img[0x300] = 0x00                       # junk in the "erased" area
    with pytest.raises(varstore.StoreError, match="not erased"):
        varstore.add_variable(bytes(img), "MokList", varstore.SHIM_LOCK_GUID, 3, b"x")


def test_refuses_bad_cert(tmp_path):
    p = tmp_path / "c.pem"
    p.write_text("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    with pytest.raises(varstore.StoreError):
        varstore.load_cert(str(p))
    p.write_bytes(fake_cert()[:-1])         # truncated DER
    with pytest.raises(varstore.StoreError, match="DER length"):
        varstore.load_cert(str(p))


def test_alignment_of_following_header():
    img = synthetic_store(store_size=0x400)
    # NameSize 16 ("MokList\0") + 3 data bytes -> next header padded to 4.
    out = varstore.add_variable(img, "MokList", varstore.SHIM_LOCK_GUID, 3, b"abc")
    s = varstore.VarStore(out)
    assert s.free_offset == varstore.header_align(0x48 + 28 + 60 + 16 + 3)
    out2 = varstore.add_variable(out, "X", uuid.uuid4(), 3, b"\x01")
    s2 = varstore.VarStore(out2)
    assert [v.name for v in s2.variables] == ["MokList", "X"]
    assert s2.variables[1].offset % 4 == 0
