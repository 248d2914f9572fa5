"""The pages written by several processes (issue 21, ``build_scripts/workers.py``): the same site, byte for
byte; a worker's warnings and failures stop a strict build; a killed build leaves no process behind."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from build_scripts import workers
from tests.helpers import ROOT, copy_project, tree_hash
from tests.hostile import write_seeds
from tests.test_reproducible import _many_articles, _temporary_site_has_pages

# Enough articles for three processes to share the pages (``workers.MIN_PAGES_PER_JOB`` each).
COUNT = 300
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}

# A second hook that speaks from whichever process writes the page: it says so in a warning, or fails
# in a worker only (its main process is the one that read the configuration).
_PROBE = """
import logging, os
log = logging.getLogger("mkdocs.hooks.probe")
MAIN = None
def on_config(config):
    global MAIN
    MAIN = os.getpid()
    return config
def on_post_page(output, page, config):
    if page.file.src_uri.startswith("articles/"):
        if os.environ.get("PROBE") == "warn":
            log.warning("sonde : %s écrite par le processus %d", page.file.src_uri, os.getpid())
        elif os.environ.get("PROBE") == "fail" and os.getpid() != MAIN:
            raise RuntimeError("sonde : échec voulu dans un processus d'écriture")
    return output
"""


def _project(tmp_path: Path, probe: bool = False) -> Path:
    root = copy_project(tmp_path / "p")
    write_seeds(root / "seeds", _many_articles(COUNT))
    if probe:
        (root / "probe_hook.py").write_text(_PROBE, encoding="utf-8")
        config = root / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("hooks:\n", "hooks:\n  - probe_hook.py\n", 1), encoding="utf-8")
    return root


def _build(root: Path, *extra: str, **env: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "build_scripts", "--root", str(root), "build", *extra]
    return subprocess.run(
        command, cwd=ROOT, env={**os.environ, **EPOCH, **env}, capture_output=True, text=True, timeout=600
    )


def test_the_site_is_the_same_whatever_the_number_of_processes(tmp_path: Path) -> None:
    """One process, two and three: the same files, byte for byte; the forks did write pages."""
    root = _project(tmp_path)
    sites = {}
    for jobs in (1, 2, 3):
        site = tmp_path / f"site-{jobs}"
        done = _build(root, "--jobs", str(jobs), "--site-dir", str(site))
        assert done.returncode == 0, done.stderr
        said = re.findall(r"Pages écrites par (\d+) processus", done.stderr)
        assert said == ([] if jobs == 1 else [str(jobs)]), done.stderr
        sites[jobs] = tree_hash(site)
    pages = [path for path in sites[1] if path.startswith("articles/") and path.endswith("index.html")]
    assert len(pages) == COUNT
    assert sites[2] == sites[1]
    assert sites[3] == sites[1]


def test_a_worker_s_warnings_stop_a_strict_build(tmp_path: Path) -> None:
    """Every article page warns: the workers' warnings are replayed and counted, and the site is left alone."""
    root = _project(tmp_path, probe=True)
    done = _build(root, "--jobs", "2", PROBE="warn")
    assert done.returncode == 1
    written = re.findall(r"sonde : (articles/\S+) écrite par le processus (\d+)", done.stderr)
    assert sorted(page for page, _pid in written) == sorted(f"articles/k-{n}.md" for n in range(COUNT))
    assert len({pid for _page, pid in written}) == 2, "the pages were written by two processes"
    assert f"Aborted with {COUNT} warnings in strict mode" in done.stderr
    assert "Le site précédent n'a pas été modifié" in done.stderr
    assert not (root / "site").exists()


def test_a_failing_worker_fails_the_build(tmp_path: Path) -> None:
    """A page that fails in a worker fails the build in one line, and the site before it stays."""
    root = _project(tmp_path, probe=True)
    assert _build(root, "--jobs", "1", "--quiet", PROBE="fail").returncode == 0  # the main process never fails
    before = tree_hash(root / "site")
    done = _build(root, "--jobs", "2", "--quiet", PROBE="fail")
    assert done.returncode == 1
    assert "un processus d'écriture des pages a échoué : RuntimeError: sonde" in done.stderr
    assert "Traceback" not in done.stderr
    assert tree_hash(root / "site") == before
    assert not list(root.glob(".site-build-*")) and not list(root.glob(".site-index-*"))


def test_a_broken_link_still_stops_a_build_with_workers(tmp_path: Path) -> None:
    """Strict mode with workers: a hand-written page's broken link stops the build, the site before it stays."""
    root = _project(tmp_path)
    assert _build(root, "--jobs", "2", "--quiet").returncode == 0
    before = tree_hash(root / "site")
    (root / "docs" / "lien-casse.md").write_text("# Lien\n\n[absent](absente.md)\n", encoding="utf-8")
    done = _build(root, "--jobs", "2")
    assert done.returncode == 1
    assert "Pages écrites par 2 processus" in done.stderr  # the build went as far as its workers
    assert "absente.md" in done.stderr
    assert tree_hash(root / "site") == before


def _session(leader: int) -> list[int]:
    """The processes still running in the session ``leader`` began (zombies are ended already)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == leader and fields[0] != "Z":  # fields: state, ppid, pgrp, session
                found.append(int(entry.name))
    return found


def _workers_of(pid: int) -> list[int]:
    """The workers of ``pid``: its children by the name they take (what the benchmark tells them by)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    forks = []
    for child in children:
        try:
            if Path(f"/proc/{child}/comm").read_text().strip() == workers.WORKER_NAME:
                forks.append(int(child))
        except OSError:
            continue
    return forks


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads Linux's /proc")
def test_a_build_killed_while_workers_write_leaves_no_process(tmp_path: Path) -> None:
    """SIGKILL while the workers write pages: no process of the build survives, the site is the one before,
    and the next build clears what the killed one left."""
    root = _project(tmp_path)
    assert _build(root, "--jobs", "2", "--quiet").returncode == 0
    before = tree_hash(root / "site")
    (root / "seeds" / "k0000.txt").write_text("Article modifié\n\nUn autre texte.\n", encoding="utf-8")
    command = [sys.executable, "-m", "build_scripts", "--root", str(root), "build", "--jobs", "2", "--quiet"]
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **EPOCH}, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and process.poll() is None:
            if _workers_of(process.pid) and _temporary_site_has_pages(root):
                break
            time.sleep(0.002)
        assert process.poll() is None, "the build ended before its workers were seen"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        deadline = time.monotonic() + 30
        while _session(process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _session(process.pid) == [], "a process of the killed build is still running"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert tree_hash(root / "site") == before
    assert _build(root, "--jobs", "2", "--quiet").returncode == 0
    assert "Article modifié" in (root / "site" / "articles" / "k-0" / "index.html").read_text(encoding="utf-8")
    assert not list(root.glob(".site-build-*")) and not list(root.glob(".site-index-*"))


def test_jobs_defaults_to_the_cores_pagefind_leaves(monkeypatch: pytest.MonkeyPatch) -> None:
    """``--jobs`` wins; without it, one process per core but Pagefind's, at most ``MAX_JOBS``, at least one."""
    monkeypatch.setattr(workers, "JOBS", None)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(64)))
    assert workers.jobs() == workers.MAX_JOBS
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3})
    assert workers.jobs() == 3
    for cores in ({0, 1}, {0}):
        monkeypatch.setattr(os, "sched_getaffinity", lambda _pid, cores=cores: cores)
        assert workers.jobs() == 1
    monkeypatch.setattr(workers, "JOBS", 2)
    assert workers.jobs() == 2
