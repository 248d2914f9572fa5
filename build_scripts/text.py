"""Text keys shared by every stage: one way to fold accents, one way to make a slug.

Seeds are French: names lose their accents on capitals (« Etats-Unis »), a slug
must be ASCII, and « l’OTAN » is two words. Every comparison key and every URL
segment in the project comes from the functions below.
"""

from __future__ import annotations

import re
import unicodedata

# Combining diacritical marks, as NFKD splits them off their letters.
_MARKS = re.compile(r"[\u0300-\u036f]+")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_NON_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_MAX = 80
"""Longest slug or seed name, cut at a word boundary."""


def strip_accents(text: str) -> str:
    """``text`` without its diacritics (« Élysée » -> « Elysee »); case and everything else kept."""
    return _MARKS.sub("", unicodedata.normalize("NFKD", text))


def fold(text: str) -> str:
    """Case-, accent- and punctuation-free key: « Élysée », « elysee » and « É-lysée » agree."""
    key = strip_accents(text.casefold()).replace("œ", "oe").replace("æ", "ae")
    return _NON_ALNUM.sub("", key)


def slugify(text: str) -> str:
    """ASCII, lower-case, hyphenated form of ``text`` for URLs."""
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae").replace("ß", "ss")
    # Apostrophes separate words in French (l’OTAN -> l-otan), they are not letters.
    text = text.replace("’", " ").replace("'", " ")
    ascii_text = strip_accents(text).encode("ascii", "ignore").decode("ascii")
    return _NON_SLUG.sub("-", ascii_text.lower()).strip("-")


def short_slug(text: str) -> str:
    """``slugify(text)`` cut at a word boundary to ``SLUG_MAX`` characters: a name's own page
    (``personnes/<slug>/``) must stay a valid file name however long the name."""
    slug = slugify(text)
    if len(slug) > SLUG_MAX:
        slug = slug[:SLUG_MAX].rsplit("-", 1)[0]
    return slug


def dated_slug(prefix: str, title: str) -> str:
    """``<prefix>-<slug of title>``, cut at a word boundary to ``SLUG_MAX`` characters.

    Both an article's address (``2017-02-16-poutine-…``) and the name ``new``
    gives a seed are made this way.
    """
    words = slugify(title)
    slug = f"{prefix}-{words}" if words else prefix
    if len(slug) > SLUG_MAX:
        slug = slug[:SLUG_MAX].rsplit("-", 1)[0]
    return slug
