"""Shared code of the course *Neural Networks from Scratch in JAX*.

Each piece is first built inline in a chapter, then imported from here by
later chapters. Self-checks for exercises live in :mod:`helpers.checks`; the
book's authoring tools (claims, glued numbers, errors shown on purpose, the
figure style) in :mod:`helpers.book`; the setup cell's check in
:mod:`helpers.runtime`.
"""

# The JAX version check comes first, so an old JAX gets this message, not an obscure error from
# a submodule: the imports after it are not at the top of the file on purpose.
# ruff: noqa: E402
import re as _re

import jax as _jax

# The oldest JAX that runs every chapter: the one Colab's runtime ships (colab/runtime.txt), so
# installing the course there never upgrades JAX away from its accelerator plugin. Keep in step
# with the `jax>=` line of pyproject.toml (tests/helpers/test_jax_floor.py checks both).
JAX_FLOOR = "0.7.2"


def _release(version: str) -> tuple[int, ...]:
    """The leading numbers of a version: "0.10.2" -> (0, 10, 2), "0.9.0.1" -> (0, 9, 0, 1)."""
    return tuple(int(n) for n in _re.findall(r"\d+", _re.match(r"[\d.]*", version).group(0)))


if _release(_jax.__version__) < _release(JAX_FLOOR):
    raise ImportError(
        f"This course needs JAX >= {JAX_FLOOR}; this runtime has {_jax.__version__}. "
        "Upgrade jax and jaxlib together with your accelerator's plugin (on a CUDA 12 GPU: "
        f'pip install -U "jax[cuda12]>={JAX_FLOOR}"), then restart the session.'
    )

from .batches import batch_indices, make_batches
from .book import use_course_style
from .data import load_mnist, xor_data
from .losses import accuracy, binary_cross_entropy_with_logits, mse, softmax_cross_entropy
from .model import init_mlp, mlp_forward
from .plotting import plot_decision_boundary, plot_digits, plot_loss_curve
from .timing import Timing, format_seconds, time_function
from .training import evaluate, loss_and_logits, predict, scan_epoch, sgd_step, train_epoch
from .updates import adam_init, adam_update, momentum_init, momentum_update, sgd_update

__all__ = [
    "xor_data",
    "load_mnist",
    "init_mlp",
    "mlp_forward",
    "mse",
    "binary_cross_entropy_with_logits",
    "softmax_cross_entropy",
    "accuracy",
    "sgd_update",
    "momentum_init",
    "momentum_update",
    "adam_init",
    "adam_update",
    "plot_loss_curve",
    "plot_decision_boundary",
    "plot_digits",
    "Timing",
    "time_function",
    "format_seconds",
    "train_epoch",
    "evaluate",
    "predict",
    "make_batches",
    "batch_indices",
    "scan_epoch",
    "sgd_step",
    "loss_and_logits",
]
__version__ = "0.1.0"

use_course_style()  # every figure of every chapter, inline code included, fits the book's column
