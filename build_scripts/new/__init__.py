"""``python -m build_scripts new``: turn a clipped text into a seed and a pre-filled YAML.

Every value written is a guess, marked by a comment for the maintainer to
confirm; what cannot be guessed is left blank so that ``check`` asks for it.
One module per guess: ``dates``, ``outlet``, ``entities`` (dossiers and names),
``clutter``; ``known`` is what the corpus teaches them, ``draft`` writes the result.
"""

from build_scripts.new.draft import Draft, check_draft, create, draft
from build_scripts.new.known import Guess, Known, learn

__all__ = ["Draft", "Guess", "Known", "check_draft", "create", "draft", "learn"]
