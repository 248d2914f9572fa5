"""Stage 5: hand the generated pages to MkDocs, and render the site into ``site/`` in one step.

The pages never touch ``docs/``: each one becomes a virtual MkDocs file
(``GeneratedFile``), so ``mkdocs serve`` sees no write of ours and rebuilds
once per saved change. MkDocs is handed each page's HTML as it is: the page
is not parsed again by Python-Markdown (``use_generated_html``). The site is
rendered into a temporary directory that replaces ``site/`` only on success.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_build_date, is_markdown_file

from build_scripts.atomic import TMP_PREFIX, swap_in
from build_scripts.model import SiteInfo
from build_scripts.problems import InputError, Problem
from build_scripts.render.site import Output
from build_scripts.render.templates import GENERATED_MARK, PageOut

LEGACY_SUFFIXES = (".md", ".xml")
# Ids a Markdown page could link to (MkDocs checks such anchors in strict mode).
_ID = re.compile(r'<[a-zA-Z][^>]*?\sid="([^"]*)"')


HOME_TEXTS = ("title", "lede", "description")
"""The keys of ``extra.home`` in ``mkdocs.yml``: what a copy of the site rewrites to make it its own."""


def site_info(config: Any) -> SiteInfo:
    """What the pages need to know of the site, from a loaded ``mkdocs.yml``."""
    home = (config.extra or {}).get("home") or {}
    wrong = sorted(set(home) - set(HOME_TEXTS)) if isinstance(home, dict) else None
    texts = {key: home.get(key) for key in HOME_TEXTS} if isinstance(home, dict) else {}
    if wrong is None or wrong or not all(value is None or isinstance(value, str) for value in texts.values()):
        raise InputError(
            [
                Problem(
                    "mkdocs.yml",
                    None,
                    f"extra.home n'accepte que des textes sous les clés {', '.join(HOME_TEXTS)}"
                    f"{' (clé inconnue : ' + ', '.join(map(str, wrong)) + ')' if wrong else ''}, "
                    "par exemple « title: Revue de presse sur le climat »",
                )
            ]
        )
    return SiteInfo(
        url=config.site_url or "/",
        name=config.site_name,
        title=" ".join((texts.get("title") or config.site_name).split()),
        lede=" ".join((texts.get("lede") or "").split()),
        description=" ".join((texts.get("description") or config.site_description or "").split()),
    )


def read_config(config_file: Path) -> Any:
    """``mkdocs.yml``, loaded as MkDocs reads it (``!ENV`` values included)."""
    return load_config(str(config_file))


class GeneratedFile(File):
    """A page or feed the pipeline made in memory; MkDocs never finds it in ``docs/``."""

    def __init__(self, src_uri: str, out: Output, site_dir: str, use_directory_urls: bool, modified: bool) -> None:
        super().__init__(src_uri, src_dir=None, dest_dir=site_dir, use_directory_urls=use_directory_urls)
        self.generated_by = "build_scripts"
        self.out = out
        self.modified = modified
        self._page = is_markdown_file(src_uri)
        if isinstance(out, str):
            self._content = out  # a feed, copied to the site as it is

    @property
    def content_string(self) -> str:
        """The source as a Markdown file would hold it (only for a plugin that asks)."""
        return self.out if isinstance(self.out, str) else self.out.markdown()

    @content_string.setter
    def content_string(self, value: str) -> None:
        self.out = value

    def is_modified(self) -> bool:
        """Whether a dirty rebuild (``python -m build_scripts serve``) must write it again."""
        return self.modified

    def is_documentation_page(self) -> bool:
        """Whether it is a page; known once (MkDocs asks it of every file several times a build)."""
        return self._page


FRAME_TEMPLATES = frozenset({"404.html", "sitemap.xml"})
"""The theme's pages with no content of their own: what they show is the look (``site_look``: the
navigation, the configuration, the theme, the day) and, for the sitemap, the address of every page."""


class BuiltPages:
    """What the last successful MkDocs build of this process published, per site folder.

    ``mkdocs serve --dirty`` rebuilds only the files whose ``is_modified()`` is
    true: a generated page is, when its output differs from the one last
    built there, or when the navigation, ``mkdocs.yml`` or the theme's
    ``custom_dir`` changed (every page shows them). The last build's files are
    kept: an unchanged page's file is reused (``unchanged``), and a file the
    next build no longer makes is removed from the site (``stale``).
    """

    def __init__(self) -> None:
        self._built: dict[str, tuple[object, Mapping[str, Output], Files]] = {}

    def changed(self, site_dir: str, look: object, pages: Mapping[str, Output]) -> set[str] | None:
        """Paths whose output differs from the last build into ``site_dir``; ``None``: rebuild everything.

        ``look`` is what every page shows besides its own content (``site_look``).
        """
        last = self._built.get(site_dir)
        if last is None or last[0] != look:
            return None
        previous = last[1]
        return {path for path, out in pages.items() if not _same(previous.get(path), out)}

    def stale(self, config: Any, files: Files) -> list[str]:
        """What the last build into the site folder wrote (paths under it) and a build of ``files`` no longer makes."""
        last = self._built.get(config.site_dir)
        if last is None:
            return []
        gone = last[2].src_uris.keys() - files.src_uris.keys()
        return sorted(last[2].src_uris[uri].dest_uri for uri in gone)

    def unchanged(self, site_dir: str, path: str, out: Output) -> GeneratedFile | None:
        """The file that the last build made of ``out`` at ``path``, if it can stand for this build's.

        Only a page outside the navigation qualifies: MkDocs links those of the
        navigation to each other anew at every build. Reused, the file keeps its
        place in the site and its ``Page``, which MkDocs would otherwise make
        again for each of 11,800 pages (a second at 10,000 articles, issue 21);
        a page not modified is neither read nor written by a dirty build.
        """
        last = self._built.get(site_dir)
        file = last[2].src_uris.get(path) if last is not None else None
        if not isinstance(file, GeneratedFile) or not _same(file.out, out) or file.page is None:
            return None
        if file.inclusion != InclusionLevel.NOT_IN_NAV:
            return None
        file.modified = False
        return file

    def unchanged_frame(self, site_dir: str, look: object, files: Files) -> set[str]:
        """Which ``FRAME_TEMPLATES`` a build of ``files`` with ``look`` into ``site_dir`` would write as they are.

        ``404.html`` shows only the look; ``sitemap.xml`` also lists every file that is a page, so it is
        the same when the last build had the same files, in the same order.
        """
        last = self._built.get(site_dir)
        if last is None or last[0] != look:
            return set()
        same = {"404.html"}
        if list(last[2].src_uris) == list(files.src_uris):
            same.add("sitemap.xml")
        return {name for name in same if os.path.isfile(os.path.join(site_dir, name))}

    def done(self, site_dir: str, look: object, pages: Mapping[str, Output], files: Files) -> None:
        """Record a successful build: its look, its generated pages and its files."""
        self._built[site_dir] = (look, pages, files)


def _same(last: Output | None, out: Output) -> bool:
    """Whether the last build's output is this one: the very object (quick) or an equal one."""
    return last is out or last == out


