"""A small progress bar with counts on stderr, for long builds (issue 7).

Shown only on a terminal, and never with ``--quiet``: logs and CI output stay
clean. Redrawn at most ten times a second, so it costs nothing at 10,000 pages.
"""

from __future__ import annotations

import sys
import time

# Set by ``python -m build_scripts build --quiet``.
QUIET = False
_WIDTH = 30


def enabled() -> bool:
    """Whether progress is shown: on a terminal and not asked to be quiet."""
    return not QUIET and sys.stderr.isatty()


class Progress:
    """``label : [#####     ] 512/1000`` on one line of stderr, redrawn in place."""

    def __init__(self, label: str, total: int) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.shown = enabled() and total > 0
        self._last = 0.0

    def advance(self, step: int = 1) -> None:
        """Count ``step`` more items done."""
        self.done += step
        now = time.monotonic()
        if self.shown and (now - self._last >= 0.1 or self.done >= self.total):
            self._last = now
            self._draw()

    def _draw(self) -> None:
        filled = _WIDTH * min(self.done, self.total) // self.total
        bar = "#" * filled + " " * (_WIDTH - filled)
        sys.stderr.write(f"\r{self.label} : [{bar}] {self.done}/{self.total}")
        sys.stderr.flush()

    def close(self) -> None:
        """End the line, so the next message starts on its own."""
        if self.shown:
            self._draw()
            sys.stderr.write("\n")
            sys.stderr.flush()
            self.shown = False
