#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boot cases: reads cases (data) from a file; Runner boots one in an emulator and judges it.

Each case names the emulator (qemu, qemu-kvm, bochs), firmware, machine, CPU count
and model, the kernel command line, the lines expected in the serial log and the
expected exit status. Every emulator runs under a timeout. For every case the
runner also checks the result protocol: the first "vmxprobe:" line is the version
line and the last line of the log is the summary line; and it feeds the log through
the results reader (tools/vmxprobe-log), whose verdict must be the kernel's.

The keys a case may use, their defaults and their one-line descriptions are one table,
KEYS, below. The header of tests/boot/cases documents each key with the lines that
--print-docs renders from that table; --check-docs FILE checks a header against it, and
every pytest session checks the cases file first, so the two cannot drift apart.

pytest runs the cases (tests/boot/conftest.py, test_boot.py): one test per case,
selection with -k, two at a time with -n 2 (pytest-xdist), JUnit XML with --junitxml.
"""
import argparse
import collections
import contextlib
import fcntl
import functools
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

sys.dont_write_bytecode = True      # no __pycache__ next to the sources
if HERE not in sys.path:            # when imported from elsewhere (tests/bench/bench.py)
    sys.path.insert(0, HERE)
import screen  # noqa: E402  (the screen checks, screen.py)
from monitor import Monitor, start_with_monitor  # noqa: E402  (monitor.py)

QUOTED = r'"(?:[^"\\]|\\.)*"'
FIRST_LINE = re.compile(r'^vmxprobe: version=\S+ firmware=(bios|uefi|pvh) bootloader=' + QUOTED
                        + r' cmdline=' + QUOTED + r'(?: truncated=(?:bootloader,cmdline|bootloader|cmdline))?$')
SUMMARY = re.compile(r'^vmxprobe: summary cpus=\d+/\d+ on=\d+ no-vmx=\d+ locked-off=\d+ '
                     r'failed=\d+ guest=\d+ verdict=(PASS|FAIL|SKIP)(?: ext=svm)?$')
CPU_LINE = re.compile(r'^cpu: index=(\d+) apic=(\d+) online up_us=(\d+)$')
VMX_LINE = re.compile(r'^vmx: cpu=(\d+) apic=\d+ result=\S+(?: feat_ctl=0x[0-9a-f]+)?'
                      r'(?: revision=0x[0-9a-f]+)?(?: vmxon=0x([0-9a-f]+))?(?: error=\d+)?'
                      r'(?: vector=\d+)?(?: detail="(?:[^"\\]|\\.)*")?$')
GUEST_LINE = re.compile(r'^guest: cpu=(\d+) apic=\d+ result=(\S+) exits=(\d+) exit_cycles=(\d+) '
                        r'exit_cycles_min=(\d+)(?: ext=svm npt=(?:yes|no))?(?: rule=\S+)?'
                        r'(?: exit_code=0x[0-9a-f]+ exit_info1=0x[0-9a-f]+ exit_info2=0x[0-9a-f]+)?'
                        r'(?: error=\d+)?(?: reason=\d+)?'
                        r'(?: qualification=0x[0-9a-f]+)?(?: vector=\d+)?'
                        r'(?: name="(?:[^"\\]|\\.)*")?(?: detail="(?:[^"\\]|\\.)*")?$')
POOL_LINE = re.compile(r'^vmx: pool=0x([0-9a-f]+)-0x([0-9a-f]+) pages=(\d+) used=(\d+)$')
ANSI = re.compile(r'\x1b\[[0-9;?]*[A-Za-z]')
KVM_FAILED = re.compile(r'Could not access KVM|failed to initialize kvm')

EMULATORS = ('qemu', 'qemu-kvm', 'bochs')
OVMF = '/usr/share/ovmf/OVMF.fd'
# OVMF's SMM build, the one Secure Boot set-ups use (Debian's ovmf package): its code in
# pflash unit 0, a copy of its variable store in unit 1, on q35 with SMM. Not enrolled:
# Secure Boot is off. It reports 0x810000-0x170ffff as ACPI NVS.
OVMF_SMM_CODE = '/usr/share/OVMF/OVMF_CODE_4M.secboot.fd'
OVMF_SMM_VARS = '/usr/share/OVMF/OVMF_VARS_4M.fd'
# OVMF's pflash builds (code, variable store template), on q35 with SMM: uefi-smm
# above; Secure Boot on with Debian's snakeoil test key in PK, KEK and db; Secure
# Boot on with Microsoft's keys (so Debian's signed shim runs).
OVMF_PFLASH = {
    'uefi-smm': (OVMF_SMM_CODE, OVMF_SMM_VARS),
    'uefi-sb-snakeoil': ('/usr/share/OVMF/OVMF_CODE_4M.snakeoil.fd',
                         '/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd'),
    'uefi-sb-ms': ('/usr/share/OVMF/OVMF_CODE_4M.ms.fd', '/usr/share/OVMF/OVMF_VARS_4M.ms.fd'),
}
# Debian's snakeoil key pair (package ovmf; README.Debian gives the passphrase): only
# for testing, which is all it is used for here.
SNAKEOIL_KEY, SNAKEOIL_CERT = '/usr/share/ovmf/PkKek-1-snakeoil.key', '/usr/share/ovmf/PkKek-1-snakeoil.pem'
SNAKEOIL_PASS = 'snakeoil'
VARSTORE = os.path.join(ROOT, 'tests', 'uefi', 'varstore.py')   # writes MokList into a copy
READER = os.path.join(ROOT, 'tools', 'vmxprobe-log')   # the results reader every log goes through
# The DHCP boot file of make netboot's tree for each firmware (iso/mknetdir.sh).
NETBOOT_FILE = {'bios': 'boot/grub/i386-pc/core.0', 'uefi': 'boot/grub/x86_64-efi/core.efi'}
BOCHS_BIOS = {'bochs': '/usr/share/bochs/BIOS-bochs-latest',
              'seabios': '/usr/share/seabios/bios.bin'}

# The case keys. many: the key may repeat and its values make a list (every case has
# each list key, empty when not given). default: the value of an absent scalar key,
# per emulator where it is a dict; None: absent means "not checked" or "not used".
# doc: the key's line in the header of tests/boot/cases (see doc_lines()).
Key = collections.namedtuple('Key', 'name many default doc')
KEYS = [
    Key('emulator', False, None,
        'required: qemu (TCG) | qemu-kvm (-accel kvm; SKIP without /dev/kvm) | bochs'),
    Key('firmware', False, {'qemu': 'bios', 'qemu-kvm': 'bios', 'bochs': 'bochs'},
        'QEMU: bios (SeaBIOS) | uefi (OVMF) | uefi-smm (OVMF\'s SMM build, with machine '
        'q35,smm=on) | uefi-sb-snakeoil (Secure Boot on, Debian\'s snakeoil key in db; '
        'q35,smm=on) | uefi-sb-ms (Secure Boot on, Microsoft\'s keys; q35,smm=on); Bochs: '
        'bochs (the Bochs BIOS) | seabios'),
    Key('machine', False, 'pc', 'QEMU machine (-M): pc, q35, pc-i440fx-2.5, ...'),
    Key('smp', False, '1',
        'CPUs: QEMU -smp (2,maxcpus=4 ...); Bochs cpu count= (1:4:2 ...)'),
    Key('cpu', False, {'qemu': 'max,-svm', 'qemu-kvm': 'host,-arch-capabilities,-svm',
                       'bochs': 'corei7_skylake_x'},
        'QEMU -cpu or Bochs cpu model= (QEMU\'s defaults take SVM away: the cases test '
        'the path without VMX or SVM unless they name a CPU with SVM, as the svm-* cases do)'),
    Key('mem', False, '512', 'MiB of RAM'),
    Key('media', False, 'cdrom',
        'how QEMU gets the kernel: cdrom (the ISO) | usb (the ISO as a raw disk, usb-storage '
        'on qemu-xhci) | direct (no GRUB: -kernel vmxprobe.elf, PVH; cmdline goes to -append) | '
        'netboot (PXE from make netboot\'s tree through QEMU\'s DHCP/TFTP and an e1000 NIC; '
        'the user\'s menu, no cmdline) | esp (vmxprobe.efi on a disk\'s EFI System '
        'Partition, iso/mkesp.sh: the firmware starts it as \\EFI\\BOOT\\BOOTX64.EFI; '
        'with a cmdline, OVMF\'s UEFI Shell starts it from startup.nsh) | esp-shim '
        '(Debian\'s signed shim as BOOTX64.EFI, vmxprobe.efi as grubx64.efi; no cmdline)'),
    Key('sign', False, 'none',
        'media esp and esp-shim: who signs vmxprobe.efi (sbsign): none | snakeoil (Debian\'s '
        'snakeoil key) | test (a key the runner makes) | other (another key the runner makes)'),
    Key('mok', False, 'none',
        'test: the runner\'s test certificate pre-enrolled in shim\'s MokList in the copy '
        'of the variable store (tests/uefi/varstore.py); none'),
    Key('serial', False, 'com1', 'which UART QEMU logs: com1 | com2 | none'),
    Key('debug-exit', False, 'yes',
        "QEMU's isa-debug-exit (port 0xf4): yes | no (the kernel then halts)"),
    Key('qemu-args', False, '', 'extra QEMU arguments'),
    Key('pool-fill', False, None,
        'BYTE (0x00-0xff), media direct only: fill the kernel\'s PT_LOAD segment without file '
        'bytes (.pool, linker.ld) with BYTE through QEMU\'s generic loader device before the '
        'kernel starts, as a loader that does not zero it (or a reset) leaves it'),
    Key('cmdline', False, '',
        'kernel command line (a test ISO with its own grub.cfg is built for it)'),
    Key('grub-pre', True, None, 'a GRUB command run before the kernel (test ISO only)'),
    Key('make', False, None,
        'make variables for a kernel built for this case (e.g. MAX_CPUS=4)'),
    Key('timeout', False, {'qemu': '60', 'qemu-kvm': '300', 'bochs': '150'},
        'seconds before the emulator is killed'),
    Key('status', False, '-',
        'expected exit status: N; N|M|... (any of them; "timeout" among them allows a '
        'timeout, e.g. 0|timeout); timeout (the run must halt until killed); - (any status, '
        'but no timeout)'),
    Key('protocol', False, 'yes',
        'yes: the first vmxprobe: line is the version line and the last line is the '
        'summary; no for runs that stop before that'),
    Key('expect', True, None,
        'a regex some log line must match; @VERSION@ stands for the Makefile\'s VERSION'),
    Key('reject', True, None, 'a regex no log line may match; @VERSION@ as in expect'),
    Key('cpus', False, None,
        'exactly this many "cpu:" lines, indexes 0..N-1 in order, distinct APIC IDs'),
    Key('vmx', False, None,
        'one "vmx: cpu=I ... result=" line per CPU 0..N-1 in order; their vmxon= pages '
        'distinct, 4 KiB aligned and inside the one "vmx: pool=" line\'s range'),
    Key('guest', False, None,
        'N TOKEN: one "guest: cpu=I ..." line per CPU 0..N-1 in order, each with result=TOKEN; '
        'with TOKEN ok also exits=1003 and non-zero exit_cycles and exit_cycles_min'),
    Key('monitor', True, None,
        'REGEX => COMMAND: send COMMAND to the QEMU monitor once, as soon as a log line '
        'matches REGEX (e.g. nmi); a COMMAND never sent is a failure'),
    Key('screen', False, None,
        'text | fb | fb:VERDICT: once the summary is on COM1, read the screen through the '
        'QEMU monitor and quit (use with debug-exit no or exit=halt). text: the EGA buffer '
        'at 0xB8000, the summary row in its verdict colour; fb: a screendump, not blank, '
        "with VERDICT's colour bar"),
    Key('screen-expect', True, None,
        'with screen text: a regex some screen row must match; @VERSION@ as in expect'),
]
KEY = {k.name: k for k in KEYS}
LIST_KEYS = {k.name for k in KEYS if k.many}
# "host-vmx:KEY VALUE" applies where KVM guests get VMX from -cpu host, "host-novmx:KEY VALUE"
# where they do not (see host_gives()); host-svm:/host-nosvm: the same for AMD SVM: the KVM
# cases expect what the host offers.
HOST_PREFIXES = ('host-vmx:', 'host-novmx:', 'host-svm:', 'host-nosvm:')
PREFIX_DOCS = [
    ('host-vmx:KEY', 'KEY VALUE (any key) applies only where -accel kvm -cpu host gives the '
                     'guest VMX (an Intel host with VMX and kvm_intel nested=Y): a scalar '
                     'replaces the plain one, a list value is added to it'),
    ('host-novmx:KEY', 'the same, where it does not'),
    ('host-svm:KEY', 'the same, where -cpu host gives the guest SVM (an AMD host with SVM and '
                     'kvm_amd nested=1)'),
    ('host-nosvm:KEY', 'the same, where it does not'),
]
# Keys whose values are regexes on log or screen lines, where @VERSION@ stands for the
# version in the Makefile (VERSION := ...), regex-escaped.
VERSION_PLACEHOLDER = '@VERSION@'
VERSION_KEYS = ('expect', 'reject', 'screen-expect')


def setting(case, key):
    """The case's value for a scalar key, else the table's default (for its emulator)."""
    if key in case:
        return case[key]
    default = KEY[key].default
    return default[case['emulator']] if isinstance(default, dict) else default


@functools.lru_cache(maxsize=None)
def makefile_version():
    """VERSION from the top-level Makefile: the version the kernel reports."""
    path = os.path.join(ROOT, 'Makefile')
    with open(path) as f:
        m = re.search(r'^VERSION\s*[:?]?=\s*(\S+)\s*$', f.read(), re.M)
    if not m:
        raise ValueError(f'{path} has no "VERSION := ..." line')
    return m.group(1)


def host_gives(ext='vmx'):
    """Does -accel kvm -cpu host give the guest VMX (ext 'vmx') or SVM ('svm') here? Only
    on a host with that flag in /proc/cpuinfo and kvm_intel's or kvm_amd's nested
    virtualization on. Returns (bool, why)."""
    module = {'vmx': 'kvm_intel', 'svm': 'kvm_amd'}[ext]
    try:
        with open('/proc/cpuinfo') as f:
            flags = next((l.split(':', 1)[1].split() for l in f if l.startswith('flags')), [])
    except OSError as e:
        return False, f'/proc/cpuinfo unreadable: {e.strerror}'
    if ext not in flags:
        return False, f'the host CPU has no {ext.upper()} flag'
    try:
        with open(f'/sys/module/{module}/parameters/nested') as f:
            nested = f.read().strip()
    except OSError:
        return False, f'{module} is not loaded'
    if nested not in ('Y', '1'):
        return False, f'{module} nested={nested}'
    return True, f'host has {ext.upper()} and {module} nested={nested}'


def resolve_host_keys(case, gives_vmx, gives_svm=False):
    """Fold the host-vmx:/host-novmx: and host-svm:/host-nosvm: keys of a case into its
    plain keys."""
    out = {k: (list(v) if isinstance(v, list) else v) for k, v in case.items()
           if not k.startswith(HOST_PREFIXES)}
    for want in ('host-vmx:' if gives_vmx else 'host-novmx:',
                 'host-svm:' if gives_svm else 'host-nosvm:'):
        for k, v in case.items():
            if k.startswith(want):
                key = k[len(want):]
                if key in LIST_KEYS:
                    out[key] = out[key] + v
                else:
                    out[key] = v
    return out


def parse_cases(path):
    """Blocks of 'key value' lines; 'case NAME' starts a block; '#' starts a comment."""
    cases, cur = [], None
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip('\n')
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            key, _, val = line.strip().partition(' ')
            val = val.strip()
            base = key.split(':', 1)[1] if key.startswith(HOST_PREFIXES) else key
            if key == 'case':
                cur = {'name': val, 'line': n, **{k: [] for k in LIST_KEYS}}
                cases.append(cur)
                continue
            if cur is None:
                sys.exit(f'{path}:{n}: "{key}" before the first "case"')
            if base not in KEY:
                sys.exit(f'{path}:{n}: unknown key "{key}"')
            if base == 'monitor' and ' => ' not in val:
                sys.exit(f'{path}:{n}: monitor wants "REGEX => COMMAND"')
            if base in VERSION_KEYS and VERSION_PLACEHOLDER in val:
                try:
                    val = val.replace(VERSION_PLACEHOLDER, re.escape(makefile_version()))
                except (OSError, ValueError) as e:
                    sys.exit(f'{path}:{n}: {VERSION_PLACEHOLDER}: {e}')
            if KEY[base].many:
                cur.setdefault(key, []).append(val)
            else:
                cur[key] = val
    for c in cases:
        if c.get('emulator') not in EMULATORS:
            sys.exit(f'{path}:{c["line"]}: case {c["name"]}: emulator must be one of '
                     + ', '.join(EMULATORS))
    return cases


# --- The key documentation in the header of a cases file ---------------------------------

DOC_WIDTH = 96
DOC_NAME_WIDTH = max(len(name) for name in [k.name for k in KEYS] + [p for p, _ in PREFIX_DOCS])


def default_doc(default):
    """A default as the docs say it: "default 512", "default bios (qemu, qemu-kvm), bochs
    (bochs)"; NBSP (U+00A0) where a line may not break."""
    if not default:
        return ''
    if not isinstance(default, dict):
        return f'default\xa0{default}'
    by_value = {}
    for e in EMULATORS:
        by_value.setdefault(default[e], []).append(e)
    return 'default\xa0' + ', '.join(v + '\xa0(' + ',\xa0'.join(es) + ')'
                                     for v, es in by_value.items())


