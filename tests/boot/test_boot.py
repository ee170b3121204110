# SPDX-License-Identifier: MIT
"""One test per boot case (tests/boot/cases, collected by conftest.py): boot it, then
judge the log and the exit status as the case says (run.Runner)."""
import pytest


def test_boot(case, runner, record_property):
    verdict, why, _ = runner.run(case)
    if why:
        record_property('note', why)    # e.g. what the host gives a KVM case
    if verdict == 'SKIP':
        pytest.skip(why)
    assert verdict == 'PASS', why
