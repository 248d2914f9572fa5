"""Read one article: its metadata against ``schema.FIELDS``, checked against its own text."""

from __future__ import annotations

from build_scripts import quotes
from build_scripts.load import TextSeed
from build_scripts.model import Article, Paragraph
from build_scripts.problems import Problem
from build_scripts.schema import FIELDS, SEEDS_DIR, THEMES_FILE
from build_scripts.text import dated_slug
from build_scripts.validate.fields import FieldReader, suggest
from build_scripts.yamlsafe import Document


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
            reader.error(f"ligne à omettre introuvable dans {text.path} : « {line} »", "omit", i)
    kept = [(n, line) for n, line in text.lines if line not in omit]
    if not kept:
        problems.append(Problem(path, doc.line("omit"), "« omit » retire toutes les lignes du texte"))
    if len(problems) > before:
        return None
    notes = values.get("quotes") or ()
    # Only an article that names speakers needs its quotations now (group.py finds them all later).
    found = [q.text for _, line in kept for q in quotes.extract(line)] if notes else []
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
    paragraphs = tuple(Paragraph(i, line, n) for i, (n, line) in enumerate(kept[1:], 1))
    return Article(
        id=stem,
        slug=values.get("slug") or dated_slug(values["date"].isoformat(), title),
        title=title,
        headline=headline,
        date=values["date"],
        source=values["source"],
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
