"""Seeds never reach outside ``seeds/`` (issue 13): a symbolic link is refused, never followed.

A link in a pull request (``seeds/x.txt -> /proc/self/environ``) would otherwise
publish what it points at. Each case: one French error line naming the file,
from ``check`` and from ``build`` alike, exit 1, no traceback, nothing opened
through the link, and the previous ``site/`` byte for byte as it was.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from build_scripts import cli, memo
from tests.helpers import copy_project, run_command, tree_hash

ARTICLE = "001_b741aa03098057aa"
SECRET = "SECRET_DU_RUNNER_6f1d"
# A valid metadata file: only its text is missing, so a followed link would publish it.
META = "date: 2017-02-16\nsource: Le Monde\nthemes: [otan]\nslug: {slug}\n"

# --- Spy: every file opened or folder listed under the watched folders -------------------

_WATCHED: list[str] = []
_SEEN: list[tuple[str, str]] = []


NEW_ARGS = ("new", "--title", "Titre", "--date", "2020-01-01", "--source", "X")


def _audit(event: str, args: tuple[object, ...]) -> None:
    if not _WATCHED or event not in ("open", "os.scandir", "os.listdir"):
        return
    path = args[0] if args else None
    if isinstance(path, str | bytes | os.PathLike):
        real = os.path.realpath(os.fsdecode(path))
        if any(real == w or real.startswith(w + os.sep) for w in _WATCHED):
            _SEEN.append((event, real))


sys.addaudithook(_audit)


@pytest.fixture
def watch() -> Iterator[Callable[[Path], list[tuple[str, str]]]]:
    """``watch(folder)``: from now on, record every open and listing under ``folder``."""

    def start(folder: Path) -> list[tuple[str, str]]:
        _WATCHED.append(os.path.realpath(folder))
        return _SEEN

    yield start
    _WATCHED.clear()
    _SEEN.clear()


# --- Projects -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def good_project(built: Path) -> Path:
    """The session's built project (each test works on a copy of it)."""
    return built


def _file_outside(seeds: Path, outside: Path) -> str:
    (outside / "secret.txt").write_text(f"{SECRET}\nPARAGRAPHE {SECRET}\n", encoding="utf-8")
    (seeds / "fuite.txt").symlink_to(outside / "secret.txt")
    (seeds / "fuite.yml").write_text(META.format(slug="fuite"), encoding="utf-8")
    return "seeds/fuite.txt"


def _other_seed(seeds: Path, outside: Path) -> str:
    (seeds / "copie.txt").symlink_to(f"{ARTICLE}.txt")  # relative: stays inside seeds/
    (seeds / "copie.yml").write_text(META.format(slug="copie"), encoding="utf-8")
    return "seeds/copie.txt"