def site_look(config: Any) -> tuple[object, ...]:
    """What every page shows besides its content: the navigation, ``mkdocs.yml``, the theme's ``custom_dir``,
    and the day (each page's date in ``sitemap.xml``)."""
    found: list[tuple[str, int, int]] = []
    custom = config.theme.custom_dir
    if custom and os.path.isdir(custom):
        for dirpath, dirs, names in os.walk(custom):
            dirs.sort()
            for name in sorted(names):
                try:
                    stat = os.stat(os.path.join(dirpath, name))
                except OSError:  # removed since it was listed
                    continue
                found.append((os.path.join(dirpath, name), stat.st_size, stat.st_mtime_ns))
    with open(config.config_file_path, "rb") as handle:
        yml = handle.read()
    return (config.nav, yml, tuple(found), get_build_date())


def remove_stale(site_dir: str, paths: list[str]) -> None:
    """Delete what a dirty rebuild no longer makes (a removed article's page), and the folders left empty."""
    for path in paths:
        target = os.path.join(site_dir, path)
        try:
            os.remove(target)
        except OSError:
            continue
        folder = os.path.dirname(target)
        while folder != site_dir and folder.startswith(site_dir) and not os.listdir(folder):
            os.rmdir(folder)
            folder = os.path.dirname(folder)


BUILT = BuiltPages()


def _walk_order(file: File) -> tuple[tuple[object, ...], ...]:
    """Where MkDocs' walk of ``docs/`` would meet ``file``: a folder's files (index first), then its folders."""
    return _walk_key(file.src_uri)


@lru_cache(maxsize=1 << 16)
def _walk_key(src_uri: str) -> tuple[tuple[object, ...], ...]:
    # Kept between the rebuilds of ``serve``: 11,800 keys made again took a sixth of a second.
    *folders, name = src_uri.split("/")
    stem = name.rsplit(".", 1)[0]
    return (*((1, folder) for folder in folders), (0, 0) if stem in ("index", "README") else (0, 1, name))


def add_generated(files: Files, config: Any, pages: Mapping[str, Output], changed: set[str] | None) -> Files:
    """MkDocs' files with every generated page and feed added; refuse one that a hand-written file shadows.

    The files keep the order of a walk of ``docs/``, as when the pages were
    written there: ``sitemap.xml`` lists them in that order.
    """
    everything = list(files)
    handwritten = files.src_uris  # the pages' paths are already POSIX and normalised
    site_dir, use_directory_urls = config.site_dir, config.use_directory_urls  # each read costs: read once
    for path, out in pages.items():
        if path in handwritten:
            raise Abort(f"docs/{path} est écrit à la main, mais le build génère aussi cette page : renommez-le")
        kept = BUILT.unchanged(site_dir, path, out) if changed is not None and path not in changed else None
        everything.append(
            kept or GeneratedFile(path, out, site_dir, use_directory_urls, changed is None or path in changed)
        )
    if changed is None:
        # The navigation changed: hand-written pages show it too.
        for file in files:
            file.is_modified = lambda: True  # type: ignore[method-assign]
    return Files(sorted(everything, key=_walk_order))


