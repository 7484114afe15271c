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


def _train_epoch(p, g, lr):
    """train_epoch on 8 examples of the 2-3-1 network (its own grads; ``g`` is unused)."""
    return helpers.train_epoch(p, jnp.ones((8, 2)), jnp.zeros(8, jnp.int32), lr, 4)


UPDATES_AND_EPOCH = [
    pytest.param(lambda p, g, lr: helpers.sgd_update(p, g, lr), id="sgd"),
    pytest.param(
        lambda p, g, lr: helpers.momentum_update(p, g, helpers.momentum_init(p), lr), id="momentum"
    ),
    pytest.param(lambda p, g, lr: helpers.adam_update(p, g, helpers.adam_init(p), lr), id="adam"),
    pytest.param(_train_epoch, id="train_epoch"),
]


@pytest.mark.parametrize("update", UPDATES_AND_EPOCH)
@pytest.mark.parametrize("lr", [float("nan"), float("inf"), -np.inf, jnp.array(jnp.nan)])
def test_a_learning_rate_of_nan_or_inf_is_refused(update, lr):
    """It turned every parameter into nan, silently."""
    params = helpers.init_mlp(jax.random.key(0), [2, 3, 1])
    grads = jax.tree_util.tree_map(jnp.ones_like, params)
    with pytest.raises(
        ValueError, match=r"lr must be a finite number, such as .*, got (nan|-?inf)"
    ):
        update(params, grads, lr)


def test_train_epoch_refuses_a_string_learning_rate_in_one_line():
    """Before jit, whose error pointed at static_argnums."""
    params = helpers.init_mlp(jax.random.key(0), [2, 3, 1])
    with pytest.raises(
        TypeError, match=r"^train_epoch: lr must be one number, such as 0\.1, got str '0\.1'\.$"
    ):
        _train_epoch(params, None, "0.1")


def test_a_traced_learning_rate_from_a_schedule_still_works():
    """Inside jit the value cannot be read: it is not checked, and the update runs."""
    params = helpers.init_mlp(jax.random.key(0), [2, 3, 1])
    grads = jax.tree_util.tree_map(jnp.ones_like, params)

    @jax.jit
    def step(params, count):
        lr = 0.1 * 0.5 ** (count / 10)  # a step-decay schedule: a tracer
        return helpers.adam_update(params, grads, helpers.adam_init(params), lr)[0]

    assert all(jnp.isfinite(w).all() for w, _ in step(params, 3))