def entry_lines(name, text):
    """One documented name: '#   NAME  text', the text wrapped under itself (never at
    an NBSP, which becomes a space)."""
    first = f'#   {name:<{DOC_NAME_WIDTH}}  '
    lines = textwrap.wrap(text, DOC_WIDTH, initial_indent=first,
                          subsequent_indent='#' + ' ' * (len(first) - 1),
                          break_long_words=False, break_on_hyphens=False)
    return [line.replace('\xa0', ' ') for line in lines]


def doc_entries():
    """(name, lines) for every key of the table, then for the host prefixes."""
    entries = []
    for k in KEYS:
        extras = (['repeatable'] if k.many else []) + \
            ([default_doc(k.default)] if default_doc(k.default) else [])
        text = k.doc + (' [' + '; '.join(extras) + ']' if extras else '')
        entries.append((k.name, entry_lines(k.name, text)))
    entries += [(name, entry_lines(name, doc)) for name, doc in PREFIX_DOCS]
    return entries


def doc_lines():
    """The key documentation, as the header of tests/boot/cases carries it."""
    return [line for _, lines in doc_entries() for line in lines]


def header_lines(path):
    """The lines of a cases file before its first case, trailing blanks stripped."""
    header = []
    with open(path) as f:
        for raw in f:
            if raw.strip() == 'case' or raw.strip().startswith('case '):
                break
            header.append(raw.rstrip())
    return header


