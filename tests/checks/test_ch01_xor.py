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
        pytest.param(
            jnp.array([1.0, 1.0]), -0.5, ["expected [0. 0. 0. 1.], got [0. 1. 1. 1.]"], id="or"
        ),
        pytest.param(
            jnp.array([1.0, 1.0]),
            -2.0,
            ["got [0. 0. 0. 0.]", "largest difference is 1"],
            id="too-high",
        ),
        pytest.param(jnp.array([1.0, 1.0]), 0.0, ["got [0. 1. 1. 1.]"], id="no-bias"),
        pytest.param(jnp.ones((2, 1)), -1.5, ["w should have shape (2,)"], id="w-shape"),
        pytest.param(jnp.ones(2), jnp.ones(2), ["b should be a single number"], id="b-shape"),
        pytest.param(..., ..., ["w is still Ellipsis: replace the `...`"], id="starter"),
        pytest.param(
            "ab",
            {"b": 1},
            ["w and b should be numbers, got w = a string and b = a dict"],
            id="not-numbers",
        ),
    ],
)
def test_and_gate_rejects_wrong_answers(expect, w, b, fragments):
    expect(checks.check_and_gate(w, b), False, *fragments)


# ex-01-xor-network --------------------------------------------------------------


@pytest.mark.parametrize(
    "forward",
    [
        pytest.param(xor_reference, id="reference"),
        pytest.param(lambda X: xor_reference(X)[:, None], id="column"),
        pytest.param(
            lambda X: jax.nn.relu(X[:, 0] - X[:, 1]) + jax.nn.relu(X[:, 1] - X[:, 0]),
            id="jax.nn.relu",
        ),
        pytest.param(
            lambda X: helpers.mlp_forward(
                [(W_DIFF, jnp.zeros(2)), (jnp.ones((2, 1)), jnp.zeros(1))], X
            ),
            id="mlp_forward",
        ),
        pytest.param(
            lambda X: jnp.sum(jnp.where(X @ W_DIFF > 0, X @ W_DIFF, 0.0), axis=1), id="where"
        ),
        pytest.param(lambda X: jnp.sum((X @ W_DIFF) * (X @ W_DIFF > 0), axis=1), id="mask"),
        pytest.param(
            lambda X: jnp.stack([relu(x[0] - x[1]) + relu(x[1] - x[0]) for x in X]), id="rows"
        ),
        pytest.param(jax.jit(xor_reference), id="jit"),
        pytest.param(jax.vmap(lambda x: relu(x[0] - x[1]) + relu(x[1] - x[0])), id="vmap"),
        pytest.param(
            lambda X: 2.0 * relu(X[:, 0] + X[:, 1] - 0.5) - 3.0 * relu(X[:, 0] + X[:, 1] - 1.0),
            id="other-sum-network",
        ),
        pytest.param(
            lambda X: (
                jnp.where(X[:, 0] > X[:, 1], X[:, 0] - X[:, 1], 0.0)
                + jnp.where(X[:, 1] > X[:, 0], X[:, 1] - X[:, 0], 0.0)
            ),
            id="where-x1-gt-x2",
        ),
        pytest.param(
            lambda X: (
                (X[:, 0] > X[:, 1]) * (X[:, 0] - X[:, 1])
                + (X[:, 1] >= X[:, 0]) * (X[:, 1] - X[:, 0])
            ),
            id="mask-x1-gt-x2",
        ),
    ],
)
def test_xor_network_accepts_relu_networks(expect, forward):
    expect(checks.check_xor_network(forward), True, "xor_network(X)")


