"""Chapter 2's self-checks of ex-02-activations: ReLU and sigmoid, built with jnp."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from helpers import checks


def relu(z):
    return jnp.maximum(z, 0.0)


def sigmoid(z):
    return 0.5 * (1.0 + jnp.tanh(z / 2))


def naive_sigmoid(z):
    return 1.0 / (1.0 + jnp.exp(-z))


# ex-02-activations --------------------------------------------------------------


@pytest.mark.parametrize(
    "check, answer, fragment",
    [
        (checks.check_relu, relu, "relu matches max(z, 0) on all 3 test inputs"),
        (checks.check_relu, lambda z: jnp.where(z > 0, z, 0.0), "relu matches"),
        (checks.check_relu, lambda z: z * (z > 0), "relu matches"),
        (checks.check_relu, jax.jit(relu), "relu matches"),
        (checks.check_sigmoid, sigmoid, "sigmoid matches 1 / (1 + exp(-z)) on all 3 test inputs"),
        (checks.check_sigmoid, jax.jit(sigmoid), "and so does its gradient"),
        (
            checks.check_sigmoid,
            lambda z: jnp.where(
                z >= 0, 1 / (1 + jnp.exp(-jnp.abs(z))), 1 - 1 / (1 + jnp.exp(-jnp.abs(z)))
            ),
            "and so does its gradient",
        ),
    ],
)
def test_activations_accept_references(expect, check, answer, fragment):
    expect(check(answer), True, fragment)


@pytest.mark.parametrize(
    "check, answer, forbidden, instead",
    [
        pytest.param(
            checks.check_relu, jax.nn.relu, "jax.nn.relu", "jnp.maximum or jnp.where", id="relu"
        ),
        pytest.param(
            checks.check_relu,
            jax.jit(jax.nn.relu),
            "jax.nn.relu",
            "jnp.maximum or jnp.where",
            id="jitted-relu",
        ),
        pytest.param(
            checks.check_relu,
            lambda z: 1.0 * jax.nn.relu(z),
            "jax.nn.relu",
            "jnp.maximum or jnp.where",
            id="relu-inside",
        ),
        pytest.param(
            checks.check_sigmoid,
            jax.nn.sigmoid,
            "jax.nn.sigmoid",
            "jnp.exp or jnp.tanh",
            id="sigmoid",
        ),
        pytest.param(
            checks.check_sigmoid,
            jax.lax.logistic,
            "jax.nn.sigmoid",
            "jnp.exp or jnp.tanh",
            id="lax-logistic",
        ),
        pytest.param(
            checks.check_sigmoid,
            jax.scipy.special.expit,
            "jax.scipy.special.expit",
            "jnp.exp or jnp.tanh",
            id="expit",
        ),
        pytest.param(
            checks.check_sigmoid,
            lambda z: jnp.exp(jax.nn.log_sigmoid(z)),
            "jax.nn.log_sigmoid",
            "jnp.exp or jnp.tanh",
            id="log-sigmoid",
        ),
    ],
)
def test_activations_refuse_jax_nn(expect, check, answer, forbidden, instead):
    """The exercise says no jax.nn: right values from it are refused, with the rule."""
    expect(
        check(answer),
        False,
        f"gives the right values, but it calls {forbidden}: write it with {instead}, "
        f"not {forbidden}: the exercise is to build it",
    )


def test_activation_written_with_numpy_is_told_to_use_jnp(expect):
    numpy_relu = lambda z: np.maximum(np.asarray(z), 0.0)  # noqa: E731
    expect(checks.check_relu(numpy_relu), False, "write it with jax.numpy (jnp)")


@pytest.mark.parametrize(
    "check, answer, fragments",
    [
        pytest.param(
            checks.check_relu,
            jnp.abs,
            ["relu([-3.  -0.5  0.   0.5  3. ])", "got [3.  0.5 0.  0.5 3. ]"],
            id="abs",
        ),
        pytest.param(
            checks.check_relu, lambda z: jnp.maximum(z, 1.0), ["got [1. 1. 1. 1. 3.]"], id="max-1"
        ),
        pytest.param(
            checks.check_relu,
            lambda z: jnp.minimum(z, 0.0),
            ["got [-3.  -0.5  0.   0.   0. ]"],
            id="min",
        ),
        pytest.param(
            checks.check_sigmoid,
            lambda z: 1.0 / (1.0 + jnp.exp(z)),
            ["expected [0.0474 0.3775 0.5    0.6225 0.9526]"],
            id="sign",
        ),
        pytest.param(
            checks.check_sigmoid,
            jnp.tanh,
            ["got [-0.9951 -0.4621  0.      0.4621  0.9951]"],
            id="tanh",
        ),
        pytest.param(
            checks.check_sigmoid,
            lambda z: jnp.exp(z) / (1.0 + jnp.exp(z)),
            ["got [ 0. nan]", "nan or inf where a finite number is expected"],
            id="overflow",
        ),
        pytest.param(
            checks.check_sigmoid,
            naive_sigmoid,
            ["sigmoid gives the right values, but its gradient at [-100.    0.  100.] is", "nan"],
            id="nan-gradient",
        ),
    ],
)
def test_activations_reject_wrong_answers(expect, check, answer, fragments):
    expect(check(answer), False, *fragments)
