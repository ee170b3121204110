#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seed corpus of each fuzz target to tests/fuzz/corpus/<target>/.

The outputs are committed; run this again only to change them:
    python3 tests/fuzz/make_seeds.py
Layouts follow the targets: fuzz_mptable and fuzz_acpi take one control byte
(bit 0: the harness fixes checksums) before the memory image.
"""
import os
import struct
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
FIX = b"\x01"
KEEP = b"\x00"


def csum(b, at):
    """Return b with byte `at` set so that all of b sums to zero."""
    b = bytearray(b)
    b[at] = 0
    b[at] = (-sum(b)) & 0xFF
    return bytes(b)


def write(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# --- MADT (fuzz_madt: the table alone) -------------------------------------

def sdt(sig, body, rev=1):
    hdr = sig + struct.pack("<IBB", 36 + len(body), rev, 0) + b"TESTOE" + b"TESTTBL " + bytes(12)
    return csum(hdr + body, 9)


def madt(entries, lapic=0xFEE00000):
    return sdt(b"APIC", struct.pack("<II", lapic, 1) + b"".join(entries), rev=3)


def lapic(uid, apic_id, flags):
    return bytes([0, 8, uid, apic_id]) + struct.pack("<I", flags)


def x2apic(apic_id, flags, uid):
    return bytes([9, 16, 0, 0]) + struct.pack("<III", apic_id, flags, uid)


def madt_seeds():
    write("fuzz_madt", "lapic-x2apic-override", madt([
        lapic(0, 0, 1), x2apic(300, 1, 1),
        bytes([5, 12, 0, 0]) + struct.pack("<Q", 0xFEE00000)]))
    write("fuzz_madt", "qemu-4cpu-ioapic", madt(
        [lapic(i, i, 1) for i in range(4)] +
        [bytes([1, 12, 0, 0]) + struct.pack("<II", 0xFEC00000, 0)] +
        [bytes([2, 10, 0, 0]) + struct.pack("<IH", 2, 0)]))
    write("fuzz_madt", "disabled-duplicate", madt([
        lapic(0, 0, 1), lapic(1, 1, 0), lapic(2, 1, 1), lapic(3, 0xFF, 1)]))


# --- Multiboot2 (fuzz_mb2: the boot information structure) -----------------

def tag(t, body):
    b = struct.pack("<II", t, 8 + len(body)) + body
    return b + bytes((-len(b)) % 8)


def mbi(tags):
    body = b"".join(tags) + tag(0, b"")
    return struct.pack("<II", 8 + len(body), 0) + body


def mmap(entries):
    return tag(6, struct.pack("<II", 24, 0) +
               b"".join(struct.pack("<QQII", a, n, t, 0) for a, n, t in entries))


def mb2_seeds():
    bios_map = [(0, 0x9FC00, 1), (0x9FC00, 0x400, 2), (0xF0000, 0x10000, 2),
                (0x100000, 0x7EE0000, 1), (0xFFFC0000, 0x40000, 2)]
    rsdp = b"RSD PTR " + b"\0" + b"BOCHS " + b"\0" + struct.pack("<I", 0x7FE1000)
    fb = struct.pack("<QIIIBBH", 0xFD000000, 3200, 800, 600, 32, 1, 0) + bytes([16, 8, 8, 8, 0, 8])
    write("fuzz_mb2", "seabios", mbi([
        tag(1, b"console=ttyS0 exit=qemu\0"), tag(2, b"GRUB 2.06\0"),
        tag(4, struct.pack("<II", 639, 130048)), mmap(bios_map),
        tag(8, fb), tag(14, csum(rsdp, 8))]))
    write("fuzz_mb2", "ovmf", mbi([
        tag(1, b"\0"), tag(2, b"GRUB 2.12\0"),
        mmap([(0, 0xA0000, 1), (0x100000, 0x700000, 1), (0x800000, 0x8000, 4),
              (0x808000, 0x8000, 1), (0x7F000000, 0x1000000, 3)]),
        tag(12, struct.pack("<Q", 0x7F9EE018)), tag(15, bytes(36)),
        tag(17, struct.pack("<II", 48, 1) + bytes(96)), tag(18, b"")]))
    write("fuzz_mb2", "overlapping-map", mbi([
        mmap([(0, 0x100000, 1), (0x9E800, 0x100, 4), (0x10000, 0xFFFFFFFFFFFFFFFF, 1)])]))
    write("fuzz_mb2", "short-tag", mbi([tag(1, b"x\0"), tag(4, b"abc")]))
    # Cut before the end tag, the memory map last: a read past a tag is a read past the input.
    body = tag(1, b"x\0") + mmap([(0, 0x9FC00, 1), (0x100000, 0x100000, 1)]) + mmap([])
    write("fuzz_mb2", "no-end-mmap-last", struct.pack("<II", 8 + len(body), 0) + body)


# --- MP table (fuzz_mptable: control byte, memory at 0xF0000) --------------

MP_BASE = 0xF0000


def fps(config_pa, default=0, rev=4, length=1):
    b = b"_MP_" + struct.pack("<IBBBB", config_pa, length, rev, 0, default) + bytes(4)
    b += bytes(16 * length - len(b))
    return csum(b, 10)


def mpc(entries, count=None, lapic=0xFEE00000):
    body = b"".join(entries)
    n = len(entries) if count is None else count
    hdr = b"PCMP" + struct.pack("<HBB", 44 + len(body), 4, 0) + b"BOCHSCPU" + b"0.1         "
    hdr += struct.pack("<IHHIHBB", 0, 0, n, lapic, 0, 0, 0)
    return csum(hdr + body, 7)


def mp_cpu(apic_id, flags):
    return bytes([0, apic_id, 0x14, flags]) + struct.pack("<II", 0x663, 0x0781ABFD) + bytes(8)


def mp8(t, *rest):
    return bytes([t] + list(rest))


def mp_image(table, at=0x40):
    """The floating pointer at 0, the table at `at`, as one memory image."""
    img = bytearray(at + len(table))
    img[0:16] = fps(MP_BASE + at)
    img[at:] = table
    return bytes(img)


def mptable_seeds():
    seabios = [mp_cpu(i, 3 if i == 0 else 1) for i in range(4)]
    seabios += [mp8(1, 0, *b"ISA   "), mp8(2, 4, 0x11, 1, 0, 0, 0xC0, 0xFE)]
    seabios += [mp8(3, 0, 0, 0, 0, irq, 4, irq or 2) for irq in range(16) if irq != 2]
    seabios += [mp8(4, 3, 0, 0, 0, 0, 0xFF, 0), mp8(4, 1, 0, 0, 0, 0, 0xFF, 1)]
    write("fuzz_mptable", "seabios-4cpu", KEEP + mp_image(mpc(seabios)))
    write("fuzz_mptable", "seabios-4cpu-fix", FIX + mp_image(mpc(seabios)))
    write("fuzz_mptable", "default-config-5", KEEP + fps(0, default=5))
    write("fuzz_mptable", "unknown-type-short-count", FIX + mp_image(
        mpc([mp_cpu(0, 3), mp8(0x80, 1, 2, 3, 4, 5, 6, 7), mp_cpu(1, 1)], count=9)))
    # The floating pointer after the table, at a 16-byte boundary, as SeaBIOS places it.
    t = mpc([mp_cpu(0, 3), mp_cpu(1, 0), mp_cpu(1, 1)])
    pad = bytes((-len(t)) % 16)
    write("fuzz_mptable", "fps-after-table", KEEP + t + pad + fps(MP_BASE))


# --- ACPI (fuzz_acpi: control byte, memory at 0x10000, the RSDP first) -----

ACPI_BASE = 0x10000


def rsdp(rev, rsdt, xsdt):
    b = b"RSD PTR " + b"\0" + b"BOCHS " + bytes([rev]) + struct.pack("<IIQ", rsdt, 36, xsdt) + bytes(4)
    b = csum(b[:20], 8) + b[20:]        # the first checksum covers 20 bytes
    return csum(b, 32) if rev >= 2 else b[:20] + bytes(16)


def acpi_image(rev):
    """RSDP at 0; RSDT at 0x40, XSDT at 0x80, MADT at 0x100, FACP at 0x200."""
    img = bytearray(0x200 + 244)
    a = lambda off: ACPI_BASE + off
    img[0:36] = rsdp(rev, a(0x40), a(0x80) if rev >= 2 else 0)
    img[0x40:0x40 + 44] = sdt(b"RSDT", struct.pack("<II", a(0x200), a(0x100)))
    img[0x80:0x80 + 52] = sdt(b"XSDT", struct.pack("<QQ", a(0x100), a(0x200)))
    m = madt([lapic(0, 0, 1), lapic(1, 1, 1), x2apic(300, 1, 2)])
    img[0x100:0x100 + len(m)] = m
    f = bytearray(244 - 36)
    f[76 - 36:80 - 36] = struct.pack("<I", 0x608)
    f[112 - 36:116 - 36] = struct.pack("<I", 1 << 8)
    f[208 - 36] = 1
    f[212 - 36:220 - 36] = struct.pack("<Q", 0xB008)
    img[0x200:] = sdt(b"FACP", bytes(f), rev=6)
    return bytes(img)


def acpi_seeds():
    write("fuzz_acpi", "rsdp2-xsdt", KEEP + acpi_image(2))
    write("fuzz_acpi", "rsdp2-xsdt-fix", FIX + acpi_image(2))
    write("fuzz_acpi", "rsdp0-rsdt", KEEP + acpi_image(0))


# --- Command line (fuzz_options) -------------------------------------------

def options_seeds():
    write("fuzz_options", "all", b"console=ttyS1,9600 exit=qemu selftest=vmxon vmxcap=all "
          b"smp.delay=modern time.source=pmtimer screen=off reboot=30")
    write("fuzz_options", "port", b"  console=0x3e8,57600\texit=bochs inject=fault-ap")
    write("fuzz_options", "bad", b"console=ttyS4 console=0x10000 reboot=86401 reboot=0xffffffff "
          b"x= =y exit inject=no-sipi time.source=hpet")


def pvh_start(version, cmd_pa, rsdp_pa, mmap_pa, entries):
    """hvm_start_info (Xen's start_info.h), as fuzz_pvh places it: at 0x1000."""
    return struct.pack("<IIIIQQQQII", 0x336EC578, version, 0, 0, 0, cmd_pa, rsdp_pa,
                       mmap_pa, entries, 0)


def pvh_seeds():
    """Memory from 0x1000: the start info, then QEMU's layout in miniature."""
    e820 = b"".join(struct.pack("<QQII", a, n, t, 0) for a, n, t in
                    [(0, 0x9FC00, 1), (0x9FC00, 0x400, 2), (0x100000, 0x7F00000, 1), (0, 0, 0)])
    rsdp = b"RSD PTR " + bytes([0]) + b"BOCHS " + bytes([2]) + struct.pack("<I", 0x7FE0000)
    rsdp += struct.pack("<I", 36) + struct.pack("<Q", 0x7FE1000) + bytes(4)
    body = pvh_start(1, 0x1040, 0x1080, 0x10C0, 4).ljust(0x40, b"\0")
    body += b"vmxcap=all console=ttyS1\0".ljust(0x40, b"\0") + rsdp.ljust(0x40, b"\0") + e820
    write("fuzz_pvh", "qemu", body)
    write("fuzz_pvh", "version0", pvh_start(0, 0x1040, 0, 0, 0).ljust(0x40, b"\0") + b"quiet\0")


def main():
    pvh_seeds()
    madt_seeds()
    mb2_seeds()
    mptable_seeds()
    acpi_seeds()
    options_seeds()
    return 0


if __name__ == "__main__":
    sys.exit(main())
