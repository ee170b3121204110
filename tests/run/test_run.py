# SPDX-License-Identifier: MIT
"""iso/run.sh and `make run`: the verdict comes from the serial log, never from
QEMU's exit status alone (QEMU's own errors exit 1, as a PASS through isa-debug-exit
does).

A fake QEMU (QEMU= in the environment) plays each way a run can end: QEMU refusing
to start, exiting 1 with no log, a real log then status 1 (PASS), 3 (FAIL), a forged
summary, a kernel that halts after its summary, one that hangs before it, a reset.
Then real boots with the real QEMU under TCG: `SMP=abc make run BOOT=direct`,
`APPEND=exit=halt make run BOOT=direct`, the ISO with APPEND=vmxcap=off, and BOOT=efi
with APPEND=vmxcap=off.
"""
import os
import re
import shlex
import shutil
import subprocess
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOGS = os.path.join(ROOT, 'tests', 'data', 'logs')
RUN = os.path.join(ROOT, 'iso', 'run.sh')

# The fake QEMU: writes the log named by FAKE_LOG to its standard output and to the
# chardev's logfile= (as QEMU's stdio chardev does), FAKE_ERR to standard error,
# then sleeps FAKE_SLEEP seconds and exits with FAKE_STATUS.
FAKE = r'''#!/usr/bin/env bash
logfile=
for a in "$@"; do
	case $a in stdio,*logfile=*) logfile=${a##*logfile=}; logfile=${logfile%%,*} ;; esac
done
printf '%s\0' "$@" > "$FAKE_ARGS"
[ -n "${FAKE_ERR:-}" ] && echo "$FAKE_ERR" >&2
if [ -n "${FAKE_LOG:-}" ]; then
	cat "$FAKE_LOG"
	[ -n "$logfile" ] && cat "$FAKE_LOG" > "$logfile"
fi
[ "${FAKE_SLEEP:-0}" = 0 ] || exec sleep "$FAKE_SLEEP"   # exec: killing it ends it
exit "${FAKE_STATUS:-1}"
'''


