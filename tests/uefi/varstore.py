# SPDX-License-Identifier: MIT
"""Offline editor for an OVMF (edk2) non-volatile variable store image.

Writes a UEFI variable into a *copy* of an OVMF_VARS*.fd flash image so a
test VM boots with it already set.  Main use: pre-enrol a test X.509
certificate in shim's ``MokList`` so the Microsoft-signed shim accepts a
payload signed with that test key, with no MokManager interaction.

    varstore.py add-mok --vars IN.fd --out OUT.fd --cert CERT.{der,pem}
    varstore.py list    --vars FILE.fd [--all]
    varstore.py add-var --vars IN.fd --out OUT.fd --name N --guid G
                        [--attrs 0x3] (--data-hex HEX | --data-file F)

Stdlib only.  Exit status: 0 ok, 2 refused (bad input format, no room,
variable already present, ...).

On-flash layout (all little-endian), as produced by OVMF's build
(OvmfPkg/VarStore.fdf.inc) and read by edk2's variable driver
(MdeModulePkg/Universal/Variable/RuntimeDxe/Variable.c):

  EFI_FIRMWARE_VOLUME_HEADER           PI spec vol. 3, sec. 3.2.1;
                                       MdePkg/Include/Pi/PiFirmwareVolume.h
    UINT8    ZeroVector[16]
    EFI_GUID FileSystemGuid            EFI_SYSTEM_NV_DATA_FV_GUID
                                       (MdeModulePkg/Include/Guid/SystemNvDataGuid.h)
    UINT64   FvLength
    UINT32   Signature                 "_FVH"
    UINT32   Attributes
    UINT16   HeaderLength              variable store header starts here
    UINT16   Checksum                  16-bit sum of the header == 0
    UINT16   ExtHeaderOffset
    UINT8    Reserved[1]
    UINT8    Revision                  2
    EFI_FV_BLOCK_MAP_ENTRY BlockMap[]  {UINT32 NumBlocks, UINT32 Length},
                                       terminated by {0, 0}
  VARIABLE_STORE_HEADER                MdeModulePkg/Include/Guid/VariableFormat.h
    EFI_GUID Signature                 gEfiAuthenticatedVariableGuid
    UINT32   Size                      store incl. this header, excl. FV header
    UINT8    Format                    VARIABLE_STORE_FORMATTED 0x5a
    UINT8    State                     VARIABLE_STORE_HEALTHY  0xfe
    UINT16   Reserved
    UINT32   Reserved1
  then, each at a HEADER_ALIGN (4-byte) boundary, variables:
  AUTHENTICATED_VARIABLE_HEADER        VariableFormat.h (older trees:
                                       SecurityPkg/.../AuthenticatedVariableFormat.h)
    UINT16   StartId                   VARIABLE_DATA 0x55AA
    UINT8    State                     VAR_ADDED 0x3f, ...
    UINT8    Reserved
    UINT32   Attributes
    UINT64   MonotonicCount
    EFI_TIME TimeStamp                 16 bytes
    UINT32   PubKeyIndex
    UINT32   NameSize                  bytes, incl. the UCS-2 NUL
    UINT32   DataSize
    EFI_GUID VendorGuid
  followed by Name (UCS-2, NUL-terminated) and Data.  On IA32/X64 the
  name/data ALIGNMENT is 1 (GET_PAD_SIZE() == 0); only headers are
  4-aligned.  The first header whose StartId != 0x55AA ends the used
  region; the free space after it must be erased flash (0xFF), otherwise
  the driver reclaims the store at boot (Variable.c,
  VariableWriteServiceInitialize: "Check if the free area is really free").
"""

import argparse
import base64
import re
import signal
import struct
import sys
import uuid

# ---------------------------------------------------------------- constants

