#!/usr/bin/env bash
# The whole test suite, from a bare machine: installs what the tests need, then
# runs the linters, the type checker and pytest. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium chromium-driver fonts-liberation)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
# PRESS_NO_INSTALL=1 skips the installation (tests/test_suite.py checks the message below).
if [ ${#need_apt[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && [ -z "${PRESS_NO_INSTALL:-}" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
# The browser and audit tests need these, with or without CI: stop here rather than skip them.
missing=()
for tool in chromium java node npm; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "tests/run.sh: ${missing[*]} missing; install Debian's chromium, default-jre-headless, nodejs and npm" \
    "(as root, this script does it), then run it again." >&2
  exit 1
fi
# A tool the tests still cannot find (npm modules, vnu.jar) fails its test instead of skipping it.
export PRESS_REQUIRE_TOOLS=1

python3 -m pip install -q --disable-pip-version-check -r requirements.txt -r requirements-test.txt
# The maintainer's extras for `new` (trafilatura, spaCy and its French model): never the build's.
python3 -m pip install -q --disable-pip-version-check --require-hashes -r requirements-maintainer.lock
# Pagefind, the search indexer the build runs (build_scripts/pagefind/package-lock.json).
npm ci --ignore-scripts --prefix build_scripts/pagefind --no-audit --no-fund --loglevel=error
if [ -f tests/package.json ]; then
  (cd tests && npm ci --no-audit --no-fund --loglevel=error)
fi

python3 -m ruff check .
python3 -m ruff format --check .
python3 -m mypy
lint-imports
python3 -m pytest "$@"
