"""Load test: many browser sessions switching years, then uploading normal and hostile files,
in the real app, with the server's health and memory measured.

Starts ``streamlit run server.py`` on 127.0.0.1 (a free port), warms it up with one page load,
records the server's resident memory (RSS, child processes included: the fork server and
the upload workers), then runs up to three phases with concurrent sessions in Debian's
Chromium (Playwright; every request to another host is blocked) while a thread asks
``/_stcore/health`` every 0.5 s:

1. *years*: each session switches the year the way a user does, through the sidebar ("One
   year" radio, then the year slider) or by opening a ``/?year=...`` link, for ``--seconds``.
2. *uploads*: each session uploads ``--uploads`` files, each in a fresh page: normal tables
   (CSV, XLSX, CP1251) and hostile files (a 5 GB gzip bomb, a workbook whose sheet unpacks to
   400 MB, a million columns, a 40 MB line, 1.2 million rows, a 1,500 x 1,500 matrix) on
   "Your data", and a zipped Shapefile of 700,000 parts as districts on the Batken page. The
   files are generated into a temporary folder first (``_uploads.py``).
3. *busy*: ``--busy-sessions`` sessions switch years while one more uploads issue 22's three
   files one after the other (a workbook whose sheet unpacks to 900 MB, one of Excel's
   1,048,576 rows, a gzipped 1,500 x 1,500 matrix): each must be refused within 10 s, the
   server process stay under 1 GB, and the year changes go on; their times during the
   uploads are reported.

After each phase the sessions are closed and memory is given up to ``--settle`` seconds
(``--upload-settle`` after the uploads: Streamlit keeps a closed session's uploaded files
for 120 s) to come back; each phase passes only if its RSS after is within
``--max-growth`` MB of its RSS before and no health check failed. Prints the figures and
exits 0 on PASS, 1 on FAIL.

Everything is loopback only and bounded in time; the server is always stopped.

Run with ``.venv/bin/python scripts/loadtest.py [--sessions 20] [--seconds 60]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO, Any

import psutil
from _chromium import CHROMIUM, CHROMIUM_ARGS
from _uploads import ISSUE_22, UploadFile, make_all, make_issue_22
from playwright.async_api import Browser, Page, Route, async_playwright
from playwright.async_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[1]
YEARS = tuple(range(2013, 2025))  # the options of the app's year slider
MB = 1024 * 1024
# At most two glibc malloc arenas, as the app should be run (``make run`` included). With the
# default (8 per CPU), the short-lived half-megabyte buffers of 20 concurrent reruns leave
# ~60 MB of freed but unreturned memory spread over many arenas; with two, ~10 MB.
# A fixed mmap threshold (1 MiB) as well: glibc otherwise raises it after each large block
# is freed (up to 32 MB), so the uploads' bytes and their pickled copies for the reading
# worker end up in the heap, where the freed memory stays.
SERVER_ENV = {"MALLOC_ARENA_MAX": "2", "MALLOC_MMAP_THRESHOLD_": "1048576"}
START_TIMEOUT = 90.0  # seconds for the server to answer /_stcore/health
PAGE_TIMEOUT = 60.0  # seconds for a page, or a new map, to appear
STOP_TIMEOUT = 20.0  # seconds for the server to stop after SIGTERM
HEALTH_PERIOD = 0.5
URL_SWITCH_SHARE = 0.1  # share of year switches made by opening a link instead of the slider
OPENING_AT_ONCE = 4  # sessions that may be opening at the same time
OPEN_TIMEOUT = 300.0  # seconds for all the sessions to open
CLOSE_TIMEOUT = 30.0  # seconds to close a browser context or the browser
UPLOAD_TIMEOUT = 600.0  # seconds for one upload to be read or refused (workers are queued)


# --------------------------------------------------------------------------- server


def free_port() -> int:
    """Return a TCP port that is free on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def health(url: str, timeout: float) -> bool:
    """Return whether ``/_stcore/health`` answers 200 within ``timeout`` seconds."""
    try:
        # ``url`` is always this script's own http://127.0.0.1:<port>.
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as reply:  # noqa: S310
            return bool(reply.status == 200)
    except OSError:
        return False


def split_rss(process: psutil.Process) -> tuple[int, int]:
    """Return the resident memory of a process alone and of all its children, in bytes."""
    own = 0
    with suppress(psutil.Error):
        own = process.memory_info().rss
    return own, tree_rss(process) - own


def tree_rss(process: psutil.Process) -> int:
    """Return the resident memory of a process and all its children, in bytes."""
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        with suppress(psutil.Error):
            total += member.memory_info().rss
    return total


@contextmanager
def streamlit_server(
    env_extra: dict[str, str], log: IO[bytes]
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Start ``streamlit run server.py`` (as ``make run`` does: the app, warmed up before it
    takes connections) on 127.0.0.1; yield its URL and process; always stop it."""
    port = free_port()
    env = dict(os.environ)
    for name, value in env_extra.items():
        if value:
            env[name] = value
        else:
            env.pop(name, None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "server.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            # One version of the code for the whole run, as in production: no module reloads
            # when files in the working tree change during the test.
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # Ctrl-C reaches this script, which then stops the server
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not health(url, timeout=2):
            if server.poll() is not None:
                raise RuntimeError(f"streamlit exited with code {server.returncode} at start")
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not answer within {START_TIMEOUT:.0f} s")
            time.sleep(0.3)
        yield url, server
    finally:
        stop(server)


def stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server (SIGTERM, then SIGKILL) and any child process it left."""
    try:
        children = psutil.Process(server.pid).children(recursive=True)
    except psutil.Error:
        children = []
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=STOP_TIMEOUT)
    for child in children:
        with suppress(psutil.Error):
            child.kill()


# --------------------------------------------------------------------------- monitors


