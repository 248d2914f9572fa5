"""Stage 6: the site search index, made by Pagefind beside MkDocs (issues 3, 11 and 12).

Pagefind 1.6.0 from npm (``build_scripts/pagefind/package.json``, installed by ``npm ci``
into ``build_scripts/pagefind/node_modules/``; PyPI stops at 1.5.2, which writes filter
chunks in a random order) writes a chunked French index into ``<site>/pagefind/``;
``overrides/assets/javascripts/press-search.js`` queries it in the browser. Nothing is
downloaded at build time: the binary runs locally.

Only article pages are indexed: ``build_scripts/render/templates/article.md.j2`` marks them
with ``data-pagefind-body`` (see that template for the other ``data-pagefind-*`` attributes:
weights, result metadata, the date sort and the dossier, year and outlet filters), and
Pagefind reads nothing else of a page. So the index is made from the generated pages
themselves, each wrapped in a minimal document, as soon as they exist: Pagefind runs on the
other core while MkDocs renders, and gives byte for byte the index it would make of the built
site (``tests/test_search.py`` checks it). The index is swapped in whole, never half-written:
a build waits for it; ``serve`` lets it catch up after the pages are served.
"""

from __future__ import annotations

import base64
import json
import os
import platform
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from build_scripts.atomic import swap_in
from build_scripts.render.site import Output
from build_scripts.render.templates import PageOut
from build_scripts.render.urls import page_url

OUTPUT_DIR = "pagefind"
# Where ``npm ci`` installs the pinned Pagefind (package.json, package-lock.json, node_modules/).
NPM_DIR = Path(__file__).resolve().parent / "pagefind"
NPM_INSTALL = "npm ci --ignore-scripts --prefix build_scripts/pagefind"
LANGUAGE = "fr"
# Pagefind 1.5.2 splits words on the ASCII apostrophe but not on the typographic one, so
# « l’OTAN » would be indexed only as "l’otan" and the query OTAN would miss it. The index is
# therefore built from a copy of the pages where ’ becomes ' followed by a zero-width space.
# The published pages keep ’. The zero-width space survives in Pagefind's metadata (titles,
# dossiers), which lets press-search.js turn exactly these apostrophes back into ’ there;
# Pagefind drops it from excerpts, where the script restores ’ between letters instead.
# (Still needed with 1.6.0: without it, the headline « l’Ukraine » no longer ranks first.)
INDEX_APOSTROPHE = "'\u200b"
# Pagefind's ready-made search interfaces: the site renders results in Material's own
# dialog instead, so these are never loaded and are not published.
UNUSED_UI_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


class SearchIndexError(Exception):
    """The search index could not be built; the message says what to do."""


def indexable_html(html: str) -> str:
    """The text Pagefind indexes for a page: typographic apostrophes made splittable."""
    return html.replace("’", INDEX_APOSTROPHE)


def _platform_package() -> str:
    """The npm package of Pagefind's binary for this machine, named as Pagefind's own resolver names it."""
    system = {"win32": "windows", "cygwin": "windows"}.get(sys.platform, sys.platform.rstrip("0123456789"))
    cpu = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64"}.get(
        platform.machine().lower(), platform.machine().lower()
    )
    return f"@pagefind/{system}-{cpu}"


def pagefind_executable() -> Path:
    """The Pagefind binary that ``npm ci`` put into ``build_scripts/pagefind/node_modules/``, or a clear error.

    Its version must be the one pinned in ``build_scripts/pagefind/package.json``: another
    version would write other bytes (and 1.5.2 a different index on every build).
    """
    install = f"installez-le avec « {NPM_INSTALL} »"
    pinned = json.loads((NPM_DIR / "package.json").read_text(encoding="utf-8"))["dependencies"]["pagefind"]
    name = _platform_package()
    package = NPM_DIR / "node_modules" / name
    names = ("pagefind_extended.exe", "pagefind.exe") if sys.platform == "win32" else ("pagefind_extended", "pagefind")
    found = [package / "bin" / exe for exe in names if (package / "bin" / exe).is_file()]
    if not found:
        raise SearchIndexError(f"Pagefind {pinned} est introuvable ({name} n'est pas installé) : {install}")
    version = json.loads((package / "package.json").read_text(encoding="utf-8")).get("version")
    if version != pinned:
        raise SearchIndexError(f"Pagefind {version} est installé, {pinned} est attendu : {install}")
    return found[0]


