# SPDX-License-Identifier: MIT
"""The Makefile: objects depend on the toolchain and the flags, so a build with
another compiler (make CROSS=...) after a native one rebuilds every object, and
the same build again rebuilds none."""
import os
import shutil
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CROSS = 'x86_64-linux-gnu-'      # Debian's name for its native gcc: another CC for make


def make(build, *args):
    env = {k: v for k, v in os.environ.items() if k not in ('MAKEFLAGS', 'MAKELEVEL', 'MFLAGS')}
    return subprocess.run(['make', '-C', ROOT, f'BUILD={build}', *args], env=env,
                          capture_output=True, text=True, timeout=600)


def compiles(p):
    """The compiler commands make -n would run (-c: one per object)."""
    return [l for l in p.stdout.splitlines() if ' -c ' in l and 'gcc' in l]


def test_flags_and_toolchain_rebuild(tmp_path):
    if not shutil.which(CROSS + 'gcc'):
        pytest.skip(f'{CROSS}gcc is not installed: no second compiler name to build with')
    build = str(tmp_path / 'build')
    p = make(build, '-j2')
    assert p.returncode == 0, p.stderr
    objects = len([f for _, _, fs in os.walk(os.path.join(build, 'k')) for f in fs if f.endswith('.o')])
    assert objects > 40
    assert compiles(make(build, '-n')) == []                        # up to date
    cross = compiles(make(build, '-n', f'CROSS={CROSS}'))
    assert len(cross) == objects and all(l.startswith(CROSS + 'gcc') for l in cross), cross[:3]
    # Another flag (here MAX_CPUS, which the flags carry) rebuilds too.
    assert len(compiles(make(build, '-n', f'CROSS={CROSS}', 'MAX_CPUS=64'))) == objects
