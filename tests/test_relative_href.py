"""Relative links between generated pages, on their own (issue 7: computed without ``posixpath.relpath``)."""

from __future__ import annotations

import itertools
import posixpath

from build_scripts.render.urls import _relpath, page_url, relative_href

# Every shape of page the generator writes: home, section indexes, pages one
# and two folders deep, and per-year pages.
SOURCES = (
    "index.md",
    "a-propos.md",
    "articles/2017-02-16-poutine.md",
    "dossiers/index.md",
    "dossiers/otan.md",
    "dossiers/otan/2021.md",
    "chronologie/index.md",
    "chronologie/2022.md",
    "citations/otan/2021.md",
    "citations/otan-2021.md",
    "personnes/index.md",
    "personnes/vladimir-poutine.md",
    "dossiers/otan-2.md",
)


def test_relpath_matches_the_standard_library() -> None:
    for from_src, to_src in itertools.product(SOURCES, repeat=2):
        base, target = page_url(from_src) or ".", page_url(to_src) or "."
        assert _relpath(target, base) == posixpath.relpath(target, base), (from_src, to_src)


def test_relpath_keeps_the_library_answer_for_parent_segments() -> None:
    for target, base in (("../x", "a/b"), ("a/../b", "c"), ("/x/y", "/x")):
        assert _relpath(target, base) == posixpath.relpath(target, base)


def test_relative_href_forms() -> None:
    assert relative_href("index.md", "index.md") == "./"
    assert relative_href("articles/a.md", "dossiers/otan.md", "p-2") == "../../dossiers/otan/#p-2"
    assert relative_href("dossiers/otan/2021.md", "index.md") == "../../../"


def test_relative_href_is_posixpath_relpath_for_every_pair() -> None:
    """The folder shortcut gives, byte for byte, the link relpath gives (the built pages must not change)."""
    for from_src, to_src in itertools.product(SOURCES, repeat=2):
        base, target = page_url(from_src) or ".", page_url(to_src) or "."
        rel = posixpath.relpath(target, base)
        expected = "./" if rel == "." else rel + "/"
        assert relative_href(from_src, to_src) == expected, (from_src, to_src)
        assert relative_href(from_src, to_src, "x") == expected + "#x"
