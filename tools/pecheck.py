#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""pecheck: check a PE32+ UEFI application image the way a careful loader would.

    tools/pecheck.py [--json] [--expect-signed | --expect-unsigned] IMAGE

Prints one line per check, `PASS: pe/<check> (<detail>)` or
`FAIL: pe/<check>: <why>`, in this order:

  signature           "MZ" at 0, "PE\\0\\0" at e_lfanew (a file without them is
                      not a PE: exit 2, nothing else is checked)
  machine             COFF Machine = IMAGE_FILE_MACHINE_AMD64 (0x8664)
  pe32plus            optional header Magic = 0x20b (PE32+); with any other magic
                      the optional header's layout is unknown and checking stops
  subsystem           Subsystem = IMAGE_SUBSYSTEM_EFI_APPLICATION (10)
  section-alignment   SectionAlignment = 4096 (one page)
  file-alignment      FileAlignment a power of two, 512 or more, <= SectionAlignment
  size-of-headers     SizeOfHeaders a multiple of FileAlignment, covering the
                      MS-DOS stub, PE header and section table, and ending at or
                      before the first section's raw data and RVA
  section-va-aligned  every section's VirtualAddress a multiple of SectionAlignment
  section-raw-aligned every section's PointerToRawData and SizeOfRawData multiples
                      of FileAlignment (both may be 0 for a section with no raw data)
  section-raw-in-file every section's raw data inside the file, no two overlapping
  sections-ordered    sections in ascending RVA order, none overlapping in memory
                      (gaps between sections are reported, not failed)
  size-of-image       SizeOfImage = end of the last section rounded up to
                      SectionAlignment
  entry-point         AddressOfEntryPoint inside a section with IMAGE_SCN_MEM_EXECUTE
  reloc               a `.reloc` section, not empty
  reloc-directory     data directory 5 (Base Relocation Table) = that section
  reloc-blocks        the relocation data parses: (page RVA, block size) blocks whose
                      entries are IMAGE_REL_BASED_DIR64 (10), or ABSOLUTE (0) as
                      padding at the end of a block; the detail gives the DIR64 count
  reloc-targets       every DIR64 entry patches 8 bytes that lie inside one section
  sbat                a `.sbat` section whose data (up to VirtualSize, or the first
                      NUL) is non-empty text
  sbat-header         its first line starts with "sbat,1,"
  sbat-fields         every line has at least 6 comma-separated fields and a decimal
                      generation; the detail names the components
  wx                  no section both IMAGE_SCN_MEM_WRITE and IMAGE_SCN_MEM_EXECUTE
  nx-compat           IMAGE_DLLCHARACTERISTICS_NX_COMPAT set only if W^X holds
                      (whether it is set is reported)
  dynamic-base        IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE: reported, never failed
  signed / unsigned   only with --expect-signed / --expect-unsigned: data directory
                      4 (Certificate Table) is non-empty and well formed / empty

A check that cannot be made because what it looks at is missing (no .reloc, say)
is FAIL with "not checked: ...".

With --json the same checks are made but only a JSON object is printed: the parsed
layout (sections with name, rva, vsize, raw offset and size, flags; entry; image
base; relocation count; SBAT lines; ...) and the check results, for other scripts.

Exit status: 0 every check passed; 1 some check failed; 2 the file could not be
read or is not a PE image (the reason on standard error).

References (the names of sections in the documents, which outlive URLs):
  [PE]   Microsoft, "PE Format" (the Microsoft PE and COFF Specification):
         "MS-DOS Stub (Image Only)", "Signature (Image Only)", "COFF File Header
         (Object and Image)", "Machine Types", "Optional Header (Image Only)",
         "Optional Header Standard Fields", "Optional Header Windows-Specific
         Fields", "Windows Subsystem", "DLL Characteristics", "Optional Header
         Data Directories", "Section Table (Section Headers)", "Section Flags",
         "The .reloc Section (Image Only)", "Base Relocation Types", "The
         Attribute Certificate Table (Image Only)".
  [UEFI] UEFI Specification, section 2.1.1 "UEFI Images".
  [SBAT] rhboot/shim, SBAT.md ("Secure Boot Advanced Targeting").