class HealthProbe(threading.Thread):
    """Ask ``/_stcore/health`` every 0.5 s; record failures and latencies.

    It also records how late its own 0.5 s waits wake up: a late wake-up means the whole
    machine was short of CPU (the browsers run on it too), not only the server.
    """

    def __init__(self, url: str, timeout: float) -> None:
        super().__init__(daemon=True, name="health-probe")
        self.url = url
        self.timeout = timeout
        self.failures = 0
        self.latencies: list[float] = []
        self.worst_oversleep = 0.0
        self._halt = threading.Event()

    @property
    def worst(self) -> float:
        return max(self.latencies, default=0.0)

    def run(self) -> None:
        while not self._halt.is_set():
            began = time.monotonic()
            ok = health(self.url, self.timeout)
            latency = time.monotonic() - began
            self.latencies.append(latency)
            self.failures += not ok
            pause = max(0.0, HEALTH_PERIOD - latency)
            woke = time.monotonic() + pause
            if not self._halt.wait(pause):
                self.worst_oversleep = max(self.worst_oversleep, time.monotonic() - woke)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=self.timeout + 5)


def cpu_seconds(process: psutil.Process) -> float:
    """Return the CPU time (user + system) a process has used so far, in seconds."""
    try:
        times = process.cpu_times()
    except psutil.Error:
        return 0.0
    return float(times.user + times.system)


def lower_priority(process: psutil.Process, nice: int) -> None:
    """Give every thread of a process at least this niceness (lower priority)."""
    with suppress(psutil.Error):
        for thread in process.threads():
            with suppress(OSError):
                if os.getpriority(os.PRIO_PROCESS, thread.id) < nice:
                    os.setpriority(os.PRIO_PROCESS, thread.id, nice)


class Sampler(threading.Thread):
    """Every 0.5 s: the server's RSS (children included, and alone; the peaks are kept), and
    the CPU time used by the server and by this script's other children (Playwright and
    Chromium).

    With ``nice`` > 0 it also lowers the scheduling priority of every thread of those other
    children: the browsers stand in for users' machines, so on a small machine they should
    not take CPU time the server needs (Chromium raises some of its own threads, hence the
    repeated check).
    """

    def __init__(self, server_pid: int, nice: int = 0) -> None:
        super().__init__(daemon=True, name="sampler")
        self.server = psutil.Process(server_pid)
        self.nice = nice
        self.peak = tree_rss(self.server)
        self.peak_own = split_rss(self.server)[0]
        self._cpu: dict[int, tuple[bool, float]] = {}  # pid -> (is the server's, CPU time)
        self._start = self._cpu_totals()
        self._halt = threading.Event()

    def _cpu_totals(self) -> tuple[float, float]:
        """Update the CPU time seen per process; return (server's, load generator's)."""
        server_pids = {self.server.pid}
        with suppress(psutil.Error):
            server_pids |= {c.pid for c in self.server.children(recursive=True)}
        with suppress(psutil.Error):
            for process in psutil.Process().children(recursive=True):
                mine = process.pid in server_pids
                self._cpu[process.pid] = (mine, cpu_seconds(process))
                if self.nice > 0 and not mine:
                    lower_priority(process, self.nice)
        server = sum(t for mine, t in self._cpu.values() if mine)
        return server, sum(t for mine, t in self._cpu.values() if not mine)

    def run(self) -> None:
        while not self._halt.wait(0.5):
            self.peak = max(self.peak, tree_rss(self.server))
            self.peak_own = max(self.peak_own, split_rss(self.server)[0])
            self._cpu_totals()

    def stop(self) -> tuple[float, float]:
        """Stop sampling; return the CPU seconds used by the server and the load generator."""
        self._halt.set()
        self.join(timeout=5)
        server, browsers = self._cpu_totals()
        return server - self._start[0], browsers - self._start[1]


# --------------------------------------------------------------------------- sessions


@dataclass
class SessionStats:
    """What one browser session did."""

    opened: bool = False
    open_seconds: float = 0.0
    switches: int = 0
    by_link: int = 0
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    switched_at: list[float] = field(default_factory=list)  # when each switch began
    blocked: list[str] = field(default_factory=list)


# The app's live map (webapp/livemap.py) draws each view in the same document and counts
# them (flowmap.draws): the count before a switch is remembered in the page, and a new map
# counts once the frame has drawn a later view (its flows drawn: data-flowmap-ready).
REMEMBER_MAP = """() => {
    const f = document.querySelector("iframe[title]");
    const w = f && f.contentWindow;
    window.__fmBefore = (w && w.flowmap && w.flowmap.draws) || 0;
}"""
MAP_READY = """() => {
    const f = document.querySelector("iframe[title]");
    const w = f && f.contentWindow;
    const root = w && w.document.documentElement;
    return !!(root && w.flowmap && (w.flowmap.draws || 0) > (window.__fmBefore || 0) &&
        root.getAttribute("data-flowmap-ready") === "1");
}"""
SLIDER_SHOWS = """(year) => {
    const s = document.querySelector("[data-testid=stSlider] input[type=range]");
    return !!s && s.getAttribute("aria-valuetext") === year;
}"""
YEAR_SHOWN = "(year) => new URLSearchParams(location.search).get('year') === String(year)"


def describe(exc: BaseException) -> str:
    """Return the first line of an exception, for the report."""
    text = str(exc).splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"


