"""The generation pipeline, read top to bottom: read, validate, render, write.

Used by ``python -m build_scripts build`` and by the MkDocs hook, so that
``mkdocs build`` and ``mkdocs serve`` run exactly the same generation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from build_scripts import cache, duplicates, entities
from build_scripts.escape import html
from build_scripts.load import RawSeeds, read_seeds
from build_scripts.model import Corpus
from build_scripts.problems import InputError, Problem
from build_scripts.progress import Progress
from build_scripts.render import SiteInfo, render_site, theme_src
from build_scripts.validate import validate
from build_scripts.write import WriteReport, write_pages

SEEDS = "seeds"


@dataclass
class Generated:
    """Outcome of one generation."""

    corpus: Corpus
    warnings: list[Problem]
    report: WriteReport


@dataclass
class _Checked:
    """A validated corpus and its problems, under the fingerprint of its inputs."""

    key: tuple[object, ...]
    problems: list[Problem]
    corpus: Corpus | None = None


# The last validation per project root, in this process (see cache.py).
_CHECKED: dict[Path, _Checked] = {}
# The last generation per docs/ folder: the pages written and their (size, mtime_ns).
_GENERATED: dict[Path, tuple[tuple[object, ...], dict[str, tuple[int, int]]]] = {}


def _check_key(root: Path, today: dt.date | None) -> tuple[object, ...]:
    return (cache.code_fingerprint(), today or dt.date.today(), cache.dir_fingerprint(root / SEEDS))


def _checked(root: Path, today: dt.date | None, need_corpus: bool) -> _Checked:
    """Validation result for ``root``: from this process, from ``.cache/``, or computed."""
    root = root.resolve()
    key = _check_key(root, today)
    state = _CHECKED.get(root)
    if state is None or state.key != key:
        problems = cache.load(root, "problems", key)
        state = _Checked(key, problems) if problems is not None else _Checked(key, [])
        if problems is None:
            raw, problems = read_seeds(root)
            corpus, more = validate(raw, today=today)
            state = _Checked(key, sorted(problems + more), corpus)
            cache.save(root, "problems", key, state.problems)
            cache.save(root, "corpus", key, corpus)
        _CHECKED[root] = state
    if state.corpus is None and need_corpus:
        # Kept apart from the problems: loading 10,000 articles costs a few
        # tenths of a second that a no-op ``build`` never needs to spend.
        state.corpus = cache.load(root, "corpus", key)
        if state.corpus is None:
            raw, _problems = read_seeds(root)
            state.corpus, _more = validate(raw, today=today)
    return state


def problems(root: Path, today: dt.date | None = None) -> list[Problem]:
    """Every problem (errors and warnings) of ``seeds/``, reusing a validation of the same inputs."""
    return list(_checked(root, today, need_corpus=False).problems)


def check(root: Path, today: dt.date | None = None, review: bool = False) -> tuple[Corpus, list[Problem]]:
    """Read and validate ``seeds/``; return the corpus and every problem (errors and warnings).

    ``review`` adds the corpus-wide warnings of ``python -m build_scripts check``
    (probable duplicates, names spelled two ways), left out of every rebuild of
    ``mkdocs serve`` to keep it quick. Without it, a validation of the same
    inputs is reused (see cache.py).
    """
    if review:
        raw, problems = read_seeds(root)
        corpus, more = validate(raw, today=today)
        return corpus, sorted(problems + more + review_warnings(raw))
    state = _checked(root, today, need_corpus=True)
    assert state.corpus is not None
    return state.corpus, list(state.problems)


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
    """Validate everything, then write the generated Markdown; raise ``InputError`` on any error.

    When neither the seeds, the code, the site settings nor the generated
    pages changed since the last generation, nothing is read, rendered or written.
    """
    root, docs = root.resolve(), docs.resolve()
    state = _checked(root, None, need_corpus=False)
    errors = [p for p in state.problems if p.severity == "error"]
    if errors:
        raise InputError(errors)
    warnings = [p for p in state.problems if p.severity != "error"]
    key = (state.key, site, str(docs))
    saved = _GENERATED.get(docs)
    manifest = saved[1] if saved is not None and saved[0] == key else cache.load(root, "generated", key)
    if manifest is not None and cache.file_stats(docs, list(manifest)) == manifest:
        _GENERATED[docs] = (key, manifest)
        return Generated(check(root)[0], warnings, WriteReport(unchanged=len(manifest)))
    corpus = check(root)[0]
    pages = render_site(corpus, site)
    bar = Progress("Génération de docs/", len(pages))
    report = write_pages(docs, pages, bar.advance)
    bar.close()
    stats = cache.file_stats(docs, sorted(pages)) or {}
    _GENERATED[docs] = (key, stats)
    cache.save(root, "generated", key, stats)
    return Generated(corpus, warnings, report)


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
        {"Performances": "performance.md"},
    ]
