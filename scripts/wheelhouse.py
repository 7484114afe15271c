"""The wheelhouse: what scripts/setup_env.sh downloads once for the offline tests (Colab's
jax/jaxlib wheels, and the npm packages the browser test serves and injects), in one place.

    python -m scripts.wheelhouse      # the npm packages, as name@version (setup_env.sh reads it)
"""

from __future__ import annotations

import os
from pathlib import Path

from scripts.chapters import REPO

WHEELHOUSE = Path(os.environ.get("COURSE_WHEELHOUSE", REPO / ".venv" / "wheelhouse"))
NPM_PACKAGES = {"mathjax": "3.2.2", "axe-core": "4.14.1"}  # the book's MathJax; the a11y checker


def npm_tgz(name: str) -> Path:
    """Where `npm pack` leaves a package of NPM_PACKAGES."""
    return WHEELHOUSE / f"{name}-{NPM_PACKAGES[name]}.tgz"


if __name__ == "__main__":
    print(" ".join(f"{name}@{version}" for name, version in NPM_PACKAGES.items()))
