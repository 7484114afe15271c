"""The self-checks of chapters 1 and 2 accept the reference answers and reject wrong ones."""
from __future__ import annotations

import jax
import jax.numpy as jnp
import pytest

from helpers import checks, mlp_forward


def _relu(z):
    return jnp.maximum(z, 0.0)


def _sigmoid(z):
    return 1.0 / (1.0 + jnp.exp(-z))


def _xor_chapter(X):
    s = X[:, 0] + X[:, 1]
    return _relu(s) - 2.0 * _relu(s - 1.0)


def _xor_reference(X):
    """The solution of ex-01-xor-network: |x1 - x2| from two ReLU units."""
    return _relu(X[:, 0] - X[:, 1]) + _relu(X[:, 1] - X[:, 0])


def _forward_reference(params, x):
    """The solution of ex-02-forward."""
    *hidden, (W_out, b_out) = params
    for W, b in hidden:
        x = _relu(x @ W + b)
    return x @ W_out + b_out


def _assert_result(capsys, ok, expected_ok, *fragments):
    out = capsys.readouterr().out
    assert ok is expected_ok, out
    assert out.startswith("Correct: " if expected_ok else "Not quite yet: "), out
    for fragment in fragments:
        assert fragment in out, out


# ex-01-and-gate ---------------------------------------------------------------

def test_and_gate_accepts_reference(capsys):
    _assert_result(capsys, checks.check_and_gate(jnp.array([1.0, 1.0]), -1.5), True, "AND gate")


@pytest.mark.parametrize("w, b, got", [
    (jnp.array([1.0, 1.0]), -0.5, "got [0. 1. 1. 1.]"),     # that is OR
    (jnp.array([1.0, 1.0]), -2.0, "got [0. 0. 0. 0.]"),     # threshold too high
    (jnp.array([1.0, 1.0]), 0.0, "got [0. 1. 1. 1.]"),      # no bias
])
def test_and_gate_rejects_wrong_weights(capsys, w, b, got):
    _assert_result(capsys, checks.check_and_gate(w, b), False, "expected [0. 0. 0. 1.]", got)


def test_and_gate_rejects_wrong_shapes(capsys):
    _assert_result(capsys, checks.check_and_gate(jnp.ones((2, 1)), -1.5), False,
                   "w should have shape (2,)")
    _assert_result(capsys, checks.check_and_gate(jnp.ones(2), jnp.ones(2)), False,
                   "b should be a single number")


# ex-01-xor-network --------------------------------------------------------------

@pytest.mark.parametrize("forward", [_xor_reference, _xor_chapter,
                                     lambda X: _xor_reference(X)[:, None]])
def test_xor_network_accepts_correct_networks(capsys, forward):
    _assert_result(capsys, checks.check_xor_network(forward), True, "xor_network(X)")


@pytest.mark.parametrize("forward, got", [
    (lambda X: _relu(X[:, 0] + X[:, 1]), "got [0. 1. 1. 2.]"),           # output unit missing
    (lambda X: _relu(X[:, 0] - X[:, 1]), "got [0. 0. 1. 0.]"),           # one unit only
    (lambda X: jnp.full((4,), 0.5), "got [0.5 0.5 0.5 0.5]"),           # the linear model
])
def test_xor_network_rejects_wrong_networks(capsys, forward, got):
    _assert_result(capsys, checks.check_xor_network(forward), False,
                   "expected [0. 1. 1. 0.]", got)


def test_xor_network_reports_errors_and_shapes(capsys):
    _assert_result(capsys, checks.check_xor_network(lambda X: X @ jnp.ones(3)), False, "raised TypeError")
    _assert_result(capsys, checks.check_xor_network(lambda X: X), False, "the shape differs")
    _assert_result(capsys, checks.check_xor_network(None), False, "should be a function")


# ex-02-activations --------------------------------------------------------------

def test_relu_accepts_reference(capsys):
    _assert_result(capsys, checks.check_relu(_relu), True, "relu matches")


@pytest.mark.parametrize("relu, got", [
    (jnp.abs, "got [3.  0.5 0.  0.5 3. ]"),
    (lambda z: jnp.maximum(z, 1.0), "got [1. 1. 1. 1. 3.]"),
    (lambda z: jnp.minimum(z, 0.0), "got [-3.  -0.5  0.   0.   0. ]"),
])
def test_relu_rejects_wrong_answers(capsys, relu, got):
    _assert_result(capsys, checks.check_relu(relu), False, "relu([-3.  -0.5  0.   0.5  3. ])", got)


