"""The reviewer's summary in French Markdown, from the changes: pure rendering with one Jinja template.

Seed text reaches the summary only Markdown-escaped (``escape.markdown``): the
environment's ``finalize`` escapes every printed value, so a title cannot
become a link, an image or HTML on GitHub. Values we write ourselves are
wrapped in ``Verbatim``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from build_scripts.changes import preview
from build_scripts.changes.compare import Change
from build_scripts.dates import french_date
from build_scripts.escape import markdown, markdown_code
from build_scripts.model import Theme
from build_scripts.render import urls
from build_scripts.schema import SEEDS_DIR

STATUS_LABELS = {"added": "Ajouté", "changed": "Modifié", "removed": "Retiré"}
OTHER_MAX = 30
"""Other changed files named one by one."""
DETAILED = 200
"""Articles described in full in the job summary (GitHub shows at most 1 MiB of it); locally, all."""


class Verbatim(str):
    """Markdown we wrote: printed as it is."""

    __slots__ = ()


def _finalize(value: Any) -> Any:
    if isinstance(value, Verbatim) or value is None:
        return value
    return markdown(str(value))


_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent),
    autoescape=False,
    finalize=_finalize,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def counts(changes: list[Change]) -> str:
    """« 1 article ajouté, 1 modifié, 1 retiré », or that no article changes."""
    if not changes:
        return "aucun article ajouté, modifié ni retiré"
    parts = []
    for status, label in (("added", "ajouté"), ("changed", "modifié"), ("removed", "retiré")):
        number = sum(c.status == status for c in changes)
        if number:
            parts.append(f"{number} {label}{'s' if number > 1 else ''}")
    return _plural(len(changes), "article", "articles") + " : " + ", ".join(parts)


def how_to_open(preview_name: str | None) -> str:
    """Where the preview is and how to open it from a plain folder."""
    if preview_name is None:
        return (
            "construisez le site (`python -m build_scripts build`), puis lancez "
            f"`{preview.serve_command('site')}` et ouvrez http://localhost:{preview.PORT}/ ; "
            "les chemins ci-dessous sont dans `site/`."
        )
    return (
        f"téléchargez l'artefact `{preview_name}` (onglet « Checks », « Summary », rubrique « Artifacts »), "
        f"décompressez-le dans un dossier `{preview_name}`, lancez `{preview.serve_command(preview_name)}` "
        f"et ouvrez http://localhost:{preview.PORT}/ (voir `{preview.README}` à sa racine) ; "
        "les chemins ci-dessous sont dans ce dossier."
    )


def render(
    changes: list[Change],
    themes: tuple[Theme, ...],
    base: tuple[str, str],
    other_files: list[str],
    preview_name: str | None,
) -> str:
    """The whole summary; ``base`` is the base as given and the commit compared with."""
    shown = changes if preview_name is None else changes[:DETAILED]
    return _ENV.get_template("summary.md.j2").render(
        changes=shown,
        more=len(changes) - len(shown),
        OTHER_MAX=OTHER_MAX,
        code_changed=any(not path.startswith(f"{SEEDS_DIR}/") for path in other_files),
        more_text=Verbatim(_plural(len(changes) - len(shown), "autre article", "autres articles")),
        counts=Verbatim(counts(changes)),
        base=base[0],
        commit=base[1],
        other_files=other_files,
        how_to_open=Verbatim(how_to_open(preview_name)),
        theme_titles={t.id: t.title for t in themes},
        status_label=STATUS_LABELS,
        french_date=french_date,
        verbatim=Verbatim,
        verbatim_code=lambda text: Verbatim(markdown_code(text)),
        file_in_preview=preview.file_in_preview,
        address=preview.address,
        article_src=urls.article_src,
    )
