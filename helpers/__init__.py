"""Shared code of the course *Neural Networks from Scratch in JAX*.

Each piece is first built inline in a chapter, then imported from here by
later chapters. Self-checks for exercises live in :mod:`helpers.checks`.
"""

from .claims import ClaimFailed, claim, glue
from .data import load_mnist, xor_data
from .losses import accuracy, binary_cross_entropy_with_logits, mse, softmax_cross_entropy
from .model import init_mlp, mlp_forward
from .plotting import plot_decision_boundary, plot_digits, plot_loss_curve
from .timing import Timing, format_seconds, time_function
from .training import evaluate, make_batches, predict, scan_epoch, sgd_step, train_epoch
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
    "scan_epoch",
    "sgd_step",
    "claim",
    "ClaimFailed",
    "glue",
]
__version__ = "0.1.0"
