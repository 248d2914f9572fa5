"""``python -m build_scripts new``: turn a clipped text into a seed and a pre-filled YAML.

Every value written is a guess, marked by a comment for the maintainer to
confirm; what cannot be guessed is left blank so that ``check`` asks for it.
One module per guess: ``dates``, ``outlet``, ``entities`` (dossiers and known
names), ``names`` (spaCy's recogniser), ``clutter``, ``intertitles``; ``known``
is what the corpus teaches them, ``draft`` writes the result. ``source`` reads
the article: a clipped text, a saved page or an address (``fetch``), whose text
and metadata ``page`` reads with trafilatura.
"""

from build_scripts.new.draft import Draft, Proposal, check_draft, create, draft
from build_scripts.new.known import Guess, Known, learn
from build_scripts.new.source import Article, SourceError, read_article

__all__ = [
    "Article",
    "Draft",
    "Guess",
    "Known",
    "Proposal",
    "SourceError",
    "check_draft",
    "create",
    "draft",
    "learn",
    "read_article",
]
