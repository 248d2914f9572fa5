"""``python -m benchmarks``: how the build and the site scale with the archive (issue 7).

For each N it makes a synthetic corpus of N articles from the real seeds
(``benchmarks/synth.py``), then measures in the same run:

* our full build (``python -m build_scripts build``) against bare MkDocs +
  Material rendering the same articles as plain pages (the floor);
* our generation step alone against just reading the seed files (I/O floor),
  a no-op regeneration, one changed seed, and the ``mkdocs serve`` case (a
  change seen by a process that already generated once);
* peak memory, the size of ``site/``;
* what a reader downloads, in Chromium: a cold visit to the home page, to an
  article, and a cold visit plus a search and its first result.

Each build runs in a child process, timed from outside, with its own peak RSS.
Timings are machine-dependent: they are never asserted by the test suite.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.serve import MKDOCS_SERVE, measure_serve
from benchmarks.synth import make_corpus
from build_scripts import pipeline
from build_scripts.workers import WORKER_NAME
from tests.helpers import CHROMIUM, CHROMIUM_ARGS, ROOT, SUB_PATH, copy_project, serve

# A word of the articles' text, not of the home page: the first result is an article.
SEARCH_QUERY = "hybrides"
# Generic on purpose: Material's search, Pagefind's UI, or any box with a
# search input whose results link to articles.
SEARCH_INPUTS = "input.md-search__input, .pagefind-ui__search-input, input[type=search]"
SEARCH_RESULTS = ".md-search-result__link, .pagefind-ui__result-link, [class*=search] a[href*='articles/']"
SITE = ("https://example.github.io/dossiers-presse/", "Dossiers de presse")

BARE_CONFIG = """site_name: Bare MkDocs
site_url: https://example.github.io/bare/
theme:
  name: material
  language: fr
  font: false
plugins:
  - search:
      lang: fr
nav:
  - index.md
not_in_nav: |
  /articles/
