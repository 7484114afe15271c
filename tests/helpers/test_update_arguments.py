"""Arguments that would give a silent wrong answer are refused. The updates refuse a learning
rate (or beta, b1, b2, eps) that is not one number: an array would broadcast into every
parameter and silently change its shape (a 2-3-1 net whose W2 became (3, 3)); a string or None
would fail deep inside JAX. predict refuses a one-output network."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import helpers


@pytest.mark.parametrize(
    "update",
    [
        pytest.param(lambda p, g, lr: helpers.sgd_update(p, g, lr), id="sgd"),
        pytest.param(
            lambda p, g, lr: helpers.momentum_update(p, g, helpers.momentum_init(p), lr),
            id="momentum",
        ),
        pytest.param(
            lambda p, g, lr: helpers.adam_update(p, g, helpers.adam_init(p), lr), id="adam"
        ),
    ],
)
@pytest.mark.parametrize(
    "lr, got",
    [
        pytest.param(jnp.array([0.1, 0.05, 0.01]), "an array of shape (3,)", id="array"),
        pytest.param("0.1", "str '0.1'", id="string"),
        pytest.param(None, "NoneType None", id="none"),
        pytest.param(True, "bool True", id="bool"),
        pytest.param(np.ones((1,)), "an array of shape (1,)", id="one-element-array"),
    ],
)
def test_a_learning_rate_that_is_not_one_number_is_refused(update, lr, got):
    params = helpers.init_mlp(jax.random.key(0), [2, 3, 1])
    grads = jax.tree_util.tree_map(jnp.ones_like, params)
    with pytest.raises(TypeError, match=r"lr must be one number, such as .*, got ") as error:
        update(params, grads, lr)
    assert got in str(error.value)


@pytest.mark.parametrize("lr", [0.1, 1, np.float32(0.1), jnp.array(0.1), jnp.array(1)])
def test_scalar_learning_rates_of_any_kind_pass(lr):
    params = helpers.init_mlp(jax.random.key(0), [2, 3, 1])
    grads = jax.tree_util.tree_map(jnp.ones_like, params)
    new = helpers.sgd_update(params, grads, lr)
    assert [w.shape for w, _ in new] == [w.shape for w, _ in params]
    traced = jax.jit(helpers.sgd_update)(params, grads, lr)  # a traced scalar lr
    assert [w.shape for w, _ in traced] == [w.shape for w, _ in params]


def test_a_beta_that_is_not_one_number_is_refused():
    params = helpers.init_mlp(jax.random.key(0), [2, 3, 1])
    with pytest.raises(TypeError, match="momentum_update: beta must be one number"):
        helpers.momentum_update(params, params, helpers.momentum_init(params), 0.1, [0.9])
    with pytest.raises(TypeError, match="adam_update: eps must be one number"):
        helpers.adam_update(params, params, helpers.adam_init(params), 0.1, eps="1e-8")


def test_predict_refuses_a_one_output_network():
    """Its argmax is always class 0 (accuracy refuses the same case)."""
    params = helpers.init_mlp(jax.random.key(0), [2, 3, 1])
    with pytest.raises(ValueError, match=r"one output .*\[:, 0\] > 0"):
        helpers.predict(params, jnp.ones((4, 2)))
