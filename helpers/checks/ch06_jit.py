"""Self-checks of chapter 6, jit."""

from __future__ import annotations

from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np

from .core import CheckResult, Problem, check, passed, run_cases
from .tracing import primitive_names


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
    values of x after each gradient-descent step on ``(x - 3)**2``, computed by a
    ``jax.lax.scan``: its traced program holds a ``scan`` (a Python ``for`` loop gives the same
    values, unrolled into one copy of the step per iteration, and is refused with that hint)."""
    cases = [(0.0, 0.1, 5), (10.0, 0.25, 4), (-2.0, 0.01, 3)]
    run_cases("descent_path", descent_path, _descent_path_reference, cases, atol=1e-4)
    x0, lr, steps = cases[0]
    if "scan" not in primitive_names(lambda: descent_path(x0, lr, steps)):
        raise Problem(
            f"descent_path({x0}, {lr}, {steps}) gives the right values, but its traced program "
            "holds no scan: the exercise asks for the loop to be a jax.lax.scan, which JAX "
            "traces once and compiles as one loop (a Python for loop is unrolled: one copy of "
            "the step per iteration). Write the step as body(x, _) -> (new_x, new_x) and call "
            "jax.lax.scan(body, x0, None, length=steps)"
        )
    return passed(f"descent_path matches the reference on all {len(cases)} test inputs.")
