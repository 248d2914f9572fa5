"""``python -m benchmarks``: how the build and the site scale with the archive."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmarks import bench


def main(argv: list[str] | None = None) -> int:
    """Parse the options and run the benchmark."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description="Mesure le build et le poids du site sur un corpus synthétique."
    )
    parser.add_argument("-n", type=int, action="append", help="nombre d'articles (répétable ; défaut : 100)")
    parser.add_argument("--results", default="benchmarks/results.json", help="fichier JSON des résultats (fusionné)")
    parser.add_argument("--workdir", help="dossier de travail conservé (défaut : temporaire, effacé)")
    parser.add_argument("--no-browser", action="store_true", help="sans les mesures dans Chromium")
    parser.add_argument("--no-serve", action="store_true", help="sans les mesures de prévisualisation (serve)")
    parser.add_argument(
        "--only-build", action="store_true", help="seulement le build : durée et mémoire (ex. à 50 000)"
    )
    parser.add_argument(
        "--pairs",
        type=int,
        default=3,
        help="builds et builds MkDocs nus mesurés l'un après l'autre, autant de fois (médiane ; défaut : 3)",
    )
    parser.add_argument("--update-doc", help="page Markdown dont le tableau est remplacé (ex. docs/performance.md)")
    args = parser.parse_args(argv)
    workdir = Path(args.workdir).resolve() if args.workdir else None
    doc = Path(args.update_doc) if args.update_doc else None
    return bench.main(
        args.n or [100],
        Path(args.results),
        workdir,
        not args.no_browser,
        doc,
        not args.no_serve,
        args.only_build,
        args.pairs,
    )


sys.exit(main())
