"""Self-checks of chapter 2, the forward pass."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp

from ..data import xor_data
from ..model import init_mlp, mlp_forward
from .compare import compare, shapes_match
from .core import (
    PASS,
    CheckResult,
    Problem,
    call_answer,
    check,
    check_function,
    expect_close,
    passed,
    require_callable,
)
from .describe import fmt

_ACTIVATION_CASES = [
    (jnp.array([-3.0, -0.5, 0.0, 0.5, 3.0]),),
    (jnp.array([[-1.0, 2.0], [4.0, -0.25]]),),
    (jnp.array([-100.0, 100.0]),),
]


def check_relu(relu: Callable) -> CheckResult:
    """Exercise ex-02-activations: ``relu(z)`` is ``max(z, 0)`` elementwise, any shape."""
    return check_function("relu", relu, jax.nn.relu, _ACTIVATION_CASES)


@check
def check_sigmoid(sigmoid: Callable) -> CheckResult:
    """Exercise ex-02-activations: ``sigmoid(z)`` is ``1 / (1 + exp(-z))`` elementwise,
    any shape, and both it and its gradient are finite for inputs like -100 and 100."""
    values = check_function("sigmoid", sigmoid, jax.nn.sigmoid, _ACTIVATION_CASES)
    if not values:
        return values
    z = jnp.array([-100.0, 0.0, 100.0])
    slope = jax.grad(lambda z: jnp.sum(sigmoid(z)))(z)
    if not bool(jnp.all(jnp.isfinite(slope))):
        raise Problem(
            f"sigmoid gives the right values, but its gradient at {fmt(z)} is {fmt(slope)}. "
            "In 1 / (1 + exp(-z)), exp(100) overflows to inf and the gradient becomes inf / inf; "
            "write it without a huge intermediate, e.g. 0.5 * (1 + jnp.tanh(z / 2))"
        )
    reference = jax.vmap(jax.grad(jax.nn.sigmoid))(z)
    expect_close(f"the gradient of sigmoid at {fmt(z)}", slope, reference, atol=1e-6, rtol=1e-5)
    return passed(values.message.removeprefix(PASS).rstrip(".") + ", and so does its gradient.")


def _as_layers(params: Any) -> Any:
    """Any sequence of ``(W, b)`` pairs as the course's list of tuples; anything else as it is.

    A list of lists or a tuple of tuples holds the same parameters as a list of tuples, and
    ``jax.grad`` keeps whichever structure it is given, so ex-02-init accepts them all.
    """
    if isinstance(params, (list, tuple)) and all(
        isinstance(layer, (list, tuple)) and len(layer) == 2 for layer in params
    ):
        return [tuple(layer) for layer in params]
    return params


@check
def check_init(init: Callable) -> CheckResult:
    """Exercise ex-02-init: ``init(key, sizes, scale)`` returns the same ``(W, b)`` layers
    as ``helpers.init_mlp(key, sizes, scale)``: ``W (in, out)`` is ``scale`` times a normal
    draw with the layer's key from ``jax.random.split(key, len(sizes) - 1)``, ``b`` is zeros.
    Any sequence of pairs is accepted (a list of tuples, a list of lists, a tuple of tuples)."""
    require_callable(init, "init")
    cases = [(7, [2, 16, 1], 0.1), (8, [3, 4, 5, 2], 1.0), (9, [5, 3], 0.5)]
    for seed, sizes, scale in cases:
        call = f"init(jax.random.key({seed}), {sizes}, scale={scale})"
        expected = init_mlp(jax.random.key(seed), sizes, scale=scale)
        got = _as_layers(call_answer(call, init, (jax.random.key(seed), sizes, scale)))
        problem = compare(got, expected, atol=1e-6, rtol=1e-6)
        if problem is None:
            continue
        if shapes_match(got, expected):
            problem += (
                ". The shapes are right; check that layer i draws its W with the i-th key of "
                "jax.random.split(key, len(sizes) - 1), multiplies by scale, and that b is zeros"
            )
        raise Problem(f"{call}: {problem}")
    return passed(f"init matches helpers.init_mlp on all {len(cases)} test networks.")


def _forward_cases() -> list[tuple[str, Any, jax.Array]]:
    key = jax.random.key(2)
    k_small, k_deep, k_x, k_bias = jax.random.split(key, 4)
    small = init_mlp(k_small, [2, 16, 1], scale=1.0)
    deep = init_mlp(k_deep, [3, 4, 5, 2])
    # Non-zero biases, so that a forgotten bias shows.
    deep = [
        (W, 0.5 * jax.random.normal(k, b.shape))
        for (W, b), k in zip(deep, jax.random.split(k_bias, len(deep)), strict=True)
    ]
    X_small, _ = xor_data()
    return [
        ("a 2-16-1 network on one example x = [0. 1.]", small, X_small[1]),
        ("a 2-16-1 network on the batch of four XOR inputs", small, X_small),
        (
            "a 3-4-5-2 network (three layers, non-zero biases) on a batch of 5",
            deep,
            jax.random.normal(k_x, (5, 3)),
        ),
    ]


@check
def check_forward(forward: Callable) -> CheckResult:
    """Exercise ex-02-forward: ``forward(params, x)`` equals ``helpers.mlp_forward`` (ReLU
    hidden layers, linear output) for networks of any depth, on one example and on a batch."""
    require_callable(forward, "forward")
    cases = _forward_cases()
    for description, params, x in cases:
        call = f"forward on {description}"
        expect_close(
            call,
            call_answer(call, forward, (params, x)),
            mlp_forward(params, x),
            atol=1e-5,
            rtol=1e-5,
        )
    return passed(f"forward matches helpers.mlp_forward on all {len(cases)} test networks.")
