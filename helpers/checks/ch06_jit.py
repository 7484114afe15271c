"""Self-checks of chapter 6, jit."""

from __future__ import annotations

from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np

from .core import CheckResult, check, passed, run_cases


def _soft_threshold_reference(x: jax.Array, t: float) -> jax.Array:
    return jnp.where(x > t, x - t, jnp.where(x < -t, x + t, 0.0))


@check
def check_soft_threshold(soft_threshold: Callable) -> CheckResult:
    """Exercise ex-06-soft-threshold: ``soft_threshold(x, t)`` under ``jax.jit`` is
    ``x - t`` above ``t``, ``x + t`` below ``-t`` and 0 in between, for any shape of ``x``.

    It runs first as it is (so an unfinished or wrong answer gets the plain message), then
    under ``jax.jit``; a Python ``if`` on values gets the ``jnp.where`` hint either way.
    """
    cases = [
        (jnp.array([-3.0, -1.0, -0.25, 0.0, 0.25, 1.0, 3.0]), 0.5),
        (jnp.array([[2.0, -2.0], [0.1, -0.1]]), 1.5),
        (jnp.array([-1.0, 0.0, 2.0]), 0.0),
    ]
    run_cases("soft_threshold", soft_threshold, _soft_threshold_reference, cases)
    run_cases("jax.jit(soft_threshold)", jax.jit(soft_threshold), _soft_threshold_reference, cases)
    return passed(f"jax.jit(soft_threshold) matches the reference on all {len(cases)} test inputs.")


def _descent_path_reference(x0: float, lr: float, steps: int) -> np.ndarray:
    x, path = float(x0), []
    for _ in range(steps):
        x = x - lr * 2.0 * (x - 3.0)
        path.append(x)
    return np.array(path, dtype=np.float32)


@check
def check_descent_path(descent_path: Callable) -> CheckResult:
    """Exercise ex-06-scan-descent: ``descent_path(x0, lr, steps)`` returns the ``(steps,)``
    values of x after each gradient-descent step on ``(x - 3)**2``."""
    cases = [(0.0, 0.1, 5), (10.0, 0.25, 4), (-2.0, 0.01, 3)]
    run_cases("descent_path", descent_path, _descent_path_reference, cases, atol=1e-4)
    return passed(f"descent_path matches the reference on all {len(cases)} test inputs.")
