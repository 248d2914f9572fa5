"""Under ``serve``, one saved change gives one rebuild (issue 21), seen as it is saved.

MkDocs' server polls the watched paths every 0.5 s and starts a rebuild once
0.1 s pass without a new event. One save can span two polls: an editor that
truncates the file and then writes it, or that writes a temporary file and
then renames it over the seed. The first poll starts a rebuild, which reads
the whole file by then; the second poll, half a second later, asks for
another rebuild of the same content. The wider the gap between the two
writes of a save, as on a busy machine, the likelier this is: the benchmark
once saw one save of two give two rebuilds.

So a rebuild is skipped when no input changed since the last build began.
The inputs are the files under the watched paths that MkDocs or the
generation reads (``Inputs``), each known by size, time and inode, and by its
content when its time is too recent to prove anything (``memo.is_racy``).
They are taken before each build reads them: a change that lands during a
build is newer than what that build saw, and gets its own rebuild.

MkDocs' polling is also slow to see a save in a large archive: each poll lists
and compares every watched file in Python, 0.35 s of processor time every
half second at 10,000 articles, holding the interpreter's lock the rebuild
needs. ``Watcher`` takes its place: the system's own file events (inotify on
Linux), and, for the file systems that send none (network mounts, some
containers), a cheaper poll of the same inputs every two seconds, never
during a build.
"""

from __future__ import annotations

import logging
import os
import stat as stat_module
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import watchdog.events
import watchdog.observers
from mkdocs.commands.build import build

from build_scripts.load import is_seed_input
from build_scripts.memo import digest, is_racy

log = logging.getLogger("mkdocs.hooks.press")

Stat = tuple[int, int, int]
"""(size, mtime_ns, inode) of a file, or (-1, -1, -1) with its target for a link."""

SKIPPED = "Aucun fichier source n'a changé depuis la dernière construction : rien à reconstruire"


def _skipped_dir(name: str) -> bool:
    # Python's bytecode cache and hidden folders (.git, editors' backups) are never read by the build.
    return name == "__pycache__" or name.startswith(".")


@dataclass(frozen=True)
class Inputs:
    """What identifies the watched files' content at one moment, without reading them all."""

    stats: Mapping[str, tuple[Stat, str]]
    """Each input file's stat (and link target), by path."""
    digests: Mapping[str, str]
    """The digest of each input whose time was too recent to identify its content."""

    def same_as(self, earlier: Inputs) -> bool:
        """Whether no input changed since ``earlier`` was taken; a recent file is compared by content."""
        if self.stats != earlier.stats:
            return False
        for path, known in earlier.digests.items():
            try:
                if digest(Path(path)) != known:
                    return False
            except OSError:
                return False
        return True


def take(paths: Iterable[str], seeds: Path) -> Inputs:
    """The inputs under ``paths`` now: every file but hidden ones and caches; in ``seeds``, only seed files."""
    stats: dict[str, tuple[Stat, str]] = {}
    digests: dict[str, str] = {}
    seeds_dir = os.path.abspath(seeds)

    def record(path: str, stat: os.stat_result) -> None:
        if stat_module.S_ISLNK(stat.st_mode):
            stats[path] = ((-1, -1, -1), os.readlink(path))
            return
        stats[path] = ((stat.st_size, stat.st_mtime_ns, stat.st_ino), "")
        if is_racy(stat.st_mtime_ns):
            try:
                digests[path] = digest(Path(path))
            except OSError:  # removed since it was listed: absent, as it will be for the build
                del stats[path]

    def walk(folder: str) -> None:
        # One lstat per file, through scandir: 20,000 seeds take about 50 ms.
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError:
            return
        flat = folder == seeds_dir  # read flat, and only its seed files (load.read_seeds)
        for entry in listed:
            try:
                if flat:
                    link = entry.is_symlink()
                    if is_seed_input(entry.name, link) and (link or entry.is_file(follow_symlinks=False)):
                        record(entry.path, entry.stat(follow_symlinks=False))
                elif entry.is_dir(follow_symlinks=False):
                    if not _skipped_dir(entry.name):
                        walk(entry.path)
                elif not entry.name.startswith("."):  # MkDocs' default exclude_docs; templates are read by name
                    record(entry.path, entry.stat(follow_symlinks=False))
            except OSError:  # removed since it was listed
                continue

    for path in sorted({os.path.abspath(p) for p in paths}):
        if os.path.isdir(path) and not os.path.islink(path):
            walk(path)
        else:
            try:
                record(path, os.lstat(path))
            except OSError:
                continue
    return Inputs(stats, digests)


