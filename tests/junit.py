#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run a test command and leave its results as JUnit XML, for CI systems to show.

    python3 tests/junit.py OUT.xml SUITE -- COMMAND [ARG...]

Runs COMMAND, passes its output through unchanged, and records each line of the
form used by every test program here,

    PASS: <group>/<name>[ (<seconds>s)| (<note>)][: <why>]
    FAIL: <group>/<name>...        (indented lines after it: the failure's detail)
    SKIP: <group>/<name>...: <why>

as a test case (classname <group>, name <name>) of one test suite named SUITE in
OUT.xml (Ant/Jenkins JUnit format: <testsuites><testsuite><testcase>, with
<failure> or <skipped>). Exits with COMMAND's exit status; a command that printed
no result line at all still gets a suite, with one <error> case saying so.
"""
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

RESULT = re.compile(r'^(PASS|FAIL|SKIP): ([^\s:(]+)(?: \((?:(\d+(?:\.\d+)?)s|[^)]*)\))?(?:: (.*))?$')


def parse(lines):
    """[(verdict, group, name, seconds or None, why, [detail lines])] from the output."""
    cases = []
    for line in lines:
        m = RESULT.match(line)
        if m:
            verdict, full, secs, why = m.groups()
            group, _, name = full.rpartition('/')
            cases.append([verdict, group or 'tests', name, secs and float(secs), why or '', []])
        elif cases and cases[-1][0] == 'FAIL' and line.startswith((' ', '\t')):
            cases[-1][5].append(line.strip())
    return cases


def to_xml(suite, cases, wall, status):
    failures = sum(1 for c in cases if c[0] == 'FAIL')
    skipped = sum(1 for c in cases if c[0] == 'SKIP')
    errors = 0 if cases else 1
    root = ET.Element('testsuites')
    ts = ET.SubElement(root, 'testsuite', name=suite, tests=str(len(cases) or 1),
                       failures=str(failures), errors=str(errors), skipped=str(skipped),
                       time=f'{wall:.3f}')
    for verdict, group, name, secs, why, detail in cases:
        tc = ET.SubElement(ts, 'testcase', classname=suite if group == suite else f'{suite}.{group}',
                           name=name, time=f'{secs or 0:.3f}')
        if verdict == 'FAIL':
            f = ET.SubElement(tc, 'failure', message=why[:500] or 'failed', type='FAIL')
            f.text = '\n'.join([why] + detail)
        elif verdict == 'SKIP':
            ET.SubElement(tc, 'skipped', message=why[:500])
    if not cases:
        tc = ET.SubElement(ts, 'testcase', classname=suite, name='results')
        ET.SubElement(tc, 'error', message=f'the command printed no result line (exit {status})',
                      type='no-results')
    ET.indent(root)
    return ET.tostring(root, encoding='unicode', xml_declaration=True) + '\n'


def main(argv):
    if len(argv) < 4 or argv[2] != '--':
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    out, suite, cmd = argv[0], argv[1], argv[3:]
    t0 = time.monotonic()
    lines = []
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as p:
        for raw in p.stdout:
            sys.stdout.buffer.write(raw)
            sys.stdout.flush()
            lines.append(raw.decode(errors='replace').rstrip('\r\n'))
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, 'w') as f:
        f.write(to_xml(suite, parse(lines), time.monotonic() - t0, p.returncode))
    return p.returncode


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
