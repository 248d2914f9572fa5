"""The generation pipeline, read top to bottom: read, validate, render, write.

Used by ``python -m build_scripts build`` and by the MkDocs hook, so that
``mkdocs build`` and ``mkdocs serve`` run exactly the same generation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from build_scripts import duplicates, entities
from build_scripts.escape import html
from build_scripts.load import RawSeeds, read_seeds
from build_scripts.model import Corpus
from build_scripts.problems import InputError, Problem
from build_scripts.render import SiteInfo, render_site, theme_src
from build_scripts.validate import validate
from build_scripts.write import WriteReport, write_pages


@dataclass
class Generated:
    """Outcome of one generation."""

    corpus: Corpus
    warnings: list[Problem]
    report: WriteReport


def check(root: Path, today: dt.date | None = None, review: bool = False) -> tuple[Corpus, list[Problem]]:
    """Read and validate ``seeds/``; return the corpus and every problem (errors and warnings).

    ``review`` adds the corpus-wide warnings of ``python -m build_scripts check``
    (probable duplicates, names spelled two ways), left out of every rebuild of
    ``mkdocs serve`` to keep it quick.
    """
    raw, problems = read_seeds(root)
    corpus, more = validate(raw, today=today)
    if review:
        more += review_warnings(raw)
    return corpus, sorted(problems + more)


def review_warnings(raw: RawSeeds) -> list[Problem]:
    """Warnings that compare articles with each other."""
    texts = ((seed.path, "\n".join(line for _, line in seed.lines)) for _, seed in sorted(raw.texts.items()))
    problems = [
        Problem(
            dup.key,
            None,
            f"texte presque identique à {dup.other} (environ {round(dup.similarity * 100)} % de passages "
            "communs) : doublon probable ? Si c'est le même article, gardez-en un seul",
            "warning",
        )
        for dup in duplicates.find_duplicates(texts)
    ]
    aliases = entities.read_aliases(raw.aliases)
    problems += entities.variant_warnings(entities.mentions(raw.metas), aliases)
    return problems


def generate(root: Path, docs: Path, site: SiteInfo) -> Generated:
    """Validate everything, then write the generated Markdown; raise ``InputError`` on any error."""
    corpus, problems = check(root)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InputError(errors)
    pages = render_site(corpus, site)
    report = write_pages(docs, pages)
    return Generated(corpus, [p for p in problems if p.severity != "error"], report)


def navigation(corpus: Corpus) -> list[dict[str, object]]:
    """The site navigation: stays the same size however many articles there are."""
    dossiers: list[object] = ["dossiers/index.md"]
    # Material prints navigation titles unescaped, like page.meta.title.
    dossiers += [{str(html(t.title)): theme_src(t)} for t in corpus.themes]
    return [
        {"Accueil": "index.md"},
        {"Dossiers": dossiers},
        {"Chronologie": "chronologie/index.md"},
        {"Citations": "citations/index.md"},
        {"Index": ["personnes/index.md", "lieux/index.md", "organisations/index.md", "sources/index.md"]},
        {"À propos": "a-propos.md"},
    ]