def _linked_directory(seeds: Path, outside: Path) -> str:
    (outside / "a.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    (outside / "a.yml").write_text(META.format(slug="a"), encoding="utf-8")
    (seeds / "dossier").symlink_to(outside, target_is_directory=True)
    return "seeds/dossier"


def _reserved(name: str) -> Callable[[Path, Path], str]:
    def make(seeds: Path, outside: Path) -> str:
        # The target is broken YAML: had it been read, a second error would name it.
        (outside / name).write_text("{{{ " + SECRET + "\n", encoding="utf-8")
        (seeds / name).unlink()
        (seeds / name).symlink_to(outside / name)
        return f"seeds/{name}"

    return make


def _seeds_folder(seeds: Path, outside: Path) -> str:
    shutil.move(seeds, outside / "seeds")
    seeds.symlink_to(outside / "seeds", target_is_directory=True)
    return "seeds"


CASES: dict[str, Callable[[Path, Path], str]] = {
    "link_to_a_file_outside": _file_outside,
    "link_to_another_seed": _other_seed,
    "linked_directory": _linked_directory,
    "themes_yml_linked": _reserved("themes.yml"),
    "aliases_yml_linked": _reserved("aliases.yml"),
    "seeds_folder_linked": _seeds_folder,
}


def _copy(good_project: Path, tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "p"
    shutil.copytree(good_project, root, symlinks=True)
    outside = tmp_path / "dehors"
    outside.mkdir()
    return root, outside


@pytest.mark.parametrize("command", ["check", "build"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_link_is_refused_with_one_line(
    case: str,
    command: str,
    good_project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    watch: Callable[[Path], list[tuple[str, str]]],
) -> None:
    root, outside = _copy(good_project, tmp_path)
    site_before = tree_hash(root / "site")
    named = CASES[case](root / "seeds", outside)
    seen = watch(outside)
    args = ["--root", str(root), command] + (["--quiet"] if command == "build" else [])
    assert cli.main(args) == 1
    out, err = capsys.readouterr()
    errors = [line for line in err.splitlines() if ": erreur: " in line]
    assert len(errors) == 1, err
    assert errors[0].startswith(f"{named}: erreur: ")
    assert "lien symbolique" in errors[0]
    assert SECRET not in out + err and "Traceback" not in err
    assert seen == []  # nothing opened or listed through the link
    assert tree_hash(root / "site") == site_before


def test_spy_sees_a_read_through_a_link(tmp_path: Path, watch: Callable[[Path], list[tuple[str, str]]]) -> None:
    """Control: the spy of the test above does see a read through a link."""
    outside = tmp_path / "dehors"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    (tmp_path / "lien.txt").symlink_to(outside / "secret.txt")
    seen = watch(outside)
    assert (tmp_path / "lien.txt").read_text(encoding="utf-8") == SECRET
    assert [event for event, _ in seen] == ["open"]


def test_issue_case_etc_hostname(good_project: Path, tmp_path: Path) -> None:
    """The case measured in issue 13, as a maintainer runs it: ``seeds/fuite.txt -> /etc/hostname``."""
    root, _outside = _copy(good_project, tmp_path)
    (root / "seeds" / "fuite.txt").symlink_to("/etc/hostname")
    (root / "seeds" / "fuite.yml").write_text(META.format(slug="fuite"), encoding="utf-8")
    site_before = tree_hash(root / "site")
    for command in ("check", "build"):
        run = run_command(root, command)
        assert run.returncode == 1, run.stderr
        assert "Traceback" not in run.stderr
        (line,) = [x for x in run.stderr.splitlines() if ": erreur: " in x]
        assert line.startswith("seeds/fuite.txt: erreur: lien symbolique refusé (vers /etc/hostname)")
    github = run_command(root, "check", "--format", "github")
    assert "::error file=seeds/fuite.txt::lien symbolique refusé" in github.stdout
    assert tree_hash(root / "site") == site_before


def test_hidden_link_is_left_alone(tmp_path: Path, watch: Callable[[Path], list[tuple[str, str]]]) -> None:
    """A hidden entry is never read; Emacs keeps its lock files (``.#name``) as dangling links."""
    root = copy_project(tmp_path / "p")
    outside = tmp_path / "dehors"
    outside.mkdir()
    (root / "seeds" / f".#{ARTICLE}.yml").symlink_to(outside / "absent")
    seen = watch(outside)
    assert cli.main(["--root", str(root), "check"]) == 0
    assert seen == []


def test_new_refuses_a_linked_seeds_folder(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    outside = tmp_path / "dehors"
    outside.mkdir()
    _seeds_folder(root / "seeds", outside)
    before = sorted(os.listdir(outside / "seeds"))
    run = run_command(root, *NEW_ARGS, stdin="Titre\n\nTexte.\n")
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert run.stderr.startswith("seeds: erreur: dossier refusé : lien symbolique vers "), run.stderr
    assert sorted(os.listdir(outside / "seeds")) == before


def test_new_never_writes_through_a_link_at_its_file_name(tmp_path: Path) -> None:
    """A dangling link where ``new`` would write: it picks another name, the target is never created."""
    root = copy_project(tmp_path / "p")
    victim = tmp_path / "victime.txt"
    (root / "seeds" / "2020-01-01-titre.txt").symlink_to(victim)
    run = run_command(root, *NEW_ARGS, stdin="Titre\n\nTexte.\n")
    assert run.returncode == 0, run.stderr
    assert not victim.exists()
    written = [root / line for line in run.stdout.splitlines()]
    assert [p.name for p in written] == ["2020-01-01-titre-2.txt", "2020-01-01-titre-2.yml"]
    assert all(p.is_file() and not p.is_symlink() for p in written)


def test_memo_fingerprint_sees_links_without_following_them(
    tmp_path: Path, watch: Callable[[Path], list[tuple[str, str]]]
) -> None:
    """A new link changes the fingerprint (a remembered good result cannot hide it), and is not read for it."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "a.txt").write_text("a", encoding="utf-8")
    outside = tmp_path / "dehors"
    outside.mkdir()
    (outside / "recent.txt").write_text(SECRET, encoding="utf-8")  # recent: a file would be hashed
    before, direct = memo.dir_fingerprint(folder), memo.dir_fingerprint(outside)
    seen = watch(outside)
    (folder / "b.txt").symlink_to(outside / "recent.txt")
    (folder / "c").symlink_to(outside, target_is_directory=True)
    assert memo.dir_fingerprint(folder) != before
    linked = tmp_path / "linked"
    linked.symlink_to(outside, target_is_directory=True)
    assert memo.dir_fingerprint(linked) != direct
    assert seen == []
