"""How well ``new`` guesses (issue 19): each field right, wrong or left blank; names' precision and recall.

Two sets: leave-one-out on the seeds (each seed's text given back to ``new``
on a corpus without it, compared with its curated YAML), and the pages of
``tests/pages/`` (compared with ``tests/pages/truth.yml``, written by hand).
``python3 -m tests.measure_new`` prints the tables of tests/README.md and the
time of one ``new page.html`` run; tests/test_new_page.py checks the numbers.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from build_scripts import new
from build_scripts.schema import ENTITY_KINDS, UNKNOWN_SOURCE
from build_scripts.text import strip_accents
from tests.helpers import EXAMPLE_SEEDS, EXAMPLES, ROOT, plain_seeds

PAGES = ROOT / "tests" / "pages"
TRUTH = PAGES / "truth.yml"
KINDS = [kind.field for kind in ENTITY_KINDS]
SEED_FIELDS = ("title", "date", "source", "author", "url", "summary", "tags")
PAGE_FIELDS = ("title", "date", "author", "source", "url", "text", "intertitles")
TODAY = dt.date(2026, 6, 1)


def truth() -> dict[str, Any]:
    """``tests/pages/truth.yml``, read with plain PyYAML."""
    data: dict[str, Any] = yaml.safe_load(TRUTH.read_text(encoding="utf-8"))
    return data


def fold(name: str) -> str:
    """A name as compared: no accents, no case, one kind of apostrophe."""
    return " ".join(strip_accents(str(name)).replace("’", "'").casefold().split())


@dataclass
class Tally:
    """Counts of one measured set."""

    fields: dict[str, Counter[str]] = field(default_factory=dict)
    """Per field: how many right, wrong, left."""
    names: dict[str, Counter[str]] = field(default_factory=dict)
    """Per kind: true positives (tp), false positives (fp), misses (fn)."""

    def field(self, name: str, verdict: str) -> None:
        """Count one verdict (right, wrong, left) for ``name``."""
        self.fields.setdefault(name, Counter())[verdict] += 1

    def score(self, kind: str, found: list[str], expected: list[str], also: list[str], canon: dict[str, str]) -> None:
        """Count names found against names expected; ``also`` are neither missed nor wrong."""

        def norm(name: str) -> str:
            return fold(canon.get(fold(name), name))

        got = {norm(n) for n in found}
        want = {norm(n) for n in expected}
        extra = {norm(n) for n in also}
        counts = self.names.setdefault(kind, Counter())
        counts["tp"] += len(got & want)
        counts["fn"] += len(want - got)
        counts["fp"] += len(got - want - extra)

    def precision_recall(self, kind: str) -> tuple[float, float]:
        """Precision and recall of one kind (1.0 when nothing was expected or found)."""
        c = self.names.get(kind, Counter())
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        return precision, recall


def _verdict(guess: Any, expected: Any) -> str:
    if guess in (None, "", []):
        return "left"
    if expected in (None, "", []):
        return "wrong"
    if isinstance(expected, list):
        return "right" if [fold(x) for x in guess] == [fold(x) for x in expected] else "wrong"
    return "right" if fold(str(guess)) == fold(str(expected)) else "wrong"


def _canon(known: new.Known) -> dict[str, str]:
    return {fold(spelling): name for kind in KINDS for spelling, name in known.names[kind].items()}


def measure_seeds() -> Tally:
    """Leave-one-out on the seeds: each seed's text through ``new`` without it in the corpus."""
    tally = Tally()
    seeds = plain_seeds(EXAMPLE_SEEDS)
    with tempfile.TemporaryDirectory() as tmp:
        for stem, seed in sorted(seeds.items()):
            root = Path(tmp) / stem
            shutil.copytree(EXAMPLE_SEEDS, root / "seeds")
            (root / "seeds" / f"{stem}.txt").unlink()
            (root / "seeds" / f"{stem}.yml").unlink()
            known = new.learn(root)
            text = (EXAMPLE_SEEDS / f"{stem}.txt").read_text(encoding="utf-8")
            guesses = new.draft(text, known, TODAY).guesses
            meta = seed.meta
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            for name in SEED_FIELDS:
                value = guesses[name].value
                expected = meta.get(name)
                if name == "title" and expected is None:
                    expected = lines[0]  # no title: the first line is the seed's title
                if name == "source" and expected == UNKNOWN_SOURCE:
                    expected = None
                if name == "date":
                    value = value.isoformat() if value else None
                    expected = str(expected)
                if expected in (None, "", []):
                    tally.field(name, "left" if value in (None, "", []) else "wrong")
                    tally.fields[name]["unknown"] += 1
                else:
                    tally.field(name, _verdict(value, expected))
            canon = _canon(new.learn(EXAMPLES))
            for kind in KINDS:
                tally.score(kind, guesses[kind].value, list(meta.get(kind) or []), [], canon)
    return tally


