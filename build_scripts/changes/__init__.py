"""``python -m build_scripts changes --base main``: what a branch changes, for the person who reviews it.

For each article added, changed or removed against the base branch: its title,
date, outlet and dossiers, the names it alone brings to the indexes (a typo
shows up there, beside the known name it nearly spells), what ``check`` says of
its files, the closest text already in the corpus, and where its pages are in
the preview. The pull-request workflow writes it to the job summary.

``base`` reads the base's seeds out of git, ``compare`` finds the changes,
``summary`` writes them; ``preview`` knows the preview artifact.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from build_scripts.changes.base import GitError, base_commit, changed_outside_seeds, extract_seeds
from build_scripts.changes.compare import Change, Side, find_changes
from build_scripts.changes.preview import README, readme
from build_scripts.changes.summary import render
from build_scripts.load import RESERVED
from build_scripts.pipeline import load_and_validate
from build_scripts.review import mentions, variant_warnings
from build_scripts.schema import SEEDS_DIR

__all__ = ["README", "Change", "GitError", "read_side", "readme", "summarize"]


def _files(seeds: Path) -> dict[str, bytes]:
    """The seeds' files by name: articles (``.txt``, ``.yml``) and the reserved files."""
    if not seeds.is_dir():
        return {}
    return {
        path.name: path.read_bytes()
        for path in sorted(seeds.iterdir())
        if path.suffix in (".txt", ".yml") and path.is_file() and not path.is_symlink()
    }


def read_side(root: Path) -> Side:
    """``root/seeds`` read and validated as ``check`` does (duplicates apart: ``compare`` finds them)."""
    raw, corpus, problems = load_and_validate(root)
    problems += variant_warnings(mentions(raw.metas), corpus)
    files = {name: data for name, data in _files(root / SEEDS_DIR).items() if name not in RESERVED}
    return Side(files, raw, corpus, tuple(sorted(problems)))


def summarize(root: Path, base: str, preview_name: str | None = None) -> str:
    """The Markdown summary of the working tree's ``seeds/`` against ``base``; ``GitError`` if git cannot say."""
    root = root.resolve()
    commit = base_commit(root, base)
    with tempfile.TemporaryDirectory(prefix="base-seeds-") as folder:
        old_root = extract_seeds(root, commit, Path(folder))
        before = read_side(old_root)
        old_reserved = {n: d for n, d in _files(old_root / SEEDS_DIR).items() if n in RESERVED}
    after = read_side(root)
    new_reserved = {n: d for n, d in _files(root / SEEDS_DIR).items() if n in RESERVED}
    names = set(old_reserved) | set(new_reserved)
    other = sorted(f"{SEEDS_DIR}/{n}" for n in names if old_reserved.get(n) != new_reserved.get(n))
    changes = find_changes(before, after)
    outside = changed_outside_seeds(root, commit)
    return render(changes, after.corpus.themes, (base, commit), other + outside, preview_name)
