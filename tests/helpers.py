"""Shared test helpers: project copies, builds, a sub-path HTTP server, HTML parsing."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html
import yaml
from babel.dates import format_date

from build_scripts import cli
from build_scripts.publish import remove_legacy

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLES = Path(__file__).resolve().parent / "examples"
"""A frozen project root whose ``seeds/`` is a byte-for-byte copy of the repository's five example articles."""
EXAMPLE_SEEDS = EXAMPLES / "seeds"
"""The corpus the tests read: a deployer who replaces ``seeds/`` with their own articles keeps a green suite."""
ERROR_CASES = GOLDEN / "errors"
"""One bad-input case per ``<name>.yml`` (the files it writes over ``BASE_SEEDS``), its golden messages beside it."""
BASE_SEEDS = {
    "themes.yml": "- id: otan\n  title: OTAN\n  description: Dossier.\n",
    "a.txt": "Titre de l'article\nPremier paragraphe.\n",
    "a.yml": "date: 2020-01-02\nsource: Agence\nthemes: [otan]\n",
}
"""The valid seeds each bad-input case is written over."""
# What a project needs to build; tests work on copies so the real seeds/ and
# docs/ are never touched.
PROJECT_PARTS = ("mkdocs.yml", "docs", "seeds", "overrides", "build_scripts")
SUB_PATH = "dossiers-presse"


def copy_project(dest: Path, seeds: Path = EXAMPLE_SEEDS) -> Path:
    """Copy the buildable parts of the project to ``dest``, with ``seeds`` (the frozen examples by default)."""
    dest.mkdir(parents=True, exist_ok=True)
    # Pagefind's binary (build_scripts/pagefind/node_modules/, 14 MB) is linked, not copied.
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "node_modules")
    for part in PROJECT_PARTS:
        src = ROOT / part
        if part == "seeds":
            src = seeds
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=ignore)
        else:
            shutil.copy2(src, dest / part)
    modules = ROOT / "build_scripts" / "pagefind" / "node_modules"
    if modules.is_dir():
        (dest / "build_scripts" / "pagefind" / "node_modules").symlink_to(modules, target_is_directory=True)
    # Pages an older version generated into the checkout's docs/ must not leak into the copy.
    remove_legacy(dest / "docs")
    return dest


class Golden:
    """Golden files under ``tests/golden/``: ``python -m pytest --update-goldens`` rewrites them all.

    Without the flag a golden is only read: a missing one fails (it is never
    written silently), and so does one that differs.
    """

    def __init__(self, update: bool, root: Path = GOLDEN) -> None:
        self.update = update
        self.root = root

    def check(self, name: str, actual: str) -> None:
        """Assert that ``tests/golden/<name>`` holds exactly ``actual`` (or rewrite it with the flag)."""
        path = self.root / name
        if self.update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8", newline="\n")
        if not path.exists():
            raise AssertionError(f"tests/golden/{name} is missing: `python -m pytest --update-goldens` writes it")
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, f"tests/golden/{name} differs; review, then `python -m pytest --update-goldens`"


def build(root: Path, *extra: str) -> int:
    """Run ``python -m build_scripts build`` in-process on the project at ``root``."""
    return cli.main(["--root", str(root), "build", "--quiet", *extra])


def run_command(root: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m build_scripts --root <root> <args>`` in a child process, as a maintainer types it."""
    return subprocess.run(
        [sys.executable, "-m", "build_scripts", "--root", str(root), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def parse(path: Path) -> lxml.html.HtmlElement:
    """Parse one built HTML page."""
    return lxml.html.fromstring(path.read_bytes())


def visible_text(element: lxml.html.HtmlElement) -> str:
    """Text a reader sees in ``element``, whitespace collapsed."""
    return " ".join(element.text_content().split())


def html_pages(site: Path) -> list[Path]:
    """Every HTML page of a built site."""
    return sorted(site.rglob("*.html"))


def tree_hash(directory: Path) -> dict[str, str]:
    """SHA-256 of every file under ``directory``, by relative path."""
    return {
        p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def article_pages(site: Path) -> dict[str, str]:
    """Seed id -> site-relative folder of its built page (``articles/<slug>/``), from ``data-seed``."""
    pages: dict[str, str] = {}
    for path in sorted((site / "articles").glob("*/index.html")):
        (seed,) = parse(path).xpath("//article[@data-seed]/@data-seed")
        pages[str(seed)] = path.parent.relative_to(site).as_posix() + "/"
    assert pages, f"no article page under {site}"
    return pages


# --- The seeds, read independently of build_scripts (plain PyYAML) ---------------------------


@dataclass(frozen=True)
class PlainSeed:
    """One article of ``seeds/`` as the tests read it, without the code under test."""

    stem: str
    meta: dict[str, Any]
    """The ``.yml`` through PyYAML's safe loader (so ``date`` is a ``datetime.date``)."""
    lines: tuple[str, ...]
    """The non-blank lines of the ``.txt``, stripped, those of ``omit`` left out."""

    @property
    def title(self) -> str:
        """The ``title`` field, or the first published line."""
        return str(self.meta.get("title") or self.lines[0])

    @property
    def date(self) -> dt.date:
        """The publication date."""
        day = self.meta["date"]
        assert isinstance(day, dt.date), day
        return day


def plain_seeds(seeds_dir: Path) -> dict[str, PlainSeed]:
    """Every article of ``seeds_dir`` by stem."""
    seeds: dict[str, PlainSeed] = {}
    for path in sorted(seeds_dir.glob("*.yml")):
        if path.name in ("themes.yml", "aliases.yml"):
            continue
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))
        omitted = {str(line) for line in meta.get("omit") or []}
        text = path.with_suffix(".txt").read_text(encoding="utf-8-sig")
        lines = tuple(s for s in (line.strip() for line in text.splitlines()) if s and s not in omitted)
        seeds[path.stem] = PlainSeed(path.stem, meta, lines)
    assert seeds, f"no article in {seeds_dir}"
    return seeds


