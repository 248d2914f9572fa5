#!/usr/bin/env bash
# The whole test suite, from a bare machine: installs what the tests need, then
# runs the linters, the type checker and pytest. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium chromium-driver fonts-liberation)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "Missing system packages: ${need_apt[*]} (install them with apt-get as root)" >&2
  fi
fi

python3 -m pip install -q --disable-pip-version-check -r requirements.txt -r requirements-test.txt
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
