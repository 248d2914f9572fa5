"""One generation in a fresh process, timed inside it: ``python -m benchmarks.child <root> <mode> <url> <name>``.

``generate`` generates once; ``serve`` generates, changes one seed (the path
given after the site name), and times the second generation, as the process
of ``mkdocs serve`` sees a saved change. Prints one JSON line.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from build_scripts import pipeline
from build_scripts.model import SiteInfo


def main(argv: list[str]) -> int:
    """Run one measurement; print its JSON result."""
    root, mode, url, name = Path(argv[0]), argv[1], argv[2], argv[3]
    site = SiteInfo(url, name)
    if mode == "serve":
        pipeline.generate(root, root / "docs", site)
        seed = Path(argv[4])
        seed.write_text(seed.read_text(encoding="utf-8") + "\nAjout (serve).\n", encoding="utf-8")
    start = time.perf_counter()
    generated = pipeline.generate(root, root / "docs", site)
    result = {
        "seconds": time.perf_counter() - start,
        "written": generated.report.written,
        "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
