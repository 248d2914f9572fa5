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

import jinja2
import pytest
import watchdog.observers
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import Files
from watchdog.observers.polling import PollingObserver

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


class _Served:
    """MkDocs' real server, loop and watching, with the hook's ``on_serve``, on a tiny project.

    The builder records what it read of the one seed. ``observer`` is what
    watches: the hook's (``rebuilds.Watcher``), or MkDocs' own polling put back.
    """

    def __init__(self, tmp_path: Path, observer: str) -> None:
        root = tmp_path / "p"
        self.seeds = root / "seeds"
        self.seeds.mkdir(parents=True)
        (root / "docs").mkdir()
        (root / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
        self.seed = self.seeds / "a.txt"
        self.seed.write_text("version 0\n", encoding="utf-8")
        self.read: list[str] = []

        def builder(config: object = None) -> None:
            self.read.append(self.seed.read_text(encoding="utf-8"))

        # Polling every 1.5 s and building 0.5 s after the last event: the second half of a
        # save lands before the build reads, and the next poll sees it.
        server = LiveReloadServer(
            builder, host="127.0.0.1", port=free_port(), root=str(tmp_path / "site"), polling_interval=1.5
        )
        server.build_delay = 0.5
        config = SimpleNamespace(config_file_path=str(root / "mkdocs.yml"), docs_dir=str(root / "docs"), watch=[])
        config.watch.append(str(self.seeds))
        server.watch(config.docs_dir)
        server.watch(config.config_file_path)
        server = mkdocs_hooks.on_serve(server, config, builder)
        assert isinstance(server.observer, rebuilds.Watcher)
        if observer == "polling":
            watched = list(server._watched_paths)
            for path in watched:
                server.unwatch(path)
            server.observer = PollingObserver(timeout=1.5)
            for path in watched:
                server.watch(path)
        server.watch(str(self.seeds))
        self.server = server
        self.skip = server.builder
        assert isinstance(self.skip, rebuilds.OnePerChange)
        self.turns = _Turns()
        self._log = logging.getLogger("mkdocs.livereload")
        self._level = self._log.level
        self._log.setLevel(logging.INFO)
        self._log.addHandler(self.turns)
        self._thread = threading.Thread(target=server.serve, daemon=True)

    def __enter__(self) -> _Served:
        self._thread.start()
        self.turns.wait(lambda: self.turns.serving, "the server to start watching")
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown(wait=True)
        self._thread.join(timeout=30)
        self._log.removeHandler(self.turns)
        self._log.setLevel(self._level)

    def seen_after(self, detected: int) -> Callable[[], None]:
        """What waits until the server noticed a change, once it had noticed ``detected`` ones (before the save:
        the system's events can report the first half of a save before the saver asks)."""
        return lambda: self.turns.wait(
            lambda: self.turns.detected > detected, "the server to notice the first half of the save"
        )

    def settle(self) -> None:
        """Wait until every change written before this call has been seen and acted on; counted, not timed."""
        turns = self.turns
        # A turn under way may still be in its quiet wait: a change now would join it, unseen as a turn.
        turns.wait(lambda: turns.reloaded >= turns.detected, "the turn under way to end")
        # A hidden file, which no build reads: once seen, everything written before it was.
        before = turns.detected
        (self.seeds / f".settle-{time.monotonic_ns()}").write_text("", encoding="utf-8")
        turns.wait(lambda: turns.detected > before, "the server to notice the settle file")
        turns.wait(lambda: turns.reloaded >= turns.detected, "the rebuilds to end")

    def epoch(self) -> str:
        # The live-reload endpoint answers at once with the version browsers are told to show.
        return fetch(f"http://127.0.0.1:{self.server.server_port}/livereload/0/0")


@pytest.mark.parametrize("observer", ["events", "polling"])
def test_a_save_in_two_writes_is_one_rebuild(tmp_path: Path, busy_core: None, observer: str) -> None:
    """Each way of saving gives one build, which read the whole save, and one reload of the browsers.

    Under MkDocs' polling, the second half of each save but the in-place one is
    seen by a later poll and asks for a second rebuild, which the skip drops.
    Under the hook's watcher, a change is seen as it is written.
    """
    with _Served(tmp_path, observer) as served:
        served.settle()
        epoch = served.epoch()
        for n, (how, save) in enumerate(SAVES.items(), start=1):
            builds, skipped = len(served.read), served.skip.skipped
            text = f"version {n}: {how}\n"
            save(served.seed, text, served.seen_after(served.turns.detected))
            served.settle()
            assert len(served.read) - builds == 1, (how, served.read[builds:])
            assert served.read[-1] == text, how  # the one build read the whole save
            if observer == "polling" and save is not in_place:  # the straddle happened, and was skipped
                assert served.skip.skipped > skipped, how
            assert served.epoch() != epoch, how  # browsers were told to reload, once
            epoch = served.epoch()
            served.settle()  # a turn with nothing changed builds nothing and reloads nobody
            assert len(served.read) - builds == 1 and served.epoch() == epoch, how
        assert sorted(p.name for p in served.seeds.iterdir() if not p.name.startswith(".")) == ["a.txt"]


def test_reading_the_sources_asks_for_no_rebuild(tmp_path: Path) -> None:
    """Every build opens and reads the seeds: the system reports it, and the watcher must not pass it on."""
    with _Served(tmp_path, "events") as served:
        served.settle()
        detected = served.turns.detected
        for _ in range(5):
            served.seed.read_text(encoding="utf-8")
        served.settle()
        # The settle file's own turn, and nothing for the reads.
        assert served.turns.detected - detected == 1
        assert not served.read  # the settle files are no input: their turns were skipped, not built


class _Deaf:
    """An observer that starts, or fails to, and never reports anything: a network mount, or no inotify."""

    fails = False

    def schedule(self, handler: object, path: str, recursive: bool = False) -> object:
        return object()

    def unschedule(self, watch: object) -> None:
        pass

    def start(self) -> None:
        if self.fails:
            raise OSError(28, "inotify watch limit reached")

    def stop(self) -> None:
        pass

    def is_alive(self) -> bool:
        return False


@pytest.mark.parametrize("fails", [False, True], ids=["no events", "no inotify"])
def test_a_save_is_seen_without_file_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, fails: bool
) -> None:
    """Where the system sends no file events, the watcher's own poll still sees a save, and only between builds."""
    monkeypatch.setattr(_Deaf, "fails", fails)
    monkeypatch.setattr(watchdog.observers, "Observer", _Deaf)
    with caplog.at_level(logging.WARNING, logger="mkdocs.hooks.press"), _Served(tmp_path, "events") as served:
        watcher = served.server.observer
        assert isinstance(watcher, rebuilds.Watcher)
        assert watcher.interval == (rebuilds.Watcher.FALLBACK_POLL if fails else rebuilds.Watcher.SAFETY_POLL)
        assert any("demi-seconde" in r.getMessage() for r in caplog.records) == fails
        for n in range(1, 3):
            served.seed.write_text(f"version {n}\n", encoding="utf-8")
            served.turns.wait(lambda: len(served.read) >= n, "the poll to see the save")  # noqa: B023
            assert served.read[-1] == f"version {n}\n"
        # Hidden files are no input: the poll asks for nothing (no event would say otherwise here).
        (served.seeds / ".cache").write_text("x", encoding="utf-8")
        reloaded = served.turns.reloaded
        time.sleep(2.5 * watcher.interval)
        assert served.turns.reloaded == reloaded and served.turns.detected == reloaded


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


