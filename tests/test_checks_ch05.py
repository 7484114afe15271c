"""Self-checks of chapter 5 (training): each accepts the reference solution and rejects
plausible wrong answers with a helpful message."""
from __future__ import annotations

import jax
import jax.numpy as jnp
import pytest

import helpers
from helpers import checks


# --- ex-05-sgd-update ----------------------------------------------------------------------
def sgd_reference(params, grads, lr):
    return jax.tree_util.tree_map(lambda p, g: p - lr * g, params, grads)


def sgd_wrong_sign(params, grads, lr):  # gradient ascent
    return jax.tree_util.tree_map(lambda p, g: p + lr * g, params, grads)


def sgd_forgets_lr(params, grads, lr):
    return jax.tree_util.tree_map(lambda p, g: p - g, params, grads)


def sgd_weights_only(params, grads, lr):  # only handles a list of (W, b) and skips the biases
    return [(W - lr * gW, b) for (W, b), (gW, _) in zip(params, grads)]


def test_sgd_check_accepts_reference_and_helper(capsys):
    assert checks.check_sgd_update(sgd_reference) is True
    assert checks.check_sgd_update(helpers.sgd_update) is True
    out = capsys.readouterr().out
    assert out.startswith("Correct: sgd_update matches the reference on all 3 test inputs.")


@pytest.mark.parametrize("wrong, shown", [
    (sgd_wrong_sign, "expected [[ 0.95 -2.1 ]\n [ 0.6   2.8 ]], got [[ 1.05 -1.9 ]\n [ 0.4   3.2 ]]"),
    (sgd_forgets_lr, "expected [[ 0.95 -2.1 ]\n [ 0.6   2.8 ]], got [[ 0.5 -3. ]\n [ 1.5  1. ]]"),
    (sgd_weights_only, "expected [0.  0.1], got [ 0.1 -0.1]"),
])
def test_sgd_check_rejects_wrong_answers(capsys, wrong, shown):
    assert checks.check_sgd_update(wrong) is False
    out = capsys.readouterr().out
    assert out.startswith("Not quite yet: sgd_update(")
    assert shown in out


def test_sgd_check_rejects_a_changed_structure(capsys):
    def flattens(params, grads, lr):
        return [p - lr * g for p, g in zip(jax.tree_util.tree_leaves(params),
                                           jax.tree_util.tree_leaves(grads))]

    assert checks.check_sgd_update(flattens) is False
    assert "the structure differs" in capsys.readouterr().out


def test_sgd_check_explains_an_unfinished_answer(capsys):
    def my_sgd_update(params, grads, lr):
        # your code here
        ...

    assert checks.check_sgd_update(my_sgd_update) is False
    assert "write the body of the function first" in capsys.readouterr().out


# --- ex-05-train-xor -----------------------------------------------------------------------
def _trainer(loss_of_logits, record_after=False, sign=1.0, update=True):
    """Build a train_xor variant; the defaults give the reference answer."""
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
        return jnp.stack(losses)
    return train_xor


train_reference = _trainer(helpers.binary_cross_entropy_with_logits)


def test_train_check_accepts_reference(capsys):
    assert checks.check_train_xor(train_reference) is True
    assert capsys.readouterr().out.startswith("Correct: train_xor matches the reference on all 2")


def test_train_check_accepts_a_list_of_losses(capsys):
    assert checks.check_train_xor(lambda *args: list(train_reference(*args))) is True
    assert capsys.readouterr().out.startswith("Correct: train_xor")


def mse_on_sigmoid(logits, targets):
    return helpers.mse(jax.nn.sigmoid(logits), targets)


@pytest.mark.parametrize("wrong", [
    _trainer(helpers.binary_cross_entropy_with_logits, record_after=True),  # loss after the update
    _trainer(helpers.binary_cross_entropy_with_logits, sign=-1.0),          # gradient ascent
    _trainer(helpers.binary_cross_entropy_with_logits, update=False),       # never updates
    _trainer(mse_on_sigmoid),                                               # the seed's loss
], ids=["after-update", "ascent", "no-update", "mse"])
def test_train_check_rejects_wrong_answers(capsys, wrong):
    assert checks.check_train_xor(wrong) is False
    out = capsys.readouterr().out
    assert out.startswith("Not quite yet: train_xor(0, 16, 0.5, 30): expected [")
    assert ", got [" in out


def test_train_check_rejects_the_wrong_length(capsys):
    assert checks.check_train_xor(lambda seed, hidden, lr, steps: train_reference(seed, hidden, lr, steps)[1:]) is False
    assert "the shape differs: expected (30,), got (29,)" in capsys.readouterr().out


def test_train_check_explains_an_unfinished_answer(capsys):
    def train_xor(seed, hidden, lr, steps):
        # your code here
        ...

    assert checks.check_train_xor(train_xor) is False
    assert "write the body of the function first" in capsys.readouterr().out
    assert checks.check_train_xor("train_xor") is False
    assert "should be a function" in capsys.readouterr().out