class Pagefind:
    """Pagefind's service mode (``pagefind --service``), fed from memory.

    The pages are handed over in the order given: no copy of the site on disk,
    and no dependence on the order a filesystem lists files in, which would
    number the pages (and order equal-scored results) differently on another
    machine. The protocol is the one of PyPI's ``pagefind`` wrapper:
    base64-encoded JSON messages, each followed by a comma. The service handles
    messages one at a time, in order, so pages are sent without waiting for
    each answer (up to ``WINDOW`` ahead): waiting for each would cost a switch
    of Python's lock per page while the main thread renders (the wrapper itself
    also sleeps 0.1 s before reading each answer: 17 minutes for 10,000 pages).
    """

    WINDOW = 256
    """Pages sent and not yet answered, at most: enough to keep Pagefind busy, little held in its queue."""

    def __init__(self, cwd: Path) -> None:
        # ``cwd`` is an empty folder, and no PAGEFIND_* variables are passed: no
        # stray pagefind.yml or environment setting can change the index.
        env = {key: value for key, value in os.environ.items() if not key.startswith("PAGEFIND_")}
        self._process = subprocess.Popen(
            [str(pagefind_executable()), "--service"],
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._buffer = b""
        self._sent = 0
        self._answered = 0
        answer = self._wait(self._send({"type": "NewIndex", "config": {"force_language": LANGUAGE}}))
        self._index: int = answer["index_id"]

    def _send(self, payload: dict[str, Any]) -> int:
        assert self._process.stdin is not None
        self._sent += 1
        message = json.dumps({"message_id": self._sent, "payload": payload}).encode()
        try:
            self._process.stdin.write(base64.b64encode(message) + b",")
            self._process.stdin.flush()
        except BrokenPipeError:
            raise SearchIndexError("Pagefind s'est arrêté en cours d'indexation") from None
        return self._sent

    def _answer(self) -> dict[str, Any]:
        """The next answer of the service; an error answer raises."""
        assert self._process.stdout is not None
        while True:
            while b"," not in self._buffer:
                chunk = os.read(self._process.stdout.fileno(), 1 << 16)
                if not chunk:
                    raise SearchIndexError("Pagefind s'est arrêté en cours d'indexation")
                self._buffer += chunk
            raw, _, self._buffer = self._buffer.partition(b",")
            answer = json.loads(base64.b64decode(raw))
            if answer is None:
                continue
            result: dict[str, Any] = answer["payload"]
            if result["type"] == "Error":
                raise SearchIndexError(f"Pagefind a échoué : {result['message']}")
            self._answered = max(self._answered, answer.get("message_id") or 0)
            return result

    def _wait(self, message_id: int) -> dict[str, Any]:
        """Read answers up to the one to ``message_id``; return it."""
        while True:
            result = self._answer()
            if self._answered >= message_id:
                return result

    def add(self, url: str, html: str) -> None:
        """Index one page, published at ``url`` (``/articles/x/``)."""
        self._send({"type": "AddFile", "index_id": self._index, "file_path": None, "url": url, "file_contents": html})
        while self._sent - self._answered > self.WINDOW:
            self._answer()

    def write(self, output: Path) -> None:
        """Write the index into ``output``, without the ready-made interfaces the site does not use."""
        self._wait(self._send({"type": "WriteFiles", "index_id": self._index, "output_path": str(output.resolve())}))
        if not (output / "pagefind.js").is_file():
            raise SearchIndexError("Pagefind n'a pas écrit pagefind.js : aucune page à indexer ?")
        for name in UNUSED_UI_FILES:
            (output / name).unlink(missing_ok=True)

    def close(self) -> None:
        """Stop the service: it ends when its input does, after its last files are on disk."""
        assert self._process.stdin is not None
        try:
            self._process.stdin.close()
            self._process.wait(timeout=120)
        except (OSError, subprocess.TimeoutExpired):
            self._process.kill()
            self._process.wait()


def indexed_pages(pages: Mapping[str, Output]) -> list[tuple[str, str]]:
    """The pages Pagefind indexes, as (URL, minimal document), in the order of ``pages``.

    That order is the generation's: articles newest first (``render/site.py``),
    never a filesystem's listing, so the index is the same on any machine.
    Pagefind reads only what is inside ``data-pagefind-body``: the rest of the
    built page (Material's header, navigation, footer) would change nothing.
    """
    return [item for path, out in pages.items() if (item := indexed(path, out)) is not None]


_IGNORED_BLOCK = re.compile(r"<(section|nav)\b[^>]*\bdata-pagefind-ignore\b[^>]*>.*?</\1>", re.DOTALL)
"""A block of a generated page that Pagefind is told not to index, and that holds no filter or
metadata of the page: its quotations, its related articles, its neighbours, how to cite it.
The templates never nest these blocks, and seed text is escaped: none of it can look like one."""


def indexed(path: str, out: Output) -> tuple[str, str] | None:
    """The page as Pagefind receives it, (URL, minimal document), or ``None`` if it is not indexed.

    The blocks Pagefind would skip are left out: half of an article page's HTML,
    which Pagefind would still parse (8 % of its time, and the index is the same
    byte for byte: ``tests/test_search_index.py``).
    """
    if isinstance(out, PageOut) and "data-pagefind-body" in (body := out.html):
        return "/" + page_url(path), document(_IGNORED_BLOCK.sub("", body))
    return None


def document(body: str) -> str:
    """The minimal HTML document Pagefind is sent for a page's ``body``."""
    head = f'<!doctype html><html lang="{LANGUAGE}"><head><meta charset="utf-8"></head>'
    return indexable_html(f"{head}<body>{body}</body></html>")


SHARD_SIZE = 2500
"""Articles per Pagefind index. Pagefind holds its whole index in memory while it writes it, about
230 KB per article (2.3 GB at 10,000, measured): the archive is indexed in parts of this size, one
after the other, and the browser merges them (``pagefind.mergeIndex``). A site of up to this many
articles has one index, as before."""
SHARDS_FILE = "press-shards.json"
"""In ``pagefind/``: the folders of the other parts, for ``press-search.js`` to merge."""


def write_index(items: Iterable[tuple[str, str]], output: Path, cancelled: Callable[[], bool] = lambda: False) -> bool:
    """Index ``items`` (URL, document), in their order, into ``output``; False if ``cancelled`` said to stop.

    The first ``SHARD_SIZE`` pages make the index in ``output`` itself; each
    further part is ``output/part-<n>/``, listed in ``output/press-shards.json``.
    The articles come newest first, so each part is a span of dates, newer than
    the next: ``press-search.js`` relies on it to list results newest first.
    """
    parts = output.parent / f".{output.name}-parts"
    # Pagefind's working folder, beside the index rather than in /tmp: a killed
    # build leaves it where the next build clears its leftovers.
    empty = output.parent / f".{output.name}-cwd"
    for folder in (parts, empty):
        shutil.rmtree(folder, ignore_errors=True)
    empty.mkdir(parents=True)
    written = 0
    pagefind = Pagefind(empty)
    try:
        for count, (url, html) in enumerate(items):
            if cancelled():
                return False
            if count and count % SHARD_SIZE == 0:
                # A part is written and its process ended before the next begins: one in memory at a time.
                pagefind.write(parts / str(written))
                pagefind.close()
                written += 1
                pagefind = Pagefind(empty)
            pagefind.add(url, html)
        if cancelled():  # the last page came with the order to stop
            return False
        pagefind.write(parts / str(written))
    finally:
        pagefind.close()
        shutil.rmtree(empty, ignore_errors=True)
    os.rename(parts / "0", output)
    names = [f"part-{n}" for n in range(1, written + 1)]
    for n, name in enumerate(names, 1):
        os.rename(parts / str(n), output / name)
    (output / SHARDS_FILE).write_text(json.dumps(names) + "\n", encoding="utf-8")
    parts.rmdir()
    return True


def build_index(pages: Mapping[str, Output], output: Path) -> None:
    """Index ``pages`` into ``output``, at once (the build streams them instead: see ``Indexing``)."""
    write_index(indexed_pages(pages), output)


_END = None
WORK_PREFIX = ".site-index-"


class Indexing:
    """One run of Pagefind, fed page by page from another thread as the pages are rendered.

    Pages come in the order they are made (``render/site.py``: articles newest
    first): Pagefind numbers pages in the order it gets them.
    ``done()`` says no page will follow; the index is then written, and
    ``finish()`` swaps it in as ``<site>/pagefind`` in one step.
    """

    def __init__(self, parent: Path) -> None:
        parent.mkdir(parents=True, exist_ok=True)
        # Beside the site, so that the finished index is renamed into it in one step.
        self.work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=parent))
        self.error: SearchIndexError | None = None
        self.cancelled = False
        # The pages themselves are queued, and made into Pagefind's documents only as it
        # takes them: Pagefind is the slower, and at 10,000 articles half the pages wait
        # for it when the generation ends (200 MB, had they been queued as documents).
        self._queue: queue.SimpleQueue[tuple[str, Output] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._index, daemon=True)
        self._thread.start()
        self._waiter: threading.Thread | None = None

    def add(self, path: str, out: Output) -> None:
        """Index this page if it is one Pagefind indexes."""
        self._queue.put((path, out))

    def add_all(self, pages: Mapping[str, Output]) -> None:
        """Index every page of ``pages`` that Pagefind indexes (``serve``, after a rebuild)."""
        for page in pages.items():
            self._queue.put(page)

    def done(self) -> None:
        """No page will follow: write the index."""
        self._queue.put(_END)

    def _items(self) -> Iterator[tuple[str, str]]:
        while (page := self._queue.get()) is not _END:
            if (item := indexed(*page)) is not None:
                yield item

    def _index(self) -> None:
        try:
            if not write_index(self._items(), self.work / OUTPUT_DIR, lambda: self.cancelled):
                shutil.rmtree(self.work, ignore_errors=True)  # cancelled: nobody will finish it
        except SearchIndexError as error:
            self.error = error
        except OSError as error:
            self.error = SearchIndexError(f"index de recherche impossible à écrire : {error}")

    def finish(self, site_dir: Path) -> bool:
        """Wait, then swap the index in as ``site_dir/pagefind``; False if it was cancelled meanwhile."""
        self._thread.join()
        try:
            with _SWAP:
                if self.cancelled:
                    return False
                if self.error is not None:
                    raise self.error
                swap_in(self.work / OUTPUT_DIR, site_dir / OUTPUT_DIR)
                return True
        finally:
            shutil.rmtree(self.work, ignore_errors=True)

    def cancel(self) -> None:
        """Stop it; its half-made index is thrown away."""
        with _SWAP:
            self.cancelled = True
        self._queue.put(_END)

    def finish_later(self, site_dir: Path, log: Callable[[str], None]) -> None:
        """``finish`` in another thread, saying in ``log`` when the index is in place."""

        def wait() -> None:
            try:
                if self.finish(site_dir):
                    log("index de recherche à jour")
            except SearchIndexError as error:
                log(f"index de recherche : {error}")

        self._waiter = threading.Thread(target=wait, daemon=True)
        self._waiter.start()

    def join(self) -> None:
        """Wait until it has ended and cleaned up after itself."""
        self._thread.join()
        if self._waiter is not None:
            self._waiter.join()
        if self.cancelled:  # nobody will finish it, whenever it was cancelled
            shutil.rmtree(self.work, ignore_errors=True)


