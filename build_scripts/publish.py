"""Stage 6: render ``docs/`` with MkDocs into a temporary directory, then swap it in place
of ``site/`` in one step, so readers never see a half-built or broken site."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from build_scripts.model import SiteInfo

TMP_PREFIX = ".site-build-"


def site_info(config: Any) -> SiteInfo:
    """What the pages need to know of the site, from a loaded ``mkdocs.yml``."""
    return SiteInfo(url=config.site_url or "/", name=config.site_name)


def read_config(config_file: Path) -> Any:
    """``mkdocs.yml``, loaded as MkDocs reads it (``!ENV`` values included)."""
    return load_config(str(config_file))


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


def render(config_file: Path, site_dir: Path, strict: bool = True) -> None:
    """Run MkDocs into a fresh directory beside ``site_dir`` and swap it in on success.

    Raises MkDocs' own exceptions (``Abort`` for strict-mode warnings); the
    previous ``site_dir`` is then left exactly as it was.
    """
    parent = site_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    # Leftovers of a build that was killed before it could clean up.
    for stale in parent.glob(TMP_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=parent))
    tmp.chmod(0o755)
    try:
        config = load_config(str(config_file), site_dir=str(tmp), strict=strict)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    swap_in(tmp, site_dir)
