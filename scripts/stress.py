"""Stress test: every hostile, oversized and normal input of issue 17 at full size, through
the command line, with its time and peak memory.

Each case of ``tests/hostile/generate.py`` is written to a temporary folder (deleted right
after the case), then given to ``flowmap export --out map.html`` as ``--flows``,
``--places`` or ``--districts`` in a child process under ``prlimit --as`` (4 GB of address
space, so a runaway cannot take the machine), one case at a time. The child's wall time and
peak resident memory (and CPU time, which the machine's load changes less) are measured by
GNU ``time -f "%M %U %S"`` (the ``ru_maxrss`` of the ``flowmap`` process, which ``time``
forks: a process forked from this script would inherit this script's own high-water mark
across ``exec``), and for a child killed after ``--timeout`` seconds from ``VmHWM`` of
``/proc`` and the CPU times, read every 0.1 s. A named pipe is fed with a table that never
ends while its case runs.

A case PASSes when it ends in at most 10 s and 1,024 MB, without a traceback, the way it
must (accepted, refused, or either; saying what it must say). The table goes to stdout; the
exit status is 1 if any case FAILs.

Run with ``make stress`` or ``.venv/bin/python scripts/stress.py [--only NAME,...]
[--scale 1.0]``; ``--list`` names the cases.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hostile.generate import CASES, Case, feed_fifo  # noqa: E402

MAX_SECONDS = 10.0
MAX_MB = 1024.0
ADDRESS_SPACE = 4 * 1024**3  # prlimit --as: a runaway child fails to allocate, never swaps
FLOWMAP = ROOT / ".venv" / "bin" / "flowmap"
TIME = Path("/usr/bin/time")  # GNU time: the peak memory of the process it runs
SHOWN = 84  # characters of an outcome shown in the table


@dataclass(frozen=True)
class Result:
    """How one case ended."""

    case: Case
    outcome: str
    ending: str  # accepted, refused, killed, traceback, crashed
    seconds: float
    cpu_seconds: float  # user + system: what the case costs, whatever the machine's load
    peak_mb: float
    stderr: str
    judge: str = "wall"  # which time must stay within MAX_SECONDS: wall or cpu

    @property
    def failures(self) -> list[str]:
        """Return why the case fails (empty when it passes)."""
        why = []
        if self.ending not in self.case.ends:
            why.append(f"must end {' or '.join(sorted(self.case.ends))}")
        if (self.cpu_seconds if self.judge == "cpu" else self.seconds) > MAX_SECONDS:
            why.append(f"> {MAX_SECONDS:g} s" + (" of CPU" if self.judge == "cpu" else ""))
        if self.peak_mb > MAX_MB:
            why.append(f"> {MAX_MB:,.0f} MB")
        says = self.case.expected_text()
        if says and says.lower() not in self.stderr.lower():
            why.append(f"does not say {says!r}")
        return why


def command(case: Case, files: dict[str, Path], out: Path) -> list[str]:
    """Return the command line that maps a case's files."""
    argv = [str(FLOWMAP), "export", "--out", str(out), *case.options]
    for role in ("flows", "places", "districts"):
        if role in files:
            argv += [f"--{role}", str(files[role])]
    return argv


def _error_line(stderr: str) -> str:
    """Return the error of a refused input: its first line, and the first problem listed
    when the line only announces a list."""
    lines = stderr.splitlines()
    for n, line in enumerate(lines):
        if line.startswith("flowmap: error"):
            text = line.removeprefix("flowmap: ")
            if text.endswith(":") and n + 1 < len(lines):
                text += " " + lines[n + 1].strip()
            return text
    return lines[0] if lines else "(no message)"


def run_case(case: Case, scale: float, timeout: float, work: Path) -> Result:
    """Write a case's files in ``work``, map them in a child process, and measure it."""
    main = work / f"input{case.suffix}"  # no case name in messages
    files = case.make(main, scale)
    out = work / "map.html"
    stderr_path, stdout_path = work / "stderr.txt", work / "stdout.txt"
    rss_path = work / "maxrss.txt"
    argv = [
        str(TIME),
        "-f",
        "%M %U %S",
        "-o",
        str(rss_path),
        "prlimit",
        f"--as={ADDRESS_SPACE}",
        "--",
        *command(case, files, out),
    ]
    stop = threading.Event()
    feeder = None
    if main.is_fifo():
        feeder = threading.Thread(target=feed_fifo, args=(main, stop.is_set), daemon=True)
        feeder.start()
    killed = False
    polled_kb, polled_cpu = 0, 0.0
    with stderr_path.open("wb") as err, stdout_path.open("wb") as std:
        start = last_poll = time.monotonic()
        child = subprocess.Popen(
            argv, stdout=std, stderr=err, stdin=subprocess.DEVNULL, start_new_session=True
        )
        reaped = False
        try:
            while True:
                pid, status, _ = os.wait4(child.pid, os.WNOHANG)
                if pid:
                    reaped = True
                    break
                now = time.monotonic()
                if now - last_poll >= 0.1:
                    kb, polled_cpu = _descendants(child.pid)
                    polled_kb, last_poll = max(polled_kb, kb), now
                if now - start > timeout:
                    killed = True
                    break
                time.sleep(0.02)
        finally:  # on a timeout, Ctrl-C or SIGTERM the child's whole group goes too
            if not reaped:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGKILL)
                os.wait4(child.pid, 0)
        seconds = time.monotonic() - start
    child.returncode = 0 if killed else os.waitstatus_to_exitcode(status)  # reaped already
    stop.set()
    if feeder is not None:
        feeder.join(5)
    report = rss_path.read_text() if rss_path.exists() else ""  # "[Command ...\n]KB U S"
    measured = report.splitlines()[-1].split() if report.strip() else []
    peak_kb, cpu = 0, 0.0
    if len(measured) == 3 and measured[0].isdigit():
        peak_kb, cpu = int(measured[0]), float(measured[1]) + float(measured[2])
    signalled = re.search(r"terminated by signal (\d+)", report)
    peak_mb = max(peak_kb, polled_kb) / 1024
    cpu = cpu or polled_cpu
    stderr = stderr_path.read_text("utf-8", "replace").replace(f"{work}/", "")
    code = child.returncode
    if killed:
        ending, outcome = "killed", f"KILLED after {timeout:g} s"
    elif "Traceback (most recent call last)" in stderr:
        last = [line for line in stderr.splitlines() if line.strip()][-1]
        ending, outcome = "traceback", f"traceback: {last.strip()}"
    elif signalled:
        said = [line.strip() for line in stderr.splitlines() if line.strip()]
        name = signal.Signals(int(signalled[1])).name
        ending, outcome = "crashed", f"crashed: {name}" + (f" ({said[-1]})" if said else "")
    elif code == 0:
        warnings = sum(1 for line in stderr.splitlines() if line.startswith("flowmap: warning"))
        ending, outcome = "accepted", "accepted" + (f" ({warnings} warnings)" if warnings else "")
    elif code == 2:
        ending, outcome = "refused", "refused: " + _error_line(stderr)
    else:
        ending, outcome = "crashed", f"exit {code}: {_error_line(stderr)}"
    return Result(case, outcome, ending, seconds, cpu, peak_mb, stderr)