"""
import argparse
import json
import struct
import sys

# [PE] "Machine Types".
IMAGE_FILE_MACHINE_AMD64 = 0x8664
MACHINES = {0x14c: 'i386', 0x8664: 'AMD64', 0xaa64: 'ARM64', 0x1c2: 'ARM Thumb',
            0x1c4: 'ARMv7 Thumb-2', 0x5064: 'RISC-V 64', 0x6264: 'LoongArch 64',
            0x200: 'IA-64', 0xebc: 'EFI byte code'}

# [PE] "Optional Header (Image Only)": the magic tells PE32 from PE32+.
PE32_MAGIC, PE32PLUS_MAGIC = 0x10b, 0x20b

# [PE] "Windows Subsystem"; [UEFI] 2.1.1 lists the three a UEFI image may have.
SUBSYSTEMS = {10: 'EFI application', 11: 'EFI boot service driver',
              12: 'EFI runtime driver', 13: 'EFI ROM', 1: 'native',
              2: 'Windows GUI', 3: 'Windows CUI'}
IMAGE_SUBSYSTEM_EFI_APPLICATION = 10

# [PE] "DLL Characteristics".
IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE = 0x0040
IMAGE_DLLCHARACTERISTICS_NX_COMPAT = 0x0100

# [PE] "Section Flags".
IMAGE_SCN_CNT_CODE = 0x00000020
IMAGE_SCN_CNT_INITIALIZED_DATA = 0x00000040
IMAGE_SCN_CNT_UNINITIALIZED_DATA = 0x00000080
IMAGE_SCN_MEM_DISCARDABLE = 0x02000000
IMAGE_SCN_MEM_SHARED = 0x10000000
IMAGE_SCN_MEM_EXECUTE = 0x20000000
IMAGE_SCN_MEM_READ = 0x40000000
IMAGE_SCN_MEM_WRITE = 0x80000000
FLAG_NAMES = [(IMAGE_SCN_CNT_CODE, 'CODE'), (IMAGE_SCN_CNT_INITIALIZED_DATA, 'DATA'),
              (IMAGE_SCN_CNT_UNINITIALIZED_DATA, 'BSS'),
              (IMAGE_SCN_MEM_DISCARDABLE, 'DISCARDABLE'), (IMAGE_SCN_MEM_SHARED, 'SHARED'),
              (IMAGE_SCN_MEM_EXECUTE, 'EXECUTE'), (IMAGE_SCN_MEM_READ, 'READ'),
              (IMAGE_SCN_MEM_WRITE, 'WRITE')]

# [PE] "Optional Header Data Directories": index 4 is the Certificate Table (its
# "RVA" is a file offset), index 5 the Base Relocation Table.
DIR_CERTIFICATE, DIR_BASERELOC = 4, 5

# [PE] "Base Relocation Types".
IMAGE_REL_BASED_ABSOLUTE = 0
IMAGE_REL_BASED_DIR64 = 10
RELOC_TYPES = {0: 'ABSOLUTE', 1: 'HIGH', 2: 'LOW', 3: 'HIGHLOW', 4: 'HIGHADJ',
               5: 'MIPS_JMPADDR/ARM_MOV32/RISCV_HIGH20', 7: 'THUMB_MOV32/RISCV_LOW12I',
               8: 'RISCV_LOW12S/LOONGARCH', 9: 'MIPS_JMPADDR16', 10: 'DIR64'}

# [PE] "The Attribute Certificate Table (Image Only)": WIN_CERTIFICATE types.
WIN_CERT_TYPES = {1: 'X509', 2: 'PKCS_SIGNED_DATA', 3: 'RESERVED_1', 4: 'TS_STACK_SIGNED'}

PAGE = 4096
MAX_LISTED = 5          # offending items named in one FAIL line


class NotPE(Exception):
    """The file cannot be read, or is not a PE image at all: exit 2."""


def u16(b, o):
    return struct.unpack_from('<H', b, o)[0]


def u32(b, o):
    return struct.unpack_from('<I', b, o)[0]


def u64(b, o):
    return struct.unpack_from('<Q', b, o)[0]


def is_pow2(n):
    return n > 0 and n & (n - 1) == 0


def roundup(n, a):
    return (n + a - 1) // a * a if a else n


def flag_names(flags):
    return [name for bit, name in FLAG_NAMES if flags & bit]


def rwx(flags):
    return ''.join(c if flags & bit else '-' for bit, c in
                   ((IMAGE_SCN_MEM_READ, 'r'), (IMAGE_SCN_MEM_WRITE, 'w'),
                    (IMAGE_SCN_MEM_EXECUTE, 'x')))


def listed(items):
    items = list(items)
    more = len(items) - MAX_LISTED
    return '; '.join(items[:MAX_LISTED]) + (f'; and {more} more' if more > 0 else '')


class Section:
    def __init__(self, index, raw_name, name, vsize, va, raw_size, raw_ptr, flags):
        self.index, self.raw_name, self.name = index, raw_name, name
        self.vsize, self.va, self.raw_size, self.raw_ptr, self.flags = \
            vsize, va, raw_size, raw_ptr, flags

    @property
    def mem_size(self):
        # [PE] "Section Table": VirtualSize is "the total size of the section when
        # loaded into memory"; an image whose VirtualSize is 0 (as some object-file
        # tools leave it) gets SizeOfRawData, as EDK2's loader does.
        return self.vsize or self.raw_size

    @property
    def end(self):
        return self.va + self.mem_size

    def label(self):
        return self.name or f'section {self.index}'

    def to_json(self):
        return {'name': self.name, 'rva': self.va, 'vsize': self.vsize,
                'raw_offset': self.raw_ptr, 'raw_size': self.raw_size,
                'flags': self.flags, 'flag_names': flag_names(self.flags)}


class Image:
    """The headers of a PE32+ image (parse() fills it in; NotPE if it cannot)."""

    def read_rva(self, rva, size):
        """(section, bytes) for [rva, rva+size): bytes is None unless the range lies
        in the section's raw data in the file (no zero-filled tail: a table the
        loader would read as zeros is a defect); section is None when the range is
        inside no section. Where sections overlap (a defect sections-ordered
        reports) the later one wins, as it would in a loader copying them in table
        order."""
        for s in reversed(self.sections):
            if s.va <= rva and rva + size <= s.end:
                off = rva - s.va
                if off + size > s.raw_size or s.raw_ptr + off + size > self.size:
                    return s, None
                return s, self.data[s.raw_ptr + off:s.raw_ptr + off + size]
        return None, None

    def section_at(self, rva, size=1):
        for s in self.sections:
            if s.va <= rva and rva + size <= s.end:
                return s
        return None

    def section_data(self, s):
        """A section's initialized bytes: the raw data, cut to VirtualSize."""
        size = min(s.raw_size, s.mem_size)
        return self.data[s.raw_ptr:s.raw_ptr + size]

    def find(self, name):
        for s in self.sections:
            if s.name == name:
                return s
        return None


