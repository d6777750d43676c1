#!/usr/bin/python3
"""Runs every test layer CI runs and ends with one line: `N passed, N failed`.

Layers: C unit tests (cmocka, sanitizer build), black-box tests (pytest against the sanitizer
build of the real binary), browser tests (playwright-core driving Debian's chromium) when present.
"""
import glob
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "build-asan", "test-output")
# One clock for every layer: it reads 2026-11-21T09:00:00+07:00 when the run starts and runs at
# the real rate, whatever the machine's date (src/util/tm.c, tests/blackbox/conftest.py).
SUITE_START = 1795226400
if "@" not in os.environ.get("UNGCUU_FAKE_NOW", ""):
    os.environ["UNGCUU_FAKE_NOW"] = f"{SUITE_START}@{int(time.time())}"


def run_unit():
    passed = failed = skipped = 0
    env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP", UNGCUU_FAST_HASH="1",
               ASAN_OPTIONS=":".join(filter(None, [os.environ.get("ASAN_OPTIONS"),
                                                   "detect_leaks=1:abort_on_error=0"])),
               LSAN_OPTIONS="suppressions=" + os.path.join(ROOT, "tests", "lsan.supp") +
               ":print_suppressions=0")
    for binary in sorted(glob.glob(os.path.join(ROOT, "build-asan", "tests", "test_*"))):
        if not os.access(binary, os.X_OK) or binary.endswith(".d"):
            continue
        proc = subprocess.run([binary], cwd=ROOT, env=env, capture_output=True, text=True)
        lines = proc.stdout.splitlines()
        # cmocka writes a skipped test as "not ok N # SKIP name": the TAP directive decides
        skip = sum(1 for line in lines if line.startswith(("ok ", "not ok ")) and "# SKIP" in line)
        ok = sum(1 for line in lines if line.startswith("ok ") and "# SKIP" not in line)
        bad = sum(1 for line in lines if line.startswith("not ok ") and "# SKIP" not in line)
        if proc.returncode != 0 and bad == 0:
            bad = 1  # crashed or a sanitizer stopped it outside a test
        passed += ok
        failed += bad
        skipped += skip
        name = os.path.basename(binary)
        print(f"unit {name}: {ok} passed, {bad} failed" + (f", {skip} skipped" if skip else ""))
        if bad:
            sys.stdout.write(proc.stdout[-4000:])
            sys.stdout.write(proc.stderr[-4000:])
    return passed, failed, skipped


def run_checksrc():
    """The house rules (scripts/checksrc): one check, passed or failed."""
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "checksrc")], cwd=ROOT,
                          capture_output=True, text=True)
    sys.stdout.write(proc.stdout[-4000:] if proc.returncode else proc.stdout.splitlines()[-1] + "\n")
    ok = proc.returncode == 0
    print(f"checksrc: {int(ok)} passed, {int(not ok)} failed")
    return int(ok), int(not ok), 0


def junit_counts(path):
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    tests = sum(int(s.get("tests", 0)) for s in suites)
    bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    return tests - bad - skipped, bad, skipped


def run_blackbox():
    os.makedirs(OUT, exist_ok=True)
    junit = os.path.join(OUT, "blackbox.xml")
    if os.path.exists(junit):
        os.remove(junit)
    env = dict(os.environ, UNGCUU_BIN=os.path.join(ROOT, "build-asan", "ungcuu"))
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           f"--junitxml={junit}", os.path.join(ROOT, "tests", "blackbox")],
                          cwd=ROOT, env=env)
    if not os.path.exists(junit):
        return 0, 1, 0
    p, f, s = junit_counts(junit)
    if proc.returncode not in (0, 1) and f == 0:
        f = 1  # pytest itself failed (collection error, crash)
    print(f"blackbox: {p} passed, {f} failed, {s} skipped")
    return p, f, s


def run_browser():
    tests = sorted(glob.glob(os.path.join(ROOT, "tests", "browser", "*.test.mjs")))
    if not tests:
        return 0, 0, 0
    env = dict(os.environ, UNGCUU_BIN=os.path.join(ROOT, "build", "ungcuu"),
               UNGCUU_TEST_OUTPUT=os.path.join(OUT, "browser"))
    proc = subprocess.run(["node", "--test", "--test-reporter=tap"] + tests, cwd=ROOT, env=env,
                          capture_output=True, text=True)
    sys.stdout.write(proc.stdout[-6000:] if proc.returncode else "")
    sys.stderr.write(proc.stderr[-3000:] if proc.returncode else "")
    p = f = s = 0
    for line in proc.stdout.splitlines():
        line = line.strip()
        if line.startswith("# pass "):
            p = int(line.split()[2])
        elif line.startswith("# fail "):
            f = int(line.split()[2])
        elif line.startswith("# skipped "):
            s = int(line.split()[2])
    if proc.returncode != 0 and f == 0:
        f = 1
    print(f"browser: {p} passed, {f} failed, {s} skipped")
    return p, f, s


def main():
    totals = [0, 0, 0]
    for layer in (run_checksrc, run_unit, run_blackbox, run_browser):
        for i, n in enumerate(layer()):
            totals[i] += n
    line = f"{totals[0]} passed, {totals[1]} failed"
    if totals[2]:
        line += f", {totals[2]} skipped"
    print(line)
    return 1 if totals[1] else 0


if __name__ == "__main__":
    sys.exit(main())