@pytest.mark.parametrize(
    "forward, fragments",
    [
        pytest.param(
            lambda X: relu(X[:, 0] + X[:, 1]),
            ["expected [0. 1. 1. 0.], got [0. 1. 1. 2.]"],
            id="no-output-unit",
        ),
        pytest.param(lambda X: relu(X[:, 0] - X[:, 1]), ["got [0. 0. 1. 0.]"], id="one-unit"),
        pytest.param(
            lambda X: jnp.full((4,), 0.5),
            ["got [0.5 0.5 0.5 0.5]", "tolerance 0.0001"],
            id="linear",
        ),
        pytest.param(lambda X: X @ jnp.ones(3), ["raised TypeError"], id="raises"),
        pytest.param(lambda X: X, ["the shape differs"], id="shape"),
        pytest.param(None, ["xor_network should be a function"], id="not-a-function"),
    ],
)
def test_xor_network_rejects_wrong_outputs(expect, forward, fragments):
    expect(checks.check_xor_network(forward), False, *fragments)


@pytest.mark.parametrize(
    "forward, fragment",
    [
        pytest.param(lambda X: jnp.abs(X[:, 0] - X[:, 1]), "but it uses jnp.abs", id="abs"),
        pytest.param(lambda X: (X[:, 0] - X[:, 1]) ** 2, "but it uses a power", id="square"),
        pytest.param(
            lambda X: X[:, 0] + X[:, 1] - 2.0 * X[:, 0] * X[:, 1],
            "multiplies two values that depend on the inputs",
            id="polynomial",
        ),
        pytest.param(
            lambda X: relu(X[:, 0] + X[:, 1]) - 2.0 * relu(X[:, 0] + X[:, 1] - 1.0),
            "is the chapter's network",
            id="chapter",
        ),
        pytest.param(
            lambda X: jnp.array([0.0, 1.0, 1.0, 0.0]),
            "does not depend on its input X",
            id="constant",
        ),
        pytest.param(lambda X: relu(xor_reference(X)), "has 3 ReLU units", id="three-units"),
        pytest.param(lambda X: xor_reference(X) > 0.5, "got True/False values", id="threshold"),
        pytest.param(
            lambda X: jnp.where(X[:, 0] != X[:, 1], 1.0, 0.0), "uses `!=`", id="not-equal"
        ),
        pytest.param(
            lambda X: jax.lax.top_k(jnp.abs(X[:, ::-1] - X), 1)[0][:, 0],
            "but it uses jnp.abs",
            id="abs-then-top-k",
        ),
        pytest.param(
            lambda X: jax.lax.top_k(X - X[:, ::-1], 1)[0][:, 0], "uses `top_k`", id="top-k"
        ),
        pytest.param(
            lambda X: jnp.where(X[:, 0] > X[:, 1], X[:, 0] - X[:, 1], X[:, 1] - X[:, 0]),
            "chooses between two values that both depend on the inputs (jnp.where(c, a, b)), "
            "which is not a ReLU unit",
            id="where-two-formulas",
        ),
        pytest.param(
            lambda X: jnp.maximum(X[:, 0] - X[:, 1], X[:, 1] - X[:, 0]),
            "a ReLU unit is a maximum with 0",
            id="max-of-two-formulas",
        ),
    ],
)
def test_xor_network_checks_the_network_not_only_its_outputs(expect, forward, fragment):
    expect(checks.check_xor_network(forward), False, fragment)


@pytest.mark.parametrize(
    "forward, fragment",
    [
        pytest.param(
            lambda X: {"xor": xor_reference(X)},
            "return one array, not a dict with keys 'xor'",
            id="dict",
        ),
        pytest.param(
            lambda X: [[0.0, 1.0], [1.0]],
            "return one array, not a Python list of 2 items",
            id="ragged-list",
        ),
        pytest.param(
            lambda X: (relu(X[:, 0] - X[:, 1]), relu(X[:, 1] - X[:, 0])),
            "not a Python tuple of 2 arrays",
            id="tuple",
        ),
        pytest.param(
            lambda X: [0.0, 1.0, 1.0, 0.0],
            "return one array, not a Python list of 4 numbers",
            id="list",
        ),
    ],
)
def test_xor_network_rejects_containers_in_plain_words(expect, forward, fragment):
    expect(checks.check_xor_network(forward), False, fragment)
