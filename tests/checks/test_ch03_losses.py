"""Chapter 3's self-checks: choosing a loss for several yes/no answers, and log softmax."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import helpers
from helpers import checks

FLOOR = 2 * math.log(2)  # -log(1/2) for each of the two 1s of [1, 1, 0]


def multilabel_reference(logits, targets):
    """The solution of ex-03-multilabel."""
    return helpers.binary_cross_entropy_with_logits(logits, targets)


def bce_by_hand(logits, targets):  # the chapter's log-sigmoid identity
    def log_sigmoid(z):
        return -(jnp.maximum(-z, 0) + jnp.log1p(jnp.exp(-jnp.abs(z))))

    return -jnp.mean(targets * log_sigmoid(logits) + (1 - targets) * log_sigmoid(-logits))


def softmax_ce(logits, targets):  # the loss the exercise asks to decide against
    return jnp.mean(-jnp.sum(targets * jax.nn.log_softmax(logits), axis=-1))


def bce_naive(logits, targets):
    p = jax.nn.sigmoid(logits)
    return -jnp.mean(targets * jnp.log(p) + (1 - targets) * jnp.log(1 - p))


def test_the_floor_is_what_softmax_reaches():
    """The check's 2 log 2, computed as the exercise asks: sure logits for [1, 1, 0]."""
    sure = softmax_ce(jnp.array([[0.0, 0.0, -100.0]]), jnp.array([[1.0, 1.0, 0.0]]))
    assert abs(float(sure) - FLOOR) < 1e-5
    assert abs(checks.ch03_losses.SOFTMAX_FLOOR - FLOOR) < 1e-12


@pytest.mark.parametrize(
    "loss, floor",
    [
        pytest.param(multilabel_reference, FLOOR, id="helper"),
        pytest.param(bce_by_hand, FLOOR, id="by-hand"),
        pytest.param(multilabel_reference, jnp.float32(FLOOR), id="float32-floor"),
        pytest.param(multilabel_reference, 1.3863, id="rounded-floor"),
        pytest.param(
            lambda z, t: -jnp.mean(t * jax.nn.log_sigmoid(z) + (1 - t) * jax.nn.log_sigmoid(-z)),
            FLOOR,
            id="log-sigmoid",
        ),
    ],
)
def test_multilabel_accepts_binary_cross_entropy_per_logit(expect, loss, floor):
    expect(
        checks.check_multilabel_loss(loss, floor),
        True,
        "softmax_floor is 2 log 2 = 1.3863 > 0, and multilabel_loss is binary cross entropy",
    )


@pytest.mark.parametrize(
    "floor, fragment",
    [
        pytest.param(math.log(2), "that is the loss of one of the two 1s", id="one-positive"),
        pytest.param(0.0, "the two 1s cannot both get probability 1", id="zero"),
        pytest.param(2 * math.log(3), "some logits do better", id="uniform"),
        pytest.param(
            jnp.array([FLOOR, FLOOR]),
            "softmax_floor should be one number, got an array",
            id="array",
        ),
        pytest.param(..., "softmax_floor is still Ellipsis", id="starter"),
        pytest.param("1.39", "softmax_floor should be one number, got a string", id="string"),
    ],
)
def test_multilabel_refuses_wrong_floors(expect, floor, fragment):
    expect(checks.check_multilabel_loss(multilabel_reference, floor), False, fragment)


@pytest.mark.parametrize(
    "loss, fragments",
    [
        pytest.param(
            softmax_ce,
            ["that is a softmax cross entropy", "can never reach 0 (softmax_floor)"],
            id="softmax",
        ),
        pytest.param(
            lambda z, t: softmax_ce(z, t) / 3,
            ["that is a softmax cross entropy"],
            id="softmax-per-entry",
        ),
        pytest.param(bce_naive, ["[[ 30.  30. -30.]]", "is nan: it is not finite"], id="naive"),
        pytest.param(
            lambda z, t: multilabel_reference(z, t) * 3,
            ["the sum over the three answers of each photo: average over all N × 3"],
            id="sum-per-photo",
        ),
        pytest.param(
            lambda z, t: jnp.mean((jax.nn.sigmoid(z) - t) ** 2),
            ["expected 0.393139, got 0.120481"],
            id="mse",
        ),
        pytest.param(lambda z, t: z @ t, ["raised TypeError"], id="raises"),
    ],
)
def test_multilabel_refuses_plausible_wrong_losses(expect, loss, fragments):
    expect(checks.check_multilabel_loss(loss, FLOOR), False, *fragments)


