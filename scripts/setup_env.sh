#!/usr/bin/env bash
# Create (or update) the course's virtual environment from requirements.txt.
# Re-installs only when requirements.txt changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${COURSE_VENV:-.venv}"
if [ ! -x "$venv/bin/python" ]; then
  echo "Creating the virtual environment in $venv ..."
  python3 -m venv "$venv"
fi
stamp="$venv/.requirements.sha256"
wanted="$(sha256sum requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$wanted" ]; then
  echo "Installing the pinned environment (a few minutes the first time) ..."
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet -r requirements.txt
  # The course's own package, editable, so notebooks and tests import this checkout.
  "$venv/bin/python" -m pip install --quiet --no-deps -e .
  echo "$wanted" > "$stamp"
fi
