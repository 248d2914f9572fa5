"""Stage 4: the corpus and its indexes in, every generated page out. Pure: no I/O.

``urls`` (every path and link) → ``templates`` (the Jinja environment and the
front matter) → ``head``, ``chart``, ``editorial`` (pieces of a page) →
``pages``, ``reader``, ``feeds`` (the pages) → ``site`` (the assembler).
"""
