"""Stage 5: write generated Markdown into ``docs/``, touching only what changed.

Writing only changed files keeps ``mkdocs serve`` from looping (its watcher
sees no new change after a regeneration) and makes no-op rebuilds cheap.
Generated files (Markdown pages, and the Atom feeds in an XML comment) carry
``GENERATED_MARK`` on their second line; a marked file that is no longer
generated is removed, so a deleted seed leaves no page behind.
Hand-written pages in ``docs/`` are never touched.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from build_scripts.render.templates import GENERATED_MARK

GENERATED_SUFFIXES = (".md", ".xml")


@dataclass
class WriteReport:
    """What the writer did, for progress output and tests."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def _is_generated(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError:
        return False
    return GENERATED_MARK.encode() in head


def existing_generated(docs: Path) -> set[str]:
    """Paths (relative to ``docs``) of Markdown pages and feeds that the pipeline wrote earlier."""
    found: set[str] = set()
    for dirpath, _dirs, files in os.walk(docs):
        for name in files:
            if name.endswith(GENERATED_SUFFIXES):
                path = Path(dirpath, name)
                if _is_generated(path):
                    found.add(path.relative_to(docs).as_posix())
    return found


def remove_generated(docs: Path) -> None:
    """Delete every file the pipeline generated in ``docs`` (by its mark), and the
    folders that leaves empty; hand-written pages stay."""
    for rel in sorted(existing_generated(docs)):
        (docs / rel).unlink()
    for dirpath, _dirs, _files in sorted(os.walk(docs), reverse=True):
        if dirpath != str(docs) and not os.listdir(dirpath):
            os.rmdir(dirpath)


def write_pages(docs: Path, pages: Mapping[str, str], advance: Callable[[], None] | None = None) -> WriteReport:
    """Write ``pages`` under ``docs``; remove generated files that are no longer produced.

    ``advance`` is called once per page, for a progress bar.
    """
    report = WriteReport()
    for rel in sorted(pages):
        if advance is not None:
            advance()
        target = docs / rel
        data = pages[rel].encode("utf-8")
        try:
            if target.read_bytes() == data:
                report.unchanged += 1
                continue
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() and not _is_generated(target):
            raise FileExistsError(f"{target} est une page écrite à la main : le build ne l'écrase pas")
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)  # never a half-written page, even if killed
        report.written.append(rel)
    for rel in sorted(existing_generated(docs) - set(pages)):
        (docs / rel).unlink()
        report.removed.append(rel)
    return report
