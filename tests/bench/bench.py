#!/usr/bin/env python3
"""Bring-up benchmark (a script, not a test): QEMU TCG at several CPU counts and both
smp.delay policies. For each it prints the kernel's bringup_us, the slowest up_us and
the QEMU process's wall time, each the median of --runs boots; then the kernel's and
the ISO's sizes. Numbers are measurements, never assertions.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'boot'))
import run as bootrun  # noqa: E402  (the boot-test runner's ISO builder)

SMP = [1, 2, 4, 8, 16, 64, 128, 255]
POLICIES = ['sdm', 'modern']


def boot(iso, smp, timeout):
    with tempfile.TemporaryDirectory() as work:
        log = os.path.join(work, 'serial.log')
        cmd = ['qemu-system-x86_64', '-accel', 'tcg', '-cpu', 'max', '-M', 'pc',
               '-smp', str(smp), '-m', '1024', '-display', 'none', '-no-reboot',
               '-serial', f'file:{log}', '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
               '-cdrom', iso, '-boot', 'd']
        t0 = time.monotonic()
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=timeout)
        wall = time.monotonic() - t0
        text = open(log, errors='replace').read()
    m = re.search(r'^smp: .* online=(\d+) bringup_us=(\d+)', text, re.M)
    ups = [int(u) for u in re.findall(r'^cpu: index=\d+ apic=\d+ online up_us=(\d+)', text, re.M)]
    if p.returncode not in (1, 77) or not m or int(m.group(1)) != smp:
        raise RuntimeError(f'-smp {smp}: status {p.returncode}, smp line {m and m.group(0)!r}')
    return int(m.group(2)), max(ups) if ups else 0, wall


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--iso', required=True)
    ap.add_argument('--elf', required=True)
    ap.add_argument('--runs', type=int, default=int(os.environ.get('BENCH_RUNS', 3)))
    ap.add_argument('--smp', default=','.join(map(str, SMP)))
    ap.add_argument('--timeout', type=int, default=300)
    args = ap.parse_args()
    runner = bootrun.Runner(argparse.Namespace(
        iso=args.iso, elf=args.elf, out=os.path.join(bootrun.ROOT, 'build', 'bench')))
    isos = {'sdm': os.path.abspath(args.iso),
            'modern': runner.iso_for({'cmdline': 'smp.delay=modern', 'grub-pre': []})}

    print(f'QEMU TCG, pc, -cpu max, median of {args.runs} boots\n')
    print('| -smp | smp.delay | bringup_us | slowest up_us | QEMU wall s |')
    print('| ---: | --- | ---: | ---: | ---: |')
    for smp in [int(s) for s in args.smp.split(',')]:
        for pol in POLICIES:
            res = [boot(isos[pol], smp, args.timeout) for _ in range(args.runs)]
            med = [statistics.median(col) for col in zip(*res)]
            print(f'| {smp} | {pol} | {med[0]:.0f} | {med[1]:.0f} | {med[2]:.2f} |', flush=True)

    sizes = subprocess.run(['size', args.elf], capture_output=True, text=True).stdout.split('\n')[1].split()
    print(f'\nkernel: {os.path.getsize(args.elf)} bytes on disk (text {sizes[0]}, data {sizes[1]}, '
          f'bss {sizes[2]}); ISO: {os.path.getsize(args.iso)} bytes')
    return 0


if __name__ == '__main__':
    sys.exit(main())
