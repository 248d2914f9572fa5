#!/usr/bin/env bash
# Mutation testing (issue 15): mutmut 3 changes one thing at a time in the modules where a silent
# mistake costs most ([tool.mutmut] in pyproject.toml: escaping, YAML reading, validation, the URL
# scheme, the dates) and runs the fast unit tests that exercise them. A mutant that no test
# notices "survives". About five minutes on two cores; not part of tests/run.sh.
#   bash tests/mutation.sh            # run, then print the score and the survivors
#   python3 -m mutmut show <name>     # the diff of one survivor
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q --disable-pip-version-check -r requirements.txt -r requirements-test.txt
rm -rf mutants
python3 -m mutmut run --max-children "${MUTMUT_CHILDREN:-2}" >/dev/null 2>&1 || true
python3 - <<'PY'
import json, subprocess
out = subprocess.run(["python3", "-m", "mutmut", "results", "--all", "true"], capture_output=True, text=True).stdout
status = {}
for line in out.splitlines():
    name, _, state = line.strip().rpartition(": ")
    if name:
        status[name] = state
counts = {}
for state in status.values():
    counts[state] = counts.get(state, 0) + 1
killed = counts.get("killed", 0) + counts.get("timeout", 0)
tested = sum(counts.values()) - counts.get("skipped", 0)
print(json.dumps(counts, sort_keys=True))
print(f"mutation score: {killed}/{tested} = {100 * killed / max(tested, 1):.1f} %")
for name, state in sorted(status.items()):
    if state not in ("killed", "timeout"):
        print(f"{state}: {name}")
PY
