"""Developer tools, kept out of the runtime package: the benchmark and its synthetic corpus.

Run with ``python -m benchmarks`` (see ``docs/performance.md``); it shares the
test helpers (project copies, the sub-path server, Chromium) of ``tests/``.
"""
