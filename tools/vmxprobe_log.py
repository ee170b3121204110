# SPDX-License-Identifier: MIT
"""vmxprobe-log: read vmxprobe serial logs and judge them, for CI.

    vmxprobe-log [--json | --junit | --tap | --summary] [-o FILE] [LOG ...]

Each LOG (standard input when none is given, or for "-") is read as bytes, a
chunk at a time (a 100 MB log takes bounded memory and linear time): decoded as
UTF-8 with bad bytes replaced, CR, LF and CRLF all ending lines (numbered by LF,
as an editor does), terminal escapes (CSI, OSC, two-character ESC sequences),
NULs and other control characters but tab removed, lines cut at MAX_LINE. With
no LOG and a terminal on standard input it says what it expects and exits 2
rather than wait for a log typed in ("-" reads a terminal all the same).

The grammar checked is the result protocol of docs/protocol.md (and its
`guest:`, `vmxcap:` and self-test lines); docs/results-reader.md tells how to
use this reader:

    log      := { other-line } { run }
    run      := version-line { line } summary-line { other-line }
    version  := "vmxprobe: version=<v> firmware=<f> bootloader="<b>" cmdline="<c>" [truncated=..]"
    summary  := "vmxprobe: summary cpus=<online>/<enumerated> on=<n> no-vmx=<n>
                 locked-off=<n> failed=<n> guest=<n> verdict=<PASS|FAIL|SKIP> [ext=svm]"
    line     := cpu: | vmx: | svm: | guest: | vmxcap: | fault: | nmi: | smp: | selftest: |
                PASS:/FAIL:/SKIP: selftest cpu=<i> <rule>: <text> | other-line

Every version line starts a run (two boots in one log are two runs); lines
before the first are the boot loader's and form a run of their own only when
they hold vmxprobe lines (a log whose start is missing, or `vmxprobe: fatal:`
with no version line at all). A run is checked against its summary: one `cpu:`
and one `vmx:` result line per online CPU (and one `guest:` line per CPU when
there are guest lines), each CPU once, the same APIC ID on each; online = the
`cpu:` lines; on/no-vmx/locked-off = the `vmx:` lines with that result and
failed = every other result, where a CPU's `svm:` line (AMD SVM) takes the
place of its `vmx:` no-vmx (on as on, no-svm as no-vmx, disabled as
locked-off); the summary's `ext=svm` must then be there, and only then;
guest = the `guest:` lines with result=ok; each
`selftest: cpu=<i> passed= failed= skipped=` line = that CPU's rule lines. The
verdict is then worked out again from the lines as the kernel does (lib/verdict.c):
FAIL on a fault:, a FAIL: rule, a CPU list unknown or cut short, a CPU that did
not come up; PASS when every CPU is `on` (and its guest `ok`, unless guest=off);
SKIP when every CPU is `no-vmx`; FAIL otherwise.

The reader's verdict per run: INCOMPLETE when there is no version line or no
(whole) summary: a run cut off, a hang, a reset, a fatal stop is never a pass;
FAIL when the summary disagrees with the lines (a forged or garbled summary is
not believed), when a protocol line follows the summary, or when the kernel
says FAIL; otherwise the kernel's PASS or SKIP.

Exit status, as `make run`'s: 0 every run PASS or SKIP; 1 some run FAIL;
2 some run INCOMPLETE, or a log could not be read (the worst one wins).
"""
import argparse
import codecs
import collections
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

MAX_LINE = 4096      # characters kept of one line
MAX_CPUS = 8192      # CPUs kept per run (beyond: counted only)
MAX_ITEMS = 20000    # vmxcap lines and self-test rules kept per run
MAX_NOTES = 64       # problems, notes, faults, advice kept per run; lines kept per CPU
TAIL = 20            # last lines kept of a run, shown when it is incomplete
CHUNK = 1 << 20      # bytes read at a time

USAGE_ON_A_TERMINAL = """\
vmxprobe-log: no LOG named, and standard input is a terminal: nothing to read.
usage: pipe a serial log in or name log files, e.g.
  vmxprobe-log serial.log
  vmxprobe-log --summary logs/*.log
  qemu-system-x86_64 ... -serial stdio | vmxprobe-log
("vmxprobe-log -" reads the terminal all the same; vmxprobe-log --help for more)
"""

STATUS = {'PASS': 0, 'SKIP': 0, 'FAIL': 1, 'INCOMPLETE': 2, 'ERROR': 2}
COUNTED = ('on', 'no-vmx', 'locked-off')          # every other vmx: result is "failed"
SUMMARY_KEYS = COUNTED + ('failed', 'guest')
VERDICT_TEXT = {'PASS': 'PASS: VMX usable on every CPU', 'SKIP': 'SKIP: no CPU has VMX'}

# Character classes only (no nested quantifiers), so matching stays linear.
NOISE = re.compile(r'\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b\r\n]*(?:\x07|\x1b\\)?|[ -/]*[0-~]?)'
                   r'|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]')
LINE_END = re.compile(r'[\r\n]')
FIELD = re.compile(r'\s*([^\s="]*)(?:=(?:"((?:[^"\\]|\\.)*)"?|(\S*)))?')
ESCAPE = re.compile(r'\\(x[0-9a-fA-F]{2}|.)')
RULE = re.compile(r'selftest cpu=(\d{1,9}) ([^\s:]+):? ?(.*)')


