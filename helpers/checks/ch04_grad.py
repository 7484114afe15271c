"""Self-checks of chapter 4, gradients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp

from ..data import xor_data
from ..losses import binary_cross_entropy_with_logits
from ..model import init_mlp, mlp_forward
from .core import CheckResult, Problem, check, check_function, expect_close, passed, require_answer
from .describe import Shown, is_number_array


def _loss_xyp(x: jax.Array, y: jax.Array, params: Any) -> jax.Array:
    return binary_cross_entropy_with_logits(mlp_forward(params, x)[:, 0], y)


@check
def check_weight_grads(grads: Any) -> CheckResult:
    """Exercise ex-04-argnums: ``grads`` is the gradient of ``loss_xyp(x, y, params)``
    with respect to ``params`` (``init_mlp(jax.random.key(0), [2, 16, 1])``, XOR data)."""
    require_answer(grads, "grads", how="compute it with jax.grad first")
    params = init_mlp(jax.random.key(0), [2, 16, 1])
    X, y = xor_data()
    expected = jax.grad(_loss_xyp, argnums=2)(X, y, params)
    try:
        expect_close("grads", grads, expected, atol=1e-5, rtol=1e-5, returned=False)
    except Problem as problem:
        if is_number_array(grads) and jnp.shape(grads) in (X.shape, y.shape):
            raise Problem(
                f"{problem}. Hint: this has the shape of an input, so it is a gradient "
                "with respect to x or y. Which argument does argnums pick?"
            ) from None
        raise
    return passed("grads is right.")


def _central_difference(f: Callable, x: jax.Array, eps: float) -> jax.Array:
    grads = []
    for i in range(x.shape[0]):
        step = jnp.zeros_like(x).at[i].set(eps)
        grads.append((f(x + step) - f(x - step)) / (2 * eps))
    return jnp.stack(grads)


def check_central_difference(fn: Callable) -> CheckResult:
    """Exercise ex-04-central-difference: ``fn(f, x, eps)`` returns the central-difference
    gradient of a scalar function ``f`` at a 1-D float32 array ``x``, one entry per element.

    A large ``eps = 0.1`` is used on purpose: it makes the central formula's answer differ
    visibly from the exact gradient and from a one-sided difference.
    """
    functions = [
        Shown(lambda x: jnp.sum(x**2), "f(x) = sum(x**2)"),
        Shown(lambda x: jnp.sum(jnp.sin(x)), "f(x) = sum(sin(x))"),
        Shown(lambda x: x[0] ** 3 * x[1], "f(x) = x[0]**3 * x[1]"),
    ]
    xs = [jnp.array([1.0, -2.0, 3.0]), jnp.array([0.5, 1.0, 2.0, -1.5]), jnp.array([2.0, 0.5])]
    cases = [(f, x, 0.1) for f, x in zip(functions, xs, strict=True)]
    return check_function(
        "central_difference", fn, _central_difference, cases, atol=1e-4, rtol=1e-4
    )
