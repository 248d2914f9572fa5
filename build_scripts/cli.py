"""Command line: ``python -m build_scripts build|check``."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from mkdocs.exceptions import MkDocsException

from build_scripts import build, pipeline
from build_scripts.problems import Problem

ROOT = Path(__file__).resolve().parent.parent


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    """Validate the seeds, generate docs/, render site/ with MkDocs (strict)."""
    root = Path(args.root).resolve()
    _corpus, problems = pipeline.check(root)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        # Only what stops the build: warnings (such as a dossier left without
        # articles by a broken seed) would bury the errors; ``check`` shows all.
        _print_problems(errors)
        print(f"Build arrêté : {len(errors)} erreur(s). Le site précédent n'a pas été modifié.", file=sys.stderr)
        return 1
    if not args.quiet:
        _print_problems(problems)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(levelname)-7s - %(message)s")
    site_dir = Path(args.site_dir).resolve() if args.site_dir else root / "site"
    try:
        build.render(root / "mkdocs.yml", site_dir, strict=True)
    except MkDocsException as error:
        print(f"Build arrêté : {error}. Le site précédent n'a pas été modifié.", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"Site construit dans {site_dir}", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Validate every seed and themes.yml; report all problems at once."""
    root = Path(args.root).resolve()
    _corpus, problems = pipeline.check(root)
    _print_problems(problems)
    errors = sum(p.severity == "error" for p in problems)
    print(f"{errors} erreur(s), {len(problems) - errors} avertissement(s).", file=sys.stderr)
    return 1 if errors else 0


def parser() -> argparse.ArgumentParser:
    """The argument parser, with help in plain words."""
    main_parser = argparse.ArgumentParser(
        prog="python -m build_scripts",
        description="Publie les articles de seeds/ sous forme de site de dossiers de presse.",
    )
    main_parser.add_argument("--root", default=str(ROOT), help="dossier du projet (par défaut : celui-ci)")
    sub = main_parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="vérifie les sources puis construit le site dans site/")
    p_build.add_argument("--site-dir", help="dossier de sortie (par défaut : site/)")
    p_build.add_argument("--quiet", action="store_true", help="n'affiche que les erreurs")
    p_build.set_defaults(func=cmd_build)
    p_check = sub.add_parser("check", help="vérifie les sources sans rien écrire")
    p_check.set_defaults(func=cmd_check)
    return main_parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = parser().parse_args(argv)
    status: int = args.func(args)
    return status
