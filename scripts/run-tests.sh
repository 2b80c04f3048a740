#!/usr/bin/env bash
# Runs the whole suite; pytest's exit code 5 (no tests collected) is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pytest "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
  echo "FOUT: pytest heeft geen tests gevonden (exit code 5)." >&2
  exit 1
fi
exit "$rc"
