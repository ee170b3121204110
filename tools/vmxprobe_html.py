# SPDX-License-Identifier: MIT
"""The fleet page: one self-contained HTML file from many runs (vmxprobe-log --html).

What a person wants to see across a rack: the verdicts, each machine's CPUs, what
differs between machines (capabilities, readiness, conformance rules) and within one
(CPUs whose capabilities differ from CPU 0's), and how exit cost spreads by CPU model.
No network, no external script, style or font; every field from a log is escaped, and
the page reads with scripts off (the small inline script only sorts and filters).
"""
import collections
import html
import statistics

import vmxprobe_log as reader

VERDICTS = ('PASS', 'SKIP', 'FAIL', 'INCOMPLETE', 'ERROR')
COLOUR = {'PASS': '#1a7f37', 'SKIP': '#6e7781', 'FAIL': '#cf222e', 'INCOMPLETE': '#9a6700',
          'ERROR': '#9a6700'}
MAX_DIFF_ROWS = 400          # differing capabilities/rules shown (the rest are counted)
MAX_GROUP_NAMES = 8          # machine names listed per column of the differences matrix

STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1f2328}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #d0d7de;padding:2px 6px;
text-align:left;vertical-align:top}th{background:#f6f8fa;cursor:pointer}
.v{font-weight:bold;color:#fff;padding:0 4px;border-radius:3px}
.grid{display:flex;flex-wrap:wrap;gap:3px;margin:.3em 0}
.cell{width:5.5em;border:1px solid #d0d7de;padding:2px;font-size:11px}
.bad{background:#ffebe9}.ok{background:#dafbe1}.none{background:#f6f8fa}
.mono{font-family:ui-monospace,monospace;font-size:12px}
.filters label{margin-right:1em}details{margin:.3em 0}
"""

SCRIPT = """
(function(){
  var table=document.getElementById('overview');
  if(!table)return;
  var body=table.tBodies[0];
  function apply(){
    var shown={};
    document.querySelectorAll('input[data-verdict]').forEach(function(b){shown[b.dataset.verdict]=b.checked;});
    Array.prototype.forEach.call(body.rows,function(r){r.hidden=!shown[r.dataset.verdict];});
  }
  document.querySelectorAll('input[data-verdict]').forEach(function(b){b.addEventListener('change',apply);});
  document.getElementById('filters').hidden=false;
  Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,col){
    th.addEventListener('click',function(){
      var dir=th.dataset.dir==='asc'?-1:1;th.dataset.dir=dir>0?'asc':'desc';
      var rows=Array.prototype.slice.call(body.rows);
      rows.sort(function(a,b){
        var x=a.cells[col].dataset.sort||a.cells[col].textContent,y=b.cells[col].dataset.sort||b.cells[col].textContent;
        var nx=parseFloat(x),ny=parseFloat(y);
        if(!isNaN(nx)&&!isNaN(ny))return (nx-ny)*dir;
        return x.localeCompare(y)*dir;});
      rows.forEach(function(r){body.appendChild(r);});
    });
  });
})();
"""


def esc(value):
    """Text from a log, as HTML text or attribute value: nothing in it is markup."""
    return html.escape('' if value is None else str(value), quote=True)


def verdict_badge(verdict):
    return f'<span class="v" style="background:{COLOUR.get(verdict, "#6e7781")}">{esc(verdict)}</span>'


# ---------------------------------------------------------------- facts of a run

def model_of(run):
    m = run.model or {}
    if m.get('brand'):
        return m['brand']
    if m.get('vendor'):
        return f'{m["vendor"]} family {m.get("family")} model {m.get("model")}'
    return 'model not in the log'


def exit_cycles(run):
    """{cpu: median exit cycles} of the CPUs whose guest ran."""
    out = {}
    for i, cpu in run.cpus.items():
        g = cpu['guest'] or {}
        if g.get('result') == 'ok' and isinstance(g.get('exit_cycles'), int) and g['exit_cycles'] > 0:
            out[i] = g['exit_cycles']
    return out


def median_cycles(run):
    values = list(exit_cycles(run).values())
    return int(statistics.median(values)) if values else None


def ext_name(run):
    kinds = {reader.extension(c)[0] for c in run.cpus.values()
             if reader.extension(c)[2] not in (None, 'no-vmx')}
    return '/'.join(sorted(k.upper() for k in kinds)) or '-'


def first_failure(run):
    failing = reader.cpu_failures(run)
    if failing:
        i = min(failing)
        return f'cpu{i}: {failing[i]}'
    why = run.problems + run.reasons
    return why[0] if why else ''


def capabilities(run, cpu=None):
    """{"group.name": value} of one CPU's capability report (vmxcap:), CPU 0's (or the
    first reported) by default; an SVM CPU's svm: line fields stand in for it."""
    blocks = [b for b in run.vmxcap if cpu is None or b['cpu'] == cpu]
    if cpu is None:
        blocks = [b for b in blocks if b['cpu'] in (0, None)] or blocks
    if blocks:
        b = blocks[0]
        return {f'{g}.{k}': v for g, names in b['fields'].items() for k, v in names.items()}
    c = run.cpus.get(0 if cpu is None else cpu) or {}
    svm = c.get('svm') or {}
    return {f'svm.{k}': str(v) for k, v in svm.items()
            if k in ('revision', 'asids', 'features', 'result')}


def facts(run):
    """Everything the differences matrix compares, as {"kind: key": value}."""
    out = {f'capability: {k}': v for k, v in capabilities(run).items()}
    for r in run.ready:
        out[f'ready: {r["hypervisor"]}'] = r['result']
    per_rule = collections.defaultdict(set)
    for r in run.rules:
        per_rule[r['rule']].add(r['result'])
    for rule, results in per_rule.items():
        out[f'rule: {rule}'] = 'FAIL' if 'FAIL' in results else '/'.join(sorted(results))
    return out


def cpu_differences(run):
    """[(cpu, [keys that differ from CPU 0's])] from the per-CPU capability reports
    (vmxcap=all), plus the kernel's own mismatch lines."""
    base, out = capabilities(run, 0), []
    for cpu in sorted({b['cpu'] for b in run.vmxcap if isinstance(b['cpu'], int) and b['cpu'] != 0}):
        mine = capabilities(run, cpu)
        keys = sorted(k for k in set(base) | set(mine) if base.get(k) != mine.get(k))
        if keys:
            out.append((cpu, keys))
    mismatch = [n for c in run.cpus.values() for n in c['notes'] if ' mismatch ' in n]
    return out, mismatch + [n for n in run.notes if 'differ from cpu 0' in n]


# ---------------------------------------------------------------- sections

def overview(runs):
    tally = collections.Counter(r.verdict for r in runs)
    out = ['<h2 id="overview-h">Overview</h2><p>',
           ', '.join(f'{verdict_badge(v)} {tally[v]}' for v in VERDICTS if tally[v]),
           f' &mdash; {len(runs)} run(s)</p>',
           '<p class="filters" id="filters" hidden>Show: ',
           ''.join(f'<label><input type="checkbox" checked data-verdict="{v}"> {v}</label>'
                   for v in VERDICTS if tally[v]), '</p>',
           '<table id="overview"><thead><tr><th>machine</th><th>verdict</th><th>CPUs</th>'
           '<th>extension</th><th>model</th><th>firmware</th><th>boot loader</th>'
           '<th>VMCS revision</th><th>median exit cycles</th><th>first failing CPU and why</th>'
           '</tr></thead><tbody>']
    for k, run in enumerate(runs):
        s, v = run.summary, run.version or {}
        online = s['online'] if s else run.count['cpu']
        cpus = f'{online}/{s["enumerated"]}' if s else f'{online}/?'
        med = median_cycles(run)
        out.append(f'<tr data-verdict="{esc(run.verdict)}"><td><a href="#m{k}">{esc(run.name)}</a></td>'
                   f'<td data-sort="{VERDICTS.index(run.verdict)}">{verdict_badge(run.verdict)}</td>'
                   f'<td data-sort="{online}">{esc(cpus)}</td><td>{esc(ext_name(run))}</td>'
                   f'<td>{esc(model_of(run))}</td><td>{esc(v.get("firmware"))}</td>'
                   f'<td>{esc(v.get("bootloader"))}</td>'
                   f'<td>{esc(",".join(sorted(run.revisions)) or "-")}</td>'
                   f'<td data-sort="{med if med is not None else -1}">{esc(med if med is not None else "-")}</td>'
                   f'<td>{esc(reader.clip(first_failure(run), 300))}</td></tr>')
    out.append('</tbody></table>')
    return ''.join(out)


def incomplete(runs):
    bad = [r for r in runs if r.verdict in ('INCOMPLETE', 'ERROR')]
    if not bad:
        return ''
    rows = ''.join(f'<tr><td>{esc(r.name)}</td><td class="mono">'
                   f'{esc(r.tail[-1][1] if r.tail else "(no line)")}</td></tr>' for r in bad)
    return (f'<h2>Incomplete runs</h2><p>{len(bad)} run(s) ended without a believable summary; '
            f'their last line:</p><table><tr><th>machine</th><th>last line</th></tr>{rows}</table>')


def differences(runs):
    """Rows: the facts that differ among the machines that could report them; columns:
    groups of machines that agree on all of them. A capability missing from a machine
    that reports capabilities of that kind (VMX's vmxcap:, or SVM's) differs ("-": a
    Penryn has no ept.* at all); a machine that reports none of that kind (no VMX, or
    vmxcap=off) is not compared, nor a rule a machine did not run."""
    all_facts = [facts(r) for r in runs]
    keys = sorted({k for f in all_facts for k in f})

    def family(key):
        if not key.startswith('capability: '):
            return key
        return 'capability: svm' if key.startswith('capability: svm.') else 'capability: vmx'

    families = [{family(k) for k in f} for f in all_facts]

    def values(key):
        fam = family(key)
        return {f.get(key, '-') for f, fams in zip(all_facts, families)
                if key in f or (fam != key and fam in fams)}

    differing = [k for k in keys if len(values(k)) > 1]
    out = ['<h2 id="differences">What differs between machines</h2>']
    if not differing:
        out.append('<p>Every machine reports the same capabilities, readiness and rule results.</p>')
    else:
        shown = differing[:MAX_DIFF_ROWS]
        groups = collections.OrderedDict()
        for run, f in zip(runs, all_facts):
            groups.setdefault(tuple(f.get(k, '-') for k in shown), []).append(run.name)
        out.append(f'<p>{len(differing)} capabilities, readiness results and rules take more than '
                   f'one value among the machines that report them ("-": not reported); '
                   f'{len(groups)} group(s) of machines agree on all of them'
                   + (f' (the first {MAX_DIFF_ROWS} shown)' if len(differing) > len(shown) else '')
                   + '.</p><table id="diff"><thead><tr><th>differs</th>')
        for g, names in enumerate(groups.values()):
            listed = ', '.join(names[:MAX_GROUP_NAMES]) + (' ...' if len(names) > MAX_GROUP_NAMES else '')
            out.append(f'<th title="{esc(listed)}">group {g + 1}: {len(names)} machine(s)<br>'
                       f'<span class="mono">{esc(listed)}</span></th>')
        out.append('</tr></thead><tbody>')
        for row, key in enumerate(shown):
            out.append(f'<tr><td class="mono">{esc(key)}</td>')
            out.extend(f'<td class="mono">{esc(sig[row])}</td>' for sig in groups)
            out.append('</tr>')
        out.append('</tbody></table>')
    inner = []
    for k, run in enumerate(runs):
        cpus, lines = cpu_differences(run)
        for cpu, keys in cpus:
            inner.append(f'<li><a href="#m{k}">{esc(run.name)}</a>: cpu{cpu} differs from cpu0 in '
                         f'<span class="mono">{esc(", ".join(keys[:20]))}</span>'
                         + (f' and {len(keys) - 20} more' if len(keys) > 20 else '') + '</li>')
        inner.extend(f'<li><a href="#m{k}">{esc(run.name)}</a>: <span class="mono">{esc(n)}</span></li>'
                     for n in lines[:20])
    out.append('<h2>CPUs that differ from CPU 0 within a machine</h2>')
    out.append(f'<ul>{"".join(inner)}</ul>' if inner else '<p>None reported.</p>')
    return ''.join(out)


def chart(runs):
    """Median exit cycles per machine, grouped by CPU model: horizontal bars, inline SVG."""
    by_model = collections.defaultdict(list)
    for run in runs:
        med = median_cycles(run)
        if med is not None:
            by_model[model_of(run)].append((run.name, med))
    out = ['<h2>Exit cost</h2>']
    if not by_model:
        return out[0] + '<p>No guest exit was timed in these logs.</p>'
    top = max(m for bars in by_model.values() for _, m in bars)
    rows = sum(len(b) + 1 for b in by_model.values())
    height, y = 18 * rows + 10, 5
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="900" height="{height}" role="img" '
           f'aria-label="median exit cycles per machine, by CPU model" font-size="11">']
    for model, bars in sorted(by_model.items()):
        svg.append(f'<text x="0" y="{y + 12}" font-weight="bold">{esc(model)}</text>')
        y += 18
        for name, med in sorted(bars, key=lambda b: b[1]):
            w = max(1, int(480 * med / top))
            svg.append(f'<text x="10" y="{y + 12}">{esc(reader.clip(name, 48))}</text>'
                       f'<rect x="330" y="{y + 2}" width="{w}" height="12" fill="#0969da">'
                       f'<title>{esc(name)}: {med} cycles</title></rect>'
                       f'<text x="{335 + w}" y="{y + 12}">{med}</text>')
            y += 18
    svg.append('</svg>')
    return ''.join(out + svg) + ('<p>TSC cycles per exit, the median of each machine\'s CPUs '
                                 '(Bochs counts instructions, not time).</p>')


def machine(k, run):
    s = run.summary
    out = [f'<details id="m{k}"><summary>{verdict_badge(run.verdict)} {esc(run.name)}'
           f'{" &mdash; " + esc(model_of(run))}</summary>']
    if run.version:
        out.append(f'<p class="mono">{esc(run.version.get("cmdline"))}</p>')
    cells = []
    cycles, failing = exit_cycles(run), reader.cpu_failures(run)
    for i, cpu in sorted(run.cpus.items()):
        kind, ext, result = reader.extension(cpu)
        guest = (cpu['guest'] or {}).get('result', '-')
        cls = 'ok' if result == 'on' and guest in ('ok', 'not-run') else \
            'none' if result in (None, 'no-vmx') else 'bad'
        if i in failing:
            cls = 'bad'
        title = f'cpu{i} apic={cpu["apic"]} {kind}={result} guest={guest}' + \
            (f' exit cycles={cycles[i]}' if i in cycles else '')
        cells.append(f'<div class="cell {cls}" title="{esc(title)}">cpu{i}<br>{esc(kind)} '
                     f'{esc(result or "-")}<br>guest {esc(guest)}</div>')
    out.append(f'<div class="grid">{"".join(cells)}</div>')
    if s:
        out.append(f'<p class="mono">{esc(run.summary_line)}</p>')
    for a in run.advice:
        out.append(f'<p>advice ({esc(a["kind"])} {esc(a["result"])}): {esc(a["text"])}</p>')
    if run.ready:
        out.append('<table><tr><th>hypervisor</th><th>result</th><th>missing</th><th>limits</th></tr>')
        out.extend(f'<tr><td>{esc(r["hypervisor"])}</td><td>{esc(r["result"])}</td>'
                   f'<td class="mono">{esc(" ".join(r["missing"]))}</td>'
                   f'<td class="mono">{esc(" ".join(r["limits"]))}</td></tr>' for r in run.ready)
        out.append('</table>')
    out.append('</details>')
    return ''.join(out)


def render(runs):
    """The whole page, as one string."""
    body = [overview(runs), incomplete(runs), differences(runs), chart(runs),
            '<h2>Machines</h2>', ''.join(machine(k, r) for k, r in enumerate(runs))]
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width">'
            f'<title>vmxprobe fleet: {len(runs)} run(s)</title><style>{STYLE}</style></head>'
            f'<body><h1>vmxprobe fleet: {len(runs)} run(s)</h1>{"".join(body)}'
            f'<script>{SCRIPT}</script></body></html>\n')
