"""Self-checks of chapter 8, optimizers and learning-rate schedules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp

from .answers import call_answer, expect_close, run_cases
from .core import CheckResult, Problem, check, passed


def _step_decay_reference(step: Any, peak_lr: float, total_steps: int) -> jax.Array:
    step = jnp.asarray(step, jnp.float32)
    return peak_lr * jnp.where(
        step < total_steps / 2, 1.0, jnp.where(step < 0.75 * total_steps, 0.1, 0.01)
    )


@check
def check_step_decay(fn: Callable) -> CheckResult:
    """Exercise ex-08-step-decay: ``fn(step, peak_lr, total_steps)`` is ``peak_lr`` for the
    first half of training, ``peak_lr / 10`` from ``total_steps / 2``, ``peak_lr / 100`` from
    ``3 * total_steps / 4``; it works on an array of steps and under ``jax.jit``."""
    cases = [
        (0, 0.1, 1000),
        (499, 0.1, 1000),
        (500, 0.1, 1000),
        (749, 0.1, 1000),
        (750, 0.1, 1000),
        (999, 0.1, 1000),
        (1500, 2e-3, 2000),
        (jnp.arange(0, 1200, 100), 1.0, 1200),
    ]
    run_cases("step_decay", fn, _step_decay_reference, cases, atol=1e-6)
    call = "jax.jit(step_decay, static_argnums=2)(jnp.int32(1600), 1.0, 2000)"
    got = call_answer(call, jax.jit(fn, static_argnums=2), (jnp.int32(1600), 1.0, 2000))
    expect_close(call, got, 0.01, atol=1e-6, rtol=1e-5)
    return passed(
        f"step_decay matches the reference on all {len(cases)} test inputs, also under jax.jit."
    )


def _rmsprop_reference(
    params: Any, grads: Any, state: Any, lr: float, decay: float = 0.9, eps: float = 1e-8
) -> tuple[Any, Any]:
    tree_map = jax.tree_util.tree_map
    s = tree_map(lambda s, g: decay * s + (1 - decay) * g**2, state, grads)
    return tree_map(lambda p, g, s: p - lr * g / (jnp.sqrt(s) + eps), params, grads, s), s


def _rmsprop_optax_form(
    params: Any, grads: Any, state: Any, lr: float, decay: float = 0.9, eps: float = 1e-8
) -> tuple[Any, Any]:
    """RMSProp with eps inside the square root, as ``optax.rmsprop`` writes it."""
    tree_map = jax.tree_util.tree_map
    s = tree_map(lambda s, g: decay * s + (1 - decay) * g**2, state, grads)
    return tree_map(lambda p, g, s: p - lr * g / jnp.sqrt(s + eps), params, grads, s), s


def _f32(values: Any) -> jax.Array:
    return jnp.asarray(values, dtype=jnp.float32)


@check
def check_rmsprop_update(fn: Callable) -> CheckResult:
    """Exercise ex-08-rmsprop: ``fn(params, grads, state, lr, decay=0.9, eps=1e-8)`` returns
    ``(new_params, new_state)`` with ``s = decay s + (1 - decay) g**2`` and
    ``p = p - lr g / (sqrt(s) + eps)`` (the new ``s``) for every leaf of any pytree."""
    p = {"w": _f32([[1.0, -2.0], [0.5, 3.0]]), "b": _f32([0.1, -0.1])}
    g = {"w": _f32([[0.2, -1.0], [4.0, 0.0]]), "b": _f32([-0.3, 0.05])}
    s = {"w": _f32([[0.04, 0.5], [1.0, 0.2]]), "b": _f32([0.0, 0.01])}
    zeros = jax.tree_util.tree_map(jnp.zeros_like, p)
    layers = [(_f32([[1.0, 2.0]]), _f32([0.0, -1.0]))]
    layer_grads = [(_f32([[0.5, -0.5]]), _f32([2.0, 1e-3]))]
    layer_state = [(_f32([[0.1, 0.1]]), _f32([3.0, 0.0]))]
    cases = [  # the defaults, then decay and eps given: an answer must use its arguments
        (p, g, zeros, 0.1),
        (p, g, s, 0.01, 0.5, 1e-3),
        (layers, layer_grads, layer_state, 0.5, 0.99, 1e-2),
    ]
    tolerances = {"atol": 1e-6, "rtol": 1e-5, "names": ("new_params", "new_state")}
    try:
        run_cases("rmsprop_update", fn, _rmsprop_reference, cases, **tolerances)
    except Problem:
        try:  # optax's form is RMSProp too: right, though not the form the exercise writes
            run_cases("rmsprop_update", fn, _rmsprop_optax_form, cases, **tolerances)
        except Problem:
            pass
        else:
            return passed(
                f"rmsprop_update is RMSProp on all {len(cases)} test inputs, with eps inside "
                "the square root, g / sqrt(s + eps), as optax.rmsprop writes it. The exercise "
                "writes g / (sqrt(s) + eps); the two differ only where s is close to eps."
            )
        raise
    return passed(f"rmsprop_update matches the reference on all {len(cases)} test inputs.")