# ---------------------------------------------------------------- reading

def read_lines(stream):
    """(line number, text) for each non-empty cleaned line of a byte stream."""
    decoder = codecs.getincrementaldecoder('utf-8')(errors='replace')
    pending, dropping, lineno = '', False, 1
    while True:
        chunk = stream.read(CHUNK)
        text = decoder.decode(chunk, final=not chunk)
        if dropping:                               # the rest of an overlong line
            end = LINE_END.search(text)
            text, dropping = ('', True) if end is None else (text[end.start():], False)
        text = pending + text
        cut = max(text.rfind('\n'), text.rfind('\r')) + 1
        body, pending = text[:cut], text[cut:]
        if len(pending) > MAX_LINE:
            pending, dropping = pending[:MAX_LINE], True
        if not chunk:
            body, pending = body + pending, ''
        pieces = NOISE.sub('', body).split('\n')
        for i, piece in enumerate(pieces):
            for part in piece.split('\r') if '\r' in piece else (piece,):
                part = part[:MAX_LINE].rstrip()
                if part:
                    yield lineno + i, part
        lineno += len(pieces) - 1
        if not chunk:
            return


def parse_fields(text):
    """The key=value words of a protocol line (quoted values unescaped) and its bare words."""
    fields, words, pos = {}, [], 0
    while pos < len(text):
        m = FIELD.match(text, pos)
        key, quoted, plain = m.groups()
        if quoted is not None or plain is not None:
            fields.setdefault(key, plain if quoted is None else unescape(quoted))
        elif key:
            words.append(key)
        pos = m.end() + (0 if key or quoted is not None or plain is not None else 1)
    return fields, words


def unescape(text):
    """Undo the kernel's \\" \\\\ \\xNN escapes (bytes, UTF-8 decoded); control bytes stay \\xNN."""
    out, pos = bytearray(), 0
    for m in ESCAPE.finditer(text):
        out += text[pos:m.start()].encode()
        pos, code = m.end(), m[1]
        byte = int(code[1:], 16) if len(code) == 3 else None
        out += (code.encode() if byte is None else
                m[0].encode() if byte < 0x20 or byte == 0x7f else bytes([byte]))
    out += text[pos:].encode()
    return NOISE.sub('', out.decode('utf-8', errors='replace'))


def intval(value):
    """A decimal field's value, or None."""
    if value and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def typed(fields):
    """Fields with decimal values as numbers (hex and words stay text), for JSON."""
    return {k: intval(v) if intval(v) is not None else v for k, v in fields.items()}


def clip(text, n=160):
    return text if len(text) <= n else text[:n - 3] + '...'


# ---------------------------------------------------------------- one run

