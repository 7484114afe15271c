"""sgd_update over pytrees, and the XOR data set."""
import jax
import jax.numpy as jnp
import numpy as np

from helpers import init_mlp, sgd_update, xor_data


def test_sgd_update_by_hand_on_every_leaf():
    params = [(jnp.array([[1.0, 2.0]]), jnp.array([3.0, 4.0]))]
    grads = [(jnp.array([[10.0, -10.0]]), jnp.array([1.0, 0.0]))]
    (W, b), = sgd_update(params, grads, lr=0.1)
    np.testing.assert_allclose(W, [[0.0, 3.0]])
    np.testing.assert_allclose(b, [2.9, 4.0])


def test_sgd_update_keeps_structure_and_works_on_dicts():
    params = init_mlp(jax.random.key(0), [2, 3, 1])
    new = sgd_update(params, jax.tree_util.tree_map(jnp.ones_like, params), lr=0.5)
    assert jax.tree_util.tree_structure(new) == jax.tree_util.tree_structure(params)
    out = sgd_update({"w": jnp.array(1.0)}, {"w": jnp.array(4.0)}, lr=0.25)
    assert float(out["w"]) == 0.0


def test_xor_data():
    X, y = xor_data()
    assert X.shape == (4, 2) and y.shape == (4,)
    assert X.dtype == jnp.float32 and y.dtype == jnp.float32
    np.testing.assert_array_equal(y, np.logical_xor(X[:, 0], X[:, 1]).astype(np.float32))
