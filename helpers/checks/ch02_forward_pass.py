"""Self-checks of chapter 2, the forward pass."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ..data import xor_data
from ..model import init_mlp, mlp_forward
from .answers import call_answer, expect_close, raised, require_callable, run_cases
from .compare import compare, shapes_match
from .core import CheckResult, Problem, check, passed
from .describe import describe, fmt
from .library_use import library_problem, wrapper_problem

_ACTIVATION_CASES = [
    (jnp.array([-3.0, -0.5, 0.0, 0.5, 3.0]),),
    (jnp.array([[-1.0, 2.0], [4.0, -0.25]]),),
    (jnp.array([-100.0, 100.0]),),
]


# References in float64 NumPy, from the formulas themselves: jax.nn is what the learner may
# not use, so it is not what the answer is compared with either.
def _relu_reference(z: Any) -> np.ndarray:
    return np.maximum(np.asarray(z, dtype=np.float64), 0.0)


def _sigmoid_reference(z: Any) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))


def _built_by_hand(name: str, fn: Callable, how: str) -> None:
    """A :class:`Problem` if ``fn`` calls ``jax.nn`` (the exercise says: no ``jax.nn``)."""
    z = _ACTIVATION_CASES[0][0]
    try:
        problem = library_problem(name, fn, (z,), how)
    except Exception as exc:  # NumPy inside: JAX cannot trace it, nor differentiate it
        raise Problem(raised(f"tracing {name}({fmt(z)})", exc)) from None
    if problem:
        raise Problem(problem)


@check
def check_relu(relu: Callable) -> CheckResult:
    """Exercise ex-02-activations: ``relu(z)`` is ``max(z, 0)`` elementwise, any shape,
    written with ``jnp`` (``jax.nn.relu`` is refused: the exercise is to build it)."""
    run_cases("relu", relu, _relu_reference, _ACTIVATION_CASES)
    _built_by_hand("relu", relu, "jnp.maximum or jnp.where")
    return passed(f"relu matches max(z, 0) on all {len(_ACTIVATION_CASES)} test inputs.")


@check
def check_sigmoid(sigmoid: Callable) -> CheckResult:
    """Exercise ex-02-activations: ``sigmoid(z)`` is ``1 / (1 + exp(-z))`` elementwise,
    any shape, written with ``jnp`` (not ``jax.nn.sigmoid``), and both it and its gradient
    are finite for inputs like -100 and 100."""
    run_cases("sigmoid", sigmoid, _sigmoid_reference, _ACTIVATION_CASES)
    _built_by_hand("sigmoid", sigmoid, "jnp.exp or jnp.tanh")
    z = jnp.array([-100.0, 0.0, 100.0])
    slope = jax.grad(lambda z: jnp.sum(sigmoid(z)))(z)
    if not bool(jnp.all(jnp.isfinite(slope))):
        raise Problem(
            f"sigmoid gives the right values, but its gradient at {fmt(z)} is {fmt(slope)}. "
            "In 1 / (1 + exp(-z)), exp(100) overflows to inf and the gradient becomes inf / inf; "
            "write it without a huge intermediate, e.g. 0.5 * (1 + jnp.tanh(z / 2))"
        )
    s = _sigmoid_reference(z)
    expect_close(f"the gradient of sigmoid at {fmt(z)}", slope, s * (1 - s), atol=1e-6, rtol=1e-5)
    return passed(
        f"sigmoid matches 1 / (1 + exp(-z)) on all {len(_ACTIVATION_CASES)} test inputs, "
        "and so does its gradient."
    )


def _as_layers(params: Any, n_layers: int) -> Any:
    """Any sequence of ``(W, b)`` pairs as the course's list of tuples; anything else as it is.

    A list of lists or a tuple of tuples holds the same parameters as a list of tuples, and
    ``helpers.mlp_forward`` and ``jax.grad`` take them all, so ex-02-init accepts them all; a
    layer that is not a pair is refused in the words mlp_forward would use.
    """
    if (
        not isinstance(params, (list, tuple))
        or len(params) != n_layers
        or any(hasattr(layer, "shape") for layer in params)  # a bare (W, b) or flat arrays
    ):
        return params  # compare() says what the whole should be
    for i, layer in enumerate(params):
        if not isinstance(layer, (list, tuple)) or len(layer) != 2:
            raise Problem(
                f"layer {i} should be a (W, b) pair (a tuple or a list, as "
                f"helpers.mlp_forward takes), not {describe(layer)}"
            )
    return [tuple(layer) for layer in params]


@check
def check_init(init: Callable) -> CheckResult:
    """Exercise ex-02-init: ``init(key, sizes, scale)`` returns the same ``(W, b)`` layers
    as ``helpers.init_mlp(key, sizes, scale)``: ``W (in, out)`` is ``scale`` times a normal
    draw with the layer's key from ``jax.random.split(key, len(sizes) - 1)``, ``b`` is zeros.
    Any sequence of pairs is accepted (a list of tuples, a list of lists, a tuple of tuples)."""
    require_callable(init, "init")
    wrapper_problem("init", init, init_mlp, "helpers.init_mlp")
    cases = [(7, [2, 16, 1], 0.1), (8, [3, 4, 5, 2], 1.0), (9, [5, 3], 0.5)]
    for seed, sizes, scale in cases:
        call = f"init(jax.random.key({seed}), {sizes}, scale={scale})"
        expected = init_mlp(jax.random.key(seed), sizes, scale=scale)
        got = call_answer(call, init, (jax.random.key(seed), sizes, scale))
        try:
            got = _as_layers(got, len(expected))
        except Problem as problem:
            raise Problem(f"{call}: {problem}") from None
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
    wrapper_problem("forward", forward, mlp_forward, "helpers.mlp_forward")
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