def _descendants(pid: int) -> tuple[int, float]:
    """Return the largest ``VmHWM`` (peak resident memory, kB) of ``pid``'s descendants
    and their CPU seconds so far."""
    import psutil

    peak, cpu = 0, 0.0
    with contextlib.suppress(psutil.Error):
        for process in psutil.Process(pid).children(recursive=True):
            with contextlib.suppress(OSError, psutil.Error):
                times = process.cpu_times()
                cpu += times.user + times.system
                status = Path(f"/proc/{process.pid}/status").read_text()
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]))
    return peak, cpu


def table(results: Sequence[Result]) -> str:
    """Return the results as a plain-text table."""
    width = max(len("case"), *(len(r.case.name) for r in results))
    lines = [
        f"{'case':<{width}}  {'outcome':<{SHOWN}}  {'s':>6}  {'cpu s':>6}  {'peak MB':>8}  result"
    ]
    lines.append("-" * len(lines[0]))
    for r in results:
        outcome = r.outcome if len(r.outcome) <= SHOWN else r.outcome[: SHOWN - 1] + "…"
        verdict = "FAIL: " + "; ".join(r.failures) if r.failures else "PASS"
        lines.append(
            f"{r.case.name:<{width}}  {outcome:<{SHOWN}}  {r.seconds:6.1f}  {r.cpu_seconds:6.1f}  "
            f"{r.peak_mb:8.0f}  "
            f"{verdict}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the cases and print the table; return 1 if any case fails."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated case names (default: every case)")
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="size of the hostile and normal cases, 1.0 = full size (the cases over a "
        "limit always exceed the command line's limits)",
    )
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="seconds before a case is killed"
    )
    parser.add_argument(
        "--judge",
        choices=("wall", "cpu"),
        default="wall",
        help="the time that must stay within 10 s: wall (the default) or CPU (user + system, "
        "for a machine loaded by others; a case killed at --timeout fails either way)",
    )
    parser.add_argument("--list", action="store_true", help="name the cases and stop")
    args = parser.parse_args(argv)
    if args.list:
        for case in CASES:
            print(f"{case.name:<28} {case.what}")
        return 0
    cases = list(CASES)
    if args.only:
        names = [n.strip() for n in args.only.split(",") if n.strip()]
        known = {c.name: c for c in CASES}
        unknown = [n for n in names if n not in known]
        if unknown:
            parser.error(f"unknown case {', '.join(unknown)}; --list names them")
        cases = [known[n] for n in names]
    if not FLOWMAP.exists() or shutil.which("prlimit") is None or not TIME.exists():
        parser.error(f"needs {FLOWMAP} (make setup), prlimit (util-linux) and {TIME} (time)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up as on Ctrl-C
    results = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="flowmap-stress-") as tmp:
        for case in cases:
            work = Path(tmp) / case.name
            work.mkdir()
            made = time.monotonic()
            try:
                result = replace(run_case(case, args.scale, args.timeout, work), judge=args.judge)
            finally:
                shutil.rmtree(work, ignore_errors=True)
            results.append(result)
            verdict = "FAIL" if result.failures else "PASS"
            print(
                f"{case.name}: {verdict} {result.seconds:.1f} s ({result.cpu_seconds:.1f} s of "
                f"CPU), {result.peak_mb:.0f} MB "
                f"({time.monotonic() - made:.0f} s with making the files)",
                file=sys.stderr,
                flush=True,
            )
    print(table(results))
    failed = sum(1 for r in results if r.failures)
    print(
        f"\n{len(results) - failed} of {len(results)} cases PASS (at most {MAX_SECONDS:g} s "
        f"{'of CPU ' if args.judge == 'cpu' else ''}"
        f"and {MAX_MB:,.0f} MB each, no traceback, ended as they must); scale {args.scale:g}; "
        f"children under prlimit --as={ADDRESS_SPACE // 1024**3} GB, own peak "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; load average "
        f"{load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end, on "
        f"{os.cpu_count()} CPUs (times grow with the machine's load)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
