"""Self-checks of chapter 3, losses."""

from __future__ import annotations

from collections.abc import Callable

import jax
import jax.numpy as jnp

from ..losses import binary_cross_entropy_with_logits
from .core import CheckResult, check_function


def _f32(values: list[float]) -> jax.Array:
    return jnp.asarray(values, dtype=jnp.float32)


def check_bce_with_logits(fn: Callable) -> CheckResult:
    """Exercise ex-03-stable-bce: ``fn(logits, targets)`` returns the mean binary
    cross entropy from logits, finite and right even for logits of +-100 and +-1000."""
    cases = [
        (_f32([2.0, -1.0]), _f32([1.0, 0.0])),
        (_f32([0.5, -0.3, 1.7, -2.2]), _f32([0.0, 1.0, 1.0, 0.0])),
        (_f32([100.0, -100.0, 100.0, -100.0]), _f32([1.0, 0.0, 0.0, 1.0])),
        (_f32([1000.0, -1000.0]), _f32([0.0, 0.0])),
    ]
    return check_function(
        "bce_from_logits", fn, binary_cross_entropy_with_logits, cases, atol=1e-4, rtol=1e-5
    )


def _log_softmax_last_axis(x: jax.Array) -> jax.Array:
    return jax.nn.log_softmax(x, axis=-1)


def check_log_softmax(fn: Callable) -> CheckResult:
    """Exercise ex-03-log-softmax: ``fn(x)`` returns log softmax over the last axis,
    for one vector or a batch of rows, without overflow for inputs in the thousands."""
    cases = [
        (jnp.array([1.0, 2.0, 3.0]),),
        (jnp.array([1000.0, 2000.0, 3000.0]),),
        (jnp.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, 1000.0], [-5.0, 0.0, 5.0]]),),
    ]
    return check_function("log_softmax", fn, _log_softmax_last_axis, cases, atol=1e-4, rtol=1e-5)
