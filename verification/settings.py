"""The run configuration of every verification, and the facts it rests on (no third-party
imports: the book build reads them too).

- Notebooks are checked on the CPU backend (``JAX_PLATFORMS=cpu``) under a float32 rounding
  other than the one the stored outputs were made with (XLA's default, by
  ``scripts/execute_chapters.py``), as another CPU rounds: a number that only reproduces on the
  machine that made it fails here, not on a learner's laptop. ``COURSE_ROUNDING_VARIANT``
  chooses another variant (``""`` for none); CONTRIBUTING.md lists the variants and spreads.
- The variant is an XLA flag of the pinned jaxlib: with another jax (Colab's), whose XLA may not
  know it (jax 0.7.2 aborts on it), the JAX version itself is the other rounding.
"""

from __future__ import annotations

import os
import platform
import re
from functools import cache
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SANITIZE = Path(__file__).resolve().parent / "sanitize.cfg"  # timings, kernel paths, ratios
ROUNDING_VARIANT = "--xla_cpu_enable_platform_dependent_math=false"


@cache
def pins() -> dict[str, str]:
    """The exact versions requirements.txt pins: the environment stored outputs are made in."""
    text = (REPO / "requirements.txt").read_text()
    return dict(re.findall(r"^([\w.-]+)==([^\s#;]+)", text, re.M))


def in_pinned_jax() -> bool:
    """Whether the installed jax is the pinned one (elsewhere, version-dependent cells differ)."""
    return version("jax") == pins()["jax"]


def rounding_variant() -> str:
    """The XLA flags notebooks are verified under ('' off the pinned jax)."""
    if not in_pinned_jax():
        return ""
    return os.environ.get("COURSE_ROUNDING_VARIANT", ROUNDING_VARIANT)


def configure_environment() -> None:
    """Set the variables every kernel of this process inherits: the CPU backend and the rounding
    variant (added once to any XLA_FLAGS already set)."""
    os.environ["JAX_PLATFORMS"] = "cpu"
    variant = rounding_variant()
    flags = os.environ.get("XLA_FLAGS", "")
    if variant and variant not in flags.split():
        os.environ["XLA_FLAGS"] = f"{flags} {variant}".strip()


ISA = (("avx512f", "AVX-512"), ("avx2", "AVX2"), ("avx", "AVX"), ("sse4_2", "SSE4.2"))


def machine() -> dict:
    """The CPU's model and the widest vector instruction set it offers (which is what XLA's CPU
    code uses, and why float32 results differ between machines)."""
    cpuinfo = Path("/proc/cpuinfo")
    info = cpuinfo.read_text() if cpuinfo.is_file() else ""
    model = re.search(r"^model name\s*:\s*(.+)$", info, re.M)
    flags = re.search(r"^flags\s*:\s*(.+)$", info, re.M)
    flags = set(flags.group(1).split()) if flags else set()
    isa = next((name for flag, name in ISA if flag in flags), platform.machine())
    return {"cpu": " ".join(model.group(1).split()) if model else platform.processor(), "isa": isa}
