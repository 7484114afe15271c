"""helpers.updates: sgd_update by hand, momentum and Adam against optax (a test-only
dependency), and the one shared check that grads and state are shaped like params.

For momentum and Adam, both sides run 100 steps on the same small problem, each following its own
trajectory (gradients at its own parameters), and must agree to 1e-4 (absolute,
float32) at every leaf at the end.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import helpers

STEPS = 100


def _problem():
    """A 6-16-3 MLP on 64 random points with random labels (a problem that keeps moving)."""
    kx, ky, kp = jax.random.split(jax.random.key(0), 3)
    X = jax.random.normal(kx, (64, 6))
    y = jax.random.randint(ky, (64,), 0, 3)
    params = helpers.init_mlp(kp, [6, 16, 3], scale=None)

    def loss(params):
        return helpers.softmax_cross_entropy(helpers.mlp_forward(params, X), y)

    return params, jax.jit(jax.grad(loss))


def _run_ours(update, init, lr, **hyper):
    params, grad = _problem()
    state = init(params)
    step = jax.jit(lambda p, s: update(p, grad(p), s, lr, **hyper))
    for _ in range(STEPS):
        params, state = step(params, state)
    return params


def _run_optax(tx):
    params, grad = _problem()
    state = tx.init(params)

    @jax.jit
    def step(p, s):
        updates, s = tx.update(grad(p), s, p)
        return optax.apply_updates(p, updates), s

    for _ in range(STEPS):
        params, state = step(params, state)
    return params


def _max_abs_diff(a, b):
    return max(
        float(jnp.max(jnp.abs(x - y)))
        for x, y in zip(jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b), strict=True)
    )


@pytest.mark.parametrize("beta", [0.9, 0.5])
def test_momentum_matches_optax_sgd_with_momentum(beta):
    ours = _run_ours(helpers.momentum_update, helpers.momentum_init, 0.05, beta=beta)
    theirs = _run_optax(optax.sgd(0.05, momentum=beta))
    start, _ = _problem()
    assert _max_abs_diff(ours, start) > 0.1  # the parameters really moved
    assert _max_abs_diff(ours, theirs) < 1e-4


@pytest.mark.parametrize("hyper", [{}, {"b1": 0.8, "b2": 0.99, "eps": 1e-6}])
def test_adam_matches_optax_adam(hyper):
    ours = _run_ours(helpers.adam_update, helpers.adam_init, 0.01, **hyper)
    theirs = _run_optax(optax.adam(0.01, **hyper))
    start, _ = _problem()
    assert _max_abs_diff(ours, start) > 0.1
    assert _max_abs_diff(ours, theirs) < 1e-4


def test_zero_momentum_is_plain_sgd():
    params, grad = _problem()
    g = grad(params)
    new, _ = helpers.momentum_update(params, g, helpers.momentum_init(params), 0.1, beta=0.0)
    assert _max_abs_diff(new, helpers.sgd_update(params, g, 0.1)) == 0.0


def test_first_adam_step_moves_every_weight_by_about_lr():
    """Bias correction makes the first step lr * g / (|g| + eps): about lr for every nonzero g."""
    params = {"w": jnp.array([3.0, -0.02, 1e3])}
    grads = {"w": jnp.array([0.5, -4.0, 1e-3])}
    new, state = helpers.adam_update(params, grads, helpers.adam_init(params), 0.1)
    np.testing.assert_allclose(new["w"], params["w"] - 0.1 * jnp.sign(grads["w"]), atol=1e-5)
    assert int(state["count"]) == 1


def test_state_is_a_pytree_shaped_like_params():
    params = helpers.init_mlp(jax.random.key(1), [4, 5, 2])
    mom = helpers.momentum_init(params)
    adam = helpers.adam_init(params)
    same = jax.tree_util.tree_structure(params)
    assert jax.tree_util.tree_structure(mom) == same
    assert jax.tree_util.tree_structure(adam["mu"]) == same
    assert jax.tree_util.tree_structure(adam["nu"]) == same
    assert all(float(jnp.abs(x).sum()) == 0.0 for x in jax.tree_util.tree_leaves((mom, adam)))


def test_updates_work_under_jit_with_a_traced_learning_rate():
    params, grad = _problem()
    state = helpers.adam_init(params)
    step = jax.jit(lambda p, s, lr: helpers.adam_update(p, grad(p), s, lr))
    a, _ = step(params, state, 0.01)
    b, _ = helpers.adam_update(params, grad(params), state, 0.01)
    assert _max_abs_diff(a, b) < 1e-6


def test_mismatched_trees_raise_a_clear_error():
    params = helpers.init_mlp(jax.random.key(1), [4, 5, 2])
    grads = params[:1]  # one layer missing
    with pytest.raises(ValueError, match="grads must have the same structure as params"):
        helpers.momentum_update(params, grads, helpers.momentum_init(params), 0.1)
    with pytest.raises(ValueError, match="grads must have the same structure as params"):
        helpers.adam_update(params, grads, helpers.adam_init(params), 0.1)
    transposed = [(W.T, b) for W, b in params]
    with pytest.raises(ValueError, match="must have the shape of the matching leaf"):
        helpers.momentum_update(params, transposed, helpers.momentum_init(params), 0.1)
    with pytest.raises(ValueError, match="state must be the dict made by adam_init"):
        helpers.adam_update(params, params, helpers.momentum_init(params), 0.1)


def test_sgd_update_by_hand_on_every_leaf():
    params = [(jnp.array([[1.0, 2.0]]), jnp.array([3.0, 4.0]))]
    grads = [(jnp.array([[10.0, -10.0]]), jnp.array([1.0, 0.0]))]
    ((W, b),) = helpers.sgd_update(params, grads, lr=0.1)
    np.testing.assert_allclose(W, [[0.0, 3.0]])
    np.testing.assert_allclose(b, [2.9, 4.0])


def test_sgd_update_keeps_structure_and_works_on_dicts():
    params = helpers.init_mlp(jax.random.key(0), [2, 3, 1])
    new = helpers.sgd_update(params, jax.tree_util.tree_map(jnp.ones_like, params), lr=0.5)
    assert jax.tree_util.tree_structure(new) == jax.tree_util.tree_structure(params)
    out = helpers.sgd_update({"w": jnp.array(1.0)}, {"w": jnp.array(4.0)}, lr=0.25)
    assert float(out["w"]) == 0.0


# --- One shared check for all three updates ----------------------------------------------------
def _sgd(params, grads):
    return helpers.sgd_update(params, grads, 0.1)


def _momentum(params, grads):
    return helpers.momentum_update(params, grads, helpers.momentum_init(params), 0.1)


def _adam(params, grads):
    return helpers.adam_update(params, grads, helpers.adam_init(params), 0.1)


@pytest.mark.parametrize("update", [_sgd, _momentum, _adam], ids=["sgd", "momentum", "adam"])
def test_every_update_rejects_grads_not_shaped_like_params(update):
    params = [(jnp.ones((4, 3)), jnp.zeros(3))]
    name = {"_sgd": "sgd_update", "_momentum": "momentum_update", "_adam": "adam_update"}[
        update.__name__
    ]
    broadcastable = [(jnp.ones((4, 3)), jnp.ones((4, 3)))]  # would turn the bias (3,) into (4, 3)
    with pytest.raises(
        ValueError,
        match=rf"{name}: every leaf of grads must have the shape of the "
        r"matching leaf of params, got \(4, 3\) for a leaf of shape \(3,\)",
    ):
        update(params, broadcastable)
    with pytest.raises(ValueError, match=rf"{name}: grads must have the same structure as params"):
        update(params, [jnp.ones((4, 3))])
    with pytest.raises(ValueError, match=rf"{name}: grads must have the same structure as params"):
        update(params, params + params)


def test_sgd_update_checks_shapes_under_jit_too():
    params = [(jnp.ones((4, 3)), jnp.zeros(3))]
    with pytest.raises(ValueError, match="every leaf of grads must have the shape"):
        jax.jit(helpers.sgd_update)(params, [(jnp.ones((4, 3)), jnp.ones((4, 3)))], 0.1)


def test_adam_accepts_a_python_int_count():
    params = {"w": jnp.array([1.0, -2.0])}
    grads = {"w": jnp.array([0.5, 0.5])}
    state = helpers.adam_init(params)
    expected, expected_state = helpers.adam_update(params, grads, state, 0.1)
    for count in (0, np.int64(0)):
        got, got_state = helpers.adam_update(params, grads, {**state, "count": count}, 0.1)
        np.testing.assert_array_equal(got["w"], expected["w"])
        assert (
            int(got_state["count"]) == 1
            and got_state["count"].dtype == expected_state["count"].dtype
        )


@pytest.mark.parametrize("count", [1.5, jnp.zeros(2, jnp.int32)])
def test_adam_rejects_a_count_that_is_not_an_integer(count):
    params = {"w": jnp.array([1.0])}
    state = {**helpers.adam_init(params), "count": count}
    with pytest.raises(
        ValueError, match=r"state\['count'\] must be the integer number of steps taken"
    ):
        helpers.adam_update(params, params, state, 0.1)
