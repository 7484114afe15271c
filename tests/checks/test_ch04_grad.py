"""Chapter 4's self-checks: the gradient with respect to the weights, and central differences."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import pytest

import helpers
from helpers import checks


def loss_xyp(x, y, params):
    return helpers.binary_cross_entropy_with_logits(helpers.mlp_forward(params, x)[:, 0], y)


def params(seed: int = 0):
    return helpers.init_mlp(jax.random.key(seed), [2, 16, 1])


def weight_grads(params):
    return jax.grad(loss_xyp, argnums=2)(*helpers.xor_data(), params)


def test_weight_grads_check_accepts_reference(expect):
    expect(checks.check_weight_grads(weight_grads(params())), True, "grads is right.")


# Wrong answers, made when their test runs (not while every pytest-xdist worker collects).
WRONG_GRADS = {
    "input-gradient": (
        lambda: jax.grad(loss_xyp)(*helpers.xor_data(), params()),
        [
            "grads: it should be a list of 2 (W, b) layers, not an array of shape (4, 2)",
            "Hint: this has the shape of an input",
        ],
    ),
    "other-params": (
        lambda: weight_grads(params(seed=1)),
        ["grads: layer 0, W: expected an array of shape (2, 16)", "the largest difference is"],
    ),
    "params": (params, ["grads: layer 0, W: expected"]),  # the parameters, not their gradient
    "starter": (lambda: ..., ["grads is still Ellipsis: compute it with jax.grad first."]),
    "tuple": (
        lambda: tuple(weight_grads(params())),
        ["grads: it should be a list of 2 (W, b) layers, not a Python tuple of 2 items"],
    ),
}


@pytest.mark.parametrize("case", WRONG_GRADS)
def test_weight_grads_check_rejects_wrong_answers(expect, case):
    make, fragments = WRONG_GRADS[case]
    expect(checks.check_weight_grads(make()), False, *fragments)


def central_difference_reference(f, x, eps):
    grads = []
    for i in range(x.shape[0]):
        step = jnp.zeros_like(x).at[i].set(eps)
        grads.append((f(x + step) - f(x - step)) / (2 * eps))
    return jnp.stack(grads)


def test_central_difference_check_accepts_reference(expect):
    expect(
        checks.check_central_difference(central_difference_reference),
        True,
        "central_difference matches the reference on all 3 test inputs.",
    )


def forward_difference(f, x, eps):
    return jnp.stack([(f(x.at[i].add(eps)) - f(x)) / eps for i in range(x.shape[0])])


def central_difference_missing_two(f, x, eps):
    return jnp.stack(
        [(f(x.at[i].add(eps)) - f(x.at[i].add(-eps))) / eps for i in range(x.shape[0])]
    )


@pytest.mark.parametrize(
    "answer, fragment",
    [
        (
            forward_difference,
            "central_difference(f(x) = sum(x**2), [ 1. -2.  3.], 0.1): "
            "expected [ 2. -4.  6.], got [ 2.1 -3.9  6.1]",
        ),
        (
            central_difference_missing_two,
            "central_difference(f(x) = sum(x**2), [ 1. -2.  3.], 0.1): "
            "expected [ 2. -4.  6.], got [ 4. -8. 12.]",
        ),
        (
            lambda f, x, eps: jax.grad(f)(x),
            "central_difference(f(x) = sum(sin(x)), [ 0.5  1.   2.  -1.5], 0.1): "
            "expected [ 0.8761  0.5394",
        ),
    ],
    ids=["forward", "missing-two", "exact-gradient"],
)
def test_central_difference_check_rejects_wrong_answers(expect, answer, fragment):
    expect(checks.check_central_difference(answer), False, fragment)