def parse(data):
    img = Image()
    img.data = data
    img.size = len(data)
    # [PE] "MS-DOS Stub (Image Only)": the file starts with an MS-DOS header whose
    # e_lfanew (at 0x3c) gives the file offset of the PE signature.
    if len(data) < 0x40:
        raise NotPE(f'{len(data)} bytes: too short for an MS-DOS header (64 bytes)')
    if data[:2] != b'MZ':
        raise NotPE(f'no "MZ" signature at offset 0 (found {data[:2].hex()})')
    img.lfanew = u32(data, 0x3c)
    # [PE] "Signature (Image Only)": "PE\0\0", then the 20-byte COFF File Header.
    if img.lfanew + 24 > len(data):
        raise NotPE(f'e_lfanew = {img.lfanew:#x} points past the end of the file '
                    f'({len(data):#x} bytes)')
    sig = data[img.lfanew:img.lfanew + 4]
    if sig != b'PE\0\0':
        raise NotPE(f'no "PE\\0\\0" signature at e_lfanew = {img.lfanew:#x} '
                    f'(found {sig.hex()}): an MS-DOS program, not a PE image')
    coff = img.lfanew + 4
    # [PE] "COFF File Header (Object and Image)".
    (img.machine, img.nsections, _, img.symtab, img.nsymbols, img.opt_size,
     img.characteristics) = struct.unpack_from('<HHIIIHH', data, coff)
    img.opt = coff + 20
    if img.opt_size < 2 or img.opt + img.opt_size > len(data):
        raise NotPE(f'optional header ({img.opt_size} bytes at {img.opt:#x}) missing '
                    f'or past the end of the file')
    img.magic = u16(data, img.opt)
    img.sections = []
    if img.magic != PE32PLUS_MAGIC:
        return img                      # the layout below is PE32+ only
    # [PE] "Optional Header Standard Fields" and "Optional Header Windows-Specific
    # Fields" (PE32+ offsets), then "Optional Header Data Directories" at 112.
    if img.opt_size < 112:
        raise NotPE(f'PE32+ optional header is {img.opt_size} bytes, less than the '
                    f'112 of its fixed fields')
    o = img.opt
    img.entry = u32(data, o + 16)
    img.image_base = u64(data, o + 24)
    img.section_alignment = u32(data, o + 32)
    img.file_alignment = u32(data, o + 36)
    img.size_of_image = u32(data, o + 56)
    img.size_of_headers = u32(data, o + 60)
    img.subsystem = u16(data, o + 68)
    img.dll_characteristics = u16(data, o + 70)
    img.ndirs = u32(data, o + 108)
    fit = (img.opt_size - 112) // 8
    img.dirs = [struct.unpack_from('<II', data, o + 112 + 8 * i)
                for i in range(min(img.ndirs, fit, 16))]
    # [PE] "Section Table (Section Headers)": right after the optional header, 40
    # bytes per section.
    img.section_table = img.opt + img.opt_size
    img.headers_end = img.section_table + 40 * img.nsections
    if img.headers_end > len(data):
        raise NotPE(f'section table ({img.nsections} sections at {img.section_table:#x}) '
                    f'runs past the end of the file ({len(data):#x} bytes)')
    for i in range(img.nsections):
        at = img.section_table + 40 * i
        raw_name = data[at:at + 8]
        vsize, va, raw_size, raw_ptr = struct.unpack_from('<IIII', data, at + 8)
        flags = u32(data, at + 36)
        img.sections.append(Section(i, raw_name, section_name(data, img, raw_name),
                                    vsize, va, raw_size, raw_ptr, flags))
    return img


def section_name(data, img, raw):
    name = raw.split(b'\0', 1)[0]
    # [PE] "Section Table": "/<decimal>" is an offset into the COFF string table,
    # which images are not supposed to have but GNU ld writes for long names.
    if name[:1] == b'/' and name[1:].isdigit() and img.symtab:
        strtab = img.symtab + 18 * img.nsymbols
        at = strtab + int(name[1:])
        if strtab + 4 <= len(data) and at < len(data):
            end = data.find(b'\0', at)
            name = data[at:end if end >= 0 else len(data)]
    return name.decode('latin-1')


def dir_entry(img, index):
    return img.dirs[index] if index < len(img.dirs) else (0, 0)


