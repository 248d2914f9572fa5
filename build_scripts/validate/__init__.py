"""Stage 2: judge the raw seeds against the schema and each other; build the model.

Every problem is collected; the caller decides to stop only once all are known.
One module per file of ``seeds/``: ``themes``, ``aliases``, ``articles``, all
reading their values through ``fields.FieldReader``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from build_scripts.load import RawSeeds, TextSeed
from build_scripts.memo import Slots, remember
from build_scripts.model import Article, Corpus
from build_scripts.problems import Problem
from build_scripts.schema import ALIASES_FILE, SEEDS_DIR, THEMES_FILE
from build_scripts.validate.aliases import read_aliases
from build_scripts.validate.articles import read_article
from build_scripts.validate.themes import read_themes
from build_scripts.yamlsafe import Document

__all__ = ["read_aliases", "read_article", "read_themes", "validate"]


def _theme_ids(meta: dict[str, Any]) -> list[str]:
    """Theme ids a raw metadata document names, whatever else is wrong with it."""
    value = meta.get("themes")
    return [t.strip() for t in value if isinstance(t, str)] if isinstance(value, list) else []


def _article(
    stem: str, doc: Document, text: TextSeed, theme_ids: tuple[str, ...] | None
) -> tuple[Article | None, list[Problem]]:
    """One article and its own problems, as ``read_article`` finds them."""
    problems: list[Problem] = []
    article = read_article(stem, doc, text, None if theme_ids is None else list(theme_ids), problems)
    return article, problems


def validate(raw: RawSeeds, today: dt.date | None = None, slots: Slots | None = None) -> tuple[Corpus, list[Problem]]:
    """Build the corpus from raw seeds; return it with every problem found (errors and warnings).

    With ``slots`` (``serve``), an article whose files and dossier ids did not
    change is the very same ``Article`` as before, not validated again.
    """
    problems: list[Problem] = []
    themes = read_themes(raw.themes, f"{SEEDS_DIR}/{THEMES_FILE}", problems)
    # A themes.yml that is missing or wrong is reported once, not once per article.
    themes_ok = raw.themes is not None and not problems
    theme_ids = tuple(t.id for t in themes) if themes_ok else None
    aliases = read_aliases(raw.aliases, f"{SEEDS_DIR}/{ALIASES_FILE}", problems)
    articles: list[Article] = []
    for stem in sorted(raw.metas):
        if stem in raw.texts:
            article, found = remember(
                slots, f"validate:{stem}", _article, stem, raw.metas[stem], raw.texts[stem], theme_ids
            )
            problems += found
            if article is not None:
                articles.append(article)
    by_slug: dict[str, Article] = {}
    for article in articles:
        other = by_slug.get(article.slug)
        if other is not None:
            problems.append(
                Problem(
                    article.meta_path,
                    None,
                    f"même adresse articles/{article.slug}/ que {other.meta_path} : "
                    "ajoutez un champ « slug: » différent à l'un des deux",
                )
            )
        by_slug[article.slug] = article
    today = today or dt.date.today()
    for article in articles:
        if article.date > today:
            problems.append(Problem(article.meta_path, None, f"date dans le futur : {article.date}", "warning"))
    # Judged on what the metadata says, so that an article with an error does
    # not also produce "dossier sans article" noise.
    used = {t for doc in raw.metas.values() if isinstance(doc.value, dict) for t in _theme_ids(doc.value)}
    for theme in themes:
        if theme.id not in used:
            message = f"le dossier « {theme.id} » n'a aucun article"
            problems.append(Problem(f"{SEEDS_DIR}/{THEMES_FILE}", None, message, "warning"))
    articles.sort(key=lambda a: (-a.date.toordinal(), a.slug))
    return Corpus(tuple(themes), tuple(articles), aliases), problems
