"""Propose the lines of a clipped text that are the original site's clutter, for ``omit``."""

from __future__ import annotations

import re

from build_scripts.new.known import Guess, Known

CLUTTER = (
    r"laisse[rz] un commentaire",
    r"poster un commentaire",
    r"\d*\s*commentaires?\s*:?",
    r"répondre",
    r"vous aimerez aussi.*",
    r"(?:à |a )?lire aussi.*",
    r"(?:à |a )?(?:lire|voir|écouter|regarder|découvrir) (?:également|aussi).*",
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


def is_clutter(line: str) -> bool:
    """Whether ``line`` reads like a site's clutter (« Partager », « Publicité », « Lire aussi… »)."""
    return len(line) <= CLUTTER_MAX and _CLUTTER_RE.fullmatch(line) is not None


def propose_omit(lines: list[str], known: Known) -> Guess:
    """Lines that look like site clutter, or that other seeds already omit."""
    found = [
        line for line in lines[1:] if line in known.omit or (len(line) <= CLUTTER_MAX and _CLUTTER_RE.fullmatch(line))
    ]
    found = list(dict.fromkeys(found))
    if not found:
        return Guess([], "Lignes du texte à ne pas publier (commentaires, « Vous aimerez aussi… ») : aucune repérée.")
    return Guess(found, "À CONFIRMER : lignes qui ressemblent à l'habillage du site d'origine, non publiées.")
