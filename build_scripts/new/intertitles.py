"""Propose the lines of a clipped text that look like intertitles, for ``intertitles``.

Only a proposal, marked « À CONFIRMER »: the build never guesses, it publishes
as headings exactly the lines a seed lists (issue 12).
"""

from __future__ import annotations

import re

from build_scripts.new.known import Guess
from build_scripts.new.outlet import SOURCE_LINE

INTERTITLE_MAX = 100
"""An intertitle is short: at most this many characters…"""
INTERTITLE_WORDS = 12
"""…and this many words."""
_SENTENCE_END = re.compile(r"[.,;:*]$")


def propose_intertitles(lines: list[str], omit: list[str]) -> Guess:
    """Short lines that do not end a sentence, between two paragraphs of the text.

    The headline, the lines proposed for ``omit`` and an attribution
    (« Source: … ») are never proposed; the next line must be longer (a paragraph).
    """
    found = []
    for i, line in enumerate(lines[1:-1], 1):
        if line in omit or SOURCE_LINE.match(line) or _SENTENCE_END.search(line):
            continue
        if len(line) <= INTERTITLE_MAX and len(line.split()) <= INTERTITLE_WORDS and len(lines[i + 1]) > len(line):
            found.append(line)
    found = list(dict.fromkeys(found))
    if not found:
        return Guess([], "Facultatif : intertitres du texte, recopiés exactement ; aucun repéré.")
    return Guess(
        found,
        "À CONFIRMER : lignes courtes entre deux paragraphes, qui ressemblent à des intertitres (publiées comme "
        "titres de section) ; retirez celles qui n'en sont pas.",
    )
