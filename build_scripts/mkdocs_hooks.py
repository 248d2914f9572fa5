"""MkDocs hook: a thin adapter so that plain ``mkdocs build`` and ``mkdocs serve``
run the same generation as ``python -m build_scripts build``."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

from mkdocs.exceptions import Abort

# MkDocs imports hooks by file path, so the project root may not be importable yet.
_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from build_scripts import pipeline, search_index  # noqa: E402
from build_scripts.problems import InputError  # noqa: E402
from build_scripts.progress import Progress  # noqa: E402
from build_scripts.publish import site_info  # noqa: E402
from build_scripts.render.site import navigation  # noqa: E402

log = logging.getLogger("mkdocs.hooks.press")


def on_config(config: Any) -> Any:
    """Generate ``docs/`` from ``seeds/`` (or reuse this process's generation) and set the navigation."""
    root = Path(config.config_file_path).resolve().parent
    try:
        result = pipeline.generate(root, Path(config.docs_dir), site_info(config))
    except InputError as error:
        raise Abort("\n".join(str(p) for p in error.problems)) from None
    if not result.reused:  # ``python -m build_scripts build`` already printed them
        for warning in result.warnings:
            log.info(str(warning))
    config.nav = navigation(result.corpus)
    return config


_bar: Progress | None = None


def on_files(files: Any, config: Any) -> Any:
    """Start the page-rendering progress bar (shown on a terminal only)."""
    global _bar
    _bar = Progress("Rendu MkDocs", len(files.documentation_pages()))
    return files


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Count one rendered page."""
    if _bar is not None:
        _bar.advance()
    return output


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    """Point "edit this page" at the seed's YAML, not at the generated Markdown."""
    seed = (page.meta.get("press") or {}).get("seed")
    if seed and config.repo_url and config.edit_uri:
        # Material prints edit_url unescaped in an href: quote the path.
        page.edit_url = config.repo_url.rstrip("/") + "/" + config.edit_uri.strip("/") + "/" + quote(seed)
    elif (page.meta.get("press") or {}).get("kind"):
        page.edit_url = None
    return context


def on_post_build(config: Any) -> None:
    """Index the written site for search (Pagefind), for ``build``, ``mkdocs build`` and ``serve`` alike."""
    if _bar is not None:
        _bar.close()  # end the page-rendering progress line first
    try:
        search_index.build_index(Path(config.site_dir))
    except search_index.SearchIndexError as error:
        raise Abort(f"index de recherche : {error}") from None
