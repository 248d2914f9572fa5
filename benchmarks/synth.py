"""A synthetic corpus of N articles made from the real seeds, for the benchmark.

Deterministic: the same N and random seed give byte-identical files. Articles
recombine the real seeds' sentences, so no two texts are identical, and spread
over ten years, the real dossiers, and pools of people, places and outlets.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
from pathlib import Path

from build_scripts.load import read_seeds
from build_scripts.schema import THEMES_FILE, UNKNOWN_SOURCE
from build_scripts.text import slugify
from build_scripts.validate import validate

START = dt.date(2014, 1, 1)
SPAN_DAYS = 3650
OUTLETS = (
    "Agence France-Presse",
    "Le Monde",
    "Le Figaro",
    "Libération",
    "Les Échos",
    "La Croix",
    "Ouest-France",
    "RFI",
    "France 24",
    "Le Temps",
    "La Libre Belgique",
    "Le Devoir",
    "L'Express",
    "Le Point",
    "Sputnik France",
)
FIRST = ("Anne", "Pierre", "Marie", "Igor", "Olga", "Jean", "Natalia", "Sergueï", "Claire", "Dmitri", "Hélène", "Ivan")
LAST = ("Martin", "Petrov", "Durand", "Ivanova", "Lefèvre", "Smirnov", "Moreau", "Volkov", "Girard", "Sokolov")
CITIES = ("Kharkiv", "Odessa", "Minsk", "Vilnius", "Riga", "Tallinn", "Varsovie", "Bruxelles", "Genève", "Helsinki")
_SENTENCE = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-ÖØ-Ý“\"«])")


def _yaml_str(text: str) -> str:
    # A JSON string is a valid double-quoted YAML scalar: no quoting trap.
    return json.dumps(text, ensure_ascii=False)


def _yaml_list(items: list[str]) -> str:
    return "[" + ", ".join(_yaml_str(i) for i in items) + "]"


def make_corpus(source_root: Path, seeds_out: Path, n: int, seed: int = 2024) -> None:
    """Write ``n`` synthetic articles (``.txt`` + ``.yml``) and ``themes.yml`` into ``seeds_out``."""
    # Read and validate only: the corpus-wide warnings of pipeline.check are not needed here.
    raw, _problems = read_seeds(source_root)
    corpus, _more = validate(raw, today=dt.date(2100, 1, 1))
    rng = random.Random(seed)
    sentences = [s for a in corpus.articles for p in a.paragraphs for s in _SENTENCE.split(p.text) if s]
    headlines = [a.headline for a in corpus.articles]
    theme_ids = [t.id for t in corpus.themes]
    people = sorted({p for a in corpus.articles for p in a.people}) + [f"{f} {last}" for f in FIRST for last in LAST]
    places = sorted({p for a in corpus.articles for p in a.places}) + list(CITIES)
    orgs = sorted({o for a in corpus.articles for o in a.organisations})
    tags = sorted({t for a in corpus.articles for t in a.tags})
    # An unknown outlet is written as such (``source: inconnue``) and stays one of the choices.
    sources = sorted({a.source or UNKNOWN_SOURCE for a in corpus.articles}) + list(OUTLETS)
    seeds_out.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source_root / "seeds" / THEMES_FILE, seeds_out / THEMES_FILE)
    for i in range(n):
        date = START + dt.timedelta(days=rng.randrange(SPAN_DAYS))
        headline = rng.choice(headlines)
        if rng.random() < 0.7:  # most headlines get a varied ending
            headline = f"{headline} ({rng.choice(places)}, {rng.choice(tags)})"
        paragraphs = [" ".join(rng.sample(sentences, rng.randint(2, 5))) for _ in range(rng.randint(3, 8))]
        stem = f"{i:06d}_synth"
        (seeds_out / f"{stem}.txt").write_text(headline + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        slug = f"{date.isoformat()}-{slugify(headline)[:40].strip('-')}-{i}"
        lines = [
            f"date: {date.isoformat()}",
            f"source: {_yaml_str(rng.choice(sources))}",
            f"themes: {_yaml_list(rng.sample(theme_ids, rng.randint(1, min(3, len(theme_ids)))))}",
            f"slug: {slug}",
            f"tags: {_yaml_list(rng.sample(tags, min(len(tags), rng.randint(0, 4))))}",
            f"people: {_yaml_list(rng.sample(people, rng.randint(1, 4)))}",
            f"places: {_yaml_list(rng.sample(places, rng.randint(1, 5)))}",
        ]
        if orgs:
            lines.append(f"organisations: {_yaml_list(rng.sample(orgs, rng.randint(0, min(3, len(orgs)))))}")
        if rng.random() < 0.5:
            lines.append(f"author: {_yaml_str(rng.choice(FIRST) + ' ' + rng.choice(LAST))}")
        if rng.random() < 0.4:
            lines.append(f"summary: {_yaml_str(' '.join(rng.sample(sentences, 2)))}")
        (seeds_out / f"{stem}.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
