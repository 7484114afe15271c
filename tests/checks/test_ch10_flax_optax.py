"""Chapter 10's self-checks: a Flax Module back to a pytree, and momentum as an Optax
transformation."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import optax
import pytest
from flax import nnx

from helpers import checks


def to_params(model):
    """The solution of ex-10-to-params."""
    return [(layer.kernel[...], layer.bias[...]) for layer in model.layers]


def test_to_params_check_accepts_reference(expect):
    expect(
        checks.check_to_params(to_params),
        True,
        "to_params returns the (W, b) arrays of every layer, for all 3 networks.",
    )


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(
            lambda model: [[layer.kernel[...], layer.bias[...]] for layer in model.layers],
            id="list-of-lists",
        ),
        pytest.param(
            lambda model: tuple((layer.kernel[...], layer.bias[...]) for layer in model.layers),
            id="tuple-of-tuples",
        ),
    ],
)
def test_to_params_check_accepts_every_layout_mlp_forward_accepts(expect, answer):
    # mlp_forward takes a list or tuple of (W, b) pairs, lists or tuples: so does the check.
    expect(checks.check_to_params(answer), True, "for all 3 networks")


def test_to_params_check_refuses_a_dict_of_layers_clearly(expect):
    def answer(model):
        return {i: (layer.kernel[...], layer.bias[...]) for i, layer in enumerate(model.layers)}

    expect(checks.check_to_params(answer), False, CALL + "return a list of 2 (W, b) layers")


CALL = "Not quite yet: to_params(MLP([3, 4, 2], ...)): "


@pytest.mark.parametrize(
    "answer, fragments",
    [
        (
            lambda model: [(layer.kernel, layer.bias) for layer in model.layers],
            [
                CALL + "layer 0, W is an nnx.Param, the Flax variable that holds the array; "
                "return the array itself, layer.kernel[...] (and layer.bias[...])"
            ],
        ),
        (
            lambda model: [(layer.kernel[...].T, layer.bias[...]) for layer in model.layers],
            [
                CALL + "layer 0, W: the shape differs: expected (3, 4), got (4, 3); "
                "nnx.Linear's kernel already has shape (in, out), like our W: "
                "no transpose is needed"
            ],
        ),
        (
            lambda model: [(layer.bias[...], layer.kernel[...]) for layer in model.layers],
            [CALL + "layer 0, W: the shape differs: expected (3, 4), got (4,)"],
        ),
        (
            lambda model: [[layer.kernel[...]] for layer in model.layers],
            [CALL + "return a list of (W, b) pairs, one per layer"],
        ),
        (
            lambda model: to_params(model)[:1],
            [CALL + "return a list of 2 (W, b) layers, not a list of 1 (W, b) layers"],
        ),
        (
            lambda model: nnx.state(model),
            [CALL + "return a list of 2 (W, b) layers, not a State"],
        ),
        (
            lambda model: [(W, jnp.zeros_like(b)) for W, b in to_params(model)],
            [CALL + "layer 0, b: expected [-0.2325 -0.0219 -0.1246 -0.0732], got [0. 0. 0. 0.]"],
        ),
    ],
    ids="variables transposed b-and-W W-only one-layer state zero-b".split(),
)
def test_to_params_check_rejects_wrong_answers(expect, answer, fragments):
    expect(checks.check_to_params(answer), False, *fragments)


def scale_by_velocity(beta, variant="right"):
    """The solution of ex-10-velocity, or one of its plausible mistakes."""

    def init(params):
        return jax.tree_util.tree_map(jnp.zeros_like, params)

    def update(grads, velocity, params=None):
        new = 1 - beta if variant == "average" else 1.0
        v = jax.tree_util.tree_map(lambda v, g: beta * v + new * g, velocity, grads)
        if variant == "negated":
            return jax.tree_util.tree_map(jnp.negative, v), v
        if variant == "old-velocity":
            return velocity, v
        if variant == "updates-only":
            return v
        return v, v

    if variant == "pair":
        return init, update
    return optax.GradientTransformation(init, update)


def test_scale_by_velocity_check_accepts_reference(expect):
    passed = (
        "scale_by_velocity gives chapter 8's velocity for beta 0.9 and 0.5, and chained with "
        "optax.scale(-lr) it follows helpers.momentum_update, also under jax.jit."
    )
    expect(checks.check_scale_by_velocity(scale_by_velocity), True, passed)


STEP_1 = "Not quite yet: step 1: scale_by_velocity(0.9).update(grads, state, params)"


@pytest.mark.parametrize(
    "variant, fragments",
    [
        pytest.param(
            "negated",
            [
                STEP_1 + ": the updates are -1 times the new velocity: return the velocity "
                "itself; the minus sign and the learning rate come from optax.scale(-lr)"
            ],
            id="negated",
        ),
        pytest.param(
            "average",
            [STEP_1 + ": the velocity adds the gradient itself, beta * v + g, not (1 - beta) * g"],
            id="average",
        ),
        pytest.param(
            "old-velocity",
            [STEP_1 + ": the updates are the velocity before this step: return the new velocity"],
            id="old-velocity",
        ),
        pytest.param(
            "updates-only",
            [
                STEP_1 + " returned a dict with keys 'b', 'w'; return a tuple "
                "(updates, new_state), here (new_velocity, new_velocity)"
            ],
            id="updates-only",
        ),
        pytest.param(
            "pair",
            [
                "Not quite yet: scale_by_velocity(0.9) returned a Python tuple of 2 items; return "
                "an optax.GradientTransformation(init, update) made of your two functions"
            ],
            id="pair",
        ),
    ],
)
def test_scale_by_velocity_check_rejects_wrong_answers(expect, variant, fragments):
    expect(
        checks.check_scale_by_velocity(lambda beta: scale_by_velocity(beta, variant)),
        False,
        *fragments,
    )


def test_scale_by_velocity_check_names_a_learning_rate_inside_and_a_wrong_state(expect):
    expect(
        checks.check_scale_by_velocity(lambda beta: optax.sgd(0.1, momentum=beta)),
        False,
        STEP_1 + ": the updates are -0.1 times the new velocity",
    )

    def wrong_state(beta):
        return optax.GradientTransformation(
            lambda params: [jnp.zeros(3)], lambda g, s, p=None: (g, s)
        )

    expect(
        checks.check_scale_by_velocity(wrong_state),
        False,
        "scale_by_velocity(0.9).init(params), zeros like params: expected a velocity shaped "
        "like params (a dict with keys 'b', 'w' with arrays of shapes (2,), (2, 2)), got a "
        "Python list of 1 arrays",
    )


def test_scale_by_velocity_check_catches_a_wrong_beta(expect):
    def fixed_beta(beta):  # ignores its argument
        return scale_by_velocity(0.9)

    expect(
        checks.check_scale_by_velocity(fixed_beta),
        False,
        "Not quite yet: step 2: scale_by_velocity(0.5).update(grads, state, params), the updates",
    )


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(lambda beta: optax.trace(decay=beta), id="trace"),
        pytest.param(lambda beta: optax.chain(optax.trace(decay=beta)), id="chained"),
        pytest.param(
            lambda beta: optax.GradientTransformation(
                lambda p: optax.trace(beta).init(p),
                lambda g, s, p=None: optax.trace(beta).update(g, s, p),
            ),
            id="wrapped",
        ),
    ],
)
def test_velocity_check_refuses_optax_trace(expect, answer):
    expect(checks.check_scale_by_velocity(answer), False, "Optax's own transformation")
