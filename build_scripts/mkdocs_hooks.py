"""MkDocs hook: a thin adapter so that plain ``mkdocs build`` and ``mkdocs serve``
run the same generation as ``python -m build_scripts build``."""

from __future__ import annotations

import gc
import logging
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

from mkdocs.exceptions import Abort
from mkdocs.structure.files import File

# MkDocs imports hooks by file path, so the project root may not be importable yet.
_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from build_scripts import compact, icons, pipeline, publish, rebuilds, search_index, workers  # noqa: E402
from build_scripts.problems import InputError  # noqa: E402
from build_scripts.progress import Progress  # noqa: E402
from build_scripts.render.site import navigation  # noqa: E402
from build_scripts.schema import SEEDS_DIR  # noqa: E402

log = logging.getLogger("mkdocs.hooks.press")

# MkDocs runs this file anew for every configuration it loads (each rebuild of
# ``serve``): what must outlive a rebuild lives in the pipeline's modules.
_generated: pipeline.Generated | None = None
_bar: Progress | None = None
_nav: Any = None
_look: object = None
_files: Any = None


def on_startup(command: str, dirty: bool) -> None:
    """Under ``serve``, keep the parts of each generation for the next rebuild."""
    pipeline.SERVING = command == "serve"


def on_config(config: Any) -> Any:
    """Generate the pages from ``seeds/`` (or reuse this process's generation) and set the navigation."""
    global _generated
    root = Path(config.config_file_path).resolve().parent
    publish.remove_legacy(Path(config.docs_dir))
    # ``python -m build_scripts build`` began the search index as it generated: that
    # generation is reused below. ``mkdocs build`` feeds it as the pages are made;
    # ``serve`` indexes after each rebuild (``on_post_build``).
    indexing = None
    try:
        if pipeline.SERVING:
            search_index.INDEXER.cancel()  # the last rebuild's index is outdated: it would only take CPU
            search_index.pagefind_executable()  # a missing Pagefind is said now, not after the rebuild
        elif search_index.INDEXER.current is None:
            indexing = search_index.INDEXER.begin(Path(config.site_dir).parent)
    except search_index.SearchIndexError as error:
        raise Abort(f"index de recherche : {error}") from None
    try:
        _generated = pipeline.generate(root, publish.site_info(config), indexing.add if indexing else None)
    except InputError as error:
        search_index.INDEXER.cancel()
        raise Abort("\n".join(str(p) for p in error.problems)) from None
    if indexing is not None:
        indexing.done()
    if not _generated.reused:  # ``python -m build_scripts build`` already printed them
        for warning in _generated.warnings:
            log.info(str(warning))
    config.nav = navigation(_generated.corpus)
    if pipeline.SERVING:
        rebuilds.list_theme_once(config)
    return config


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """One saved change, one rebuild: the server's rebuild is skipped when no input changed (see rebuilds.py).

    Under plain ``mkdocs serve`` too, a rebuild renders only the pages that changed (``rebuilds.dirty``),
    and a save is seen from the system's file events rather than by polling (``rebuilds.Watcher``).
    """
    root = Path(config.config_file_path).resolve().parent
    watched = [config.docs_dir, config.config_file_path, *config.watch]
    server.builder = rebuilds.OnePerChange(server, rebuilds.dirty(builder), watched, root / SEEDS_DIR)
    rebuilds.watch_events(server, server.builder)
    return server


def on_files(files: Any, config: Any) -> Any:
    """Add the generated pages and feeds, as virtual files; start the progress bar.

    A hand-written page's edit link is first set to its path from the repository root.
    """
    global _bar, _look, _files
    assert _generated is not None
    publish.edit_from_root(files, config)
    changed = None
    if pipeline.SERVING:  # only serve's dirty rebuilds ask
        _look = publish.site_look(config)
        changed = publish.BUILT.changed(config.site_dir, _look, _generated.pages)
    files = publish.add_generated(files, config, _generated.pages, changed)
    _files = files
    _bar = Progress("Rendu MkDocs", len(files.documentation_pages()))
    return files


def on_nav(nav: Any, config: Any, files: Any) -> Any:
    """Keep the navigation for the workers (``on_env``)."""
    global _nav
    _nav = nav
    return nav


