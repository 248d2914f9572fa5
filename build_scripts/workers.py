"""Stage 5 on every core: MkDocs' pages are written by forked processes beside the main one (issue 21).

MkDocs builds its pages one after the other in one interpreter: at 10,000
articles, 20 s of one core. Once MkDocs has read every page and its theme is
ready (``on_env``), a one-off build forks: each worker writes every N-th page
into the same temporary site folder, the main process writes the others and
everything else (theme files, sitemap, 404), then waits for the workers before
the build may end (``on_post_build``).

A page's HTML depends only on the page, the navigation and the configuration,
which the forks share as they were at the fork: the site is the same, byte for
byte, whatever the number of processes (``tests/test_workers.py``). What a
worker logs is replayed by the main process, so that strict mode counts its
warnings; a worker that fails fails the build; a worker whose main process
died stops before its next page, so a killed build leaves no process behind.

``serve`` never forks: its rebuilds write a handful of pages.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import pickle
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import mkdocs.commands.build as mkdocs_build
from mkdocs.exceptions import Abort
from mkdocs.structure.files import InclusionLevel

JOBS: int | None = None
"""Processes writing pages (``python -m build_scripts build --jobs``); ``None``: one per core this process may
use but one, which Pagefind's indexing holds from the first article generated to the last page written."""
MAX_JOBS = 8
"""Beyond this, a worker's share is too small to repay the fork."""
MIN_PAGES_PER_JOB = 100
"""Fewer pages per process than this are written by the main process alone: a worker costs a fork and a
garbage collection."""


def jobs() -> int:
    """How many processes write the pages: ``JOBS``, or the cores this process may run on but one.

    On two cores, a second writer would share Pagefind's core, which indexes
    for longer than MkDocs renders (at 10,000 articles, 40 s of processor time
    against 20 s), and it held 166 MiB more there: each process copies the
    pages of memory it writes (``docs/performance.md``).
    """
    if JOBS is not None:
        return max(1, JOBS)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores - 1, MAX_JOBS))


class _Capture(logging.Handler):
    """What a worker logs, kept to be replayed by the main process."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


@dataclass
class _Worker:
    pid: int
    reader: int
    """The read end of the pipe the worker sends its report through."""


@dataclass
class Workers:
    """The processes writing this build's pages, from the fork to their reports."""

    _workers: list[_Worker] = field(default_factory=list)
    _elsewhere: frozenset[str] = frozenset()
    _original: Callable[..., None] | None = None
    _frozen: bool = False

    def start(self, config: Any, files: Any, nav: Any, env: Any, in_child: Callable[[], None]) -> int:
        """Fork the workers, each writing its share of ``files``' pages; the number of pages left to this process.

        ``in_child`` runs first in each worker (the hook forgets its progress bar there).
        """
        self.stop()
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        count = min(jobs(), max(1, len(doc_files) // MIN_PAGES_PER_JOB))
        if count < 2:
            return len(doc_files)
        shares = [doc_files[k::count] for k in range(count)]
        parent = os.getpid()
        # Until the workers end, no collector walks the objects they share with this process: a walk
        # writes to every object it meets, and each page of memory written in one process is
        # copied for it (two processes at 10,000 articles: 1,179 MiB in all with it, 1,142 without).
        gc.collect()
        gc.freeze()
        self._frozen = True
        try:
            for share in shares[1:]:
                reader, writer = os.pipe()
                pid = os.fork()
                if pid == 0:  # pragma: no cover - runs in the worker, which never returns
                    os.close(reader)
                    _work(share, config, doc_files, nav, env, writer, parent, in_child)
                os.close(writer)
                self._workers.append(_Worker(pid, reader))
        except OSError as error:
            self.stop()
            raise Abort(f"impossible de lancer un processus de rendu : {error}") from None
        self._elsewhere = frozenset(file.src_uri for share in shares[1:] for file in share)
        self._original = mkdocs_build._build_page
        mkdocs_build._build_page = self._build_page  # type: ignore[assignment]
        logging.getLogger("mkdocs.hooks.press").info(f"Pages écrites par {count} processus")
        return len(shares[0])

    def _build_page(self, page: Any, *args: Any, **kwargs: Any) -> None:
        """MkDocs' own, for the pages no worker writes."""
        if page.file.src_uri not in self._elsewhere:
            assert self._original is not None
            self._original(page, *args, **kwargs)

    def finish(self) -> None:
        """Wait for every worker; replay what it logged; ``Abort`` if one failed."""
        failures: list[str] = []
        workers, self._workers = self._workers, []
        self._restore()
        for worker in workers:
            with os.fdopen(worker.reader, "rb") as pipe:
                data = pipe.read()
            _pid, status = os.waitpid(worker.pid, 0)
            report: dict[str, Any] = pickle.loads(data) if data else {}
            for name, level, message in report.get("records", []):
                logging.getLogger(name).log(level, message)
            if report.get("error") or not data or os.waitstatus_to_exitcode(status) != 0:
                failures.append(report.get("error") or f"arrêté (état {os.waitstatus_to_exitcode(status)})")
        if failures:
            raise Abort("un processus d'écriture des pages a échoué : " + " ; ".join(failures))

    def stop(self) -> None:
        """End every worker now (a build that failed or was interrupted)."""
        workers, self._workers = self._workers, []
        self._restore()
        for worker in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
            os.waitpid(worker.pid, 0)
            os.close(worker.reader)

    def _restore(self) -> None:
        if self._frozen:
            gc.unfreeze()
            self._frozen = False
        if self._original is not None:
            mkdocs_build._build_page = self._original  # type: ignore[assignment]
            self._original = None
        self._elsewhere = frozenset()


WORKER_NAME = "press-worker"
"""A worker's process name (``ps``, ``/proc/<pid>/comm``). The benchmark tells workers by it from
a child that has not yet started its program: both run the build's command line."""


def _take_name() -> None:  # pragma: no cover - runs in the worker
    try:
        with open("/proc/self/comm", "w", encoding="ascii") as comm:
            comm.write(WORKER_NAME)
    except OSError:  # not Linux: the name only serves ps and the benchmark
        pass


def _work(
    share: list[Any],
    config: Any,
    doc_files: Any,
    nav: Any,
    env: Any,
    writer: int,
    parent: int,
    in_child: Callable[[], None],
) -> None:  # pragma: no cover - measured through the builds that fork it (tests/test_workers.py)
    """A worker's whole life: write its pages, send its report, exit without running the parent's cleanup."""
    # Only the pipe to the parent and the standard streams stay open: a copy of Pagefind's
    # input would keep it from seeing its end while this process lives.
    os.closerange(3, writer)
    os.closerange(writer + 1, 1 << 16)
    _take_name()
    capture = _Capture()
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in list(logging.root.manager.loggerDict))]
    for logger in loggers:
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.propagate = True
    logging.getLogger().addHandler(capture)
    report: dict[str, Any] = {"records": capture.records, "error": None}
    try:
        in_child()
        build_page = mkdocs_build._build_page
        for file in share:
            if os.getppid() != parent:  # the build was killed: nobody will read these pages
                os._exit(1)
            build_page(file.page, config, doc_files, nav, env, False, excluded=file.inclusion.is_excluded())
    except BaseException as error:  # reported to the parent, which fails the build
        report["error"] = f"{type(error).__name__}: {error}"
    try:
        data = pickle.dumps(report)
        while data:
            data = data[os.write(writer, data) :]
    finally:
        os._exit(0)


WORKERS = Workers()
"""The workers of this process's build."""