def refused(char: str) -> bool:
    """The README's rule, written out on its own: C0 and C1 controls (tab excepted; a line break
    only separates lines), surrogates, and the 66 Unicode non-characters."""
    code = ord(char)
    control = code < 0x20 or 0x7F <= code <= 0x9F
    return (
        (control and char not in "\t\n")
        or 0xD800 <= code <= 0xDFFF
        or 0xFDD0 <= code <= 0xFDEF
        or code % 0x10000 in (0xFFFE, 0xFFFF)
    )


def fr_date(day: dt.date | str) -> str:
    """The oracle of French dates: Babel called directly, and « 1er » for the first of the month."""
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    text = format_date(day, "d MMMM y", locale="fr")
    return "1er" + text[1:] if day.day == 1 else text


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    # Set by serve(): the site's own 404 page, sent with status 404 for a missing URL, as
    # GitHub Pages does (the accessibility checks audit it as a reader gets it).
    not_found_page: Path | None = None

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        # LinkChecker waits 0.1-0.6 s between requests to one host unless the server sends
        # this header (tests/test_links.py): it is our own local server, no politeness needed.
        self.send_header("LinkChecker", "maxrated")
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = self.not_found_page
        if code != 404 or page is None or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _Recorder:
    """Wraps a response stream and counts the bytes written to it."""

    def __init__(self, raw: object) -> None:
        self.raw = raw
        self.bytes = 0

    def write(self, data: bytes) -> int:
        self.bytes += len(data)
        written: int = self.raw.write(data)  # type: ignore[attr-defined]
        return written

    def __getattr__(self, name: str) -> object:
        return getattr(self.raw, name)


class _RecordingHandler(_QuietHandler):
    """Also records each response's path and size (headers included), for the benchmark."""

    record: list[tuple[str, int]]

    def end_headers(self) -> None:
        # What GitHub Pages sends: the search index is not fetched twice in ten minutes.
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def setup(self) -> None:
        super().setup()
        self.wfile = _Recorder(self.wfile)  # type: ignore[assignment]

    def handle_one_request(self) -> None:
        counter: _Recorder = self.wfile  # type: ignore[assignment]
        before = counter.bytes
        super().handle_one_request()
        if counter.bytes > before:
            self.record.append((self.path.split("?")[0], counter.bytes - before))


@contextmanager
def serve(site: Path, sub_path: str = SUB_PATH, record: list[tuple[str, int]] | None = None) -> Iterator[str]:
    """Serve ``site`` at ``http://127.0.0.1:<port>/<sub_path>/``, as GitHub Pages serves a project site.

    With ``record``, each response's (path, bytes) is appended to it.
    """
    holder = site.parent / f".serve-{os.getpid()}-{id(site)}"
    holder.mkdir(exist_ok=True)
    link = holder / sub_path
    if not link.exists():
        link.symlink_to(site.resolve(), target_is_directory=True)
    base: type[_QuietHandler] = _QuietHandler if record is None else _RecordingHandler
    attrs: dict[str, object] = {"not_found_page": site / "404.html"}
    if record is not None:
        attrs["record"] = record
    handler = functools.partial(type("Handler", (base,), attrs), directory=str(holder))
    try:
        with serving(handler) as origin:
            yield f"{origin}/{sub_path}/"
    finally:
        shutil.rmtree(holder, ignore_errors=True)


