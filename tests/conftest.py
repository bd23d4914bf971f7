"""Shared fixtures: paths to the embedded data, a scratch copy of it, tiny input files."""

from __future__ import annotations

import copy
import gc
import hashlib
import importlib.util
import os
import pickle
import shutil
import sys
import tempfile
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from flowmap.core.paths import data_dir

try:  # pytest 9.2's structured test ids (see pytest_collection_modifyitems)
    from _pytest.nodeid import NodeId
except ImportError:  # pragma: no cover - an older pytest, where xdist's own grouping works
    NodeId = None  # type: ignore[assignment,misc]

ROOT = Path(__file__).resolve().parents[1]

QUICK = os.environ.get("FLOWMAP_QUICK") == "1"
"""Set by ``make check`` (the inner loop): the property tests draw fewer examples."""


def examples(full: int) -> int:
    """Return how many examples a property test draws: ``full`` in ``make test``, a fifth
    (at least 20) in ``make check``. The same properties are checked either way; the full
    budget runs before a commit that others build on."""
    return max(20, full // 5) if QUICK else full


def _module(path: Path, name: str) -> tuple[ModuleType, Any]:
    """Return a module made from the file ``path`` (not yet run) and its loader."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    return importlib.util.module_from_spec(spec), spec.loader


def load_geo_script(name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """Import the build script ``geo/NAME.py`` as module ``NAME`` for one test (registered
    in ``sys.modules`` while the test runs, which its dataclasses need)."""
    module, loader = _module(ROOT / "geo" / f"{name}.py", name)
    monkeypatch.setitem(sys.modules, name, module)
    loader.exec_module(module)
    return module


SOURCE_DIR = ROOT.parent / "shared" / "source"


@pytest.fixture(scope="session", autouse=True)
def _one_component_scan_per_run() -> Iterator[None]:
    """Scan the installed packages for Streamlit components once per run, not per AppTest.

    Each new ``AppTest`` asks Streamlit to look through the metadata of every installed
    distribution for ``st.components.v2`` manifests (about a quarter of a second each time,
    the largest part of a short AppTest run); the installed packages do not change during a
    run, so the first scan's answer is kept. The app itself declares its map with
    ``components.v1`` and is not affected. Nothing is done when no collected test imported
    Streamlit's testing module (a run without AppTest tests) or the installed Streamlit has
    no such scan.
    """
    try:
        scanner = (
            importlib.import_module("streamlit.components.v2.manifest_scanner")
            if "streamlit.testing.v1" in sys.modules
            else None
        )
    except ImportError:  # another Streamlit, without this scan: nothing to keep
        scanner = None
    if scanner is None or not hasattr(scanner, "scan_component_manifests"):
        yield
        return
    real = scanner.scan_component_manifests
    found: list[Any] = []

    def scan_once(*args: Any, **kwargs: Any) -> Any:
        if args or kwargs:  # an unusual call (a given search path): scan as asked
            return real(*args, **kwargs)
        if not found:
            found.append(real())
        return list(found[0])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scanner, "scan_component_manifests", scan_once)
        yield


def _folder_digest(folder: Path) -> str:
    """Return a digest of every file under ``folder``: names and bytes (about a
    millisecond for ``data/``)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@pytest.fixture(scope="session", autouse=True)
def _one_data_check_per_content() -> Iterator[None]:
    """Let ``flowmap data check`` (run in-process by the command-line tests) reuse the
    report of data it has already checked in this run: same folder, every file's bytes the
    same.

    :func:`flowmap.batken.checks.run_checks` rebuilds the tables from the transcription and
    runs every check (over a second of CPU); a dozen tests of the command line's wording and
    formats ask it for the same shipped data. Each gets its own copy of the report; a changed
    or different folder is checked afresh, and the tests of the checks themselves
    (``tests/test_checks.py``) call :func:`run_checks` directly, never this memo. The app's
    quality tab (``webapp.cached.quality``, once per language) uses it too when the app's
    tests are in the run (``webapp.cached`` imported at collection).
    """
    commands = importlib.import_module("flowmap.cli.data_commands")
    real = commands.run_checks
    reports: dict[tuple[Path, str], Any] = {}

    def run_checks(folder: Path | str | None = None) -> Any:
        base = Path(folder) if folder is not None else data_dir()
        if not base.is_dir():
            return real(folder)
        key = (base.resolve(), _folder_digest(base))
        if key not in reports:
            reports[key] = real(folder)
        return copy.deepcopy(reports[key])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(commands, "run_checks", run_checks)
        app = sys.modules.get("webapp.cached")
        if app is not None and getattr(app, "run_checks", None) is real:
            patch.setattr(app, "run_checks", run_checks)
        yield


BUILT = frozenset({"flows.csv", "balances.csv"})
"""The files of a data folder that ``flowmap data build`` writes (and never reads)."""


@pytest.fixture(scope="session", autouse=True)
def _one_rebuild_per_input() -> Iterator[None]:
    """Let the data check's rebuild (``build_is_current``) reuse the tables it built in this
    run from the same inputs: every file of the folder but the two it builds, byte for byte.

    The check rebuilds ``flows.csv`` and ``balances.csv`` from the transcription, the places
    and the populations (about 0.6 s) and compares them with the files on disk; tests of the
    checks change a copy of ``data/`` and run the check again. A copy whose inputs are
    unchanged (a test that edits ``flows.csv`` itself, or changes nothing the build reads)
    gets the same tables, named in its own folder, and is still compared with its own files;
    a changed input is built afresh. ``flowmap data build`` and the build's own tests are
    not affected.
    """
    rebuild = importlib.import_module("flowmap.batken.checks.rebuild")
    real = rebuild.rendered_tables
    built: dict[str, dict[str, str]] = {}

    def rendered_tables(folder: Path | None = None) -> dict[Path, str]:
        base = Path(folder) if folder is not None else data_dir()
        if not base.is_dir():
            return dict(real(folder))
        digest = hashlib.sha256()
        for path in sorted(base.rglob("*")):
            name = str(path.relative_to(base))
            if path.is_file() and name not in BUILT:
                digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
        key = digest.hexdigest()
        if key not in built:
            built[key] = {path.name: text for path, text in real(folder).items()}
        return {base / name: text for name, text in built[key].items()}

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rebuild, "rendered_tables", rendered_tables)
        yield