class Checks:
    def __init__(self):
        self.results = []

    def add(self, name, ok, detail):
        self.results.append((f'pe/{name}', bool(ok), detail))
        return ok

    def ok(self, name, detail):
        return self.add(name, True, detail)

    def fail(self, name, why):
        return self.add(name, False, why)

    def failed(self):
        return any(not ok for _, ok, _ in self.results)


def check_image(img, expect=None):
    """Make every check; returns (Checks, facts for --json)."""
    c = Checks()
    facts = {}
    c.ok('signature', f'MZ, PE header at {img.lfanew:#x}')

    mname = MACHINES.get(img.machine, 'unknown')
    if img.machine == IMAGE_FILE_MACHINE_AMD64:
        c.ok('machine', f'AMD64 {img.machine:#x}')
    else:
        c.fail('machine', f'Machine = {img.machine:#x} ({mname}), not AMD64 (0x8664)')

    # [UEFI] 2.1.1: a UEFI image is PE32+ (the 64-bit optional header).
    if img.magic != PE32PLUS_MAGIC:
        what = 'PE32' if img.magic == PE32_MAGIC else 'unknown'
        c.fail('pe32plus', f'optional header magic = {img.magic:#x} ({what}), not 0x20b '
                           f'(PE32+); nothing further checked')
        return c, facts
    c.ok('pe32plus', f'magic {img.magic:#x}')

    # [PE] "Windows Subsystem"; [UEFI] 2.1.1: 10 application, 11 boot service
    # driver, 12 runtime driver. An OS loader or a tool like vmxprobe's is an
    # application: the firmware unloads it when it returns.
    sname = SUBSYSTEMS.get(img.subsystem, 'unknown')
    if img.subsystem == IMAGE_SUBSYSTEM_EFI_APPLICATION:
        c.ok('subsystem', f'{sname}, {img.subsystem}')
    else:
        c.fail('subsystem', f'Subsystem = {img.subsystem} ({sname}), not 10 (EFI application)')

    check_alignment(c, img)
    check_sections(c, img)
    check_entry(c, img)
    facts.update(check_reloc(c, img))
    facts.update(check_sbat(c, img))
    check_wx(c, img)
    if expect:
        facts.update(check_certificates(c, img, expect))
    return c, facts


def check_alignment(c, img):
    sa, fa = img.section_alignment, img.file_alignment
    # [PE] "Optional Header Windows-Specific Fields": SectionAlignment "must be
    # greater than or equal to FileAlignment. The default is the page size for the
    # architecture." Page-aligned sections are what lets a loader give each section
    # its own page protection (and what W^X/NX_COMPAT below rely on).
    if sa == PAGE:
        c.ok('section-alignment', f'{sa:#x}')
    else:
        c.fail('section-alignment', f'SectionAlignment = {sa:#x}, not {PAGE:#x} (one page)')
    # Same section: FileAlignment "should be a power of 2 between 512 and 64 K,
    # inclusive. The default is 512."
    if not is_pow2(fa) or fa < 512:
        c.fail('file-alignment', f'FileAlignment = {fa:#x}: not a power of two of 512 (0x200) '
                                 f'or more')
    elif sa and fa > sa:
        c.fail('file-alignment', f'FileAlignment = {fa:#x} is greater than '
                                 f'SectionAlignment = {sa:#x}')
    else:
        c.ok('file-alignment', f'{fa:#x}')

    # Same section: SizeOfHeaders is "the combined size of an MS-DOS stub, PE header,
    # and section headers rounded up to a multiple of FileAlignment". A larger
    # multiple is accepted (reported) as long as it runs into no section.
    need = roundup(img.headers_end, fa) if is_pow2(fa) else img.headers_end
    soh = img.size_of_headers
    bad = []
    if is_pow2(fa) and soh % fa:
        bad.append(f'not a multiple of FileAlignment {fa:#x}')
    if soh < img.headers_end:
        bad.append(f'less than the end of the section table ({img.headers_end:#x})')
    with_raw = [s for s in img.sections if s.raw_size]
    if with_raw:
        first = min(with_raw, key=lambda s: s.raw_ptr)
        if soh > first.raw_ptr:
            bad.append(f'past the raw data of {first.label()} at {first.raw_ptr:#x}')
    if img.sections:
        low = min(img.sections, key=lambda s: s.va)
        if soh > low.va:
            bad.append(f'past the RVA of {low.label()} ({low.va:#x}): the headers are '
                       f'loaded at RVA 0')
    if soh > img.size:
        bad.append(f'past the end of the file ({img.size:#x})')
    if bad:
        c.fail('size-of-headers', f'SizeOfHeaders = {soh:#x}: ' + '; '.join(bad))
    else:
        extra = f', more than the {need:#x} needed' if soh > need else ''
        c.ok('size-of-headers', f'{soh:#x}: headers end at {img.headers_end:#x}{extra}')


