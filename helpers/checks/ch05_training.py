"""Self-checks of chapter 5, training."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp

from ..data import xor_data
from ..losses import binary_cross_entropy_with_logits
from ..model import init_mlp, mlp_forward
from ..updates import sgd_update
from .core import CheckResult, Problem, check, check_function, passed, run_cases
from .describe import describe, is_number_array, is_params


def check_sgd_update(fn: Callable) -> CheckResult:
    """Exercise ex-05-sgd-update: ``fn(params, grads, lr)`` returns ``p - lr * g`` for every
    leaf of any pytree, keeping its structure (a list of ``(W, b)`` tuples, a dictionary, ...)."""
    mlp = [
        (jnp.array([[1.0, -2.0], [0.5, 3.0]]), jnp.array([0.1, -0.1])),
        (jnp.array([[2.0], [-1.0]]), jnp.array([0.5])),
    ]
    mlp_grads = [
        (jnp.array([[0.5, 1.0], [-1.0, 2.0]]), jnp.array([1.0, -2.0])),
        (jnp.array([[-3.0], [0.25]]), jnp.array([4.0])),
    ]
    nested = {"scale": jnp.array(2.0), "layer": {"w": jnp.array([1.0, 2.0, 3.0])}}
    nested_grads = {"scale": jnp.array(-1.0), "layer": {"w": jnp.array([0.5, -0.5, 1.0])}}
    cases = [(mlp, mlp_grads, 0.1), (mlp, mlp_grads, 0.5), (nested, nested_grads, 0.1)]
    return check_function("sgd_update", fn, sgd_update, cases)


def _train_xor_reference(seed: int, hidden: int, lr: float, steps: int) -> jax.Array:
    X, y = xor_data()

    def loss_fn(params: Any) -> jax.Array:
        return binary_cross_entropy_with_logits(mlp_forward(params, X)[:, 0], y)

    @jax.jit
    def step(params: Any) -> tuple[Any, jax.Array]:
        loss, grads = jax.value_and_grad(loss_fn)(params)
        return sgd_update(params, grads, lr), loss

    params = init_mlp(jax.random.key(seed), [2, hidden, 1])
    losses = []
    for _ in range(steps):
        params, loss = step(params)
        losses.append(loss)
    return jnp.stack(losses)


def _losses_array(result: Any, call: str) -> Any:
    """A Python list of the losses, one number a step, as one array (the loop's natural result);
    a clear message for parameters returned instead of the losses."""
    if is_params(result) or isinstance(result, tuple) and any(map(is_params, result)):
        what = "the parameters" if is_params(result) else "a tuple with the parameters in it"
        raise Problem(
            f"{call} returned {what} ({describe(result)}): return the losses instead, "
            "an array with one loss per step, each measured before its update"
        )
    if (
        isinstance(result, list)
        and result
        and all(is_number_array(v) and jnp.ndim(v) == 0 for v in result)
    ):
        return jnp.asarray(result, dtype=jnp.float32)
    return result


@check
def check_train_xor(fn: Callable) -> CheckResult:
    """Exercise ex-05-train-xor: ``fn(seed, hidden, lr, steps)`` trains a 2-``hidden``-1 MLP
    on XOR (full-batch gradient descent on binary cross entropy from logits, initialised with
    ``init_mlp(jax.random.key(seed), [2, hidden, 1])``) and returns the ``(steps,)`` losses,
    each measured *before* its update (an array, or a Python list of the losses)."""
    cases = [(0, 16, 0.5, 30), (1, 4, 1.0, 20)]
    run_cases(
        "train_xor", fn, _train_xor_reference, cases, atol=1e-4, rtol=1e-3, prepare=_losses_array
    )
    return passed(f"train_xor matches the reference on all {len(cases)} test inputs.")
