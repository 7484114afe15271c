"""What makes a chapter's stored outputs *verified*, in one place.

The pipeline (README.md, "How a chapter becomes a page"):

    chapters/NN.md --scripts/execute_chapters.py--> chapters/NN.ipynb (stored outputs)
    chapters/NN.ipynb --pytest + verification/--> outputs reproduced (exactly, or within tolerance)
    verified notebooks --jupyter-book build--> _build/html (nothing executed)
    _build/html --tests/book/test_browser.py--> pages people can read (Chromium, axe-core)

- :mod:`verification.settings`: the run configuration every entry point shares (CPU backend,
  rounding variant, sanitizer, the pinned versions, the machine);
- :mod:`verification.nbval_plugin`: the nbval extension (tolerances, version-dependent cells),
  loaded by ``pyproject.toml`` for any ``pytest`` run, so ``pytest chapters/NN.ipynb``,
  ``bash scripts/test.sh`` and CI check the same thing;
- :mod:`verification.book`: the book's account of it (the environment page, and the line under
  each chapter's title).
"""
