"""Self-checks of chapter 7, MNIST."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .answers import check_function
from .core import CheckResult


def _per_class_accuracy_reference(confusion: np.ndarray) -> np.ndarray:
    confusion = np.asarray(confusion, dtype=np.float64)
    return (np.diag(confusion) / confusion.sum(axis=1)).astype(np.float32)


def check_per_class_accuracy(per_class_accuracy: Callable) -> CheckResult:
    """Exercise ex-07-per-class: ``per_class_accuracy(confusion)`` is, for each true class
    (row), the fraction of its examples predicted correctly: ``diag / row sums``."""
    rng = np.random.default_rng(7)
    cases = [
        (np.array([[5, 1, 0], [2, 6, 2], [0, 0, 4]]),),
        (np.array([[9, 1], [3, 3]]),),
        (rng.integers(1, 20, size=(10, 10)) + np.diag(rng.integers(50, 100, size=10)),),
    ]
    return check_function(
        "per_class_accuracy", per_class_accuracy, _per_class_accuracy_reference, cases, atol=1e-5
    )


def _top_k_accuracy_reference(logits: np.ndarray, labels: np.ndarray, k: int) -> np.float32:
    logits, labels = np.asarray(logits), np.asarray(labels)
    top_k = np.argsort(-logits, axis=1)[:, :k]
    return np.float32(np.mean(np.any(top_k == labels[:, None], axis=1)))


def check_top_k_accuracy(top_k_accuracy: Callable) -> CheckResult:
    """Exercise ex-07-top-k: ``top_k_accuracy(logits, labels, k)`` is the fraction of rows
    whose true label is among the ``k`` largest logits."""
    logits = np.array(
        [
            [2.0, 1.0, 0.1, -1.0],
            [0.5, 0.2, 3.0, 0.0],
            [0.0, 1.0, 2.0, 3.0],
            [4.0, 3.0, 2.0, 1.0],
            [1.0, 0.0, -1.0, 2.0],
            [0.3, 0.9, 0.1, 0.5],
        ],
        dtype=np.float32,
    )
    labels = np.array([0, 1, 1, 3, 2, 3], dtype=np.int32)
    cases = [(logits, labels, k) for k in (1, 2, 3, 4)]
    return check_function(
        "top_k_accuracy", top_k_accuracy, _top_k_accuracy_reference, cases, atol=1e-6
    )