def check_sections(c, img):
    sa, fa, secs = img.section_alignment, img.file_alignment, img.sections
    if not secs:
        for name in ('section-va-aligned', 'section-raw-aligned', 'section-raw-in-file',
                     'sections-ordered', 'size-of-image'):
            c.fail(name, 'the image has no sections')
        return

    # [PE] "Section Table": VirtualAddress ... "must be a multiple of the
    # SectionAlignment value in the optional header".
    if sa:
        bad = [f'{s.label()} at {s.va:#x}' for s in secs if s.va % sa]
        if bad:
            c.fail('section-va-aligned', f'VirtualAddress not a multiple of {sa:#x}: '
                                         + listed(bad))
        else:
            c.ok('section-va-aligned', f'{len(secs)} sections at multiples of {sa:#x}')
    else:
        c.fail('section-va-aligned', 'SectionAlignment is 0')

    # Same section: SizeOfRawData "must be a multiple of the FileAlignment field",
    # and PointerToRawData "should be a multiple of the FileAlignment value";
    # "when a section contains only uninitialized data, [both] should be zero".
    if is_pow2(fa):
        bad = []
        for s in secs:
            if s.raw_size % fa:
                bad.append(f'{s.label()} SizeOfRawData {s.raw_size:#x}')
            if s.raw_size and s.raw_ptr % fa:
                bad.append(f'{s.label()} PointerToRawData {s.raw_ptr:#x}')
        if bad:
            c.fail('section-raw-aligned', f'not a multiple of FileAlignment {fa:#x}: '
                                          + listed(bad))
        else:
            c.ok('section-raw-aligned', f'raw data at multiples of {fa:#x}')
    else:
        c.fail('section-raw-aligned', f'not checked: FileAlignment {fa:#x} is not a power of two')

    bad = [f'{s.label()} [{s.raw_ptr:#x}, {s.raw_ptr + s.raw_size:#x})'
           for s in secs if s.raw_size and s.raw_ptr + s.raw_size > img.size]
    by_file = sorted((s for s in secs if s.raw_size), key=lambda s: s.raw_ptr)
    for a, b in zip(by_file, by_file[1:]):
        if b.raw_ptr < a.raw_ptr + a.raw_size:
            bad.append(f'raw data of {a.label()} and {b.label()} overlap')
    if bad:
        c.fail('section-raw-in-file', f'file is {img.size:#x} bytes: ' + listed(
            x if 'overlap' in x else x + ' past its end' for x in bad))
    else:
        c.ok('section-raw-in-file', f'{len(by_file)} sections with raw data, inside the '
                                    f'{img.size:#x}-byte file')

    # Same section: "In an image file, the VAs for sections must be assigned by the
    # linker so that they are in ascending order and adjacent". Ascending and
    # non-overlapping is what a loader needs; a gap (GNU ld leaves some) is reported.
    bad, gaps = [], 0
    for a, b in zip(secs, secs[1:]):
        if b.va < a.va:
            bad.append(f'{b.label()} ({b.va:#x}) comes after {a.label()} ({a.va:#x})')
        elif b.va < roundup(a.end, sa if sa else 1):
            bad.append(f'{a.label()} [{a.va:#x}, {a.end:#x}) overlaps {b.label()} at {b.va:#x}')
        elif b.va > roundup(a.end, sa if sa else 1):
            gaps += 1
    if bad:
        c.fail('sections-ordered', listed(bad))
    else:
        c.ok('sections-ordered', f'{len(secs)} sections ascending, no overlap'
                                 + (f', {gaps} gap{"s" if gaps > 1 else ""}' if gaps else ''))

    # [PE] "Optional Header Windows-Specific Fields": SizeOfImage is "the size (in
    # bytes) of the image, including all headers, as the image is loaded in memory.
    # It must be a multiple of SectionAlignment."
    last = max(secs, key=lambda s: s.end)
    want = roundup(last.end, sa)
    if img.size_of_image == want:
        c.ok('size-of-image', f'{img.size_of_image:#x} = end of {last.label()} '
                              f'{last.end:#x} rounded up to {sa:#x}')
    else:
        c.fail('size-of-image', f'SizeOfImage = {img.size_of_image:#x}, but {last.label()} '
                                f'ends at {last.end:#x}: expected {want:#x}')


def check_entry(c, img):
    # [PE] "Optional Header Standard Fields": AddressOfEntryPoint, "for program
    # images, this is the starting address"; [UEFI] 2.1.1: the firmware calls it
    # with the image handle and system table. It must be code the loader maps
    # executable.
    e = img.entry
    s = img.section_at(e)
    if s is None:
        c.fail('entry-point', f'AddressOfEntryPoint {e:#x} is outside every section')
    elif not s.flags & IMAGE_SCN_MEM_EXECUTE:
        c.fail('entry-point', f'AddressOfEntryPoint {e:#x} is in {s.label()} ({rwx(s.flags)}), '
                              f'which is not executable')
    else:
        c.ok('entry-point', f'{e:#x} in {s.label()} +{e - s.va:#x}')