# ex-03-log-softmax ----------------------------------------------------------------------


def log_softmax_reference(x):
    m = jnp.max(x, axis=-1, keepdims=True)
    return x - m - jnp.log(jnp.sum(jnp.exp(x - m), axis=-1, keepdims=True))


@pytest.mark.parametrize("answer", [log_softmax_reference, jax.jit(log_softmax_reference)])
def test_log_softmax_check_accepts_reference(expect, answer):
    expect(checks.check_log_softmax(answer), True, "log_softmax matches the formula on all 3 test")


@pytest.mark.parametrize(
    "answer, forbidden",
    [
        pytest.param(
            lambda x: jax.nn.log_softmax(x, axis=-1), "jax.nn.log_softmax", id="log-softmax"
        ),
        pytest.param(jax.nn.log_softmax, "jax.nn.log_softmax", id="bare-log-softmax"),
        pytest.param(
            lambda x: x - jax.scipy.special.logsumexp(x, axis=-1, keepdims=True),
            "jax.scipy.special.logsumexp",
            id="logsumexp",
        ),
        pytest.param(
            lambda x: jnp.log(jax.nn.softmax(x, axis=-1)) * 1.0, "jax.nn.softmax", id="softmax"
        ),
    ],
)
def test_log_softmax_check_refuses_jax_nn(expect, answer, forbidden):
    if forbidden == "jax.nn.softmax":  # log of a rounded-to-0 probability: wrong values first
        expect(checks.check_log_softmax(answer), False, "expected [-2000. -1000.     0.]")
        return
    expect(
        checks.check_log_softmax(answer),
        False,
        f"log_softmax gives the right values, but it calls {forbidden}: write it with "
        f"jnp.max, jnp.exp, jnp.sum and jnp.log, not {forbidden}: the exercise is to build it",
    )


def test_log_softmax_written_with_numpy_is_told_to_use_jnp(expect):
    def numpy_answer(x):
        x = np.asarray(x)
        m = x.max(axis=-1, keepdims=True)
        return x - m - np.log(np.exp(x - m).sum(axis=-1, keepdims=True))

    expect(checks.check_log_softmax(numpy_answer), False, "write it with jax.numpy (jnp)")


@pytest.mark.parametrize(
    "answer, fragment",
    [
        pytest.param(
            lambda x: jnp.log(jnp.exp(x) / jnp.sum(jnp.exp(x), axis=-1, keepdims=True)),
            "log_softmax([1000. 2000. 3000.]): expected [-2000. -1000.     0.], got [nan nan nan]",
            id="overflow",
        ),
        pytest.param(
            lambda x: x - jnp.max(x, axis=-1, keepdims=True),
            "log_softmax([1. 2. 3.]): expected [-2.4076 -1.4076 -0.4076], got [-2. -1.  0.]",
            id="no-log-sum",
        ),
        pytest.param(
            lambda x: x - jnp.max(x) - jnp.log(jnp.sum(jnp.exp(x - jnp.max(x)))),
            "log_softmax([[   1.    2.    3.] [1000. 1000. 1000.] [  -5.    0.    5.]])",
            id="whole-batch-max",
        ),
        pytest.param(
            lambda x: (
                x - jnp.max(x, axis=0) - jnp.log(jnp.sum(jnp.exp(x - jnp.max(x, axis=0)), axis=0))
            ),
            "log_softmax([[   1.    2.    3.] [1000. 1000. 1000.] [  -5.    0.    5.]])",
            id="first-axis",
        ),
    ],
)
def test_log_softmax_check_rejects_wrong_answers(expect, answer, fragment):
    expect(checks.check_log_softmax(answer), False, fragment)
