#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check the LAVA job definitions in lava/ without a LAVA lab.

1. Every lava/*.yaml must pass LAVA's own job schema
   (lava_common.schemas.validate, strict, as lava-server checks a submission).
2. Their test monitors are run the way lava-dispatcher runs them
   (lava_dispatcher/actions/test/monitor.py over pexpect 4.8) against
   vmxprobe's real boot logs: for every log with a summary line there must be
   exactly one LAVA result per CPU from its vmx: line (as many as cpu: lines),
   one per svm: result line (AMD), one per guest: line and one for the
   verdict, each mapped as the log says (vmx on -> pass, no-vmx -> skip, else
   fail; svm on -> pass, no-svm -> skip, else fail; guest ok -> pass, not-run ->
   skip, else fail; verdict PASS/FAIL/SKIP -> pass/fail/skip). For a log
   without a summary the monitors must not end: LAVA then reports the job
   Incomplete.

Usage: tests/lava/check_jobs.py [--jobs DIR] [LOGDIR]
  LOGDIR defaults to build/test/logs; when it does not exist, the fixture logs
  in tests/data/logs/ (shared with tests/log/) are used. --jobs: the job definitions (default lava/).

Needs lava_common (Debian: apt-get install -y lava-common). Without it this
prints "SKIP: ..." and exits 0: the caller decides. With pexpect importable
(python3-pexpect, which lava-dispatcher pulls in) every log is also fed
through pexpect itself, set up as LAVA's ShellCommand sets it up.
Exit status: 0 when every check passed (or SKIP), 1 otherwise.
"""

import codecs
import json
import os
import re
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SYSTEM_PYTHON = "/usr/bin/python3"

try:
    import yaml
    from lava_common import schemas
except ImportError:
    # Debian installs lava_common for the system Python; a pyenv or venv
    # python3 first on PATH does not see it: run again with the system one.
    if (
        os.path.exists(SYSTEM_PYTHON)
        and os.path.realpath(sys.executable) != os.path.realpath(SYSTEM_PYTHON)
        and not os.environ.get("VMXPROBE_LAVA_REEXEC")
    ):
        os.environ["VMXPROBE_LAVA_REEXEC"] = "1"
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, os.path.abspath(__file__)] + sys.argv[1:])
    print("SKIP: lava_common is not installed: apt-get install -y lava-common")
    print("SKIP: the LAVA job definitions in lava/ were NOT checked")
    print("lava jobs: 0 passed, 0 failed, 1 skipped")
    sys.exit(0)

# Every result token of docs/protocol.md ("vmx:", "svm:" and "guest:" results), and the
# LAVA result it must become.
VMX_TOKENS = {
    "on": "pass",
    "no-vmx": "skip",
    "locked-off": "fail",
    "vmxon-fail-invalid": "fail",
    "vmxon-fail-valid": "fail",
    "fault": "fail",
    "alloc-failed": "fail",
}
SVM_TOKENS = {
    "on": "pass",
    "no-svm": "skip",
    "disabled": "fail",
    "busy": "fail",
    "efer-fail": "fail",
    "fault": "fail",
    "alloc-failed": "fail",
}
GUEST_TOKENS = {
    "ok": "pass",
    "not-run": "skip",
    "rejected": "fail",
    "launch-fail-invalid": "fail",
    "launch-fail-valid": "fail",
    "entry-fail": "fail",
    "unexpected-exit": "fail",
    "fault": "fail",
    "alloc-failed": "fail",
}
VERDICTS = {"PASS": "pass", "FAIL": "fail", "SKIP": "skip"}

# How lava-dispatcher reads a console (lava_dispatcher/shell.py ShellCommand,
# a pexpect.spawn with encoding="utf-8", codec_errors="replace"): name,
# maxread (bytes per read), searchwindowsize.
TRANSPORTS = [
    # QEMU's stdio (CallQemuAction: window 2000; searchwindowsize 4000 in
    # 2023.01, 2 * window since 2023.10: the same).
    ("qemu", 2000, 4000),
    # A serial console (ConnectDevice: window = the device's spawn_maxread,
    # 4092 by default in base.jinja2) since LAVA 2023.10 (2 * window)...
    ("serial", 4092, 8184),
    # ...and before (Debian 12 has 2023.01): searchwindowsize is 4000, less
    # than maxread, and pexpect searches only the last 4000 characters of a
    # read that long, so a read of 4000 bytes or more loses its start (and
    # what was waiting in the buffer) whatever the patterns. Reads that
    # large are checked but only noted: a lab on such a LAVA avoids them
    # with spawn_maxread: 2000 in the device dictionary (the "qemu" case).
    ("serial-2023.01", 4092, 4000),
]
# How the bytes arrive: reads as large as maxread allows (the window's worst
# case), a line at a time, and 7 bytes at a time (lines and tokens cut in
# the middle).
CHUNKINGS = ["maxread", "line", 7]
NOTED_ONLY = {("serial-2023.01", "maxread")}

failed = set()  # the job files and logs (or other checks) that failed
noted = set()


def fail(msg, item=None):
    failed.add(item or msg)
    print("FAIL: " + msg)


# ---------------------------------------------------------------- the jobs


def shown(path):
    path = os.path.abspath(path)
    return os.path.relpath(path, ROOT) if path.startswith(ROOT + os.sep) else path


def test_actions(job):
    for action in job.get("actions", []):
        for kind, body in action.items():
            if kind == "test" and "monitors" in body:
                yield body


def check_monitors(path, monitors):
    """What the schema does not check: the regular expressions compile the
    way pexpect compiles them, have the groups LAVA reads, and the fixupdict
    maps every documented token as this project means it."""
    ok = True
    for mon in monitors:
        for key in ("start", "end", "pattern"):
            try:
                re.compile(mon[key], re.DOTALL)
            except re.error as exc:
                fail("%s: monitor %s: %s does not compile: %s" % (path, mon["name"], key, exc), path)
                ok = False
        if ok:
            groups = re.compile(mon["pattern"], re.DOTALL).groupindex
            for group in ("test_case_id", "result"):
                if group not in groups:
                    fail("%s: monitor %s: pattern has no group (?P<%s>...)" % (path, mon["name"], group), path)
                    ok = False
    fixups = {}
    for mon in monitors:
        fixups.update(mon.get("fixupdict") or {})
    for table, what in ((VMX_TOKENS, "vmx"), (SVM_TOKENS, "svm"), (GUEST_TOKENS, "guest"),
                        (VERDICTS, "verdict")):
        for token, want in table.items():
            got = fixups.get(token)
            if got != want:
                fail("%s: %s token %r maps to %r, not %r" % (path, what, token, got, want), path)
                ok = False
    return ok


def check_jobs(job_dir):
    """Validate every job file; return {monitor set as JSON: [job files]}."""
    names = sorted(n for n in os.listdir(job_dir) if n.endswith((".yaml", ".yml")))
    if not names:
        fail("no job definitions in %s" % job_dir)
    monitor_sets = {}
    for name in names:
        path = shown(os.path.join(job_dir, name))
        try:
            with open(os.path.join(job_dir, name)) as f:
                job = yaml.safe_load(f)
            schemas.validate(job, strict=True, extra_context_variables=[])
        except Exception as exc:  # voluptuous.Invalid, yaml.YAMLError
            fail("%s: LAVA job schema: %s" % (path, exc), path)
            continue
        tests = list(test_actions(job))
        if len(tests) != 1:
            fail("%s: %d test actions with monitors, want 1" % (path, len(tests)), path)
            continue
        monitors = tests[0]["monitors"]
        if not check_monitors(path, monitors):
            continue
        boot = [a["boot"]["method"] for a in job["actions"] if "boot" in a]
        deploy = [a["deploy"]["to"] for a in job["actions"] if "deploy" in a]
        print(
            "PASS: %s: LAVA job schema (device_type %s, deploy to %s, boot %s, monitors %s)"
            % (path, job.get("device_type"), "/".join(deploy), "/".join(boot),
               ", ".join(m["name"] for m in monitors))
        )
        monitor_sets.setdefault(json.dumps(monitors, sort_keys=True), []).append(path)
    if len(monitor_sets) > 1:
        fail("the jobs' monitors differ (keep them identical): %s"
             % " | ".join(", ".join(v) for v in monitor_sets.values()))
    return monitor_sets


# ------------------------------------------------- LAVA's reading of a log


class Console:
    """pexpect 4.8's expect loop over a recorded console, as LAVA sets it
    up: Expecter.existing_data/new_data/do_search and searcher_re.search,
    with searchwindowsize. No more data means pexpect.TIMEOUT (the machine
    halted; nothing else comes): expect() then returns None."""

    def __init__(self, reads, searchwindowsize):
        self.reads = reads
        self.sws = searchwindowsize
        self.buffer = ""  # pexpect's spawn._buffer: what is searched
        self.before = ""  # pexpect's spawn._before

    def _do_search(self, window, regexes):
        start = max(0, len(window) - self.sws)
        best = None
        for index, regex in enumerate(regexes):
            match = regex.search(window, start)
            if match and (best is None or match.start() < best[1].start()):
                best = (index, match)
        if best:
            self.buffer = self.before = window[best[1].end():]
            return best
        if len(self.buffer) > self.sws:
            self.buffer = window[-self.sws:]
        return None

    def expect(self, regexes):
        if len(self.before) > len(self.buffer) and len(self.buffer) < self.sws:
            self.buffer = self.before[-self.sws:]
        found = self._do_search(self.buffer[-self.sws:], regexes)
        if found:
            return found
        for data in self.reads:
            self.before += data
            if len(data) >= self.sws or not self.buffer:
                self.buffer = data[-self.sws:]
                window = self.buffer
            else:
                self.buffer += data
                window = self.buffer[-self.sws:]
            found = self._do_search(window, regexes)
            if found:
                return found
        return None


def split_reads(data, chunking, maxread):
    """Byte reads of at most maxread, decoded as pexpect decodes them."""
    if chunking == "maxread":
        pieces = [data[i:i + maxread] for i in range(0, len(data), maxread)]
    elif chunking == "line":
        pieces = []
        for line in data.splitlines(keepends=True):
            pieces += [line[i:i + maxread] for i in range(0, len(line), maxread)]
    else:
        pieces = [data[i:i + chunking] for i in range(0, len(data), chunking)]
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    for piece in pieces:
        yield decoder.decode(piece)


def record(monitor, match, outcome):
    """lava_dispatcher TestMonitorAction.check_patterns for a test_result."""
    groups = match.groupdict()
    if "result" not in groups:
        return
    result = groups["result"]
    fixupdict = monitor.get("fixupdict")
    if fixupdict and result in fixupdict:
        result = fixupdict[result]
    if result not in ("pass", "fail", "skip", "unknown"):
        outcome["errors"].append("bad test results: %r" % (result,))
        return
    if "test_case_id" in groups:
        if groups["test_case_id"] is None:
            outcome["errors"].append("test_case_id did not take part: LAVA would crash")
            return
        case = re.sub(r"\W+", "_", groups["test_case_id"].strip().lower())
        suite = monitor["name"].replace(" ", "-").lower()
        outcome["results"].append((suite, case, result))


def run_monitors(monitors, expect):
    """lava_dispatcher TestMonitorAction.run: the monitors one after the
    other on the same console. expect(regexes) -> (index, match) or None."""
    outcome = {"results": [], "errors": [], "status": {}, "job": "complete"}
    for monitor in monitors:
        name = monitor["name"]
        # connection.wait(): the start string, before parsing any output.
        if expect([re.compile(monitor["start"], re.DOTALL)]) is None:
            outcome["status"][name] = "start not found"
            outcome["job"] = "incomplete"  # JobError: wait for prompt timed out
            break
        # "pattern order is important because we want to match the end
        # before it can possibly get confused with a test result"
        regexes = [re.compile(monitor["end"], re.DOTALL), re.compile(monitor["pattern"], re.DOTALL)]
        while True:
            found = expect(regexes)
            if found is None:
                outcome["status"][name] = "timed out"
                outcome["job"] = "incomplete"
                break
            index, match = found
            if index == 0:
                outcome["status"][name] = "ended"
                break
            record(monitor, match, outcome)
    return outcome


def run_pexpect(monitors, data, maxread, sws):
    """The same, through pexpect itself, reading a pipe."""
    import pexpect
    from pexpect import fdpexpect

    rfd, wfd = os.pipe()

    def writer():
        with os.fdopen(wfd, "wb") as f:
            f.write(data)

    thread = threading.Thread(target=writer)
    thread.start()
    child = fdpexpect.fdspawn(rfd, timeout=10, maxread=maxread, searchwindowsize=sws,
                              encoding="utf-8", codec_errors="replace")

    def expect(regexes):
        # LAVA adds EOF and TIMEOUT in front; both end the monitor here.
        try:
            index = child.expect([pexpect.EOF, pexpect.TIMEOUT] + regexes)
        except pexpect.EOF:
            return None
        if index < 2:
            return None
        return index - 2, child.match

    try:
        return run_monitors(monitors, expect)
    finally:
        thread.join()
        try:
            child.close()
        except OSError:
            pass


# ------------------------------------------------------------ the logs


LINE = re.compile(r"^(vmx|svm|guest): cpu=(\d+) apic=\S+ result=(\S+)", re.M)
CPU = re.compile(r"^cpu: index=\d+ ", re.M)
SUMMARY = re.compile(r"^vmxprobe: summary [^\r\n]*verdict=(PASS|FAIL|SKIP)", re.M)


def expected_results(text, name):
    """What the log says, line by line (independent of the monitors)."""
    want = []
    counts = {"vmx": 0, "svm": 0, "guest": 0}
    for kind, cpu, token in LINE.findall(text):
        table = {"vmx": VMX_TOKENS, "svm": SVM_TOKENS, "guest": GUEST_TOKENS}[kind]
        if token not in table:
            fail("%s: %s token %r is not known to this check (nor, likely, to the jobs' fixupdict)"
                 % (name, kind, token), name)
        want.append(("vmxprobe", "%s_cpu_%s" % (kind, cpu), table.get(token, "?")))
        counts[kind] += 1
    summary = SUMMARY.search(text)
    if summary:
        want.append(("vmxprobe-verdict", "verdict", VERDICTS[summary.group(1)]))
    return want, counts, summary


def check_log(path, monitor_sets):
    name = shown(path)
    with open(path, "rb") as f:
        data = f.read()
    text = data.decode("utf-8", errors="replace")
    want, counts, summary = expected_results(text, name)
    cpus = len(CPU.findall(text))
    ok = True
    if summary and counts["vmx"] != cpus:
        fail("%s: %d vmx: lines for %d cpu: lines" % (name, counts["vmx"], cpus), name)
        ok = False
    runs = 0
    for monitors_json in monitor_sets:
        monitors = json.loads(monitors_json)
        variants = []
        for transport, maxread, sws in TRANSPORTS:
            for chunking in CHUNKINGS:
                variants.append(("%s/%s" % (transport, chunking),
                                 (transport, chunking) in NOTED_ONLY,
                                 lambda m=maxread, s=sws, c=chunking: run_monitors(
                                     monitors, Console(split_reads(data, c, m), s).expect)))
        try:
            import pexpect  # noqa: F401
            variants.append(("pexpect/qemu", False, lambda: run_pexpect(monitors, data, 2000, 4000)))
        except ImportError:
            pass
        for label, noted_only, run in variants:
            runs += 1
            got = run()
            problems = list(got["errors"])
            if summary:
                if got["job"] != "complete":
                    problems.append("monitors did not end: %s" % got["status"])
                if got["results"] != want:
                    missing = [r for r in want if r not in got["results"]]
                    extra = [r for r in got["results"] if r not in want]
                    if missing or extra:
                        problems.append("LAVA results differ from the log: missing %s, extra %s"
                                        % (missing, extra))
                    else:
                        problems.append("LAVA results repeated or out of order: %s" % got["results"])
            else:
                if got["job"] == "complete":
                    problems.append("no summary in the log, yet the monitors ended")
                if any(r[0] == "vmxprobe-verdict" for r in got["results"]):
                    problems.append("no summary in the log, yet a verdict was recorded")
            if problems and noted_only:
                noted.add(name)
            elif problems:
                fail("%s [%s]: %s" % (name, label, "; ".join(problems)), name)
                ok = False
    if ok:
        if summary:
            print("PASS: %s: %d cpus: %d vmx, %d guest, verdict %s: the %d LAVA results agree (%d readings)"
                  % (name, cpus, counts["vmx"], counts["guest"], summary.group(1), len(want), runs))
        else:
            print("PASS: %s: no summary: the monitors do not end, LAVA reports the job Incomplete (%d readings)"
                  % (name, runs))
    return ok


def main(argv):
    args = argv[1:]
    job_dir = os.path.join(ROOT, "lava")
    if args[:1] == ["--jobs"] and len(args) >= 2:
        job_dir = args[1]
        args = args[2:]
    if len(args) > 1 or (args and args[0].startswith("-")):
        print("usage: check_jobs.py [--jobs DIR] [LOGDIR]", file=sys.stderr)
        return 2
    log_dir = args[0] if args else os.path.join(ROOT, "build", "test", "logs")
    if not os.path.isdir(log_dir):
        log_dir = os.path.join(ROOT, "tests", "data", "logs")
        print("note: the build's logs are not there: using the fixture logs in %s" % log_dir)
    monitor_sets = check_jobs(job_dir)
    logs = sorted(os.path.join(log_dir, n) for n in os.listdir(log_dir) if n.endswith(".log"))
    if not logs:
        fail("no *.log in %s" % log_dir)
    passed = 0
    for log in logs:
        if check_log(log, monitor_sets) and shown(log) not in failed:
            passed += 1
    if noted:
        print("note: %d logs lose results when read as LAVA before 2023.10 reads a serial console "
              "in reads of 4000 bytes or more (pexpect searchwindowsize 4000 < maxread 4092); "
              "on such a LAVA set spawn_maxread: 2000 in the device dictionary" % len(noted))
    jobs = sum(len(v) for v in monitor_sets.values())
    print("%d job files valid, %d of %d logs agree" % (jobs, passed, len(logs)))
    print("lava jobs: %d passed, %d failed" % (jobs + passed, len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
