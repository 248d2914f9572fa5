"""``python -m build_scripts check``: every problem in one run, review warnings, GitHub annotations."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from build_scripts import duplicates
from build_scripts.problems import Problem, github_annotation
from tests.helpers import EXAMPLE_SEEDS, ROOT, copy_project

SEED_STEMS = sorted(p.stem for p in EXAMPLE_SEEDS.glob("*.txt"))
LOCATED = re.compile(r"^(?P<path>seeds/[^:]+)(?::(?P<line>\d+))?: (?P<label>erreur|avertissement): .+$")


def _check(root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "build_scripts", "--root", str(root), "check", *extra],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def _problem_lines(stderr: str) -> list[re.Match[str]]:
    return [m for line in stderr.splitlines() if (m := LOCATED.match(line))]


def test_clean_seeds_pass() -> None:
    """The repository's own seeds/ (the examples or a deployer's articles) pass ``check``."""
    run = _check(ROOT)
    assert run.returncode == 0, run.stderr
    assert "erreur:" not in run.stderr
    assert "Traceback" not in run.stderr


def test_every_broken_file_named_in_one_run(tmp_path: Path) -> None:
    """Five different breakages in five files: all reported, each as file:line: message, exit 1."""
    root = copy_project(tmp_path / "p")
    seeds = root / "seeds"
    breakages: dict[str, Callable[[str], str]] = {
        SEED_STEMS[0]: lambda m: m.replace("source:", "# source:"),
        SEED_STEMS[1]: lambda m: m.replace("date: 2017-02-16", "date: 16/02/2017"),
        SEED_STEMS[2]: lambda m: m + "auteur: Quelqu'un\n",
        SEED_STEMS[3]: lambda m: m.replace("themes: [ukraine,", "themes: [ukrainne,"),
        SEED_STEMS[4]: lambda m: m + 'summary: "jamais fermé\n',
    }
    for stem, breakage in breakages.items():
        path = seeds / f"{stem}.yml"
        path.write_text(breakage(path.read_text(encoding="utf-8")), encoding="utf-8")
    (seeds / "orphelin.txt").write_text("Un texte sans métadonnées\n", encoding="utf-8")
    run = _check(root)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    named = {m["path"] for m in _problem_lines(run.stderr) if m["label"] == "erreur"}
    assert named == {f"seeds/{stem}.yml" for stem in breakages} | {"seeds/orphelin.txt"}
    with_line = {m["path"] for m in _problem_lines(run.stderr) if m["line"]}
    assert {f"seeds/{stem}.yml" for stem in breakages} <= with_line
    assert "« source » manquant" in run.stderr
    assert "vouliez-vous dire « author »" in run.stderr or "champ inconnu « auteur »" in run.stderr
    assert "vouliez-vous dire « ukraine »" in run.stderr


def test_near_duplicate_flagged_with_the_article_it_duplicates(tmp_path: Path) -> None:
    """A seed copied with another title, another date and a few words changed."""
    root = copy_project(tmp_path / "p")
    seeds = root / "seeds"
    original = SEED_STEMS[1]
    lines = (seeds / f"{original}.txt").read_text(encoding="utf-8").splitlines()
    lines[0] = "Un tout autre titre pour le même article"
    body = "\n".join(lines).replace("constamment", "sans cesse").replace("menaces", "dangers", 1)
    (seeds / "copie.txt").write_text(body + "\n", encoding="utf-8")
    meta = (seeds / f"{original}.yml").read_text(encoding="utf-8").replace("2017-02-16", "2017-03-01")
    meta = meta.replace("constamment", "sans cesse")  # its intertitles follow the edited text
    (seeds / "copie.yml").write_text(meta + "title: Un tout autre titre\n", encoding="utf-8")
    run = _check(root)
    assert run.returncode == 0, run.stderr
    warnings = [line for line in run.stderr.splitlines() if line.startswith("seeds/copie.txt")]
    assert len(warnings) == 1
    assert f"seeds/{original}.txt" in warnings[0] and "doublon probable" in warnings[0]
    # Only that pair: the other seeds are not flagged.
    flagged = {line.split(":")[0] for line in run.stderr.splitlines() if "doublon" in line}
    assert flagged == {"seeds/copie.txt", f"seeds/{original}.txt"}


def test_duplicates_unit() -> None:
    """Identical, lightly edited and unrelated texts; short texts are never flagged."""
    texts = {stem: (EXAMPLE_SEEDS / f"{stem}.txt").read_text(encoding="utf-8") for stem in SEED_STEMS}
    assert duplicates.find_duplicates(texts.items()) == []
    edited = texts[SEED_STEMS[0]].replace("coopération", "collaboration", 1)
    found = duplicates.find_duplicates([*texts.items(), ("edited", edited)])
    assert [(d.key, d.other) for d in found] == sorted([("edited", SEED_STEMS[0]), (SEED_STEMS[0], "edited")])
    assert all(d.similarity > 0.8 for d in found)
    assert duplicates.find_duplicates([("a", "Partager"), ("b", "Partager")]) == []


def test_review_warnings(tmp_path: Path) -> None:
    """A person spelled two ways, a theme with no article, a date in the future: warnings, exit 0."""
    root = copy_project(tmp_path / "p")
    seeds = root / "seeds"
    path = seeds / f"{SEED_STEMS[0]}.yml"
    meta = path.read_text(encoding="utf-8")
    meta = meta.replace("people: [Vladimir Poutine,", "people: [vladimir poutine,").replace("2017-05-31", "2999-05-31")
    path.write_text(meta, encoding="utf-8")
    path = seeds / f"{SEED_STEMS[4]}.yml"
    meta = path.read_text(encoding="utf-8")
    path.write_text(meta.replace("organisations: [", "organisations: [Elysée, "), encoding="utf-8")
    with (seeds / "themes.yml").open("a", encoding="utf-8") as themes:
        themes.write("- id: vide\n  title: Vide\n  description: Aucun article.\n  keywords: [rien]\n")
    run = _check(root)
    assert run.returncode == 0, run.stderr
    warnings = [m for m in _problem_lines(run.stderr) if m["label"] == "avertissement"]
    text = "\n".join(m[0] for m in warnings)
    assert re.search(rf"seeds/{SEED_STEMS[0]}\.yml:\d+: .*« vladimir poutine » et « Vladimir Poutine »", text)
    assert re.search(r"« Elysée » et « Élysée »|« Élysée » et « Elysée »", text)
    assert "date dans le futur" in text
    assert "« vide » n'a aucun article" in text


def test_aliases_silence_the_variant_warning(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    seeds = root / "seeds"
    path = seeds / f"{SEED_STEMS[0]}.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("people: [Vladimir Poutine,", "people: [V. Poutine,"),
        encoding="utf-8",
    )
    (seeds / "aliases.yml").write_text("people:\n  Vladimir Poutine: [V. Poutine]\n", encoding="utf-8")
    run = _check(root)
    assert "V. Poutine" not in run.stderr


def test_github_format(tmp_path: Path) -> None:
    """Annotations on stdout, one per problem, with file and line."""
    root = copy_project(tmp_path / "p")
    path = root / "seeds" / f"{SEED_STEMS[1]}.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("source:", "# source:"), encoding="utf-8")
    run = _check(root, "--format", "github")
    assert run.returncode == 1
    errors = [line for line in run.stdout.splitlines() if line.startswith("::error ")]
    assert errors and all(re.match(r"^::error file=seeds/[^,:]+(,line=\d+)?::\S", line) for line in errors)
    assert any(f"file=seeds/{SEED_STEMS[1]}.yml,line=" in line for line in errors)


def test_github_annotation_escaping() -> None:
    """%, CR and LF are escaped in the message; : and , too in properties."""
    problem = Problem("seeds/a,b:c.yml", 3, "100 % faux\r\nligne 2")
    assert github_annotation(problem) == "::error file=seeds/a%2Cb%3Ac.yml,line=3::100 %25 faux%0D%0Aligne 2"
    assert github_annotation(Problem("seeds/x.yml", None, "m", "warning")) == "::warning file=seeds/x.yml::m"


def test_check_help_and_usage_errors_without_traceback() -> None:
    for args in (["check", "--help"], ["check", "--format", "xml"], ["frobnicate"], []):
        run = subprocess.run(
            [sys.executable, "-m", "build_scripts", *args], capture_output=True, text=True, cwd=ROOT, timeout=60
        )
        assert "Traceback" not in run.stderr
        assert run.returncode == (0 if "--help" in args else 2)
