#!/usr/bin/env bash
# Set up the environment (first time only), unpack MNIST, run the whole test suite:
# lint and format checks, helper unit tests, every chapter re-executed by nbval, the book
# build and the browser checks.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_env.sh
bash scripts/unpack_mnist.sh

.venv/bin/ruff check --quiet .
.venv/bin/ruff format --check --quiet .

# pytest loads verification/ (pyproject.toml), which sets the notebooks' run configuration: the
# CPU backend and a float32 rounding other than the stored outputs' (verification/settings.py).
# Two workers (pytest-xdist); --dist loadfile keeps the cells of a notebook in one kernel, and
# files are handed out in collection order, which tests/conftest.py makes longest first.
exec .venv/bin/python -m pytest -n "${COURSE_TEST_WORKERS:-2}" --dist loadfile --no-loadscope-reorder "$@"
