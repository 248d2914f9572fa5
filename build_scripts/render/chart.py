"""Geometry of a dossier's articles-per-year bar chart, drawn at build time as inline SVG."""

from __future__ import annotations

from typing import Any


def year_chart(per_year: tuple[tuple[int, int], ...]) -> dict[str, Any]:
    """Bars, sizes and the text label of the chart (``templates/_chart.svg.j2`` draws it)."""
    slot, bar, top, plot, bottom = 40, 28, 18, 90, 18
    highest = max((n for _, n in per_year), default=0) or 1
    bars = []
    for i, (year, count) in enumerate(per_year):
        height = round(plot * count / highest)
        x = 6 + i * slot
        bars.append(
            {"x": x, "y": top + plot - height, "w": bar, "h": height, "cx": x + bar // 2, "year": year, "count": count}
        )
    label = "Articles par année : " + " ; ".join(f"{year} : {count}" for year, count in per_year)
    return {"width": 12 + slot * len(per_year), "height": top + plot + bottom, "bars": bars, "label": label}
