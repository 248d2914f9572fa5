"""One saved change gives one rebuild under ``serve``, on a busy machine too (issue 21).

MkDocs' server polls the watched folders every half second; one save whose
writes two polls see apart (truncate then write, or a temporary file renamed
over the seed) asked for two rebuilds. The other core is kept busy by a
spinning process throughout, as it was when the benchmark saw 1.5 rebuilds per
change. Everything is counted: rebuilds, skipped rebuilds, turns of MkDocs'
loop; the only waits are for events.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.livereload import LiveReloadServer

from benchmarks.serve import Server, fetch, free_port
from build_scripts import load, mkdocs_hooks, pipeline, rebuilds
from build_scripts.memo import RACY_NS
from tests.helpers import copy_project


@pytest.fixture
def busy_core() -> Iterator[None]:
    """The other core kept busy, as by other work beside the tests."""
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        spinner.kill()
        spinner.wait()


# --- How editors save: each function writes ``text`` to ``path``; ``seen()`` waits until the
# server has noticed a change (the half-written state), so the save straddles two polls.


def in_place(path: Path, text: str, seen: Callable[[], None]) -> None:
    """One open-truncate-write, as most editors (VS Code, and Python's write_text)."""
    path.write_text(text, encoding="utf-8")


def truncate_then_write(path: Path, text: str, seen: Callable[[], None]) -> None:
    """The truncation is seen by one poll, the content by the next."""
    with path.open("w", encoding="utf-8") as file:
        file.flush()
        seen()
        file.write(text)


def _renamed(temporary: str) -> Callable[[Path, str, Callable[[], None]], None]:
    def save(path: Path, text: str, seen: Callable[[], None]) -> None:
        tmp = path.with_name(temporary.format(name=path.name))
        tmp.write_text(text, encoding="utf-8")
        seen()
        os.replace(tmp, path)

    save.__doc__ = f"Write {temporary}, seen by one poll, then rename it over the file (atomic save)."
    return save


SAVES = {
    "in place": in_place,
    "truncate, then write": truncate_then_write,
    "atomic rename, hidden temporary (GLib)": _renamed(".goutputstream-{name}"),
    "atomic rename, visible temporary (JetBrains)": _renamed("{name}___jb_tmp___"),
}


class _Turns(logging.Handler):
    """Counts the lines of MkDocs' server loop: one "Detected" and one "Reloading" per turn."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.serving = False
        self.detected = 0
        self.reloaded = 0
        self.changed = threading.Condition()

    def emit(self, record: logging.LogRecord) -> None:
        with self.changed:
            message = record.getMessage()
            # Logged once the watcher has its first picture of the files: changes from then on are seen.
            self.serving |= "Serving on" in message
            self.detected += "Detected file changes" in message
            self.reloaded += "Reloading browsers" in message
            self.changed.notify_all()

    def wait(self, condition: Callable[[], bool], what: str) -> None:
        with self.changed:
            assert self.changed.wait_for(condition, timeout=60), what


def _shows(server: Server, url: str, text: str) -> Callable[[], bool]:
    return lambda: text in fetch(server.base + url)


def _epoch(server: LiveReloadServer) -> str:
    # The live-reload endpoint answers at once with the version browsers are told to show.
    return fetch(f"http://127.0.0.1:{server.server_port}/livereload/0/0")


def test_a_save_straddling_two_polls_is_one_rebuild(tmp_path: Path, busy_core: None) -> None:
    """MkDocs' real server and watcher, the hook's skip, and a builder that records what it read.

    Polling every 1.5 s and building 0.5 s after the last event, the second
    half of each save lands before the build reads, and the next poll sees it:
    without the skip, every save but the in-place one gives two rebuilds.
    """
    root = tmp_path / "p"
    seeds = root / "seeds"
    seeds.mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    seed = seeds / "a.txt"
    seed.write_text("version 0\n", encoding="utf-8")
    read: list[str] = []

    def builder(config: object = None) -> None:
        read.append(seed.read_text(encoding="utf-8"))

    server = LiveReloadServer(
        builder, host="127.0.0.1", port=free_port(), root=str(tmp_path / "site"), polling_interval=1.5
    )
    server.build_delay = 0.5
    config = SimpleNamespace(config_file_path=str(root / "mkdocs.yml"), docs_dir=str(root / "docs"), watch=[])
    config.watch.append(str(seeds))
    server.watch(config.docs_dir)
    server.watch(config.config_file_path)
    server = mkdocs_hooks.on_serve(server, config, builder)
    server.watch(str(seeds))
    skip = server.builder
    assert isinstance(skip, rebuilds.OnePerChange)
    turns = _Turns()
    loop_log = logging.getLogger("mkdocs.livereload")
    level = loop_log.level
    loop_log.setLevel(logging.INFO)
    loop_log.addHandler(turns)
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()

    def seen() -> None:
        before = turns.detected
        turns.wait(lambda: turns.detected > before, "the server to notice the first half of the save")

    def settle() -> None:
        # A hidden file, which no build reads: once seen, everything written before it was.
        before = turns.detected
        (seeds / f".settle-{time.monotonic_ns()}").write_text("", encoding="utf-8")
        turns.wait(lambda: turns.detected > before, "the server to notice the settle file")
        turns.wait(lambda: turns.reloaded >= turns.detected, "the rebuilds to end")

    try:
        turns.wait(lambda: turns.serving, "the server to start watching")
        settle()
        epoch = _epoch(server)
        for n, (how, save) in enumerate(SAVES.items(), start=1):
            builds, skipped = len(read), skip.skipped
            text = f"version {n}: {how}\n"
            save(seed, text, seen)
            settle()
            assert len(read) - builds == 1, (how, read[builds:])
            assert read[-1] == text, how  # the one build read the whole save
            if save is not in_place:  # the straddle happened, and was skipped
                assert skip.skipped > skipped, how
            assert _epoch(server) != epoch, how  # browsers were told to reload, once
            epoch = _epoch(server)
            settle()  # a turn with nothing changed builds nothing and reloads nobody
            assert len(read) - builds == 1 and _epoch(server) == epoch, how
        assert sorted(p.name for p in seeds.iterdir() if not p.name.startswith(".")) == ["a.txt"]
    finally:
        server.shutdown(wait=True)
        thread.join(timeout=30)
        loop_log.removeHandler(turns)
        loop_log.setLevel(level)


def test_the_readme_serve_command_rebuilds_once_per_save_under_load(tmp_path: Path, busy_core: None) -> None:
    """``python -m build_scripts serve`` on the real pages: each way of saving, one rebuild, the page shows it."""
    root = copy_project(tmp_path / "p")
    corpus, _ = pipeline.check(root)
    article = corpus.articles[0]
    page = f"articles/{article.slug}/"
    seed = root / article.text_path
    server = Server(root)
    try:
        server.wait(lambda: article.slug in fetch(server.base + page), "the first build")
        original = seed.read_text(encoding="utf-8")
        for n, (how, save) in enumerate(SAVES.items(), start=1):
            before = server.builds()
            marker = f"MARQUEUR-{n}-{time.monotonic_ns()}"
            # Editors' own timing: no waiting for the server between the two halves of a save.
            save(seed, original + f"\n{marker}\n", lambda: time.sleep(0.02))
            server.wait(_shows(server, page, marker), f"the page after a save {how}")
            server.settle(seed.parent)
            assert server.builds() - before == 1, (how, server.log[-20:])
        assert not any("Traceback" in line or "ERROR" in line for line in server.log), server.log
    finally:
        server.stop()


# --- What counts as an input -------------------------------------------------------------------


def test_only_files_a_build_reads_count_as_changes(tmp_path: Path) -> None:
    """Hidden files, bytecode caches and editors' files in seeds/ change nothing; a seed, a page, a template do."""
    seeds, docs, code = tmp_path / "seeds", tmp_path / "docs", tmp_path / "build_scripts"
    for folder in (seeds, docs, code / "__pycache__"):
        folder.mkdir(parents=True)
    (seeds / "a.txt").write_text("a\n", encoding="utf-8")
    (docs / "index.md").write_text("# a\n", encoding="utf-8")
    watched = [str(seeds), str(docs), str(code)]
    first = rebuilds.take(watched, seeds)
    for ignored in (seeds / "4913", seeds / "a.txt___jb_tmp___", seeds / ".a.txt.swp", docs / ".index.md.swp"):
        ignored.write_text("x", encoding="utf-8")
    (code / "__pycache__" / "m.cpython-311.pyc").write_bytes(b"x")
    assert rebuilds.take(watched, seeds).same_as(first)
    for counted in (seeds / "b.yml", seeds / "c.yaml", seeds / "d e.txt", docs / "notes.md~", code / "t.html"):
        counted.write_text("x", encoding="utf-8")
        assert not rebuilds.take(watched, seeds).same_as(first), counted
        counted.unlink()
    assert rebuilds.take(watched, seeds).same_as(first)


def test_a_same_size_rewrite_within_one_clock_tick_is_a_change(tmp_path: Path) -> None:
    """Size and time can stay equal across two writes; a recent file is then compared by content."""
    seed = tmp_path / "a.txt"
    seed.write_text("aaaa\n", encoding="utf-8")
    stat = seed.stat()
    first = rebuilds.take([str(tmp_path)], tmp_path)
    assert first.digests  # just written: too recent for its time to prove anything
    seed.write_text("bbbb\n", encoding="utf-8")
    os.utime(seed, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert not rebuilds.take([str(tmp_path)], tmp_path).same_as(first)
    old = time.time_ns() - 2 * RACY_NS
    os.utime(seed, ns=(old, old))
    settled = rebuilds.take([str(tmp_path)], tmp_path)
    assert not settled.digests and rebuilds.take([str(tmp_path)], tmp_path).same_as(settled)


@pytest.mark.parametrize("name", ["4913", "a.txt___jb_tmp___", "README", "a.schema.json", ".a.txt.swp", "a.txt.tmp"])
def test_a_file_that_is_no_seed_input_leaves_the_seeds_read_unchanged(tmp_path: Path, name: str) -> None:
    """``is_seed_input`` says what ``read_seeds`` reads or reports: any other file is not looked at."""
    root = copy_project(tmp_path / "p")
    before = load.read_seeds(root)
    assert not load.is_seed_input(name)
    (root / "seeds" / name).write_text("x: [\n", encoding="utf-8")
    assert load.read_seeds(root) == before


@pytest.mark.parametrize("name", ["z.txt", "z.yml", "z.yaml", "z z.txt", "z~"])
def test_a_seed_input_changes_the_seeds_read(tmp_path: Path, name: str) -> None:
    """Each file ``is_seed_input`` accepts is read or reported by ``read_seeds``."""
    root = copy_project(tmp_path / "p")
    before = load.read_seeds(root)
    assert load.is_seed_input(name)
    (root / "seeds" / name).write_text("x: [\n", encoding="utf-8")
    assert load.read_seeds(root) != before