@pytest.fixture(scope="session", autouse=True)
def _one_drawing_per_image() -> Iterator[None]:
    """Let each distinct image be drawn once per run (per worker): the drawing of a map's
    spec (:func:`flowmap.render._picture.draw_bytes`, matplotlib: 0.3–1.7 s) is kept by the
    spec's pickled bytes, the format and the page, and a later call with the same three
    gets the same bytes.

    About twenty tests of the images' texts, frames, labels and languages, and of the
    command line's image exports, draw the same Batken map in the same language, format
    and size. Everything around the drawing still runs for each of them: the spec is
    built, checked and cleaned (:func:`flowmap.render.image.render_image`), the command
    line reads its options and the file is written; only matplotlib's work is not done
    twice. The key is strict (a spec read back from JSON, with lists for tuples and text
    for numeric keys, pickles differently and is drawn afresh). The drawing code is
    wrapped when an image first asks for it (matplotlib stays unimported until then, as the
    lazy-import tests expect); a test that replaces ``draw_bytes`` itself gets its own
    function. The drawing's own tests (``tests/test_painter.py``'s
    processes) are not affected.
    """
    image = importlib.import_module("flowmap.render.image")
    real_drawing: Callable[[], ModuleType] = image._drawing
    drawn: dict[tuple[str, str, Any], bytes] = {}
    wrapped: list[tuple[ModuleType, Any]] = []

    def memo(draw: Callable[..., bytes]) -> Callable[..., bytes]:
        def kept(spec: Any, fmt: str, page: Any) -> bytes:
            try:
                key = (hashlib.sha256(pickle.dumps(spec, protocol=5)).hexdigest(), fmt, page)
                hash(key)
            except (pickle.PicklingError, TypeError, AttributeError):
                return draw(spec, fmt, page)
            if key not in drawn:
                drawn[key] = draw(spec, fmt, page)
            return drawn[key]

        return kept

    def drawing() -> ModuleType:
        module = real_drawing()
        current = module.draw_bytes
        if getattr(current, "__module__", None) == module.__name__:  # the real one
            # (not a test's own replacement, which is left alone, nor the memo)
            wrapped[:] = [(module, current)]
            setattr(module, "draw_bytes", memo(current))  # noqa: B010
        return module

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(image, "_drawing", drawing)
        yield
    for module, draw_bytes in wrapped:
        setattr(module, "draw_bytes", draw_bytes)  # noqa: B010


