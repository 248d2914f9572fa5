"""What Pagefind is fed (issue 21): the blocks it would skip are left out, and the index is the same."""

from __future__ import annotations

import hashlib
from pathlib import Path

from build_scripts import pipeline, publish, search_index
from build_scripts.render.templates import PageOut
from build_scripts.render.urls import page_url
from tests.helpers import copy_project


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_leaving_out_skipped_blocks_changes_nothing_in_the_index(tmp_path: Path) -> None:
    """The same index, byte for byte, from the whole pages and from the pages without their skipped blocks."""
    root = copy_project(tmp_path / "p")
    config = publish.read_config(root / "mkdocs.yml")
    pages = pipeline.generate(root, publish.site_info(config)).pages
    fed = search_index.indexed_pages(pages)
    whole = [
        ("/" + page_url(path), search_index.document(out.html))
        for path, out in pages.items()
        if isinstance(out, PageOut) and "data-pagefind-body" in out.html
    ]
    assert [url for url, _doc in fed] == [url for url, _doc in whole]
    # Something was left out of every article: quotations, related articles, neighbours, citation.
    for (_url, small), (_same, big) in zip(fed, whole, strict=True):
        assert len(small) < len(big)
        assert 'class="press-cite"' in big and 'class="press-cite"' not in small
        assert "data-pagefind-filter" in small and "data-pagefind-meta" in small
    search_index.write_index(fed, tmp_path / "fed")
    search_index.write_index(whole, tmp_path / "whole")
    assert _tree(tmp_path / "fed") == _tree(tmp_path / "whole")