def test_sigmoid_accepts_reference(capsys):
    _assert_result(capsys, checks.check_sigmoid(_sigmoid), True, "sigmoid matches")


@pytest.mark.parametrize("sigmoid, fragment", [
    (lambda z: 1.0 / (1.0 + jnp.exp(z)), "expected [0.0474 0.3775 0.5    0.6225 0.9526]"),  # sign
    (lambda z: jnp.tanh(z), "got [-0.9951 -0.4621  0.      0.4621  0.9951]"),
    (lambda z: jnp.exp(z) / (1.0 + jnp.exp(z)), "got [ 0. nan]"),   # overflows at z = 100
])
def test_sigmoid_rejects_wrong_answers(capsys, sigmoid, fragment):
    _assert_result(capsys, checks.check_sigmoid(sigmoid), False, fragment)


# ex-02-forward ------------------------------------------------------------------

def test_forward_accepts_reference_and_helper(capsys):
    _assert_result(capsys, checks.check_forward(_forward_reference), True, "3 test networks")
    _assert_result(capsys, checks.check_forward(mlp_forward), True, "3 test networks")


def _forward_two_layers_only(params, x):
    (W1, b1), (W2, b2) = params[0], params[1]
    return _relu(x @ W1 + b1) @ W2 + b2


def _forward_relu_on_output(params, x):
    for W, b in params:
        x = _relu(x @ W + b)
    return x


def _forward_no_hidden_bias(params, x):
    *hidden, (W_out, b_out) = params
    for W, _ in hidden:
        x = _relu(x @ W)
    return x @ W_out + b_out


@pytest.mark.parametrize("forward, fragment", [
    (_forward_relu_on_output, "2-16-1 network on the batch"),
    (_forward_two_layers_only, "the shape differs: expected (5, 2), got (5, 5)"),
    (_forward_no_hidden_bias, "3-4-5-2 network"),
    (lambda params, x: jax.nn.sigmoid(mlp_forward(params, x)), "2-16-1 network on one example"),
])
def test_forward_rejects_wrong_answers(capsys, forward, fragment):
    _assert_result(capsys, checks.check_forward(forward), False, fragment)


def test_forward_reports_errors(capsys):
    _assert_result(capsys, checks.check_forward(lambda params, x: params[5]), False,
                   "raised IndexError")


def test_unfinished_starters_get_a_kind_message(capsys):
    _assert_result(capsys, checks.check_and_gate(..., ...), False, "w and b should be numbers")
    _assert_result(capsys, checks.check_xor_network(lambda X: ...), False,
                   "returned Ellipsis: does it end with a `return`?")


# ex-02-init ---------------------------------------------------------------------

def _init_reference(key, sizes, scale):
    """The solution of ex-02-init."""
    keys = jax.random.split(key, len(sizes) - 1)
    return [(scale * jax.random.normal(k, (n_in, n_out)), jnp.zeros(n_out))
            for k, n_in, n_out in zip(keys, sizes[:-1], sizes[1:])]


def test_init_accepts_reference(capsys):
    _assert_result(capsys, checks.check_init(_init_reference), True, "3 test networks")


def _init_same_key(key, sizes, scale):  # reuses one key for every layer
    return [(scale * jax.random.normal(key, (n_in, n_out)), jnp.zeros(n_out))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def _init_transposed(key, sizes, scale):  # W of shape (out, in)
    keys = jax.random.split(key, len(sizes) - 1)
    return [(scale * jax.random.normal(k, (n_out, n_in)), jnp.zeros(n_out))
            for k, n_in, n_out in zip(keys, sizes[:-1], sizes[1:])]


def _init_no_scale(key, sizes, scale):
    return _init_reference(key, sizes, 1.0)


def _init_random_bias(key, sizes, scale):
    keys = jax.random.split(key, len(sizes) - 1)
    return [(scale * jax.random.normal(k, (n_in, n_out)), scale * jax.random.normal(k, (n_out,)))
            for k, n_in, n_out in zip(keys, sizes[:-1], sizes[1:])]


@pytest.mark.parametrize("init, fragment", [
    (_init_same_key, "The shapes are right"),
    (_init_transposed, "the shape differs: expected (2, 16), got (16, 2)"),
    (_init_no_scale, "init(jax.random.key(7), [2, 16, 1], scale=0.1)"),
    (_init_random_bias, "b is zeros"),
    (lambda key, sizes, scale: _init_reference(key, sizes, scale)[:1], "the structure differs"),
])
def test_init_rejects_wrong_answers(capsys, init, fragment):
    _assert_result(capsys, checks.check_init(init), False, fragment)
