#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check what lava-run recorded for a vmxprobe job of lava/.

Usage: check_lava_run.py LAVA_LOG RESULT_YAML [VERDICT]
  LAVA_LOG: lava-run's output (its log, one JSON/YAML mapping a line: the
  console as "target", every result as "results"); RESULT_YAML: result.yaml
  of its --output-dir (only the job's own result). Passes when the job is
  complete and LAVA's results are exactly those the console implies (one
  vmx_cpu_<i> per cpu: line, one guest_cpu_<i> per guest: line, the verdict),
  mapped as check_jobs.py maps them; and the verdict is VERDICT if given.
Run by the system python3 (yaml, lava_common). Exit status 0 or 1.
"""
import json
import os
import sys

import yaml

here = os.path.dirname(os.path.abspath(__file__))
os.environ["VMXPROBE_LAVA_REEXEC"] = "1"
sys.path.insert(0, here)
import check_jobs  # noqa: E402  (expected_results: what the console implies)

log, result_yaml = sys.argv[1:3]
want = sys.argv[3] if len(sys.argv) > 3 else ""

entries = []
with open(log, errors="replace") as f:
    for line in f:
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            entries.append(json.loads(line))
        except ValueError:
            try:
                entries.append(yaml.safe_load(line))
            except yaml.YAMLError:
                pass
console = "".join(e["msg"] + "\n" for e in entries
                  if e.get("lvl") == "target" and isinstance(e.get("msg"), str))
results = [e["msg"] for e in entries if e.get("lvl") == "results"]
got = [(r["definition"], r["case"], r["result"]) for r in results
       if r.get("definition") in ("vmxprobe", "vmxprobe-verdict")]
lava = {r["case"]: r["result"] for r in results if r.get("definition") == "lava"}
with open(result_yaml) as f:
    job_result = yaml.safe_load(f)

wanted, counts, summary = check_jobs.expected_results(console, "console")
problems = []
if not summary:
    problems.append("no summary line on the console")
if job_result.get("result") != "pass" or lava.get("job") != "pass":
    problems.append("LAVA job result %r" % (job_result,))
if lava.get("lava-test-monitor") != "pass":
    problems.append("lava-test-monitor %r" % lava.get("lava-test-monitor"))
if got != wanted:
    problems.append("LAVA recorded %s, the console implies %s" % (got, wanted))
cpus = len(check_jobs.CPU.findall(console))
if counts["vmx"] != cpus or cpus == 0:
    problems.append("%d vmx: lines for %d cpu: lines" % (counts["vmx"], cpus))
if want and summary and summary.group(1) != want:
    problems.append("verdict %s, want %s" % (summary.group(1), want))
for r in got:
    print("  %s/%s: %s" % r)
if problems or check_jobs.failed:
    for p in problems:
        print("FAIL: " + p)
    print("lava-run: 0 passed, 1 failed")
    sys.exit(1)
print("ok: LAVA job complete; %d cpus, verdict %s; the %d LAVA results match the console"
      % (cpus, summary.group(1), len(got)))
print("lava-run: 1 passed, 0 failed")