@pytest.fixture(scope="session")
def batken_playable() -> Callable[[Any], dict[str, Any]]:
    """Return a function giving the spec (JSON) of the embedded data's playable page of a
    :class:`~flowmap.batken.query.Selection`, built once per run and worker
    (:func:`flowmap.batken.export.playable_map`, about half a second each) for the tests
    that only read it; each call returns its own copy (through pickle: equal, of the same
    types, a third of ``copy.deepcopy``'s time for these plain JSON trees)."""
    export = importlib.import_module("flowmap.batken.export")
    element = importlib.import_module("flowmap.render.element")
    dataset = importlib.import_module("flowmap.batken.dataset")
    built: dict[Any, bytes] = {}

    def spec(selection: Any) -> dict[str, Any]:
        if selection not in built:
            fmap = export.playable_map(dataset.MapData.load(), selection)
            built[selection] = pickle.dumps(element.page_spec(fmap).wire(), protocol=5)
        spec: dict[str, Any] = pickle.loads(built[selection])
        return spec

    return spec


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """Return a scratch copy of data/ that a test may change."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target


@pytest.fixture
def places_file(tmp_path: Path) -> Path:
    """Return a tiny valid places file with three places."""
    path = tmp_path / "places.csv"
    path.write_text(
        "id,kind,name_en,name_ky,name_ru,parent,lat,lon,anchor\n"
        "KG-B,oblast,Batken oblast,Баткен облусу,Баткенская область,,40.0,71.0,\n"
        "RU,country,Russia,Россия,Россия,,55.75,37.62,Moscow\n"
        "UZ,country,Uzbekistan,Өзбекстан,Узбекистан,,41.3,69.2,Tashkent\n",
        encoding="utf-8",
    )
    return path


FLOWS_HEADER = "origin,destination,period,sex,age,count,basis,source_ref,method,note\n"


@pytest.fixture
def write_flows(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Return a function that writes a flows file with the given data rows."""

    def write(*rows: str, header: str = FLOWS_HEADER, encoding: str = "utf-8") -> Path:
        path = tmp_path / "flows.csv"
        path.write_bytes((header + "".join(r + "\n" for r in rows)).encode(encoding))
        return path

    return write


# --------------------------------------------------------------------------- markers
# A test that uses the browser (directly or through a fixture that does) is marked
# ``browser``; one that uses the Streamlit server is marked ``server``. Both are found from
# the fixtures a test asks for, so a new test is marked without anyone remembering to.
# ``make check`` runs the tests with neither mark; ``make test`` runs all of them on two
# pytest-xdist workers with ``--dist loadgroup``, where every browser or server test is in
# one group, so that one worker starts the one browser and the one server of the run.
BROWSER_FIXTURES = frozenset({"browser", "offline_page", "app_page"})
SERVER_FIXTURES = frozenset({"streamlit_server", "streamlit_url", "app_page"})
BROWSER_GROUP = "browser"
IMAGE_MODULES = frozenset(
    {"test_image.py", "test_image_frame.py", "test_image_labels.py", "test_net_truth.py"}
)
"""The modules whose tests draw the same Batken images (the same spec, language, format and
size) again and again: their tests but the browser ones are one xdist group, so that one
worker draws each image once (:func:`_one_drawing_per_image`) instead of both."""
IMAGE_TESTS = frozenset(
    {
        "test_export_images_for_slides",  # test_cli.py
        "test_default_image_export_draws_the_apps_default_view",  # test_one_view.py
        "test_svg_image",  # test_no_english.py
        "test_cli_palette_for_png",  # test_palette.py
        "test_image_legend_lists_each_modelled_figure_with_its_range",  # test_ranges.py
    }
)
"""Tests elsewhere that draw one of those images again (through the command line or the
library, the same spec, format and size): in the same group, so that they find it drawn."""
IMAGE_GROUP = "images"


