"""Guess the outlet from an attribution the text prints, never from one it only quotes."""

from __future__ import annotations

import re

from build_scripts.new.dates import MONTH_RE
from build_scripts.new.known import UNKNOWN_SOURCE, Guess, Known, word_pattern

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
SOURCE_LINE = re.compile(r"^(?:sources?|crédits?|avec)\s*:\s*(?P<name>[^:]{2,60}?)\s*\.?$", re.IGNORECASE)
_DATELINE = re.compile(
    rf"^[A-ZÀ-Ý][^,\n]{{1,40}},\s*(?:le\s+)?(?:1er|[0-3]?\d)\s+(?:{MONTH_RE})(?:\s+\d{{4}})?\s*"
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
        if word_pattern(name).search(text) and not any(name in c for c in cited):
            cited.append(name)
    for number, line in enumerate(lines, 1):
        match = _DATELINE.match(line) or SOURCE_LINE.match(line)
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
            f"Si personne ne le sait, écrivez : source: {UNKNOWN_SOURCE} (le site dira « média inconnu »).",
        ),
        cited,
    )
