"""Self-checks of chapter 4, gradients."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp

from ..data import xor_data
from ..losses import binary_cross_entropy_with_logits
from ..model import init_mlp, mlp_forward
from .answers import check_function, expect_close, require_answer, run_cases
from .core import CheckResult, Problem, check, passed
from .describe import Shown, describe, is_number_array, unshown
from .tracing import equation_count


def as_layers(value: Any, name: str) -> list:
    """``value`` as the course's list of ``(W, b)`` tuples when it is a list or a tuple of
    pairs, each pair a list or a tuple (what ``mlp_forward`` accepts and ``jax.grad`` keeps);
    a :class:`Problem` saying what it is otherwise."""
    if (
        isinstance(value, (list, tuple))
        and value
        and all(isinstance(layer, (list, tuple)) and len(layer) == 2 for layer in value)
    ):
        return [tuple(layer) for layer in value]
    raise Problem(
        f"{name} should be a list of (W, b) pairs, one per layer (a tuple of pairs, or "
        f"pairs written as lists, are fine too), not {describe(value)}"
    )


def _loss_xyp(x: jax.Array, y: jax.Array, params: Any) -> jax.Array:
    return binary_cross_entropy_with_logits(mlp_forward(params, x)[:, 0], y)


@check
def check_weight_grads(grads: Any) -> CheckResult:
    """Exercise ex-04-argnums: ``grads`` is the gradient of ``loss_xyp(x, y, params)``
    with respect to ``params`` (``init_mlp(jax.random.key(0), [2, 16, 1])``, XOR data),
    as a list or a tuple of ``(W, b)`` pairs (lists or tuples)."""
    require_answer(grads, "grads", how="compute it with jax.grad first")
    params = init_mlp(jax.random.key(0), [2, 16, 1])
    X, y = xor_data()
    if is_number_array(grads) and jnp.shape(grads) in (X.shape, y.shape):
        raise Problem(
            f"grads should be a list of 2 (W, b) layers, not {describe(grads)}. Hint: this "
            "has the shape of an input, so it is a gradient with respect to x or y. Which "
            "argument does argnums pick?"
        )
    expected = jax.grad(_loss_xyp, argnums=2)(X, y, params)
    if isinstance(grads, tuple) and len(grads) == 1 and isinstance(grads[0], (list, tuple)):
        raise Problem(
            "grads is a tuple of one gradient: a tuple argnums, such as argnums=(2,), makes "
            "jax.grad return one gradient per argument it names, in a tuple. Take grads[0], "
            "or write argnums=2"
        )
    grads = as_layers(grads, "grads")
    expect_close("grads", grads, expected, atol=1e-5, rtol=1e-5, returned=False)
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


@functools.partial(jax.jit, static_argnums=0)  # one compilation, not one per operation
def _grad_norms(loss_fn: Callable, params: Any, X: jax.Array, y: jax.Array) -> jax.Array:
    def one(x: jax.Array, t: jax.Array) -> jax.Array:
        grads = jax.grad(loss_fn)(params, x[None], t[None])  # a batch of one
        return jnp.sqrt(sum(jnp.sum(g**2) for g in jax.tree_util.tree_leaves(grads)))

    return jax.vmap(one)(X, y)


def _norms_hint(got: Any, expected: jax.Array) -> str | None:
    """What a plausible wrong set of norms did, when its values say so."""
    if not is_number_array(got) or jnp.shape(got) != expected.shape:
        return None
    close = lambda a, b: bool(jnp.allclose(a, b, rtol=1e-4, atol=1e-6))  # noqa: E731
    if close(got, expected**2):
        return "these are the squared norms: take the square root of the sum of squares"
    if got.size > 1 and close(got, jnp.full_like(got, got[0])) and not close(got, expected):
        return (
            "every example got the same norm: differentiate each example's own loss "
            "(a batch of one), not the loss of the whole batch"
        )
    return None


def _program_sizes(fn: Callable, loss_fn: Callable, params: Any, X: Any, y: Any) -> tuple:
    """The size of ``fn``'s traced program for batches of 2 and 4; empty for an answer JAX
    cannot trace (its values were checked already)."""
    try:
        return tuple(
            equation_count(lambda p, a, b: fn(loss_fn, p, a, b), params, X[:n], y[:n])
            for n in (2, 4)
        )
    except Exception:
        return ()


def _norm_cases() -> list[tuple]:
    def bce(params: Any, x: jax.Array, y: jax.Array) -> jax.Array:
        return binary_cross_entropy_with_logits(mlp_forward(params, x)[:, 0], y)

    def squared_error(params: Any, x: jax.Array, t: jax.Array) -> jax.Array:
        return jnp.mean((mlp_forward(params, x) - t) ** 2)

    def spread(*shape: int) -> jax.Array:
        """Fixed values of both signs (no random draw: cheap to make, and always the same)."""
        return jnp.sin(jnp.arange(1.0, 1.0 + math.prod(shape)).reshape(shape))

    X, y = xor_data()
    xor_net = [(W, b + 0.1) for W, b in init_mlp(jax.random.key(3), [2, 8, 1], scale=None)]
    deep = [(spread(3, 5), spread(5)), (spread(5, 4), spread(4) / 2), (spread(4, 2), spread(2))]
    return [
        (Shown(bce, "bce_loss"), Shown(xor_net, "a 2-8-1 network"), X, y),
        (
            Shown(squared_error, "mean squared error of 2 outputs"),
            Shown(deep, "a 3-5-4-2 network"),
            spread(5, 3) * 2,
            spread(5, 2) + 0.5,
        ),
    ]


@check
def check_per_example_grad_norms(fn: Callable) -> CheckResult:
    """Exercise ex-04-per-example: ``fn(loss_fn, params, X, y)`` returns an array of shape
    ``(N,)`` whose entry ``n`` is the norm (the square root of the sum of squares over every
    leaf) of the gradient of ``loss_fn(params, X[n:n+1], y[n:n+1])`` with respect to params."""
    cases = _norm_cases()
    run_cases(
        "per_example_grad_norms", fn, _grad_norms, cases, atol=1e-5, rtol=1e-4, hint=_norms_hint
    )
    sizes = _program_sizes(fn, *unshown(cases[0]))
    if sizes and sizes[1] > sizes[0]:
        raise Problem(
            "per_example_grad_norms gives the right values, but it handles one example at a "
            f"time in a Python loop (its traced program grows with the batch: {sizes[0]} "
            f"operations for 2 examples, {sizes[1]} for 4): use jax.vmap(jax.grad(...)), as "
            "the exercise asks"
        )
    return passed(f"per_example_grad_norms matches the reference on all {len(cases)} inputs.")
