"""Where ``new`` reads an article: a clipped text (file or standard input), a saved web page, or its address."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from build_scripts.load import MAX_TEXT_BYTES, decode
from build_scripts.new.fetch import MAX_PAGE_BYTES, SCHEMES, FetchError, fetch, scheme_of
from build_scripts.new.page import Page, read_page

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_HTML_START = re.compile(
    rb"(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE | re.DOTALL
)
# Chrome and Edge write the page's address at the top of a saved page.
_SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+?)\s*-->", re.IGNORECASE)


class SourceError(Exception):
    """Why an article cannot be read, in French (printed after « erreur : »)."""


@dataclass(frozen=True)
class Article:
    """An article to turn into a seed."""

    text: str
    """What the seed's ``.txt`` will hold."""
    page: Page | None
    """The page it was read from, with its metadata; ``None`` for a clipped text."""


def _is_file(source: str) -> bool:
    """Whether ``source`` names an existing file; an impossible name (too long, a NUL) is not one."""
    try:
        return Path(source).is_file()
    except (OSError, ValueError):
        return False


def _text_input(source: str | None, stdin: BinaryIO | None) -> Article:
    if source in (None, "-"):
        if stdin is None or stdin.isatty():
            raise SourceError("donnez un fichier texte, une page enregistrée (.html) ou une adresse https://")
        data = stdin.read(MAX_TEXT_BYTES + 1)
        label = "<entrée standard>"
    else:
        data = Path(source).read_bytes()
        label = source
    text, problems = decode(data, label, MAX_TEXT_BYTES)
    if text is None:
        raise SourceError(str(problems[0]))
    if not text.strip():
        raise SourceError(f"{label} : le texte est vide")
    return Article(text, None)


def _page_article(page: Page) -> Article:
    return Article("\n".join(page.paragraphs) + "\n", page)


def read_article(source: str | None, allow_private: bool = False, stdin: BinaryIO | None = None) -> Article:
    """The article ``source`` names: ``-`` or nothing (standard input), a ``.txt``, a saved page, an address."""
    # A file that exists is read as a file, even with a colon in its name (« notes:v2.html »).
    scheme = scheme_of(source) if source and not _is_file(source) else None
    try:
        if scheme is not None and source is not None:
            if scheme not in SCHEMES:
                raise SourceError(
                    f"{source} : adresse « {scheme}: » refusée ; seules les adresses http:// et https:// sont lues"
                )
            fetched = fetch(source, allow_private=allow_private)
            return _page_article(read_page(fetched.data, fetched.url, fetched.url, fetched.charset, "adresse lue"))
        if source not in (None, "-"):
            assert source is not None
            path = Path(source)
            if not path.is_file():
                raise SourceError(f"{source} : fichier introuvable")
            with path.open("rb") as handle:
                head = handle.read(1024)
            # A page saved under another name (« article », « article.php ») is still a page.
            if path.suffix.lower() in PAGE_SUFFIXES or _HTML_START.match(head):
                size = path.stat().st_size
                if size > MAX_PAGE_BYTES:
                    raise SourceError(
                        f"{source} : page de plus de {MAX_PAGE_BYTES // 1024 // 1024} Mo ({size} octets) : refusée"
                    )
                data = path.read_bytes()
                saved = _SAVED_FROM.search(data[:2048])
                url = saved[1].decode("ascii", "replace") if saved else None
                return _page_article(read_page(data, source, url, None, "adresse notée par le navigateur"))
        return _text_input(source, stdin)
    except FetchError as error:
        raise SourceError(str(error)) from error
    except OSError as error:
        # Unreadable (permissions, a disk error, a file removed meanwhile): the reason, on one line.
        raise SourceError(f"{source} : illisible ({error.strerror or error})") from error
    except (ValueError, TypeError, LookupError, AttributeError, RecursionError) as error:
        # Hostile or broken markup that the HTML and extraction libraries choke on: one line, no traceback.
        raise SourceError(f"{source} : page illisible ({error.__class__.__name__} : {error})") from error
