# SPDX-License-Identifier: MIT
"""pytest collection of the boot cases: one test per case of the cases file (data,
parsed by run.py), with the images to boot given as options.

    python3 -m pytest tests/boot --iso build/vmxprobe.iso --elf build/vmxprobe.elf \\
        [--netboot build/netboot] [--cases tests/boot/cases] [-k NAME] [-n 2]
"""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (the cases parser and the Runner)


def pytest_addoption(parser):
    g = parser.getgroup('vmxprobe boot cases')
    g.addoption('--iso', help="the user's ISO (make iso)")
    g.addoption('--elf', help='the kernel it holds')
    g.addoption('--efi', help='vmxprobe.efi (default: beside the ELF)')
    g.addoption('--netboot', help="make netboot's TFTP root, for cases with media netboot")
    g.addoption('--cases', default=os.path.join(run.HERE, 'cases'), help='the cases file')
    g.addoption('--out', default=os.path.join(run.ROOT, 'build', 'test'),
                help='where logs and test ISOs go')


def pytest_configure(config):
    # tests/boot/cases documents the keys for every cases file (slow-cases refers to it).
    problems = run.check_docs(os.path.join(run.HERE, 'cases'))
    if problems:
        pytest.exit('\n'.join(problems) + '\n(python3 tests/boot/run.py --print-docs prints '
                    'the documentation the table wants)', returncode=2)


def pytest_generate_tests(metafunc):
    if 'case' in metafunc.fixturenames:
        cases = run.parse_cases(metafunc.config.getoption('--cases'))
        metafunc.parametrize('case', cases, ids=[c['name'] for c in cases])


@pytest.fixture(scope='session')
def runner(pytestconfig):
    opt = pytestconfig.getoption
    if not opt('--iso') or not opt('--elf'):
        pytest.exit('--iso and --elf are required (make iso)', returncode=2)

    class Args:
        iso, elf, netboot, out = opt('--iso'), opt('--elf'), opt('--netboot'), opt('--out')
        efi = opt('--efi')
    return run.Runner(Args)