class OnePerChange:
    """MkDocs' ``serve`` builder, called only when an input changed since the last build began."""

    def __init__(self, server: Any, builder: Callable[..., None], watched: Iterable[str], seeds: Path) -> None:
        self._server = server
        self._builder = builder
        self._watched = [os.path.abspath(p) for p in watched]
        self._seeds = seeds
        self._last = take(self._paths(), seeds)
        self._building = False
        self._begun = 0
        self._told: Inputs | None = None
        self.skipped = 0
        """Rebuilds asked for with nothing changed (tests count them)."""

    def _paths(self) -> list[str]:
        # What the server actually watches (the theme too under --watch-theme), and what the
        # configuration asks it to: the skip must never hide a path that can ask for a rebuild.
        return [*self._watched, *getattr(self._server, "_watched_paths", {})]

    def __call__(self, config: Any = None) -> None:
        """Build, unless no input changed since the last build began (then the browsers are not reloaded)."""
        # Counted and marked before the inputs are taken: a poll under way then knows its picture may be older.
        self._begun += 1
        self._building = True
        try:
            now = take(self._paths(), self._seeds)
            if config is None and now.same_as(self._last):
                self.skipped += 1
                log.info(SKIPPED)
                # The server reloads the browsers when the epoch it is building differs from the one
                # they show (mkdocs/livereload: _build_loop); nothing was built, so it does not.
                if hasattr(self._server, "_visible_epoch"):
                    self._server._wanted_epoch = self._server._visible_epoch
                return
            self._last = now
            self._builder(config)
        finally:
            self._building = False

    def stale(self) -> bool:
        """Whether an input changed since the last build began, and no earlier answer already said so.

        Asked by ``Watcher``'s poll from its own thread, and answered "no" during a build. Each state
        of the inputs is told once: MkDocs builds ``build_delay`` after the last event, and, when
        that equals the poll's interval, the next poll lands as the build begins, before it took its
        picture, and would ask for a second build of the same state, which the skip would drop after
        one more turn of the server's loop.
        """
        begun = self._begun
        if self._building:
            return False
        now = take(self._paths(), self._seeds)
        if self._building or self._begun != begun:
            return False  # a build began meanwhile: its picture is newer; the next poll compares with it
        if now.same_as(self._last) or (self._told is not None and now.same_as(self._told)):
            return False
        self._told = now
        return True


_WRITES = frozenset(
    {
        watchdog.events.EVENT_TYPE_CREATED,
        watchdog.events.EVENT_TYPE_DELETED,
        watchdog.events.EVENT_TYPE_MODIFIED,
        watchdog.events.EVENT_TYPE_MOVED,
    }
)
"""The events MkDocs' polling reported. Not the opening and closing of a file: every build reads
the seeds, and would ask for the next rebuild."""


class _Writes(watchdog.events.FileSystemEventHandler):
    """Passes on to the server's handler the events that change a file, not those that read one."""

    def __init__(self, handler: Any) -> None:
        self._handler = handler

    def on_any_event(self, event: watchdog.events.FileSystemEvent) -> None:
        if event.event_type in _WRITES:
            self._handler.on_any_event(event)


