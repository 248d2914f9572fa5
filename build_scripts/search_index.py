"""Build the site search index with Pagefind, after MkDocs has written the site (issue #3).

Pagefind (``pagefind[bin]`` from PyPI, its binary inside the wheel) reads the built HTML and
writes a chunked French index into ``<site>/pagefind/``; ``overrides/assets/javascripts/
press-search.js`` queries it in the browser. Nothing is downloaded: the binary runs locally.

Only article pages are indexed: ``build_scripts/render/templates/article.md.j2`` marks them with
``data-pagefind-body`` (see that template for the other ``data-pagefind-*`` attributes).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

OUTPUT_DIR = "pagefind"
LANGUAGE = "fr"
# Pagefind 1.5.2 splits words on the ASCII apostrophe but not on the typographic one, so
# « l’OTAN » would be indexed only as "l’otan" and the query OTAN would miss it. The index is
# therefore built from a copy of the pages where ’ becomes ' followed by a zero-width space.
# The published pages keep ’. The zero-width space survives in Pagefind's metadata (titles,
# dossiers), which lets press-search.js turn exactly these apostrophes back into ’ there;
# Pagefind drops it from excerpts, where the script restores ’ between letters instead.
INDEX_APOSTROPHE = "'\u200b"
# Pagefind's ready-made search interfaces: the site renders results in Material's own
# dialog instead, so these are never loaded and are not published.
UNUSED_UI_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


class SearchIndexError(Exception):
    """The search index could not be built; the message says what to do."""


def indexable_html(html: str) -> str:
    """The text Pagefind indexes for a page: typographic apostrophes made splittable."""
    return html.replace("’", INDEX_APOSTROPHE)


def pagefind_executable() -> Path:
    """The Pagefind binary shipped in the ``pagefind_bin`` wheel, or a clear error."""
    install = "installez-le avec « python3 -m pip install -r requirements.txt » (pagefind[bin])"
    try:
        import pagefind_bin  # type: ignore[import-untyped]
    except ImportError:
        raise SearchIndexError(f"Pagefind est introuvable : {install}.") from None
    try:
        executable: Path = pagefind_bin.get_executable()
    except FileNotFoundError as error:
        raise SearchIndexError(f"le binaire de Pagefind est introuvable ({error}) : {install}.") from None
    return executable


def build_index(site_dir: Path) -> Path:
    """Index the HTML pages of ``site_dir`` into ``site_dir/pagefind/``; return that directory."""
    executable = pagefind_executable()
    output = site_dir / OUTPUT_DIR
    with tempfile.TemporaryDirectory(prefix="pagefind-src-") as tmp:
        source = Path(tmp) / "site"
        for page in sorted(site_dir.rglob("*.html")):
            relative = page.relative_to(site_dir)
            if relative.parts[0] == OUTPUT_DIR:
                continue
            target = source / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(indexable_html(page.read_text(encoding="utf-8")), encoding="utf-8")
        shutil.rmtree(output, ignore_errors=True)
        command = [
            str(executable),
            "--site",
            str(source),
            "--output-path",
            str(output.resolve()),
            "--force-language",
            LANGUAGE,
            "--quiet",
        ]
        # Run from the empty temp dir with no PAGEFIND_* variables, so that a stray
        # pagefind.yml or environment setting cannot change the index.
        env = {key: value for key, value in os.environ.items() if not key.startswith("PAGEFIND_")}
        result = subprocess.run(command, cwd=tmp, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        details = (result.stderr or result.stdout).strip()
        raise SearchIndexError(f"Pagefind a échoué (code {result.returncode}) : {details}")
    if not (output / "pagefind.js").is_file():
        raise SearchIndexError(f"Pagefind n'a pas écrit {output / 'pagefind.js'} : aucune page à indexer ?")
    for name in UNUSED_UI_FILES:
        (output / name).unlink(missing_ok=True)
    return output