"""


def _resident(pid: int) -> int:
    """Bytes of memory process ``pid`` holds (its resident set; Linux ``/proc``)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return next(int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmRSS"))


def _share(pid: int) -> int:
    """Bytes of memory process ``pid`` holds, a page it shares counted as its share (the proportional set size).

    A worker forked from the build shares its parent's pages until one of them
    writes to a page, so their resident sets added up would count the build
    several times; their shares add up to the memory the machine gives them.
    Reading it walks the process's memory map (33 ms for a 2 GiB process,
    against 0.03 ms for the resident set): it is read only while forks run.
    """
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        return next(int(line.split()[1]) * 1024 for line in rollup.splitlines() if line.startswith("Pss:"))
    except (OSError, StopIteration):
        return _resident(pid)


def _tree_rss(pid: int) -> tuple[int, int, int]:
    """Memory, in bytes, now: of process ``pid`` with all its descendants; of the programs it started
    (Pagefind); of its forks still running its own program (the workers writing pages).

    While forks run, they and ``pid`` are each counted by their share of the pages they share
    (``_share``); otherwise every process by its resident set. A child that runs the build's
    command line but is no worker is about to start a program (Python starts Pagefind with
    ``vfork``): it uses the build's own memory, and counting it would count the build twice
    (3.2 GiB measured for a 2.1 GiB build at 50,000 articles).
    """
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return 0, 0, 0
    programs: list[int] = []
    forks: list[int] = []
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            if current != pid:
                if Path(f"/proc/{current}/cmdline").read_bytes() != command:
                    programs.append(current)
                elif Path(f"/proc/{current}/comm").read_text().strip() == WORKER_NAME:
                    forks.append(current)
                else:
                    continue  # not yet its program: neither its memory nor its children are its own
            for task in os.listdir(f"/proc/{current}/task"):
                pending += [int(child) for child in Path(f"/proc/{current}/task/{task}/children").read_text().split()]
        except (OSError, ValueError):
            continue
    shared = _share if forks else _resident

    def total(pids: list[int], measure: Callable[[int], int]) -> int:
        found = 0
        for one in pids:
            try:
                found += measure(one)
            except (OSError, StopIteration):  # ended since it was listed
                continue
        return found

    of_programs, of_forks = total(programs, _resident), total(forks, shared)
    return total([pid], shared) + of_programs + of_forks, of_programs, of_forks


class _Sampler:
    """The highest memory of a process tree every 20 ms: all processes together, the programs it started,
    its forks."""

    def __init__(self, pid: int) -> None:
        self.peak = 0
        self.programs_peak = 0
        self.forks_peak = 0
        self._pid = pid
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            total, programs, forks = _tree_rss(self._pid)
            self.peak = max(self.peak, total)
            self.programs_peak = max(self.programs_peak, programs)
            self.forks_peak = max(self.forks_peak, forks)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


LAST_TREE_PEAK = 0
"""Peak memory of all the processes of the last ``run_timed`` together (the build and Pagefind)."""
LAST_DESCENDANTS_PEAK = 0
"""Peak memory of the programs the last ``run_timed``'s process started (Pagefind), together."""
LAST_CPU = 0.0
"""Processor seconds (user + system) of the last ``run_timed``'s process and the children it waited for."""
LAST_FORKS_PEAK = 0
"""Peak memory of the last ``run_timed``'s forks (the workers writing pages), together."""


def run_timed(cmd: list[str], cwd: Path) -> tuple[float, int, str]:
    """Run ``cmd``; return (wall seconds, peak RSS in bytes of its largest process, stdout).

    The peak of all its processes together is left in ``LAST_TREE_PEAK``, that of
    the programs it started in ``LAST_DESCENDANTS_PEAK``, that of its forks in ``LAST_FORKS_PEAK``.
    """
    global LAST_TREE_PEAK, LAST_DESCENDANTS_PEAK, LAST_FORKS_PEAK, LAST_CPU
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err)
        sampler = _Sampler(proc.pid)
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        LAST_TREE_PEAK = sampler.stop()
        LAST_DESCENDANTS_PEAK = sampler.programs_peak
        LAST_FORKS_PEAK = sampler.forks_peak
        LAST_CPU = usage.ru_utime + usage.ru_stime
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr[-3000:]}")
    return seconds, usage.ru_maxrss * 1024, stdout


def _child(project: Path, seed: Path) -> dict[str, Any]:
    return _child_command([str(project), *SITE, str(seed)])


def _child_command(args: list[str]) -> dict[str, Any]:
    """``python -m benchmarks.child ARGS``: the JSON line it prints last."""
    _s, _rss, out = run_timed([sys.executable, "-m", "benchmarks.child", *args], ROOT)
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def tree_size(folder: Path) -> tuple[int, int]:
    """(total bytes, number of files) under ``folder``."""
    total = count = 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            total += os.path.getsize(os.path.join(dirpath, name))
            count += 1
    return total, count


def make_bare(project: Path, bare: Path) -> None:
    """The same articles as plain Markdown pages (title + paragraphs) in a bare Material site."""
    corpus, _problems = pipeline.check(project)
    docs = bare / "docs"
    (docs / "articles").mkdir(parents=True)
    (bare / "mkdocs.yml").write_text(BARE_CONFIG, encoding="utf-8")
    (docs / "index.md").write_text("# Accueil\n\nRevue de presse.\n", encoding="utf-8")
    for article in corpus.articles:
        body = "\n\n".join(p.text for p in article.paragraphs)
        (docs / "articles" / f"{article.slug}.md").write_text(f"# {article.title}\n\n{body}\n", encoding="utf-8")


def _gzip_size(site: Path, log: list[tuple[str, int]]) -> int:
    """Bytes on the wire if each response were gzip-compressed, as GitHub Pages does."""
    total = 0
    for path, size in log:
        rel = path.split(f"/{SUB_PATH}/", 1)[-1]
        target = site / rel
        if target.is_dir():
            target = target / "index.html"
        total += len(gzip.compress(target.read_bytes(), 6)) if target.is_file() else size
    return total


