#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Structure check: the layout rules of docs/internals.md and CONTRIBUTING.md, kept true by a test.

  arch-includes     no file in arch/ includes anything from kernel/
  lib-includes      a file in lib/ includes only "lib/..." files and the headers a
                    freestanding C compiler provides (lib/ is built into the kernel
                    as well as into the host tests)
  include-cycles    no cycle in the file-level include graph of boot/ arch/ kernel/ lib/
  duplicates        `duplicates` lists no pair of 6+ shared lines in those folders
                    other than the ones tests/structure/duplicates-allowed accepts;
                    SKIP (never PASS) where the command is missing
  spdx              every source file git tracks (C, assembly, linker scripts,
                    Python, shell, Makefile, YAML) names its licence in an
                    "SPDX-License-Identifier: MIT" line among its first three lines

Includes are read as text (#include lines outside comments), resolved the way the
build does: a quoted name next to the including file first, then from the top
folder (-I.). Prints PASS/FAIL/SKIP lines, then "structure: N passed, N failed,
N skipped"; exits 1 if any check failed.
    tests/structure/check.py [--root DIR]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DIRS = ('boot', 'arch', 'kernel', 'lib')
SOURCE = ('.c', '.h', '.S')
ALLOW_FILE = os.path.join(HERE, 'duplicates-allowed')

# What lib/ may include with <...>: the headers C11 requires of a freestanding
# implementation (C11 4p6), which GCC and Clang provide without a C library.
# <string.h>, <stdio.h> and the rest of libc are not there for the kernel (nor with
# make CROSS=x86_64-elf-): lib/string.h is lib/'s own.
LIB_SYSTEM_HEADERS = {
    'float.h', 'iso646.h', 'limits.h', 'stdalign.h', 'stdarg.h', 'stdbool.h',
    'stddef.h', 'stdint.h', 'stdnoreturn.h',
}

INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\n]+)[>"]', re.M)
BLOCK_COMMENT = re.compile(r'/\*.*?\*/', re.S)


class Include:
    def __init__(self, src, line, quote, name, target):
        self.src, self.line, self.quote, self.name = src, line, quote, name
        self.target = target            # a path from the top folder, or None (not a file here)

    def __str__(self):
        spelled = f'"{self.name}"' if self.quote == '"' else f'<{self.name}>'
        return f'{self.src}:{self.line}: #include {spelled}'


def sources(root):
    out = []
    for d in DIRS:
        for dirpath, dirnames, files in os.walk(os.path.join(root, d)):
            dirnames.sort()
            for f in sorted(files):
                if f.endswith(SOURCE):
                    out.append(os.path.relpath(os.path.join(dirpath, f), root))
    return out


def resolve(root, src, quote, name):
    """The file an include names, as the build (gcc -I.) finds it; None if not here."""
    tries = [os.path.join(os.path.dirname(src), name)] if quote == '"' else []
    tries.append(name)
    for t in tries:
        t = os.path.normpath(t)
        if not t.startswith('..') and os.path.isfile(os.path.join(root, t)):
            return t
    return None


def includes(root, src):
    with open(os.path.join(root, src), encoding='utf-8', errors='replace') as f:
        text = f.read()
    # Blank out comments, keeping line numbers.
    text = BLOCK_COMMENT.sub(lambda m: '\n' * m.group(0).count('\n'), text)
    out = []
    for m in INCLUDE.finditer(text):
        line = text.count('\n', 0, m.start()) + 1
        quote, name = m.group(1), m.group(2).strip()
        out.append(Include(src, line, quote, name, resolve(root, src, quote, name)))
    return out


def under(path, d):
    return path is not None and path.startswith(d + '/')


def check_arch(graph):
    bad = [str(i) for src, incs in graph.items() if under(src, 'arch')
           for i in incs if under(i.target, 'kernel') or
           under(os.path.normpath(i.name), 'kernel')]
    n = sum(1 for s in graph if under(s, 'arch'))
    return bad, f'{n} files in arch/, none includes kernel/'


def check_lib(graph):
    bad = []
    for src, incs in graph.items():
        if not under(src, 'lib'):
            continue
        for i in incs:
            name = os.path.normpath(i.name)
            if i.quote == '<' and not i.target:
                if i.name not in LIB_SYSTEM_HEADERS:
                    bad.append(f'{i}: not a freestanding C header')
            elif i.target and not under(i.target, 'lib'):
                bad.append(f'{i}: outside lib/ ({i.target})')
            elif i.target and (i.quote == '<' or i.target != name):
                bad.append(f'{i}: spell it "{i.target}"')
            elif not i.target:
                bad.append(f'{i}: no such file' + ('' if under(name, 'lib') else ' in lib/'))
    n = sum(1 for s in graph if under(s, 'lib'))
    return bad, f'{n} files in lib/, only lib/ and freestanding C headers'


def find_cycles(edges):
    """Strongly connected components (Tarjan, iterative); one cycle from each that loops."""
    index, low, on_stack, stack, sccs = {}, {}, set(), [], []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(edges.get(w, ())))))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    scc = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        scc.append(w)
                        if w == v:
                            break
                    if len(scc) > 1 or v in edges.get(v, ()):
                        sccs.append(set(scc))
    cycles = []
    for scc in sccs:
        # Shortest way from the first file back to itself, inside the component.
        first = min(scc)
        prev, frontier, done = {}, [first], None
        while frontier and done is None:
            nxt = []
            for v in frontier:
                for w in sorted(edges.get(v, ())):
                    if w == first:
                        done = v
                        break
                    if w in scc and w not in prev:
                        prev[w] = v
                        nxt.append(w)
                if done is not None:
                    break
            frontier = nxt
        path, v = [first], done
        while v != first:
            path.append(v)
            v = prev[v]
        path.append(first)
        cycles.append(' -> '.join([first] + path[1:-1][::-1] + [first]))
    return cycles


