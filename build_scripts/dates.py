"""French dates, formatted with Babel (CLDR data) rather than a hand-made month table."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel.dates import format_date


@lru_cache(maxsize=1 << 14)  # Babel formatting is slow; a corpus has few distinct days
def french_date(day: dt.date) -> str:
    """``16 février 2017``; the first of the month is ``1er décembre 2016`` as French writes it."""
    if day.day == 1:
        return "1er " + format_date(day, "MMMM y", locale="fr")
    return format_date(day, "d MMMM y", locale="fr")


def french_month(day: dt.date) -> str:
    """``février 2017``."""
    return format_date(day, "MMMM y", locale="fr")