_SWAP = threading.Lock()


class Indexer:
    """The indexing of this process: a build waits for it; ``serve`` starts a new one on each rebuild."""

    def __init__(self) -> None:
        self.current: Indexing | None = None
        """The indexing under way, until it is finished or handed to the background."""
        self.background: Indexing | None = None
        """Under ``serve``: the indexing of the last rebuild, catching up while its pages are served."""

    def begin(self, parent: Path) -> Indexing:
        """A new indexing, its work folder in ``parent``; one still running is stopped first.

        What a build killed meanwhile left in ``parent`` is removed.
        """
        self.cancel()
        pagefind_executable()  # a missing Pagefind stops the build now, not after MkDocs has rendered
        for stale in parent.glob(WORK_PREFIX + "*"):
            shutil.rmtree(stale, ignore_errors=True)
        self.current = Indexing(parent)
        return self.current

    def finish(self, site_dir: Path) -> None:
        """Wait for the index and swap it in (a build)."""
        if self.current is None:
            raise SearchIndexError("l'index de recherche n'a pas été commencé")
        current, self.current = self.current, None
        current.finish(site_dir)

    def cancel(self, wait: bool = False) -> None:
        """Stop the indexing under way (a build that failed), and the one of ``serve``'s last rebuild.

        With ``wait``, return once they have ended and removed their work folders
        (``serve`` shutting down: its threads would be stopped mid-way).
        """
        stopping = [indexing for indexing in (self.current, self.background) if indexing is not None]
        for indexing in stopping:
            indexing.cancel()
        self.current = self.background = None
        if wait:
            for indexing in stopping:
                indexing.join()

    def index_later(self, pages: Mapping[str, Output], site_dir: Path, log: Callable[[str], None]) -> None:
        """Index ``pages`` in the background, then swap the index in (``serve``): the pages are served meanwhile.

        Under ``serve`` the index is made after the rebuild, not during it: fed
        as the pages are rendered, it would take the interpreter from the
        rebuild a maintainer is waiting for. The next rebuild cancels it.
        """
        self.cancel()
        current = Indexing(site_dir.parent)  # beside the site: swapped in by a rename
        current.add_all(pages)
        current.done()
        self.background = current
        current.finish_later(site_dir, log)


INDEXER = Indexer()
"""The indexer of this process (a build, or the rebuilds of ``serve``)."""
