"""Stage 1: read ``seeds/`` from disk into raw, located records. Nothing is judged here
beyond what is needed to read a file at all (size, encoding, YAML syntax)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from build_scripts.memo import Fingerprint, Slots, digest, is_racy, remember
from build_scripts.problems import Problem
from build_scripts.schema import ALIASES_FILE, SEEDS_DIR, THEMES_FILE
from build_scripts.yamlsafe import Document, forbidden_char, parse_yaml, refused_kind

# A clipped article is a few KiB; 1 MiB is far above any real one and keeps a
# hostile file from costing the build its memory. Documented in the README.
MAX_TEXT_BYTES = 1024 * 1024
MAX_YAML_BYTES = 64 * 1024
RESERVED = {THEMES_FILE, ALIASES_FILE}
_SAFE_NAME = re.compile(r"^\w[\w.-]*$")


@dataclass(frozen=True)
class TextSeed:
    """A ``.txt`` seed split into its non-empty lines."""

    path: str
    """Path relative to the project root."""
    lines: tuple[tuple[int, str], ...]
    """(1-based line number, line without surrounding whitespace), empty lines dropped."""


@dataclass(frozen=True)
class RawSeeds:
    """Everything read from ``seeds/``, before validation."""

    themes: Document | None
    aliases: Document | None
    texts: dict[str, TextSeed]
    metas: dict[str, Document]


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _shown(name: str) -> str:
    """A file name on one printable ASCII line: it reaches URLs and one-line messages."""
    return name.encode("unicode_escape", "backslashreplace").decode("ascii")


def decode(data: bytes, path: str, limit: int) -> tuple[str | None, list[Problem]]:
    """Decode a seed file as UTF-8 (BOM and CRLF accepted) and normalise line ends."""
    if len(data) > limit:
        return None, [Problem(path, None, f"fichier trop gros ({len(data)} octets ; maximum {limit})")]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, [
            Problem(
                path,
                line,
                f"le fichier n'est pas en UTF-8 : octet 0x{data[error.start]:02X} invalide "
                f"à la position {error.start} (en octets depuis le début du fichier) ; réenregistrez-le en UTF-8",
            )
        ]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = forbidden_char(text)
    if bad:
        line, col, name = bad
        return None, [Problem(path, line, f"{refused_kind(name)} {name} (colonne {col}) : supprimez-le")]
    return text, []


def _read(path: Path, rel: str, limit: int) -> tuple[bytes | None, list[Problem]]:
    """Read a seed file, judging its size before reading it so a huge file costs nothing."""
    size = path.stat().st_size
    if size > limit:
        return None, [Problem(rel, None, f"fichier trop gros ({size} octets ; maximum {limit})")]
    return path.read_bytes(), []


def split_lines(text: str) -> tuple[tuple[int, str], ...]:
    """Non-empty lines with their numbers; surrounding whitespace is not part of a line."""
    return tuple((n, line.strip()) for n, line in enumerate(text.split("\n"), 1) if line.strip())


def _read_text(path: Path, rel: str, limit: int) -> tuple[str | None, list[Problem]]:
    """Read and decode one seed file, refusing it before reading if it is too big."""
    data, problems = _read(path, rel, limit)
    if data is None:
        return None, problems
    return decode(data, rel, limit)


def read_text_seed(path: Path, root: Path) -> tuple[TextSeed | None, list[Problem]]:
    """Read one ``.txt`` seed."""
    rel = _rel(path, root)
    text, problems = _read_text(path, rel, MAX_TEXT_BYTES)
    if text is None:
        return None, problems
    return TextSeed(rel, split_lines(text)), []


def read_yaml_file(path: Path, root: Path) -> tuple[Document | None, list[Problem]]:
    """Read and parse one YAML seed file."""
    rel = _rel(path, root)
    text, problems = _read_text(path, rel, MAX_YAML_BYTES)
    if text is None:
        return None, problems
    return parse_yaml(text, rel)


def refuse_links(root: Path, seeds_dir: str = SEEDS_DIR) -> dict[str, Problem]:
    """Symbolic links of ``seeds/``, by name, each as a problem; ``"."`` for ``seeds/`` itself.

    A link would publish whatever it points at (``/proc/self/environ``, a
    folder outside the repository), so none is ever followed (issue 13): the
    folder must be the project's own, and no entry in it may be a link, to a
    file or a folder, outside or inside ``seeds/``. Hidden entries are never
    read and are left alone (Emacs keeps its lock files ``.#name`` as links).
    """
    seeds = root / seeds_dir
    real = os.path.realpath(seeds)
    if os.path.islink(seeds) or real != os.path.join(os.path.realpath(root), os.path.normpath(seeds_dir)):
        where = os.readlink(seeds) if os.path.islink(seeds) else real
        return {
            ".": Problem(
                seeds_dir,
                None,
                f"dossier refusé : lien symbolique vers {_shown(where)} ; "
                f"{seeds_dir}/ doit être un vrai dossier du dépôt, rien n'est lu à travers un lien",
            )
        }
    refused: dict[str, Problem] = {}
    if not os.path.isdir(seeds):
        return refused
    with os.scandir(seeds) as entries:
        for entry in entries:
            if entry.is_symlink() and not entry.name.startswith("."):
                refused[entry.name] = Problem(
                    f"{seeds_dir}/{_shown(entry.name)}",
                    None,
                    f"lien symbolique refusé (vers {_shown(os.readlink(entry.path))}) : "
                    f"{seeds_dir}/ n'accepte que de vrais fichiers, rien n'est lu à travers un lien",
                )
    return refused


def is_seed_input(name: str, is_link: bool = False) -> bool:
    """Whether a file of ``seeds/`` named ``name`` changes what ``read_seeds`` returns (read, or reported).

    Hidden files are never looked at; a link or a refused name is reported;
    otherwise only ``.txt``, ``.yml`` and the misnamed ``.yaml`` count. An
    editor's temporary file (``4913``, ``x.txt___jb_tmp___``) does not.
    """
    if name.startswith("."):
        return False
    return is_link or not _SAFE_NAME.match(name) or name.rpartition(".")[2] in ("txt", "yml", "yaml")


def _version(entry: os.DirEntry[str], seen: tuple[int, int] | None) -> tuple[int, int, str]:
    """What identifies a file's content without reading it: size and time (and its digest if too recent).

    ``seen``: its size and time as just read, or ``None`` to ask the system.
    """
    if seen is None:
        stat = entry.stat(follow_symlinks=False)
        seen = stat.st_size, stat.st_mtime_ns
    size, mtime_ns = seen
    return size, mtime_ns, digest(Path(entry.path)) if is_racy(mtime_ns) else ""


def _read_file(seeds: str, name: str, root: str, _version: object) -> tuple[Any, list[Problem]]:
    """The seed file ``name`` of the folder ``seeds`` in the project ``root``, read and parsed;
    ``_version`` only keys the memo.

    Paths as text: under ``serve`` a file not read again costs no path object
    (10,000 of them, made and compared, took 0.2 s a rebuild).
    """
    path = Path(seeds, name)
    return read_text_seed(path, Path(root)) if name.endswith(".txt") else read_yaml_file(path, Path(root))


def read_seeds(
    root: Path, seeds_dir: str = SEEDS_DIR, slots: Slots | None = None, seen: Fingerprint = ()
) -> tuple[RawSeeds, list[Problem]]:
    """Read every file of ``seeds/``; return what could be read and every problem met.

    With ``slots`` (``serve``), a file whose size and time did not change is
    not read again: its earlier result, the very same objects, is reused.
    Sizes and times come from ``seen`` (``memo.dir_fingerprint``) when it
    holds them: at 10,000 articles, asking again took a quarter of a second.
    """
    seeds = root / seeds_dir
    problems: list[Problem] = []
    texts: dict[str, TextSeed] = {}
    metas: dict[str, Document] = {}
    themes: Document | None = None
    aliases: Document | None = None
    links = refuse_links(root, seeds_dir)
    if "." in links:
        return RawSeeds(None, None, {}, {}), [links["."]]
    if not seeds.is_dir():
        return RawSeeds(None, None, {}, {}), [Problem(seeds_dir, None, "dossier des sources introuvable")]
    problems += links.values()
    # os.scandir is much cheaper than Path.iterdir + stat at 10,000 files.
    # follow_symlinks=False: a link is never read (refused above).
    with os.scandir(seeds) as scanned:
        entries = {e.name: e for e in scanned if e.is_file(follow_symlinks=False) and is_seed_input(e.name)}
    names = sorted(entries)
    for name in [n for n in names if not _SAFE_NAME.match(n)]:
        # The name reaches URLs ("edit this page") and one-line messages.
        problems.append(
            Problem(
                f"{seeds_dir}/{_shown(name)}", None, "nom de fichier refusé : lettres, chiffres, _ - et . seulement"
            )
        )
    names = [n for n in names if _SAFE_NAME.match(n)]
    folder, project = str(seeds), str(root)
    sizes = {name: (size, mtime_ns) for name, size, mtime_ns, link in seen if not link}
    for name in names:
        stem, _, ext = name.rpartition(".")
        if ext not in ("txt", "yml"):
            if ext == "yaml":
                problems.append(
                    Problem(_rel(seeds / name, root), None, "extension .yaml : renommez le fichier en .yml")
                )
            continue  # anything else (README, the JSON Schemas, editor files) is not a seed
        version = _version(entries[name], sizes.get(name)) if slots is not None else None
        value, found = remember(slots, f"load:{name}", _read_file, folder, name, project, version)
        problems += found
        if name == THEMES_FILE:
            themes = value
        elif name == ALIASES_FILE:
            aliases = value
        elif value is not None and ext == "txt":
            texts[stem] = value
        elif value is not None:
            metas[stem] = value
    # Orphans are judged on file names, so a file that failed to parse is not
    # reported a second time as an orphan.
    # A refused link still counts as present: its one line says all.
    present = [*names, *links]
    stems_txt = {n[:-4] for n in present if n.endswith(".txt")}
    stems_yml = {n[:-4] for n in present if n.endswith(".yml") and n not in RESERVED}
    for stem in sorted(stems_txt - stems_yml):
        problems.append(
            Problem(f"{seeds_dir}/{stem}.txt", None, f"texte sans métadonnées : créez {seeds_dir}/{stem}.yml")
        )
    for stem in sorted(stems_yml - stems_txt):
        problems.append(
            Problem(f"{seeds_dir}/{stem}.yml", None, f"métadonnées sans texte : {seeds_dir}/{stem}.txt est introuvable")
        )
    if THEMES_FILE not in present:
        problems.append(Problem(f"{seeds_dir}/{THEMES_FILE}", None, "fichier des dossiers introuvable"))
    return RawSeeds(themes, aliases, texts, metas), problems
