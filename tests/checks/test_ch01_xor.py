"""Chapter 1's self-checks: the AND gate and the XOR network."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import pytest

import helpers
from helpers import checks


def relu(z):
    return jnp.maximum(z, 0.0)


def xor_reference(X):
    """The solution of ex-01-xor-network: |x1 - x2| from two ReLU units."""
    return relu(X[:, 0] - X[:, 1]) + relu(X[:, 1] - X[:, 0])


W_DIFF = jnp.array([[1.0, -1.0], [-1.0, 1.0]])  # columns: x1 - x2 and x2 - x1


# ex-01-and-gate ---------------------------------------------------------------


def test_and_gate_accepts_reference(expect):
    expect(checks.check_and_gate(jnp.array([1.0, 1.0]), -1.5), True, "AND gate")


@pytest.mark.parametrize(
    "w, b, fragments",
    [
        (jnp.array([1.0, 1.0]), -0.5, ["expected [0. 0. 0. 1.], got [0. 1. 1. 1.]"]),  # that is OR
        (jnp.array([1.0, 1.0]), -2.0, ["got [0. 0. 0. 0.]", "largest difference is 1"]),  # too high
        (jnp.array([1.0, 1.0]), 0.0, ["got [0. 1. 1. 1.]"]),  # no bias
        (jnp.ones((2, 1)), -1.5, ["w should have shape (2,)"]),
        (jnp.ones(2), jnp.ones(2), ["b should be a single number"]),
        (..., ..., ["w is still Ellipsis: replace the `...`"]),
        ("ab", {"b": 1}, ["w and b should be numbers, got w = a string and b = a dict"]),
    ],
    ids=["or", "too-high", "no-bias", "w-shape", "b-shape", "starter", "not-numbers"],
)
def test_and_gate_rejects_wrong_answers(expect, w, b, fragments):
    expect(checks.check_and_gate(w, b), False, *fragments)


# ex-01-xor-network --------------------------------------------------------------


@pytest.mark.parametrize(
    "forward",
    [
        xor_reference,
        lambda X: xor_reference(X)[:, None],
        lambda X: jax.nn.relu(X[:, 0] - X[:, 1]) + jax.nn.relu(X[:, 1] - X[:, 0]),
        lambda X: helpers.mlp_forward(
            [(W_DIFF, jnp.zeros(2)), (jnp.ones((2, 1)), jnp.zeros(1))], X
        ),
        lambda X: jnp.sum(jnp.where(X @ W_DIFF > 0, X @ W_DIFF, 0.0), axis=1),
        lambda X: jnp.sum((X @ W_DIFF) * (X @ W_DIFF > 0), axis=1),
        lambda X: jnp.stack([relu(x[0] - x[1]) + relu(x[1] - x[0]) for x in X]),
        jax.jit(xor_reference),
        jax.vmap(lambda x: relu(x[0] - x[1]) + relu(x[1] - x[0])),
        lambda X: 2.0 * relu(X[:, 0] + X[:, 1] - 0.5) - 3.0 * relu(X[:, 0] + X[:, 1] - 1.0),
        # a unit's test written as x1 > x2 (that is x1 - x2 > 0): still relu(x1 - x2)
        lambda X: (
            jnp.where(X[:, 0] > X[:, 1], X[:, 0] - X[:, 1], 0.0)
            + jnp.where(X[:, 1] > X[:, 0], X[:, 1] - X[:, 0], 0.0)
        ),
        lambda X: (
            (X[:, 0] > X[:, 1]) * (X[:, 0] - X[:, 1]) + (X[:, 1] >= X[:, 0]) * (X[:, 1] - X[:, 0])
        ),
    ],
    ids=[
        "reference",
        "column",
        "jax.nn.relu",
        "mlp_forward",
        "where",
        "mask",
        "rows",
        "jit",
        "vmap",
        "other-sum-network",
        "where-x1-gt-x2",
        "mask-x1-gt-x2",
    ],
)
def test_xor_network_accepts_relu_networks(expect, forward):
    expect(checks.check_xor_network(forward), True, "xor_network(X)")


@pytest.mark.parametrize(
    "forward, fragments",
    [
        (
            lambda X: relu(X[:, 0] + X[:, 1]),
            ["expected [0. 1. 1. 0.], got [0. 1. 1. 2.]"],
        ),  # no output unit
        (lambda X: relu(X[:, 0] - X[:, 1]), ["got [0. 0. 1. 0.]"]),  # one unit only
        (
            lambda X: jnp.full((4,), 0.5),
            ["got [0.5 0.5 0.5 0.5]", "tolerance 0.0001"],
        ),  # the linear model
        (lambda X: X @ jnp.ones(3), ["raised TypeError"]),
        (lambda X: X, ["the shape differs"]),
        (lambda X: ..., ["returned Ellipsis: write the body of the function first"]),
        (None, ["xor_network should be a function"]),
    ],
    ids=["no-output-unit", "one-unit", "linear", "raises", "shape", "starter", "not-a-function"],
)
def test_xor_network_rejects_wrong_outputs(expect, forward, fragments):
    expect(checks.check_xor_network(forward), False, *fragments)


@pytest.mark.parametrize(
    "forward, fragment",
    [
        (lambda X: jnp.abs(X[:, 0] - X[:, 1]), "but it uses jnp.abs"),
        (lambda X: (X[:, 0] - X[:, 1]) ** 2, "but it uses a power"),
        (
            lambda X: X[:, 0] + X[:, 1] - 2.0 * X[:, 0] * X[:, 1],
            "multiplies two values that depend on the inputs",
        ),
        (
            lambda X: relu(X[:, 0] + X[:, 1]) - 2.0 * relu(X[:, 0] + X[:, 1] - 1.0),
            "is the chapter's network",
        ),
        (lambda X: jnp.array([0.0, 1.0, 1.0, 0.0]), "does not depend on its input X"),
        (lambda X: relu(xor_reference(X)), "has 3 ReLU units"),
        (lambda X: xor_reference(X) > 0.5, "got True/False values"),
        (lambda X: jnp.where(X[:, 0] != X[:, 1], 1.0, 0.0), "uses `!=`"),
        (  # a refused operation with two results (top_k: values and indices)
            lambda X: jax.lax.top_k(jnp.abs(X[:, ::-1] - X), 1)[0][:, 0],
            "but it uses jnp.abs",
        ),
        (lambda X: jax.lax.top_k(X - X[:, ::-1], 1)[0][:, 0], "uses `top_k`"),
        (  # |x1 - x2| picked from two formulas: not two ReLU units
            lambda X: jnp.where(X[:, 0] > X[:, 1], X[:, 0] - X[:, 1], X[:, 1] - X[:, 0]),
            "chooses between two values that both depend on the inputs (jnp.where(c, a, b)), "
            "which is not a ReLU unit",
        ),
        (
            lambda X: jnp.maximum(X[:, 0] - X[:, 1], X[:, 1] - X[:, 0]),
            "a ReLU unit is a maximum with 0",
        ),
    ],
    ids=[
        "abs",
        "square",
        "polynomial",
        "chapter",
        "constant",
        "three-units",
        "threshold",
        "not-equal",
        "abs-then-top-k",
        "top-k",
        "where-two-formulas",
        "max-of-two-formulas",
    ],
)
def test_xor_network_checks_the_network_not_only_its_outputs(expect, forward, fragment):
    expect(checks.check_xor_network(forward), False, fragment)


@pytest.mark.parametrize(
    "forward, fragment",
    [
        (lambda X: {"xor": xor_reference(X)}, "return one array, not a dict with keys 'xor'"),
        (lambda X: [[0.0, 1.0], [1.0]], "return one array, not a Python list of 2 items"),
        (
            lambda X: (relu(X[:, 0] - X[:, 1]), relu(X[:, 1] - X[:, 0])),
            "not a Python tuple of 2 arrays",
        ),
        (lambda X: [0.0, 1.0, 1.0, 0.0], "return one array, not a Python list of 4 numbers"),
    ],
    ids=["dict", "ragged-list", "tuple", "list"],
)
def test_xor_network_rejects_containers_in_plain_words(expect, forward, fragment):
    expect(checks.check_xor_network(forward), False, fragment)
