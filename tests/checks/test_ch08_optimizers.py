"""Chapter 8's self-checks: a step-decay schedule and RMSProp."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import pytest

from helpers import checks


def step_decay(step, peak_lr, total_steps, late=False):
    step = jnp.asarray(step, jnp.float32)
    before = jnp.less_equal if late else jnp.less  # late: drops one step too late
    return peak_lr * jnp.where(
        before(step, total_steps / 2), 1.0, jnp.where(before(step, 0.75 * total_steps), 0.1, 0.01)
    )


def step_decay_python_if(step, peak_lr, total_steps):  # fine on numbers, fails under jit
    if step < total_steps / 2:
        return peak_lr
    return peak_lr * (0.1 if step < 0.75 * total_steps else 0.01)


def step_decay_python_if_scalars(step, peak_lr, total_steps):  # right on arrays, fails under jit
    step = jnp.asarray(step)
    if step.ndim:
        return step_decay(step, peak_lr, total_steps)
    return step_decay_python_if(step, peak_lr, total_steps)


def test_step_decay_check_accepts_reference(expect):
    expect(
        checks.check_step_decay(step_decay),
        True,
        "step_decay matches the reference on all 8 test inputs, also under jax.jit.",
    )


@pytest.mark.parametrize(
    "answer, fragments",
    [
        pytest.param(
            lambda step, peak_lr, total_steps: (
                peak_lr * jnp.where(jnp.asarray(step) < total_steps / 2, 1.0, 0.1)
            ),
            ["Not quite yet: step_decay(750, 0.1, 1000): expected 0.001, got 0.01"],
            id="one-drop",
        ),
        pytest.param(
            lambda step, peak_lr, total_steps: step_decay(step, peak_lr, total_steps, late=True),
            ["Not quite yet: step_decay(500, 0.1, 1000): expected 0.01, got 0.1"],
            id="late",
        ),
        pytest.param(
            step_decay_python_if,
            [
                "step_decay([   0  100  200  300  400  500  600  700  800  900 1000 1100], "
                "1, 1200) "
                "raised ValueError: "
                "it uses an array's value in Python",
                "use jnp.where instead",
            ],
            id="python-if",
        ),
        pytest.param(
            step_decay_python_if_scalars,
            [
                "Not quite yet: jax.jit(step_decay, static_argnums=2)(jnp.int32(1600), 1.0, 2000) "
                "raised "
                "TracerBoolConversionError: it uses an array's value in Python",
                "use jnp.where instead",
            ],
            id="python-if-on-scalars",
        ),
    ],
)
def test_step_decay_check_rejects_wrong_answers(expect, answer, fragments):
    expect(checks.check_step_decay(answer), False, *fragments)


def rmsprop(params, grads, state, lr, decay=0.9, eps=1e-8, *, variant="right"):
    """The solution of ex-08-rmsprop, or one of its plausible mistakes."""
    tree_map = jax.tree_util.tree_map
    new_weight = 1.0 if variant == "no-one-minus" else 1 - decay
    s = tree_map(lambda s, g: decay * s + new_weight * g**2, state, grads)
    denominators = {"no-sqrt": lambda s: s + eps, "eps-inside": lambda s: jnp.sqrt(s + eps)}
    denominator = denominators.get(variant, lambda s: jnp.sqrt(s) + eps)
    used = state if variant == "old-state" else s
    return tree_map(lambda p, g, s: p - lr * g / denominator(s), params, grads, used), s


def test_rmsprop_check_accepts_reference(expect):
    expect(
        checks.check_rmsprop_update(rmsprop),
        True,
        "rmsprop_update matches the reference on all 3 test inputs.",
    )


def test_rmsprop_check_accepts_optax_form_and_names_it(expect):
    # optax.rmsprop puts eps inside the square root: RMSProp too, so the learner hears it is
    # right, and which form the exercise writes.
    def answer(*args):
        return rmsprop(*args, variant="eps-inside")

    expect(
        checks.check_rmsprop_update(answer),
        True,
        "with eps inside the square root, g / sqrt(s + eps), as optax.rmsprop writes it",
        "The exercise writes g / (sqrt(s) + eps)",
    )


@pytest.mark.parametrize("ignored", ["decay", "eps"])
def test_rmsprop_check_refuses_an_answer_that_ignores_decay_or_eps(expect, ignored):
    def answer(params, grads, state, lr, decay=0.9, eps=1e-8):  # one argument fixed inside
        fixed = {"decay": decay, "eps": eps, ignored: {"decay": 0.9, "eps": 1e-8}[ignored]}
        return rmsprop(params, grads, state, lr, **fixed)

    expect(checks.check_rmsprop_update(answer), False, "rmsprop_update(", "expected")


def test_rmsprop_check_tells_the_two_forms_apart():
    # The test inputs include an s close to eps, where the forms differ: the check's
    # cases can tell them apart (so the note above is given only to the optax form).
    result = checks.check_rmsprop_update(rmsprop)
    assert "optax" not in result.message


@pytest.mark.parametrize(
    "variant, fragments",
    [
        pytest.param(
            "no-sqrt",
            ["new_params['b']: expected [ 0.4162 -0.4162], got [  3.4333 -20.0992]"],
            id="no-sqrt",
        ),
        pytest.param(
            "old-state",  # numpy 2.1 (Colab's) prints the wrong values as [3000000.2 -500000.12]
            [
                "new_params['b']: expected [ 0.4162 -0.4162], got [",
                "the largest difference is 3e+06 at index [0]",
            ],
            id="old-state",
        ),
        pytest.param(
            "no-one-minus",
            ["new_params['b']: expected [ 0.4162 -0.4162], got [ 0.2 -0.2]"],
            id="no-one-minus",
        ),
    ],
)
def test_rmsprop_check_rejects_wrong_answers(expect, variant, fragments):
    def answer(*args):
        return rmsprop(*args, variant=variant)

    expect(
        checks.check_rmsprop_update(answer),
        False,
        "rmsprop_update({'w': [[ 1.  -2. ] [ 0.5  3. ]]",
        *fragments,
    )


@pytest.mark.parametrize(
    "answer, fragment",
    [
        pytest.param(
            lambda *args: rmsprop(*args)[0],
            "return a tuple (new_params, new_state), not a dict with keys 'b', 'w'",
            id="params-only",
        ),
        pytest.param(
            lambda *args: list(rmsprop(*args)),
            "return a tuple (new_params, new_state), not a Python list of 2 items",
            id="list",
        ),
        pytest.param(
            lambda *args: (rmsprop(*args)[0], list(rmsprop(*args)[1].values())),
            "new_state should be a dict with keys 'b', 'w', not a Python list of 2 arrays",
            id="state-as-list",
        ),
    ],
)
def test_rmsprop_check_explains_structure_mistakes(expect, answer, fragment):
    expect(checks.check_rmsprop_update(answer), False, fragment)
