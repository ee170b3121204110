#!/usr/bin/env python3
"""Boot-test runner: reads cases (data) from a file and boots each in an emulator.

Each case names the emulator (qemu, qemu-kvm, bochs), firmware, machine, CPU count
and model, the kernel command line, the lines expected in the serial log and the
expected exit status. Every emulator runs under a timeout. For every case the
runner also checks the result protocol: the first "vmxprobe:" line is the version
line and the last line of the log is the summary line.

Ends with the line "N passed, N failed, N skipped"; exits 1 if any case failed.
"""
import argparse
import concurrent.futures
import hashlib
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

QUOTED = r'"(?:[^"\\]|\\.)*"'
FIRST_LINE = re.compile(r'^vmxprobe: version=\S+ firmware=(bios|uefi) bootloader=' + QUOTED
                        + r' cmdline=' + QUOTED + r'(?: truncated=(?:bootloader,cmdline|bootloader|cmdline))?$')
SUMMARY = re.compile(r'^vmxprobe: summary cpus=\d+/\d+ on=\d+ no-vmx=\d+ locked-off=\d+ '
                     r'failed=\d+ verdict=(PASS|FAIL|SKIP)$')
CPU_LINE = re.compile(r'^cpu: index=(\d+) apic=(\d+) online up_us=(\d+)$')
VMX_LINE = re.compile(r'^vmx: cpu=(\d+) apic=\d+ result=\S+(?: feat_ctl=0x[0-9a-f]+)?'
                      r'(?: revision=0x[0-9a-f]+)?(?: vmxon=0x([0-9a-f]+))?(?: error=\d+)?'
                      r'(?: vector=\d+)?(?: detail="(?:[^"\\]|\\.)*")?$')
POOL_LINE = re.compile(r'^vmx: pool=0x([0-9a-f]+)-0x([0-9a-f]+) pages=(\d+) used=(\d+)$')
ANSI = re.compile(r'\x1b\[[0-9;?]*[A-Za-z]')

DEFAULT_TIMEOUT = {'qemu': 60, 'qemu-kvm': 300, 'bochs': 150}
OVMF = '/usr/share/ovmf/OVMF.fd'
BOCHS_BIOS = {'bochs': '/usr/share/bochs/BIOS-bochs-latest',
              'seabios': '/usr/share/seabios/bios.bin'}
LIST_KEYS = {'expect', 'reject', 'grub-pre', 'screen-expect', 'monitor'}
SCALAR_KEYS = {'emulator', 'firmware', 'machine', 'smp', 'cpu', 'cmdline', 'status', 'timeout',
               'mem', 'qemu-args', 'serial', 'protocol', 'cpus', 'vmx', 'media', 'screen',
               'debug-exit', 'make'}
# "host-vmx:KEY VALUE" applies where KVM guests get VMX from -cpu host, "host-novmx:KEY VALUE"
# where they do not (see host_gives_vmx()): the KVM cases expect what the host offers.
HOST_PREFIXES = ('host-vmx:', 'host-novmx:')


def host_gives_vmx():
    """Does -accel kvm -cpu host give the guest VMX here? Only on an Intel host with
    VMX (/proc/cpuinfo) and kvm_intel's nested virtualization on. Returns (bool, why)."""
    try:
        with open('/proc/cpuinfo') as f:
            flags = next((l.split(':', 1)[1].split() for l in f if l.startswith('flags')), [])
    except OSError as e:
        return False, f'/proc/cpuinfo unreadable: {e.strerror}'
    if 'vmx' not in flags:
        return False, 'the host CPU has no VMX flag'
    try:
        with open('/sys/module/kvm_intel/parameters/nested') as f:
            nested = f.read().strip()
    except OSError:
        return False, 'kvm_intel is not loaded'
    if nested not in ('Y', '1'):
        return False, f'kvm_intel nested={nested}'
    return True, 'host has VMX and kvm_intel nested=Y'


def resolve_host_keys(case, gives_vmx):
    """Fold the host-vmx:/host-novmx: keys of a case into its plain keys."""
    out = {k: (list(v) if isinstance(v, list) else v) for k, v in case.items()
           if not k.startswith(HOST_PREFIXES)}
    want = 'host-vmx:' if gives_vmx else 'host-novmx:'
    for k, v in case.items():
        if k.startswith(want):
            key = k[len(want):]
            if key in LIST_KEYS:
                out[key] = out[key] + v
            else:
                out[key] = v
    return out
