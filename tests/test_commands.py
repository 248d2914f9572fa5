"""The maintainer commands the README names: ``--help`` lists them, ``schema`` rewrites the
contract files, and the benchmark's ``--update-doc`` merges results into a page and a JSON file.

The benchmark itself takes minutes, so ``benchmarks.bench.main`` runs here with a fake
``run`` that returns made-up reports: what is tested is the merging and the table, not the
measures (``tests/test_scale.py::test_bench_smoke`` runs the real thing at a small size).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks import bench
from build_scripts import workers
from tests.helpers import ROOT, run_command


def _readme_commands() -> set[str]:
    """The commands the README shows (``python -m build_scripts <command>``)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return set(re.findall(r"python3? -m build_scripts (\w+)", text))


def test_help_lists_every_command() -> None:
    commands = _readme_commands()
    assert {"build", "check", "new", "schema"} <= commands
    done = run_command(ROOT, "--help")
    assert done.returncode == 0
    listed = re.search(r"\{([a-z,]+)\}", done.stdout)
    assert listed is not None, done.stdout
    assert set(listed.group(1).split(",")) == commands
    for command in commands:
        assert re.search(rf"^\s+{command}\s+\S", done.stdout, re.M), f"{command} has no line of help"
        sub = run_command(ROOT, command, "--help")
        assert sub.returncode == 0 and "usage: python -m build_scripts" in sub.stdout, command


def test_schema_command_rewrites_the_contract_files(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    contributing = tmp_path / "CONTRIBUTING.md"
    committed = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    # Up to date: nothing is written.
    contributing.write_text(committed, encoding="utf-8")
    done = run_command(tmp_path, "schema")
    assert done.returncode == 0 and done.stdout == "", done.stdout + done.stderr
    # A schema file removed and a table emptied: both are written back, exactly as committed.
    (seeds / "article.schema.json").unlink()
    emptied = re.sub(r"(<!-- champs:article -->\n).*?(<!-- /champs:article -->)", r"\1\2", committed, flags=re.S)
    assert emptied != committed
    contributing.write_text(emptied, encoding="utf-8")
    done = run_command(tmp_path, "schema")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["seeds/article.schema.json", "CONTRIBUTING.md"]
    assert (seeds / "article.schema.json").read_bytes() == (ROOT / "seeds" / "article.schema.json").read_bytes()
    assert contributing.read_text(encoding="utf-8") == committed


# --- The benchmark's results -------------------------------------------------------------------


def _report(n: int, value: float) -> dict[str, Any]:
    """A made-up report with every measure of the table: ``value``, or a list where one is shown by its length."""
    report: dict[str, Any] = {"n": n}
    for _label, key, fmt in bench.ROWS:
        try:
            fmt(value)
            report[key] = value
        except TypeError:
            report[key] = ["articles/x.md"] * 3
    return report


DOC = "# Performance\n\nAvant.\n\n<!-- bench:start -->\nancien tableau\n<!-- bench:end -->\n\nAprès.\n"


def test_update_doc_replaces_only_the_table(tmp_path: Path) -> None:
    doc = tmp_path / "performance.md"
    doc.write_text(DOC, encoding="utf-8")
    bench.update_doc(doc, [_report(1000, 3.0), _report(100, 2.0)])
    text = doc.read_text(encoding="utf-8")
    head, table, tail = re.split(r"<!-- bench:start -->\n|\n<!-- bench:end -->", text)
    assert head == "# Performance\n\nAvant.\n\n" and tail == "\n\nAprès.\n"
    lines = table.splitlines()
    assert lines[0] == "| Mesure | N = 100 | N = 1\u202f000 |"  # ordered by N, thousands with a narrow NBSP
    assert lines[1] == "|---|---:|---:|"
    assert len(lines) == 2 + len(bench.ROWS)
    cells = {key: line for (_label, key, _fmt), line in zip(bench.ROWS, lines[2:], strict=True)}
    small, large = _report(100, 2.0), _report(1000, 3.0)
    for label, key, fmt in bench.ROWS:
        assert cells[key] == f"| {label} | {fmt(small[key])} | {fmt(large[key])} |", key
    assert cells["build_s"].endswith("| 2.0 s | 3.0 s |")
    assert "ancien tableau" not in text


def test_a_missing_measure_is_a_dash(tmp_path: Path) -> None:
    partial = _report(20, 1.0)
    label, key, _fmt = bench.ROWS[1]
    del partial[key]
    assert f"| {label} | – |" in bench.table([partial])


def test_main_merges_into_results_and_the_doc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    results = tmp_path / "results.json"
    earlier: dict[str, Any] = {
        "machine": {"cpus": 99},
        "runs": {"100": _report(100, 2.0)},
        "history": {"2025": "gardé"},
    }
    results.write_text(json.dumps(earlier), encoding="utf-8")
    doc = tmp_path / "performance.md"
    doc.write_text(DOC, encoding="utf-8")
    asked: list[int] = []

    def fake_run(n: int, workdir: Path, browser: bool = True, **_options: Any) -> dict[str, Any]:
        asked.append(n)
        return _report(n, 5.0)

    monkeypatch.setattr(bench, "run", fake_run)
    monkeypatch.setattr(bench, "machine", lambda: {"cpus": 2})
    assert bench.main([1000], results, tmp_path / "work", False, doc) == 0
    assert asked == [1000]
    merged = json.loads(results.read_text(encoding="utf-8"))
    assert merged["history"] == {"2025": "gardé"}
    assert merged["machine"] == {"cpus": 2}
    assert sorted(merged["runs"], key=int) == ["100", "1000"]
    assert merged["runs"]["100"] == earlier["runs"]["100"]
    assert merged["runs"]["1000"]["build_s"] == 5.0
    assert "| Mesure | N = 100 | N = 1\u202f000 |" in doc.read_text(encoding="utf-8")


_FORKS = """
import os, subprocess, sys, time
held = bytearray(os.urandom(1)) * (150 * 2**20)  # resident: written, not just reserved
named, name = os.pipe()
if os.fork() == 0:  # a child that never runs another program: it shares all of it
    if sys.argv[1] == "worker":  # named as the build's workers name themselves
        with open("/proc/self/comm", "w") as comm:
            comm.write(sys.argv[2])
    os.write(name, b"x")
    time.sleep(30)
    os._exit(0)
os.read(named, 1)
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])  # a real child
print("ready", flush=True)
time.sleep(30)
"""


@pytest.mark.parametrize("child", ["worker", "not yet a program"])
def test_benchmark_memory_counts_a_forked_child_once(tmp_path: Path, child: str) -> None:
    """The sampler counts memory a worker shares with its parent once, and tells the programs a build
    starts from its workers. A child running the build's command line that is no worker (Python
    starting Pagefind, before it runs) is not counted: it may be using the build's own memory."""
    parent = subprocess.Popen(
        [sys.executable, "-c", _FORKS, child, workers.WORKER_NAME], stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None and parent.stdout.readline() == "ready\n"
        total, programs, forks = bench._tree_rss(parent.pid)
        held = 150 * 2**20
        # The real child (a small interpreter) is a program; a worker shares the 150 MiB: half of
        # them is its share, and all of them are counted once.
        assert 0 < programs < 100 * 2**20
        if child == "worker":
            assert held / 2 <= forks < held / 2 + 50 * 2**20
        else:
            assert forks == 0
        assert held <= total < held + 150 * 2**20
    finally:
        for child in Path(f"/proc/{parent.pid}/task/{parent.pid}/children").read_text().split():
            os.kill(int(child), signal.SIGKILL)
        parent.kill()
        parent.wait()
