#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Tests of tools/vmxprobe-log, the serial-log reader for CI.

    python3 -m unittest discover -s tests/log -v      (from the top of the tree)
    python3 tests/log/test_vmxprobe_log.py

Every test runs the real program as a subprocess and asserts on its output and
exit status. Fixtures in tests/data/logs/ (shared with tests/lava/) are real
boot logs copied from build/test/logs/ (`make test` writes those); the hostile cases are made from
them on the fly. The test over every log of build/test/logs/ skips when that
directory is absent; the JUnit schema check skips when lxml is not there.
"""
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TOOL = os.path.join(ROOT, 'tools', 'vmxprobe-log')
DATA = os.path.join(ROOT, 'tests', 'data', 'logs')
XSD = os.path.join(HERE, 'junit.xsd')
REAL_LOGS = os.path.join(ROOT, 'build', 'test', 'logs')
LXML_INSTALL = 'apt-get install -y python3-lxml'

PASS_LOG = 'bochs-skylake-x-4cpu.log'      # Bochs Skylake-X, 4 CPUs, guests ok: PASS
SKIP_LOG = 'qemu-pc-smp4.log'              # QEMU TCG, no VMX: SKIP
FAIL_LOG = 'bochs-vmx-locked-off.log'      # feature control locked off: FAIL
RULES_LOG = 'bochs-selftest-vmx-penryn.log'  # selftest=vmx on Penryn: PASS: and SKIP: rules
GRUB_FAILS = 'grub-load-fails.log'         # GRUB out of memory: no version line, no summary


def data(name):
    return os.path.join(DATA, name)


def raw(name):
    with open(data(name), 'rb') as f:
        return f.read()


def tool(*args, stdin=None, timeout=60):
    """Run vmxprobe-log; (exit status, stdout, stderr) as text."""
    p = subprocess.run([sys.executable, TOOL, *args], input=stdin, capture_output=True,
                       timeout=timeout)
    return p.returncode, p.stdout.decode('utf-8'), p.stderr.decode('utf-8')


class Case(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='vmxprobe-log-test.')

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, name, content):
        path = os.path.join(self.tmp, name)
        with open(path, 'wb') as f:
            f.write(content)
        return path

    def judge(self, content, *args, name='t.log'):
        """Run on `content` (bytes); (status, output, stderr). Never a traceback."""
        status, out, err = tool(*args, self.write(name, content))
        self.assertNotIn('Traceback', err)
        return status, out, err

    def json_runs(self, content):
        status, out, _ = self.judge(content, '--json')
        return status, [json.loads(line) for line in out.splitlines()]


def edit(content, old, new, count=1):
    assert old in content, old
    return content.replace(old, new, count)


# ---------------------------------------------------------------- verdicts and exit statuses

class Verdicts(Case):
    def test_bochs_pass(self):
        status, out, _ = tool(data(PASS_LOG))
        self.assertEqual((status, out), (0, f'{data(PASS_LOG)}: PASS cpus=4/4\n'))

    def test_qemu_skip(self):
        status, out, _ = tool(data(SKIP_LOG))
        self.assertEqual((status, out), (0, f'{data(SKIP_LOG)}: SKIP cpus=4/4\n'))

    def test_locked_off_fails_and_says_why(self):
        status, out, _ = tool(data(FAIL_LOG))
        self.assertEqual(status, 1)
        self.assertIn(': FAIL cpus=1/1: cpu 0: vmx locked-off (locked with VMX outside SMX disabled)', out)

    def test_grub_failure_is_incomplete_with_last_line(self):
        status, out, _ = tool(data(GRUB_FAILS))
        self.assertEqual(status, 2)
        self.assertIn(': INCOMPLETE: the kernel stopped before its version line', out)
        self.assertIn('vmxprobe: fatal: GRUB could not load the kernel', out)
        self.assertIn('last line seen, line 5: vmxprobe: halting', out)

    def test_ap_fault_fails(self):
        status, out, _ = tool(data('bochs-fault-ap-in-vmx.log'))
        self.assertEqual(status, 1)
        self.assertIn('cpu 1: vmx fault', out)
        self.assertIn('fault vector=6 #UD rip=0x1003c10', out)

    def test_boot_cpu_fault_fails_without_cpu_lines(self):
        status, out, _ = tool(data('selftest-fault.log'))
        self.assertEqual(status, 1)
        self.assertIn('FAIL cpus=1/1: a fault on the boot CPU ended the run', out)
        self.assertNotIn('not believed', out)

    def test_unknown_cpu_list_fails(self):
        status, out, _ = tool(data('ovmf-no-madt.log'))
        self.assertEqual(status, 1)
        self.assertIn('CPU list unknown: no usable MADT and no MP table', out)

    def test_kernel_on_firmware_memory_fails_with_the_reason(self):
        # OVMF's SMM build: GRUB loaded the kernel on ACPI NVS; it stopped before the CPUs.
        status, out, _ = tool(data('ovmf-smm-kernel-on-nvs.log'))
        self.assertEqual(status, 1)
        self.assertIn('FAIL cpus=0/0: boot: fatal: the kernel lies on nvs memory at '
                      '0x1000000-0x170ffff', out)
        self.assertNotIn('not believed', out)
        status, out, _ = tool('--json', data('ovmf-smm-kernel-on-nvs.log'))
        run = json.loads(out)
        self.assertEqual((run['reader_verdict'], run['verdict']), ('FAIL', 'FAIL'))
        self.assertTrue(run['fatal'][0].startswith('boot: fatal: the kernel lies on nvs memory'))

    def test_guest_off_passes_with_not_run_guests(self):
        status, out, _ = tool(data('bochs-guest-off.log'))
        self.assertEqual((status, out.split(': ', 1)[1]), (0, 'PASS cpus=2/2\n'))

    def test_guest_not_ok_with_guest_on_is_fail(self):
        # The same log with guest=off removed from the command line: not-run guests fail.
        content = edit(raw('bochs-guest-off.log'), b'cmdline="guest=off"', b'cmdline=""')
        status, out, _ = self.judge(content)
        self.assertEqual(status, 1)
        self.assertIn('the summary says verdict=PASS but the lines say FAIL', out)
        self.assertIn('cpu 0: guest not-run', out)

    def test_worst_status_wins(self):
        cases = [([PASS_LOG, SKIP_LOG], 0), ([PASS_LOG, FAIL_LOG, SKIP_LOG], 1),
                 ([FAIL_LOG, GRUB_FAILS, PASS_LOG], 2), ([GRUB_FAILS, FAIL_LOG], 2)]
        for logs, want in cases:
            with self.subTest(logs=logs):
                status, out, _ = tool(*map(data, logs))
                self.assertEqual(status, want)
                self.assertEqual(len(out.splitlines()), len(logs))

    def test_stdin_and_dash(self):
        for args in ([], ['-']):
            status, out, _ = tool(*args, stdin=raw(FAIL_LOG))
            self.assertEqual(status, 1)
            self.assertTrue(out.startswith('<stdin>: FAIL cpus=1/1'), out)

    def test_no_log_and_a_terminal_on_stdin(self):
        # Run with no LOG from a shell, it must say what it wants, not sit waiting for input.
        status, out, err = on_a_terminal([])
        self.assertEqual((status, out), (2, ''))
        self.assertIn('no LOG named, and standard input is a terminal: nothing to read', err)
        self.assertIn('usage: pipe a serial log in or name log files', err)
        self.assertIn('  vmxprobe-log serial.log\n', err)
        self.assertIn('  qemu-system-x86_64 ... -serial stdio | vmxprobe-log\n', err)
        self.assertNotIn('Traceback', err)
        # "-" reads the terminal all the same: what is typed, up to ^D (the first ends the
        # 1 MiB read that is under way, the second is the end of the log).
        status, out, err = on_a_terminal(['-'], typed=b'vmxprobe: halting\n\x04\x04')
        self.assertEqual(status, 2, err)
        self.assertTrue(out.startswith('<stdin>: INCOMPLETE: no "vmxprobe: version=" line'), out)
        self.assertIn('last line seen, line 1: vmxprobe: halting', out)

    def test_unreadable_log(self):
        missing = os.path.join(self.tmp, 'missing.log')
        status, out, _ = tool(data(PASS_LOG), missing, self.tmp)
        self.assertEqual(status, 2)
        self.assertIn(f'{missing}: ERROR: cannot read {missing}: No such file or directory', out)
        self.assertIn(f'{self.tmp}: ERROR: cannot read', out)

    def test_empty_log(self):
        status, out, _ = self.judge(b'')
        self.assertEqual(status, 2)
        self.assertIn('INCOMPLETE', out)
        self.assertIn('the log is empty', out)

    def test_output_file(self):
        out_path = os.path.join(self.tmp, 'out.txt')
        status, out, _ = tool('-o', out_path, data(PASS_LOG))
        self.assertEqual((status, out), (0, ''))
        with open(out_path, encoding='utf-8') as f:
            self.assertEqual(f.read(), f'{data(PASS_LOG)}: PASS cpus=4/4\n')


# ---------------------------------------------------------------- summaries not believed

class Forged(Case):
    def assert_not_believed(self, content, *expected):
        status, out, _ = self.judge(content)
        self.assertEqual(status, 1, out)
        self.assertIn(': FAIL', out)
        for text in expected:
            self.assertIn(text, out)

    def test_vmx_line_not_on_under_pass_summary(self):
        content = edit(raw(PASS_LOG), b'cpu=2 apic=2 result=on', b'cpu=2 apic=2 result=locked-off')
        self.assert_not_believed(content, '(the summary says PASS: not believed)',
                                 'summary on=4 but the vmx: lines say on=3',
                                 'summary locked-off=0 but the vmx: lines say locked-off=1',
                                 'cpu 2: vmx locked-off')

    def test_failed_count_takes_every_other_token(self):
        content = edit(raw(PASS_LOG), b'cpu=3 apic=3 result=on', b'cpu=3 apic=3 result=vmxon-fail-invalid')
        self.assert_not_believed(content, 'summary failed=0 but the vmx: lines say failed=1')

    def test_guest_not_ok_under_pass_summary(self):
        content = edit(raw(PASS_LOG), b'guest: cpu=1 apic=1 result=ok',
                       b'guest: cpu=1 apic=1 result=entry-fail')
        self.assert_not_believed(content, 'summary guest=4 but the guest: lines say result=ok on 3',
                                 'cpu 1: guest entry-fail')

    def test_missing_cpu_line(self):
        content = edit(raw(PASS_LOG), b'cpu: index=3 apic=3 online up_us=31\r\n', b'')
        self.assert_not_believed(content, 'summary cpus=4/4 (4 online) but there are 3 cpu: lines',
                                 'cpu 3 has vmx:/guest: lines but no cpu: line')

    def test_summary_online_count_raised(self):
        content = edit(raw(PASS_LOG), b'summary cpus=4/4', b'summary cpus=5/5')
        self.assert_not_believed(content, 'summary cpus=5/5 (5 online) but there are 4 cpu: lines',
                                 "the smp: line says online=4 enumerated=4")

    def test_duplicate_vmx_line(self):
        line = b'vmx: cpu=1 apic=1 result=on feat_ctl=0x5 revision=0x2b vmxon=0x24a4000\r\n'
        content = edit(raw(PASS_LOG), line, line + line)
        self.assert_not_believed(content, 'a second vmx: result line for cpu 1')

    def test_apic_mismatch(self):
        content = edit(raw(PASS_LOG), b'vmx: cpu=2 apic=2', b'vmx: cpu=2 apic=7')
        self.assert_not_believed(content, "cpu 2: cpu: line says apic=2, its vmx: line apic=7")

    def test_selftest_failure_under_pass_summary(self):
        content = edit(raw(RULES_LOG), b'PASS: selftest cpu=1 vmxon-wrong-revision',
                       b'FAIL: selftest cpu=1 vmxon-wrong-revision')
        self.assert_not_believed(content, 'the summary says verdict=PASS but the lines say FAIL',
                                 'selftest: cpu=1 says passed=23 failed=0 skipped=15 but its '
                                 'rule lines say 22/1/15',
                                 'cpu 1: selftest failed: vmxon-wrong-revision')

    def test_protocol_line_after_summary(self):
        content = raw(PASS_LOG) + b'vmx: cpu=9 apic=9 result=on\r\n'
        self.assert_not_believed(content, 'follows the summary: vmx: cpu=9')

    def test_second_summary(self):
        content = raw(FAIL_LOG) + raw(FAIL_LOG).splitlines(True)[-1].replace(b'FAIL', b'PASS')
        self.assert_not_believed(content, 'follows the summary: vmxprobe: summary')

    def test_counts_have_no_space_after_the_equals_sign(self):
        content = edit(raw(PASS_LOG), b'on=4 no-vmx=0 locked-off=0 failed=0 guest=4',
                       b'on=9 no-vmx=9 locked-off=9 failed=9 guest=9')
        for fmt in ([], ['--summary'], ['--tap'], ['--junit']):
            with self.subTest(fmt=fmt):
                status, out, _ = self.judge(content, *fmt)
                self.assertEqual(status, 1)
                for key in ('on', 'no-vmx', 'locked-off', 'failed'):
                    self.assertIn(f'summary {key}=9 but the vmx: lines say {key}=', out)
                self.assertIn('vmx: lines say on=4', out)
                self.assertIn('guest: lines say result=ok on 4', out)
                self.assertIsNone(re.search(r'[a-z]= +\d', out), out)

    def test_kernel_fail_is_never_upgraded(self):
        content = edit(raw(PASS_LOG), b'verdict=PASS', b'verdict=FAIL')
        status, out, _ = self.judge(content)
        self.assertEqual(status, 1)
        self.assertIn('the summary says verdict=FAIL but the lines say PASS', out)


# ---------------------------------------------------------------- hostile input

class Hostile(Case):
    def test_truncated_log(self):
        lines = raw(PASS_LOG).split(b'\n')           # lines are numbered by LF, as in an editor
        status, out, _ = self.judge(b'\n'.join(lines[:20]) + b'\n')
        self.assertEqual(status, 2)
        self.assertIn('INCOMPLETE: no summary: the run was cut off', out)
        self.assertIn('last line seen, line 20: ' + lines[19].decode().strip(), out)

    def test_cut_mid_line(self):
        content = raw(PASS_LOG)
        cut = content.index(b'result=on', content.index(b'vmx: cpu=1')) + 8
        status, out, _ = self.judge(content[:cut])
        self.assertEqual(status, 2)
        n = content[:cut].count(b'\n') + 1
        self.assertIn(f'last line seen, line {n}: vmx: cpu=1 apic=1 result=o\n', out)

    def test_summary_cut_mid_line(self):
        content = raw(PASS_LOG).rstrip()
        status, out, _ = self.judge(content[:-3])
        self.assertEqual(status, 2)
        self.assertIn('a cut or malformed summary', out)
        status, _, _ = self.judge(content)         # whole, without a line end: fine
        self.assertEqual(status, 0)

    def test_two_runs_in_one_file(self):
        status, out, _ = self.judge(raw(PASS_LOG) + b'garbage\r\n' + raw(FAIL_LOG))
        self.assertEqual(status, 1)
        self.assertEqual([line.split(': ')[1].split()[0] for line in out.splitlines()],
                         ['PASS', 'FAIL'])
        self.assertIn('t.log#1: PASS', out)
        self.assertIn('t.log#2: FAIL', out)

    def test_reset_mid_run_then_full_run(self):
        first = b''.join(raw(PASS_LOG).splitlines(True)[:24])
        status, runs = self.json_runs(first + raw(PASS_LOG))
        self.assertEqual(status, 2)
        self.assertEqual([r['reader_verdict'] for r in runs], ['INCOMPLETE', 'PASS'])
        self.assertEqual([r['run'] for r in runs], [1, 2])

    def test_interleaved_garbage(self):
        rng = random.Random(14)
        out = []
        for line in raw(PASS_LOG).splitlines(True):
            out.append(line)
            out.append(bytes(rng.randrange(32, 127) for _ in range(rng.randrange(80))) + b'\r\n')
        status, text, _ = self.judge(b''.join(out))
        self.assertEqual(status, 0, text)

    def test_terminal_escapes_and_control_characters(self):
        content = raw(PASS_LOG)
        content = edit(content, b'vmx: cpu=0', b'\x1b[0m\x1b[H\x1b[2J\x1b[?25lvmx: cpu=0')
        content = edit(content, b'result=ok exits', b'result=o\x1b[1;37mk\x00 exits')
        content = edit(content, b'vmxprobe: summary', b'\x1b]0;serial console\x07\x1b(Bvmxprobe: sum\x08mary')
        content = edit(content, b'bootloader="GRUB', b'bootloader="\x1b[01;01HGRUB')
        status, runs = self.json_runs(content)
        self.assertEqual(status, 0)
        self.assertEqual(runs[0]['reader_verdict'], 'PASS')
        self.assertEqual(runs[0]['bootloader'], 'GRUB 2.06-13+deb12u2')
        self.assertEqual(runs[0]['cpus'][1]['guest']['result'], 'ok')

    def test_nul_bytes_and_invalid_utf8(self):
        content = edit(raw(PASS_LOG), b'bootloader="GRUB', b'bootloader="\xff\xfe\xc3GRUB\x00')
        content = b'\x00\x00\xff\x80 \xed\xa0\x80 garbage\n' + content.replace(b'\r\n', b'\x00\r\n')
        status, runs = self.json_runs(content)
        self.assertEqual(status, 0)
        self.assertEqual(runs[0]['bootloader'], '\ufffd\ufffd\ufffdGRUB 2.06-13+deb12u2')

    def test_line_ends_crlf_cr_lf(self):
        content = raw(PASS_LOG).replace(b'\r\n', b'\n').replace(b'\r', b'\n')
        results = []
        for end in (b'\r\n', b'\r', b'\n'):
            status, out, _ = self.judge(content.replace(b'\n', end))
            results.append((status, out))
        self.assertEqual(results, [(0, f'{self.tmp}/t.log: PASS cpus=4/4\n')] * 3)

    def test_crlf_split_across_read_chunks(self):
        # CR the last byte of one 1 MiB read, LF the first of the next: one line end.
        lines = raw(PASS_LOG).split(b'\n')
        head = lines[2].lstrip(b'\r') + b'\n'           # the version line
        filler = b'garbage line\r\n' * (((1 << 20) - len(head)) // 14)
        filler += b'y' * ((1 << 20) - 1 - len(head) - len(filler)) + b'\r'
        content = head + filler + b'\n' + b'\n'.join(lines[3:])
        self.assertEqual(content[(1 << 20) - 1:(1 << 20) + 1], b'\r\n')
        status, runs = self.json_runs(content)
        self.assertEqual((status, runs[0]['reader_verdict']), (0, 'PASS'))
        cut = head + filler + b'\n' + b'\n'.join(lines[3:20])
        status, out, _ = self.judge(cut)
        n = cut.count(b'\n') + 1
        self.assertIn(f'last line seen, line {n}: {lines[19].decode().strip()}', out)

    def test_line_numbers_are_cited_as_line_n(self):
        # Every message that cites a line says "line N", never "(N)".
        lines = raw(PASS_LOG).split(b'\n')
        logs = {'cut': b'\n'.join(lines[:20]) + b'\n',
                'cut-summary': raw(PASS_LOG).rstrip()[:-3],
                'after-summary': raw(PASS_LOG) + b'vmx: cpu=9 apic=9 result=on\r\n',
                'malformed': edit(raw(PASS_LOG), b'cpu: index=3 apic=3', b'cpu: index=3 apic=x'),
                'second-vmx': edit(raw(PASS_LOG), b'vmx: cpu=1 apic=1', b'vmx: cpu=0 apic=0'),
                'grub': raw(GRUB_FAILS)}
        for what, content in logs.items():
            with self.subTest(log=what):
                status, runs = self.json_runs(content)
                problems = [p for r in runs for p in r['problems']]
                cited = [p for p in problems if re.search(r'\bline \d+\b', p)]
                self.assertTrue(cited, problems)
                for p in problems:
                    self.assertIsNone(re.search(r'\(\d+\)', p), p)
                for p in cited:
                    self.assertRegex(p, r'(^|, )line \d+( is malformed| follows the summary)?: ')

    def test_pathological_lines_stay_linear(self):
        evil = [b'vmx: ' + b'"' * 200000, b'cpu: ' + b'=' * 200000, b'vmx: detail="' + b'\\' * 200000,
                b'guest: ' + b'a=' * 100000, b'\x1b[' + b'0;' * 200000, b'\x1b]' + b'x' * 200000,
                b'PASS: selftest cpu=1 ' + b'a' * 200000, b'vmxcap: ' + b'a.' * 100000 + b'=1',
                b'smp: ' + b' ' * 200000 + b'no-response', b'x' * 3000000]
        start = time.monotonic()
        content = edit(raw(PASS_LOG), b'cpu: index=0', b'\n'.join(evil) + b'\ncpu: index=0')
        status, out, _ = self.judge(content)
        self.assertLess(time.monotonic() - start, 20)
        self.assertEqual(status, 1)          # malformed protocol lines are not believed
        self.assertIn('is malformed', out)

    def test_random_binary(self):
        rng = random.Random(7)
        status, out, _ = self.judge(bytes(rng.randrange(256) for _ in range(300000)))
        self.assertEqual(status, 2)
        self.assertIn('INCOMPLETE', out)

    def test_100_megabytes_linear_time_bounded_memory(self):
        path = os.path.join(self.tmp, 'big.log')
        log = raw(PASS_LOG)
        head, tail = log[:log.index(b'cpu: index=0')], log[log.index(b'cpu: index=0'):]
        noise = (b'\x1b[0m\x1b[30m\x1b[47mGRUB noise \x00\x00 \xff\xfe\xc3 \x1b]0;title\x07 end\r\n'
                 b'vmxcap: | filler table line                                  yes\r\n'
                 b'vmxcap: proc.filler-control=yes\r\n'
                 b'boot: mmap 0x0000000000000000-0x000000000009efff available\r\r\n') * 4096
        size = 100 << 20
        with open(path, 'wb') as f:
            f.write(head)
            for i in range(size // len(noise)):
                f.write(noise)
                if i == 100:
                    f.write(b'y' * (8 << 20) + b'\r\n')    # one 8 MiB line
            f.write(tail)
        start = time.monotonic()
        status, out, rss_kib = run_measured([sys.executable, TOOL, path], timeout=120)
        elapsed = time.monotonic() - start
        self.assertEqual((status, out), (0, f'{path}: PASS cpus=4/4\n'))
        self.assertLess(elapsed, 30, 'not linear time?')
        self.assertLess(rss_kib, 80 * 1024, 'the reader kept too much of a 108 MiB log')


def on_a_terminal(args, typed=b'', timeout=20):
    """Run vmxprobe-log with a pseudo-terminal as standard input, `typed` typed on it;
    (exit status, stdout, stderr). It fails the test if the program still waits after
    `timeout` seconds."""
    master, slave = os.openpty()
    try:
        proc = subprocess.Popen([sys.executable, TOOL, *args], stdin=slave,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        os.close(slave)
        slave = None
        if typed:
            os.write(master, typed)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise AssertionError(f'vmxprobe-log {" ".join(args)} sat waiting on a terminal '
                                 f'for {timeout} s')
    finally:
        os.close(master)
        if slave is not None:
            os.close(slave)
    return proc.returncode, out.decode('utf-8'), err.decode('utf-8')


def run_measured(argv, timeout):
    """(exit status, stdout, the child's own peak RSS in KiB), from wait4()."""
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        return proc.returncode, out.read().decode(), usage.ru_maxrss


# ---------------------------------------------------------------- output formats

class Json(Case):
    def test_fields_of_a_pass_run(self):
        status, out, _ = tool('--json', data(PASS_LOG))
        self.assertEqual(status, 0)
        (run,) = [json.loads(line) for line in out.splitlines()]
        self.assertEqual((run['version'], run['firmware'], run['bootloader'], run['cmdline']),
                         ('0.1.0', 'bios', 'GRUB 2.06-13+deb12u2', ''))
        self.assertEqual([(c['index'], c['apic']) for c in run['cpus']], [(i, i) for i in range(4)])
        cpu1 = run['cpus'][1]
        self.assertEqual(cpu1['cpu'], {'up_us': 9, 'words': ['online']})
        self.assertEqual(cpu1['vmx'], {'cpu': 1, 'apic': 1, 'result': 'on', 'feat_ctl': '0x5',
                                       'revision': '0x2b', 'vmxon': '0x24a4000'})
        self.assertEqual(cpu1['guest']['result'], 'ok')
        self.assertEqual(cpu1['guest']['exits'], 1003)
        cap = run['vmxcap']['cpus'][0]
        self.assertEqual((cap['cpu'], cap['msr']['0x480'], cap['fields']['basic']['revision']),
                         (0, '0x00d810000000002b', '0x2b'))
        self.assertEqual(cap['fields']['proc']['cr3-load-exiting'], 'yes-default1')
        self.assertIn('vmxcap: cpu=0 apic=0', run['vmxcap']['raw'])
        self.assertEqual(run['summary'], {'online': 4, 'enumerated': 4, 'on': 4, 'no-vmx': 0,
                                          'locked-off': 0, 'failed': 0, 'guest': 4, 'verdict': 'PASS',
                                          'ext': 'vmx'})
        self.assertEqual((run['verdict'], run['reader_verdict'], run['problems']), ('PASS', 'PASS', []))

    def test_readiness_lines(self):
        status, out, _ = tool('--json', data(PASS_LOG))
        (run,) = [json.loads(line) for line in out.splitlines()]
        self.assertEqual([(r['hypervisor'], r['result']) for r in run['ready']],
                         [('kvm', 'degraded'), ('xen', 'degraded'), ('hyper-v', 'yes'),
                          ('esxi', 'yes')])
        self.assertEqual(run['ready'][0]['missing'], ['pin.process-posted-interrupts'])
        self.assertEqual(run['ready'][0]['limits'], ['enable_apicv', 'enable_ipiv'])
        self.assertEqual(run['ready'][2], {'hypervisor': 'hyper-v', 'result': 'yes',
                                           'missing': [], 'limits': []})

    def test_faults_advice_and_rules(self):
        status, out, _ = tool('--json', data('bochs-fault-ap-in-vmx.log'), data(FAIL_LOG), data(RULES_LOG))
        fault_run, locked_run, rules_run = [json.loads(line) for line in out.splitlines()]
        self.assertEqual(fault_run['cpus'][1]['faults'], [{'cpu': 1, 'vector': 6, 'name': '#UD',
                                                          'error': '0x0', 'rip': '0x1003c10', 'cr2': '0x0'}])
        self.assertIn('fault', fault_run['reasons'][0])
        self.assertEqual(locked_run['advice'][0]['kind'], 'vmx')
        self.assertEqual(locked_run['advice'][0]['result'], 'locked-off')
        self.assertEqual(locked_run['advice'][0]['cpus'], 1)    # the count before the colon
        self.assertTrue(locked_run['advice'][0]['text'].startswith('VMX is disabled in firmware'))
        rules = rules_run['selftest']
        self.assertEqual(len(rules), 76)
        self.assertEqual(rules[0]['rule'], 'vmxon-without-cr4-vmxe')
        self.assertEqual(rules[0]['result'], 'PASS')
        self.assertTrue(rules[0]['text'].endswith('got #UD'))
        self.assertEqual(sum(r['result'] == 'SKIP' for r in rules), 30)
        self.assertEqual(rules_run['cpus'][0]['selftest'], {'passed': 23, 'failed': 0, 'skipped': 15})

    def test_version_line_escapes(self):
        line = rb'cmdline="selftest=\"x\" a\\b \xc3\xa9 \x01\x1b" truncated=cmdline'
        status, runs = self.json_runs(edit(raw(PASS_LOG), b'cmdline=""', line))
        self.assertEqual(status, 0)
        self.assertEqual(runs[0]['cmdline'], 'selftest="x" a\\b \u00e9 \\x01\\x1b')
        self.assertEqual(runs[0]['truncated'], ['cmdline'])

    def test_incomplete_run(self):
        status, out, _ = tool('--json', data(GRUB_FAILS))
        run = json.loads(out)
        self.assertEqual((status, run['reader_verdict'], run['verdict'], run['exit_status']),
                         (2, 'INCOMPLETE', None, 2))
        self.assertEqual(run['last_line'], 'vmxprobe: halting')
        self.assertTrue(run['fatal'][0].startswith('vmxprobe: fatal: GRUB could not load'))


class Junit(Case):
    def junit(self, *logs):
        status, out, _ = tool('--junit', *map(data, logs))
        return status, out, ET.fromstring(out)

    def test_structure(self):
        status, out, root = self.junit(PASS_LOG, SKIP_LOG, FAIL_LOG, RULES_LOG, GRUB_FAILS)
        self.assertEqual(status, 2)
        self.assertEqual(root.tag, 'testsuites')
        suites = root.findall('testsuite')
        logs = (PASS_LOG, SKIP_LOG, FAIL_LOG, RULES_LOG, GRUB_FAILS)
        self.assertEqual([s.get('name') for s in suites], [data(n) for n in logs])
        for suite in suites:
            cases = suite.findall('testcase')
            self.assertEqual(int(suite.get('tests')), len(cases))
            for attr, tag in (('failures', 'failure'), ('errors', 'error'), ('skipped', 'skipped')):
                self.assertEqual(int(suite.get(attr)), len(suite.findall(f'testcase/{tag}')))
        passed, skipped, failed, rules, incomplete = suites
        self.assertEqual([c.get('name') for c in passed.findall('testcase')],
                         ['cpu0 apic=0', 'cpu1 apic=1', 'cpu2 apic=2', 'cpu3 apic=3', 'verdict'])
        self.assertEqual(passed.get('failures') + passed.get('errors') + passed.get('skipped'), '000')
        self.assertEqual(skipped.get('skipped'), '5')
        failure = failed.find('testcase/failure')
        self.assertIn('vmx: cpu=0 apic=0 result=locked-off', failure.text)
        self.assertEqual(failure.get('message'), 'vmx locked-off (locked with VMX outside SMX disabled)')
        self.assertEqual(len(rules.findall('testcase')), 2 + 76 + 1)
        self.assertEqual(rules.get('skipped'), '30')
        error = incomplete.find('testcase/error')
        self.assertEqual(incomplete.find('testcase').get('name'), 'verdict')
        self.assertIn('5: vmxprobe: halting', error.text)

    def test_classname_never_holds_a_path(self):
        # classname is vmxprobe.<file name without extension>[_run<N>], sanitised and unique;
        # the log's path is the suite's "source" property.
        racked = os.path.join(self.tmp, 'lab.v2', 'rack 7')
        os.makedirs(racked)
        machine = os.path.join(racked, 'machine-01.rack 7.log')
        twin = os.path.join(self.tmp, 'machine-01.rack 7.log')
        for path in (machine, twin):
            shutil.copy(data(PASS_LOG), path)
        two_runs = self.write('two.boots.log', raw(PASS_LOG) + b'garbage\r\n' + raw(FAIL_LOG))
        missing = os.path.join(self.tmp, 'gone', 'missing.log')
        p = subprocess.run([sys.executable, TOOL, '--junit', machine, two_runs, '-', twin, missing],
                           input=raw(SKIP_LOG), capture_output=True, timeout=60)
        out = p.stdout.decode()
        self.assertEqual(p.returncode, 2, p.stderr)
        suites = ET.fromstring(out).findall('testsuite')
        classnames = [{c.get('classname') for c in s.findall('testcase')} for s in suites]
        self.assertEqual(classnames, [{'vmxprobe.machine-01_rack_7'}, {'vmxprobe.two_boots_run1'},
                                      {'vmxprobe.two_boots_run2'}, {'vmxprobe.stdin'},
                                      {'vmxprobe.machine-01_rack_7_2'}, {'vmxprobe.missing'}])
        for names in classnames:
            (name,) = names
            self.assertRegex(name, r'^vmxprobe\.[A-Za-z0-9_-]+$')
        self.assertNotIn(f'classname="vmxprobe.{self.tmp}', out)
        self.assertNotIn(f'classname="vmxprobe._', out)
        sources = [s.find('properties/property[@name="source"]').get('value') for s in suites]
        self.assertEqual(sources, [machine, two_runs, two_runs, '<stdin>', twin, missing])
        self.assert_schema_valid(out)

    def test_bochs_pass_run_valid_against_junit_schema(self):
        status, out, _ = tool('--junit', data(PASS_LOG))
        self.assertEqual(status, 0)
        self.assert_schema_valid(out)
        _, several, _ = tool('--junit', data(RULES_LOG), data(GRUB_FAILS), data('bochs-fault-ap-in-vmx.log'))
        self.assert_schema_valid(several)
        hostile = edit(raw(FAIL_LOG), b'cmdline=""', rb'cmdline="\x01\x1b\xef\xbf\xbe\xff"')
        hostile = edit(hostile, b'vmx: cpu=0', b'vmx: \x00\x0b\xef\xbf\xbf\xc2\x85\x1b[0mcpu=0')
        _, out, _ = self.judge(hostile, '--junit')
        self.assert_schema_valid(out)

    def assert_schema_valid(self, xml_text):
        verdict = validate(xml_text)
        if verdict is None:
            self.skipTest(f'lxml is not installed: {LXML_INSTALL}')
        self.assertEqual(verdict, 'valid')


VALIDATE = '''
import sys
try:
    from lxml import etree
except ImportError:
    sys.exit(3)
schema = etree.XMLSchema(etree.parse(sys.argv[1]))
try:
    doc = etree.fromstring(sys.stdin.buffer.read())
except etree.XMLSyntaxError as e:
    sys.exit(print('not well-formed:', e))
print('valid' if schema.validate(doc) else str(schema.error_log))
'''


def validate(xml_text):
    """'valid' or lxml's errors, with tests/log/junit.xsd; None without lxml."""
    pythons = [sys.executable] + [p for p in ('/usr/bin/python3',) if os.path.exists(p)]
    for python in pythons:
        p = subprocess.run([python, '-c', VALIDATE, XSD], input=xml_text.encode(),
                           capture_output=True, timeout=60)
        if p.returncode != 3:
            return p.stdout.decode().strip() or p.stderr.decode()
    return None


class Tap(Case):
    def test_tap(self):
        status, out, _ = tool('--tap', data(FAIL_LOG), data(SKIP_LOG), data(GRUB_FAILS))
        self.assertEqual(status, 2)
        lines = out.splitlines()
        self.assertEqual(lines[0], 'TAP version 13')
        points = [line for line in lines if line.startswith(('ok ', 'not ok '))]
        self.assertEqual(lines[-1], f'1..{len(points)}')
        self.assertEqual([int(p.split()[2 if p.startswith('not') else 1]) for p in points],
                         list(range(1, len(points) + 1)))
        self.assertEqual(points[0], f'not ok 1 - {data(FAIL_LOG)}: cpu0 apic=0')
        self.assertIn('# vmx: cpu=0 apic=0 result=locked-off feat_ctl=0x1 detail="locked with VMX '
                      'outside SMX disabled"', lines)
        self.assertTrue(points[2].startswith(f'ok 3 - {data(SKIP_LOG)}: cpu0 apic=0 # SKIP vmx no-vmx'))
        self.assertEqual(points[-1], f'not ok 8 - {data(GRUB_FAILS)}: verdict')

    def test_pass_is_all_ok(self):
        status, out, _ = tool('--tap', data(RULES_LOG))
        self.assertEqual(status, 0)
        self.assertNotIn('not ok', out)
        self.assertIn('ok 79 - ', out)     # 2 CPUs, 2 x 38 rules, the verdict
        self.assertTrue(out.endswith('1..79\n'))


class Summary(Case):
    def test_fleet_table(self):
        logs = [PASS_LOG, SKIP_LOG, FAIL_LOG, 'bochs-fault-ap-in-vmx.log', GRUB_FAILS]
        status, out, _ = tool('--summary', *map(data, logs))
        self.assertEqual(status, 2)
        rows = out.splitlines()
        self.assertEqual(rows[0].split(), ['MACHINE', 'VERDICT', 'KERNEL', 'CPUS', 'REVISION',
                                           'FAILING', 'CPUS', 'AND', 'WHY'])
        cells = [row.split(None, 5) for row in rows[1:-1]]
        self.assertEqual([c[1:5] for c in cells],
                         [['PASS', 'PASS', '4/4', '0x2b'], ['SKIP', 'SKIP', '4/4', '-'],
                          ['FAIL', 'FAIL', '1/1', '-'], ['FAIL', 'FAIL', '2/2', '0x2b'],
                          ['INCOMPLETE', '-', '-', '-']])
        self.assertEqual(cells[2][5], 'cpu0 vmx locked-off (locked with VMX outside SMX disabled)')
        self.assertTrue(cells[3][5].startswith('cpu1 vmx fault'))
        self.assertEqual(rows[-1], '5 run(s): 1 PASS, 1 SKIP, 2 FAIL, 1 INCOMPLETE')

    def test_exit_status_of_a_fleet(self):
        self.assertEqual(tool('--summary', data(PASS_LOG), data(SKIP_LOG))[0], 0)
        self.assertEqual(tool('--summary', data(PASS_LOG), data(FAIL_LOG))[0], 1)


# ---------------------------------------------------------------- every real log

class RealLogs(unittest.TestCase):
    def test_reader_verdict_equals_the_kernels(self):
        if not os.path.isdir(REAL_LOGS):
            self.skipTest(f'{REAL_LOGS} is absent (make test writes it)')
        logs = sorted(os.path.join(REAL_LOGS, n) for n in os.listdir(REAL_LOGS) if n.endswith('.log'))
        if not logs:
            self.skipTest(f'no *.log in {REAL_LOGS}')
        status, out, err = tool('--json', *logs)
        self.assertNotIn('Traceback', err)
        runs = {r['source']: r for r in map(json.loads, out.splitlines())}
        self.assertEqual(sorted(runs), logs)
        for path, run in runs.items():
            with self.subTest(log=os.path.basename(path)):
                with open(path, 'rb') as f:
                    has_summary = b'vmxprobe: summary ' in f.read()
                if has_summary:
                    self.assertEqual(run['reader_verdict'], run['verdict'], run['problems'])
                    self.assertEqual(run['problems'], [])
                else:
                    self.assertEqual(run['reader_verdict'], 'INCOMPLETE')
        worst = max(r['exit_status'] for r in runs.values())
        self.assertEqual(status, worst)


if __name__ == '__main__':
    unittest.main()


# ---------------------------------------------------------------- AMD SVM

SVM_LOG = 'svm-tcg-smp2.log'    # QEMU TCG -cpu max, 2 CPUs: SVM and a guest on each: PASS


class Svm(Case):
    def test_svm_pass(self):
        status, out, _ = tool(data(SVM_LOG))
        self.assertEqual((status, out), (0, f'{data(SVM_LOG)}: PASS cpus=2/2\n'))

    def test_svm_json_has_the_svm_lines_and_ext(self):
        status, runs = self.json_runs(raw(SVM_LOG))
        self.assertEqual(status, 0)
        self.assertEqual(runs[0]['summary']['ext'], 'svm')
        self.assertEqual(runs[0]['cpus'][1]['svm']['result'], 'on')
        self.assertEqual(runs[0]['cpus'][1]['vmx']['result'], 'no-vmx')

    def test_svm_disabled_fails_and_says_why(self):
        content = edit(raw(SVM_LOG), b'svm: cpu=1 apic=1 result=on', b'svm: cpu=1 apic=1 result=disabled')
        content = edit(content, b'on=2 no-vmx=0 locked-off=0 failed=0 guest=2 verdict=PASS',
                       b'on=1 no-vmx=0 locked-off=1 failed=0 guest=2 verdict=FAIL')
        status, out, _ = self.judge(content)
        self.assertEqual(status, 1, out)
        self.assertIn('cpu 1: svm disabled', out)
        self.assertNotIn('not believed', out)

    def test_svm_line_not_on_under_pass_summary(self):
        content = edit(raw(SVM_LOG), b'svm: cpu=0 apic=0 result=on', b'svm: cpu=0 apic=0 result=efer-fail')
        status, out, _ = self.judge(content)
        self.assertEqual(status, 1, out)
        self.assertIn('summary failed=0 but the vmx: lines say failed=1', out)
        self.assertIn('cpu 0: svm efer-fail', out)

    def test_ext_svm_without_svm_lines_is_not_believed(self):
        content = raw(SVM_LOG)
        for i in (0, 1):
            content = edit(content, b'svm: cpu=%d apic=%d result=on' % (i, i), b'svm-x: cpu=%d' % i)
        status, out, _ = self.judge(content)
        self.assertEqual(status, 1, out)
        self.assertIn('summary says ext=svm but no svm: line stands for a CPU', out)

    def test_svm_lines_without_ext_svm_are_not_believed(self):
        content = edit(raw(SVM_LOG), b'verdict=PASS ext=svm', b'verdict=PASS')
        status, out, _ = self.judge(content)
        self.assertEqual(status, 1, out)
        self.assertIn('summary says ext=vmx but svm: lines stand for the CPUs', out)

    def test_mixed_vendors_fail(self):
        """A CPU without SVM where the others have it: the kernel says FAIL, and so do the lines."""
        content = edit(raw(SVM_LOG), b'svm: cpu=1 apic=1 result=on', b'svm: cpu=1 apic=1 result=no-svm')
        content = edit(content, b'on=2 no-vmx=0 locked-off=0 failed=0 guest=2 verdict=PASS',
                       b'on=1 no-vmx=1 locked-off=0 failed=0 guest=2 verdict=FAIL')
        status, out, _ = self.judge(content)
        self.assertEqual(status, 1, out)
        self.assertIn('cpu 1: vmx no-vmx', out)