@contextmanager
def serving(handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """``http://127.0.0.1:<port>``: a threaded server on a free loopback port, answering with ``handler``."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def tools_required() -> bool:
    """Whether a missing browser or audit tool fails its test: under ``CI`` and under ``tests/run.sh``."""
    return bool(os.environ.get("CI") or os.environ.get("PRESS_REQUIRE_TOOLS"))


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


class PageWatch:
    """Records what a page must not do: console errors, failed requests, other hosts."""

    def __init__(self, page: object, origin: str) -> None:
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.pending: set[object] = set()
        self.origin = origin
        page.on("console", self._console)  # type: ignore[attr-defined]
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))  # type: ignore[attr-defined]
        page.on("requestfailed", self._failed)  # type: ignore[attr-defined]
        page.on("requestfinished", lambda request: self.pending.discard(request))  # type: ignore[attr-defined]
        page.on("request", self._request)  # type: ignore[attr-defined]
        page.on("dialog", self._dialog)  # type: ignore[attr-defined]

    def _console(self, message: object) -> None:
        if message.type == "error":  # type: ignore[attr-defined]
            self.problems.append(f"console error: {message.text}")  # type: ignore[attr-defined]

    def _failed(self, request: object) -> None:
        self.pending.discard(request)
        self.problems.append(f"request failed: {request.url} {request.failure}")  # type: ignore[attr-defined]

    def _request(self, request: object) -> None:
        url: str = request.url  # type: ignore[attr-defined]
        self.requests.append(url)
        self.pending.add(request)
        if not (url.startswith(self.origin) or url.startswith(("data:", "blob:", "about:"))):
            self.problems.append(f"request to another host: {url}")

    def _dialog(self, dialog: object) -> None:
        self.problems.append(f"dialog opened: {dialog.type} {dialog.message}")  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    def wait_idle(self, page: Any, timeout: float = 15.0) -> None:
        """Return once every request the page made has finished (before leaving it: none is aborted)."""
        page.wait_for_load_state("load")
        deadline = time.monotonic() + timeout
        while self.pending:
            assert time.monotonic() < deadline, f"requests never finished: {[r.url for r in self.pending]}"  # type: ignore[attr-defined]
            page.wait_for_timeout(10)  # lets Playwright deliver the requests' events

    def assert_clean(self) -> None:
        """Fail with every recorded problem, if there is one."""
        assert not self.problems, "\n".join(self.problems)


# --- Waiting on conditions in the browser, never on a clock -----------------------------------

SEARCH_READY = "document.documentElement.dataset.pressSearch === 'ready'"
# Every "input" event of the search box first puts a stale marker into the result list
# (a capturing listener on the document runs before the page's own listener). The page
# renders only the results of the newest query (press-search.js drops a superseded one),
# so once the marker is gone the list shows the results of the whole query, not of a prefix.
_MARK_STALE = """() => {
  if (window.__pressStale) return
  window.__pressStale = true
  document.addEventListener('input', event => {
    if (!event.target.matches('input.md-search__input')) return
    const list = document.querySelector('.md-search-result__list')
    const marker = document.createElement('li')
    marker.dataset.testStale = ''
    marker.hidden = true
    list.append(marker)
  }, true)
}"""
_RESULTS_FOR = """query => {
  const box = document.querySelector('input.md-search__input')
  const meta = document.querySelector('.md-search-result__meta').textContent
  return box.value === query && !document.querySelector('[data-test-stale]') && /trouvé/.test(meta)
}"""
# No CSS transition or animation still running (Material fades dialogs and the skip link in).
SETTLED = "() => document.getAnimations().every(a => a.playState !== 'running')"


def type_search(page: Any, query: str, timeout: float = 15_000) -> None:
    """Type ``query`` into the open search box key by key; return once its results are shown."""
    page.evaluate(_MARK_STALE)
    box = page.locator("input.md-search__input")
    box.focus()
    box.press("Control+A")
    box.press("Backspace")
    box.press_sequentially(query, delay=25)
    page.wait_for_function(_RESULTS_FOR, arg=query, timeout=timeout)
    page.wait_for_function(SETTLED, timeout=timeout)


FAVICON = "assets/images/favicon.png"


def visit(page: Any, watch: PageWatch, site_url: str, path: str) -> Any:
    """Open ``site_url + path`` and return its response once nothing it asked for is still loading.

    Chromium asks for the favicon after "load": leaving the page before it arrives would abort it.
    """
    with page.expect_request_finished(lambda request: request.url == site_url + FAVICON, timeout=15_000):
        response = page.goto(site_url + path, wait_until="load")
    watch.wait_idle(page)
    return response
