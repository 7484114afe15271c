"""Self-checks of chapters 3 (losses) and 4 (gradients): each accepts the reference
solution and rejects plausible wrong answers with a helpful message."""
from __future__ import annotations

import jax
import jax.numpy as jnp
import pytest

import helpers
from helpers import checks


# --- Chapter 3: bce_from_logits ----------------------------------------------------------
def bce_reference(logits, targets):
    def log_sigmoid(z):  # -softplus(-z), written stably
        return -(jnp.maximum(-z, 0) + jnp.log1p(jnp.exp(-jnp.abs(z))))

    return -jnp.mean(targets * log_sigmoid(logits) + (1 - targets) * log_sigmoid(-logits))


def bce_naive(logits, targets):
    p = jax.nn.sigmoid(logits)
    return -jnp.mean(targets * jnp.log(p) + (1 - targets) * jnp.log(1 - p))


def bce_softplus_overflows(logits, targets):
    # log(1 + exp(-z)) without the max trick: exp(1000) overflows to inf.
    log_sigmoid = lambda z: -jnp.log1p(jnp.exp(-z))
    return -jnp.mean(targets * log_sigmoid(logits) + (1 - targets) * log_sigmoid(-logits))


def bce_sum(logits, targets):
    return bce_reference(logits, targets) * logits.shape[0]


def test_bce_check_accepts_reference_and_helper(capsys):
    assert checks.check_bce_with_logits(bce_reference) is True
    assert checks.check_bce_with_logits(helpers.binary_cross_entropy_with_logits) is True
    assert capsys.readouterr().out.startswith("Correct: bce_from_logits matches")


@pytest.mark.parametrize("wrong, shown", [
    (bce_naive, "[ 100. -100.  100. -100.], [1. 0. 0. 1.]): expected 50, got nan"),
    (bce_softplus_overflows, "[ 100. -100.  100. -100.], [1. 0. 0. 1.]): expected 50, got nan"),
    (bce_sum, "([ 2. -1.], [1. 0.]): expected 0.220095, got 0.44019"),
])
def test_bce_check_rejects_wrong_answers(capsys, wrong, shown):
    assert checks.check_bce_with_logits(wrong) is False
    out = capsys.readouterr().out
    assert out.startswith("Not quite yet: bce_from_logits(")
    assert shown in out


def test_bce_check_explains_an_unfinished_answer(capsys):
    def bce_from_logits(logits, targets):
        # your code here
        ...

    assert checks.check_bce_with_logits(bce_from_logits) is False
    assert checks.check_bce_with_logits(lambda logits, targets: jnp.log(logits) + undefined_name) is False
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ("Not quite yet: bce_from_logits([ 2. -1.], [1. 0.]) raised NotImplementedError: "
                      "it returned None; write the body of the function first")
    assert out[1].endswith("raised NameError: name 'undefined_name' is not defined")


# --- Chapter 3: log_softmax --------------------------------------------------------------
def log_softmax_reference(x):
    m = jnp.max(x, axis=-1, keepdims=True)
    return x - m - jnp.log(jnp.sum(jnp.exp(x - m), axis=-1, keepdims=True))


@pytest.mark.parametrize("wrong, shown", [
    (lambda x: jnp.log(jnp.exp(x) / jnp.sum(jnp.exp(x), axis=-1, keepdims=True)),
     "log_softmax([1000. 2000. 3000.]): expected [-2000. -1000.     0.], got [nan nan nan]"),
    (lambda x: x - jnp.max(x, axis=-1, keepdims=True),
     "log_softmax([1. 2. 3.]): expected [-2.4076 -1.4076 -0.4076], got [-2. -1.  0.]"),
    (lambda x: x - jnp.max(x) - jnp.log(jnp.sum(jnp.exp(x - jnp.max(x)))),
     "log_softmax([[   1.    2.    3.]\n [1000. 1000. 1000.]\n [  -5.    0.    5.]])"),
])
def test_log_softmax_check(capsys, wrong, shown):
    assert checks.check_log_softmax(log_softmax_reference) is True
    assert checks.check_log_softmax(wrong) is False
    out = capsys.readouterr().out
    assert out.startswith("Correct: log_softmax matches the reference on all 3 test inputs.")
    assert "Not quite yet: " + shown in out


# --- Chapter 4: gradient with respect to the weights --------------------------------------
def loss_xyp(x, y, params):
    return helpers.binary_cross_entropy_with_logits(helpers.mlp_forward(params, x)[:, 0], y)


@pytest.fixture(scope="module")
def xor_setup():
    X, y = helpers.xor_data()
    return X, y, helpers.init_mlp(jax.random.key(0), [2, 16, 1])


def test_weight_grads_check_accepts_reference(capsys, xor_setup):
    X, y, params = xor_setup
    assert checks.check_weight_grads(jax.grad(loss_xyp, argnums=2)(X, y, params)) is True
    assert capsys.readouterr().out == "Correct: grads is right.\n"


def test_weight_grads_check_rejects_input_gradient_with_a_hint(capsys, xor_setup):
    X, y, params = xor_setup
    assert checks.check_weight_grads(jax.grad(loss_xyp)(X, y, params)) is False
    out = capsys.readouterr().out
    assert out.startswith("Not quite yet: grads: the structure differs")
    assert "Hint: this has the shape of an input" in out


def test_weight_grads_check_rejects_other_wrong_answers(capsys, xor_setup):
    X, y, params = xor_setup
    other_params = helpers.init_mlp(jax.random.key(1), [2, 16, 1])
    assert checks.check_weight_grads(jax.grad(loss_xyp, argnums=2)(X, y, other_params)) is False
    assert checks.check_weight_grads(params) is False  # the parameters, not their gradient
    assert checks.check_weight_grads(...) is False  # the untouched starter
    out = capsys.readouterr().out
    assert out.count("Not quite yet: grads: expected [") == 2
    assert out.endswith("Not quite yet: grads is still Ellipsis: compute it with jax.grad first.\n")


# --- Chapter 4: central differences -------------------------------------------------------
def central_difference_reference(f, x, eps):
    grads = []
    for i in range(x.shape[0]):
        step = jnp.zeros_like(x).at[i].set(eps)
        grads.append((f(x + step) - f(x - step)) / (2 * eps))
    return jnp.stack(grads)


def forward_difference(f, x, eps):
    return jnp.stack([(f(x.at[i].add(eps)) - f(x)) / eps for i in range(x.shape[0])])


def central_difference_missing_two(f, x, eps):
    return jnp.stack([(f(x.at[i].add(eps)) - f(x.at[i].add(-eps))) / eps for i in range(x.shape[0])])


@pytest.mark.parametrize("wrong, shown", [
    (forward_difference,
     "central_difference(f(x) = sum(x**2), [ 1. -2.  3.], 0.1): expected [ 2. -4.  6.], got [ 2.1 -3.9  6.1]"),
    (central_difference_missing_two,
     "central_difference(f(x) = sum(x**2), [ 1. -2.  3.], 0.1): expected [ 2. -4.  6.], got [ 4. -8. 12.]"),
    (lambda f, x, eps: jax.grad(f)(x),
     "central_difference(f(x) = sum(sin(x)), [ 0.5  1.   2.  -1.5], 0.1): expected [ 0.8761  0.5394"),
])
def test_central_difference_check(capsys, wrong, shown):
    assert checks.check_central_difference(central_difference_reference) is True
    assert checks.check_central_difference(wrong) is False
    out = capsys.readouterr().out
    assert out.startswith("Correct: central_difference matches the reference on all 3 test inputs.")
    assert "Not quite yet: " + shown in out
