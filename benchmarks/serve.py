"""Edit-to-preview under ``python -m build_scripts serve``, measured as a maintainer sees it.

The server runs in a child process; its log is read as it comes. Times are
taken from the moment a seed is written to the moment the served page holds
the new text, by polling the page over HTTP. Rebuilds are counted from the
log ("Building documentation"), on events: two edits in a row must give two
rebuilds, so a rebuild caused by a rebuild, or two for one save, would show.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from build_scripts import pipeline

BUILD_LINE = re.compile(r"Building documentation")
SERVING = re.compile(r"Serving on (\S+)")
# MkDocs' server logs one of each per turn of its loop: a rebuild, or one skipped as nothing changed.
DETECTED = re.compile(r"Detected file changes")
# The end of a turn: the browsers reloaded, or the rebuild failed (and they keep the last good site).
RELOADED = re.compile(r"Reloading browsers|An error happened during the rebuild")
TIMEOUT = 600.0


def free_port() -> int:
    """A TCP port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def fetch(url: str) -> str:
    """The page at ``url``, or "" when it cannot be read (yet)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            body: bytes = response.read()
            return body.decode("utf-8")
    except (urllib.error.URLError, OSError):
        return ""


SERVE = [sys.executable, "-m", "build_scripts", "serve"]
"""The README's preview command."""
MKDOCS_SERVE = [sys.executable, "-m", "mkdocs", "serve"]
"""What a maintainer used to MkDocs types (issue 21)."""


class Server:
    """A preview server (``python -m build_scripts serve`` by default) on a free port, its log collected."""

    def __init__(self, project: Path, command: list[str] = SERVE) -> None:
        self.log: list[str] = []
        port = free_port()
        self.process = subprocess.Popen(
            [*command, "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        self.wait(lambda: any(SERVING.search(line) for line in self.log), "the server")
        found = next(SERVING.search(line) for line in self.log if SERVING.search(line))
        assert found is not None
        self.base = found[1].rstrip("/") + "/"

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.log.append(line.rstrip("\n"))

    def builds(self) -> int:
        """Rebuilds started so far (the first build included)."""
        return sum(bool(BUILD_LINE.search(line)) for line in list(self.log))

    def count(self, pattern: re.Pattern[str]) -> int:
        """Lines of the log so far that match ``pattern``."""
        return sum(bool(pattern.search(line)) for line in list(self.log))

    def settle(self, folder: Path) -> None:
        """Wait until every change made before this call has been seen and acted on.

        A hidden file, which no build reads, is written in a watched ``folder``, so
        that the watcher reports a change even when nothing else is left to see. Once
        a change is reported after this call, and MkDocs' loop has turned as often
        as changes were reported, every rebuild that the writes made before this
        call asked for has been made (or skipped). Counted, not timed.
        """
        # A turn under way may still be in its quiet wait: a change now would join it, unseen as a turn.
        self.wait(lambda: self.count(RELOADED) >= self.count(DETECTED), "end of the turn under way")
        detected = self.count(DETECTED)
        (folder / f".settle-{time.monotonic_ns()}").write_text("", encoding="utf-8")
        self.wait(lambda: self.count(DETECTED) > detected, "notice of the settle file")
        self.wait(lambda: self.count(RELOADED) >= self.count(DETECTED), "end of the rebuilds")

    def wait(self, condition: Callable[[], bool], what: str, poll: float = 0.02) -> float:
        """Seconds until ``condition`` holds; fails after ``TIMEOUT``."""
        start = time.perf_counter()
        while not condition():
            if self.process.poll() is not None or time.perf_counter() - start > TIMEOUT:
                raise RuntimeError(f"serve: no {what}:\n" + "\n".join(self.log[-30:]))
            time.sleep(poll)
        return time.perf_counter() - start

    def stop(self) -> None:
        """Stop the server as Ctrl-C does: MkDocs then removes its temporary site, and the search index its work."""
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _appears(server: Server, url: str, text: str) -> Callable[[], bool]:
    return lambda: text in fetch(server.base + url)


def measure_serve(project: Path, command: list[str] = SERVE, key: str = "serve") -> dict[str, Any]:
    """Edit-to-preview of a changed seed and of a new article, and the rebuilds they cause.

    The figures are reported under ``key`` (``serve_edit_s``…); the seeds are left as they were found.
    """
    corpus, _problems = pipeline.check(project)
    article = corpus.articles[len(corpus.articles) // 2]
    page = f"articles/{article.slug}/"
    text = project / article.text_path
    original = text.read_bytes()
    added: list[Path] = []
    server = Server(project, command)
    report: dict[str, Any] = {}
    try:
        server.wait(_appears(server, page, article.slug), "first build")
        before = server.builds()
        latencies = []
        for n in (1, 2):
            marker = f"Relecture-{n}-{time.monotonic_ns()}"
            text.write_text(text.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
            latencies.append(server.wait(_appears(server, page, marker), f"edit {n} on {page}"))
            # Counted once the save's every event was handled: a second rebuild for the same save
            # (issue 21) would come after its page already shows it.
            server.settle(text.parent)
        report[f"{key}_edit_s"] = max(latencies)
        report[f"{key}_rebuilds_per_change"] = (server.builds() - before) / 2
        # A new article: its page, its dossier, the home page and the chronology.
        newest = corpus.articles[0]
        marker = f"Nouvel article {time.monotonic_ns()}"
        date = newest.date.toordinal() + 1
        stem = f"zz-nouveau-{date}"
        day = newest.date.fromordinal(date)
        theme = newest.themes[0]
        meta = f'date: {day.isoformat()}\nsource: Agence\nthemes: [{theme}]\nslug: "{stem}"\n'
        before = server.builds()
        start = time.perf_counter()
        added += [project / "seeds" / f"{stem}.yml", project / "seeds" / f"{stem}.txt"]
        added[0].write_text(meta, encoding="utf-8")
        added[1].write_text(f"{marker}\nPremier paragraphe.\n", encoding="utf-8")
        where = {
            "article": f"articles/{stem}/",
            "dossier": f"dossiers/{theme}/",
            "home": "",
            "chronology": f"chronologie/{day.year}/",
        }
        for name, url in where.items():
            server.wait(_appears(server, url, marker), f"the new article on {url}")
            report[f"{key}_new_{name}_s"] = time.perf_counter() - start
        report[f"{key}_new_article_s"] = time.perf_counter() - start
        # Two files written: one rebuild each at most, often one for both.
        report[f"{key}_rebuilds_new_article"] = server.builds() - before
    finally:
        server.stop()
        text.write_bytes(original)
        for path in added:
            path.unlink(missing_ok=True)
    return report