def check_reloc(c, img):
    # [UEFI] 2.1.1: the firmware loads an image wherever it finds memory and applies
    # its base relocations, so an image without them only works at ImageBase.
    # [PE] "The .reloc Section (Image Only)": the Base Relocation Table (data
    # directory 5) is a list of blocks, each "Page RVA" (4 bytes), "Block Size" (4
    # bytes, including those 8), then 2-byte entries: type in the high 4 bits,
    # offset from the page in the low 12. "Each block must start on a 32-bit
    # boundary." [PE] "Base Relocation Types": ABSOLUTE (0) "is skipped. This type
    # can be used to pad a block"; DIR64 (10) adds the load delta to the 64 bits at
    # the address. An x86-64 image has no use for the other types.
    facts = {'reloc_count': None, 'reloc_blocks': None}
    s = img.find('.reloc')
    if s is None:
        c.fail('reloc', 'no .reloc section')
    elif s.mem_size == 0 or s.raw_size == 0:
        c.fail('reloc', f'.reloc is empty (VirtualSize {s.vsize:#x}, SizeOfRawData '
                        f'{s.raw_size:#x})')
    else:
        c.ok('reloc', f'.reloc at {s.va:#x}, {s.mem_size} bytes')

    rva, size = dir_entry(img, DIR_BASERELOC)
    facts['reloc_directory'] = {'rva': rva, 'size': size}
    if len(img.dirs) <= DIR_BASERELOC:
        c.fail('reloc-directory', f'the optional header has {img.ndirs} data directories: '
                                  f'none for base relocations (index 5)')
    elif size == 0:
        c.fail('reloc-directory', f'data directory 5 is empty (RVA {rva:#x}, size 0): '
                                  f'the loader applies no relocation')
    elif s is None:
        c.fail('reloc-directory', f'data directory 5 points at {rva:#x} but there is no '
                                  f'.reloc section')
    elif rva != s.va or size > s.mem_size:
        c.fail('reloc-directory', f'data directory 5 is [{rva:#x}, {rva + size:#x}), not '
                                  f'within .reloc [{s.va:#x}, {s.end:#x}) from its start')
    else:
        c.ok('reloc-directory', f'directory 5: {rva:#x}, {size} bytes = .reloc')

    if not size:
        c.fail('reloc-blocks', 'not checked: no base relocation data')
        c.fail('reloc-targets', 'not checked: no base relocation data')
        return facts
    where, data = img.read_rva(rva, size)
    if data is None:
        c.fail('reloc-blocks', f'base relocation data [{rva:#x}, {rva + size:#x}) is '
                               + ('not inside one section' if where is None else
                                  f'past the raw data of {where.label()} in the file'))
        c.fail('reloc-targets', 'not checked: no base relocation data to read')
        return facts

    targets, bad, blocks, pads = [], [], 0, 0
    off, broken = 0, False      # broken: the block structure itself is wrong
    while off < size and len(bad) <= MAX_LISTED:
        if off % 4:
            bad.append(f'block at +{off:#x} does not start on a 32-bit boundary')
            broken = True
            break
        if off + 8 > size:
            bad.append(f'{size - off} bytes left at +{off:#x}, too few for a block header')
            broken = True
            break
        page, bsize = struct.unpack_from('<II', data, off)
        if bsize < 8 or bsize % 2 or off + bsize > size:
            bad.append(f'block at +{off:#x} (page {page:#x}) has size {bsize:#x}: '
                       + ('less than 8' if bsize < 8 else 'odd' if bsize % 2 else
                          f'past the end of the table ({size:#x})'))
            broken = True
            break
        blocks += 1
        seen_pad = None
        for at in range(off + 8, off + bsize, 2):
            e = u16(data, at)
            typ, where = e >> 12, page + (e & 0xfff)
            if typ == IMAGE_REL_BASED_ABSOLUTE:
                pads += 1
                if seen_pad is None:
                    seen_pad = at
            elif typ == IMAGE_REL_BASED_DIR64:
                if seen_pad is not None:
                    bad.append(f'ABSOLUTE entry at +{seen_pad:#x} is not padding: a DIR64 '
                               f'follows it in the block at +{off:#x}')
                    seen_pad = None
                targets.append(where)
            else:
                bad.append(f'entry at +{at:#x} has type {typ} '
                           f'({RELOC_TYPES.get(typ, "unknown")}), not DIR64 or ABSOLUTE')
        off += bsize
    facts['reloc_count'] = len(targets)
    facts['reloc_blocks'] = blocks
    if bad:
        c.fail('reloc-blocks', listed(bad))
    else:
        c.ok('reloc-blocks', f'{blocks} block{"s" if blocks != 1 else ""}, {len(targets)} DIR64'
                             f', {pads} ABSOLUTE padding')

    # A DIR64 fix-up writes 8 bytes at ImageBase + Page RVA + offset; all 8 must be
    # inside one section, or the loader writes over the headers or past the image.
    outside = []
    for t in targets:
        if img.section_at(t, 8) is None:
            where = ('past SizeOfImage' if t + 8 > img.size_of_image else
                     'in the headers' if t < img.size_of_headers else 'between sections')
            outside.append(f'{t:#x} ({where})')
    if broken and not outside:
        c.fail('reloc-targets', f'not checked past +{off:#x}: the relocation blocks do not '
                                f'parse ({len(targets)} DIR64 fix-ups before that, all '
                                f'inside sections)')
    elif outside:
        c.fail('reloc-targets', f'{len(outside)} of {len(targets)} DIR64 fix-ups not inside '
                                f'a section: ' + listed(outside))
    else:
        c.ok('reloc-targets', f'{len(targets)} DIR64 fix-ups, all inside sections')
    return facts


