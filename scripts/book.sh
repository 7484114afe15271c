#!/usr/bin/env bash
# Set up the environment (first time only) and build the book into _build/html.
#   --without-solutions: build it without the exercises' solutions into _build/no-solutions
#   (scripts/book_without_solutions.py; instructors.md, "Publishing the book without solutions")
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_env.sh
if [[ "${1:-}" == "--without-solutions" ]]; then
    exec .venv/bin/python -m scripts.book_without_solutions
fi
.venv/bin/jupyter-book build -W --keep-going .
echo
echo "The book is built. Open $(pwd)/_build/html/index.html in a browser,"
echo "or serve it: .venv/bin/python -m http.server -d _build/html 8000  (then http://127.0.0.1:8000)"
echo "What a reader sees, page by page (clipped code and outputs, figure sizes, accessibility):"
echo "  .venv/bin/python -m scripts.page_report"
