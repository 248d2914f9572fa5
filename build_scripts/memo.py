"""The memo of the pipeline: the last generation of this process, under the fingerprint of its inputs.

``python -m build_scripts build`` generates, then MkDocs' hook asks again: the
hook gets the same result without reading a seed. ``mkdocs serve`` asks on
every rebuild: a change to a seed or a template makes a new generation.
Nothing is kept on disk, so nothing can go stale between runs.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Any

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


class Memo:
    """The last result per key owner (a project root), valid while its key is unchanged."""

    def __init__(self) -> None:
        self._entries: dict[Any, tuple[Any, Any]] = {}

    def recall(self, owner: Any, key: Any) -> Any:
        """The result kept for ``owner`` under ``key``, or ``None``."""
        entry = self._entries.get(owner)
        return entry[1] if entry is not None and entry[0] == key else None

    def keep(self, owner: Any, key: Any, result: Any) -> None:
        """Remember ``result`` for ``owner`` under ``key``."""
        self._entries[owner] = (key, result)

    def clear(self) -> None:
        """Forget everything (tests that edit files within one clock tick)."""
        self._entries.clear()