def measure_reader(site: Path, article_url: str, browser: Any = None) -> dict[str, Any]:
    """Bytes a reader downloads on cold visits, measured in Chromium (server-side counts).

    ``browser`` is an already launched Playwright browser (the tests' fixture);
    by default Debian's Chromium is launched here.
    """
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return measure_reader(site, article_url, launched)
            finally:
                launched.close()
    result: dict[str, Any] = {}
    visits = (("home", "", False), ("article", article_url, False), ("search", "", True))
    log: list[tuple[str, int]] = []
    with serve(site, record=log) as base:
        for label, url, search in visits:
            log.clear()
            context = browser.new_context()  # a fresh context has an empty cache: a cold visit
            page = context.new_page()
            # At 10,000 articles a whole-index search can take minutes to load.
            page.set_default_timeout(900_000)
            page.goto(base + url, wait_until="networkidle")
            if search:
                box = page.locator(SEARCH_INPUTS).first
                box.click()
                # Real key presses: some search boxes listen to keyup, not input.
                box.press_sequentially(SEARCH_QUERY, delay=50)
                first = page.locator(SEARCH_RESULTS).first
                first.wait_for(state="visible")
                first.click()
                page.wait_for_load_state("networkidle")
                result["search_landed_on"] = page.url.removeprefix(base)
            context.close()
            result[f"{label}_bytes"] = sum(size for _path, size in log)
            result[f"{label}_gzip_bytes"] = _gzip_size(site, log)
            result[f"{label}_requests"] = len(log)
            result[f"{label}_largest"] = max(log, key=lambda item: item[1])[0] if log else None
    return result


