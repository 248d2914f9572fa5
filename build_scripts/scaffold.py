"""``python -m build_scripts new``: turn a clipped text into a seed and a pre-filled YAML.

Every value written is a guess, marked by a comment for the maintainer to
confirm; what cannot be guessed is left blank so that ``check`` asks for it.
The guesses are plain functions of the text (and of what the corpus already
knows), tested on their own.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from babel.dates import get_day_names, get_month_names

from build_scripts import entities
from build_scripts.load import THEMES_FILE, read_seeds, refuse_links, split_lines
from build_scripts.model import Theme
from build_scripts.problems import Problem
from build_scripts.schema import FIELDS
from build_scripts.validate import SLUG_MAX, read_themes, slugify, validate

SCHEMA_LINE = "# yaml-language-server: $schema=article.schema.json"
UNKNOWN_SOURCE = "Source non identifiée"
LONG_TITLE = 150
"""A first line longer than this is probably a paragraph, not a title."""
YEARS_BACK = 40
"""How far back a weekday may place a date whose year the text omits."""

# --- Dates -----------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _number, _name in get_month_names("wide", locale="fr").items():
    _MONTHS[_name.lower()] = _number
    _MONTHS[entities.fold(_name)] = _number
_WEEKDAYS: dict[str, int] = {name.lower(): number for number, name in get_day_names("wide", locale="fr").items()}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_RE = "|".join(_WEEKDAYS)
_FRENCH_DATE = re.compile(
    rf"(?<!\w)(?:(?P<ce>ce|le|du|depuis le|dès le)\s+)?(?:(?P<wd>{_DAY_RE})\s+)?"
    rf"(?P<d>1er|[0-3]?\d)\s+(?P<m>{_MONTH_RE})(?:\s+(?P<y>(?:19|20)\d\d))?(?!\w)",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(r"(?<![\d/.])(?P<d>[0-3]?\d)[/.](?P<m>[01]?\d)[/.](?P<y>(?:19|20)\d\d)(?![\d/.])")
_ISO_DATE = re.compile(r"(?<![\d-])(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d-])")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_WEEKDAY_WORD = re.compile(rf"(?<!\w)({_DAY_RE})(?!\w)", re.IGNORECASE)
_WEEKDAY_NAMES = {number: name for name, number in _WEEKDAYS.items()}


@dataclass(frozen=True)
class Guess:
    """A value proposed for one field, with the reason shown to the maintainer."""

    value: Any
    """The proposed value, or ``None`` when nothing could be guessed."""
    note: str
    """Why, in French: written as a YAML comment above the field."""


@dataclass(frozen=True)
class _DateMention:
    position: int
    line: int
    phrase: str
    day: int
    month: int
    year: int | None
    weekday: int | None
    score: int


def _mentions(lines: list[str]) -> list[_DateMention]:
    found: list[_DateMention] = []
    offset = 0
    for number, line in enumerate(lines, 1):
        for match in _FRENCH_DATE.finditer(line):
            day = 1 if match["d"].lower() == "1er" else int(match["d"])
            weekday = _WEEKDAYS[match["wd"].lower()] if match["wd"] else None
            year = int(match["y"]) if match["y"] else None
            # A date with its weekday ("ce jeudi 16 février") is how French
            # press dates its own story; a bare date is more often a reference.
            score = 3 * (weekday is not None) + 2 * (match["ce"] is not None) + (year is not None) + 2 * (number <= 3)
            found.append(
                _DateMention(
                    offset + match.start(),
                    number,
                    match[0].strip(),
                    day,
                    _MONTHS[match["m"].lower()],
                    year,
                    weekday,
                    score,
                )
            )
        for pattern in (_NUMERIC_DATE, _ISO_DATE):
            for match in pattern.finditer(line):
                score = 1 + 2 * (number <= 3)
                found.append(
                    _DateMention(
                        offset + match.start(),
                        number,
                        match[0],
                        int(match["d"]),
                        int(match["m"]),
                        int(match["y"]),
                        None,
                        score,
                    )
                )
        offset += len(line) + 1
    return found


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def guess_date(lines: list[str], today: dt.date) -> Guess:
    """The article's date from French phrases; the year, when missing, from context."""
    candidates = [m for m in _mentions(lines) if _make(m.year or 2000, m.month, m.day)]
    if not candidates:
        return Guess(None, "À COMPLÉTER : aucune date trouvée dans le texte (format AAAA-MM-JJ).")
    best = max(candidates, key=lambda m: (m.score, -m.position))
    where = f"« {best.phrase} » (ligne {best.line} du texte)"
    if best.year is not None:
        day = _make(best.year, best.month, best.day)
        assert day is not None
        return Guess(day, f"À CONFIRMER : date lue dans le texte : {where}.{_weekday_check(day, best.weekday)}")
    weekday = best.weekday
    weekday_word = None
    if weekday is None:
        # « Paris, 28 janvier (TASR) – … se sont mis d'accord vendredi » : the
        # weekday is often further along the same line.
        other = _WEEKDAY_WORD.search(lines[best.line - 1])
        if other:
            weekday_word = other[1].lower()
            weekday = _WEEKDAYS[weekday_word]
    years = Counter(int(y) for line in lines for y in _YEAR.findall(line) if int(y) <= today.year)
    if years:
        year = max(years, key=lambda y: (years[y], y))
        day = _make(year, best.month, best.day)
        if day is not None:
            return Guess(
                day,
                f"À CONFIRMER : date lue dans le texte : {where} ; l'année {year} est la plus citée dans le "
                f"texte.{_weekday_check(day, weekday)}",
            )
    if weekday is not None:
        for year in range(today.year, today.year - YEARS_BACK, -1):
            day = _make(year, best.month, best.day)
            if day is not None and day <= today and day.weekday() == weekday:
                because = f"« {weekday_word} » plus loin sur la même ligne" if weekday_word else "le jour de la semaine"
                return Guess(
                    day,
                    f"À CONFIRMER : date lue dans le texte : {where} ; le texte ne donne pas l'année : "
                    f"{year} est la dernière année où ce jour tombe un {_WEEKDAY_NAMES[weekday]} "
                    f"(d'après {because}).",
                )
    year = today.year
    day = _make(year, best.month, best.day)
    if day is None or day > today:
        year -= 1
        day = _make(year, best.month, best.day)
    return Guess(
        day,
        f"À VÉRIFIER : date lue dans le texte : {where}, sans année ; l'année {year} est une supposition "
        "(année en cours) : corrigez-la.",
    )