@pytest.fixture
def fake(tmp_path):
    path = tmp_path / 'qemu-system-x86_64'
    path.write_text(FAKE)
    path.chmod(0o755)
    image = tmp_path / 'vmxprobe.elf'
    image.write_bytes(b'\x7fELF')

    def run(log=None, status=1, err='', sleep=0, timeout=60, **env):
        e = dict(os.environ, QEMU=str(path), ACCEL='tcg', FAKE_STATUS=str(status),
                 FAKE_ERR=err, FAKE_SLEEP=str(sleep), FAKE_ARGS=str(tmp_path / 'args'),
                 FAKE_LOG=os.path.join(LOGS, log) if log else '',
                 RUN_LOG=str(tmp_path / 'run.log'), **env)
        start = time.monotonic()
        p = subprocess.run(['bash', RUN, str(image)], env=e, capture_output=True,
                           text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        p.seconds = time.monotonic() - start
        p.last = p.stderr.strip().splitlines()[-1] if p.stderr.strip() else ''
        return p
    return run


def no_pass(p):
    assert 'verdict PASS' not in p.stderr and 'verdict SKIP' not in p.stderr, p.stderr


def test_qemu_refuses_to_start(fake):
    msg = "qemu-system-x86_64: Parameter 'smp.cpus' expects integer"
    p = fake(err=msg, status=1)
    assert p.returncode == 2, p.stderr
    assert msg in p.stderr                       # QEMU's own message is shown
    assert p.last.startswith('run: no verdict: the kernel printed nothing (QEMU exit status 1'), p.last
    no_pass(p)


def test_qemu_exits_1_with_no_log(fake):
    p = fake(status=1)
    assert p.returncode == 2, p.stderr
    assert 'run: no verdict' in p.last
    no_pass(p)


def test_pass_from_the_log(fake):
    p = fake(log='bochs-skylake-x-4cpu.log', status=1)
    assert p.returncode == 0, p.stderr
    assert p.last.startswith('run: verdict PASS cpus=4/4 (from the serial log '), p.last
    assert 'vmxprobe: summary cpus=4/4' in p.stdout  # the serial line reached the terminal


def test_fail_from_the_log(fake):
    p = fake(log='bochs-vmx-locked-off.log', status=3)
    assert p.returncode == 1, p.stderr
    assert p.last.startswith('run: verdict FAIL cpus=1/1'), p.last


def test_status_1_does_not_make_a_fail_log_pass(fake):
    # isa-debug-exit's PASS status with a log whose summary says FAIL: the log wins.
    p = fake(log='selftest-no-response.log', status=1)
    assert p.returncode == 1, p.stderr
    no_pass(p)


def test_forged_summary_is_not_believed(fake, tmp_path):
    forged = tmp_path / 'forged.log'
    text = open(os.path.join(LOGS, 'bochs-vmx-locked-off.log'), encoding='utf-8').read()
    forged.write_text(re.sub(r'vmxprobe: summary .*', 'vmxprobe: summary cpus=1/1 on=1 '
                             'no-vmx=0 locked-off=0 failed=0 guest=1 verdict=PASS', text))
    p = fake(log=str(forged), status=1)
    assert p.returncode == 1, p.stderr
    no_pass(p)


def test_halted_kernel_ends_after_the_summary(fake):
    # exit=halt: QEMU never exits by itself; the run ends RUN_QUIET s after the summary.
    p = fake(log='bochs-guest-penryn.log', sleep=300, RUN_QUIET='1')
    assert p.returncode == 0, p.stderr
    assert p.seconds < 10, p.seconds
    assert 'stopped 1 s after the summary: the kernel halted' in p.last, p.last
    assert p.last.startswith('run: verdict PASS')


def test_hang_before_the_summary_is_bounded(fake):
    p = fake(log='grub-load-fails.log', sleep=300, RUN_TIMEOUT='2')
    assert p.returncode == 2, p.stderr
    assert p.seconds < 10, p.seconds
    assert 'stopped after RUN_TIMEOUT=2 s' in p.last, p.last
    no_pass(p)


def test_reset_without_summary(fake, tmp_path):
    cut = tmp_path / 'cut.log'
    lines = open(os.path.join(LOGS, 'bochs-skylake-x-4cpu.log'), encoding='utf-8').read().splitlines()
    cut.write_text('\n'.join(lines[:len(lines) // 2]) + '\n')
    p = fake(log=str(cut), status=0)             # -no-reboot: a triple fault exits 0
    assert p.returncode == 2, p.stderr
    assert 'the log ends without a summary line' in p.stderr
    no_pass(p)


def test_the_run_line_is_the_whole_command(fake, tmp_path):
    p = fake(log='qemu-pc-smp2.log', status=77, SMP='3', APPEND='vmxcap=off exit=halt')
    line = next(l for l in p.stderr.splitlines() if l.startswith('run: '))
    args = (tmp_path / 'args').read_text().split('\0')[:-1]
    # A shell reads the line back into exactly what the fake QEMU was given.
    assert shlex.split(line)[2:] == args
    assert '-smp 3' in line and "-append 'vmxcap=off exit=halt'" in line


def test_bad_timeout_is_refused(fake):
    p = fake(RUN_TIMEOUT='abc')
    assert p.returncode == 2
    assert 'RUN_TIMEOUT=abc is not a number' in p.stderr


# ---------------------------------------------------------------- real QEMU

def make_run(timeout=300, **env):
    if not shutil.which('qemu-system-x86_64'):
        pytest.skip('qemu-system-x86_64 is not installed')
    e = dict(os.environ, ACCEL='tcg', **env)
    e.pop('MAKEFLAGS', None)
    e.pop('MAKELEVEL', None)
    start = time.monotonic()
    p = subprocess.run(['make', '-s', '-C', ROOT, 'run'] + [f'{k}={v}' for k, v in env.items()
                       if k in ('BOOT',)], env=e, capture_output=True, text=True,
                       timeout=timeout, stdin=subprocess.DEVNULL)
    p.seconds = time.monotonic() - start
    return p


def test_make_run_bad_smp(tmp_path):
    p = make_run(BOOT='direct', SMP='abc', RUN_LOG=str(tmp_path / 'run.log'))
    assert p.returncode == 2, p.stderr
    assert "Parameter 'smp.cpus' expects integer" in p.stderr
    assert 'run: no verdict' in p.stderr
    assert 'PASS' not in p.stderr


def test_make_run_qemu_cannot_start(tmp_path):
    bad = tmp_path / 'broken-qemu'
    bad.write_text('#!/bin/sh\necho "qemu-system-x86_64: could not load PC BIOS" >&2\nexit 1\n')
    bad.chmod(0o755)
    p = make_run(BOOT='direct', QEMU=str(bad), RUN_LOG=str(tmp_path / 'run.log'))
    assert p.returncode == 2, p.stderr
    assert 'could not load PC BIOS' in p.stderr
    assert 'PASS' not in p.stderr


def test_make_run_halt_ends_with_the_verdict(tmp_path):
    p = make_run(BOOT='direct', APPEND='exit=halt', RUN_LOG=str(tmp_path / 'run.log'))
    assert p.returncode == 0, p.stderr
    last = p.stderr.strip().splitlines()[-1]
    assert re.match(r'run: verdict (PASS|SKIP) cpus=2/2 .*the kernel halted', last), last
    assert p.seconds < 60, p.seconds
    assert 'cmdline="exit=halt"' in p.stdout


def test_make_run_iso_with_append(tmp_path):
    p = make_run(APPEND='vmxcap=off', RUN_LOG=str(tmp_path / 'run.log'))
    assert p.returncode == 0, p.stderr
    assert re.search(r'^vmxprobe: version=\S+ firmware=bios bootloader="GRUB[^"]*" '
                     r'cmdline="vmxcap=off"', p.stdout, re.M), p.stdout[-2000:]
    assert re.search(r'^run: verdict (PASS|SKIP) ', p.stderr, re.M), p.stderr


def test_make_run_efi_with_append(tmp_path):
    """BOOT=efi: vmxprobe.efi from a disk image under OVMF (no GRUB); APPEND reaches it
    as load options through the UEFI Shell."""
    if not os.path.exists('/usr/share/ovmf/OVMF.fd'):
        pytest.skip('OVMF is not installed')
    p = make_run(BOOT='efi', APPEND='vmxcap=off', RUN_LOG=str(tmp_path / 'run.log'))
    assert p.returncode == 0, p.stderr
    assert re.search(r'^vmxprobe: version=\S+ firmware=uefi bootloader="UEFI" '
                     r'cmdline="vmxcap=off"$', p.stdout, re.M), p.stdout[-2000:]
    assert re.search(r'^run: verdict (PASS|SKIP) ', p.stderr, re.M), p.stderr
