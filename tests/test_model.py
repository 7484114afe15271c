"""init_mlp and mlp_forward: shapes, values against hand computation, clear errors."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from helpers import init_mlp, mlp_forward


def test_init_mlp_shapes_and_zero_biases():
    params = init_mlp(jax.random.key(0), [2, 16, 1])
    assert [(W.shape, b.shape) for W, b in params] == [((2, 16), (16,)), ((16, 1), (1,))]
    assert all(W.dtype == jnp.float32 for W, _ in params)
    assert all(float(jnp.abs(b).max()) == 0.0 for _, b in params)


def test_init_mlp_is_reproducible_and_key_dependent():
    a = init_mlp(jax.random.key(1), [3, 4, 2])
    b = init_mlp(jax.random.key(1), [3, 4, 2])
    c = init_mlp(jax.random.key(2), [3, 4, 2])
    np.testing.assert_array_equal(a[0][0], b[0][0])
    assert not np.allclose(a[0][0], c[0][0])


def test_init_mlp_scale_and_he_init():
    W = init_mlp(jax.random.key(0), [784, 512, 10], scale=0.02)[0][0]
    assert abs(float(W.std()) - 0.02) < 0.001
    W = init_mlp(jax.random.key(0), [784, 512, 10], scale=None)[0][0]
    assert abs(float(W.std()) - np.sqrt(2 / 784)) < 0.002


@pytest.mark.parametrize("sizes", [[], [5], [2, 0, 1], [2, -3, 1], [2, 1.5, 1]])
def test_init_mlp_rejects_bad_sizes(sizes):
    with pytest.raises(ValueError, match="size"):
        init_mlp(jax.random.key(0), sizes)


def test_mlp_forward_matches_hand_computation():
    W1 = jnp.array([[1.0, -1.0], [2.0, 0.5]])
    b1 = jnp.array([0.0, 1.0])
    W2 = jnp.array([[1.0], [3.0]])
    b2 = jnp.array([-0.5])
    x = jnp.array([1.0, 2.0])
    # hidden = relu([1*1 + 2*2 + 0, 1*-1 + 2*0.5 + 1]) = relu([5, 1]) = [5, 1]
    # output = 5*1 + 1*3 - 0.5 = 7.5
    out = mlp_forward([(W1, b1), (W2, b2)], x)
    np.testing.assert_allclose(out, [7.5])
    # a negative pre-activation is clipped by ReLU: hidden = relu([-5, 1]) = [0, 1] -> 2.5
    np.testing.assert_allclose(mlp_forward([(W1, b1), (W2, b2)], -x), [2.5])


def test_mlp_forward_batch_equals_vmap_of_single():
    params = init_mlp(jax.random.key(3), [2, 16, 8, 3])
    X = jax.random.normal(jax.random.key(4), (5, 2))
    batched = mlp_forward(params, X)
    one_by_one = jax.vmap(lambda x: mlp_forward(params, x))(X)
    assert batched.shape == (5, 3)
    np.testing.assert_allclose(batched, one_by_one, rtol=1e-6, atol=1e-6)


def test_mlp_forward_rejects_wrong_feature_count():
    params = init_mlp(jax.random.key(0), [2, 16, 1])
    with pytest.raises(ValueError, match=r"expected inputs of shape \(2,\) or \(N, 2\).*got shape \(4, 3\)"):
        mlp_forward(params, jnp.ones((4, 3)))
    with pytest.raises(ValueError, match=r"got shape \(3,\)"):
        mlp_forward(params, jnp.ones(3))
