"""Replace a directory in one step, so a reader never finds it half-written."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from pathlib import Path

TMP_PREFIX = ".site-build-"


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories with Linux ``renameat2(RENAME_EXCHANGE)``."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result: int = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0


def swap_in(new: Path, target: Path) -> None:
    """Make ``new`` the content of ``target``; the previous ``target`` is deleted."""
    if not target.exists():
        os.rename(new, target)
        return
    if not _exchange(new, target):
        # Not Linux: two renames leave only a moment with no site/.
        old = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=target.parent))
        os.rename(target, old / "site")
        os.rename(new, target)
        new = old
    shutil.rmtree(new)
