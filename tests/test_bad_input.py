"""Bad input stops the build with one line per problem, no traceback, and the previous site intact."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import ROOT, build, copy_project

ARTICLE = "001_b741aa03098057aa"


def _tree_hash(path: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(file.relative_to(path).as_posix().encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def good_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("good") / "p")
    assert build(root) == 0
    return root


def _edit(root: Path, name: str, transform: str | None) -> None:
    path = root / "seeds" / name
    if transform is None:
        path.unlink()
    else:
        path.write_text(transform, encoding="utf-8")


def _meta(root: Path) -> str:
    return (root / "seeds" / f"{ARTICLE}.yml").read_text(encoding="utf-8")


CASES: dict[str, tuple[str, Callable[[str], str] | None, str]] = {
    "invalid_yaml": (f"{ARTICLE}.yml", lambda m: m + 'author: "jamais fermé\n', "guillemet"),
    "missing_source": (f"{ARTICLE}.yml", lambda m: m.replace("source:", "# source:"), "« source » manquant"),
    "impossible_date": (f"{ARTICLE}.yml", lambda m: m.replace("2017-02-16", "2017-02-30"), "n'existe pas"),
    "unknown_theme": (f"{ARTICLE}.yml", lambda m: m.replace("[otan,", "[otn,"), "dossier inconnu « otn »"),
    "url_not_http": (f"{ARTICLE}.yml", lambda m: m + "url: javascript:alert(1)\n", "http:// ou https://"),
    "text_without_yaml": (f"{ARTICLE}.yml", None, "texte sans métadonnées"),
    "yaml_without_text": (f"{ARTICLE}.txt", None, "métadonnées sans texte"),
    "same_url": (
        f"{ARTICLE}.yml",
        lambda m: m + "slug: 2016-12-01-vladimir-poutine-tend-la-main-a-donald-trump\n",
        "même adresse",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_reported_and_site_kept(
    case: str, good_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "p"
    shutil.copytree(good_project, root, symlinks=True)
    before = _tree_hash(root / "site")
    name, transform, fragment = CASES[case]
    _edit(root, name, transform(_meta(root)) if transform else None)
    assert build(root) == 1
    err = capsys.readouterr().err
    problem_lines = [line for line in err.splitlines() if ": erreur: " in line]
    assert len(problem_lines) == 1, err
    assert problem_lines[0].startswith("seeds/")
    assert f"seeds/{ARTICLE}." in problem_lines[0]  # the file is named (for a clash, both are)
    assert fragment in problem_lines[0]
    assert _tree_hash(root / "site") == before


def test_all_problems_reported_at_once_without_traceback(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    seeds = root / "seeds"
    (seeds / "002_d52ef898f5b3b278.yml").write_text("date: 2016-13-01\nsource: x\nthemes: [otan]\n", encoding="utf-8")
    (seeds / "003_9af52fc60d6935b8.yml").write_text("date: [\n", encoding="utf-8")
    (seeds / "orphan.txt").write_text("Titre\nTexte\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "build_scripts", "--root", str(root), "build"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    named = {line.split(":")[0] for line in run.stderr.splitlines() if ": erreur: " in line}
    assert named == {"seeds/002_d52ef898f5b3b278.yml", "seeds/003_9af52fc60d6935b8.yml", "seeds/orphan.txt"}
    assert not (root / "site").exists()
    assert not (root / "docs" / "articles").exists(), "nothing is written when the input is wrong"


def test_build_never_modifies_seeds(good_project: Path) -> None:
    for seed in (good_project / "seeds").iterdir():
        assert seed.read_bytes() == (ROOT / "seeds" / seed.name).read_bytes()