# MdeModulePkg/Include/Guid/SystemNvDataGuid.h
EFI_SYSTEM_NV_DATA_FV_GUID = uuid.UUID("fff12b8d-7696-4c8b-a985-2747075b4f50")
# MdeModulePkg/Include/Guid/VariableFormat.h
EFI_VARIABLE_GUID = uuid.UUID("ddcf3616-3275-4164-98b6-fe85707ffe7d")
EFI_AUTHENTICATED_VARIABLE_GUID = uuid.UUID("aaf32c78-947b-439a-a180-2e144ec37792")
# shim: include/guid.h (SHIM_LOCK_GUID); MokManager also uses it as the
# SignatureOwner of the entries it enrols.
SHIM_LOCK_GUID = uuid.UUID("605dab50-e046-4300-abb6-3dd810dd8b23")
# UEFI spec 2.x, sec. 32.4.1 "Signature Database" (EFI_CERT_X509_GUID)
EFI_CERT_X509_GUID = uuid.UUID("a5c059a1-94e4-4aa7-87b5-ab155c2bf072")

FVH_SIGNATURE = b"_FVH"           # PiFirmwareVolume.h EFI_FVH_SIGNATURE
FV_HEADER_FIXED = struct.Struct("<16s16sQ4sIHHHBB")   # 56 bytes, w/o BlockMap
BLOCK_MAP_ENTRY = struct.Struct("<II")

VAR_STORE_HEADER = struct.Struct("<16sIBBHI")          # 28 bytes
VARIABLE_STORE_FORMATTED = 0x5A
VARIABLE_STORE_HEALTHY = 0xFE

VARIABLE_DATA = 0x55AA
HEADER_ALIGNMENT = 4
# UINT16 StartId, UINT8 State, UINT8 Reserved, UINT32 Attributes,
# UINT64 MonotonicCount, EFI_TIME TimeStamp (16 bytes), UINT32 PubKeyIndex,
# UINT32 NameSize, UINT32 DataSize, EFI_GUID VendorGuid  -> 60 bytes
AUTH_VAR_HEADER = struct.Struct("<HBBIQ16sIII16s")
assert AUTH_VAR_HEADER.size == 60

# Variable states, VariableFormat.h.  Flash bits only go 1 -> 0, so a state
# is the AND of the transitions it went through.
VAR_IN_DELETED_TRANSITION = 0xFE
VAR_DELETED = 0xFD
VAR_HEADER_VALID_ONLY = 0x7F
VAR_ADDED = 0x3F

# Attribute bits, UEFI spec 2.x sec. 8.2 (GetVariable), MdePkg/Include/Uefi/UefiMultiPhase.h
ATTR_NAMES = [
    (0x01, "NV"),
    (0x02, "BS"),
    (0x04, "RT"),
    (0x08, "HR"),
    (0x10, "AW"),       # AUTHENTICATED_WRITE_ACCESS (deprecated)
    (0x20, "TBAW"),     # TIME_BASED_AUTHENTICATED_WRITE_ACCESS
    (0x40, "APPEND"),
    (0x80, "EAW"),      # ENHANCED_AUTHENTICATED_ACCESS
]
EFI_VARIABLE_NON_VOLATILE = 0x1
EFI_VARIABLE_BOOTSERVICE_ACCESS = 0x2

# Attributes MokManager uses for MokList: NV|BS, no RT.  shim 16.1
# (mok.c, mok_state_variable_data[] / import_one_mok_state()) wants one of
# NV|BS set and RUNTIME_ACCESS clear; otherwise it prints "Variable MokList
# has incorrect attribute:" and deletes the variable (seen under QEMU).
# shim mirrors MokList itself into the volatile MokListRT and a config
# table at every boot, so nothing else needs writing.
MOKLIST_ATTRS = EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS

# UEFI spec 2.x sec. 32.4.1: EFI_SIGNATURE_LIST
#   EFI_GUID SignatureType; UINT32 SignatureListSize;
#   UINT32 SignatureHeaderSize; UINT32 SignatureSize;
#   UINT8 SignatureHeader[SignatureHeaderSize];
#   EFI_SIGNATURE_DATA Signatures[...][SignatureSize];
# EFI_SIGNATURE_DATA: EFI_GUID SignatureOwner; UINT8 SignatureData[];
SIG_LIST_HEADER = struct.Struct("<16sIII")             # 28 bytes


class StoreError(Exception):
    """The input is not what we expect; the CLI maps this to exit 2."""


# ---------------------------------------------------------------- helpers

def _guid_bytes(g):
    return g.bytes_le            # EFI_GUID: Data1..3 little-endian


def _guid_str(raw):
    return str(uuid.UUID(bytes_le=bytes(raw)))