class Run:
    """What one boot's lines say, kept within the caps above."""

    def __init__(self, source, number):
        self.source, self.number, self.name = source, number, source
        self.version = self.summary = self.summary_line = self.smp = self.cpu_list = None
        self.bad_summary = None
        self.cpus, self.cpu_log = {}, {}
        self.count = collections.Counter()        # line kinds, independent of the caps
        self.vmx_results, self.guest_results, self.rule_results = (collections.Counter()
                                                                   for _ in range(3))
        self.faults, self.advice, self.rules, self.failed_rules = [], [], [], []
        self.vmxcap, self.vmxcap_raw, self.no_response, self.ready = [], [], [], []
        self.fatal, self.notes, self.problems, self.reasons = [], [], [], []
        self.revisions = set()
        self.kernel = self.uefi = self.model = None
        self.ext_svm = False                       # some CPU's svm: line took its vmx: place
        self.tail = collections.deque(maxlen=TAIL)
        self.verdict = None

    # -- bookkeeping
    def problem(self, text):
        self.count['problems'] += 1
        if len(self.problems) < MAX_NOTES:
            self.problems.append(text)

    def cpu(self, index):
        """The record of CPU `index`, made on first mention; None beyond MAX_CPUS."""
        if index not in self.cpus:
            if len(self.cpus) >= MAX_CPUS:
                return None
            self.cpus[index] = {'index': index, 'apic': None, 'online': False, 'cpu': None,
                                'vmx': None, 'svm': None, 'guest': None, 'faults': [], 'nmi': 0,
                                'notes': [], 'selftest': None}
            self.cpu_log[index] = []
        return self.cpus[index]

    def log_cpu(self, index, line):
        if index in self.cpu_log and len(self.cpu_log[index]) < MAX_NOTES:
            self.cpu_log[index].append(line)

    def malformed(self, n, line):
        self.problem(f'line {n} is malformed: {clip(line, 100)}')

    # -- lines
    def start(self, n, line):
        fields, _ = parse_fields(line[len('vmxprobe: '):])
        self.version = {k: fields.get(k) for k in ('version', 'firmware', 'bootloader', 'cmdline')}
        self.version['truncated'] = fields.get('truncated', '').split(',') if 'truncated' in fields else []
        self.tail.append((n, line))

    def feed(self, n, line):
        self.tail.append((n, line))
        prefix, sep, rest = line.partition(': ')
        handler = HANDLERS.get(prefix) if sep else None
        if handler is None:
            return
        self.count['protocol'] += 1
        if self.summary is not None:
            self.problem(f'line {n} follows the summary: {clip(line, 100)}')
            return
        handler(self, n, line, rest)

    def on_vmxprobe(self, n, line, rest):
        if rest.startswith('summary'):
            self.summary = parse_summary(rest)
            if self.summary is None:
                self.bad_summary = (n, line)
            else:
                self.summary_line = line
        elif rest.startswith('fatal') and len(self.fatal) < MAX_NOTES:
            self.fatal.append(line)
        elif len(self.notes) < MAX_NOTES:
            self.notes.append(line)

    def on_boot(self, n, line, rest):
        """boot: lines: "boot: fatal: ..." (the kernel stopped early), where the kernel
        lies ("boot: kernel START-END (...)") and, from vmxprobe.efi, the UEFI facts
        ("boot: uefi secure_boot=... vendor=... ...")."""
        if rest.startswith('fatal:') and len(self.fatal) < MAX_NOTES:
            self.fatal.append(line)
        elif rest.startswith('kernel '):
            m = re.match(r'kernel (0x[0-9a-f]+)-(0x[0-9a-f]+) \((.*)\)$', rest)
            if not m:
                return self.malformed(n, line)
            self.kernel = {'start': m.group(1), 'end': m.group(2), 'how': m.group(3)}
        elif rest.startswith('uefi '):
            fields, _ = parse_fields(rest[len('uefi '):])
            if 'secure_boot' not in fields:
                return self.malformed(n, line)
            self.uefi = fields

    def on_cpu(self, n, line, rest):
        fields, words = parse_fields(rest)
        index, apic = intval(fields.pop('index', None)), intval(fields.pop('apic', None))
        if index is None or apic is None:
            return self.malformed(n, line)
        self.count['cpu'] += 1
        cpu = self.cpu(index)
        if cpu is None:
            return
        if cpu['online']:
            self.problem(f'line {n}: a second cpu: line for cpu {index}')
        cpu.update(online=True, apic=apic, cpu=dict(typed(fields), words=words))
        self.log_cpu(index, line)

    def on_result(self, kind, n, line, rest, results):
        """A vmx: or guest: line: a CPU's result, advice, or a note."""
        fields, words = parse_fields(rest)
        index = intval(fields.get('cpu'))
        if rest.startswith('advice '):
            # "advice result=<token> cpus=<n>: <text>": the fields end at the colon.
            head, _, text = rest.partition(': ')
            fields, _ = parse_fields(head)
            if len(self.advice) < MAX_NOTES:
                self.advice.append({'kind': kind, 'result': fields.get('result'),
                                    'cpus': intval(fields.get('cpus')), 'text': text})
        elif 'result' in fields:
            if index is None or intval(fields.get('apic')) is None:
                return self.malformed(n, line)
            self.count[kind] += 1
            token = fields['result']
            results[token if kind == 'guest' or token in COUNTED else 'failed'] += 1
            if kind == 'vmx' and 'revision' in fields and len(self.revisions) < MAX_NOTES:
                self.revisions.add(fields['revision'])
            cpu = self.cpu(index)
            if cpu is not None:
                if cpu[kind] is not None:
                    self.problem(f'line {n}: a second {kind}: result line for cpu {index}')
                cpu[kind] = typed(fields)
                self.log_cpu(index, line)
        elif index is not None and self.cpu(index) is not None:
            notes = self.cpus[index]['notes']
            if len(notes) < MAX_NOTES:
                notes.append(line)
            self.log_cpu(index, line)

    def on_svm(self, n, line, rest):
        """An svm: line: a CPU's AMD SVM result takes the place of its vmx: no-vmx in the
        counts (lib/verdict.c: vp_counts_svm()); advice and the pool line are notes."""
        fields, _ = parse_fields(rest)
        if rest.startswith('advice '):
            head, _, text = rest.partition(': ')
            head_fields, _ = parse_fields(head)
            if len(self.advice) < MAX_NOTES:
                self.advice.append({'kind': 'svm', 'result': head_fields.get('result'),
                                    'cpus': intval(head_fields.get('cpus')), 'text': text})
            return
        if 'result' not in fields:
            if len(self.notes) < MAX_NOTES:
                self.notes.append(line)
            return
        index = intval(fields.get('cpu'))
        if index is None or intval(fields.get('apic')) is None:
            return self.malformed(n, line)
        self.count['svm'] += 1
        cpu = self.cpu(index)
        if cpu is None:
            return
        if cpu['svm'] is not None:
            self.problem(f'line {n}: a second svm: result line for cpu {index}')
        cpu['svm'] = typed(fields)
        self.log_cpu(index, line)
        token = fields['result']
        if (cpu['vmx'] or {}).get('result') == 'no-vmx':
            self.ext_svm = True
            self.vmx_results['no-vmx'] -= 1
            self.vmx_results[SVM_AS.get(token, 'failed')] += 1

    def on_fault(self, n, line, rest):
        fields = typed(parse_fields(rest)[0])
        index = fields.get('cpu')
        if not isinstance(index, int):
            return self.malformed(n, line)
        self.count['fault'] += 1
        if len(self.faults) < MAX_NOTES:
            self.faults.append(fields)
        cpu = self.cpu(index)
        if cpu is not None and len(cpu['faults']) < MAX_NOTES:
            cpu['faults'].append(fields)
            self.log_cpu(index, line)

    def on_nmi(self, n, line, rest):
        fields = typed(parse_fields(rest)[0])
        if isinstance(fields.get('cpu'), int) and self.cpu(fields['cpu']) is not None:
            self.cpus[fields['cpu']]['nmi'] = fields.get('count')

    def on_smp(self, n, line, rest):
        fields, words = parse_fields(rest)
        if rest.startswith('apic=') and 'enumerated' in fields:
            self.smp = typed(fields)
        elif rest.startswith('cpu_list='):
            self.cpu_list = {'state': fields.get('cpu_list'), 'detail': fields.get('detail')}
        elif words[-1:] == ['no-response'] and intval(fields.get('cpu')) is not None:
            if len(self.no_response) < MAX_NOTES:
                self.no_response.append(intval(fields['cpu']))

    def on_vmxcap(self, n, line, rest):
        if len(self.vmxcap_raw) >= MAX_ITEMS:
            self.count['vmxcap_dropped'] += 1
            return
        self.vmxcap_raw.append(line)
        if rest.startswith('cpu='):
            fields = typed(parse_fields(rest)[0])
            self.vmxcap.append({'cpu': fields.get('cpu'), 'apic': fields.get('apic'),
                                'msr': {}, 'fields': {}})
            return
        key, sep, value = rest.partition('=')
        if not sep or ' ' in key:
            return                                  # a table line ("| ...") stays raw only
        if not self.vmxcap:
            self.vmxcap.append({'cpu': None, 'apic': None, 'msr': {}, 'fields': {}})
        block = self.vmxcap[-1]
        if key.startswith('msr.'):
            block['msr'][key[4:]] = value
        else:
            group, _, name = key.partition('.')
            block['fields'].setdefault(group, {})[name] = value

    def on_rule(self, n, line, rest):
        m = RULE.match(rest)
        if m is None:
            if rest.startswith('selftest'):
                self.malformed(n, line)
            return
        result, index, rule, text = line[:4], int(m[1]), m[2], m[3]
        self.rule_results[result] += 1
        entry = {'cpu': index, 'rule': rule, 'result': result, 'text': text}
        if len(self.rules) < MAX_ITEMS:
            self.rules.append(entry)
        if result == 'FAIL' and len(self.failed_rules) < MAX_NOTES:
            self.failed_rules.append(entry)
        cpu = self.cpu(index)
        if cpu is not None:
            tally = cpu.setdefault('rules', {'PASS': 0, 'FAIL': 0, 'SKIP': 0})
            tally[result] += 1

    def on_ready(self, n, line, rest):
        """ready: hypervisor=<name> result=<r> missing="..." [limits="..."]: the
        hypervisor readiness lines (docs/readiness.md)."""
        fields, _ = parse_fields(rest)
        if 'hypervisor' not in fields:
            if len(self.notes) < MAX_NOTES:
                self.notes.append(line)         # ready: warning: ...
            return
        if len(self.ready) < MAX_NOTES:
            self.ready.append({'hypervisor': fields['hypervisor'], 'result': fields.get('result'),
                               'missing': fields.get('missing', '').split(),
                               'limits': fields.get('limits', '').split(),
                               **({'detail': fields['detail']} if 'detail' in fields else {})})

    def on_model(self, n, line, rest):
        """model: vendor="..." family=0x.. model=0x.. stepping=N signature=0x.. brand="...":
        the boot CPU's model (docs/protocol.md)."""
        fields, _ = parse_fields(rest)
        if self.model is None:
            self.model = {k: fields.get(k) for k in ('vendor', 'family', 'model', 'stepping',
                                                     'signature', 'brand')}

    def on_selftest(self, n, line, rest):
        fields = typed(parse_fields(rest)[0])
        if isinstance(fields.get('cpu'), int) and 'passed' in fields and self.cpu(fields['cpu']):
            self.cpus[fields['cpu']]['selftest'] = {k: fields.get(k)
                                                     for k in ('passed', 'failed', 'skipped')}
        elif len(self.notes) < MAX_NOTES:
            self.notes.append(line)