def edit_from_root(files: Files, config: Any) -> None:
    """Point each hand-written page's "edit this page" at its path from the repository root (``docs/…``).

    ``edit_uri`` names the repository root, not ``docs/``, so that an article's link can
    reach its seed (``mkdocs_hooks.on_page_context``); MkDocs would append only the path
    under ``docs/``. Generated pages have no file of their own to edit.
    """
    docs = Path(os.path.relpath(Path(config.docs_dir).resolve(), Path(config.config_file_path).resolve().parent))
    for file in files.documentation_pages():
        if file.generated_by is None:
            # Material prints the edit link unescaped in an href: quote the path.
            file.edit_uri = quote((docs / file.src_uri).as_posix())


def use_generated_html(page: Any) -> None:
    """Hand MkDocs a generated page's front matter and HTML instead of Markdown to parse.

    ``render.templates.PageOut`` holds exactly what Python-Markdown would make
    of the page (raw HTML passes through unchanged), so the site is the same,
    without parsing every page's HTML a second time (issue 11).
    """
    file = page.file
    if not isinstance(file, GeneratedFile) or not isinstance(file.out, PageOut):
        return
    out = file.out

    def read_source(config: Any) -> None:
        page.markdown = ""
        page.meta = out.head.meta

    def render(config: Any, files: Any) -> None:
        # MkDocs renders every page before it builds the first: the HTML itself is
        # given when the page is built (``give_content``), so that only the compact
        # ``PageOut.body`` of each page is in memory meanwhile, not all of them as text.
        page.content = ""
        page.toc = get_toc(toc_tokens(out.toc))
        page.present_anchor_ids = _Anchors(out)
        page.links_to_anchors = {}

    page.read_source = read_source
    page.render = render


def nav_cache_key(page: Any, nav: Any) -> str | None:
    """The folder whose pages all show the same navigation as ``page``, or ``None`` (issue 11).

    Material's navigation shows which page is current and links relatively: for
    a page the navigation does not list, nothing is current, and a relative link
    is the same from every page of one folder, unless it leads inside the page
    itself. ``overrides/partials/nav.html`` then renders it once per folder.
    """
    listed = [item.url for item in nav.pages]
    if page.url in listed or any(url.startswith(page.url) for url in listed):
        return None
    url: str = page.url
    return "folder:" + url.rstrip("/").rpartition("/")[0]


def toc_tokens(toc: tuple[tuple[int, str, str], ...]) -> list[Any]:
    """A flat (level, id, text) table of contents as the nested tokens of Python-Markdown's
    ``toc`` extension, which ``get_toc`` reads. Their ``name`` is HTML: the text is escaped."""
    roots: list[dict[str, Any]] = []
    open_: list[dict[str, Any]] = []
    for level, anchor, text in toc:
        token: dict[str, Any] = {"level": level, "id": anchor, "name": html.escape(text), "children": []}
        while open_ and open_[-1]["level"] >= level:
            open_.pop()
        (open_[-1]["children"] if open_ else roots).append(token)
        open_.append(token)
    return roots


class _Anchors:
    """The ids in a generated page, read from its HTML only if a link to one of them is checked.

    MkDocs asks a page only whether it holds an anchor (``in``), after the last
    page is built; a hand-written page linking to ``#p-3`` of an article is the
    only case, and decompressing every page for it would cost a second a build.
    """

    def __init__(self, out: PageOut) -> None:
        self._out = out
        self._ids: set[str] | None = None

    def __contains__(self, anchor: object) -> bool:
        if self._ids is None:
            self._ids = {html.unescape(found) for found in _ID.findall(self._out.html)}
        return anchor in self._ids


def give_content(page: Any) -> None:
    """A generated page's HTML, as MkDocs builds the page (see ``use_generated_html``)."""
    if isinstance(page.file, GeneratedFile) and isinstance(page.file.out, PageOut):
        page.content = page.file.out.html


def release(page: Any) -> None:
    """Forget a generated page's HTML once written: 10,000 of them would stay in memory until the end."""
    if isinstance(page.file, GeneratedFile):
        page.content = None


def remove_legacy(docs: Path) -> list[str]:
    """Delete the pages and feeds an earlier version generated into ``docs/`` (by their mark).

    They would now shadow the generated pages; hand-written pages never carry the mark.
    """
    removed: list[str] = []
    for dirpath, _dirs, names in os.walk(docs):
        for name in names:
            path = Path(dirpath, name)
            if name.endswith(LEGACY_SUFFIXES) and _is_generated(path):
                path.unlink()
                removed.append(path.relative_to(docs).as_posix())
    for dirpath, _dirs, _names in sorted(os.walk(docs), reverse=True):
        if dirpath != str(docs) and not os.listdir(dirpath):
            os.rmdir(dirpath)
    return sorted(removed)


def _is_generated(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError:
        return False
    return GENERATED_MARK.encode() in head


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