def header_align(x):
    """VariableFormat.h HEADER_ALIGN()."""
    return (x + HEADER_ALIGNMENT - 1) & ~(HEADER_ALIGNMENT - 1)


def attr_str(attrs):
    parts = [n for bit, n in ATTR_NAMES if attrs & bit]
    rest = attrs & ~0xFF
    if rest:
        parts.append("0x%x" % rest)
    return "|".join(parts) if parts else "0"


def state_str(state):
    if state == VAR_ADDED:
        return "ADDED"
    if state == VAR_ADDED & VAR_IN_DELETED_TRANSITION:
        return "ADDED|IN_DELETED_TRANSITION"
    if state & ~VAR_ADDED & 0xFF == 0 and not state & ~VAR_DELETED & 0xFF:
        return "DELETED"                 # VAR_ADDED & VAR_DELETED [& IN_TRANS]
    if state == VAR_HEADER_VALID_ONLY:
        return "HEADER_VALID_ONLY"
    return "0x%02x" % state


def is_live(state):
    """A variable edk2 would return: VAR_ADDED, or VAR_ADDED caught
    in-deleted-transition (Variable.c, FindVariableEx)."""
    return state in (VAR_ADDED, VAR_ADDED & VAR_IN_DELETED_TRANSITION)


# ---------------------------------------------------------------- parsing

class Variable:
    def __init__(self, offset, state, attrs, name, guid, data_offset, data_size,
                 monotonic_count, pubkey_index, timestamp):
        self.offset = offset            # file offset of the header
        self.state = state
        self.attributes = attrs
        self.name = name
        self.guid = guid                # canonical lower-case string
        self.data_offset = data_offset  # file offset of the data
        self.data_size = data_size
        self.monotonic_count = monotonic_count
        self.pubkey_index = pubkey_index
        self.timestamp = timestamp

    @property
    def live(self):
        return is_live(self.state)


