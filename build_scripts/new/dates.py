"""Guess an article's date from the French phrases of its text (« ce jeudi 16 février 2017 »)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from babel.dates import get_day_names, get_month_names

from build_scripts.new.known import Guess
from build_scripts.text import fold

YEARS_BACK = 40
"""How far back a weekday may place a date whose year the text omits."""

_MONTHS: dict[str, int] = {}
for _number, _name in get_month_names("wide", locale="fr").items():
    _MONTHS[_name.lower()] = _number
    _MONTHS[fold(_name)] = _number
_WEEKDAYS: dict[str, int] = {name.lower(): number for number, name in get_day_names("wide", locale="fr").items()}
MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_RE = "|".join(_WEEKDAYS)
_FRENCH_DATE = re.compile(
    rf"(?<!\w)(?:(?P<ce>ce|le|du|depuis le|dès le)\s+)?(?:(?P<wd>{_DAY_RE})\s+)?"
    rf"(?P<d>1er|[0-3]?\d)\s+(?P<m>{MONTH_RE})(?:\s+(?P<y>(?:19|20)\d\d))?(?!\w)",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(r"(?<![\d/.])(?P<d>[0-3]?\d)[/.](?P<m>[01]?\d)[/.](?P<y>(?:19|20)\d\d)(?![\d/.])")
_ISO_DATE = re.compile(r"(?<![\d-])(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d-])")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_WEEKDAY_WORD = re.compile(rf"(?<!\w)({_DAY_RE})(?!\w)", re.IGNORECASE)
_WEEKDAY_NAMES = {number: name for name, number in _WEEKDAYS.items()}


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


_PUBLISHED = re.compile(r"^(?:publié|publiée|mis en ligne|paru|parue)\s+le\s+", re.IGNORECASE)


def published_day(line: str) -> str | None:
    """The ISO day of a page's « Publié le 12/03/2022 à 18h05 » (or « le 12 mars 2022 »); ``None`` otherwise."""
    start = _PUBLISHED.match(line)
    if start is None:
        return None
    rest = line[start.end() :]
    for pattern in (_NUMERIC_DATE, _FRENCH_DATE, _ISO_DATE):
        match = pattern.match(rest)
        if match and match["y"]:
            day = 1 if match["d"].lower() == "1er" else int(match["d"])
            month = int(match["m"]) if match["m"].isdigit() else _MONTHS[match["m"].lower()]
            made = _make(int(match["y"]), month, day)
            return made.isoformat() if made else None
    return None