def check_sbat(c, img):
    # [SBAT] shim's SBAT.md: the `.sbat` section holds CSV text, one component per
    # line: component_name, component_generation, vendor_name, vendor_package_name,
    # vendor_version, vendor_url. The first line is the format's own, "sbat,1,SBAT
    # Version,sbat,1,https://github.com/rhboot/shim/blob/main/SBAT.md". shim splits
    # on commas (no CSV quoting) and stops at a NUL; lines end in LF.
    facts = {'sbat': None}
    s = img.find('.sbat')
    if s is None:
        c.fail('sbat', 'no .sbat section')
        c.fail('sbat-header', 'not checked: no .sbat section')
        c.fail('sbat-fields', 'not checked: no .sbat section')
        return facts
    raw = img.section_data(s).split(b'\0', 1)[0]
    why = None
    if not raw:
        why = f'.sbat at {s.va:#x} is empty'
    else:
        try:
            text = raw.decode('utf-8')
        except UnicodeDecodeError as e:
            why = f'.sbat is not UTF-8 text: byte {raw[e.start]:#04x} at +{e.start:#x}'
        else:
            ctl = next((i for i, ch in enumerate(text)
                        if ord(ch) < 0x20 and ch not in '\n\r\t' or ord(ch) == 0x7f), None)
            if ctl is not None:
                why = f'.sbat is not text: control character {ord(text[ctl]):#04x} at +{ctl:#x}'
    if why:
        c.fail('sbat', why)
        c.fail('sbat-header', 'not checked: no SBAT text')
        c.fail('sbat-fields', 'not checked: no SBAT text')
        return facts
    lines = text.split('\n')
    if lines[-1] == '':
        lines.pop()
    lines = [ln[:-1] if ln.endswith('\r') else ln for ln in lines]
    facts['sbat'] = lines
    c.ok('sbat', f'.sbat at {s.va:#x}, {len(raw)} bytes, {len(lines)} '
                 f'line{"s" if len(lines) != 1 else ""}')

    first = lines[0] if lines else ''
    if first.startswith('sbat,1,'):
        c.ok('sbat-header', 'sbat,1')
    else:
        c.fail('sbat-header', f'first line {first[:60]!r} does not start with "sbat,1,"')

    bad = []
    for n, ln in enumerate(lines, 1):
        fields = ln.split(',')
        if len(fields) < 6:
            bad.append(f'line {n} has {len(fields)} field{"s" if len(fields) != 1 else ""}'
                       f': {ln[:60]!r}')
        elif not fields[0]:
            bad.append(f'line {n} has an empty component name')
        elif not fields[1].isdigit() or not fields[1].isascii():
            bad.append(f'line {n} ({fields[0]}) has generation {fields[1][:20]!r}, not a '
                       f'decimal number')
    if bad:
        c.fail('sbat-fields', 'need 6 fields a line (component_name, component_generation, '
                              'vendor_name, vendor_package_name, vendor_version, vendor_url): '
                              + listed(bad))
    else:
        c.ok('sbat-fields', 'components: ' + ', '.join(ln.split(',')[0] for ln in lines))
    return facts


def check_wx(c, img):
    # [PE] "Section Flags": IMAGE_SCN_MEM_WRITE 0x80000000, IMAGE_SCN_MEM_EXECUTE
    # 0x20000000. A section with both can only be mapped writable and executable.
    wx = [s for s in img.sections
          if s.flags & IMAGE_SCN_MEM_WRITE and s.flags & IMAGE_SCN_MEM_EXECUTE]
    names = ', '.join(f'{s.label()} ({rwx(s.flags)})' for s in wx)
    if wx:
        c.fail('wx', f'writable and executable: {names}')
    else:
        c.ok('wx', f'none of {len(img.sections)} sections both writable and executable')

    # [PE] "DLL Characteristics": NX_COMPAT 0x0100 "Image is NX compatible"; UEFI
    # firmware that honours it (EDK2's PcdImageProtectionPolicy / the memory
    # attributes protocol) maps data non-executable and code read-only, which
    # breaks an image with a W+X section. So the flag may only be set when W^X holds.
    nx = bool(img.dll_characteristics & IMAGE_DLLCHARACTERISTICS_NX_COMPAT)
    if nx and wx:
        c.fail('nx-compat', f'NX_COMPAT is set but {names} '
                            f'{"is" if len(wx) == 1 else "are"} writable and executable')
    elif nx:
        c.ok('nx-compat', 'set; W^X holds')
    else:
        c.ok('nx-compat', 'not set' + ('' if wx else '; W^X holds, so it could be'))

    # DYNAMIC_BASE 0x0040 "Image can be relocated at load time": reported only (UEFI
    # loaders relocate every image that has relocations, flag or not).
    db = bool(img.dll_characteristics & IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE)
    c.ok('dynamic-base', 'set' if db else 'not set')