def test_the_poll_asks_once_for_each_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``stale`` says "yes" once per state of the inputs, never during a build, and not for a picture a
    build that began meanwhile made old: any of those would be one more turn of the server's loop."""
    seed = tmp_path / "a.txt"
    seed.write_text("version 0\n", encoding="utf-8")
    built: list[str] = []
    skip = rebuilds.OnePerChange(
        SimpleNamespace(), lambda config=None: built.append(seed.read_text(encoding="utf-8")), [str(tmp_path)], tmp_path
    )
    assert not skip.stale()
    seed.write_text("version 1\n", encoding="utf-8")
    assert skip.stale()
    assert not skip.stale()  # the same state, already told: the server's build is on its way
    skip()
    assert built == ["version 1\n"] and not skip.stale()
    # A build begins while the poll lists the inputs, and takes a later state than the poll's.
    taken = rebuilds.take

    def build_meanwhile(paths: list[str], seeds: Path) -> rebuilds.Inputs:
        listed = taken(paths, seeds)
        monkeypatch.setattr(rebuilds, "take", taken)  # the build's own picture is taken as usual
        seed.write_text("version 3\n", encoding="utf-8")
        skip()
        return listed

    seed.write_text("version 2\n", encoding="utf-8")
    monkeypatch.setattr(rebuilds, "take", build_meanwhile)
    assert not skip.stale()
    assert built[-1] == "version 3\n" and not skip.stale()
    # Nothing answers "yes" while a build runs: the build's own picture is the newer one.
    answers: list[bool] = []
    skip._builder = lambda config=None: answers.append(skip.stale())
    seed.write_text("version 4\n", encoding="utf-8")
    skip()
    assert answers == [False]


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


