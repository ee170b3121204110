# SPDX-License-Identifier: MIT
"""The fleet page (vmxprobe-log --html), in a real browser: headless Chromium through
Selenium opens the page built from tests/data/logs and checks it against the reader's
own JSON; hostile logs render as text; a large fleet renders in seconds. SKIP (with the
reason) where Chromium, its driver or Selenium is not installed."""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
TOOL = ROOT / 'tools' / 'vmxprobe-log'
LOGS = sorted((ROOT / 'tests' / 'data' / 'logs').glob('*.log'))
BUILD = ROOT / 'build' / 'test' / 'fleet'


def reader(*args, cwd=None):
    return subprocess.run([sys.executable, str(TOOL), *map(str, args)], capture_output=True,
                          text=True, timeout=300, cwd=cwd)


def build_page(path, logs, cwd=None):
    done = reader('--html', path, *logs, cwd=cwd)
    assert done.returncode in (0, 1, 2), done.stderr
    assert done.stderr == '', done.stderr
    return path.read_text(encoding='utf-8')


@pytest.fixture(scope='module')
def browser():
    missing = [c for c in ('chromium', 'chromedriver') if not shutil.which(c)]
    try:
        from selenium import webdriver
    except ImportError:
        missing.append('python3-selenium')
    if missing:
        pytest.skip('not installed: ' + ', '.join(missing) +
                    ' (apt-get install chromium chromium-driver python3-selenium)')
    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which('chromium')
    for arg in ('--headless=new', '--no-sandbox', '--disable-gpu', '--window-size=1400,2400'):
        opts.add_argument(arg)
    opts.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    from selenium.webdriver.chrome.service import Service
    service = Service(executable_path=shutil.which('chromedriver'))
    driver = webdriver.Chrome(options=opts, service=service)
    yield driver
    driver.quit()


def console_errors(driver):
    return [e for e in driver.get_log('browser') if e['level'] == 'SEVERE']


def test_page_matches_the_reader(browser, tmp_path):
    from selenium.webdriver.common.by import By
    BUILD.mkdir(parents=True, exist_ok=True)
    page = BUILD / 'fleet.html'
    text = build_page(page, [p.name for p in LOGS], cwd=LOGS[0].parent)     # names as a user's
    assert 'http://' not in text.replace('http://www.w3.org/2000/svg', '')
    assert 'https://' not in text and '<link' not in text and 'src=' not in text
    runs = [json.loads(line) for line in reader('--json', *LOGS).stdout.splitlines()]
    browser.get(page.as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, '#overview tbody tr')
    assert len(rows) == len(runs)
    verdicts = [r.get_attribute('data-verdict') for r in rows]
    assert sorted(verdicts) == sorted(r['reader_verdict'] for r in runs)
    # The overview's counts are the reader's.
    for v in set(verdicts):
        assert browser.find_elements(By.CSS_SELECTOR, f'input[data-verdict="{v}"]')
    # Filtering by verdict hides the other rows.
    browser.find_element(By.CSS_SELECTOR, 'input[data-verdict="PASS"]').click()
    shown = [r for r in rows if r.is_displayed()]
    assert shown and all(r.get_attribute('data-verdict') != 'PASS' for r in shown)
    assert len(shown) == len(runs) - verdicts.count('PASS')
    browser.find_element(By.CSS_SELECTOR, 'input[data-verdict="PASS"]').click()
    assert all(r.is_displayed() for r in rows)
    # Sorting by a column keeps every row.
    browser.find_element(By.CSS_SELECTOR, '#overview th:nth-child(2)').click()
    assert len(browser.find_elements(By.CSS_SELECTOR, '#overview tbody tr')) == len(runs)
    # The differences matrix names capabilities that differ in the fixtures: Skylake-X
    # and Broadwell have EPT, the Penryn has none (no proc2.enable-ept, no ept.*); the
    # Broadwell has no PML; Bochs's Ryzen and QEMU's max offer other SVM features.
    diff = browser.find_element(By.ID, 'diff').get_attribute('textContent')
    assert 'capability: proc2.enable-ept' in diff and 'capability: ept.' in diff
    assert 'capability: proc2.enable-pml' in diff and 'capability: svm.features' in diff
    assert 'ready: kvm' in diff
    # The exit-cost chart groups by the model: line's brand string.
    svg = browser.find_element(By.CSS_SELECTOR, 'svg').text
    assert 'AMD Ryzen 7 1700 Eight-Core Processor' in svg and 'model not in the log' in svg
    assert console_errors(browser) == []
    browser.save_screenshot(str(BUILD / 'fleet.png'))


