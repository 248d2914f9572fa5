"""Suggest dossiers from the keywords of ``seeds/themes.yml``, and known names from the corpus."""

from __future__ import annotations

import re
from collections import Counter

from build_scripts.model import Theme
from build_scripts.new.known import Guess, Known, word_pattern
from build_scripts.schema import ENTITY_KINDS, SEEDS_DIR, THEMES_FILE
from build_scripts.text import strip_accents


def suggest_themes(text: str, themes: list[Theme]) -> Guess:
    """Themes whose ``keywords`` (from ``themes.yml``) occur in the text, most cited first."""
    scored: list[tuple[int, int, str, list[str]]] = []
    for order, theme in enumerate(themes):
        hits = Counter[str]()
        for keyword in theme.keywords:
            count = len(word_pattern(keyword, re.IGNORECASE).findall(text))
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
        return Guess(
            [], f"À COMPLÉTER : aucun mot-clé de {SEEDS_DIR}/{THEMES_FILE} trouvé ; dossiers possibles : {ids}."
        )
    detail = " ; ".join(f"{theme_id} ({', '.join(words)})" for _, _, theme_id, words in chosen)
    others = [s[2] for s in scored if s not in chosen]
    more = f" Cités une seule fois : {', '.join(others)}." if others else ""
    return Guess(
        [s[2] for s in chosen],
        f"À CONFIRMER : dossiers suggérés d'après les mots-clés de {SEEDS_DIR}/{THEMES_FILE} : {detail}.{more}",
    )


def _plain(text: str) -> str:
    return strip_accents(text).replace("’", "'")


def suggest_entities(text: str, known: Known) -> dict[str, Guess]:
    """Known people, places and organisations named in the text, in order of first mention."""
    guesses: dict[str, Guess] = {}
    plain = _plain(text)
    for name in (kind.field for kind in ENTITY_KINDS):
        spellings = known.names[name]
        found: dict[str, int] = {}
        for spelling in sorted(spellings, key=len, reverse=True):
            # Accents are often dropped on capitals (« Etats-Unis »); case is kept,
            # since « Paris » and « paris » are different words.
            match = word_pattern(_plain(spelling)).search(plain)
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
