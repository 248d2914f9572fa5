"""Generations in a fresh process, timed inside it.

``python -m benchmarks.child <root> <site url> <site name> <seed to edit>``
generates once (cold: nothing remembered), again with nothing changed (the
memo of one process, as the MkDocs hook after ``build``), then once more after
appending a line to one seed (what ``serve`` does on a saved change). Prints
one JSON line: the three times, the pages whose output changed, peak memory.

``python -m benchmarks.child build <root>`` runs the build and prints the peak
memory of its Python process and the processor time of the build.
``python -m benchmarks.child pagefind <root>`` times Pagefind alone on the site's pages.
"""

from __future__ import annotations

import json
import resource
import shutil
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from build_scripts import pipeline
from build_scripts.model import SiteInfo
from build_scripts.render.site import Output


def _changed(before: Mapping[str, Output], after: Mapping[str, Output]) -> list[str]:
    return sorted(path for path in set(before) | set(after) if before.get(path) != after.get(path))


def build(root: Path) -> int:
    """``python -m build_scripts build``, then the peak memory of this process (Pagefind's is sampled outside)."""
    from build_scripts import cli

    status = cli.main(["--root", str(root), "build", "--quiet"])
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "python": own.ru_maxrss * 1024,
                # Processor time: this process; the workers and Pagefind (its children, all waited for).
                "cpu_main_s": own.ru_utime + own.ru_stime,
                "cpu_children_s": children.ru_utime + children.ru_stime,
            }
        )
    )
    return status


def pagefind_alone(root: Path) -> int:
    """Pagefind alone indexing the site's pages, fed from memory as the build feeds it: its processor time."""
    from build_scripts import publish, search_index

    config = publish.read_config(root / "mkdocs.yml")
    items = search_index.indexed_pages(pipeline.generate(root, publish.site_info(config)).pages)
    output = root / ".pagefind-alone"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    search_index.write_index(items, output)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    shutil.rmtree(output)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(json.dumps({"pagefind_cpu_s": cpu, "pagefind_wall_s": wall, "indexed": len(items)}))
    return 0


def main(argv: list[str]) -> int:
    """Run the three generations; print their JSON result."""
    if argv[0] == "build":
        return build(Path(argv[1]))
    if argv[0] == "pagefind":
        return pagefind_alone(Path(argv[1]))
    root, site, seed = Path(argv[0]), SiteInfo(argv[1], argv[2]), Path(argv[3])
    start = time.perf_counter()
    cold = pipeline.generate(root, site)
    cold_s = time.perf_counter() - start
    start = time.perf_counter()
    again = pipeline.generate(root, site)
    noop_s = time.perf_counter() - start
    seed.write_text(seed.read_text(encoding="utf-8") + "\nUn paragraphe ajouté (benchmark).\n", encoding="utf-8")
    start = time.perf_counter()
    edited = pipeline.generate(root, site)
    one_s = time.perf_counter() - start
    result = {
        "generation_s": cold_s,
        "pages": len(cold.pages),
        "noop_s": noop_s,
        "noop_changed": _changed(cold.pages, again.pages),
        "one_change_s": one_s,
        "one_change_changed": _changed(again.pages, edited.pages),
        "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