# A log written to break the page: markup, quotes, an escape sequence and a NUL in its
# fields (tests/data/hostile/, apart from the real boots in tests/data/logs/).
HOSTILE = ROOT / 'tests' / 'data' / 'hostile' / 'markup.log'


def test_hostile_logs_render_as_text(browser, tmp_path):
    from selenium.webdriver.common.by import By
    hostile = tmp_path / 'hostile <script>.log'
    hostile.write_bytes(HOSTILE.read_bytes())
    cut = tmp_path / 'cut.log'
    cut.write_bytes(HOSTILE.read_bytes()[:400])
    page = tmp_path / 'hostile.html'
    text = build_page(page, [hostile, cut, LOGS[0]])
    assert '<script>alert' not in text and '<img' not in text and '<iframe' not in text
    assert '\x00' not in text
    browser.get(page.as_uri())
    body = browser.find_element(By.TAG_NAME, 'body').text
    assert '<script>alert(1)</script>' in body          # shown, as text
    assert len(browser.find_elements(By.TAG_NAME, 'img')) == 0
    assert len(browser.find_elements(By.TAG_NAME, 'iframe')) == 0
    assert len(browser.find_elements(By.TAG_NAME, 'script')) == 1   # the page's own
    assert browser.execute_script('return typeof alert') == 'function'
    assert console_errors(browser) == []


def test_a_thousand_logs(browser, tmp_path):
    """1,000 logs (the fixtures, copied) render in seconds into one usable page."""
    logs = []
    for k in range(1000):
        src = LOGS[k % len(LOGS)]
        dst = tmp_path / f'm{k:04d}-{src.name}'
        dst.write_bytes(src.read_bytes())
        logs.append(dst)
    page = tmp_path / 'big.html'
    start = time.monotonic()
    build_page(page, logs)
    elapsed = time.monotonic() - start
    size = page.stat().st_size
    print(f'1000 logs: {elapsed:.1f} s, {size / 1e6:.1f} MB')
    assert elapsed < 120
    browser.get(page.as_uri())
    from selenium.webdriver.common.by import By
    assert len(browser.find_elements(By.CSS_SELECTOR, '#overview tbody tr')) == 1000
    browser.find_element(By.CSS_SELECTOR, 'input[data-verdict="PASS"]').click()
    assert console_errors(browser) == []


def test_html_refuses_a_log_as_the_page():
    done = reader('--html', LOGS[0], LOGS[1])
    assert done.returncode == 2
    assert 'looks like a log' in done.stderr
    assert LOGS[0].read_bytes().startswith(b'') and b'<!DOCTYPE' not in LOGS[0].read_bytes()[:20]


def test_html_to_stdout():
    done = reader('--html', '-o', os.devnull, LOGS[0])
    assert done.returncode in (0, 1, 2) and done.stderr == ''
    out = reader('--html', '--', LOGS[0])
    assert out.stdout.startswith('<!DOCTYPE html>')


def test_a_cpu_that_differs_from_cpu0(tmp_path):
    """Within a machine: a CPU whose capability report (vmxcap=all) differs from CPU 0's
    is named with the fields that differ, as the kernel's own mismatch line is."""
    log = tmp_path / 'mixed.log'
    log.write_text(
        'vmxprobe: version=0.1.0 firmware=bios bootloader="GRUB" cmdline="vmxcap=all"\n'
        'smp: apic=xapic enumerated=2 disabled=0 online=2 bringup_us=1\n'
        'cpu: index=0 apic=0 online up_us=0\ncpu: index=1 apic=1 online up_us=1\n'
        'vmx: cpu=0 apic=0 result=on revision=0x2b\nvmx: cpu=1 apic=1 result=on revision=0x2b\n'
        'vmx: cpu=1 apic=1 mismatch msr=0x48b value=0x1 cpu0=0x3\n'
        'vmxcap: cpu=0 apic=0\nvmxcap: proc2.enable-ept=yes\nvmxcap: proc2.enable-vpid=yes\n'
        'vmxcap: cpu=1 apic=1\nvmxcap: proc2.enable-ept=yes\nvmxcap: proc2.enable-vpid=no\n'
        'guest: cpu=0 apic=0 result=ok exits=1003 exit_cycles=300 exit_cycles_min=200\n'
        'guest: cpu=1 apic=1 result=ok exits=1003 exit_cycles=310 exit_cycles_min=200\n'
        'vmxprobe: summary cpus=2/2 on=2 no-vmx=0 locked-off=0 failed=0 guest=2 verdict=PASS\n')
    page = tmp_path / 'mixed.html'
    text = build_page(page, [log])
    assert 'cpu1 differs from cpu0 in <span class="mono">proc2.enable-vpid</span>' in text
    assert 'mismatch msr=0x48b' in text
    assert '>305<' in text                  # the median of the CPUs' exit cycles