# An svm: result as the vmx: token it stands for in the counts (lib/verdict.c).
SVM_AS = {'on': 'on', 'no-svm': 'no-vmx', 'disabled': 'locked-off'}

HANDLERS = {'vmxprobe': Run.on_vmxprobe, 'cpu': Run.on_cpu, 'svm': Run.on_svm,
            'vmx': lambda run, *line: run.on_result('vmx', *line, run.vmx_results),
            'guest': lambda run, *line: run.on_result('guest', *line, run.guest_results),
            'fault': Run.on_fault, 'nmi': Run.on_nmi, 'smp': Run.on_smp,
            'vmxcap': Run.on_vmxcap, 'PASS': Run.on_rule, 'FAIL': Run.on_rule,
            'SKIP': Run.on_rule, 'selftest': Run.on_selftest, 'ready': Run.on_ready,
            'boot': Run.on_boot, 'model': Run.on_model}


def parse_summary(rest):
    """The summary line's fields, or None when one is missing or bad (a cut line)."""
    fields, _ = parse_fields(rest[len('summary'):])
    online, slash, enumerated = fields.get('cpus', '').partition('/')
    s = {'online': intval(online), 'enumerated': intval(enumerated)}
    s.update((k, intval(fields.get(k))) for k in SUMMARY_KEYS)
    s['verdict'] = fields.get('verdict')
    if None in s.values() or s['verdict'] not in ('PASS', 'FAIL', 'SKIP'):
        return None
    s['ext'] = fields.get('ext', 'vmx')     # "ext=svm" at the end: the CPUs' extension is SVM
    return s


