"""Chapter 5's self-checks: the SGD update and a training loop."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import pytest

import helpers
from helpers import checks


def tree_map(fn, *trees):
    return jax.tree_util.tree_map(fn, *trees)


def sgd_reference(params, grads, lr):
    return tree_map(lambda p, g: p - lr * g, params, grads)


def sgd_unfinished(params, grads, lr):
    # your code here
    ...


def flattens(params, grads, lr):
    return [
        p - lr * g
        for p, g in zip(
            jax.tree_util.tree_leaves(params), jax.tree_util.tree_leaves(grads), strict=True
        )
    ]


@pytest.mark.parametrize("answer", [sgd_reference, helpers.sgd_update])
def test_sgd_check_accepts_reference_and_helper(expect, answer):
    expect(
        checks.check_sgd_update(answer),
        True,
        "sgd_update matches the reference on all 3 test inputs.",
    )


@pytest.mark.parametrize(
    "answer, fragments",
    [
        (
            lambda params, grads, lr: tree_map(
                lambda p, g: p + lr * g, params, grads
            ),  # gradient ascent
            [
                "sgd_update(",
                "layer 0, W: expected [[ 0.95 -2.1 ] [ 0.6   2.8 ]], "
                "got [[ 1.05 -1.9 ] [ 0.4   3.2 ]]",
            ],
        ),
        (
            lambda params, grads, lr: tree_map(lambda p, g: p - g, params, grads),  # forgets lr
            ["expected [[ 0.95 -2.1 ] [ 0.6   2.8 ]], got [[ 0.5 -3. ] [ 1.5  1. ]]"],
        ),
        (
            lambda params, grads, lr: [
                (W - lr * gW, b) for (W, b), (gW, _) in zip(params, grads, strict=True)
            ],
            ["layer 0, b: expected [0.  0.1], got [ 0.1 -0.1]"],
        ),  # skips the biases
        (flattens, ["return a list of 2 (W, b) layers, not a Python list of 4 arrays"]),
        (
            lambda params, grads, lr: [
                [W - lr * gW, b - lr * gb] for (W, b), (gW, gb) in zip(params, grads, strict=True)
            ],
            ["layer 0 should be a tuple (W, b), not a Python list of 2 arrays"],
        ),
        (sgd_unfinished, ["write the body of the function first"]),
    ],
    ids=["ascent", "no-lr", "weights-only", "flattens", "lists", "unfinished"],
)
def test_sgd_check_rejects_wrong_answers(expect, answer, fragments):
    expect(checks.check_sgd_update(answer), False, *fragments)


def test_sgd_check_names_a_dict_leaf(expect):
    def only_lists(params, grads, lr):
        if isinstance(params, dict):
            return {**params, "layer": {"w": params["layer"]["w"]}}
        return sgd_reference(params, grads, lr)

    expect(checks.check_sgd_update(only_lists), False, "['layer']['w']: expected [0.95 2.05 2.9 ]")


def trainer(
    loss_of_logits=helpers.binary_cross_entropy_with_logits,
    record_after=False,
    sign=1.0,
    update=True,
    returns="losses",
):
    """Build a train_xor variant; the defaults give the reference answer (a Python list)."""

    def train_xor(seed, hidden, lr, steps):
        X, y = helpers.xor_data()

        def loss_fn(params):
            return loss_of_logits(helpers.mlp_forward(params, X)[:, 0], y)

        params = helpers.init_mlp(jax.random.key(seed), [2, hidden, 1])
        losses = []
        for _ in range(steps):
            loss, grads = jax.value_and_grad(loss_fn)(params)
            if update:
                params = helpers.sgd_update(params, grads, sign * lr)
            losses.append(loss_fn(params) if record_after else loss)
        return {"losses": losses, "params": params, "both": (params, losses)}[returns]

    return train_xor


@pytest.mark.parametrize(
    "answer",
    [
        lambda *args: jnp.stack(trainer()(*args)),
        trainer(),  # a Python list of the losses
    ],
    ids=["array", "list"],
)
def test_train_check_accepts_reference(expect, answer):
    expect(checks.check_train_xor(answer), True, "train_xor matches the reference on all 2")


def mse_on_sigmoid(logits, targets):
    return helpers.mse(jax.nn.sigmoid(logits), targets)


@pytest.mark.parametrize(
    "answer",
    [
        trainer(record_after=True),  # loss after the update
        trainer(sign=-1.0),  # gradient ascent
        trainer(update=False),  # never updates
        trainer(mse_on_sigmoid),  # the seed's loss
    ],
    ids=["after-update", "ascent", "no-update", "mse"],
)
def test_train_check_rejects_wrong_losses(expect, answer):
    expect(
        checks.check_train_xor(answer),
        False,
        "train_xor(0, 16, 0.5, 30): expected [",
        ", got [",
        "the largest difference is",
    )


@pytest.mark.parametrize(
    "answer, fragment",
    [
        (
            lambda *args: jnp.stack(trainer()(*args))[1:],
            "the shape differs: expected (30,), got (29,)",
        ),
        (
            trainer(returns="params"),
            "train_xor(0, 16, 0.5, 30) returned the parameters "
            "(a list of 2 (W, b) layers): return the losses",
        ),
        (trainer(returns="both"), "returned a tuple with the parameters in it"),
        (lambda seed, hidden, lr, steps: ..., "write the body of the function first"),
        ("train_xor", "train_xor should be a function, got a string"),
    ],
    ids=["length", "params", "params-and-losses", "unfinished", "string"],
)
def test_train_check_explains_other_answers(expect, answer, fragment):
    expect(checks.check_train_xor(answer), False, fragment)