class Session:
    """One user in one browser context, on which every request to another host is blocked."""

    def __init__(self, index: int, url: str) -> None:
        self.index = index
        self.url = url
        self.stats = SessionStats()
        self.rng = random.Random(index)
        self.year = 0
        self.page: Page | None = None

    async def start(self, browser: Browser) -> None:
        """Open a context whose route handler aborts (and records) every non-local request."""
        context = await browser.new_context(
            viewport={"width": 1024, "height": 768}, reduced_motion="reduce"
        )
        local = re.escape(f"{self.url}/")
        # Matched in the Playwright driver: only requests to other hosts reach Python.
        elsewhere = re.compile(f"^(?!{local}|{re.escape(self.url)}$|data:|blob:|about:)")

        async def block(route: Route) -> None:
            self.stats.blocked.append(route.request.url)
            await route.abort()

        await context.route(elsewhere, block)
        self.page = await context.new_page()

    async def wait_for_year(self, year: int, timeout: float = PAGE_TIMEOUT) -> None:
        """Wait until the URL shows ``year`` and the map frame holds a new, drawn document."""
        assert self.page is not None
        page = self.page
        await page.wait_for_function(YEAR_SHOWN, arg=year, timeout=timeout * 1000, polling=200)
        await page.wait_for_function(MAP_READY, timeout=timeout * 1000, polling=200)

    async def open(self) -> None:
        """Arrive at the app (half the users by a shared link) and show one year."""
        assert self.page is not None
        page = self.page
        began = time.monotonic()
        await page.evaluate(REMEMBER_MAP)
        if self.index % 2:  # through a shared link with a year in it
            self.year = YEARS[self.index % len(YEARS)]
            await page.goto(f"{self.url}/?year={self.year}", timeout=PAGE_TIMEOUT * 1000)
            await self.wait_for_year(self.year)
        else:  # at the default view (several years); then "One year" in the sidebar
            await page.goto(self.url, timeout=PAGE_TIMEOUT * 1000)
            await page.wait_for_function(MAP_READY, timeout=PAGE_TIMEOUT * 1000, polling=200)
            await page.evaluate(REMEMBER_MAP)
            await page.get_by_text("One year", exact=True).click(timeout=PAGE_TIMEOUT * 1000)
            self.year = 2023  # the app's default year
            await self.wait_for_year(self.year)
        self.stats.opened = True
        self.stats.open_seconds = time.monotonic() - began

    async def switch(self, think: float) -> None:
        """Look at the map for a while, then switch to the next (or a linked) year."""
        assert self.page is not None
        page = self.page
        await asyncio.sleep(self.rng.uniform(0.5 * think, 1.5 * think))
        step = self.rng.choice((-1, 1))
        if not YEARS[0] <= self.year + step <= YEARS[-1]:
            step = -step
        target = self.year + step
        await page.evaluate(REMEMBER_MAP)
        began = time.monotonic()
        if self.rng.random() < URL_SWITCH_SHARE:
            target = self.rng.choice([y for y in YEARS if y != self.year])
            await page.goto(f"{self.url}/?year={target}", timeout=PAGE_TIMEOUT * 1000)
            self.stats.by_link += 1
        else:
            await self.press_slider(step, target)
        await self.wait_for_year(target)
        self.stats.latencies.append(time.monotonic() - began)
        self.stats.switched_at.append(began)
        self.stats.switches += 1
        self.year = target

    async def press_slider(self, step: int, target: int) -> None:
        """Focus the year slider and press an arrow key; press again if a rerun replaced the
        slider before the key reached it (the slider shows the new year at once)."""
        assert self.page is not None
        thumb = self.page.locator("[data-testid=stSlider] input[type=range]").first
        for _ in range(3):
            shown = await thumb.get_attribute("aria-valuetext", timeout=PAGE_TIMEOUT * 1000)
            if shown == str(target):
                return
            await thumb.focus(timeout=PAGE_TIMEOUT * 1000)
            await self.page.keyboard.press("ArrowRight" if step > 0 else "ArrowLeft")
            with suppress(PlaywrightTimeout):
                await self.page.wait_for_function(
                    SLIDER_SHOWS, arg=str(target), timeout=5000, polling=100
                )
                return

    async def run(self, deadline: float, think: float, stop: asyncio.Event | None = None) -> None:
        """Switch years until ``deadline`` (or until ``stop`` is set); after a failed switch,
        reload the last year."""
        while (
            time.monotonic() < deadline
            and not (stop is not None and stop.is_set())
            and len(self.stats.errors) < 5
        ):
            try:
                await self.switch(think)
            except Exception as exc:
                self.stats.errors.append(describe(exc))
                with suppress(Exception):
                    assert self.page is not None
                    await self.page.evaluate(REMEMBER_MAP)
                    await self.page.goto(f"{self.url}/?year={self.year}")
                    await self.wait_for_year(self.year)

    async def close(self) -> None:
        """Close the session's context (its page's websocket with it), in bounded time."""
        if self.page is not None:
            with suppress(Exception):
                await asyncio.wait_for(self.page.context.close(), CLOSE_TIMEOUT)


async def open_all(users: list[Session]) -> None:
    """Open every session's page, a few at a time (opening one costs the browser about 5
    CPU-seconds), within :data:`OPEN_TIMEOUT`; a session that fails is marked, not raised."""
    gate = asyncio.Semaphore(OPENING_AT_ONCE)

    async def arrive(user: Session) -> None:
        async with gate:
            await user.open()

    await asyncio.wait_for(asyncio.gather(*(guarded(u, arrive(u)) for u in users)), OPEN_TIMEOUT)


async def guarded(session: Session, step: Coroutine[Any, Any, None]) -> None:
    """Run one step of a session; record an exception instead of raising it."""
    try:
        await step
    except Exception as exc:
        session.stats.errors.append(describe(exc))