def split_runs(source, lines):
    """The runs of one log, each yielded as soon as the next starts (or the log ends)."""
    run, pre, number = None, Run(source, 0), 0
    for n, line in lines:
        if line.startswith('vmxprobe: version='):
            if run is None and pre.count['protocol']:
                pre.name = f'{source}#0'
                yield pre
            elif run is not None:
                run.name = f'{source}#{run.number}'
                yield run
            number += 1
            run = Run(source, number)
            run.start(n, line)
            if number > 1 or pre.name != source:
                run.name = f'{source}#{number}'
        else:
            (run or pre).feed(n, line)
    yield run or pre


# ---------------------------------------------------------------- judging

def judge(run):
    """Set run.verdict (the reader's), run.problems and run.reasons."""
    if run.version is None and run.fatal:
        incomplete(run, 'the kernel stopped before its version line')
    elif run.version is None:
        incomplete(run, 'no "vmxprobe: version=" line: not a vmxprobe log, or its start is missing')
    elif run.summary is None:
        incomplete(run, 'no summary: the run was cut off (a hang, a reset, a truncated log)')
    else:
        check_counts(run)
        if run.bad_summary:
            run.problem(f'line {run.bad_summary[0]}: a cut or malformed summary line')
        expected = line_verdict(run)
        said = run.summary['verdict']
        if expected != said:
            run.problem(f'the summary says verdict={said} but the lines say {expected}')
        run.verdict = 'FAIL' if run.count['problems'] else said
    return run


def incomplete(run, why):
    run.verdict = 'INCOMPLETE'
    run.problem(why)
    if run.bad_summary:
        run.problem(f'line {run.bad_summary[0]}: a cut or malformed summary: '
                    f'{clip(run.bad_summary[1])}')
    run.problems.extend(run.fatal[:3])
    if not run.tail:
        run.problem('the log is empty')
    elif run.tail[-1][1] not in run.fatal:
        n, line = run.tail[-1]
        run.problem(f'last line seen, line {n}: {clip(line)}')


def check_counts(run):
    """Problems where the summary and the per-CPU lines disagree."""
    s, c = run.summary, run.count
    bsp_fault = any(f.get('cpu') == 0 for f in run.faults)   # ends the run before cpu: lines
    if s['online'] != c['cpu'] and not bsp_fault:
        run.problem(f'summary cpus={s["online"]}/{s["enumerated"]} ({s["online"]} online) '
                    f'but there are {c["cpu"]} cpu: lines')
    if c['vmx'] != c['cpu'] and not bsp_fault:
        run.problem(f'{c["cpu"]} cpu: lines but {c["vmx"]} vmx: result lines (one per CPU)')
    for key in SUMMARY_KEYS:
        seen = run.guest_results['ok'] if key == 'guest' else run.vmx_results[key]
        if s[key] != seen:
            what = f'guest: lines say result=ok on {seen}' if key == 'guest' else \
                f'vmx: lines say {key}={seen}'
            run.problem(f'summary {key}={s[key]} but the {what}')
    if (s['ext'] == 'svm') != run.ext_svm:
        run.problem(f'summary says ext={s["ext"]} but ' +
                    ('svm: lines stand for the CPUs' if run.ext_svm else 'no svm: line stands for a CPU'))
    if c['guest'] and c['guest'] != c['cpu']:
        run.problem(f'{c["guest"]} guest: result lines for {c["cpu"]} online CPUs (one per CPU)')
    if run.smp and (run.smp.get('online'), run.smp.get('enumerated')) != (s['online'], s['enumerated']):
        run.problem(f'summary cpus={s["online"]}/{s["enumerated"]} but the smp: line says '
                    f'online={run.smp.get("online")} enumerated={run.smp.get("enumerated")}')
    for cpu in run.cpus.values():
        check_cpu(run, cpu, bsp_fault)


def check_cpu(run, cpu, bsp_fault):
    i = cpu['index']
    if not cpu['online'] and (cpu['vmx'] or cpu['guest']):
        run.problem(f'cpu {i} has vmx:/guest: lines but no cpu: line')
    if cpu['online'] and cpu['vmx'] is None and not bsp_fault:
        run.problem(f'cpu {i} has no vmx: result line')
    for kind in ('vmx', 'guest'):
        if cpu[kind] and cpu['online'] and cpu[kind].get('apic') != cpu['apic']:
            run.problem(f'cpu {i}: cpu: line says apic={cpu["apic"]}, '
                        f'its {kind}: line apic={cpu[kind].get("apic")}')
    said, seen = cpu['selftest'], cpu.get('rules')
    if said and seen and (said['passed'], said['failed'], said['skipped']) != \
            (seen['PASS'], seen['FAIL'], seen['SKIP']):
        run.problem(f'selftest: cpu={i} says passed={said["passed"]} failed={said["failed"]} '
                    f'skipped={said["skipped"]} but its rule lines say {seen["PASS"]}/'
                    f'{seen["FAIL"]}/{seen["SKIP"]}')