def check_docs(path):
    """Problems with the key documentation in the header of the cases file path: every
    key and host prefix of the table has its lines there, word for word, and every
    '#   NAME  ...' line there documents a key or prefix of the table."""
    header = header_lines(path)
    problems = []
    for name, lines in doc_entries():
        if not any(header[i:i + len(lines)] == lines for i in range(len(header))):
            problems.append(f'{path}: "{name}" is not documented as the table in '
                            f'tests/boot/run.py says; want:\n' + '\n'.join(lines))
    names = {name for name, _ in doc_entries()}
    for i, line in enumerate(header, 1):
        m = re.match(r'#   (\S+)', line)
        if m and m.group(1) not in names:
            problems.append(f'{path}:{i}: documents "{m.group(1)}", which is not a key '
                            f'of the table in tests/boot/run.py')
    return problems


def pool_segment(elf):
    """(address, size) of the ELF's PT_LOAD segment with no file bytes (linker.ld's .pool)."""
    out = subprocess.run(['readelf', '-lW', elf], capture_output=True, text=True, check=True).stdout
    for m in re.finditer(r'^\s*LOAD\s+0x[0-9a-f]+\s+0x[0-9a-f]+\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)',
                         out, re.M):
        paddr, filesz, memsz = (int(g, 16) for g in m.groups())
        if filesz == 0 and memsz:
            return paddr, memsz
    raise RuntimeError(f'{elf}: no PT_LOAD segment without file bytes (readelf -lW)')