class VarStore:
    """Parsed view of an OVMF variable flash image (bytes)."""

    def __init__(self, image):
        self.image = bytes(image)
        self._parse()

    def _parse(self):
        img = self.image
        if len(img) < FV_HEADER_FIXED.size + 2 * BLOCK_MAP_ENTRY.size:
            raise StoreError("file too small (%d bytes) for a firmware volume" % len(img))
        (zero, fsguid, fvlen, sig, _attrs, hdrlen, _csum, _ext, _rsvd,
         rev) = FV_HEADER_FIXED.unpack_from(img, 0)
        if sig != FVH_SIGNATURE:
            raise StoreError("no firmware-volume signature '_FVH' at offset 0x28 "
                             "(got %r): not an OVMF variable store" % sig)
        if uuid.UUID(bytes_le=fsguid) != EFI_SYSTEM_NV_DATA_FV_GUID:
            raise StoreError("firmware volume is not EFI_SYSTEM_NV_DATA_FV "
                             "(FileSystemGuid %s)" % _guid_str(fsguid))
        if zero != bytes(16):
            raise StoreError("firmware volume ZeroVector is not zero")
        if rev != 2:
            raise StoreError("unsupported firmware volume revision %d" % rev)
        if fvlen > len(img):
            raise StoreError("FvLength 0x%x exceeds file size 0x%x" % (fvlen, len(img)))
        if hdrlen < FV_HEADER_FIXED.size + BLOCK_MAP_ENTRY.size or hdrlen > fvlen \
                or hdrlen % 2:
            raise StoreError("bad FV HeaderLength 0x%x" % hdrlen)
        # PI spec vol. 3, 3.2.1: the 16-bit sum of the whole header is 0.
        words = struct.unpack_from("<%dH" % (hdrlen // 2), img, 0)
        if sum(words) & 0xFFFF:
            raise StoreError("firmware volume header checksum is wrong")
        # BlockMap must be terminated by {0,0} inside HeaderLength and cover FvLength
        off, covered = FV_HEADER_FIXED.size, 0
        while True:
            if off + BLOCK_MAP_ENTRY.size > hdrlen:
                raise StoreError("FV block map is not terminated inside the header")
            nblocks, blen = BLOCK_MAP_ENTRY.unpack_from(img, off)
            off += BLOCK_MAP_ENTRY.size
            if nblocks == 0 and blen == 0:
                break
            covered += nblocks * blen
        if covered != fvlen:
            raise StoreError("FV block map covers 0x%x bytes, FvLength is 0x%x"
                             % (covered, fvlen))
        self.fv_length = fvlen
        self.store_offset = hdrlen

        sig, size, fmt, state, _r, _r1 = VAR_STORE_HEADER.unpack_from(img, hdrlen)
        sig = uuid.UUID(bytes_le=sig)
        if sig == EFI_VARIABLE_GUID:
            raise StoreError("variable store is the non-authenticated format "
                             "(EFI_VARIABLE_GUID); only the authenticated "
                             "store (Secure Boot OVMF builds) is supported")
        if sig != EFI_AUTHENTICATED_VARIABLE_GUID:
            raise StoreError("variable store signature %s is not "
                             "gEfiAuthenticatedVariableGuid" % sig)
        if fmt != VARIABLE_STORE_FORMATTED or state != VARIABLE_STORE_HEALTHY:
            raise StoreError("variable store not formatted/healthy "
                             "(Format 0x%02x State 0x%02x)" % (fmt, state))
        if hdrlen + size > fvlen:
            raise StoreError("variable store Size 0x%x overruns the FV" % size)
        self.store_size = size
        self.store_end = hdrlen + size          # GetEndPointer()

        # Walk the variables (Variable.c: GetStartPointer/GetNextVariablePtr).
        self.variables = []
        pos = header_align(hdrlen + VAR_STORE_HEADER.size)
        while pos + AUTH_VAR_HEADER.size <= self.store_end:
            (start, vstate, _res, attrs, mcount, ts, pki, nsize, dsize,
             vguid) = AUTH_VAR_HEADER.unpack_from(img, pos)
            if start != VARIABLE_DATA:
                break
            name_off = pos + AUTH_VAR_HEADER.size
            data_off = name_off + nsize
            nxt = data_off + dsize
            if nxt > self.store_end or nsize == 0xFFFFFFFF or dsize == 0xFFFFFFFF:
                if vstate == VAR_HEADER_VALID_ONLY:
                    # interrupted write; edk2 also stops at a header whose
                    # sizes are unprogrammed.
                    break
                raise StoreError("variable at 0x%x runs past the store end" % pos)
            raw = img[name_off:data_off]
            name = raw.decode("utf-16-le", "replace").split("\x00", 1)[0]
            self.variables.append(Variable(pos, vstate, attrs, name, _guid_str(vguid),
                                           data_off, dsize, mcount, pki, ts))
            pos = header_align(nxt)
        self.free_offset = pos                  # NonVolatileLastVariableOffset

    def find(self, name, guid, live_only=True):
        guid = str(guid).lower()
        return [v for v in self.variables
                if v.name == name and v.guid == guid and (v.live or not live_only)]

    def data(self, var):
        return self.image[var.data_offset:var.data_offset + var.data_size]


# ---------------------------------------------------------------- writing

def encode_variable(name, guid, attrs, data):
    """AUTHENTICATED_VARIABLE_HEADER + name + data, as edk2's UpdateVariable
    writes a variable that has no time-based/counter auth: MonotonicCount 0,
    TimeStamp zeroed, PubKeyIndex 0, Reserved 0, State VAR_ADDED."""
    name_raw = (name + "\x00").encode("utf-16-le")
    hdr = AUTH_VAR_HEADER.pack(VARIABLE_DATA, VAR_ADDED, 0, attrs, 0, bytes(16),
                               0, len(name_raw), len(data), _guid_bytes(guid))
    return hdr + name_raw + bytes(data)


def add_variable(image, name, guid, attrs, data, replace=False):
    """Return a new image with the variable appended in the free area."""
    store = VarStore(image)
    existing = store.find(name, guid)
    if existing and not replace:
        raise StoreError("variable %s-%s already present (use --replace)" % (name, guid))
    blob = encode_variable(name, guid, attrs, data)
    if len(blob) > 0x2000:
        # OvmfPkg/OvmfPkgX64.dsc: PcdMax(Auth)VariableSize is 0x2000/0x2800
        # for 2 MiB flash, 0x8400 for 4 MiB; SetVariable() refuses bigger.
        print("varstore: warning: variable is %d bytes; larger than edk2's "
              "PcdMaxVariableSize on some OVMF builds" % len(blob), file=sys.stderr)
    start = store.free_offset                    # already HEADER_ALIGN'ed
    end = start + len(blob)
    if end > store.store_end:
        raise StoreError("no room: need %d bytes at 0x%x, store ends at 0x%x"
                         % (len(blob), start, store.store_end))
    free = image[start:store.store_end]
    if free.count(0xFF) != len(free):
        raise StoreError("free area after the last variable (0x%x) is not erased "
                         "(0xFF); refusing to write into it" % start)
    out = bytearray(image)
    out[start:end] = blob
    # Old copies: flip to DELETED, like edk2 does (State &= VAR_DELETED).
    for v in existing:
        out[v.offset + 2] &= VAR_DELETED
    VarStore(out)                                # must re-parse cleanly
    return bytes(out)


def signature_list_x509(cert_der, owner=SHIM_LOCK_GUID):
    """One EFI_SIGNATURE_LIST of EFI_CERT_X509_GUID holding one cert
    (UEFI spec 2.x sec. 32.4.1; SignatureHeaderSize 0, one
    EFI_SIGNATURE_DATA of SignatureSize = 16 + len(cert))."""
    sig_size = 16 + len(cert_der)
    hdr = SIG_LIST_HEADER.pack(_guid_bytes(EFI_CERT_X509_GUID),
                               SIG_LIST_HEADER.size + sig_size, 0, sig_size)
    return hdr + _guid_bytes(owner) + cert_der


def parse_signature_lists(data):
    """Yield (type_guid_str, [(owner_guid_str, sigdata)]) per EFI_SIGNATURE_LIST."""
    off = 0
    while off < len(data):
        if off + SIG_LIST_HEADER.size > len(data):
            raise StoreError("truncated EFI_SIGNATURE_LIST")
        stype, lsize, hsize, ssize = SIG_LIST_HEADER.unpack_from(data, off)
        if lsize < SIG_LIST_HEADER.size + hsize or off + lsize > len(data) or ssize < 16:
            raise StoreError("malformed EFI_SIGNATURE_LIST at +0x%x" % off)
        body = off + SIG_LIST_HEADER.size + hsize
        if (off + lsize - body) % ssize:
            raise StoreError("EFI_SIGNATURE_LIST size not a multiple of SignatureSize")
        sigs = []
        for s in range(body, off + lsize, ssize):
            sigs.append((_guid_str(data[s:s + 16]), data[s + 16:s + ssize]))
        yield _guid_str(stype), sigs
        off += lsize


def load_cert(path):
    """DER or PEM X.509 certificate -> DER bytes."""
    with open(path, "rb") as f:
        raw = f.read()
    m = re.search(rb"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----",
                  raw, re.S)
    if m:
        try:
            raw = base64.b64decode(b"".join(m.group(1).split()), validate=True)
        except ValueError as e:
            raise StoreError("%s: bad base64 in PEM: %s" % (path, e))
    elif b"-----BEGIN" in raw:
        raise StoreError("%s: PEM file without a CERTIFICATE block" % path)
    # Minimal DER sanity: one SEQUENCE spanning the whole file.
    if len(raw) < 4 or raw[0] != 0x30:
        raise StoreError("%s: not a DER X.509 certificate (no SEQUENCE)" % path)
    if raw[1] & 0x80:
        n = raw[1] & 0x7F
        if n == 0 or n > 4 or len(raw) < 2 + n:
            raise StoreError("%s: bad DER length" % path)
        body = int.from_bytes(raw[2:2 + n], "big")
        total = 2 + n + body
    else:
        total = 2 + raw[1]
    if total != len(raw):
        raise StoreError("%s: DER length %d != file/PEM payload length %d"
                         % (path, total, len(raw)))
    return raw


# ---------------------------------------------------------------- CLI

def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise StoreError("cannot read %s: %s" % (path, e))


def cmd_list(args):
    store = VarStore(_read(args.vars))
    print("# FV length 0x%x, store at 0x%x size 0x%x, used up to 0x%x (%d bytes free)"
          % (store.fv_length, store.store_offset, store.store_size,
             store.free_offset, store.store_end - store.free_offset))
    print("%-8s %-28s %-36s %-16s %-28s %s" % ("offset", "name", "guid", "attributes",
                                                 "state", "size"))
    for v in store.variables:
        if not v.live and not args.all:
            continue
        print("0x%06x %-28s %-36s %-16s %-28s %d" % (v.offset, v.name, v.guid,
                                                     attr_str(v.attributes),
                                                     state_str(v.state), v.data_size))
    return 0


def cmd_add_mok(args):
    image = _read(args.vars)
    cert = load_cert(args.cert)
    data = signature_list_x509(cert)
    out = add_variable(image, "MokList", SHIM_LOCK_GUID, MOKLIST_ATTRS, data,
                       replace=args.replace)
    with open(args.out, "wb") as f:
        f.write(out)
    v = VarStore(out).find("MokList", SHIM_LOCK_GUID)[0]
    print("MokList-%s written at 0x%x: attributes %s, %d bytes "
          "(1 EFI_SIGNATURE_LIST, X.509 cert %d bytes) -> %s"
          % (SHIM_LOCK_GUID, v.offset, attr_str(v.attributes), v.data_size,
             len(cert), args.out))
    return 0


def cmd_add_var(args):
    image = _read(args.vars)
    try:
        guid = uuid.UUID(args.guid)
    except ValueError:
        raise StoreError("bad GUID %r" % args.guid)
    if args.data_file is not None:
        data = _read(args.data_file)
    else:
        try:
            data = bytes.fromhex(args.data_hex)
        except ValueError:
            raise StoreError("bad --data-hex %r" % args.data_hex)
    if args.attrs & 0x20 or args.attrs & 0x10 or args.attrs & 0x80:
        raise StoreError("authenticated-write attributes need a signed "
                         "payload; not supported offline")
    out = add_variable(image, args.name, guid, args.attrs, data, replace=args.replace)
    with open(args.out, "wb") as f:
        f.write(out)
    v = VarStore(out).find(args.name, guid)[0]
    print("%s-%s written at 0x%x: attributes %s, %d bytes -> %s"
          % (args.name, guid, v.offset, attr_str(v.attributes), v.data_size, args.out))
    return 0


def main(argv=None):
    if hasattr(signal, "SIGPIPE"):      # `varstore.py list | head` stays quiet
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    pl = sub.add_parser("list", help="print the variables in a store")
    pl.add_argument("--vars", required=True, help="OVMF_VARS*.fd image")
    pl.add_argument("--all", action="store_true", help="include deleted variables")
    pl.set_defaults(func=cmd_list)
    pa = sub.add_parser("add-mok", help="write MokList with one X.509 cert")
    pa.add_argument("--vars", required=True, help="input OVMF_VARS*.fd (not modified)")
    pa.add_argument("--out", required=True, help="output image")
    pa.add_argument("--cert", required=True, help="certificate, DER or PEM")
    pa.add_argument("--replace", action="store_true",
                    help="mark an existing MokList deleted instead of refusing")
    pa.set_defaults(func=cmd_add_mok)
    pv = sub.add_parser("add-var", help="write an arbitrary (unauthenticated) variable, "
                        "e.g. SHIM_VERBOSE: --name SHIM_VERBOSE --guid "
                        "605dab50-e046-4300-abb6-3dd810dd8b23 --data-hex 01")
    pv.add_argument("--vars", required=True, help="input OVMF_VARS*.fd (not modified)")
    pv.add_argument("--out", required=True, help="output image")
    pv.add_argument("--name", required=True)
    pv.add_argument("--guid", required=True)
    pv.add_argument("--attrs", type=lambda x: int(x, 0), default=MOKLIST_ATTRS,
                    help="attribute bits (default 0x3 = NV|BS)")
    g = pv.add_mutually_exclusive_group(required=True)
    g.add_argument("--data-hex")
    g.add_argument("--data-file")
    pv.add_argument("--replace", action="store_true",
                    help="mark an existing copy deleted instead of refusing")
    pv.set_defaults(func=cmd_add_var)
    args = p.parse_args(argv)
    if getattr(args, "out", None) and getattr(args, "vars", None) == args.out:
        print("varstore: refusing to overwrite the input; give a different --out",
              file=sys.stderr)
        return 2
    try:
        return args.func(args)
    except StoreError as e:
        print("varstore: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