def guest_required(run):
    """guest=on (the default, the last guest= word wins) and the kernel prints guest: lines."""
    words = (run.version or {}).get('cmdline') or ''
    values = [w[6:] for w in words.split() if w in ('guest=on', 'guest=off')]
    return run.count['guest'] > 0 and values[-1:] != ['off']


def extension(cpu):
    """('vmx' or 'svm', the result line's fields, its result as a vmx: token): the CPU's
    svm: line where it has SVM (its vmx: line then says no-vmx), else its vmx: line."""
    svm, vmx = cpu['svm'] or {}, cpu['vmx'] or {}
    if svm and svm.get('result') != 'no-svm' and vmx.get('result') == 'no-vmx':
        return 'svm', svm, SVM_AS.get(svm.get('result'), svm.get('result'))
    return 'vmx', vmx, vmx.get('result')


def cpu_failures(run):
    """{cpu index: why} for each CPU whose own lines show a failure."""
    mixed = any(extension(c)[2] not in (None, 'no-vmx', 'fault')
                for c in run.cpus.values())     # some CPU has the extension: none there is a failure
    need_guest = guest_required(run)
    out = {}
    for i, cpu in sorted(run.cpus.items()):
        kind, ext, result = extension(cpu)
        guest, why = cpu['guest'] or {}, []
        if result not in (None, 'on', 'no-vmx') or (result == 'no-vmx' and mixed):
            why.append(f'{kind} ' + describe(ext))
        if result == 'on' and need_guest and guest.get('result') != 'ok':
            why.append('guest ' + describe(guest) if guest else 'no guest: line')
        why += [f'fault vector={f.get("vector")} {f.get("name", "")} rip={f.get("rip")}'
                for f in cpu['faults']]
        rules = [r['rule'] for r in run.failed_rules if r['cpu'] == i]
        if rules:
            why.append('selftest failed: ' + ', '.join(rules))
        if why:
            out[i] = '; '.join(why)
    return out


def describe(result):
    extra = ' '.join(f'{k}={result[k]}' for k in ('error', 'vector', 'reason', 'name') if k in result)
    detail = f' ({result["detail"]})' if 'detail' in result else ''
    return f'{result.get("result")}{" " + extra if extra else ""}{detail}'


def line_verdict(run):
    """The verdict the lines support (lib/verdict.c's rules); why it is not PASS in run.reasons."""
    online, enumerated = run.count['cpu'], run.summary['enumerated']
    why = [clip(line) for line in run.fatal]      # the kernel stopped, and said why
    if any(f.get('cpu') == 0 for f in run.faults):
        why.append('a fault on the boot CPU ended the run')
        online = enumerated = max(online, 1)
    if run.cpu_list:
        why.append(f'CPU list {run.cpu_list["state"]}: {run.cpu_list["detail"]}')
    if online < enumerated:
        lost = f' (no response: cpu {", ".join(map(str, run.no_response))})' if run.no_response else ''
        why.append(f'{enumerated - online} of {enumerated} CPUs did not come up{lost}')
    if online == 0:
        why.append('no CPU came online')
    if why or run.count['fault'] or run.rule_results['FAIL']:
        verdict = 'FAIL'
    elif run.vmx_results['on'] == online:
        ok = not guest_required(run) or run.guest_results['ok'] == online
        verdict = 'PASS' if ok else 'FAIL'
    elif run.vmx_results['no-vmx'] == online:
        verdict = 'SKIP'
    else:
        verdict = 'FAIL'
    run.reasons = why + [f'cpu {i}: {text}' for i, text in cpu_failures(run).items()]
    return verdict


def read_log(source, stream_opener):
    """Judged runs of one log; a log that cannot be read is one ERROR run."""
    try:
        with stream_opener() as stream:
            for run in split_runs(source, read_lines(stream)):
                yield judge(run)
    except OSError as e:
        run = Run(source, 0)
        run.verdict = 'ERROR'
        run.problem(f'cannot read {source}: {e.strerror or e}')
        yield run


# ---------------------------------------------------------------- outputs

