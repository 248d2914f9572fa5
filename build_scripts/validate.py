"""Stage 2: judge the raw seeds against the schema and each other; build the model.

Every problem is collected; the caller decides to stop only once all are known.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from typing import Any

from build_scripts import quotes
from build_scripts.load import ALIASES_FILE, THEMES_FILE, RawSeeds, TextSeed
from build_scripts.model import Article, Corpus, Paragraph, SpeakerNote, Theme
from build_scripts.problems import Problem
from build_scripts.schema import DATE_RE, FIELDS, FIELDS_BY_NAME, ID_RE, SLUG_RE, URL_RE, Field
from build_scripts.yamlsafe import Document

SLUG_MAX = 80
_ASCII_SPACES = re.compile(r"[ \t\n\r\f\v]+")


def slugify(text: str) -> str:
    """ASCII, lower-case, hyphenated form of ``text`` for URLs."""
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae").replace("ß", "ss")
    # Apostrophes separate words in French (l’OTAN -> l-otan), they are not letters.
    text = text.replace("’", " ").replace("'", " ")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def default_slug(date: dt.date, title: str) -> str:
    """Readable, stable slug from the date and title, cut at a word boundary."""
    words = slugify(title)
    slug = f"{date.isoformat()}-{words}" if words else date.isoformat()
    if len(slug) > SLUG_MAX:
        slug = slug[:SLUG_MAX].rsplit("-", 1)[0]
    return slug


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" ; vouliez-vous dire « {close[0]} » ?" if close else ""


class _FieldReader:
    """Parses the fields of one metadata document, recording problems with their lines."""

    def __init__(self, doc: Document, path: str, problems: list[Problem]) -> None:
        self.doc = doc
        self.path = path
        self.problems = problems

    def error(self, message: str, *key: str | int) -> None:
        self.problems.append(Problem(self.path, self.doc.line(*key), message))

    def line_text(self, value: Any, key: tuple[str | int, ...], what: str) -> str | None:
        if not isinstance(value, str):
            kind = "une liste" if isinstance(value, list) else "un dictionnaire"
            self.error(f"{what} : un texte est attendu, pas {kind}", *key)
            return None
        text = value.strip()
        if "\n" in text:
            self.error(f"{what} : une seule ligne est attendue", *key)
            return None
        if not text:
            self.error(f"{what} : texte vide", *key)
            return None
        return text

    def read(self, field: Field, value: Any) -> Any:
        name = field.name
        label = f"champ « {name} »"
        example = f" (exemple : {name}: {_yaml_example(field.example)})"
        if field.kind in ("line", "url", "slug"):
            text = self.line_text(value, (name,), label)
            if text is None:
                return None
            if field.kind == "url" and not URL_RE.match(text):
                self.error(f"{label} : adresse http:// ou https:// attendue, trouvé « {text} »{example}", name)
                return None
            if field.kind == "slug" and not SLUG_RE.match(text):
                self.error(f"{label} : minuscules, chiffres et tirets seulement{example}", name)
                return None
            return text
        if field.kind == "paragraph":
            if not isinstance(value, str) or not value.strip():
                self.error(f"{label} : un paragraphe de texte est attendu", name)
                return None
            # Collapse line breaks and runs of spaces only: str.split() would also
            # turn the NBSP and narrow NBSP of French typography into plain spaces.
            return " ".join(_ASCII_SPACES.split(value.strip()))
        if field.kind == "date":
            if not isinstance(value, str) or not DATE_RE.match(value.strip()):
                self.error(f"{label} : date au format AAAA-MM-JJ attendue, trouvé « {value} »{example}", name)
                return None
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                self.error(f"{label} : la date {value.strip()} n'existe pas", name)
                return None
        if field.kind == "quotes":
            return self.read_quotes(value, label, example)
        # list and themes
        if not isinstance(value, list):
            self.error(f"{label} : une liste est attendue{example}", name)
            return None
        items: list[str] = []
        for i, item in enumerate(value):
            text = self.line_text(item, (name, i), f"{label}, élément {i + 1}")
            if text is not None and text not in items:
                items.append(text)
        if field.kind == "themes" and not value:
            self.error(f"{label} : au moins un dossier est attendu{example}", name)
        return tuple(items)

    def read_quotes(self, value: Any, label: str, example: str) -> tuple[SpeakerNote, ...] | None:
        if not isinstance(value, list):
            self.error(f"{label} : une liste est attendue{example}", "quotes")
            return None
        notes: list[SpeakerNote] = []
        for i, item in enumerate(value):
            what = f"{label}, élément {i + 1}"
            if not isinstance(item, dict) or set(item) != {"text", "speaker"}:
                self.error(f"{what} : « text » et « speaker » sont attendus, et eux seuls{example}", "quotes", i)
                continue
            text = self.line_text(item["text"], ("quotes", i, "text"), f"{what}, « text »")
            speaker = self.line_text(item["speaker"], ("quotes", i, "speaker"), f"{what}, « speaker »")
            if text and speaker:
                notes.append(SpeakerNote(" ".join(text.split()), speaker))
        return tuple(notes)


def _yaml_example(example: Any) -> str:
    if isinstance(example, list):
        return "[" + ", ".join(_yaml_example(item) for item in example) + "]"
    if isinstance(example, dict):
        return "{" + ", ".join(f"{key}: {value}" for key, value in example.items()) + "}"
    return str(example)


ALIAS_KINDS = {"people": "personnes", "places": "lieux", "organisations": "organisations"}


def read_aliases(doc: Document | None, path: str, problems: list[Problem]) -> dict[str, dict[str, str]]:
    """Validate ``aliases.yml``: for each kind, ``canonical name: [variant, …]``; return variant -> canonical."""
    result: dict[str, dict[str, str]] = {kind: {} for kind in ALIAS_KINDS}
    if doc is None or doc.value is None:
        return result
    reader = _FieldReader(doc, path, problems)
    example = " (exemple : people: {Vladimir Poutine: [Poutine, V. Poutine]})"
    if not isinstance(doc.value, dict):
        reader.error(f"un dictionnaire par sorte de nom est attendu{example}")
        return result
    for kind, entries in doc.value.items():
        if kind not in ALIAS_KINDS:
            reader.error(
                f"section inconnue « {kind} »{_suggest(kind, list(ALIAS_KINDS))} ; "
                f"sections possibles : {', '.join(ALIAS_KINDS)}",
                kind,
            )
            continue
        if entries is None:
            continue
        if not isinstance(entries, dict):
            reader.error(f"« {kind} » : un dictionnaire « nom retenu: [variantes] » est attendu{example}", kind)
            continue
        variants = result[kind]
        for name, values in entries.items():
            where = f"« {kind} », « {name} »"
            if not isinstance(values, list) or not values:
                reader.error(f"{where} : une liste de variantes est attendue{example}", kind, name)
                continue
            if name in variants:
                reader.error(f"{where} : ce nom est déjà une variante de « {variants[name]} »", kind, name)
                continue
            for i, value in enumerate(values):
                variant = reader.line_text(value, (kind, name, i), f"{where}, variante {i + 1}")
                if variant is None:
                    continue
                if variant == name:
                    reader.error(f"{where} : la variante « {variant} » est le nom retenu lui-même", kind, name, i)
                elif variant in entries:
                    reader.error(f"{where} : « {variant} » est aussi un nom retenu ; gardez-en un seul", kind, name, i)
                elif variant in variants and variants[variant] != name:
                    reader.error(
                        f"{where} : « {variant} » est déjà une variante de « {variants[variant]} »", kind, name, i
                    )
                else:
                    variants[variant] = name
    return result


def read_themes(doc: Document | None, path: str, problems: list[Problem]) -> list[Theme]:
    """Validate ``themes.yml``: a list of {id, title, description, keywords}."""
    if doc is None:
        return []
    if not isinstance(doc.value, list) or not doc.value:
        problems.append(Problem(path, doc.line(), "une liste de dossiers est attendue (- id: otan …)"))
        return []
    themes: list[Theme] = []
    seen: dict[str, int | None] = {}
    reader = _FieldReader(doc, path, problems)
    for i, entry in enumerate(doc.value):
        if not isinstance(entry, dict):
            reader.error(f"dossier n° {i + 1} : id, title, description et keywords sont attendus", i)
            continue
        for key in entry:
            if key not in ("id", "title", "description", "keywords"):
                reader.error(f"dossier n° {i + 1} : champ inconnu « {key} »", i, key)
        values: dict[str, Any] = {}
        for key in ("id", "title", "description"):
            if entry.get(key) is None:
                reader.error(f"dossier n° {i + 1} : champ « {key} » manquant", i)
                continue
            what = f"dossier n° {i + 1}, champ « {key} »"
            if key == "description":
                if isinstance(entry[key], str) and entry[key].strip():
                    values[key] = entry[key].strip()
                else:
                    reader.error(f"{what} : texte attendu", i, key)
            else:
                values[key] = reader.line_text(entry[key], (i, key), what)
        keywords: list[str] = []
        raw_keywords = entry.get("keywords") or []
        if not isinstance(raw_keywords, list):
            reader.error(f"dossier n° {i + 1} : « keywords » doit être une liste", i, "keywords")
        else:
            for j, word in enumerate(raw_keywords):
                text = reader.line_text(word, (i, "keywords", j), f"dossier n° {i + 1}, mot-clé {j + 1}")
                if text:
                    keywords.append(text)
        theme_id = values.get("id")
        if theme_id is not None and not ID_RE.match(theme_id):
            reader.error(f"identifiant de dossier « {theme_id} » : minuscules, chiffres et tirets seulement", i, "id")
            continue
        if theme_id in seen:
            reader.error(f"dossier « {theme_id} » déclaré deux fois (déjà ligne {seen[theme_id]})", i, "id")
            continue
        if theme_id and values.get("title") and values.get("description"):
            seen[theme_id] = doc.line(i, "id")
            themes.append(Theme(theme_id, values["title"], values["description"], tuple(keywords)))
    return themes


def read_article(
    stem: str, doc: Document, text: TextSeed, theme_ids: list[str] | None, problems: list[Problem]
) -> Article | None:
    """Validate one article's metadata against the schema and its text.

    ``theme_ids`` is None when ``themes.yml`` could not be read: its own error
    is then the one to fix, and every article is not reported a second time.
    """
    path = text.path[: -len(".txt")] + ".yml"
    before = len(problems)
    reader = _FieldReader(doc, path, problems)
    if not isinstance(doc.value, dict):
        reader.error("un dictionnaire de champs est attendu (date: …, source: …, themes: […])")
        return None
    data = doc.value
    names = [f.name for f in FIELDS]
    for key in data:
        if key not in FIELDS_BY_NAME:
            reader.error(f"champ inconnu « {key} »{_suggest(key, names)}", key)
    values: dict[str, Any] = {}
    for field in FIELDS:
        if data.get(field.name) is None:
            if field.required:
                example = _yaml_example(field.example)
                reader.error(f"champ obligatoire « {field.name} » manquant (exemple : {field.name}: {example})")
            continue
        values[field.name] = reader.read(field, data[field.name])
    for i, theme in enumerate(values.get("themes") or ()):
        if theme_ids is not None and theme not in theme_ids:
            reader.error(
                f"dossier inconnu « {theme} »{_suggest(theme, theme_ids)} ; "
                f"dossiers déclarés dans seeds/{THEMES_FILE} : {', '.join(theme_ids)}",
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
    found = [q.text for _, line in kept for q in quotes.extract(line)]
    for i, note in enumerate(values.get("quotes") or ()):
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
        slug=values.get("slug") or default_slug(values["date"], title),
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


def _theme_ids(meta: dict[str, Any]) -> list[str]:
    """Theme ids a raw metadata document names, whatever else is wrong with it."""
    value = meta.get("themes")
    return [t.strip() for t in value if isinstance(t, str)] if isinstance(value, list) else []


def validate(raw: RawSeeds, seeds_dir: str = "seeds", today: dt.date | None = None) -> tuple[Corpus, list[Problem]]:
    """Build the corpus from raw seeds; return it with every problem found (errors and warnings)."""
    problems: list[Problem] = []
    themes = read_themes(raw.themes, f"{seeds_dir}/{THEMES_FILE}", problems)
    # A themes.yml that is missing or wrong is reported once, not once per article.
    themes_ok = raw.themes is not None and not problems
    theme_ids = [t.id for t in themes] if themes_ok else None
    aliases = read_aliases(raw.aliases, f"{seeds_dir}/{ALIASES_FILE}", problems)
    articles: list[Article] = []
    for stem in sorted(raw.metas):
        if stem in raw.texts:
            article = read_article(stem, raw.metas[stem], raw.texts[stem], theme_ids, problems)
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
            problems.append(Problem(f"{seeds_dir}/{THEMES_FILE}", None, message, "warning"))
    articles.sort(key=lambda a: (-a.date.toordinal(), a.slug))
    return Corpus(tuple(themes), tuple(articles), aliases), problems