# Screen colours of the summary line, by verdict (lib/textcon.c): EGA attribute, RGB background.
VERDICT_ATTR = {'PASS': 0xa0, 'SKIP': 0xe0, 'FAIL': 0x4f}
VERDICT_BG = {'PASS': (0x55, 0xff, 0x55), 'SKIP': (0xff, 0xff, 0x55), 'FAIL': (0xaa, 0x00, 0x00)}


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
            elif cur is None:
                sys.exit(f'{path}:{n}: "{key}" before the first "case"')
            elif base in LIST_KEYS:
                cur.setdefault(key, []).append(val)
            elif base in SCALAR_KEYS:
                cur[key] = val
            else:
                sys.exit(f'{path}:{n}: unknown key "{key}"')
            if base == 'monitor' and ' => ' not in val:
                sys.exit(f'{path}:{n}: monitor wants "REGEX => COMMAND"')
    for c in cases:
        if c.get('emulator') not in DEFAULT_TIMEOUT:
            sys.exit(f'{path}:{c["line"]}: case {c["name"]}: emulator must be one of '
                     + ', '.join(DEFAULT_TIMEOUT))
    return cases


class Runner:
    def __init__(self, args):
        self.args = args
        args.iso, args.elf = os.path.abspath(args.iso), os.path.abspath(args.elf)
        self.out = os.path.abspath(args.out)
        os.makedirs(os.path.join(self.out, 'logs'), exist_ok=True)
        os.makedirs(os.path.join(self.out, 'iso'), exist_ok=True)
        self.iso_lock = threading.Lock()    # cases sharing a command line share an ISO

    def elf_for(self, case):
        """The kernel, or a variant built with the case's make variables (e.g. MAX_CPUS=4)."""
        if 'make' not in case:
            return self.args.elf
        variables = case['make'].split()
        out = os.path.join(self.out, 'variants',
                           hashlib.sha256(' '.join(variables).encode()).hexdigest()[:12])
        elf = os.path.join(out, 'vmxprobe.elf')
        with self.iso_lock:
            subprocess.run(['make', '-s', '-C', ROOT, f'BUILD={out}', *variables, elf],
                           check=True, stdout=subprocess.DEVNULL)
        return elf

    def iso_for(self, case):
        """The user's ISO when the case has no command line, GRUB commands or build of its own."""
        cmdline, pre = case.get('cmdline', ''), case['grub-pre']
        if not cmdline and not pre and 'make' not in case:
            return self.args.iso
        cfg = self.grub_preamble() + 'menuentry "vmxprobe test" {\n'
        cfg += ''.join(f'\t{p}\n' for p in pre)
        cfg += f'\tvmxprobe {cmdline}\n}}\n'
        elf = self.elf_for(case)
        with open(elf, 'rb') as f:
            key = hashlib.sha256(f.read() + cfg.encode()).hexdigest()[:16]
        iso = os.path.join(self.out, 'iso', key + '.iso')
        with self.iso_lock:
            if not os.path.exists(iso):
                self.build_iso(elf, cfg, iso)
        return iso

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
            subprocess.run(['bash', os.path.join(ROOT, 'iso', 'mkiso.sh'), elf,
                            iso + '.tmp', t.name], check=True)
            os.rename(iso + '.tmp', iso)
        finally:
            os.unlink(t.name)

    def kvm_unusable(self):
        if not os.path.exists('/dev/kvm'):
            return '/dev/kvm does not exist'
        try:
            os.close(os.open('/dev/kvm', os.O_RDWR))
        except OSError as e:
            return f'/dev/kvm cannot be opened: {e.strerror}'
        return None

    def qemu_cmd(self, case, iso, log):
        serial = {'com1': ['-serial', f'file:{log}'],
                  'com2': ['-serial', 'null', '-serial', f'file:{log}'],
                  'none': ['-serial', 'none']}[case.get('serial', 'com1')]
        media = {'cdrom': ['-cdrom', iso, '-boot', 'd'],
                 # A USB stick: the same ISO as a raw disk on an xHCI controller.
                 'usb': ['-device', 'qemu-xhci', '-drive',
                         f'if=none,id=stick,format=raw,readonly=on,file={iso}',
                         '-device', 'usb-storage,drive=stick,bootindex=0']}[case.get('media', 'cdrom')]
        cmd = ['qemu-system-x86_64', '-display', 'none', '-no-reboot', *serial,
               '-m', case.get('mem', '512'), '-smp', case.get('smp', '1'),
               '-M', case.get('machine', 'pc'), *media]
        if case.get('debug-exit', 'yes') == 'yes':
            cmd += ['-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04']
        if case['emulator'] == 'qemu-kvm':
            cmd += ['-accel', 'kvm', '-cpu', case.get('cpu', 'host,-arch-capabilities')]
        else:
            cmd += ['-accel', 'tcg', '-cpu', case.get('cpu', 'max')]
        if case.get('firmware', 'bios') == 'uefi':
            cmd += ['-bios', OVMF]
        cmd += case.get('qemu-args', '').split()
        return cmd, None

    def bochs_cmd(self, case, iso, log, work):
        rc = os.path.join(work, 'bochsrc')
        with open(rc, 'w') as f:
            f.write(f'''megs: {case.get('mem', '512')}
romimage: file={BOCHS_BIOS[case.get('firmware', 'bochs')]}
vgaromimage: file=/usr/share/vgabios/vgabios.bin
display_library: term
cpu: model={case.get('cpu', 'corei7_skylake_x')}, count={case.get('smp', '1')}, ips=10000000, reset_on_triple_fault=0, ignore_bad_msrs=0
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

    def run(self, case):
        name, emu = case['name'], case['emulator']
        note = ''
        if emu == 'qemu-kvm':
            why = self.kvm_unusable()
            if why:
                return 'SKIP', f'KVM not usable here: {why}', 0.0
        if any(k.startswith(HOST_PREFIXES) for k in case):
            gives, why = host_gives_vmx()
            case = resolve_host_keys(case, gives)
            note = f' [host {"gives" if gives else "does not give"} the guest VMX: {why}]'
        verdict, why, secs = self.run_resolved(case)
        return verdict, why + note if why or note else '', secs

    def run_resolved(self, case):
        name, emu = case['name'], case['emulator']
        if case.get('firmware') == 'uefi' and not os.path.exists(OVMF):
            return 'FAIL', f'{OVMF} missing (install the ovmf package)', 0.0
        iso = self.iso_for(case)
        log = os.path.join(self.out, 'logs', name + '.log')
        if os.path.exists(log):
            os.unlink(log)
        work = tempfile.mkdtemp(prefix='vmxprobe-case-')
        try:
            if emu == 'bochs':
                cmd, env = self.bochs_cmd(case, iso, log, work)
            else:
                cmd, env = self.qemu_cmd(case, iso, log)
            limit = int(case.get('timeout', DEFAULT_TIMEOUT[emu]))
            t0 = time.monotonic()
            screen_problems = []
            if 'screen' in case:
                status, emu_out, screen_problems = self.run_screen(case, cmd, log, work, limit)
            elif case['monitor']:
                status, emu_out, screen_problems = self.run_monitor(case, cmd, log, work, limit)
            else:
                try:
                    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, timeout=limit, env=env, cwd=work)
                    status, emu_out = p.returncode, p.stdout.decode(errors='replace')
                except subprocess.TimeoutExpired as e:
                    status, emu_out = None, (e.stdout or b'').decode(errors='replace')
            elapsed = time.monotonic() - t0
            if emu == 'bochs':
                shutil.copy(os.path.join(work, 'bochs.log'), log + '.bochs') \
                    if os.path.exists(os.path.join(work, 'bochs.log')) else None
        finally:
            shutil.rmtree(work, ignore_errors=True)
        text = ''
        if os.path.exists(log):
            with open(log, 'rb') as f:
                text = f.read().decode(errors='replace')
        lines = [ANSI.sub('', l).strip('\r') for l in text.replace('\r\n', '\n').split('\n')]
        lines = [l for l in lines if l.strip()]
        problems = self.check(case, status, lines, limit, emu_out) + screen_problems
        if problems and emu == 'qemu-kvm' and status not in (None, 0) and not lines \
                and re.search(r'Could not access KVM|failed to initialize kvm', emu_out):
            return 'SKIP', 'KVM not usable here: ' + emu_out.strip().splitlines()[-1], elapsed
        if problems:
            return 'FAIL', '; '.join(problems) + f' (log: {log})', elapsed
        return 'PASS', '', elapsed

    def check(self, case, status, lines, limit, emu_out):
        problems = []
        want = case.get('status', '-')
        if status is None and 'timeout' not in want.split('|'):
            problems.append(f'timed out after {limit} s')
        if want == 'timeout' and status is not None:
            problems.append(f'exit status {status}, expected the run to halt until the timeout')
        if status is not None and want not in ('-', 'timeout') and str(status) not in want.split('|'):
            extra = ' (0 means a triple fault under -no-reboot)' if status == 0 else ''
            problems.append(f'exit status {status}, expected {want}{extra}')
            if emu_out.strip():
                problems.append('emulator said: ' + emu_out.strip().splitlines()[-1])
        ours = [l for l in lines if l.startswith('vmxprobe:')]
        if case.get('protocol', 'yes') == 'yes':
            if not ours or not FIRST_LINE.match(ours[0]):
                problems.append('first vmxprobe: line is not the version line: '
                                + (repr(ours[0]) if ours else 'no vmxprobe: line at all'))
            if not lines or not SUMMARY.match(lines[-1]):
                problems.append('last line is not the summary: '
                                + (repr(lines[-1]) if lines else 'empty log'))
        if 'cpus' in case:
            problems += self.check_cpus(int(case['cpus']), lines)
        if 'vmx' in case:
            problems += self.check_vmx(int(case['vmx']), lines)
        for pat in case['expect']:
            if not any(re.search(pat, l) for l in lines):
                problems.append(f'no line matches /{pat}/')
        for pat in case['reject']:
            bad = [l for l in lines if re.search(pat, l)]
            if bad:
                problems.append(f'line matches rejected /{pat}/: {bad[0]!r}')
        return problems


    def run_monitor(self, case, cmd, log, work, limit):
        """Boot with a QEMU monitor; each "monitor REGEX => COMMAND" sends COMMAND once,
        as soon as a log line matches REGEX (e.g. an NMI from outside); then wait for
        QEMU to exit as usual. Returns its status (None on a timeout)."""
        sock = os.path.join(work, 'monitor.sock')
        todo = [tuple(m.split(' => ', 1)) for m in case['monitor']]
        proc = subprocess.Popen(cmd + ['-monitor', f'unix:{sock},server=on,wait=off'],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, cwd=work)
        deadline = time.monotonic() + limit
        problems, status, mon = [], None, None
        try:
            while time.monotonic() < deadline and proc.poll() is None:
                text = open(log, 'rb').read().decode(errors='replace') if os.path.exists(log) else ''
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
        through the monitor, check it, and quit QEMU."""
        sock = os.path.join(work, 'monitor.sock')
        proc = subprocess.Popen(cmd + ['-monitor', f'unix:{sock},server=on,wait=off'],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, cwd=work)
        deadline = time.monotonic() + limit
        problems, status = [], None
        try:
            while time.monotonic() < deadline and proc.poll() is None:
                if os.path.exists(log) and re.search(rb'vmxprobe: summary .*\r?\n',
                                                     open(log, 'rb').read()):
                    break
                time.sleep(0.2)
            if proc.poll() is not None:
                problems.append('QEMU exited before the screen could be read')
            elif time.monotonic() >= deadline:
                problems.append(f'no summary on COM1 within {limit} s')
            else:
                time.sleep(0.5)     # the screen is written right after the serial line
                mon = Monitor(sock)
                if case['screen'].startswith('text'):
                    problems += self.check_text_screen(case, mon, log)
                else:
                    problems += self.check_fb_screen(case, mon, log)
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

    @staticmethod
    def check_text_screen(case, mon, log):
        """Read the EGA text buffer at 0xB8000 (80x25 cells of character, attribute)."""
        out = mon.command('xp /2000hx 0xb8000')
        words = [int(w, 16) for line in re.findall(r'^[0-9a-f]{8,16}: (.*)$', out, re.M)
                 for w in re.findall(r'0x([0-9a-f]{4})\b', line)]
        if len(words) != 2000:
            return [f'read {len(words)} text cells at 0xb8000, expected 2000']
        rows = [''.join(chr(w & 0xff) if 32 <= (w & 0xff) < 127 else ' '
                        for w in words[r * 80:(r + 1) * 80]).rstrip() for r in range(25)]
        attrs = [[w >> 8 for w in words[r * 80:(r + 1) * 80]] for r in range(25)]
        with open(log + '.screen.txt', 'w') as f:
            f.write('\n'.join(rows) + '\n')
        problems = []
        for pat in case['screen-expect']:
            if not any(re.search(pat, r) for r in rows):
                problems.append(f'no screen row matches /{pat}/ (screen: {log}.screen.txt)')
        summary = [i for i, r in enumerate(rows) if r.startswith('vmxprobe: summary')]
        if not summary:
            problems.append('no summary row on the screen')
        else:
            i = summary[-1]
            verdict = re.search(r'verdict=(\w+)', rows[i])
            if verdict and attrs[i][0] != VERDICT_ATTR.get(verdict.group(1)):
                problems.append(f'summary row attribute 0x{attrs[i][0]:02x}, expected '
                                f'0x{VERDICT_ATTR.get(verdict.group(1), 0):02x}')
        return problems

    @staticmethod
    def check_fb_screen(case, mon, log):
        """screendump the framebuffer: not blank, and the verdict's colour bar is there."""
        ppm = log + '.screen.ppm'
        mon.command(f'screendump {ppm}')
        for _ in range(50):
            if os.path.exists(ppm) and os.path.getsize(ppm) > 0:
                break
            time.sleep(0.1)
        try:
            w, h, pix = read_ppm(ppm)
        except (OSError, ValueError) as e:
            return [f'screendump unreadable: {e}']
        write_png(log + '.screen.png', w, h, pix)
        colours = {}
        for i in range(0, len(pix), 3):
            c = pix[i:i + 3]
            colours[c] = colours.get(c, 0) + 1
        problems = []
        lit = sum(n for c, n in colours.items() if c != b'\0\0\0')
        if len(colours) < 2 or lit < 1000:
            problems.append(f'the screen is blank ({len(colours)} colours, {lit} lit pixels; '
                            f'{log}.screen.png)')
        want = case['screen'].split(':')[1] if ':' in case['screen'] else None
        if want:
            bar = colours.get(bytes(VERDICT_BG[want]), 0)
            if bar < 8 * 16 * 10:
                problems.append(f'only {bar} pixels of the {want} colour: no verdict bar '
                                f'({log}.screen.png)')
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


class Monitor:
    """A QEMU human monitor on a Unix socket."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.settimeout(10)
        for _ in range(50):
            try:
                self.s.connect(path)
                break
            except OSError:
                time.sleep(0.1)
        self.read_prompt()

    def read_prompt(self):
        buf = b''
        while not buf.endswith(b'(qemu) '):
            chunk = self.s.recv(65536)
            if not chunk:
                break
            buf += chunk
        return buf.decode(errors='replace')

    def command(self, cmd):
        self.s.sendall(cmd.encode() + b'\n')
        if cmd == 'quit':
            return ''
        return self.read_prompt()


def read_ppm(path):
    data = open(path, 'rb').read()
    m = re.match(rb'P6\s+(\d+)\s+(\d+)\s+255\s', data)
    if not m:
        raise ValueError('not a binary PPM')
    w, h = int(m.group(1)), int(m.group(2))
    pix = data[m.end():m.end() + w * h * 3]
    if len(pix) != w * h * 3:
        raise ValueError('short PPM')
    return w, h, pix


def write_png(path, w, h, pix):
    """The screendump as a PNG artefact (stdlib only)."""
    raw = b''.join(b'\0' + pix[y * w * 3:(y + 1) * w * 3] for y in range(h))

    def chunk(tag, body):
        return (struct.pack('>I', len(body)) + tag + body
                + struct.pack('>I', zlib.crc32(tag + body) & 0xffffffff))
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
                + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('cases')
    ap.add_argument('--iso', required=True)
    ap.add_argument('--elf', required=True)
    ap.add_argument('--out', default=os.path.join(ROOT, 'build', 'test'))
    ap.add_argument('--only', help='run only cases whose name matches this regex')
    ap.add_argument('--jobs', type=int, default=min(2, os.cpu_count() or 1))
    args = ap.parse_args()
    cases = parse_cases(args.cases)
    if args.only:
        cases = [c for c in cases if re.search(args.only, c['name'])]
    runner = Runner(args)
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futs = {pool.submit(runner.run, c): c for c in cases}
        for fut in concurrent.futures.as_completed(futs):
            c = futs[fut]
            try:
                verdict, why, secs = fut.result()
            except Exception as e:  # a runner bug is a failure, not a crash
                verdict, why, secs = 'FAIL', f'runner error: {e!r}', 0.0
            results[c['name']] = verdict
            print(f'{verdict}: boot/{c["name"]} ({secs:.1f}s)' + (f': {why}' if why else ''),
                  flush=True)
    n = {v: sum(1 for r in results.values() if r == v) for v in ('PASS', 'FAIL', 'SKIP')}
    print(f'{n["PASS"]} passed, {n["FAIL"]} failed, {n["SKIP"]} skipped')
    return 1 if n['FAIL'] or not results else 0


if __name__ == '__main__':
    sys.exit(main())
