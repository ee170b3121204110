# SPDX-License-Identifier: MIT
"""Screen checks for the boot-test runner (run.py): the "screen" and "screen-expect" keys.

Once the summary is on COM1 the runner hands a QEMU Monitor (monitor.py) to check_screen(),
which reads the screen back and returns a list of problems (empty: the screen is right):
  screen text     the EGA text buffer at 0xB8000 (monitor "xp"): the screen-expect rows,
                  and the summary row in its verdict's colour
  screen fb[:V]   a "screendump" of the framebuffer: not blank, and (with :V) the bar in
                  verdict V's colour
What was read is kept next to the serial log: LOG.screen.txt, or LOG.screen.ppm and .png.
"""
import os
import re
import struct
import time
import zlib

# Screen colours of the summary line, by verdict (lib/textcon.c): EGA attribute, RGB background.
VERDICT_ATTR = {'PASS': 0xa0, 'SKIP': 0xe0, 'FAIL': 0x4f}
VERDICT_BG = {'PASS': (0x55, 0xff, 0x55), 'SKIP': (0xff, 0xff, 0x55), 'FAIL': (0xaa, 0x00, 0x00)}

TEXT_COLS, TEXT_ROWS = 80, 25


def check_screen(case, mon, log):
    """Check the screen the case's "screen" key names, through the monitor mon."""
    if case['screen'].startswith('text'):
        return check_text_screen(case, mon, log)
    return check_fb_screen(case, mon, log)


def check_text_screen(case, mon, log):
    """Read the EGA text buffer at 0xB8000 (80x25 cells of character, attribute)."""
    cells = TEXT_COLS * TEXT_ROWS
    out = mon.command(f'xp /{cells}hx 0xb8000')
    words = [int(w, 16) for line in re.findall(r'^[0-9a-f]{8,16}: (.*)$', out, re.M)
             for w in re.findall(r'0x([0-9a-f]{4})\b', line)]
    if len(words) != cells:
        return [f'read {len(words)} text cells at 0xb8000, expected {cells}']
    grid = [words[r * TEXT_COLS:(r + 1) * TEXT_COLS] for r in range(TEXT_ROWS)]
    rows = [''.join(chr(w & 0xff) if 32 <= (w & 0xff) < 127 else ' ' for w in row).rstrip()
            for row in grid]
    attrs = [[w >> 8 for w in row] for row in grid]
    with open(log + '.screen.txt', 'w') as f:
        f.write('\n'.join(rows) + '\n')
    # A line too long for a row goes on in the next rows, each indented by two
    # spaces (lib/textcon.c): join them back into the line, remembering where
    # each line starts (its first row's attribute is the line's colour).
    lines, starts = [], []
    for i, r in enumerate(rows):
        if r.startswith('  ') and lines and r.strip():
            lines[-1] += ' ' + r.strip()
        else:
            lines.append(r)
            starts.append(i)
    problems = []
    for pat in case['screen-expect']:
        if not any(re.search(pat, l) for l in lines):
            problems.append(f'no screen line matches /{pat}/ (screen: {log}.screen.txt)')
    summary = [k for k, l in enumerate(lines) if l.startswith('vmxprobe: summary')]
    if not summary:
        problems.append('no summary row on the screen')
    else:
        k = summary[-1]
        i = starts[k]
        verdict = re.search(r'verdict=(\w+)', lines[k])
        if verdict and attrs[i][0] != VERDICT_ATTR.get(verdict.group(1)):
            problems.append(f'summary row attribute 0x{attrs[i][0]:02x}, expected '
                            f'0x{VERDICT_ATTR.get(verdict.group(1), 0):02x}')
    return problems


def check_fb_screen(case, mon, log):
    """screendump the framebuffer: not blank, and the verdict's colour bar is there."""
    ppm = log + '.screen.ppm'
    mon.command(f'screendump {ppm}')
    for _ in range(50):     # QEMU may write the file after the prompt returns
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
        if bar < 8 * 16 * 10:   # ten 8x16 glyph cells' worth
            problems.append(f'only {bar} pixels of the {want} colour: no verdict bar '
                            f'({log}.screen.png)')
    return problems


def read_ppm(path):
    """A binary PPM (P6, 8 bits per channel): returns (width, height, RGB bytes)."""
    with open(path, 'rb') as f:
        data = f.read()
    m = re.match(rb'P6\s+(\d+)\s+(\d+)\s+255\s', data)
    if not m:
        raise ValueError('not a binary PPM')
    w, h = int(m.group(1)), int(m.group(2))
    pix = data[m.end():m.end() + w * h * 3]
    if len(pix) != w * h * 3:
        raise ValueError('short PPM')
    return w, h, pix


def write_png(path, w, h, pix):
    """The screendump as a PNG artefact (stdlib only): 8-bit RGB, no filter, one IDAT."""
    raw = b''.join(b'\0' + pix[y * w * 3:(y + 1) * w * 3] for y in range(h))

    def chunk(tag, body):
        return (struct.pack('>I', len(body)) + tag + body
                + struct.pack('>I', zlib.crc32(tag + body) & 0xffffffff))
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
                + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