def check_certificates(c, img, expect):
    # [PE] "Optional Header Data Directories": the Certificate Table entry "points
    # to a table of attribute certificates ... The address is a file pointer". [PE]
    # "The Attribute Certificate Table (Image Only)": WIN_CERTIFICATE entries
    # (dwLength u32, wRevision u16, wCertificateType u16, bCertificate), each
    # starting on an 8-byte boundary.
    off, size = dir_entry(img, DIR_CERTIFICATE)
    facts = {'certificate_table': {'offset': off, 'size': size, 'certificates': []}}
    if expect == 'unsigned':
        if size == 0:
            c.ok('unsigned', 'certificate table (data directory 4) is empty')
        else:
            c.fail('unsigned', f'certificate table (data directory 4) holds {size} bytes at '
                               f'file offset {off:#x}: the image is signed')
        return facts
    if size == 0:
        c.fail('signed', 'certificate table (data directory 4) is empty: the image is not signed')
        return facts
    if off + size > img.size:
        c.fail('signed', f'certificate table [{off:#x}, {off + size:#x}) runs past the end '
                         f'of the file ({img.size:#x})')
        return facts
    if off % 8:
        c.fail('signed', f'certificate table at file offset {off:#x} is not 8-byte aligned')
        return facts
    certs, at, end = [], off, off + size
    while at < end:
        if at + 8 > end:
            c.fail('signed', f'{end - at} bytes left at {at:#x}, too few for a '
                             f'WIN_CERTIFICATE header')
            return facts
        length, rev, typ = struct.unpack_from('<IHH', img.data, at)
        if length < 8 or at + length > end:
            c.fail('signed', f'WIN_CERTIFICATE at {at:#x} has dwLength {length:#x}, '
                             + ('less than 8' if length < 8 else f'past the table end {end:#x}'))
            return facts
        certs.append({'offset': at, 'length': length, 'revision': rev,
                      'type': WIN_CERT_TYPES.get(typ, f'{typ:#x}')})
        at += roundup(length, 8)
    facts['certificate_table']['certificates'] = certs
    kinds = ', '.join(f'{x["type"]} rev {x["revision"]:#x}' for x in certs)
    c.ok('signed', f'certificate table at file offset {off:#x}, {size} bytes: '
                   f'{len(certs)} certificate{"s" if len(certs) != 1 else ""} ({kinds})')
    return facts


def layout(img, path, checks, facts):
    out = {'file': path, 'size': img.size, 'machine': img.machine, 'magic': img.magic}
    if img.magic == PE32PLUS_MAGIC:
        out.update({
            'subsystem': img.subsystem, 'image_base': img.image_base, 'entry': img.entry,
            'section_alignment': img.section_alignment,
            'file_alignment': img.file_alignment, 'size_of_image': img.size_of_image,
            'size_of_headers': img.size_of_headers,
            'dll_characteristics': img.dll_characteristics,
            'nx_compat': bool(img.dll_characteristics & IMAGE_DLLCHARACTERISTICS_NX_COMPAT),
            'dynamic_base': bool(img.dll_characteristics &
                                 IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE),
            'sections': [s.to_json() for s in img.sections],
            'data_directories': [{'index': i, 'rva': r, 'size': n}
                                 for i, (r, n) in enumerate(img.dirs)],
        })
    out.update(facts)
    out['checks'] = [{'check': n, 'ok': ok, 'detail': d} for n, ok, d in checks.results]
    out['ok'] = not checks.failed()
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog='pecheck',
        description='Check a PE32+ UEFI application image: headers, alignment, entry '
                    'point, .reloc, .sbat, W^X and NX_COMPAT.',
        epilog='Exit status: 0 all checks pass, 1 some check fails, 2 the file cannot '
               'be read or is not a PE image.')
    ap.add_argument('image', help='the PE32+ image (an .efi file)')
    ap.add_argument('--json', action='store_true',
                    help='print the parsed layout and the check results as JSON instead '
                         'of PASS/FAIL lines')
    g = ap.add_mutually_exclusive_group()
    g.add_argument('--expect-signed', dest='expect', action='store_const', const='signed',
                   help='the certificate table (data directory 4) must be non-empty '
                        'and well formed')
    g.add_argument('--expect-unsigned', dest='expect', action='store_const',
                   const='unsigned', help='the certificate table must be empty')
    args = ap.parse_args(argv)

    try:
        with open(args.image, 'rb') as f:
            data = f.read()
    except OSError as e:
        print(f'pecheck: {args.image}: cannot read: {e.strerror or e}', file=sys.stderr)
        return 2
    try:
        img = parse(data)
    except NotPE as e:
        print(f'pecheck: {args.image}: not a PE image: {e}', file=sys.stderr)
        return 2
    checks, facts = check_image(img, args.expect)
    try:
        if args.json:
            json.dump(layout(img, args.image, checks, facts), sys.stdout, indent=2)
            sys.stdout.write('\n')
        else:
            for name, ok, detail in checks.results:
                print(f'PASS: {name} ({detail})' if ok else f'FAIL: {name}: {detail}')
        sys.stdout.flush()
    except BrokenPipeError:
        sys.stderr.close()
    return 1 if checks.failed() else 0


if __name__ == '__main__':
    sys.exit(main())