def check_cycles(graph):
    edges = {}
    for src, incs in graph.items():
        edges.setdefault(src, set()).update(i.target for i in incs if i.target)
    bad = find_cycles(edges)
    n = sum(len(v) for v in edges.values())
    return bad, f'{len(edges)} files, {n} includes, no cycle'


# --- duplicates -------------------------------------------------------------------

ROW = re.compile(r'^D\d+ (\S+):(\d+)-(\d+) ~ (\S+):(\d+)-(\d+)(.*)$')
C_DEF = re.compile(r'^[A-Za-z_][^;]*?\b([A-Za-z_]\w*)\s*(?:\(|\[|=)')
ASM_LABEL = re.compile(r'^([A-Za-z_.$][\w.$]*):')


def symbol(root, path, first, last):
    """The function, table or assembly label lines first-last are in: the nearest one
    at or above the first line, else the first one inside them."""
    try:
        with open(os.path.join(root, path), encoding='utf-8', errors='replace') as f:
            lines = f.read().split('\n')
    except OSError:
        return '?'
    pat = ASM_LABEL if path.endswith('.S') else C_DEF
    for text in list(reversed(lines[:first])) + lines[first:last]:
        m = pat.match(text)
        if m and not text.startswith('#'):
            return m.group(1)
    return '(top)'


def pair_key(a, b):
    return ' ~ '.join(sorted((a, b)))


def read_allowed():
    """Accepted pairs: 'FILE:SYMBOL ~ FILE:SYMBOL  reason' a line; # starts a comment."""
    allowed, errors = {}, []
    try:
        with open(ALLOW_FILE, encoding='utf-8') as f:
            lines = f.read().split('\n')
    except OSError as e:
        return allowed, [f'{ALLOW_FILE}: {e.strerror}']
    for n, text in enumerate(lines, 1):
        text = text.strip()
        if not text or text.startswith('#'):
            continue
        words = text.split(None, 3)
        if len(words) < 4 or words[1] != '~' or ':' not in words[0] or ':' not in words[2]:
            errors.append(f'duplicates-allowed:{n}: want "FILE:SYMBOL ~ FILE:SYMBOL reason": {text}')
            continue
        allowed[pair_key(words[0], words[2])] = n
    return allowed, errors