def cases(run):
    """(name, outcome, message, log lines) test cases of a run: per CPU, per rule, the verdict."""
    failing = cpu_failures(run)
    for i, cpu in sorted(run.cpus.items()):
        kind, ext, result = extension(cpu)
        guest = cpu['guest'] or {}
        message = f'{kind} {describe(ext) if ext else "-"}, guest {describe(guest) if guest else "-"}'
        outcome = ('fail' if i in failing else 'error' if not ext
                   else 'skip' if result == 'no-vmx' else 'pass')
        yield f'cpu{i} apic={cpu["apic"]}', outcome, failing.get(i, message), run.cpu_log[i]
    for r in run.rules:
        line = f'{r["result"]}: selftest cpu={r["cpu"]} {r["rule"]}: {r["text"]}'
        outcome = {'PASS': 'pass', 'FAIL': 'fail', 'SKIP': 'skip'}[r['result']]
        quote, sep, reason = r['text'].rpartition('" (')     # SKIP: "<rule>" (<why>)
        message = reason[:-1] if sep and outcome == 'skip' else r['text']
        yield f'selftest cpu{r["cpu"]} {r["rule"]}', outcome, message, [line]
    outcome = {'PASS': 'pass', 'SKIP': 'skip', 'FAIL': 'fail'}.get(run.verdict, 'error')
    why = run.problems + run.reasons
    text = [f'{n}: {line}' for n, line in run.tail] if outcome == 'error' else \
        [run.summary_line or ''] + why
    message = f'{run.verdict}: {"; ".join(why)}' if why else VERDICT_TEXT.get(run.verdict, '')
    yield 'verdict', outcome, message, text


def human(run):
    s = run.summary
    head = f'{run.name}: {run.verdict}'
    if s:
        head += f' cpus={s["online"]}/{s["enumerated"]}'
        if s['verdict'] != run.verdict:
            head += f' (the summary says {s["verdict"]}: not believed)'
    why = run.problems + run.reasons
    return head + (': ' + '; '.join(clip(w) for w in why[:8]) if why else '')


def to_json(run):
    v = run.version or {}
    return {'name': run.name, 'source': run.source, 'run': run.number,
            'version': v.get('version'), 'firmware': v.get('firmware'),
            'bootloader': v.get('bootloader'), 'cmdline': v.get('cmdline'),
            'truncated': v.get('truncated', []), 'kernel': run.kernel, 'uefi': run.uefi,
            'model': run.model,
            'smp': run.smp, 'cpu_list': run.cpu_list,
            'cpus': [dict(c, log=run.cpu_log[i]) for i, c in sorted(run.cpus.items())],
            'faults': run.faults, 'no_response': run.no_response,
            'vmxcap': {'cpus': run.vmxcap, 'raw': run.vmxcap_raw,
                       'raw_dropped': run.count['vmxcap_dropped']},
            'ready': run.ready, 'selftest': run.rules, 'advice': run.advice, 'notes': run.notes, 'fatal': run.fatal,
            'summary': run.summary, 'verdict': run.summary and run.summary['verdict'],
            'reader_verdict': run.verdict, 'exit_status': STATUS[run.verdict],
            'problems': run.problems, 'reasons': run.reasons,
            'last_line': run.tail[-1][1] if run.tail else None}


class Output:
    """Streams one output format: begin(), one call per run, end()."""

    def __init__(self, fmt, out, names):
        self.fmt, self.out, self.count = fmt, out, 0
        self.tally = collections.Counter()
        self.classnames = set()
        self.runs = []                              # --html: the page needs them all
        self.width = max([len(n) + 3 for n in names] + [7])

    def begin(self):
        if self.fmt == 'junit':
            self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n')
        elif self.fmt == 'tap':
            self.out.write('TAP version 13\n')
        elif self.fmt == 'summary':
            self.row('MACHINE', 'VERDICT', 'KERNEL', 'CPUS', 'REVISION', 'FAILING CPUS AND WHY')

    def run(self, run):
        self.tally[run.verdict] += 1
        getattr(self, 'run_' + self.fmt)(run)

    def run_html(self, run):
        self.runs.append(run)

    def run_human(self, run):
        self.out.write(human(run) + '\n')

    def run_json(self, run):
        self.out.write(json.dumps(to_json(run), ensure_ascii=False) + '\n')

    def run_tap(self, run):
        for name, outcome, message, lines in cases(run):
            self.count += 1
            status = 'not ok' if outcome in ('fail', 'error') else 'ok'
            skip = f' # SKIP {clip(message, 200)}' if outcome == 'skip' else ''
            self.out.write(f'{status} {self.count} - {run.name}: {name}{skip}\n')
            if status == 'not ok':
                self.out.write(''.join(f'# {line}\n' for line in [message] + lines))

    def run_junit(self, run):
        suite = ET.Element('testsuite', name=run.name, time='0')
        facts = dict(run.version or {}, verdict=run.summary and run.summary['verdict'],
                     source=run.source)
        props = ET.SubElement(suite, 'properties')
        for key, value in facts.items():
            if isinstance(value, str):
                ET.SubElement(props, 'property', name=key, value=value)
        classname = self.classname(run)
        tally = collections.Counter()
        for name, outcome, message, lines in cases(run):
            tally[outcome] += 1
            case = ET.SubElement(suite, 'testcase', name=name, classname=classname, time='0')
            tag = {'fail': 'failure', 'error': 'error', 'skip': 'skipped'}.get(outcome)
            if tag:
                child = ET.SubElement(case, tag, message=clip(message, 500))
                if tag != 'skipped':
                    child.set('type', run.verdict)
                    child.text = '\n'.join(lines)
            elif lines:
                ET.SubElement(case, 'system-out').text = '\n'.join(lines)
        suite.set('tests', str(sum(tally.values())))
        for attr, key in (('failures', 'fail'), ('errors', 'error'), ('skipped', 'skip')):
            suite.set(attr, str(tally[key]))
        ET.indent(suite, '  ', level=1)
        self.out.write('  ' + ET.tostring(suite, encoding='unicode') + '\n')

    def classname(self, run):
        """vmxprobe.<the log's file name without its extension>[_run<N>]: no directory, only
        [A-Za-z0-9_-] after "vmxprobe.", made unique within the output (_2, _3, ...)."""
        base = os.path.splitext(os.path.basename(run.source.strip('<>')))[0]
        base = re.sub(r'[^A-Za-z0-9_-]+', '_', base).strip('_') or 'log'
        if run.name != run.source:                 # one of several runs in the log
            base += f'_run{run.number}'
        name, n = 'vmxprobe.' + base, 1
        while name in self.classnames:
            n += 1
            name = f'vmxprobe.{base}_{n}'
        self.classnames.add(name)
        return name

    def run_summary(self, run):
        s = run.summary
        cpus = f'{s["online"]}/{s["enumerated"]}' if s else '-'
        failing = '; '.join(f'cpu{i} {w}' for i, w in cpu_failures(run).items())
        why = failing or '; '.join(run.problems + run.reasons) or '-'
        self.row(run.name, run.verdict, s['verdict'] if s else '-', cpus,
                 ','.join(sorted(run.revisions)) or '-', clip(why, 300))

    def row(self, *cells):
        w = (self.width, 11, 7, 10, 9)
        self.out.write(' '.join([c.ljust(n) for c, n in zip(cells, w)] + [cells[-1]]) + '\n')

    def end(self):
        if self.fmt == 'html':
            import vmxprobe_html
            self.out.write(vmxprobe_html.render(self.runs))
        elif self.fmt == 'junit':
            self.out.write('</testsuites>\n')
        elif self.fmt == 'tap':
            self.out.write(f'1..{self.count}\n')
        elif self.fmt == 'summary':
            total = sum(self.tally.values())
            parts = ', '.join(f'{self.tally[v]} {v}' for v in STATUS if self.tally[v])
            self.out.write(f'{total} run(s): {parts}\n')


