"""``mkdocs serve`` as a maintainer uses it: an edited seed shows up, and nothing rebuilds in a loop."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from build_scripts import pipeline
from tests.helpers import copy_project

STEM = "001_b741aa03098057aa"
MARKER = "MARQUEUR-DE-RELECTURE-42"
BUILD_LINE = re.compile(r"Building documentation")
QUIET = 8.0
"""Seconds without change during which no rebuild may start."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body: bytes = response.read()
            return body.decode("utf-8")
    except (urllib.error.URLError, OSError):
        return ""


def _wait(predicate: object, timeout: float, what: str, log: list[str]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}; mkdocs serve said:\n" + "\n".join(log[-40:]))


def test_serve_shows_edited_seed_without_rebuild_loop(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    corpus, _ = pipeline.check(root)
    (article,) = [a for a in corpus.articles if a.id == STEM]
    port = _free_port()
    log: list[str] = []
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            log.append(line.rstrip("\n"))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        _wait(lambda: any("Serving on" in line for line in log), 180, "the server", log)
        base = re.search(r"Serving on (\S+)", next(line for line in log if "Serving on" in line))
        assert base is not None
        page_url = base[1].rstrip("/") + f"/articles/{article.slug}/"
        _wait(lambda: article.paragraphs[0].text[:40] in _get(page_url).replace("&#39;", "'"), 60, "the page", log)
        assert MARKER not in _get(page_url)
        # Let the first build settle, then edit one paragraph of the seed's text.
        time.sleep(2)
        builds_before = sum(bool(BUILD_LINE.search(line)) for line in log)
        text_path = root / "seeds" / f"{STEM}.txt"
        text = text_path.read_text(encoding="utf-8")
        text_path.write_text(text.replace("sonnette d’alarme", f"sonnette d’alarme {MARKER}"), encoding="utf-8")
        _wait(lambda: MARKER in _get(page_url), 120, "the edited text on the served page", log)
        time.sleep(1)
        builds_after_edit = sum(bool(BUILD_LINE.search(line)) for line in log)
        time.sleep(QUIET)
        builds_after_quiet = sum(bool(BUILD_LINE.search(line)) for line in log)
        # One rebuild for the edited seed, one more for the Markdown it
        # regenerates in docs/ (which MkDocs watches too), then none: the
        # second generation writes nothing, so it triggers nothing.
        assert 1 <= builds_after_edit - builds_before <= 2, log
        assert builds_after_quiet == builds_after_edit, log
        assert not any("Traceback" in line for line in log), log
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