class Watcher:
    """The server's observer (``LiveReloadServer.observer``): file events as they happen, and a safety poll.

    The system's events tell of a save as soon as it is written. Where none come
    (a network mount, a folder shared with some containers: the reason MkDocs
    polls), the poll still sees it: ``stale`` lists the inputs the way the
    rebuild skip does (50 ms at 10,000 articles), every ``SAFETY_POLL`` seconds,
    between builds only. Should the events be unavailable (no inotify, or its
    limit reached), it polls every half second instead, as MkDocs did.
    """

    SAFETY_POLL = 2.0
    FALLBACK_POLL = 0.5

    def __init__(self, stale: Callable[[], bool]) -> None:
        self._events = watchdog.observers.Observer()
        self._handlers: dict[Any, Any] = {}
        self._stale = stale
        self.interval = self.SAFETY_POLL
        self._stopped = threading.Event()
        self._poller = threading.Thread(target=self._poll, name="press-poll", daemon=True)

    def schedule(self, handler: Any, path: str, recursive: bool = False) -> Any:
        """Watch ``path`` for ``handler``; the returned watch is what ``unschedule`` takes."""
        watch = self._events.schedule(_Writes(handler), path, recursive=recursive)
        self._handlers[watch] = handler
        return watch

    def unschedule(self, watch: Any) -> None:
        """Stop watching what ``schedule`` returned ``watch`` for."""
        self._events.unschedule(watch)
        del self._handlers[watch]

    def start(self) -> None:
        """Start the events and the poll; without events, poll as often as MkDocs did."""
        try:
            self._events.start()
        except OSError as error:
            log.warning(
                "Le système ne signale pas les modifications (%s) : les sources sont relues toutes les demi-secondes",
                error,
            )
            self._events.stop()
            self.interval = self.FALLBACK_POLL
        self._poller.start()

    def stop(self) -> None:
        """Stop watching (the server's shutdown)."""
        self._stopped.set()
        if self._events.is_alive():
            self._events.stop()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the watching threads to end."""
        if self._poller.is_alive():
            self._poller.join(timeout)
        if self._events.is_alive():
            self._events.join(timeout)

    def _poll(self) -> None:
        while not self._stopped.wait(self.interval):
            handlers = list(self._handlers.values())
            if handlers and self._stale():
                # The server's handlers all do the same: ask for a rebuild. One is enough.
                handlers[0].on_any_event(watchdog.events.FileModifiedEvent(""))


def watch_events(server: Any, rebuild: OnePerChange) -> None:
    """Give ``server`` a ``Watcher`` in place of MkDocs' polling observer, before it starts.

    The paths MkDocs already watches are watched again by the new observer;
    those scheduled later (``watch:`` in mkdocs.yml) go to it directly.
    """
    if getattr(server, "observer", None) is None or not hasattr(server, "_watched_paths"):
        return  # not MkDocs 1.6's LiveReloadServer: keep what it has
    watched = dict(server._watched_paths)
    for path, count in watched.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = Watcher(rebuild.stale)
    for path, count in watched.items():
        for _ in range(count):
            server.watch(path)


class DirtyNotice(logging.Filter):
    """Drops MkDocs' warning about dirty builds: the hook rebuilds every page when the navigation changes.

    Left in, it would also stop every rebuild, since the site builds in strict mode.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Whether ``record`` is anything but that warning."""
        return "'dirty' build" not in record.getMessage()


def quiet_dirty_notice() -> None:
    """Install ``DirtyNotice`` once, on the logger that emits the warning (a parent's filter never sees it)."""
    emitter = logging.getLogger("mkdocs.commands.build")
    if not any(isinstance(f, DirtyNotice) for f in emitter.filters):
        emitter.addFilter(DirtyNotice())


# What ``builder`` in mkdocs/commands/serve.py (MkDocs 1.6) closes over.
_BUILDER_CELLS = ("get_config", "is_clean", "is_dirty", "serve_url")


def dirty(builder: Callable[..., None]) -> Callable[..., None]:
    """Plain ``mkdocs serve``'s rebuilds made dirty, as ``python -m build_scripts serve`` runs them (issue 21).

    MkDocs rebuilds every page on each change unless it was started with
    ``--dirty``: 2,600 pages at 1,000 articles, 5 to 8 s. Dirty, only the pages
    whose ``is_modified()`` says so are written again; the hook says so of every
    page whose output changed, and of all of them when the navigation, the
    configuration or the theme changed (``publish.BuiltPages``). The first build
    stays a clean one. MkDocs' ``builder`` is a closure: its configuration
    loader and serving address are read from it. Should a new MkDocs shape it
    otherwise, or ``--clean`` or ``--dirty`` be given, ``builder`` is kept as it is.
    """
    code = getattr(builder, "__code__", None)
    cells = getattr(builder, "__closure__", None)
    if code is None or cells is None or tuple(sorted(code.co_freevars)) != _BUILDER_CELLS:
        return builder
    try:
        closed = {name: cell.cell_contents for name, cell in zip(code.co_freevars, cells, strict=True)}
    except ValueError:  # a cell not filled yet
        return builder
    get_config, serve_url = closed["get_config"], closed["serve_url"]
    if closed["is_clean"] or closed["is_dirty"] or not callable(get_config) or not isinstance(serve_url, str):
        return builder
    quiet_dirty_notice()
    said = logging.getLogger("mkdocs.commands.serve")

    def rebuild(config: Any = None) -> None:
        said.info("Building documentation...")  # MkDocs' own line: the tests and the benchmark count it
        if config is None:
            config = get_config()
            config.site_url = serve_url
        build(config, serve_url=serve_url, dirty=True)

    return rebuild


class CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates, compiled once per process rather than at every rebuild.

    MkDocs makes a new Jinja environment for each build, which compiled
    Material's templates again: a fifth of a second of every rebuild. A
    template is known by its name and checked against its source's digest
    (Jinja's ``Bucket``), so an edited template is compiled anew.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self.compiled = 0
        """Templates compiled so far (tests count them)."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Give ``bucket`` the code kept for its template, if any (Jinja drops it if the source changed)."""
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep the code just compiled for ``bucket``'s template."""
        self.compiled += 1
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        """Forget every template."""
        self._code.clear()


COMPILED = CompiledTemplates()
"""The compiled theme templates of this process (``serve``: see ``mkdocs_hooks.on_env``)."""


class ThemeListing:
    """The theme's files, listed once per process where they are not the project's (``serve``).

    Every build asks the theme's environment for its files, to copy its static
    ones (``Files.add_files_from_theme``): MkDocs walks Material's folders,
    14,500 files with its icons, and matches each name against a dozen
    patterns, about 0.1 s of every rebuild. Folders outside the project (the
    installed theme) do not change while serving; the project's own
    (``overrides/``) are listed every time. MkDocs' filter is known by its code
    and the static templates it excludes; any other is applied as given.
    """

    def __init__(self) -> None:
        self._listed: dict[str, tuple[str, ...]] = {}
        self._kept: dict[tuple[Any, ...], list[str]] = {}

    def names(self, folders: Iterable[str], root: Path) -> tuple[str, ...]:
        """The files under ``folders``, as template names; those outside ``root`` listed once."""
        found: set[str] = set()
        for folder in folders:
            outside = not Path(folder).resolve().is_relative_to(root)
            listed = self._listed.get(folder) if outside else None
            if listed is None:
                listed = tuple(jinja2.FileSystemLoader(folder).list_templates())
                if outside:
                    self._listed[folder] = listed
            found.update(listed)
        return tuple(sorted(found))

    def install(self, env: jinja2.Environment, theme: Any, root: Path) -> None:
        """Make ``env.list_templates`` answer from this listing."""
        original = env.list_templates

        def list_templates(extensions: Any = None, filter_func: Callable[[str], bool] | None = None) -> list[str]:
            if extensions is not None or filter_func is None or not hasattr(filter_func, "__code__"):
                return original(extensions, filter_func)
            names = self.names(theme.dirs, root)
            key = (names, filter_func.__code__, tuple(theme.static_templates))
            kept = self._kept.get(key)
            if kept is None:
                self._kept.clear()  # only the latest listing is ever asked again
                kept = self._kept[key] = [name for name in names if filter_func(name)]
            return list(kept)

        env.list_templates = list_templates  # type: ignore[method-assign]

    def clear(self) -> None:
        """Forget every listing."""
        self._listed.clear()
        self._kept.clear()


THEME_LISTING = ThemeListing()
"""The theme's files as this process listed them (``serve``: see ``mkdocs_hooks.on_config``)."""


def list_theme_once(config: Any) -> None:
    """Under ``serve``, the theme's environments list its installed files once per process."""
    theme = config.theme
    root = Path(config.config_file_path).resolve().parent
    get_env = theme.get_env

    def listing_env() -> jinja2.Environment:
        env: jinja2.Environment = get_env()
        THEME_LISTING.install(env, theme, root)
        return env

    theme.get_env = listing_env