def _weekday_check(day: dt.date, weekday: int | None) -> str:
    if weekday is None or day.weekday() == weekday:
        return ""
    return (
        f" Attention : le texte dit « {_WEEKDAY_NAMES[weekday]} », mais ce jour-là était un "
        f"{_WEEKDAY_NAMES[day.weekday()]}."
    )


# --- Title -----------------------------------------------------------------


def guess_title(lines: list[str]) -> Guess:
    """The first line, unless it reads like a paragraph."""
    first = lines[0]
    if len(first) > LONG_TITLE:
        return Guess(
            None,
            f"À COMPLÉTER (facultatif) : la première ligne du texte fait {len(first)} caractères, c'est sans doute "
            "un paragraphe ; donnez un titre court (sinon elle sert de titre).",
        )
    return Guess(first, "À CONFIRMER : titre repris de la première ligne du texte.")


# --- Themes ----------------------------------------------------------------


def _word_pattern(word: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", flags)


def suggest_themes(text: str, themes: list[Theme]) -> Guess:
    """Themes whose ``keywords`` (from ``themes.yml``) occur in the text, most cited first."""
    scored: list[tuple[int, int, str, list[str]]] = []
    for order, theme in enumerate(themes):
        hits = Counter[str]()
        for keyword in theme.keywords:
            count = len(_word_pattern(keyword, re.IGNORECASE).findall(text))
            if count:
                hits[keyword] = count
        total = sum(hits.values())
        if total:
            scored.append((total, -order, theme.id, [f"{k} ×{n}" for k, n in hits.most_common()]))
    scored.sort(reverse=True)
    # A single passing mention does not make an article part of a dossier,
    # unless nothing else matches.
    chosen = [s for s in scored if s[0] >= 2] or scored[:1]
    if not chosen:
        ids = ", ".join(t.id for t in themes)
        return Guess([], f"À COMPLÉTER : aucun mot-clé de seeds/{THEMES_FILE} trouvé ; dossiers possibles : {ids}.")
    detail = " ; ".join(f"{theme_id} ({', '.join(words)})" for _, _, theme_id, words in chosen)
    others = [s[2] for s in scored if s not in chosen]
    more = f" Cités une seule fois : {', '.join(others)}." if others else ""
    return Guess(
        [s[2] for s in chosen],
        f"À CONFIRMER : dossiers suggérés d'après les mots-clés de seeds/{THEMES_FILE} : {detail}.{more}",
    )


# --- People, places, organisations -------------------------------------------


@dataclass
class Known:
    """What the corpus already knows, to recognise it in a new text."""

    names: dict[str, dict[str, str]] = field(default_factory=lambda: {f: {} for f in entities.ENTITY_FIELDS})
    """Per field: spelling found in a text -> name to write in the YAML."""
    outlets: set[str] = field(default_factory=set)
    """Outlets named as ``source`` in existing seeds."""
    omit: set[str] = field(default_factory=set)
    """Lines that existing seeds omit (site clutter)."""
    themes: list[Theme] = field(default_factory=list)
    """Dossiers of ``themes.yml``."""
    stems: set[str] = field(default_factory=set)
    """Existing seed names."""


def learn(root: Path) -> Known:
    """Read what the corpus knows; a broken corpus yields what could be read."""
    raw, _ = read_seeds(root)
    known = Known()
    known.themes = read_themes(raw.themes, f"seeds/{THEMES_FILE}", [])
    aliases = entities.read_aliases(raw.aliases)
    canonical_names = set(aliases.values())
    field_of: dict[str, str] = {}
    for mention in entities.mentions(raw.metas):
        name = aliases.get(mention.name, mention.name)
        known.names[mention.field].setdefault(mention.name, name)
        known.names[mention.field].setdefault(name, name)
        field_of.setdefault(name, mention.field)
    # Aliases of names the corpus never used still teach spellings.
    for variant, name in aliases.items():
        target = field_of.get(name, "people" if name in canonical_names and len(name.split()) > 1 else None)
        if target:
            known.names[target].setdefault(variant, name)
            known.names[target].setdefault(name, name)
    # « Poutine » alone stands for the only known person of that surname.
    people = known.names["people"]
    surnames: dict[str, set[str]] = {}
    for name in set(people.values()):
        parts = name.split()
        if len(parts) > 1:
            surnames.setdefault(parts[-1], set()).add(name)
    for surname, names in surnames.items():
        if len(names) == 1 and surname not in people:
            people[surname] = next(iter(names))
    for stem, doc in raw.metas.items():
        known.stems.add(stem)
        if isinstance(doc.value, dict):
            source = doc.value.get("source")
            if isinstance(source, str) and source.strip() and source.strip() != UNKNOWN_SOURCE:
                known.outlets.add(source.strip())
            for line in doc.value.get("omit") or []:
                if isinstance(line, str) and line.strip():
                    known.omit.add(line.strip())
    known.stems |= set(raw.texts)
    return known


def _plain(text: str) -> str:
    return entities.MARKS.sub("", unicodedata.normalize("NFKD", text)).replace("’", "'")


def suggest_entities(text: str, known: Known) -> dict[str, Guess]:
    """Known people, places and organisations named in the text, in order of first mention."""
    guesses: dict[str, Guess] = {}
    plain = _plain(text)
    for name in entities.ENTITY_FIELDS:
        spellings = known.names[name]
        found: dict[str, int] = {}
        for spelling in sorted(spellings, key=len, reverse=True):
            # Accents are often dropped on capitals (« Etats-Unis »); case is kept,
            # since « Paris » and « paris » are different words.
            match = _word_pattern(_plain(spelling)).search(plain)
            if match:
                target = spellings[spelling]
                found[target] = min(found.get(target, match.start()), match.start())
        values = sorted(found, key=lambda n: (found[n], n))
        note = (
            "À CONFIRMER : noms déjà connus du corpus trouvés dans le texte ; ajoutez les autres."
            if values
            else "À COMPLÉTER : aucun nom connu du corpus trouvé dans le texte."
        )
        guesses[name] = Guess(values, note)
    return guesses


# --- Outlet ----------------------------------------------------------------

AGENCIES = (
    "AFP",
    "Reuters",
    "AP",
    "Associated Press",
    "TASR",
    "TASS",
    "RIA Novosti",
    "Sputnik",
    "Interfax",
    "Belga",
    "ATS",
    "ANSA",
    "DPA",
    "EFE",
    "Xinhua",
    "UNIAN",
    "Ukrinform",
    "News Agencies",
)
OUTLETS = (
    "Le Figaro",
    "Le Monde",
    "Libération",
    "Le Parisien",
    "L'Express",
    "Le Point",
    "Ouest-France",
    "20 Minutes",
    "France 24",
    "BFMTV",
    "franceinfo",
    "France Info",
    "RFI",
    "Euronews",
    "RT",
    "RT France",
    "BBC",
    "CNN",
    "Al Jazeera",
    "International Business Times",
    "Courrier international",
    "La Croix",
    "L'Humanité",
    "Les Echos",
    "Le Temps",
    "La Libre Belgique",
    "Le Soir",
    "Radio-Canada",
    "TV5Monde",
)
_SOURCE_LINE = re.compile(r"^(?:sources?|crédits?|avec)\s*:\s*(?P<name>[^:]{2,60}?)\s*\.?$", re.IGNORECASE)
_DATELINE = re.compile(
    rf"^[A-ZÀ-Ý][^,\n]{{1,40}},\s*(?:le\s+)?(?:1er|[0-3]?\d)\s+(?:{_MONTH_RE})(?:\s+\d{{4}})?\s*"
    r"\((?P<name>[^()\n]{2,40})\)",
    re.IGNORECASE,
)
_CITING = (
    r"(?:selon|d['’]après|cité(?:e|s|es)? par|a déclaré à|a indiqué à|a confié à|interrogée? par|au quotidien"
    r"(?: \w+)?|au journal|à la chaîne|à l['’]agence|l['’]agence|au site|sur le site)"
)


def guess_outlet(lines: list[str], known: Known) -> tuple[Guess, list[str]]:
    """The outlet from an attribution the text prints ("(TASR)", "Source: News Agencies").

    An outlet the text only *quotes* ("selon l'AFP", "au quotidien Le Figaro")
    is not the one that published it: it is returned apart, as an organisation.
    """
    names = sorted({*AGENCIES, *OUTLETS, *known.outlets}, key=len, reverse=True)
    text = "\n".join(lines)
    cited: list[str] = []
    for name in names:
        if _word_pattern(name).search(text) and not any(name in c for c in cited):
            cited.append(name)
    for number, line in enumerate(lines, 1):
        match = _DATELINE.match(line) or _SOURCE_LINE.match(line)
        if match is None and line.strip("()© ") in names and len(line) < 40:
            match = re.match(r"(?P<name>.+)", line.strip("()© "))
        if match:
            name = match["name"].strip()
            return (
                Guess(name, f"À CONFIRMER : média lu dans le texte, ligne {number} : « {line[:80]} »."),
                [c for c in cited if c != name],
            )
    quoted = []
    for name in cited:
        match = re.search(rf"{_CITING}\s+(?:l['’]|le |la |les |du )?{re.escape(name)}(?![\w-])", text, re.IGNORECASE)
        quoted.append(f"« {match[0]} »" if match else name)
    hint = f" Le texte cite {', '.join(quoted)} : un média cité n'est pas forcément celui qui publie." if cited else ""
    return (
        Guess(
            None,
            f"À COMPLÉTER : le texte ne dit pas quel média l'a publié.{hint} "
            f"Si vous ne le savez pas, écrivez : source: {UNKNOWN_SOURCE}",
        ),
        cited,
    )


# --- Clutter -----------------------------------------------------------------

CLUTTER = (
    r"laisse[rz] un commentaire",
    r"poster un commentaire",
    r"\d*\s*commentaires?\s*:?",
    r"répondre",
    r"vous aimerez aussi.*",
    r"(?:à |a )?lire aussi.*",
    r"sur le même sujet.*",
    r"articles? similaires?.*",
    r"votre adresse (?:e-?mail|de messagerie) ne sera pas publiée.*",
    r"les champs obligatoires sont indiqués.*",
    r"enregistrer mon nom.*",
    r"partager(?: sur \w+| cet article| l['’]article)?\s*:?",
    r"partagez.*",
    r"tweet(?:er)?",
    r"imprimer",
    r"envoyer par (?:e-?mail|courriel)",
    r"abonnez-vous.*",
    r".*newsletter.*",
    r"suivez-nous.*",
    r"publicité",
    r"revoir la vidéo.*",
    r"(?:voir|regarder) la vidéo.*",
    r"cliquez ici.*",
    r"lire la suite.*",
    r"(?:nom|e-?mail|site web|commentaire)\s*\*?",
    r"tous droits réservés.*",
    r"©.*",
)
_CLUTTER_RE = re.compile("|".join(f"(?:{c})" for c in CLUTTER), re.IGNORECASE)
CLUTTER_MAX = 200
"""Clutter is short; a long line starting like clutter is a paragraph."""


def propose_omit(lines: list[str], known: Known) -> Guess:
    """Lines that look like site clutter, or that other seeds already omit."""
    found = [
        line for line in lines[1:] if line in known.omit or (len(line) <= CLUTTER_MAX and _CLUTTER_RE.fullmatch(line))
    ]
    found = list(dict.fromkeys(found))
    if not found:
        return Guess([], "Lignes du texte à ne pas publier (commentaires, « Vous aimerez aussi… ») : aucune repérée.")
    return Guess(found, "À CONFIRMER : lignes qui ressemblent à l'habillage du site d'origine, non publiées.")


# --- The YAML ---------------------------------------------------------------


def _scalar(value: str) -> str:
    dumped = yaml.safe_dump(value, allow_unicode=True, width=10**9, default_flow_style=True)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def _comment(note: str) -> list[str]:
    return ["# " + line for line in textwrap.wrap(note, 100, break_long_words=False, break_on_hyphens=False)]


def render_yaml(guesses: dict[str, Guess]) -> str:
    """The metadata file: schema line, then each field in schema order with its note."""
    out = [
        SCHEMA_LINE,
        "# Préparé par « python -m build_scripts new ». Vérifiez chaque ligne « À CONFIRMER »,",
        "# remplissez chaque « À COMPLÉTER », puis lancez : python -m build_scripts check",
    ]
    for spec in FIELDS:
        guess = guesses.get(spec.name)
        if guess is None:
            continue
        out += _comment(guess.note)
        value = guess.value
        if value is None:
            out.append(f"{spec.name}:")
        elif isinstance(value, list):
            if spec.name == "omit" and value:
                out.append(f"{spec.name}:")
                out += [f"  - {_scalar(v)}" for v in value]
            else:
                out.append(f"{spec.name}: [{', '.join(_scalar(v) for v in value)}]")
        elif isinstance(value, dt.date):
            out.append(f"{spec.name}: {value.isoformat()}")
        else:
            out.append(f"{spec.name}: {_scalar(str(value))}")
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class Draft:
    """What ``new`` proposes for one text."""

    stem: str
    """File name, without extension, in ``seeds/``."""
    yaml: str
    """The pre-filled metadata."""
    guesses: dict[str, Guess]
    """Each field's guess."""


def draft(
    text: str,
    known: Known,
    today: dt.date,
    title: str | None = None,
    date: dt.date | None = None,
    source: str | None = None,
) -> Draft:
    """Guess every field for ``text``; options given by the maintainer win over guesses."""
    lines = [line for _, line in split_lines(text)]
    guesses: dict[str, Guess] = {}
    guesses["title"] = Guess(title, "Titre donné par --title.") if title else guess_title(lines)
    guesses["date"] = Guess(date, "Date donnée par --date.") if date else guess_date(lines, today)
    outlet, cited = guess_outlet(lines, known)
    guesses["source"] = Guess(source, "Média donné par --source.") if source else outlet
    guesses["url"] = Guess(None, "À COMPLÉTER (facultatif) : adresse de l'article original, http:// ou https://.")
    guesses["author"] = Guess(None, "À COMPLÉTER (facultatif) : auteur ou autrice, si le texte le nomme.")
    body = "\n".join(lines)
    guesses["themes"] = suggest_themes(body, known.themes)
    guesses["tags"] = Guess([], "Facultatif : mots-clés libres, par exemple [diplomatie, sécurité].")
    found = suggest_entities(body, known)
    organisations = list(found["organisations"].value)
    organisations += [c for c in cited if c not in organisations and c not in known.names["places"]]
    if cited and not found["organisations"].value:
        found["organisations"] = Guess(organisations, "À CONFIRMER : médias cités dans le texte ; ajoutez les autres.")
    else:
        found["organisations"] = Guess(organisations, found["organisations"].note)
    guesses.update(found)
    guesses["summary"] = Guess(None, "À COMPLÉTER (facultatif) : résumé en un paragraphe.")
    guesses["omit"] = propose_omit(lines, known)
    stem = seed_stem(guesses["date"].value, guesses["title"].value or lines[0], known.stems)
    return Draft(stem, render_yaml(guesses), guesses)


def seed_stem(date: dt.date | None, title: str, taken: set[str]) -> str:
    """``2017-02-16-poutine-l-otan-nous-provoque…``, never one already taken."""
    base = f"{date.isoformat() if date else 'sans-date'}-{slugify(title)}".rstrip("-")
    if len(base) > SLUG_MAX:
        base = base[:SLUG_MAX].rsplit("-", 1)[0]
    stem, n = base, 2
    while stem in taken:
        stem, n = f"{base}-{n}", n + 1
    return stem


def create(root: Path, text: str, draft_: Draft, seeds_dir: str = "seeds") -> tuple[list[Path], list[Problem]]:
    """Write the text and its YAML into ``seeds/``; never replaces an existing file, never writes through a link."""
    seeds = root / seeds_dir
    linked = refuse_links(root, seeds_dir).get(".")
    if linked is not None:
        return [], [linked]
    stem = draft_.stem
    taken = {p.stem for p in seeds.iterdir()} if seeds.is_dir() else set()
    n = 2
    while stem in taken:
        stem, n = f"{draft_.stem}-{n}", n + 1
    txt, yml = seeds / f"{stem}.txt", seeds / f"{stem}.yml"
    seeds.mkdir(parents=True, exist_ok=True)
    body = text if text.endswith("\n") else text + "\n"
    try:
        # Mode "x" (O_CREAT | O_EXCL) refuses an existing file, even one created
        # meanwhile, and never follows a link put in its place (POSIX open()).
        with open(txt, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(body)
        try:
            with open(yml, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(draft_.yaml)
        except OSError:
            txt.unlink()
            raise
    except OSError as error:
        return [], [Problem(f"{seeds_dir}/{stem}", None, f"impossible d'écrire le fichier : {error.strerror}")]
    return [txt, yml], []


def check_draft(root: Path, stem: str) -> list[Problem]:
    """Problems ``check`` would report for the new seed alone (shown right after ``new``)."""
    raw, problems = read_seeds(root)
    _, more = validate(raw)
    return [p for p in problems + more if Path(p.path).stem == stem]