def run(
    n: int,
    workdir: Path,
    browser: bool = True,
    with_serve: bool = True,
    seed: int = 2024,
    chromium: Any = None,
    only_build: bool = False,
    pairs: int = 3,
) -> dict[str, Any]:
    """Every measurement at N articles; returns the report as a flat dict."""
    base = workdir / f"n{n}"
    shutil.rmtree(base, ignore_errors=True)
    make_corpus(ROOT, base / "seeds", n, seed)
    project = copy_project(base / "press", seeds=base / "seeds")
    report: dict[str, Any] = {"n": n, "date": dt.date.today().isoformat()}

    # I/O floor: just read every seed file (warm page cache, like the builds below).
    start = time.perf_counter()
    seed_bytes = sum(len(path.read_bytes()) for path in sorted((project / "seeds").iterdir()))
    report["io_floor_s"] = time.perf_counter() - start
    report["seed_bytes"] = seed_bytes

    # Full build, from nothing: our generation, then MkDocs through the hook; and bare MkDocs +
    # Material on the same articles right after it, ``pairs`` times. The machine is shared: the
    # ratio is the median of ratios measured side by side, not of two runs minutes apart.
    bare = base / "bare"
    make_bare(project, bare)
    build_cmd = [sys.executable, "-m", "benchmarks.child", "build", str(project)]
    bare_cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(bare / "mkdocs.yml")]
    builds: list[float] = []
    bares: list[float] = []
    for attempt in range(1 if only_build else pairs):
        build_s, build_rss, out = run_timed(build_cmd, ROOT)
        builds.append(build_s)
        if attempt == 0:  # memory does not vary with the machine's load
            report["build_peak_rss"], report["build_tree_peak_rss"] = build_rss, LAST_TREE_PEAK
            said = json.loads(out.strip().splitlines()[-1])
            report["build_python_peak_rss"] = said["python"]
            report["build_cpu_s"] = said["cpu_main_s"] + said["cpu_children_s"]
            # Sampled, not the children's ``ru_maxrss``: that counts a forked child before it runs
            # Pagefind, which then holds the whole build's memory (1.6 GB at 50,000 articles).
            report["build_pagefind_peak_rss"] = LAST_DESCENDANTS_PEAK
            report["build_workers_peak_rss"] = LAST_FORKS_PEAK
        if not only_build:
            bare_s, report["bare_peak_rss"], _out = run_timed(bare_cmd, bare)
            bares.append(bare_s)
            if attempt == 0:
                report["bare_cpu_s"] = LAST_CPU
    # What the build's processor time allows at best on this machine's cores, and Pagefind's part of it.
    report["cores"] = os.cpu_count() or 1
    report["build_cpu_floor_s"] = report["build_cpu_s"] / report["cores"]
    report["build_s"] = statistics.median(builds)
    report["build_runs_s"] = builds
    report["site_bytes"], report["site_files"] = tree_size(project / "site")
    report["site_bytes_per_article"] = report["site_bytes"] / n
    if only_build:
        return report
    report["pagefind_cpu_s"] = _child_command(["pagefind", str(project)])["pagefind_cpu_s"]
    report["bare_s"] = statistics.median(bares)
    report["bare_runs_s"] = bares
    report["bare_site_bytes"], report["bare_site_files"] = tree_size(bare / "site")
    report["build_ratio"] = statistics.median(b / a for b, a in zip(builds, bares, strict=True))

    # Generation alone, in a fresh process: cold, with nothing changed, one changed seed.
    stems = sorted(p.stem for p in (project / "seeds").glob("*.txt"))
    child = _child(project, project / "seeds" / f"{stems[len(stems) // 2]}.txt")
    report["generation_s"], report["generation_peak_rss"] = child["generation_s"], child["peak_rss"]
    report["pages"] = child["pages"]
    report["noop_s"], report["noop_changed"] = child["noop_s"], len(child["noop_changed"])
    report["one_change_s"], report["one_change_changed"] = child["one_change_s"], child["one_change_changed"]

    # python -m build_scripts serve, then plain mkdocs serve (issue 21): edit-to-preview and rebuilds, counted.
    if with_serve:
        report.update(measure_serve(project))
        report.update(measure_serve(project, MKDOCS_SERVE, "mkdocs_serve"))

    report["generation_vs_io"] = report["generation_s"] / max(report["io_floor_s"], 1e-9)

    if browser:
        corpus, _problems = pipeline.check(project)
        middle = corpus.articles[len(corpus.articles) // 2]
        report.update(measure_reader(project / "site", f"articles/{middle.slug}/", chromium))
    return report


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {"cpus": os.cpu_count(), "cpu": cpu, "ram_gib": round(ram / 2**30, 1), "python": platform.python_version()}


def _mib(value: float) -> str:
    return f"{value / 2**20:.1f} Mio"


def _kib(value: float) -> str:
    return f"{value / 2**10:.0f} Kio"


ROWS: tuple[tuple[str, str, Any], ...] = (
    ("Build complet (génération + MkDocs + Pagefind), médiane", "build_s", lambda v: f"{v:.1f} s"),
    ("MkDocs + Material nu, mêmes articles (ancre), médiane", "bare_s", lambda v: f"{v:.1f} s"),
    ("Rapport build / MkDocs nu, médiane des paires", "build_ratio", lambda v: f"{v:.2f}×"),
    ("Temps processeur du build (tous processus)", "build_cpu_s", lambda v: f"{v:.1f} s"),
    ("  dont Pagefind seul (mesuré à part, mêmes pages)", "pagefind_cpu_s", lambda v: f"{v:.1f} s"),
    ("  plancher : temps processeur / cœurs", "build_cpu_floor_s", lambda v: f"{v:.1f} s"),
    ("Temps processeur de MkDocs nu", "bare_cpu_s", lambda v: f"{v:.1f} s"),
    ("Génération seule (Python, à froid)", "generation_s", lambda v: f"{v:.2f} s"),
    ("Simple lecture des sources (plancher E/S)", "io_floor_s", lambda v: f"{v:.2f} s"),
    ("Régénération sans changement (même processus)", "noop_s", lambda v: f"{v:.3f} s"),
    ("  pages changées", "noop_changed", str),
    ("Une source modifiée (même processus)", "one_change_s", lambda v: f"{v:.2f} s"),
    ("  pages changées", "one_change_changed", lambda v: str(len(v))),
    ("serve : source modifiée → page servie", "serve_edit_s", lambda v: f"{v:.2f} s"),
    ("serve : reconstructions par modification", "serve_rebuilds_per_change", lambda v: f"{v:g}"),
    ("serve : nouvel article → article, dossier, accueil, chronologie", "serve_new_article_s", lambda v: f"{v:.2f} s"),
    ("mkdocs serve simple : source modifiée → page servie", "mkdocs_serve_edit_s", lambda v: f"{v:.2f} s"),
    ("mkdocs serve simple : reconstructions par modification", "mkdocs_serve_rebuilds_per_change", lambda v: f"{v:g}"),
    ("mkdocs serve simple : nouvel article → partout", "mkdocs_serve_new_article_s", lambda v: f"{v:.2f} s"),
    ("Mémoire maximale du build (tous processus ensemble)", "build_tree_peak_rss", _mib),
    ("  dont Python (génération + MkDocs)", "build_python_peak_rss", _mib),
    ("  dont Pagefind (la plus grosse partie de l'index)", "build_pagefind_peak_rss", _mib),
    ("  dont processus d'écriture des pages (leur part propre)", "build_workers_peak_rss", _mib),
    ("Mémoire maximale de MkDocs nu", "bare_peak_rss", _mib),
    ("Mémoire maximale de la génération seule", "generation_peak_rss", _mib),
    ("Taille de site/", "site_bytes", _mib),
    ("  par article", "site_bytes_per_article", lambda v: f"{v / 1000:.1f} ko"),
    ("Fichiers dans site/", "site_files", str),
    ("Accueil, visite à froid", "home_bytes", _kib),
    ("  compressé (gzip)", "home_gzip_bytes", _kib),
    ("Article, visite à froid", "article_bytes", _kib),
    ("  compressé (gzip)", "article_gzip_bytes", _kib),
    ("Accueil + recherche + 1er résultat", "search_bytes", _kib),
    ("  compressé (gzip)", "search_gzip_bytes", _kib),
)

_SHOWN = {key: shown for _label, key, shown in ROWS}
"""How the table shows each figure, by report key."""

GIB = 2**30
# (what, N, report key, limit, goal): issues 11 and 21's targets, judged on each run's own numbers.
TARGETS: tuple[tuple[str, int, str, float, float | None], ...] = (
    ("serve : source modifiée → page servie ≤ 2 s", 1000, "serve_edit_s", 2.0, None),
    ("serve : source modifiée → page servie ≤ 2 s", 10000, "serve_edit_s", 2.0, None),
    ("serve : nouvel article partout ≤ 2 s", 1000, "serve_new_article_s", 2.0, None),
    ("serve : nouvel article partout ≤ 2 s", 10000, "serve_new_article_s", 2.0, None),
    ("mkdocs serve simple : source modifiée → page servie ≤ 2 s", 1000, "mkdocs_serve_edit_s", 2.0, None),
    ("mkdocs serve simple : nouvel article partout ≤ 2 s", 1000, "mkdocs_serve_new_article_s", 2.0, None),
    ("serve : une reconstruction par modification", 1000, "serve_rebuilds_per_change", 1.0, None),
    ("serve : une reconstruction par modification", 10000, "serve_rebuilds_per_change", 1.0, None),
    ("build ≤ 1,2 × MkDocs nu", 1000, "build_ratio", 1.2, None),
    ("build ≤ 1,0 × MkDocs nu", 10000, "build_ratio", 1.0, None),
    ("mémoire maximale du build ≤ 1 Gio (tous processus ensemble)", 10000, "build_tree_peak_rss", 1.0 * GIB, None),
    ("build de 50 000 articles ≤ 150 s", 50000, "build_s", 150.0, None),
    ("mémoire maximale du build ≤ 7 Go (runner GitHub)", 50000, "build_tree_peak_rss", 7e9, None),
    ("octets de site/ par article ≤ 30 ko", 10000, "site_bytes_per_article", 30_000.0, None),
)


def verdicts(reports: list[dict[str, Any]]) -> str:
    """Each target next to the measure of the same run: met, met with its goal, or missed."""
    by_n = {r["n"]: r for r in reports}
    lines = ["| Objectif | N | Mesure | Ancre MkDocs nu | Atteint ? |", "|---|---:|---:|---:|---|"]
    for what, n, key, limit, goal in TARGETS:
        report = by_n.get(n)
        if report is None or key not in report:
            continue
        value = report[key]
        # Preview figures and rebuild counts bare, as the targets state them; the rest as the table shows it.
        shown = f"{value:.2f}" if "serve_" in key else _SHOWN[key](value)
        anchor = f"{report['bare_s']:.1f} s" if "bare_s" in report else "–"
        if key == "build_ratio":
            shown = f"{value:.2f}× ({report['build_s']:.1f} s)"
        verdict = "oui" if value <= limit else "**non**"
        if goal is not None and value <= limit:
            verdict += " (but atteint)" if value <= goal else " (but non atteint)"
        count = f"{n:,}".replace(",", "\u202f")
        lines.append(f"| {what} | {count} | {shown} | {anchor} | {verdict} |")
    return "\n".join(lines)


def table(reports: list[dict[str, Any]]) -> str:
    """The results as a Markdown table, one column per N."""
    reports = sorted(reports, key=lambda r: r["n"])
    lines = ["| Mesure | " + " | ".join(f"N = {r['n']:,}".replace(",", "\u202f") for r in reports) + " |"]
    lines.append("|---|" + "---:|" * len(reports))
    for label, key, fmt in ROWS:
        cells = [fmt(r[key]) if key in r else "–" for r in reports]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _replace(text: str, name: str, body: str) -> str:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    if start not in text:
        return text
    head, rest = text.split(start, 1)
    _old, tail = rest.split(end, 1)
    return f"{head}{start}\n{body}\n{end}{tail}"


def update_doc(doc: Path, reports: list[dict[str, Any]]) -> None:
    """Replace the tables between the ``bench:`` and ``targets:`` markers of ``doc``."""
    text = doc.read_text(encoding="utf-8")
    text = _replace(text, "bench", table(reports))
    text = _replace(text, "targets", verdicts(reports))
    doc.write_text(text, encoding="utf-8")


def main(
    sizes: list[int],
    results: Path,
    workdir: Path | None,
    browser: bool,
    doc: Path | None,
    with_serve: bool = True,
    only_build: bool = False,
    pairs: int = 3,
) -> int:
    """Run the benchmark at each size, merge into ``results`` (JSON), print the tables."""
    saved: dict[str, Any] = json.loads(results.read_text()) if results.exists() else {}
    runs: dict[str, Any] = saved.get("runs", {})
    with tempfile.TemporaryDirectory(prefix="press-bench-") as tmp:
        for n in sizes:
            print(f"bench : N = {n}…", file=sys.stderr, flush=True)
            report = run(
                n, workdir or Path(tmp), browser=browser, with_serve=with_serve, only_build=only_build, pairs=pairs
            )
            runs[str(n)] = report
            results.parent.mkdir(parents=True, exist_ok=True)
            # Other keys (e.g. an earlier series kept for history) are carried over, not dropped.
            merged = {**saved, "machine": machine(), "runs": runs}
            results.write_text(json.dumps(merged, indent=1, ensure_ascii=False) + "\n")
    reports = list(runs.values())
    print(table(reports))
    print(verdicts(reports))
    if doc is not None:
        update_doc(doc, reports)
    return 0