# --- The theme's files, listed once per process under serve ---------------------------------------


def _theme_files(root: Path, listing: bool) -> list[tuple[str, str]]:
    """What MkDocs' own ``add_files_from_theme`` adds for ``root``'s configuration, with or without the listing."""
    config = load_config(str(root / "mkdocs.yml"))
    if listing:
        rebuilds.list_theme_once(config)
    files = Files([])
    files.add_files_from_theme(config.theme.get_env(), config)
    return [(f.src_uri, f.abs_src_path or "") for f in files]


def test_the_theme_listing_adds_the_files_mkdocs_adds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same static files as MkDocs' own listing, every rebuild; a file the project adds to its theme
    folder (overrides/) or removes from it is seen at the next one; the installed theme is listed once."""
    root = copy_project(tmp_path / "p")
    rebuilds.THEME_LISTING.clear()
    walked: list[str] = []
    original = jinja2.FileSystemLoader.list_templates

    def counted(self: jinja2.FileSystemLoader) -> list[str]:
        walked.extend(self.searchpath)
        return original(self)

    monkeypatch.setattr(jinja2.FileSystemLoader, "list_templates", counted)
    expected = _theme_files(root, listing=False)
    assert any(path.startswith("assets/javascripts/") for path, _ in expected)  # Material's own files
    walked.clear()
    for _ in range(2):
        assert _theme_files(root, listing=True) == expected
    overrides = str((root / "overrides").resolve())
    installed = [p for p in walked if p != overrides]
    assert installed and len(installed) == len(set(installed))  # each installed folder walked once
    assert walked.count(overrides) == 2  # the project's own folder, at every rebuild
    added = root / "overrides" / "assets" / "ajout.js"
    added.parent.mkdir(parents=True, exist_ok=True)
    added.write_text("// ajouté\n", encoding="utf-8")
    with_added = _theme_files(root, listing=False)
    assert ("assets/ajout.js", str(added)) in with_added
    assert _theme_files(root, listing=True) == with_added
    added.unlink()
    assert _theme_files(root, listing=True) == expected


def test_the_theme_listing_applies_any_other_filter_as_given(tmp_path: Path) -> None:
    """Only MkDocs' filter is remembered: another one, or extensions, get the environment's own answer."""
    root = copy_project(tmp_path / "p")
    config = load_config(str(root / "mkdocs.yml"))
    rebuilds.list_theme_once(config)
    env = config.theme.get_env()
    assert env.list_templates(filter_func=lambda n: n.endswith(".css")) == [
        n for n in jinja2.FileSystemLoader(config.theme.dirs).list_templates() if n.endswith(".css")
    ]
    assert env.list_templates(extensions=["html"]) == [
        n for n in jinja2.FileSystemLoader(config.theme.dirs).list_templates() if n.endswith(".html")
    ]