def measure_pages() -> Tally:
    """The pages of tests/pages/ against truth.yml, on the project's corpus."""
    tally = Tally()
    known = new.learn(EXAMPLES)
    canon = _canon(known)
    for name, expected in truth()["articles"].items():
        article = new.read_article(str(PAGES / name))
        page = article.page
        assert page is not None
        guesses = new.draft(article.text, known, TODAY, page=page).guesses
        for key in PAGE_FIELDS:
            if key == "text":
                lines = [line for line in page.paragraphs if line not in page.headings]
                ok = (
                    bool(lines)
                    and fold(lines[0]).startswith(fold(expected["first"]))
                    and fold(lines[-1]).endswith(fold(expected["last"]))
                )
                tally.field(key, "right" if ok else "wrong")
                continue
            value = guesses[key].value
            if key == "date" and value is not None:
                value = value.isoformat()
            want = expected.get(key)
            if key == "date":
                want = str(want)
            if want in (None, "", []) and value in (None, "", []):
                tally.field(key, "right")
            else:
                tally.field(key, _verdict(value, want))
        for kind in KINDS:
            tally.score(kind, guesses[kind].value, expected[kind], expected.get("also", []), canon)
    return tally


def time_one_page(page: Path = PAGES / "news-jsonld.html") -> tuple[float, float]:
    """Wall and CPU seconds of ``python -m build_scripts new page.html`` in a fresh process, model included.

    The CPU time (user + system) is what the run costs on an idle machine; the
    wall time also counts the waits for a core when others use both.
    """
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(EXAMPLE_SEEDS, root / "seeds")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        run = subprocess.run(
            [sys.executable, "-m", "build_scripts", "--root", str(root), "new", str(page)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        assert run.returncode == 0, run.stderr
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def table(tally: Tally, fields: tuple[str, ...]) -> str:
    """The Markdown tables of one set: fields, then names."""
    out = ["| field | right | wrong | left blank |", "|---|---|---|---|"]
    for name in fields:
        c = tally.fields.get(name, Counter())
        unknown = f" ({c['unknown']} not known to the maintainer either)" if c["unknown"] else ""
        out.append(f"| {name} | {c['right']} | {c['wrong']} | {c['left']}{unknown} |")
    out += ["", "| names | found right | wrong | missed | precision | recall |", "|---|---|---|---|---|---|"]
    for kind in KINDS:
        c = tally.names.get(kind, Counter())
        precision, recall = tally.precision_recall(kind)
        out.append(f"| {kind} | {c['tp']} | {c['fp']} | {c['fn']} | {precision:.0%} | {recall:.0%} |")
    return "\n".join(out)


def main() -> None:
    """Print the tables and the time of one page."""
    print("Leave-one-out on the seeds:\n")
    print(table(measure_seeds(), SEED_FIELDS))
    print("\nPages of tests/pages/:\n")
    print(table(measure_pages(), PAGE_FIELDS))
    load = os.getloadavg()[0]
    runs = [time_one_page() for _ in range(3)]
    print(f"\nOne page (news-jsonld.html), fresh process, model included (load average {load:.1f}):")
    print("wall " + ", ".join(f"{w:.2f}" for w, _ in runs) + " s; CPU " + ", ".join(f"{c:.2f}" for _, c in runs) + " s")


if __name__ == "__main__":
    main()
