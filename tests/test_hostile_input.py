"""Issue 6, bad input: each case stops the build with one line per problem, naming
the file (and line), with no traceback, and leaves the previous site/ as it was.

Each case is a golden pair in tests/golden/errors/: ``<case>.yml`` says what to
write over a small valid seeds directory, ``<case>.txt`` is the exact error
output. ``python -m pytest --update-goldens`` rewrites the .txt files (review
the diff before committing); a case without its .txt fails.
"""

from __future__ import annotations

import re
import shutil
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml

from build_scripts.load import MAX_TEXT_BYTES, read_seeds, read_yaml_file
from tests.helpers import (
    BASE_SEEDS,
    ERROR_CASES,
    EXAMPLE_SEEDS,
    Golden,
    build,
    copy_project,
    parse,
    run_command,
    tree_hash,
    visible_text,
)

GOLDEN = ERROR_CASES
CASES = sorted(p.stem for p in GOLDEN.glob("*.yml"))
# One line per problem, then the closing line.
PROBLEM_LINE = re.compile(r"^seeds/[^:\n]+(:\d+)?: erreur: \S.*$")
CLOSING_LINE = re.compile(r"^Build arrêté : \d+ erreur\(s\)\. Le site précédent n'a pas été modifié\.$")


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project built from the small valid seeds: the "last good site"."""
    root = copy_project(tmp_path_factory.mktemp("good") / "p")
    shutil.rmtree(root / "seeds")
    (root / "seeds").mkdir()
    for name, text in BASE_SEEDS.items():
        (root / "seeds" / name).write_text(text, encoding="utf-8")
    assert build(root) == 0
    return root


def apply_case(root: Path, case: dict[str, Any]) -> None:
    """Write a golden case over the valid seeds of ``root``."""
    seeds = root / "seeds"
    for name in case.get("remove", []):
        (seeds / name).unlink()
    for name, content in (case.get("files") or {}).items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (seeds / name).write_bytes(data)
    for name, size in (case.get("filler") or {}).items():
        (seeds / name).write_bytes(b"x" * size)


def load_case(name: str) -> dict[str, Any]:
    """Read ``<name>.yml`` (PyYAML's full loader is not needed: !!binary is safe)."""
    case: dict[str, Any] = yaml.safe_load((GOLDEN / f"{name}.yml").read_text(encoding="utf-8"))
    return case


@pytest.fixture
def project(good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the good project (with its site/); the working directory is moved
    there so that anything a hostile tag might do lands in the copy."""
    root = tmp_path / "p"
    shutil.copytree(good, root, symlinks=True)
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize("name", CASES)
def test_bad_input_stops_the_build(
    name: str, project: Path, capsys: pytest.CaptureFixture[str], golden: Golden
) -> None:
    apply_case(project, load_case(name))
    before = tree_hash(project / "site")
    capsys.readouterr()
    assert build(project) == 1
    output = capsys.readouterr()
    assert "Traceback" not in output.err + output.out
    lines = output.err.splitlines()
    assert lines and CLOSING_LINE.match(lines[-1]), lines
    problems = [line for line in lines[:-1] if ": avertissement: " not in line]
    assert problems, lines
    for line in problems:
        assert PROBLEM_LINE.match(line), line
    assert len(problems) == len(set(problems)), "one message per problem"
    assert tree_hash(project / "site") == before
    assert not list(project.glob(".site-build-*"))
    assert not (project / "pwned-by-yaml").exists()
    golden.check(f"errors/{name}.txt", output.err)


@pytest.mark.parametrize("name", ["duplicate_key", "not_utf8", "python_tag", "themes_yaml_broken"])
def test_command_line_reports_without_traceback(name: str, project: Path) -> None:
    """The real command, as a maintainer runs it: exit status 1, the same lines."""
    apply_case(project, load_case(name))
    before = tree_hash(project / "site")
    result = run_command(project, "build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr == (GOLDEN / f"{name}.txt").read_text(encoding="utf-8")
    assert tree_hash(project / "site") == before


def test_alias_bomb_is_refused_with_bounded_memory(project: Path) -> None:
    """Nine levels of ten aliases would be 10**9 strings; reading costs a few KiB."""
    apply_case(project, load_case("alias_bomb"))
    tracemalloc.start()
    try:
        doc, problems = read_yaml_file(project / "seeds" / "a.yml", project)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert doc is None and problems
    assert peak < 5 * 1024 * 1024, f"peak {peak} bytes"


def test_huge_file_is_refused_without_reading_it(project: Path) -> None:
    """A 4 GiB (sparse) text is judged on its size, never read into memory."""
    with (project / "seeds" / "a.txt").open("wb") as handle:
        handle.truncate(4 * 1024**3)
    tracemalloc.start()
    try:
        _raw, problems = read_seeds(project)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [p.message for p in problems] == [f"fichier trop gros ({4 * 1024**3} octets ; maximum {MAX_TEXT_BYTES})"]
    assert peak < 5 * 1024 * 1024, f"peak {peak} bytes"


def test_yaml_11_words_and_dates_stay_text(project: Path) -> None:
    """``source: no`` is the text "no", ``title: 2017-02-16`` the text of a date."""
    (project / "seeds" / "a.yml").write_text(
        "date: 2020-01-02\nsource: no\ntitle: 2017-02-16\nauthor: on\nthemes: [otan]\ntags: [yes, 1e3, 0x1F, .inf]\n",
        encoding="utf-8",
    )
    assert build(project) == 0
    pages = list((project / "site" / "articles").glob("*/index.html"))
    assert len(pages) == 1
    root = parse(pages[0])
    assert visible_text(root.xpath("//h1[@id='titre']")[0]) == "2017-02-16"
    assert [visible_text(e) for e in root.xpath("//*[@class='press-source']")] == ["no"]
    assert [visible_text(e) for e in root.xpath("//*[@class='press-author']")] == ["on"]
    assert [visible_text(e) for e in root.xpath("//*[@class='press-tag']")] == ["yes", "1e3", "0x1F", ".inf"]


def test_all_problems_reported_at_once_without_traceback(tmp_path: Path) -> None:
    """Three broken files among the real seeds: each named in one run, and nothing written."""
    root = copy_project(tmp_path / "p")
    seeds = root / "seeds"
    (seeds / "002_d52ef898f5b3b278.yml").write_text("date: 2016-13-01\nsource: x\nthemes: [otan]\n", encoding="utf-8")
    (seeds / "003_9af52fc60d6935b8.yml").write_text("date: [\n", encoding="utf-8")
    (seeds / "orphan.txt").write_text("Titre\nTexte\n", encoding="utf-8")
    run = run_command(root, "build")
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    named = {line.split(":")[0] for line in run.stderr.splitlines() if ": erreur: " in line}
    assert named == {"seeds/002_d52ef898f5b3b278.yml", "seeds/003_9af52fc60d6935b8.yml", "seeds/orphan.txt"}
    assert not (root / "site").exists()
    assert not (root / "docs" / "articles").exists(), "nothing is written when the input is wrong"


def test_build_never_modifies_seeds(built: Path) -> None:
    assert tree_hash(built / "seeds") == tree_hash(EXAMPLE_SEEDS)