TEST_RUN_GC = (10_000, 10, 10)
"""The collector's thresholds for a test run (Python's are 700, 10, 10): a young collection
every 10,000 allocations net instead of 700, so a full one about every million.

A worker holds every test module and what they import (pandas, matplotlib, Streamlit, the
memos of this file), and at Python's thresholds the collector walked all of it again
every few dozen tests (0.1-0.15 s each time, about a tenth of ``make check``'s CPU). Cyclic
garbage is still collected, only in larger batches; no test depends on when."""


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Set the collector's thresholds for the run (:data:`TEST_RUN_GC`); under
    pytest-xdist, keep temporary paths as short as in a run without workers.

    Workers put their files under ``<basetemp>/popen-gwN/``, ten characters longer, and
    error messages cut long paths (``printable(path, limit)``), so tests that find the file
    name in an error would fail only with workers. The run's base is a fresh short folder
    (``/tmp/fm-xxxxxxxx``, unique per run, removed at the end) unless ``--basetemp`` is given.
    """
    gc.set_threshold(*TEST_RUN_GC)
    if getattr(config.option, "numprocesses", None) and not config.option.basetemp:
        base = tempfile.mkdtemp(prefix="fm-")
        config.option.basetemp = base
        config.add_cleanup(lambda: shutil.rmtree(base, ignore_errors=True))


def pytest_collection_finish(session: pytest.Session) -> None:
    """After collection, collect once and freeze what is left (the imported modules, the
    collected tests), so that the collector never walks those objects again: the later
    full collections walk only what the tests made (as :func:`flowmap.cli.entry` does for
    one command)."""
    gc.collect()
    gc.freeze()


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> Generator[None, None, None]:
    """Mark browser and server tests (from their fixtures) and put them in one xdist group
    (the other tests of :data:`IMAGE_MODULES` and :data:`IMAGE_TESTS` in another).

    pytest-xdist 3.8 names a group by appending ``@group`` to each test's id, which pytest
    9.2 no longer lets it change (the id is ``Node._id`` now), so the group was lost and
    the browser tests spread over both workers; after xdist's own hook, this appends it
    the way pytest 9.2 keeps it, when xdist's did not take.
    """
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & BROWSER_FIXTURES and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)
        if names & SERVER_FIXTURES:
            item.add_marker(pytest.mark.server)
        if item.get_closest_marker("browser") or item.get_closest_marker("server"):
            item.add_marker(pytest.mark.xdist_group(BROWSER_GROUP))
        elif item.path.name in IMAGE_MODULES or getattr(item, "originalname", "") in IMAGE_TESTS:
            item.add_marker(pytest.mark.xdist_group(IMAGE_GROUP))
    yield
    if getattr(config.option, "loadgroup", False) and NodeId is not None:
        for item in items:
            mark = item.get_closest_marker("xdist_group")
            if mark is None:
                continue
            suffix = "@" + str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
            if not item.nodeid.endswith(suffix):
                item._id = NodeId.parse(item.nodeid + suffix)


# Debian's Chromium and its offline flags: the same as the scripts' (scripts/_chromium.py).
_chromium, _loader = _module(ROOT / "scripts" / "_chromium.py", "flowmap_scripts_chromium")
_loader.exec_module(_chromium)
CHROMIUM = Path(_chromium.CHROMIUM)
CHROMIUM_ARGS: list[str] = list(_chromium.CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Yield Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "browser tests need Debian's chromium: apt-get install chromium"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


VIEWPORT = {"width": 1280, "height": 860}


class OfflinePage:
    """A page on which every request to another host is blocked and recorded."""

    def __init__(self, browser, allowed_prefixes: tuple[str, ...] = ("file:", "data:")):  # type: ignore[no-untyped-def]
        self.context = browser.new_context(viewport=dict(VIEWPORT))
        self.page = self.context.new_page()
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("dialog", self._dialog)

        def route(route):  # type: ignore[no-untyped-def]
            url = route.request.url
            if url.startswith(allowed_prefixes):
                route.continue_()
            else:
                self.blocked.append(url)
                route.abort()

        self.context.route("**/*", route)

    def _dialog(self, dialog) -> None:  # type: ignore[no-untyped-def]
        """Record and dismiss an alert/confirm/prompt (a sign of injected script)."""
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def close(self) -> None:
        self.context.close()

    def fresh(self) -> None:
        """Forget what earlier tests recorded: blocked requests, errors and dialogs."""
        self.blocked.clear()
        self.errors.clear()
        self.dialogs.clear()

    def leave(self) -> None:
        """Make the page like a new one for the next test: the site's storage and cookies
        cleared, a blank document (which closes a Streamlit session's connection), the
        first viewport."""
        if self.page.url.startswith("http"):
            self.page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        self.page.goto("about:blank")
        self.context.clear_cookies()
        self.page.set_viewport_size(dict(VIEWPORT))
        self.fresh()


def _reused(
    pool: dict[str, OfflinePage], key: str, make: Callable[[], OfflinePage]
) -> Iterator[OfflinePage]:
    """Yield the pool's page ``key`` (made by ``make()`` when missing or closed) for one
    test, records emptied; after the test, leave it blank for the next one, or drop it
    when that fails (a crashed or closed page), so that the next test gets a new one."""
    page = pool.get(key)
    if page is None or page.page.is_closed():
        page = pool[key] = make()
    page.fresh()
    yield page
    try:
        page.leave()
    except Exception:  # the test broke the page: the next test gets a new one
        pool.pop(key, None)
        page.close()


@pytest.fixture(scope="session")
def page_pool(browser):  # type: ignore[no-untyped-def]
    """The session's reused pages (one per kind), closed at the end of the run."""
    pool: dict[str, OfflinePage] = {}
    yield pool
    for page in pool.values():
        page.close()


@pytest.fixture
def offline_page(browser, page_pool: dict[str, OfflinePage]):  # type: ignore[no-untyped-def]
    """Yield an :class:`OfflinePage` that allows only file: and data: URLs (one page for
    the whole run, left blank between tests)."""
    yield from _reused(page_pool, "offline", lambda: OfflinePage(browser))


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def streamlit_url(streamlit_server: tuple[str, Path]) -> str:
    """Return the URL of the running app."""
    return streamlit_server[0]


@pytest.fixture(scope="session")
def streamlit_server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Start the real app with ``streamlit run`` as ``make run`` does (address and upload
    limit from ``.streamlit/config.toml``) on a free port; yield its URL and log; stop it."""
    import subprocess
    import sys
    import time
    import urllib.request

    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    with log.open("wb") as handle:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "server.py"),
                "--server.port",
                str(port),
            ],
            cwd=ROOT,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                        if reply.status == 200:
                            break
                except OSError:
                    pass
                assert server.poll() is None, log.read_text(encoding="utf-8", errors="replace")
                assert time.monotonic() < deadline, "streamlit did not start within 60 s"
                time.sleep(0.3)
            yield url, log
        finally:
            server.terminate()
            server.wait(timeout=20)


@pytest.fixture
def app_page(browser, streamlit_url: str, page_pool: dict[str, OfflinePage]):  # type: ignore[no-untyped-def]
    """Yield an :class:`OfflinePage` that may reach only the local Streamlit server (one
    page for the whole run, left blank between tests: each test's visit is a new session
    of the app)."""
    allowed = (streamlit_url, "data:", "blob:", "about:")
    yield from _reused(page_pool, "app", lambda: OfflinePage(browser, allowed))


def map_spec(page: str) -> dict[str, Any]:
    """Return the JSON a map page gives its flow layer (its ``application/json`` block),
    or the spec at the start of what the app sent its live map
    (:func:`tests.test_app.map_srcdoc`)."""
    import json
    import re

    match = re.search(r'<script type="application/json" id="fm-spec-[^"]+">', page)
    assert match or page.startswith('{"version"'), "no flow layer on the page"
    spec, _ = json.JSONDecoder().raw_decode(page, match.end() if match else 0)
    assert isinstance(spec, dict)
    return spec


def drawn_flows(page: str) -> list[dict[str, Any]]:
    """Return the flows a map page draws: origin and destination ids, count, kind, and the
    attribute values (``basis``, ``source_ref``...)."""
    spec = map_spec(page)
    flows, ids = spec["flows"], spec["places"]["id"]
    kinds = spec["style"]["kinds"]
    attrs = {a["key"]: a["labels"] for a in spec["attributes"]}
    values: dict[str, list[int]] = dict(flows["a"])
    out = []
    for i in range(len(flows["c"])):
        row: dict[str, Any] = {
            "origin": ids[flows["o"][i]],
            "dest": ids[flows["d"][i]],
            "count": flows["c"][i],
            "colour": kinds[flows["k"][i]]["colour"],
            "time": spec["times"][flows["t"][i]] if flows["t"] and flows["t"][i] >= 0 else "",
        }
        for key, codes in values.items():
            labels = attrs.get(key)
            raw = codes[i]
            row[key] = raw if labels is None or raw < 0 else labels[raw]
        out.append(row)
    return out


@dataclass
class HtmlTable:
    """An HTML table as a reader sees it (:func:`html_table`): its name (``aria-label``
    and ``<caption>``), headers, rows of cell texts, and the attributes of each header
    and cell."""

    label: str = ""
    caption: str = ""
    headers: list[str] = field(default_factory=list)
    header_attrs: list[dict[str, str]] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    cell_attrs: list[list[dict[str, str]]] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)

    def column(self, name: str) -> list[str]:
        """Return the texts of the column headed ``name``."""
        position = self.headers.index(name)
        return [row[position] for row in self.rows]


def html_table(markup: str) -> HtmlTable:
    """Parse the markup of :func:`flowmap.app.table.table_html` with the standard
    library's HTML parser (entities decoded, as a browser shows them); every tag met is
    in ``tags``, so a test sees markup that a cell smuggled in."""
    from html.parser import HTMLParser

    table = HtmlTable()

    class Parser(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.where = ""
            self.text: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            table.tags.add(tag)
            values = {k: v or "" for k, v in attrs}
            if tag == "div" and "aria-label" in values:
                table.label = values["aria-label"]
            elif tag == "tr" and self.where == "tbody":
                table.rows.append([])
                table.cell_attrs.append([])
            elif tag in ("thead", "tbody", "caption"):
                self.where = tag
            elif tag in ("th", "td"):
                self.text = []
                (table.header_attrs if tag == "th" else table.cell_attrs[-1]).append(values)
            if tag == "caption":
                self.text = []

        def handle_endtag(self, tag: str) -> None:
            if tag == "caption":
                table.caption = "".join(self.text)
            elif tag == "th":
                table.headers.append("".join(self.text))
            elif tag == "td":
                table.rows[-1].append("".join(self.text))

        def handle_data(self, data: str) -> None:
            self.text.append(data)

    parser = Parser()
    parser.feed(markup)
    parser.close()
    return table