def quiet_orphans(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """Drop "exception was never retrieved" reports of calls cut short by Ctrl-C (the
    sessions' own errors are recorded); report anything else as usual."""
    if "never retrieved" not in str(context.get("message", "")):
        loop.default_exception_handler(context)


async def run_sessions(url: str, sessions: int, seconds: float, think: float) -> list[Session]:
    """Open every session; let them all switch years for ``seconds``; close them."""
    asyncio.get_running_loop().set_exception_handler(quiet_orphans)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        users = [Session(i, url) for i in range(sessions)]
        try:
            for user in users:
                await user.start(browser)
            await open_all(users)
            deadline = time.monotonic() + seconds
            print(
                f"{sum(u.stats.opened for u in users)} sessions open; switching years", flush=True
            )
            opened = [u for u in users if u.stats.opened]
            # Hard bound: the run, plus time for the last switch (and one reload) to finish.
            await asyncio.wait_for(
                asyncio.gather(*(guarded(u, u.run(deadline, think)) for u in opened)),
                seconds + 3 * PAGE_TIMEOUT,
            )
        finally:
            for user in users:
                await user.close()
            with suppress(Exception):
                await asyncio.wait_for(browser.close(), CLOSE_TIMEOUT)
    return users


async def warm(url: str) -> None:
    """Load the page once (builds the cached data and the first map), then close it."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        session = Session(1, url)
        try:
            await session.start(browser)
            await asyncio.wait_for(session.open(), 4 * PAGE_TIMEOUT)
        finally:
            await session.close()
            with suppress(Exception):
                await asyncio.wait_for(browser.close(), CLOSE_TIMEOUT)
    if session.stats.blocked:
        raise RuntimeError(f"the app asked for another host: {session.stats.blocked[0]}")


# --------------------------------------------------------------------------- uploads

# What an upload ended in, once the rerun it caused has finished: the app's refusal (an
# error box), its internal-error note ("failed"), a map of the table, or areas drawn.
UPLOAD_OUTCOME = """([target, failed]) => {
    const app = document.querySelector("[data-testid=stApp]");
    if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return null;
    if (!document.querySelector("[data-testid=stFileChipName]")) return null;
    const alert = document.querySelector("[data-testid=stAlertContentError]");
    if (alert) {
        const text = alert.textContent.trim();
        return [text.startsWith(failed) ? "failed" : "refused", text];
    }
    if (target === "table") {
        const f = document.querySelector("iframe[title]");
        const d = f && f.contentDocument;
        if (d && d.readyState === "complete" && d.querySelector(".leaflet-container"))
            return ["mapped", ""];
    } else {
        const c = [...document.querySelectorAll("[data-testid=stCaptionContainer]")]
            .find((e) => e.textContent.includes("areas drawn"));
        if (c) return ["drawn", c.textContent.trim()];
    }
    return null;
}"""
APP_FAILED = "Something went wrong"  # the start of the app's note for an unexpected error


@dataclass
class UploadResult:
    """How one upload ended."""

    file: str
    hostile: bool
    outcome: str  # mapped, drawn, refused, failed (internal error), error (no outcome)
    message: str
    seconds: float


class Uploader(Session):
    """One user uploading files, each in a fresh page (so a fresh server session)."""

    def __init__(
        self, index: int, url: str, files: list[UploadFile], gate: asyncio.Semaphore
    ) -> None:
        super().__init__(index, url)
        self.files = files
        self.gate = gate
        self.results: list[UploadResult] = []

    async def upload(self, item: UploadFile) -> None:
        """Open the page, go where the file is taken, upload it, wait for what follows."""
        assert self.page is not None
        page = self.page
        wait = UPLOAD_TIMEOUT * 1000
        async with self.gate:  # opening a page costs the browser seconds of CPU: a few at once
            await page.goto(self.url, timeout=wait)
            if item.target == "table":
                await page.get_by_text("Your data", exact=True).first.click(timeout=wait)
                await page.get_by_text("Drop a file to start").first.wait_for(timeout=wait)
                chooser = page.locator("input[type=file][accept*='.csv']").first
            else:
                await page.wait_for_function(MAP_READY, timeout=wait, polling=500)
                chooser = page.locator("input[type=file][accept*='.geojson']").first
        began = time.monotonic()
        await chooser.set_input_files(str(item.path), timeout=wait)
        handle = await page.wait_for_function(
            UPLOAD_OUTCOME,
            arg=[item.target, APP_FAILED],
            timeout=UPLOAD_TIMEOUT * 1000,
            polling=500,
        )
        outcome, message = await handle.json_value()
        self.results.append(
            UploadResult(item.path.name, item.hostile, outcome, message, time.monotonic() - began)
        )

    async def run_uploads(self) -> None:
        """Upload every file of this session, one after the other."""
        for item in self.files:
            try:
                await self.upload(item)
            except Exception as exc:
                self.stats.errors.append(f"{item.path.name}: {describe(exc)}")
                self.results.append(
                    UploadResult(item.path.name, item.hostile, "error", describe(exc), 0.0)
                )


def session_files(files: list[UploadFile], sessions: int, each: int) -> list[list[UploadFile]]:
    """Deal the files to the sessions: session i takes files i, i + 3, i + 6, ... (cyclic),
    so that with 20 sessions of 2 uploads every file is uploaded 4 times, by 4 sessions."""
    return [[files[(i + 3 * k) % len(files)] for k in range(each)] for i in range(sessions)]


async def run_uploads(url: str, plan: list[list[UploadFile]]) -> list[Uploader]:
    """Open one context per session, run every session's uploads at once, close them."""
    asyncio.get_running_loop().set_exception_handler(quiet_orphans)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        gate = asyncio.Semaphore(OPENING_AT_ONCE)
        users = [Uploader(i, url, files, gate) for i, files in enumerate(plan)]
        try:
            for user in users:
                await user.start(browser)
            limit = len(max(plan, key=len, default=[])) * 3 * UPLOAD_TIMEOUT
            await asyncio.wait_for(
                asyncio.gather(*(guarded(u, u.run_uploads()) for u in users)), limit
            )
        finally:
            for user in users:
                await user.close()
            with suppress(Exception):
                await asyncio.wait_for(browser.close(), CLOSE_TIMEOUT)
    return users


# --------------------------------------------------------------------------- uploads among switches

BUSY_ANSWER = 10.0  # seconds within which each of issue 22's uploads must be refused
BUSY_SERVER_MB = 1024  # the most the server process may hold during them


async def run_busy(
    url: str, files: list[UploadFile], sessions: int, think: float
) -> tuple[list[Session], Uploader, tuple[float, float]]:
    """Open ``sessions`` sessions that switch years; once they switch, one more session
    uploads ``files`` one after the other (each in a fresh page); stop the switching a
    little after the last upload ends. Return the sessions, the uploader and when the
    uploads began and ended."""
    asyncio.get_running_loop().set_exception_handler(quiet_orphans)
    window = [0.0, 0.0]
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        users = [Session(i, url) for i in range(sessions)]
        uploader = Uploader(sessions, url, files, asyncio.Semaphore(1))
        try:
            for user in [*users, uploader]:
                await user.start(browser)
            await open_all(users)
            opened = [u for u in users if u.stats.opened]
            stop = asyncio.Event()

            async def upload_all() -> None:
                await asyncio.sleep(2 * think + 1)  # the switching under way first
                window[0] = time.monotonic()
                try:
                    await uploader.run_uploads()
                finally:
                    window[1] = time.monotonic()
                    await asyncio.sleep(2 * think + 1)  # switches after the last upload
                    stop.set()

            far = time.monotonic() + len(files) * UPLOAD_TIMEOUT
            await asyncio.wait_for(
                asyncio.gather(
                    guarded(uploader, upload_all()),
                    *(guarded(u, u.run(far, think, stop)) for u in opened),
                ),
                len(files) * UPLOAD_TIMEOUT + 3 * PAGE_TIMEOUT,
            )
        finally:
            for user in [*users, uploader]:
                await user.close()
            with suppress(Exception):
                await asyncio.wait_for(browser.close(), CLOSE_TIMEOUT)
    return users, uploader, (window[0], window[1])


# --------------------------------------------------------------------------- the test


@dataclass(kw_only=True)
class Watched:
    """What every phase measures of the server while it runs: the health checks, the
    requests to other hosts that were blocked, the session errors and the server's
    resident memory (before, at its peak, after it settled)."""

    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    health_checks: int = 0
    health_failures: int = 0
    health_worst: float = 0.0
    rss_start: int = 0
    rss_peak: int = 0
    rss_end: int = 0
    settle_seconds: float = 0.0


@dataclass(kw_only=True)
class Figures(Watched):
    """Everything the test measured (its years phase's errors and blocked requests are
    each session's: ``per_session``)."""

    sessions: int
    seconds: float
    per_session: list[SessionStats] = field(default_factory=list)
    health_median: float = 0.0
    oversleep: float = 0.0
    server_alive: bool = True
    server_exit: int | None = None
    wall: float = 0.0
    cpu_server: float = 0.0
    cpu_browsers: float = 0.0
    years: bool = True
    uploads: UploadFigures | None = None
    busy: BusyFigures | None = None


@dataclass(kw_only=True)
class UploadFigures(Watched):
    """What the upload phase measured."""

    sessions: int
    each: int
    results: list[UploadResult] = field(default_factory=list)
    split_start: tuple[int, int] = (0, 0)
    split_end: tuple[int, int] = (0, 0)
    wall: float = 0.0
    cpu_server: float = 0.0
    cpu_browsers: float = 0.0


@dataclass(kw_only=True)
class BusyFigures(Watched):
    """What the phase of issue 22's uploads among year switches measured."""

    sessions: int
    results: list[UploadResult] = field(default_factory=list)
    switches: list[tuple[float, float]] = field(default_factory=list)  # (began, seconds)
    window: tuple[float, float] = (0.0, 0.0)  # when the uploads began and ended
    opened: int = 0
    own_start: int = 0
    own_peak: int = 0
    own_end: int = 0

    def during(self) -> list[float]:
        """Return the seconds of every year change that began while the uploads ran."""
        began, ended = self.window
        return sorted(s for at, s in self.switches if began <= at <= ended)


def settle(process: psutil.Process, start: int, limit: int, seconds: float) -> tuple[int, float]:
    """Poll RSS every second for up to ``seconds``; stop early once it is within ``limit`` of
    ``start`` and has moved less than 1 MB over 5 s. Return the last RSS and the time taken."""
    began = time.monotonic()
    history: list[int] = []
    while True:
        history.append(tree_rss(process))
        elapsed = time.monotonic() - began
        recent = history[-6:]
        steady = len(recent) == 6 and max(recent) - min(recent) < MB
        if (steady and recent[-1] - start <= limit) or elapsed >= seconds:
            return history[-1], elapsed
        time.sleep(1.0)


def server_env(items: list[str]) -> dict[str, str]:
    """Return the variables set in the server's environment: the defaults (``SERVER_ENV``),
    changed by ``--server-env NAME=VALUE`` items (``NAME=`` removes one)."""
    env = dict(SERVER_ENV)
    for item in items:
        name, value = item.split("=", 1)
        env[name] = value
    return env


def year_phase(
    url: str, process: psutil.Process, args: argparse.Namespace, figures: Figures
) -> None:
    """Drive the year-switching sessions; record the figures of the phase."""
    figures.rss_start = tree_rss(process)
    print(f"RSS at start {figures.rss_start / MB:.0f} MB; driving sessions", flush=True)
    probe = HealthProbe(url, timeout=args.max_latency * 2)
    sampler = Sampler(process.pid, args.browser_nice)
    probe.start()
    sampler.start()
    began = time.monotonic()
    try:
        users = asyncio.run(run_sessions(url, args.sessions, args.seconds, args.think))
        figures.per_session = [user.stats for user in users]
    finally:
        probe.stop()
        figures.cpu_server, figures.cpu_browsers = sampler.stop()
        figures.wall = time.monotonic() - began
    figures.health_checks = len(probe.latencies)
    figures.health_failures = probe.failures
    figures.health_worst = probe.worst
    figures.health_median = statistics.median(probe.latencies or [0.0])
    figures.oversleep = probe.worst_oversleep
    print("sessions closed; waiting for memory to settle", flush=True)
    figures.rss_end, figures.settle_seconds = settle(
        process, figures.rss_start, int(args.max_growth * MB), args.settle
    )
    figures.rss_peak = max(sampler.peak, figures.rss_end)


def upload_phase(
    url: str, process: psutil.Process, args: argparse.Namespace, files: list[UploadFile]
) -> UploadFigures:
    """Drive the uploading sessions; return the figures of the phase."""
    figures = UploadFigures(sessions=args.sessions, each=args.uploads)
    settle(process, 0, 1 << 40, 60)  # the fork server may still be loading its modules
    figures.rss_start = tree_rss(process)
    figures.split_start = split_rss(process)
    print(
        f"RSS before uploads {figures.rss_start / MB:.0f} MB; {args.sessions} sessions upload "
        f"{args.uploads} files each",
        flush=True,
    )
    probe = HealthProbe(url, timeout=args.max_latency * 2)
    sampler = Sampler(process.pid, args.browser_nice)
    probe.start()
    sampler.start()
    began = time.monotonic()
    try:
        users = asyncio.run(run_uploads(url, session_files(files, args.sessions, args.uploads)))
    finally:
        probe.stop()
        figures.cpu_server, figures.cpu_browsers = sampler.stop()
        figures.wall = time.monotonic() - began
    figures.results = [r for user in users for r in user.results]
    figures.errors = [e for user in users for e in user.stats.errors]
    figures.blocked = [b for user in users for b in user.stats.blocked]
    figures.health_checks = len(probe.latencies)
    figures.health_failures = probe.failures
    figures.health_worst = probe.worst
    print("upload sessions closed; waiting for memory to settle", flush=True)
    figures.rss_end, figures.settle_seconds = settle(
        process, figures.rss_start, int(args.max_growth * MB), args.upload_settle
    )
    figures.rss_peak = max(sampler.peak, figures.rss_end)
    figures.split_end = split_rss(process)
    return figures


def busy_phase(
    url: str, process: psutil.Process, args: argparse.Namespace, files: list[UploadFile]
) -> BusyFigures:
    """Upload issue 22's three files while other sessions switch years; return the
    figures of the phase."""
    figures = BusyFigures(sessions=args.busy_sessions)
    settle(process, 0, 1 << 40, 60)  # the fork server may still be loading its modules
    figures.rss_start = tree_rss(process)
    figures.own_start = split_rss(process)[0]
    print(
        f"RSS before the busy uploads {figures.rss_start / MB:.0f} MB (server "
        f"{figures.own_start / MB:.0f} MB); {args.busy_sessions} sessions switch years while "
        f"{len(files)} files are uploaded",
        flush=True,
    )
    probe = HealthProbe(url, timeout=args.max_latency * 2)
    sampler = Sampler(process.pid, args.browser_nice)
    probe.start()
    sampler.start()
    try:
        users, uploader, figures.window = asyncio.run(
            run_busy(url, files, args.busy_sessions, args.think)
        )
    finally:
        probe.stop()
        sampler.stop()
    figures.results = list(uploader.results)
    figures.opened = sum(u.stats.opened for u in users)
    figures.switches = [
        (at, seconds)
        for user in users
        for at, seconds in zip(user.stats.switched_at, user.stats.latencies, strict=True)
    ]
    figures.errors = [e for user in [*users, uploader] for e in user.stats.errors]
    figures.blocked = [b for user in [*users, uploader] for b in user.stats.blocked]
    figures.health_checks = len(probe.latencies)
    figures.health_failures = probe.failures
    figures.health_worst = probe.worst
    print("busy sessions closed; waiting for memory to settle", flush=True)
    figures.rss_end, figures.settle_seconds = settle(
        process, figures.rss_start, int(args.max_growth * MB), args.upload_settle
    )
    figures.own_end = split_rss(process)[0]
    figures.rss_peak = max(sampler.peak, figures.rss_end)
    figures.own_peak = max(sampler.peak_own, figures.own_end)
    return figures


def load_test(args: argparse.Namespace, log: IO[bytes]) -> Figures:
    """Make the upload files, start the server, run the phases, stop the server; return the
    figures."""
    figures = Figures(sessions=args.sessions, seconds=args.seconds)
    figures.years = "years" in args.phases
    env = server_env(args.server_env)
    with tempfile.TemporaryDirectory(prefix="loadtest-uploads-") as folder:
        files: list[UploadFile] = []
        issue: list[UploadFile] = []
        if "uploads" in args.phases:
            print(f"writing the upload files into {folder}", flush=True)
            files = make_all(Path(folder))
        if "busy" in args.phases:
            print(f"writing issue 22's three uploads into {folder}", flush=True)
            issue = make_issue_22(Path(folder))
        with streamlit_server(env, log) as (url, server):
            pid = server.pid
            process = psutil.Process(pid)
            print(f"server {url} (pid {pid}); warming up", flush=True)
            asyncio.run(warm(url))
            time.sleep(2.0)
            if figures.years:
                year_phase(url, process, args, figures)
            if files:
                figures.uploads = upload_phase(url, process, args, files)
            if issue:
                figures.busy = busy_phase(url, process, args, issue)
            figures.server_exit = server.poll()
            figures.server_alive = figures.server_exit is None and health(url, args.max_latency)
    return figures


Check = tuple[str, bool]


def print_rows(title: str, rows: list[tuple[str, str]]) -> None:
    """Print a titled table of names and values."""
    width = max(len(name) for name, _ in rows)
    print(f"\n{title}")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")


def year_report(figures: Figures, args: argparse.Namespace) -> list[Check]:
    """Print the figures of the year phase; return its checks."""
    sessions = figures.per_session
    switches = sum(s.switches for s in sessions)
    by_link = sum(s.by_link for s in sessions)
    errors = [e for s in sessions for e in s.errors]
    blocked = [b for s in sessions for b in s.blocked]
    latencies = sorted(x for s in sessions for x in s.latencies)
    growth = figures.rss_end - figures.rss_start
    checks = [
        ("years: no health-check failure", figures.health_failures == 0),
        (
            f"years: worst health latency < {args.max_latency:g} s",
            figures.health_worst < args.max_latency,
        ),
        (f"years: RSS end - start <= {args.max_growth:g} MB", growth <= args.max_growth * MB),
        (
            "years: every session opened and switched years",
            all(s.opened and s.switches > 0 for s in sessions),
        ),
        ("years: no request left the machine", not blocked),
    ]
    opened = [s.open_seconds for s in sessions if s.opened]
    rows = [
        (
            "server environment",
            " ".join(f"{k}={v}" for k, v in server_env(args.server_env).items() if v) or "-",
        ),
        ("browsers' niceness", f"{args.browser_nice}" if args.browser_nice > 0 else "as is"),
        ("sessions", f"{figures.sessions} ({len(opened)} opened)"),
        (
            "time to open a session median / max",
            f"{statistics.median(opened):.1f} / {max(opened):.1f} s" if opened else "-",
        ),
        (
            "duration of switching",
            f"{figures.seconds:g} s (think time {args.think / 2:g}-{1.5 * args.think:g} s)",
        ),
        ("year switches done", f"{switches} ({by_link} by link, {switches - by_link} by slider)"),
        ("switches per second", f"{switches / figures.seconds:.1f}"),
    ]
    if latencies:
        median = statistics.median(latencies)
        p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
        rows.append(
            (
                "switch time median / p95 / max",
                f"{median:.2f} / {p95:.2f} / {latencies[-1]:.2f} s",
            )
        )
    rows += [
        ("session errors", f"{len(errors)}"),
        ("requests blocked (not 127.0.0.1)", f"{len(blocked)}"),
        ("health checks", f"{figures.health_checks}"),
        ("health-check failures", f"{figures.health_failures}"),
        (
            "health latency median / worst",
            f"{figures.health_median:.3f} / {figures.health_worst:.2f} s",
        ),
        ("probe thread woke late by (worst)", f"{figures.oversleep:.2f} s"),
        (
            "CPU time: server / browsers",
            f"{figures.cpu_server:.0f} s / {figures.cpu_browsers:.0f} s in {figures.wall:.0f} s"
            f" on {os.cpu_count()} CPUs",
        ),
        ("RSS at start", f"{figures.rss_start / MB:.0f} MB"),
        ("peak RSS", f"{figures.rss_peak / MB:.0f} MB"),
        ("RSS at end", f"{figures.rss_end / MB:.0f} MB (after {figures.settle_seconds:.0f} s)"),
        ("end - start", f"{growth / MB:+.0f} MB"),
    ]
    print_rows("Phase 1: switching years", rows)
    for error in errors[:10]:
        print(f"  session error: {error}")
    for url in blocked[:5]:
        print(f"  blocked: {url}")
    return checks


def split(rss: tuple[int, int]) -> str:
    """Say a server's RSS and its children's."""
    return f"server {rss[0] / MB:.0f} MB + children {rss[1] / MB:.0f} MB"


def upload_report(figures: UploadFigures, args: argparse.Namespace) -> list[Check]:
    """Print the figures of the upload phase (one line per file); return its checks."""
    results = figures.results
    growth = figures.rss_end - figures.rss_start
    print(f"\nPhase 2: uploads ({figures.sessions} sessions x {figures.each} files)")
    names = list(dict.fromkeys(r.file for r in results))
    width = max((len(n) for n in names), default=4)
    print(f"  {'file':<{width}}  kind     n  outcomes            median s  message (first)")
    for name in names:
        mine = [r for r in results if r.file == name]
        outcomes = ", ".join(
            f"{sum(r.outcome == o for r in mine)} {o}"
            for o in dict.fromkeys(r.outcome for r in mine)
        )
        timed = [r.seconds for r in mine if r.outcome != "error"]
        median = f"{statistics.median(timed):.1f}" if timed else "-"
        message = " ".join(next((r.message for r in mine if r.message), "").split())
        kind = "hostile" if mine[0].hostile else "normal"
        print(
            f"  {name:<{width}}  {kind:<7} {len(mine):>2}  {outcomes:<18}  {median:>8}  "
            f"{message[:110]}"
        )
    rows = [
        ("uploads done", f"{len(results)} in {figures.wall:.0f} s"),
        ("session errors", f"{len(figures.errors)}"),
        ("requests blocked (not 127.0.0.1)", f"{len(figures.blocked)}"),
        ("health checks", f"{figures.health_checks}"),
        ("health-check failures", f"{figures.health_failures}"),
        ("health latency worst", f"{figures.health_worst:.2f} s"),
        (
            "CPU time: server / browsers",
            f"{figures.cpu_server:.0f} s / {figures.cpu_browsers:.0f} s in {figures.wall:.0f} s",
        ),
        ("RSS before", f"{figures.rss_start / MB:.0f} MB ({split(figures.split_start)})"),
        ("peak RSS", f"{figures.rss_peak / MB:.0f} MB"),
        (
            "RSS after",
            f"{figures.rss_end / MB:.0f} MB after {figures.settle_seconds:.0f} s "
            f"({split(figures.split_end)})",
        ),
        ("after - before", f"{growth / MB:+.0f} MB"),
    ]
    print_rows("", rows)
    for error in figures.errors[:10]:
        print(f"  session error: {error}")
    normal = [r for r in results if not r.hostile]
    return [
        ("uploads: no health-check failure", figures.health_failures == 0),
        (
            f"uploads: RSS after - before <= {args.max_growth:g} MB",
            growth <= args.max_growth * MB,
        ),
        (
            "uploads: every upload ended in a map or a message",
            len(results) == figures.sessions * figures.each
            and all(r.outcome != "error" for r in results),
        ),
        (
            "uploads: no upload ended in the app's internal error",
            all(r.outcome != "failed" for r in results),
        ),
        (
            "uploads: every normal file was mapped",
            bool(normal) and all(r.outcome in ("mapped", "drawn") for r in normal),
        ),
        ("uploads: no request left the machine", not figures.blocked),
    ]


def busy_report(figures: BusyFigures, args: argparse.Namespace) -> list[Check]:
    """Print the figures of issue 22's uploads among year switches; return its checks."""
    print(f"\nPhase 3: issue 22's uploads while {figures.sessions} sessions switch years")
    width = max((len(r.file) for r in figures.results), default=4)
    for r in figures.results:
        message = " ".join(r.message.split())
        print(f"  {r.file:<{width}}  {r.outcome:<8} {r.seconds:5.1f} s  {message[:120]}")
    during = figures.during()
    began, ended = figures.window
    rows = [
        ("sessions switching years", f"{figures.opened} of {figures.sessions} opened"),
        ("uploads ran for", f"{ended - began:.0f} s"),
        ("year changes during the uploads", f"{len(during)}"),
    ]
    if during:
        p95 = during[min(len(during) - 1, int(0.95 * len(during)))]
        rows.append(
            (
                "their time median / p95 / max",
                f"{statistics.median(during):.2f} / {p95:.2f} / {during[-1]:.2f} s",
            )
        )
    growth = figures.rss_end - figures.rss_start
    rows += [
        ("year changes in the whole phase", f"{len(figures.switches)}"),
        ("session errors", f"{len(figures.errors)}"),
        ("requests blocked (not 127.0.0.1)", f"{len(figures.blocked)}"),
        ("health checks / failures", f"{figures.health_checks} / {figures.health_failures}"),
        ("health latency worst", f"{figures.health_worst:.2f} s"),
        (
            "server RSS before / peak / after",
            f"{figures.own_start / MB:.0f} / {figures.own_peak / MB:.0f} / "
            f"{figures.own_end / MB:.0f} MB",
        ),
        (
            "with children before / peak / after",
            f"{figures.rss_start / MB:.0f} / {figures.rss_peak / MB:.0f} / "
            f"{figures.rss_end / MB:.0f} MB (after {figures.settle_seconds:.0f} s)",
        ),
        ("after - before", f"{growth / MB:+.0f} MB"),
    ]
    print_rows("", rows)
    for error in figures.errors[:10]:
        print(f"  session error: {error}")
    return [
        (
            f"busy: each upload refused within {BUSY_ANSWER:g} s, naming a limit",
            len(figures.results) == len(ISSUE_22)
            and all(r.outcome == "refused" and r.seconds <= BUSY_ANSWER for r in figures.results),
        ),
        (
            f"busy: server RSS under {BUSY_SERVER_MB} MB during the uploads",
            figures.own_peak < BUSY_SERVER_MB * MB,
        ),
        (f"busy: RSS after - before <= {args.max_growth:g} MB", growth <= args.max_growth * MB),
        ("busy: year changes went on during the uploads", bool(during) and not figures.errors),
        ("busy: no health-check failure", figures.health_failures == 0),
        ("busy: no request left the machine", not figures.blocked),
    ]


def report(figures: Figures, args: argparse.Namespace) -> bool:
    """Print the figures and the verdict; return whether the test passed."""
    checks: list[Check] = [("server healthy after the run", figures.server_alive)]
    if figures.years:
        checks += year_report(figures, args)
    if figures.uploads is not None:
        checks += upload_report(figures.uploads, args)
    if figures.busy is not None:
        checks += busy_report(figures.busy, args)
    print()
    for name, ok in checks:
        print(f"  [{'PASS' if ok else 'FAIL'}] {name}")
    if figures.server_exit is not None:
        print(f"  the server exited with code {figures.server_exit} during the test")
    passed = all(ok for _, ok in checks)
    print(f"\n{'PASS' if passed else 'FAIL'}")
    return passed


def interrupt(signum: int, frame: FrameType | None) -> None:
    """Turn SIGINT and SIGTERM into KeyboardInterrupt, so that the server is stopped on the
    way out."""
    raise KeyboardInterrupt


def main() -> int:
    """Run the load test; return the exit code (0 pass, 1 fail, 2 error)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sessions", type=int, default=20, help="concurrent sessions (20)")
    parser.add_argument("--seconds", type=float, default=60, help="duration of the load (60)")
    parser.add_argument(
        "--uploads", type=int, default=2, help="files each session uploads in phase 2 (2)"
    )
    parser.add_argument(
        "--phases",
        default="years,uploads,busy",
        help="phases to run, comma-separated: years, uploads, busy (issue 22's three uploads "
        "while other sessions switch years) (all three)",
    )
    parser.add_argument(
        "--busy-sessions",
        type=int,
        default=5,
        help="sessions switching years while issue 22's files are uploaded (5)",
    )
    parser.add_argument(
        "--settle", type=float, default=60, help="at most this long for memory to settle (60)"
    )
    parser.add_argument(
        "--upload-settle",
        type=float,
        default=180,
        help="at most this long for memory to settle after the uploads (180: Streamlit keeps "
        "a closed session, its uploaded files included, for 120 s in case it reconnects)",
    )
    parser.add_argument(
        "--max-growth", type=float, default=100, help="allowed RSS end - start, in MB (100)"
    )
    parser.add_argument(
        "--max-latency", type=float, default=5, help="allowed worst health latency, s (5)"
    )
    parser.add_argument(
        "--think",
        type=float,
        default=2.0,
        help="mean seconds a user looks at a map before the next switch (2; 0 for none)",
    )
    parser.add_argument(
        "--browser-nice",
        type=int,
        default=10,
        help="niceness given to Playwright and Chromium, so that the server keeps its share "
        "of a small machine (10; 0 leaves them as they are)",
    )
    parser.add_argument(
        "--server-log", type=Path, help="keep the server's log in this file (default: not kept)"
    )
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a variable in the server's environment (repeatable; NAME= unsets it; "
        "default: MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=1048576)",
    )
    args = parser.parse_args()
    if args.sessions < 1 or args.seconds <= 0 or args.settle < 0:
        parser.error("--sessions must be at least 1, --seconds more than 0, --settle 0 or more")
    args.phases = {p.strip() for p in args.phases.split(",") if p.strip()}
    if not args.phases or not args.phases <= {"years", "uploads", "busy"}:
        parser.error("--phases takes years, uploads, busy or several of them")
    if any("=" not in item for item in args.server_env):
        parser.error("--server-env takes NAME=VALUE")
    # Our own handler for both: asyncio.run then leaves SIGINT alone, and Ctrl-C ends the run
    # at once (through the finally blocks that close the browsers and stop the server).
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    with (
        open(args.server_log, "w+b")
        if args.server_log
        else tempfile.NamedTemporaryFile(prefix="loadtest-streamlit-", suffix=".log")
    ) as log:
        try:
            figures = load_test(args, log)
        except KeyboardInterrupt:
            print("\ninterrupted; the server was stopped", file=sys.stderr)
            return 130
        except Exception as exc:
            print(f"error: {exc}\n{log_tail(log)}", file=sys.stderr)
            return 2
        passed = report(figures, args)
        if not passed:
            print(log_tail(log))
    return 0 if passed else 1


def log_tail(log: IO[bytes], size: int = 4000) -> str:
    """Return the end of the server's log."""
    log.flush()
    tail = Path(log.name).read_bytes()[-size:].decode("utf-8", "replace")
    return f"--- server log (end) ---\n{tail}"


if __name__ == "__main__":
    sys.exit(main())
