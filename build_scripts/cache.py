"""Build cache: skip work whose inputs have not changed (issue 7).

Two levels, both keyed by fingerprints, never by time alone:

* in the process: ``python -m build_scripts build`` validates the seeds, then
  the MkDocs hook generates ``docs/``; ``mkdocs serve`` regenerates on every
  change. The second look at unchanged seeds reuses the first one's result.
* on disk, in ``.cache/`` (gitignored): a no-op rebuild in a new process only
  stats the seeds and the generated pages instead of reading and rendering them.

A fingerprint covers every seed's (name, size, mtime_ns) (and its content
when it changed in the last two seconds), the generator's own
code and templates, and the library versions that shape the output. Deleting
``.cache/`` is always safe.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from functools import cache
from pathlib import Path
from typing import Any

CACHE_DIR = ".cache"
CACHE_VERSION = 1
_PACKAGE = Path(__file__).resolve().parent


@cache
def code_fingerprint() -> str:
    """Digest of the generator's sources, templates and the libraries that shape its output."""
    import babel
    import jinja2
    import markdown
    import yaml

    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((CACHE_VERSION, babel.__version__, jinja2.__version__, yaml.__version__)).encode())
    digest.update(repr(getattr(markdown, "__version__", "")).encode())
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in (".py", ".j2") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(_PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


# File times come from a coarse kernel clock (a few milliseconds): a file
# rewritten twice within one tick, at the same size, keeps the same (size,
# mtime). Like git's "racily clean" entries, a file changed this recently is
# also identified by its content.
RACY_NS = 2_000_000_000


def is_racy(mtime_ns: int) -> bool:
    """Whether a file time is too recent to prove that the content did not change since."""
    return time.time_ns() - mtime_ns < RACY_NS


def dir_fingerprint(folder: Path) -> tuple[tuple[str, int, int, str], ...]:
    """(name, size, mtime_ns, digest of recent files) of every file directly in ``folder``, by name."""
    found: list[tuple[str, int, int, str]] = []
    # A link is never followed, not even to fingerprint it: load.py refuses it
    # (issue 13), and the link itself (its target) is what identifies it.
    if folder.is_symlink():
        return (("", -1, -1, os.readlink(folder)),)
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_symlink():
                    found.append((entry.name, -1, -1, os.readlink(entry.path)))
                elif entry.is_file():
                    stat = entry.stat()
                    digest = ""
                    if is_racy(stat.st_mtime_ns):
                        digest = hashlib.blake2b(Path(entry.path).read_bytes(), digest_size=16).hexdigest()
                    found.append((entry.name, stat.st_size, stat.st_mtime_ns, digest))
    except FileNotFoundError:
        return ()
    return tuple(sorted(found))


def file_stats(base: Path, rels: list[str]) -> dict[str, tuple[int, int]] | None:
    """(size, mtime_ns) of each file under ``base``; ``None`` if one is missing."""
    stats: dict[str, tuple[int, int]] = {}
    for rel in rels:
        try:
            stat = os.stat(base / rel)
        except OSError:
            return None
        stats[rel] = (stat.st_size, stat.st_mtime_ns)
    return stats


def _path(root: Path, name: str) -> Path:
    return root / CACHE_DIR / f"{name}.pickle"


def load(root: Path, name: str, key: Any) -> Any:
    """The value saved under ``name`` if it was saved with the same ``key``, else ``None``."""
    try:
        with _path(root, name).open("rb") as handle:
            saved_key = pickle.load(handle)
            if saved_key != key:
                return None
            return pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        # A missing, truncated or outdated cache only costs a full generation.
        return None


def save(root: Path, name: str, key: Any, value: Any) -> None:
    """Save ``value`` under ``name``; a cache that cannot be written is skipped silently."""
    target = _path(root, name)
    try:
        target.parent.mkdir(exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump(key, handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    except OSError:
        pass