# ---------------------------------------------------------------- main

def opener(path):
    if path == '-':
        return lambda: open(sys.stdin.fileno(), 'rb', closefd=False)
    return lambda: open(path, 'rb')


def parse_args(argv):
    p = argparse.ArgumentParser(prog='vmxprobe-log', description=__doc__.split('\n')[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog='exit status: 0 PASS or SKIP, 1 FAIL, 2 incomplete or '
                                       'unreadable log (the worst run wins)')
    p.add_argument('logs', nargs='*', metavar='LOG', help='serial log; "-" or none: stdin')
    fmt = p.add_mutually_exclusive_group()
    for name, text in (('json', 'one JSON object per run, one per line'),
                       ('junit', 'JUnit XML: a testsuite per run'),
                       ('tap', 'TAP version 13'),
                       ('summary', 'a fleet table, one row per log (run)')):
        fmt.add_argument('--' + name, dest='fmt', action='store_const', const=name, help=text)
    p.add_argument('--html', nargs='?', const='', metavar='OUT.html',
                   help='one self-contained HTML page of every run (the fleet page), written to '
                        'OUT.html (or -o FILE, or stdout)')
    p.add_argument('-o', '--output', metavar='FILE', help='write there instead of stdout')
    args = p.parse_args(argv)
    if args.html is not None:
        if args.fmt:
            p.error(f'--html and --{args.fmt} are two outputs: give one')
        if args.html and args.output:
            p.error('--html OUT.html and -o FILE both name the page: give one')
        if args.html.endswith('.log'):
            p.error(f'--html {args.html}: that looks like a log; name the page first '
                    f'(--html fleet.html LOG...)')
        args.fmt, args.output = 'html', args.html or args.output
    return args


def waits_on_a_terminal(logs, stdin=None):
    """True when no LOG is named and standard input is a terminal: reading it would sit
    silently waiting for a log typed in."""
    stdin = sys.stdin if stdin is None else stdin
    try:
        return not logs and stdin is not None and stdin.isatty()
    except (AttributeError, ValueError):            # closed or odd stdin: read it as it is
        return False


def main(argv=None, stdin=None):
    args = parse_args(argv)
    if waits_on_a_terminal(args.logs, stdin):
        sys.stderr.write(USAGE_ON_A_TERMINAL)
        return 2
    logs = args.logs or ['-']
    names = ['<stdin>' if p == '-' else p for p in logs]
    try:
        out = (open(args.output, 'w', encoding='utf-8', errors='replace') if args.output
               else sys.stdout)
    except OSError as e:
        print(f'vmxprobe-log: cannot write {args.output}: {e.strerror}', file=sys.stderr)
        return 2
    if out is sys.stdout:
        sys.stdout.reconfigure(encoding='utf-8', errors='replace')
    writer, worst = Output(args.fmt or 'human', out, names), 0
    try:
        writer.begin()
        for path, name in zip(logs, names):
            for run in read_log(name, opener(path)):
                writer.run(run)
                worst = max(worst, STATUS[run.verdict])
        writer.end()
    except BrokenPipeError:
        sys.stderr.close()
    finally:
        if out is not sys.stdout:
            out.close()
    return worst
