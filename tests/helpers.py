"""Shared test helpers: project copies, builds, a sub-path HTTP server, HTML parsing."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import lxml.html

from build_scripts import cli
from build_scripts.publish import remove_legacy

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
# What a project needs to build; tests work on copies so the real seeds/ and
# docs/ are never touched.
PROJECT_PARTS = ("mkdocs.yml", "docs", "seeds", "overrides", "build_scripts")
SUB_PATH = "dossiers-presse"


def copy_project(dest: Path, seeds: Path | None = None) -> Path:
    """Copy the buildable parts of the project to ``dest`` (optionally with other seeds)."""
    dest.mkdir(parents=True, exist_ok=True)
    # Pagefind's binary (build_scripts/pagefind/node_modules/, 14 MB) is linked, not copied.
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "node_modules")
    for part in PROJECT_PARTS:
        src = ROOT / part
        if part == "seeds" and seeds is not None:
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

    def __init__(self, update: bool) -> None:
        self.update = update

    def check(self, name: str, actual: str) -> None:
        """Assert that ``tests/golden/<name>`` holds exactly ``actual`` (or rewrite it with the flag)."""
        path = GOLDEN / name
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


def parse(path: Path) -> lxml.html.HtmlElement:
    """Parse one built HTML page."""
    return lxml.html.fromstring(path.read_bytes())


def visible_text(element: lxml.html.HtmlElement) -> str:
    """Text a reader sees in ``element``, whitespace collapsed."""
    return " ".join(element.text_content().split())


def html_pages(site: Path) -> list[Path]:
    """Every HTML page of a built site."""
    return sorted(site.rglob("*.html"))


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
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{sub_path}/"
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(holder, ignore_errors=True)


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
        self.origin = origin
        page.on("console", self._console)  # type: ignore[attr-defined]
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))  # type: ignore[attr-defined]
        page.on("requestfailed", self._failed)  # type: ignore[attr-defined]
        page.on("request", self._request)  # type: ignore[attr-defined]
        page.on("dialog", self._dialog)  # type: ignore[attr-defined]

    def _console(self, message: object) -> None:
        if message.type == "error":  # type: ignore[attr-defined]
            self.problems.append(f"console error: {message.text}")  # type: ignore[attr-defined]

    def _failed(self, request: object) -> None:
        self.problems.append(f"request failed: {request.url} {request.failure}")  # type: ignore[attr-defined]

    def _request(self, request: object) -> None:
        url: str = request.url  # type: ignore[attr-defined]
        self.requests.append(url)
        if not (url.startswith(self.origin) or url.startswith(("data:", "blob:", "about:"))):
            self.problems.append(f"request to another host: {url}")

    def _dialog(self, dialog: object) -> None:
        self.problems.append(f"dialog opened: {dialog.type} {dialog.message}")  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]
