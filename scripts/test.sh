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

export JAX_PLATFORMS=cpu
# The stored outputs were made with XLA's default float32 rounding (scripts/execute_chapters.py).
# Check them under another rounding, as another CPU rounds: a number that only reproduces on the
# machine that made it fails here, not on a learner's laptop. COURSE_ROUNDING_VARIANT="" turns
# it off; CONTRIBUTING.md lists the variants and the spreads they cause.
variant="${COURSE_ROUNDING_VARIANT---xla_cpu_enable_platform_dependent_math=false}"
export XLA_FLAGS="${XLA_FLAGS:-} $variant"
# Two workers (pytest-xdist); --dist loadfile keeps the cells of a notebook in one kernel, and
# files are handed out in collection order, which tests/conftest.py makes longest first.
exec .venv/bin/python -m pytest -n "${COURSE_TEST_WORKERS:-2}" --dist loadfile --no-loadscope-reorder "$@"