def check_duplicates(root):
    """(status, detail lines, summary)."""
    exe = shutil.which('duplicates')
    if not exe:
        return 'SKIP', [], 'the duplicates command is not on PATH'
    allowed, bad = read_allowed()
    notes = []
    with tempfile.TemporaryDirectory(prefix='vp-structure-') as tmp:
        # Only these folders: a copy, so that the rest of the tree takes no part.
        for d in DIRS:
            if os.path.isdir(os.path.join(root, d)):
                shutil.copytree(os.path.join(root, d), os.path.join(tmp, d))
        try:
            r = subprocess.run([exe, '--repo', tmp, '--most', '200', '--seconds', '60'],
                               capture_output=True, text=True, timeout=180, cwd=tmp)
        except subprocess.TimeoutExpired:
            return 'FAIL', ['duplicates did not finish in 180 s'], 'duplicates timed out'
        out = r.stdout.strip().split('\n')
        seen, rows = set(), 0
        for text in out:
            m = ROW.match(text)
            if re.match(r'^(\d+ pairs? of places|no duplicates)', text):
                continue                        # the count line
            if m:
                rows += 1
                a_file, b_file, rest = m.group(1), m.group(4), m.group(7)
                a_sym = symbol(tmp, a_file, int(m.group(2)), int(m.group(3)))
                b_sym = symbol(tmp, b_file, int(m.group(5)), int(m.group(6)))
                key = pair_key(f'{a_file}:{a_sym}', f'{b_file}:{b_sym}')
                seen.add(key)
                shape = ' shape' in rest
                if key in allowed and shape:
                    continue
                why = ('identical to the letter, which no reason accepts' if key in allowed
                       else 'not in tests/structure/duplicates-allowed')
                bad.append(f'{text}\n        {key}: {why}')
            elif re.match(r'^\(\+\d+ more pairs\)', text):
                bad.append(f'{text}: more than --most 200 lists, so not all were seen')
            elif text.startswith('incomplete:'):
                bad.append(text)
            elif text.startswith('left out:'):
                notes.append(text)
            elif text:
                bad.append(f'unexpected line from duplicates: {text}')
        if r.returncode != 0:
            bad.append(f'duplicates exited with status {r.returncode}: {r.stderr.strip()}')
    for key, n in sorted(allowed.items(), key=lambda kv: kv[1]):
        if key not in seen:
            notes.append(f'duplicates-allowed:{n} is no longer listed: {key} (remove it?)')
    if bad:
        return 'FAIL', bad + [f'note: {t}' for t in notes], f'{len(bad)} not accepted'
    return 'PASS', [f'note: {t}' for t in notes], \
        f'{rows} pairs listed, all in duplicates-allowed' if rows else 'no pairs listed'


# The files that must carry an SPDX line: code and build files, not data (logs,
# fuzz corpora, captured MSR dumps) nor prose (Markdown).
SPDX_FILES = re.compile(r'(\.(c|h|S|ld|py|sh|yaml|cfg|dict|xsd)|(^|/)Makefile|^\.ci/run'
                        r'|^tools/vmxprobe-log|^tests/boot/(slow-)?cases)$')
SPDX_LINE = 'SPDX-License-Identifier: MIT'


def check_spdx(root):
    try:
        files = subprocess.run(['git', '-C', root, 'ls-files'], capture_output=True,
                               text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return 'SKIP', [], 'not a git checkout: the tracked files are unknown'
    files = [f for f in files if SPDX_FILES.search(f) and os.path.exists(os.path.join(root, f))]
    bad = []
    for f in files:
        with open(os.path.join(root, f), encoding='utf-8', errors='replace') as fh:
            head = [fh.readline() for _ in range(3)]
        if not any(SPDX_LINE in line for line in head):
            bad.append(f'{f}: no "{SPDX_LINE}" line among its first three lines')
    if bad:
        return 'FAIL', bad, f'{len(bad)} found'
    return 'PASS', [], f'{len(files)} files'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--root', default=os.path.dirname(os.path.dirname(HERE)),
                    help='the top folder of the tree (default: this checkout)')
    root = os.path.abspath(ap.parse_args().root)
    graph = {src: includes(root, src) for src in sources(root)}
    n = {'PASS': 0, 'FAIL': 0, 'SKIP': 0}

    def report(name, status, detail, summary):
        n[status] += 1
        print(f'{status}: structure/{name} ({summary})')
        for d in detail:
            print(f'    {d}')

    for name, fn in (('arch-includes', check_arch), ('lib-includes', check_lib),
                     ('include-cycles', check_cycles)):
        bad, summary = fn(graph)
        report(name, 'FAIL' if bad else 'PASS', bad, f'{len(bad)} found' if bad else summary)
    report('duplicates', *check_duplicates(root))
    report('spdx', *check_spdx(root))
    print(f'structure: {n["PASS"]} passed, {n["FAIL"]} failed, {n["SKIP"]} skipped')
    return 1 if n['FAIL'] else 0


if __name__ == '__main__':
    sys.exit(main())
