"""Self-checks of chapter 6, jit."""

from __future__ import annotations

from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np

from .answers import expect_close, raised, run_cases, shown_call, uses_value_in_python
from .core import CheckResult, Problem, check, passed
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


# (x0, lr, tol, max_steps): |x - 3| shrinks by |1 - 2 lr| per step; the thresholds sit far from
# the boundaries, so float32 rounding cannot move a count. 0.6 overshoots (a missing abs shows);
# lr 0 and 1 never get there (max_steps shows).
_STEPS_CASES = [
    (0.0, 0.1, 1e-3, 1000),
    (10.0, 0.25, 0.01, 1000),
    (0.0, 0.6, 0.01, 1000),
    (3.0005, 0.1, 1e-3, 50),
    (0.0, 0.0, 1e-3, 25),
    (5.0, 1.0, 1e-3, 30),
]
_WHILE_HINT = (
    "under jax.jit every argument is traced, so a Python while or if on a value that depends "
    "on them (or range(max_steps)) cannot run; the number of steps is only known as the loop "
    "runs, which is what jax.lax.while_loop(cond, body, init) is for: a traced condition, "
    "checked before each step"
)


def _steps_reference(x0: float, lr: float, tol: float, max_steps: int) -> int:
    x, lr, count = np.float32(x0), np.float32(lr), 0
    while abs(x - np.float32(3.0)) >= tol and count < max_steps:
        x, count = x - lr * np.float32(2.0) * (x - np.float32(3.0)), count + 1
    return count


@check
def check_steps_to_reach(steps_to_reach: Callable) -> CheckResult:
    """Exercise ex-06-steps-to-reach: the number of gradient-descent steps on ``(x - 3)**2``
    until ``|x - 3| < tol``, at most ``max_steps``, computed under ``jax.jit`` with every
    argument traced (a Python ``while`` gets the ``lax.while_loop`` hint)."""
    cases = _STEPS_CASES
    run_cases("steps_to_reach", steps_to_reach, _steps_reference, cases, atol=0, rtol=0)
    compiled = jax.jit(steps_to_reach)
    for args in cases:
        call = shown_call("jax.jit(steps_to_reach)", args)
        try:
            got = compiled(*args)
        except Exception as exc:
            if uses_value_in_python(exc) or isinstance(
                exc, jax.errors.TracerIntegerConversionError
            ):
                raise Problem(f"{call} raised {type(exc).__name__}: {_WHILE_HINT}") from None
            raise Problem(raised(call, exc)) from None
        expect_close(call, got, _steps_reference(*args), 0, 0)
    return passed(
        f"jax.jit(steps_to_reach) gives the right number of steps in all {len(cases)} cases."
    )