def on_pre_page(page: Any, config: Any, files: Any) -> Any:
    """Hand MkDocs a generated page's HTML instead of Markdown to parse."""
    publish.use_generated_html(page)
    return page


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Count one rendered page; forget its HTML."""
    publish.release(page)
    if _bar is not None:
        _bar.advance()
    return output


def on_env(env: Any, config: Any, files: Any) -> Any:
    """A new cache of rendered navigations for this build (see ``overrides/partials/nav.html``); compact
    templates; icons drawn from one file (``icons.py``), added to the site's files before they are copied.
    Under ``serve``, the theme's pages that would come out unchanged are not rendered again.

    Then a one-off build forks the processes that write pages beside this one (``workers.py``).
    """
    env.globals["press_nav_cache"] = {}
    env.filters["compact_lines"] = compact.template
    files.append(File.generated(config, icons.SPRITE, content=icons.theme(env, config)))
    compact.theme(env)
    if pipeline.SERVING:  # each rebuild has a new environment: the templates are compiled once
        env.bytecode_cache = rebuilds.COMPILED
        # MkDocs would render 404.html and sitemap.xml again as they are when neither the look nor the list
        # of pages changed (0.1 s of an edit at 10,000 articles). This build's configuration, theme
        # included, is its own: the next rebuild loads them anew.
        config.theme.static_templates -= publish.BUILT.unchanged_frame(config.site_dir, _look, files)
    else:
        own = workers.WORKERS.start(config, files, _nav, env, in_child=_forget_bar)
        if _bar is not None:
            _bar.total = own  # the pages this process writes
    return env


def _forget_bar() -> None:
    """In a worker: the main process alone shows progress."""
    global _bar
    _bar = None


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    """Point "edit this page" at the seed's YAML, not at a generated page; key the navigation's cache."""
    publish.give_content(page)
    context["press_nav_key"] = publish.nav_cache_key(page, nav)
    seed = (page.meta.get("press") or {}).get("seed")
    if seed and config.repo_url and config.edit_uri:
        # Material prints edit_url unescaped in an href: quote the path.
        page.edit_url = config.repo_url.rstrip("/") + "/" + config.edit_uri.strip("/") + "/" + quote(seed)
    elif (page.meta.get("press") or {}).get("kind"):
        page.edit_url = None
    return context


def on_post_build(config: Any) -> None:
    """Put the search index in place: a build waits for it, ``serve`` lets it catch up."""
    global _files
    if _bar is not None:
        _bar.close()  # end the page-rendering progress line first
    assert _generated is not None
    workers.WORKERS.finish()
    if pipeline.SERVING:
        _settle_first_build()
        # A dirty rebuild removes nothing itself: what the last build wrote and this one no longer makes goes.
        publish.remove_stale(config.site_dir, publish.BUILT.stale(config, _files))
        search_index.INDEXER.index_later(_generated.pages, Path(config.site_dir), log.info)
        publish.BUILT.done(config.site_dir, _look, _generated.pages, _files)
        _files = None  # ``BUILT`` holds what the next rebuild reuses; nothing else should
    else:
        try:
            search_index.INDEXER.finish(Path(config.site_dir))
        except search_index.SearchIndexError as error:
            raise Abort(f"index de recherche : {error}") from None


_settled = False


def _settle_first_build() -> None:
    """Under ``serve``, once: exempt what the first build made from Python's cyclic garbage collector.

    A rebuild allocates enough to set off a full collection, which walked every
    object of the 10,000-article generation kept for reuse: 0.9 s of a 5 s
    rebuild. Frozen, they are no longer walked. They are still freed when no
    longer used, unless they form a cycle; what leaks so is bounded by the first
    build, since later rebuilds are not frozen.
    """
    global _settled
    if not _settled:
        _settled = True
        gc.collect()  # its garbage is not frozen with it
        gc.freeze()


def on_build_error(error: Exception) -> None:
    """A failed build leaves no Pagefind process or page-writing worker behind."""
    workers.WORKERS.stop()
    search_index.INDEXER.cancel(wait=True)  # its work folder is removed before the build says it failed


def on_shutdown() -> None:
    """``serve`` stopping (Ctrl-C): the last rebuild's indexing ends and removes its work before MkDocs exits."""
    search_index.INDEXER.cancel(wait=True)
