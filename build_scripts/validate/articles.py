"""Read one article: its metadata against ``schema.FIELDS``, checked against its own text."""

from __future__ import annotations

from build_scripts import quotes
from build_scripts.load import TextSeed
from build_scripts.model import Article, Paragraph
from build_scripts.problems import Problem
from build_scripts.schema import FIELDS, SEEDS_DIR, THEMES_FILE, UNKNOWN_SOURCE
from build_scripts.text import dated_slug, fold
from build_scripts.validate.fields import FieldReader, suggest
from build_scripts.yamlsafe import Document

# Ways of writing "unknown" that are not the one marker: each would become an
# outlet named so, in every list and index (issue 12).
_UNKNOWN_LOOKALIKES = frozenset(
    fold(s)
    for s in (
        "inconnu",
        "source inconnue",
        "média inconnu",
        "source non identifiée",
        "non identifiée",
        "non identifié",
        "média non identifié",
        "unknown",
        "n/a",
    )
)


def _spaces(line: str) -> str:
    """A line with every kind of space made one plain space: what a listed line is compared on for a hint."""
    return " ".join(line.replace("\u00a0", " ").replace("\u202f", " ").split())


def _missing(line: str, what: str, text: TextSeed) -> str:
    """« … introuvable », with the text line it probably means when only its spaces differ (NBSP)."""
    message = f"{what} introuvable dans {text.path} : « {line} »"
    near = next((n for n, candidate in text.lines if _spaces(candidate) == _spaces(line)), None)
    if near is not None:
        message += f" ; la ligne {near} du texte n'en diffère que par ses espaces (insécables ?) : recopiez-la du texte"
    return message


def read_article(
    stem: str, doc: Document, text: TextSeed, theme_ids: list[str] | None, problems: list[Problem]
) -> Article | None:
    """The article of ``seeds/<stem>.txt`` and ``.yml``, or ``None`` with its problems added.

    ``theme_ids`` is None when ``themes.yml`` could not be read: its own error
    is then the one to fix, and every article is not reported a second time.
    """
    path = text.path[: -len(".txt")] + ".yml"
    before = len(problems)
    reader = FieldReader(doc, path, problems)
    if not isinstance(doc.value, dict):
        reader.error("un dictionnaire de champs est attendu (date: …, source: …, themes: […])")
        return None
    values = reader.record(FIELDS, doc.value)
    for i, theme in enumerate(values.get("themes") or ()):
        if theme_ids is not None and theme not in theme_ids:
            reader.error(
                f"dossier inconnu « {theme} »{suggest(theme, theme_ids)} ; "
                f"dossiers déclarés dans {SEEDS_DIR}/{THEMES_FILE} : {', '.join(theme_ids)}",
                "themes",
                i,
            )
    if not text.lines:
        problems.append(Problem(text.path, None, "le texte est vide"))
        return None
    omit = values.get("omit") or ()
    present = {line for _, line in text.lines}
    for i, line in enumerate(omit):
        if line not in present:
            reader.error(_missing(line, "ligne à omettre", text), "omit", i)
    kept = [(n, line) for n, line in text.lines if line not in omit]
    if not kept:
        problems.append(Problem(path, doc.line("omit"), "« omit » retire toutes les lignes du texte"))
    intertitles = values.get("intertitles") or ()
    body = {line for _, line in kept[1:]}
    for i, line in enumerate(intertitles):
        if line not in present:
            reader.error(_missing(line, "intertitre", text), "intertitles", i)
        elif line in omit:
            reader.error(f"« {line} » est à la fois dans « omit » et dans « intertitles »", "intertitles", i)
        elif line not in body:
            reader.error(f"« {line} » est le titre de l'article, pas un intertitre", "intertitles", i)
    source = values.get("source")
    if source is not None and source != UNKNOWN_SOURCE and fold(source) in _UNKNOWN_LOOKALIKES:
        reader.error(
            f"champ « source » : « {source} » n'est pas un média ; si le média est inconnu, "
            f"écrivez exactement : source: {UNKNOWN_SOURCE}",
            "source",
        )
    if len(problems) > before:
        return None
    notes = values.get("quotes") or ()
    # Only an article that names speakers needs its quotations now (group.py finds them all later).
    quoted = [line for i, (_, line) in enumerate(kept) if i == 0 or line not in intertitles]
    found = [q.text for line in quoted for q in quotes.extract(line)] if notes else []
    for i, note in enumerate(notes):
        if not any(text.startswith(note.quote) for text in found):
            reader.error(
                f"champ « quotes », élément {i + 1} : aucune citation de {quotes.MIN_WORDS} mots ou plus "
                f"ne commence par « {note.quote} » dans {text.path} (recopiez le début exact, sans les guillemets)",
                "quotes",
                i,
                "text",
            )
    if len(problems) > before:
        return None
    headline = kept[0][1]
    title = values.get("title") or headline
    paragraphs = tuple(Paragraph(i, line, n, line in intertitles) for i, (n, line) in enumerate(kept[1:], 1))
    return Article(
        id=stem,
        slug=values.get("slug") or dated_slug(values["date"].isoformat(), title),
        title=title,
        headline=headline,
        date=values["date"],
        source=None if values["source"] == UNKNOWN_SOURCE else values["source"],
        paragraphs=paragraphs,
        themes=values["themes"],
        url=values.get("url"),
        author=values.get("author"),
        summary=values.get("summary"),
        tags=values.get("tags") or (),
        people=values.get("people") or (),
        places=values.get("places") or (),
        organisations=values.get("organisations") or (),
        speakers=values.get("quotes") or (),
        text_path=text.path,
        meta_path=path,
    )
