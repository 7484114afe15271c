"""Chapter 5's self-checks: SGD with weight decay, and the largest stable learning rate of a
grid of runs."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from helpers import checks

DECAY_RIGHT = "Correct: sgd_weight_decay matches the reference on all 3 test networks."
RATE_RIGHT = "Correct: largest_stable_rate is right on all 3 test grids."


def decay(params, grads, lr, wd):
    """The reference: the weights decay, the biases do not."""
    return [
        (W - lr * (gW + wd * W), b - lr * gb)
        for (W, b), (gW, gb) in zip(params, grads, strict=True)
    ]


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(decay, id="list-of-tuples"),
        pytest.param(lambda *args: tuple(decay(*args)), id="tuple"),
        pytest.param(lambda *args: [list(pair) for pair in decay(*args)], id="list-of-lists"),
        pytest.param(lambda *args: tuple(list(pair) for pair in decay(*args)), id="tuple-of-lists"),
        pytest.param(
            lambda p, g, lr, wd: [  # the same step, written as plain SGD on the decayed gradient
                (W - lr * gW - lr * wd * W, b - lr * gb)
                for (W, b), (gW, gb) in zip(p, g, strict=True)
            ],
            id="expanded",
        ),
    ],
)
def test_weight_decay_check_accepts_every_container_of_pairs(expect, answer):
    expect(checks.check_weight_decay_update(answer), True, DECAY_RIGHT)


def every_leaf(params, grads, lr, wd):
    return jax.tree_util.tree_map(lambda p, g: p - lr * (g + wd * p), params, grads)


def without_lr(params, grads, lr, wd):
    return [
        (W - lr * gW - wd * W, b - lr * gb) for (W, b), (gW, gb) in zip(params, grads, strict=True)
    ]


@pytest.mark.parametrize(
    "answer, fragment",
    [
        pytest.param(
            every_leaf, "the biases decayed too: decay the weights W only", id="biases-too"
        ),
        pytest.param(without_lr, "the decay was not multiplied by lr", id="no-lr"),
        pytest.param(
            lambda p, g, lr, wd: decay(p, g, lr, 2 * wd),
            "the decay's gradient is doubled",
            id="doubled",
        ),
        pytest.param(
            lambda p, g, lr, wd: decay(p, g, lr, 0.0),
            "this is plain SGD: wd made no difference",
            id="no-decay",
        ),
        pytest.param(
            lambda p, g, lr, wd: decay(p, g, lr, -wd),
            "the decay term has the wrong sign",
            id="sign",
        ),
        pytest.param(
            lambda p, g, lr, wd: decay(p, g, lr, wd / 2),  # a wrong factor no hint foresees
            "sgd_weight_decay(a 2-3-1 network, its grads, 0.1, 0.5): layer 0, W: expected",
            id="half",
        ),
        pytest.param(
            lambda p, g, lr, wd: [W for W, _ in decay(p, g, lr, wd)],
            "should be a list of (W, b) pairs, one per layer",
            id="weights-only",
        ),
        pytest.param(
            lambda p, g, lr, wd: {"params": decay(p, g, lr, wd)},
            "not a dict with keys 'params'",
            id="dict",
        ),
        pytest.param(
            lambda p, g, lr, wd: decay(p, g, lr, wd)[:-1],
            "list of 2 (W, b) layers, not a list of 1",
            id="short",
        ),
        pytest.param("sgd", "sgd_weight_decay should be a function, got a string", id="string"),
    ],
)
def test_weight_decay_check_rejects_wrong_answers(expect, answer, fragment):
    expect(checks.check_weight_decay_update(answer), False, fragment)


def largest_stable(histories):
    stable = [
        lr for lr, h in histories.items() if np.isfinite(h).all() and float(h[-1]) < float(h[0])
    ]
    return max(stable)


def largest_stable_jnp(histories):  # written with jnp, returning a jax scalar
    rates = jnp.array(list(histories))
    ok = jnp.array(
        [
            bool(jnp.all(jnp.isfinite(h)) & (h[-1] < h[0]))
            for h in map(jnp.asarray, histories.values())
        ]
    )
    return jnp.max(jnp.where(ok, rates, -jnp.inf))


@pytest.mark.parametrize("answer", [largest_stable, largest_stable_jnp], ids=["numpy", "jnp"])
def test_stable_rate_check_accepts_reference(expect, answer):
    expect(checks.check_largest_stable_rate(answer), True, RATE_RIGHT)


def finite_only(histories):
    return max(lr for lr, h in histories.items() if np.isfinite(h).all())


def monotone_only(histories):
    return max(
        lr for lr, h in histories.items() if np.isfinite(h).all() and (np.diff(h) <= 0).all()
    )


def lowest_final_loss(histories):
    return min(histories, key=lambda lr: np.nan_to_num(histories[lr][-1], nan=np.inf))


def last_stable_in_order(histories):
    answer = None
    for lr, h in histories.items():
        if np.isfinite(h).all() and h[-1] < h[0]:
            answer = lr
    return answer


def first_unstable(histories):
    return min(lr for lr, h in histories.items() if not np.isfinite(h).all())


@pytest.mark.parametrize(
    "answer, fragments",
    [
        pytest.param(
            finite_only,
            [
                "largest_stable_rate(grid B, rates 0.1 to 3): expected 0.3",
                "the run at 1 stayed finite but ended higher than it started (0.55 -> 0.86)",
            ],
            id="finite-only",
        ),
        pytest.param(
            monotone_only,
            ["grid C", "expected 1; the run at 0.3 is stable, but a larger rate"],
            id="monotone",
        ),
        pytest.param(
            lowest_final_loss, ["grid C", "expected 1; the run at 0.3 is stable"], id="lowest-final"
        ),
        pytest.param(
            last_stable_in_order, ["grid C", "the keys need not be in order"], id="dict-order"
        ),
        pytest.param(
            first_unstable,
            ["grid A", "expected 1; the run at 10 reached nan or inf"],
            id="first-unstable",
        ),
        pytest.param(
            lambda histories: min(histories),
            ["grid A", "the run at 0.01 is stable, but a larger"],
            id="smallest",
        ),
        pytest.param(
            lambda histories: 2,
            ["grid A", "expected 1; 2 is not one of the learning rates"],
            id="not-a-rate",
        ),
        pytest.param(
            lambda histories: histories[largest_stable(histories)],
            ["return one of the learning rates (a key of histories), not an array of shape (4,)"],
            id="history",
        ),
    ],
)
def test_stable_rate_check_rejects_wrong_answers(expect, answer, fragments):
    expect(checks.check_largest_stable_rate(answer), False, *fragments)


def test_an_update_in_place_is_judged_by_its_values(expect):
    def in_place(params, grads, lr, wd):  # a list is updated in place (a tuple cannot be)
        params = params if isinstance(params, list) else list(params)
        for i, ((W, b), (gW, gb)) in enumerate(zip(params, grads, strict=True)):
            params[i] = (W - lr * (gW + wd * W), b - lr * gb)
        return params

    expect(checks.check_weight_decay_update(in_place), True, DECAY_RIGHT)


def test_a_rate_answer_that_empties_the_dict_is_judged_on_the_grid_it_was_given(expect):
    def popping(histories):
        stable = largest_stable(histories)
        histories.clear()
        return stable

    expect(checks.check_largest_stable_rate(popping), True, RATE_RIGHT)
