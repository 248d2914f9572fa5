"""The base branch's ``seeds/``, read from git into a temporary folder.

The build reads nothing but ``seeds/``; the summary compares two such folders,
so the base's is taken out of git (``git archive``) rather than checked out.
"""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from pathlib import Path

from build_scripts.schema import SEEDS_DIR


class GitError(Exception):
    """Git could not give the base: the message says why, in French."""


def _git(root: Path, *args: str, output: int | None = subprocess.PIPE) -> str:
    try:
        run = subprocess.run(
            ["git", "-C", str(root), *args], stdout=output, stderr=subprocess.PIPE, timeout=300, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GitError(f"git n'a pas pu être lancé : {error}") from None
    if run.returncode != 0:
        detail = run.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} a échoué : {detail[-1] if detail else run.returncode}")
    return run.stdout.decode("utf-8", "replace").strip() if run.stdout is not None else ""


def base_commit(root: Path, base: str) -> str:
    """The commit the branch grew from: the merge base of ``base`` and ``HEAD`` (as GitHub's diff)."""
    if not base or base.startswith("-"):
        raise GitError(f"branche de base invalide : « {base} »")
    try:
        _git(root, "rev-parse", "--git-dir")
    except GitError:
        raise GitError(f"{root} n'est pas un dépôt git : la base ne peut pas y être lue") from None
    try:
        commit = _git(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}")
    except GitError:
        raise GitError(f"branche de base introuvable : « {base} » (git fetch ?)") from None
    try:
        return _git(root, "merge-base", commit, "HEAD")
    except GitError:
        # No common history (a shallow clone): the base itself.
        return commit


def extract_seeds(root: Path, commit: str, dest: Path) -> Path:
    """``<commit>:seeds`` written under ``dest/seeds``; returns ``dest`` (a project root for ``load``)."""
    (dest / SEEDS_DIR).mkdir(parents=True, exist_ok=True)
    if not _git(root, "ls-tree", "--name-only", commit, "--", SEEDS_DIR):
        return dest
    with tempfile.TemporaryFile() as archive:
        _git(root, "archive", "--format=tar", commit, "--", SEEDS_DIR, output=archive.fileno())
        archive.seek(0)
        with tarfile.open(fileobj=archive) as tar:
            # The "data" filter refuses absolute paths, links leaving dest and special files.
            try:
                tar.extractall(dest, filter="data")
            except tarfile.FilterError as error:
                raise GitError(f"{SEEDS_DIR}/ de la base contient un fichier refusé : {error}") from None
    return dest


def changed_outside_seeds(root: Path, commit: str) -> list[str]:
    """Files changed since ``commit`` outside ``seeds/``: tracked (committed or not) and new untracked ones."""
    # -z: without it git quotes a non-ASCII path (« "seeds/\303\251.txt" »), which then seems outside seeds/.
    tracked = _git(root, "diff", "--name-only", "-z", "--no-renames", commit, "--").split("\0")
    untracked = _git(root, "ls-files", "-z", "--others", "--exclude-standard").split("\0")
    return sorted({path for path in tracked + untracked if path and not path.startswith(f"{SEEDS_DIR}/")})