def pool_fill_args(elf, byte, work):
    """QEMU arguments that write byte over the pool segment (the pool-fill key)."""
    addr, size = pool_segment(elf)
    path = os.path.join(work, 'pool-fill.bin')
    with open(path, 'wb') as f:
        f.write(bytes([byte]) * size)
    return ['-device', f'loader,file={path},addr={addr:#x},force-raw=on']


class Runner:
    def __init__(self, args):
        self.args = args
        args.iso, args.elf = os.path.abspath(args.iso), os.path.abspath(args.elf)
        args.efi = os.path.abspath(getattr(args, 'efi', None) or
                                   os.path.join(os.path.dirname(args.elf), 'vmxprobe.efi'))
        args.netboot = getattr(args, 'netboot', None) and os.path.abspath(args.netboot)
        self.out = os.path.abspath(args.out)
        os.makedirs(os.path.join(self.out, 'logs'), exist_ok=True)
        os.makedirs(os.path.join(self.out, 'iso'), exist_ok=True)
        self.lock_path = os.path.join(self.out, '.build.lock')

    # --- What to boot ---------------------------------------------------------------

    @contextlib.contextmanager
    def build_lock(self):
        """One build at a time across threads and processes (pytest-xdist workers): cases
        sharing a command line or make variables share an ISO or a kernel."""
        with open(self.lock_path, 'w') as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            yield

    def elf_for(self, case):
        """The kernel, or a variant built with the case's make variables (e.g. MAX_CPUS=4)."""
        if 'make' not in case:
            return self.args.elf
        variables = case['make'].split()
        out = os.path.join(self.out, 'variants',
                           hashlib.sha256(' '.join(variables).encode()).hexdigest()[:12])
        elf = os.path.join(out, 'vmxprobe.elf')
        with self.build_lock():
            subprocess.run(['make', '-s', '-C', ROOT, f'BUILD={out}', *variables, elf],
                           check=True, stdout=subprocess.DEVNULL)
        return elf

    def iso_for(self, case):
        """The user's ISO when the case has no command line, GRUB commands or build of its own."""
        cmdline, pre = setting(case, 'cmdline'), case['grub-pre']
        if setting(case, 'media') == 'direct':
            return self.elf_for(case)       # PVH direct boot: QEMU loads the ELF itself
        if setting(case, 'media') in ('esp', 'esp-shim'):
            return self.media_esp(case)
        if setting(case, 'pool-fill') is not None:
            raise ValueError('pool-fill needs media direct (it writes over the ELF\'s pool segment)')
        if setting(case, 'media') == 'netboot':
            if cmdline or pre or 'make' in case:
                raise ValueError('media netboot boots make netboot\'s tree as it is: '
                                 'no cmdline, grub-pre or make')
            if not self.args.netboot:
                raise ValueError('media netboot needs --netboot DIR (make netboot)')
            return self.args.netboot        # the TFTP root
        if not cmdline and not pre and 'make' not in case:
            return self.args.iso
        cfg = self.grub_preamble() + 'menuentry "vmxprobe test" {\n'
        cfg += ''.join(f'\t{p}\n' for p in pre)
        cfg += f'\tvmxprobe {cmdline}\n}}\n'
        elf = self.elf_for(case)
        with open(elf, 'rb') as f:
            key = hashlib.sha256(f.read() + cfg.encode()).hexdigest()[:16]
        iso = os.path.join(self.out, 'iso', key + '.iso')
        with self.build_lock():
            if not os.path.exists(iso):
                self.build_iso(elf, cfg, iso)
        return iso

    def efi_for(self, case):
        """vmxprobe.efi, or a variant built with the case's make variables."""
        if 'make' not in case:
            return self.args.efi
        elf = self.elf_for(case)
        efi = os.path.join(os.path.dirname(elf), 'vmxprobe.efi')
        with self.build_lock():
            subprocess.run(['make', '-s', '-C', ROOT, f'BUILD={os.path.dirname(elf)}',
                            *case['make'].split(), efi], check=True, stdout=subprocess.DEVNULL)
        return efi

    def keys(self):
        """The runner's own key pairs {name: (key, certificate)}: test and other, made
        with openssl once per output directory (never a key from the repository), and
        snakeoil, Debian's, without its passphrase."""
        d = os.path.join(self.out, 'keys')
        pairs = {n: (os.path.join(d, n + '.key'), os.path.join(d, n + '.pem'))
                 for n in ('test', 'other', 'snakeoil')}
        with self.build_lock():
            os.makedirs(d, exist_ok=True)
            for name in ('test', 'other'):
                key, cert = pairs[name]
                if not os.path.exists(cert):
                    subprocess.run(['openssl', 'req', '-new', '-x509', '-newkey', 'rsa:2048',
                                    '-nodes', '-days', '3650', '-sha256',
                                    '-subj', f'/CN=vmxprobe {name} key (tests only)/',
                                    '-keyout', key, '-out', cert],
                                   check=True, capture_output=True)
            key, cert = pairs['snakeoil']
            if not os.path.exists(key):
                subprocess.run(['openssl', 'rsa', '-in', SNAKEOIL_KEY, '-passin',
                                f'pass:{SNAKEOIL_PASS}', '-out', key],
                               check=True, capture_output=True)
                shutil.copyfile(SNAKEOIL_CERT, cert)
        return pairs

    def media_esp(self, case):
        """A disk image with an EFI System Partition (iso/mkesp.sh) holding vmxprobe.efi,
        signed as the case says; made per case (a fraction of a second)."""
        efi, who = self.efi_for(case), setting(case, 'sign')
        d = os.path.join(self.out, 'esp')
        os.makedirs(d, exist_ok=True)
        app = os.path.join(d, case['name'] + '.efi')
        if who == 'none':
            shutil.copyfile(efi, app)
        else:
            key, cert = self.keys()[who]
            subprocess.run(['sbsign', '--key', key, '--cert', cert, '--output', app, efi],
                           check=True, capture_output=True)
        img = os.path.join(d, case['name'] + '.img')
        opts = []
        if setting(case, 'media') == 'esp-shim':
            if setting(case, 'cmdline'):
                raise ValueError('media esp-shim takes no cmdline (shim passes none)')
            opts = ['--shim', self.keys()['test'][1]]
        elif setting(case, 'cmdline'):
            opts = ['--startup', setting(case, 'cmdline')]
        subprocess.run(['bash', os.path.join(ROOT, 'iso', 'mkesp.sh'), *opts, img, app],
                       check=True)
        return img

    @staticmethod
    def grub_preamble():
        """iso/grub.cfg up to its end-of-preamble marker: the same video set-up."""
        with open(os.path.join(ROOT, 'iso', 'grub.cfg')) as f:
            text = f.read()
        return text.split('# --- end of preamble')[0]

    def build_iso(self, elf, cfg, iso):
        with tempfile.NamedTemporaryFile('w', suffix='.cfg', delete=False) as t:
            t.write(cfg)
        try:
            # The GRUB commands cases use (grub-pre) are only in test ISOs.
            env = dict(os.environ, TEST_MODULES='wrmsr multiboot')
            efi = os.path.join(os.path.dirname(elf), 'vmxprobe.efi')
            if os.path.exists(efi):     # the menu's chainloader entry under UEFI
                env['EFI_APP'] = efi
            subprocess.run(['bash', os.path.join(ROOT, 'iso', 'mkiso.sh'), elf,
                            iso + '.tmp', t.name], check=True, env=env)
            os.rename(iso + '.tmp', iso)
        finally:
            os.unlink(t.name)

    # --- Emulator command lines -----------------------------------------------------

    def kvm_unusable(self):
        if not os.path.exists('/dev/kvm'):
            return '/dev/kvm does not exist'
        try:
            os.close(os.open('/dev/kvm', os.O_RDWR))
        except OSError as e:
            return f'/dev/kvm cannot be opened: {e.strerror}'
        return None

    def emulator_cmd(self, case, iso, log, work):
        """The emulator's command line and environment (None: inherit) for the case."""
        if case['emulator'] == 'bochs':
            return self.bochs_cmd(case, iso, log, work)
        return self.qemu_cmd(case, iso, log, work)

    def qemu_cmd(self, case, iso, log, work):
        serial = {'com1': ['-serial', f'file:{log}'],
                  'com2': ['-serial', 'null', '-serial', f'file:{log}'],
                  'none': ['-serial', 'none']}[setting(case, 'serial')]
        media = {'cdrom': ['-cdrom', iso, '-boot', 'd'],
                 # A USB stick: the same ISO as a raw disk on an xHCI controller.
                 'usb': ['-device', 'qemu-xhci', '-drive',
                         f'if=none,id=stick,format=raw,readonly=on,file={iso}',
                         '-device', 'usb-storage,drive=stick,bootindex=0'],
                 # PVH direct boot (issue 13): iso is the ELF here (see iso_for()).
                 'direct': ['-kernel', iso, '-append', setting(case, 'cmdline')],
                 # PXE: QEMU's DHCP hands out the platform's GRUB core image from the
                 # TFTP root iso (make netboot); the e1000's ROM (ipxe-qemu) does PXE.
                 'netboot': ['-netdev', f'user,id=net0,tftp={iso},bootfile={NETBOOT_FILE.get(setting(case, "firmware"), "")}',
                             '-device', 'e1000,netdev=net0', '-boot', 'n'],
                 # An EFI System Partition (iso is the disk image: media_esp()); no NIC,
                 # so a refused image does not leave OVMF trying PXE.
                 'esp': ['-drive', f'format=raw,file={iso}', '-nic', 'none'],
                 'esp-shim': ['-drive', f'format=raw,file={iso}', '-nic', 'none'],
                 }[setting(case, 'media')]
        cmd = ['qemu-system-x86_64', '-display', 'none', '-no-reboot', *serial,
               '-m', setting(case, 'mem'), '-smp', setting(case, 'smp'),
               '-M', setting(case, 'machine'), *media]
        if setting(case, 'debug-exit') == 'yes':
            cmd += ['-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04']
        accel = 'kvm' if case['emulator'] == 'qemu-kvm' else 'tcg'
        cmd += ['-accel', accel, '-cpu', setting(case, 'cpu')]
        if setting(case, 'firmware') == 'uefi':
            cmd += ['-bios', OVMF]
        if setting(case, 'firmware') in OVMF_PFLASH:
            code, template = OVMF_PFLASH[setting(case, 'firmware')]
            vars_copy = os.path.join(work, 'OVMF_VARS.fd')
            if setting(case, 'mok') == 'test':
                subprocess.run([sys.executable, VARSTORE, 'add-mok', '--vars', template,
                                '--out', vars_copy, '--cert', self.keys()['test'][1]],
                               check=True, stdout=subprocess.DEVNULL)
            else:
                shutil.copyfile(template, vars_copy)
            cmd += ['-global', 'driver=cfi.pflash01,property=secure,value=on',
                    '-drive', f'if=pflash,format=raw,unit=0,readonly=on,file={code}',
                    '-drive', f'if=pflash,format=raw,unit=1,file={vars_copy}']
        if setting(case, 'pool-fill') is not None:
            cmd += pool_fill_args(iso, int(setting(case, 'pool-fill'), 16), work)
        cmd += setting(case, 'qemu-args').split()
        return cmd, None

    def bochs_cmd(self, case, iso, log, work):
        rc = os.path.join(work, 'bochsrc')
        with open(rc, 'w') as f:
            f.write(f'''megs: {setting(case, 'mem')}
romimage: file={BOCHS_BIOS[setting(case, 'firmware')]}
vgaromimage: file=/usr/share/vgabios/vgabios.bin
display_library: term
cpu: model={setting(case, 'cpu')}, count={setting(case, 'smp')}, ips=10000000, reset_on_triple_fault=0, ignore_bad_msrs=0
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-slave: type=cdrom, path={iso}, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev={log}
log: {os.path.join(work, 'bochs.log')}
panic: action=fatal
speaker: enabled=0
clock: sync=none, time0=local
''')
        cmds = os.path.join(work, 'cmds')
        with open(cmds, 'w') as f:
            f.write('c\nq\n')
        env = dict(os.environ, TERM='dumb')
        return ['bochs', '-q', '-f', rc, '-rc', cmds], env

    # --- Running a case -------------------------------------------------------------

    def run(self, case):
        """Run one case as parsed: (verdict, why, seconds)."""
        note = ''
        if case['emulator'] == 'qemu-kvm':
            why = self.kvm_unusable()
            if why:
                return 'SKIP', f'KVM not usable here: {why}', 0.0
        if any(k.startswith(HOST_PREFIXES) for k in case):
            gives, why = host_gives('vmx')
            gives_svm, why_svm = host_gives('svm')
            case = resolve_host_keys(case, gives, gives_svm)
            note = f' [host {"gives" if gives else "does not give"} the guest VMX: {why}; ' \
                   f'{"gives" if gives_svm else "does not give"} it SVM: {why_svm}]'
        verdict, why, secs = self.run_resolved(case)
        return verdict, (why + note).strip(), secs

    def run_resolved(self, case):
        """Run one case without host-vmx:/host-novmx: keys: boot it, then judge the log."""
        name, emu = case['name'], case['emulator']
        if setting(case, 'firmware') == 'uefi' and not os.path.exists(OVMF):
            return 'FAIL', f'{OVMF} missing (install the ovmf package)', 0.0
        if setting(case, 'firmware') in OVMF_PFLASH:
            for f in OVMF_PFLASH[setting(case, 'firmware')]:
                if not os.path.exists(f):
                    return 'FAIL', f'{f} missing (install the ovmf package)', 0.0
        iso = self.iso_for(case)
        log = os.path.join(self.out, 'logs', name + '.log')
        if os.path.exists(log):
            os.unlink(log)
        work = tempfile.mkdtemp(prefix='vmxprobe-case-')
        try:
            cmd, env = self.emulator_cmd(case, iso, log, work)
            limit = int(setting(case, 'timeout'))
            t0 = time.monotonic()
            status, emu_out, screen_problems = self.boot(case, cmd, env, log, work, limit)
            elapsed = time.monotonic() - t0
            if emu == 'bochs':
                self.keep_bochs_log(work, log)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        lines = self.read_log(log)
        problems = self.check(case, status, lines, limit, emu_out, log) + screen_problems
        if problems and emu == 'qemu-kvm' and status not in (None, 0) and not lines \
                and KVM_FAILED.search(emu_out):
            return 'SKIP', 'KVM not usable here: ' + emu_out.strip().splitlines()[-1], elapsed
        if problems:
            return 'FAIL', '; '.join(problems) + f' (log: {log})', elapsed
        return 'PASS', '', elapsed

    def boot(self, case, cmd, env, log, work, limit):
        """Run the emulator until it exits or the limit passes: (exit status, None on a
        timeout; what it printed; problems found while it ran: screen, monitor)."""
        if 'screen' in case:
            return self.run_screen(case, cmd, log, work, limit)
        if case['monitor']:
            return self.run_monitor(case, cmd, log, work, limit)
        try:
            p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=limit, env=env, cwd=work)
            return p.returncode, p.stdout.decode(errors='replace'), []
        except subprocess.TimeoutExpired as e:
            return None, (e.stdout or b'').decode(errors='replace'), []

    @staticmethod
    def keep_bochs_log(work, log):
        """Bochs's own log, next to the serial log as LOG.bochs."""
        if os.path.exists(os.path.join(work, 'bochs.log')):
            shutil.copy(os.path.join(work, 'bochs.log'), log + '.bochs')

    @staticmethod
    def read_bytes(path):
        """The file's bytes so far; nothing if it does not exist (yet)."""
        if not os.path.exists(path):
            return b''
        with open(path, 'rb') as f:
            return f.read()

    @staticmethod
    def read_log(log):
        """The serial log's non-blank lines, without ANSI escapes and carriage returns."""
        text = Runner.read_bytes(log).decode(errors='replace')
        lines = [ANSI.sub('', l).strip('\r') for l in text.replace('\r\n', '\n').split('\n')]
        return [l for l in lines if l.strip()]

    def run_monitor(self, case, cmd, log, work, limit):
        """Boot with a QEMU monitor; each "monitor REGEX => COMMAND" sends COMMAND once,
        as soon as a log line matches REGEX (e.g. an NMI from outside); then wait for
        QEMU to exit as usual. Returns its status (None on a timeout)."""
        todo = [tuple(m.split(' => ', 1)) for m in case['monitor']]
        proc, sock = start_with_monitor(cmd, work)
        deadline = time.monotonic() + limit
        problems, status, mon = [], None, None
        try:
            while time.monotonic() < deadline and proc.poll() is None:
                text = self.read_bytes(log).decode(errors='replace')
                for pat, command in list(todo):
                    if re.search(pat, text, re.M):
                        mon = mon or Monitor(sock)
                        mon.command(command)
                        todo.remove((pat, command))
                time.sleep(0.1)
            if proc.poll() is None:
                proc.kill()
            else:
                status = proc.returncode
            problems += [f'no log line matched /{pat}/: "{c}" was never sent' for pat, c in todo]
        except OSError as e:
            problems.append(f'monitor: {e!r}')
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            out = proc.stdout.read().decode(errors='replace')
        return status, out, problems

    def run_screen(self, case, cmd, log, work, limit):
        """Boot with a QEMU monitor; once the summary is on COM1 (the kernel then halts:
        these cases run without isa-debug-exit or with exit=halt), read the screen
        through the monitor, check it (screen.py), and quit QEMU."""
        proc, sock = start_with_monitor(cmd, work)
        deadline = time.monotonic() + limit
        problems, status = [], None
        try:
            while time.monotonic() < deadline and proc.poll() is None:
                if re.search(rb'vmxprobe: summary .*\r?\n', self.read_bytes(log)):
                    break
                time.sleep(0.2)
            if proc.poll() is not None:
                problems.append('QEMU exited before the screen could be read')
            elif time.monotonic() >= deadline:
                problems.append(f'no summary on COM1 within {limit} s')
            else:
                time.sleep(0.5)     # the screen is written right after the serial line
                mon = Monitor(sock)
                problems += screen.check_screen(case, mon, log)
                mon.command('quit')
            status = '-'
            proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired) as e:
            problems.append(f'monitor: {e!r}')
        finally:
            if proc.poll() is None:
                proc.kill()
            out = proc.stdout.read().decode(errors='replace')
        return status, out, problems

    # --- Judging the log --------------------------------------------------------------

    def check(self, case, status, lines, limit, emu_out, log):
        """Every problem with the run: exit status, result protocol, CPU and VMX lines,
        expected and rejected lines."""
        problems = self.check_status(setting(case, 'status'), status, limit, emu_out)
        if setting(case, 'protocol') == 'yes':
            problems += self.check_protocol(lines)
        if 'cpus' in case:
            problems += self.check_cpus(int(case['cpus']), lines)
        if 'vmx' in case:
            problems += self.check_vmx(int(case['vmx']), lines)
        if 'guest' in case:
            n, _, token = case['guest'].partition(' ')
            problems += self.check_guest(int(n), token.strip() or 'ok', lines)
        problems += self.check_patterns(case['expect'], case['reject'], lines)
        problems += self.check_reader(log, lines)
        return problems

    @staticmethod
    def check_reader(log, lines):
        """The results reader (tools/vmxprobe-log) judges the log as the kernel did: the
        summary's verdict with its exit status (0 PASS/SKIP, 1 FAIL), or, with no summary,
        INCOMPLETE and 2."""
        if not os.path.exists(log):
            return []                   # serial none: no log to read
        summaries = [m for m in map(SUMMARY.match, lines) if m]
        want = summaries[-1].group(1) if summaries else 'INCOMPLETE'
        p = subprocess.run([sys.executable, READER, log], capture_output=True, text=True,
                           timeout=120)
        last = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else p.stderr.strip()
        got = re.match(r'\S+: (\w+)', last)
        got = got.group(1) if got else '?'
        status = {'PASS': 0, 'SKIP': 0, 'FAIL': 1, 'INCOMPLETE': 2}[want]
        if got != want or p.returncode != status:
            return [f'tools/vmxprobe-log says {last!r} (exit {p.returncode}), '
                    f'expected {want} (exit {status})']
        return []

    @staticmethod
    def check_status(want, status, limit, emu_out):
        """The exit status (None: killed at the limit) against the case's "status"."""
        problems = []
        allowed = want.split('|')
        if status is None and 'timeout' not in allowed:
            problems.append(f'timed out after {limit} s')
        if want == 'timeout' and status is not None:
            problems.append(f'exit status {status}, expected the run to halt until the timeout')
        if status is not None and want not in ('-', 'timeout') and str(status) not in allowed:
            extra = ' (0 means a triple fault under -no-reboot)' if status == 0 else ''
            problems.append(f'exit status {status}, expected {want}{extra}')
            if emu_out.strip():
                problems.append('emulator said: ' + emu_out.strip().splitlines()[-1])
        return problems

    @staticmethod
    def check_protocol(lines):
        """The first vmxprobe: line is the version line, the last line the summary."""
        problems = []
        ours = [l for l in lines if l.startswith('vmxprobe:')]
        if not ours or not FIRST_LINE.match(ours[0]):
            problems.append('first vmxprobe: line is not the version line: '
                            + (repr(ours[0]) if ours else 'no vmxprobe: line at all'))
        if not lines or not SUMMARY.match(lines[-1]):
            problems.append('last line is not the summary: '
                            + (repr(lines[-1]) if lines else 'empty log'))
        # A rule's SKIP: line ends with its reason in parentheses: one that does
        # not was cut at the kernel's line limit (kernel/log.h LOG_LINE_MAX).
        cut = [l for l in lines if l.startswith('SKIP: selftest') and not l.endswith(')')]
        if cut:
            problems.append('a SKIP: line was cut short (%d in all): %r' % (len(cut), cut[0][:80]))
        return problems

    @staticmethod
    def check_patterns(expect, reject, lines):
        """Some line matches each expect regex; no line matches a reject regex."""
        problems = []
        for pat in expect:
            if not any(re.search(pat, l) for l in lines):
                problems.append(f'no line matches /{pat}/')
        for pat in reject:
            bad = [l for l in lines if re.search(pat, l)]
            if bad:
                problems.append(f'line matches rejected /{pat}/: {bad[0]!r}')
        return problems

    @staticmethod
    def check_cpus(n, lines):
        """Exactly n 'cpu:' lines, indexes 0..n-1, n distinct APIC IDs."""
        cpu = [CPU_LINE.match(l) for l in lines if l.startswith('cpu: ')]
        bad = [l for l, m in zip([l for l in lines if l.startswith('cpu: ')], cpu) if not m]
        if bad:
            return [f'malformed cpu: line {bad[0]!r}']
        idx = [int(m.group(1)) for m in cpu]
        apic = [int(m.group(2)) for m in cpu]
        problems = []
        if len(cpu) != n:
            problems.append(f'{len(cpu)} cpu: lines, expected {n}')
        if sorted(idx) != list(range(len(idx))) or idx != sorted(idx):
            problems.append(f'cpu: indexes are not 0..{len(idx) - 1} in order')
        if len(set(apic)) != len(apic):
            problems.append('cpu: lines repeat an APIC ID')
        return problems

    @staticmethod
    def check_guest(n, token, lines):
        """One 'guest: cpu=i ... result=TOKEN' line per CPU 0..n-1, in order; an ok guest
        made every exit of its program (CPUID, VMCALL, 1000 timed CPUIDs, HLT) and was timed."""
        res = [GUEST_LINE.match(l) for l in lines if l.startswith('guest: cpu=')]
        if not all(res):
            bad = [l for l in lines if l.startswith('guest: cpu=') and not GUEST_LINE.match(l)]
            return [f'malformed guest: line {bad[0]!r}']
        problems = []
        idx = [int(m.group(1)) for m in res]
        if idx != list(range(n)):
            problems.append(f'guest: lines for CPUs {idx}, expected 0..{n - 1} once each')
        for m in res:
            if m.group(2) != token:
                problems.append(f'guest: cpu={m.group(1)} result={m.group(2)}, expected {token}')
            elif token == 'ok' and (m.group(3) != '1003' or m.group(4) == '0' or m.group(5) == '0'):
                problems.append(f'guest: cpu={m.group(1)} ok but exits={m.group(3)} '
                                f'exit_cycles={m.group(4)} exit_cycles_min={m.group(5)}')
        return problems

    @staticmethod
    def check_vmx(n, lines):
        """One 'vmx: cpu=i ... result=' line per CPU 0..n-1, in order; every vmxon= page
        distinct, 4 KiB aligned and inside the pool the 'vmx: pool=' line names."""
        res = [VMX_LINE.match(l) for l in lines if VMX_LINE.match(l)]
        problems = []
        idx = [int(m.group(1)) for m in res]
        if idx != list(range(n)):
            problems.append(f'vmx: result lines for CPUs {idx}, expected 0..{n - 1} once each')
        pool = [POOL_LINE.match(l) for l in lines if POOL_LINE.match(l)]
        if len(pool) != 1:
            return problems + [f'{len(pool)} "vmx: pool=" lines, expected 1']
        lo, hi, used = int(pool[0].group(1), 16), int(pool[0].group(2), 16), int(pool[0].group(4))
        pages = [int(m.group(2), 16) for m in res if m.group(2)]
        if len(set(pages)) != len(pages):
            problems.append('two CPUs share a VMXON page')
        for p in pages:
            if p % 4096 or not lo <= p <= hi - 4095:
                problems.append(f'VMXON page 0x{p:x} is not a 4 KiB page inside the pool')
        if used != len(pages):
            problems.append(f'pool used={used} but {len(pages)} vmxon= pages were reported')
        return problems


def main():
    """The key documentation of a cases file: --print-docs, --check-docs. The cases run
    under pytest (tests/boot/test_boot.py)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('cases', nargs='?', help='a cases file (tests/boot/cases)')
    ap.add_argument('--check-docs', action='store_true',
                    help='check that the header of the cases file documents every key')
    ap.add_argument('--print-docs', action='store_true',
                    help='print the key documentation for the header of a cases file')
    args = ap.parse_args()
    if args.print_docs:
        print('\n'.join(doc_lines()))
        return 0
    if args.check_docs and args.cases:
        problems = check_docs(args.cases)
        print('\n'.join(problems) if problems
              else f'{args.cases}: every key of the table is documented')
        return 1 if problems else 0
    ap.error('give --print-docs, or --check-docs with a cases file; to run the cases: '
             'python3 -m pytest tests/boot --iso ISO --elf ELF [--netboot DIR] [-k NAME]')


if __name__ == '__main__':
    sys.exit(main())
