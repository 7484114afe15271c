#!/usr/bin/env bash
# Set up the environment (first time only), unpack MNIST, run the whole test suite:
# helper unit tests, strict nbval over every chapter, the book build and the browser checks.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_env.sh
bash scripts/unpack_mnist.sh
export JAX_PLATFORMS=cpu
# Two workers (pytest-xdist); --dist loadfile keeps the cells of a notebook in one kernel.
exec .venv/bin/python -m pytest -n "${COURSE_TEST_WORKERS:-2}" --dist loadfile "$@"
