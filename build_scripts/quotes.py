"""Quotations in article text: extraction and speaker attribution. Pure functions.

A quotation is text between French guillemets « … » or English curly quotes
“ … ” of at least ``MIN_WORDS`` words (shorter ones are mostly quoted terms:
« désescalade », “numéro un”). The speaker is taken only from the sentence
itself ("…», a déclaré M. Poutine", "Vladimir Poutine dira : «…»",
"selon M. Macron"); a pronoun ("a-t-il déclaré") or a description ("le chef de
l'État") gives no speaker: we never guess. Maintainers add or correct a speaker
with the ``quotes`` metadata field (see ``schema.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

MIN_WORDS = 6
PAIRS = {"«": "»", "“": "”"}
_WORD = re.compile(r"\w+(?:[’'-]\w+)*")


@dataclass(frozen=True)
class Found:
    """One quotation found in a paragraph."""

    text: str
    """The quoted words, without the quotation marks and surrounding spaces."""
    start: int
    """Index of the opening mark in the paragraph."""
    end: int
    """Index just after the closing mark."""


def word_count(text: str) -> int:
    """Words as a French reader counts them (``l’OTAN`` is one, ``c’est`` is one)."""
    return len(_WORD.findall(text))


def extract(paragraph: str, min_words: int = MIN_WORDS) -> list[Found]:
    """Outermost quotations of ``min_words`` words or more, in order of appearance.

    Marks are matched by nesting depth, so « … “ … ” … » is one quotation; an
    opening mark with no closing mark in the paragraph is ignored.
    """
    return list(_extract(paragraph, min_words))


# Opening marks, and for each, the pair of marks whose nesting is counted.
_OPENING = re.compile("[" + "".join(PAIRS) + "]")
_MARKS = {opening: re.compile(f"[{opening}{closing}]") for opening, closing in PAIRS.items()}


# Every paragraph is read twice per generation (validation of the ``quotes``
# field, then the quotation pages), and ``mkdocs serve`` regenerates with
# almost every paragraph unchanged: keyed by the text itself, never stale.
# Bounded so a long ``serve`` session does not grow without limit (issue 7).
@lru_cache(maxsize=1 << 18)
def _extract(paragraph: str, min_words: int) -> tuple[Found, ...]:
    found: list[Found] = []
    # The regex searches jump from mark to mark instead of visiting every
    # character in Python: same matches as a character-by-character scan.
    opening_match = _OPENING.search(paragraph)
    while opening_match is not None:
        i = opening_match.start()
        opening = paragraph[i]
        depth, end = 0, -1
        for mark in _MARKS[opening].finditer(paragraph, i):
            if mark.group() == opening:
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    end = mark.start()
                    break
        if end < 0:
            opening_match = _OPENING.search(paragraph, i + 1)
            continue
        text = " ".join(paragraph[i + 1 : end].split())
        if word_count(text) >= min_words:
            found.append(Found(text, i, end + 1))
        opening_match = _OPENING.search(paragraph, end + 1)
    return tuple(found)


# Reporting verbs, past participle (after "a") and present/future forms.
_VERBS = (
    r"(?:déclaré|affirmé|estimé|conclu|ajouté|souligné|assuré|indiqué|expliqué|dit|averti|martelé|lancé|"
    r"insisté|précisé|répondu|poursuivi|dénoncé|prévenu|rappelé|confié|répété|annoncé|"
    r"déclare|affirme|estime|conclut|ajoute|souligne|assure|indique|explique|dit|avertit|martèle|lance|"
    r"insiste|précise|répond|poursuit|dénonce|prévient|rappelle|confie|répète|annonce|"
    r"dira|déclarera|affirmera|ajoutera|expliquera|lancera)"
)
_UPPER = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ"
_NAME_WORD = rf"[{_UPPER}][\w’'-]*\w"
_HONORIFIC = r"(?:M\.|Mme|MM\.|Mgr|Dr|[Pp]résident(?:e)?)"
# A proper name: an optional honorific then one to four capitalised words,
# allowing French particles (de, d’, du, el-, ben).
_NAME = rf"(?:{_HONORIFIC}\s+)?{_NAME_WORD}(?:\s+(?:de\s+|d’|d'|du\s+|el-|ben\s+)?{_NAME_WORD}){{0,3}}"
# Capitalised words that start a sentence but name nobody.
_NOT_NAMES = {
    "Le", "La", "Les", "L’", "Il", "Elle", "Ils", "Elles", "On", "Nous", "Vous", "Je", "Ce", "Cet", "Cette", "Ces",
    "Un", "Une", "Des", "Dans", "Pour", "Selon", "Mais", "Et", "Alors", "Cela", "Ceci", "Son", "Sa", "Ses", "Leur",
}  # fmt: skip

# "…», a déclaré M. Poutine" / "…», Poutine a dit" / "…», selon M. Macron"
_AFTER = (
    re.compile(rf"^\s*,?\s*(?:a|avait|ont|aurait)\s+{_VERBS}\s+(?P<name>{_NAME})"),
    re.compile(rf"^\s*,?\s*{_VERBS}\s+(?P<name>{_NAME})"),
    re.compile(rf"^\s*,?\s*(?P<name>{_NAME})\s+(?:a\s+|avait\s+)?{_VERBS}\b"),
    re.compile(rf"^\s*,?\s*selon\s+(?P<name>{_NAME})"),
)
# "M. Poutine a estimé que «…" / "Vladimir Poutine dira : «…" / "Poutine : «…" / "Selon M. Macron, «…"
_BEFORE = (
    re.compile(rf"(?:^|[\s,;(])(?P<name>{_NAME})\s+(?:a\s+|avait\s+)?{_VERBS}\s*(?:que\s+|qu’|qu'|:)?\s*$"),
    re.compile(rf"^\s*(?P<name>{_NAME})\s*:\s*$"),
    re.compile(rf"(?:^|[\s,;(])[Ss]elon\s+(?P<name>{_NAME})\s*,\s*$"),
)
# A full stop ends a sentence unless it ends an abbreviation ("M. Poutine").
_STOP = r"(?<!\bM)(?<!\bMM)(?<!\bDr)(?<!\bMgr)[.!?…]"
_SENTENCE_END = re.compile(rf"{_STOP}\s|:\s|[«»“”]")
_CLAUSE_END = re.compile(rf"{_STOP}(?:\s|$)|[«“]")


def _clean_name(name: str) -> str | None:
    """Drop leading words that name nobody ("Le Président Macron" -> "Président Macron")."""
    words = name.split()
    while words and words[0] in _NOT_NAMES:
        words.pop(0)
    return " ".join(words) or None


def attribute(paragraph: str, quote: Found) -> str | None:
    """The speaker of ``quote`` as the sentence names them, or ``None`` when it does not.

    Only the words right after the closing mark (up to the end of the clause)
    and right before the opening mark (from the start of the sentence) are
    read. A name found there is returned as written, e.g. ``M. Poutine``.
    """
    after = paragraph[quote.end :]
    stop = _CLAUSE_END.search(after)
    after = after[: stop.start()] if stop else after
    for pattern in _AFTER:
        match = pattern.match(after)
        if match:
            return _clean_name(match.group("name"))
    before = paragraph[: quote.start]
    cut = 0
    for boundary in _SENTENCE_END.finditer(before):
        # A colon introduces the quotation ("Poutine : «"); it is not a sentence end.
        if boundary.group(0)[0] != ":":
            cut = boundary.end()
    before = before[cut:]
    for pattern in _BEFORE:
        match = pattern.search(before)
        if match:
            return _clean_name(match.group("name"))
    return None


_STRIP_HONORIFIC = re.compile(rf"^(?:(?:le|la)\s+)?{_HONORIFIC}\s+")


def resolve_speaker(raw: str, people: tuple[str, ...], canonical: dict[str, str]) -> str:
    """Full name for a speaker as written (``M. Poutine`` -> ``Vladimir Poutine``).

    ``people`` are the article's people (canonical names), ``canonical`` maps
    spelling variants to canonical names (``seeds/aliases.yml``). A bare
    surname resolves only when exactly one of the article's people has it;
    otherwise the name stays as the text wrote it, without the honorific.
    """
    name = _STRIP_HONORIFIC.sub("", raw).strip()
    if name in canonical:
        return canonical[name]
    if name in people:
        return name
    matches = [p for p in people if p.split()[-1] == name.split()[-1] and p.endswith(name)]
    return matches[0] if len(matches) == 1 else name
