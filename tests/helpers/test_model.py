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
    with pytest.raises(
        ValueError, match=r"expected inputs of shape \(2,\) or \(N, 2\).*got shape \(4, 3\)"
    ):
        mlp_forward(params, jnp.ones((4, 3)))
    with pytest.raises(ValueError, match=r"got shape \(3,\)"):
        mlp_forward(params, jnp.ones(3))


# --- Nothing fails silently ---------------------------------------------------------------------
def test_init_mlp_accepts_numpy_integers():
    expected = init_mlp(jax.random.key(0), [2, 16, 1])
    for sizes in ([np.int64(2), np.int64(16), np.int64(1)], np.array([2, 16, 1]), (2, 16, 1)):
        got = init_mlp(jax.random.key(0), sizes)
        assert jax.tree_util.tree_all(jax.tree_util.tree_map(np.array_equal, got, expected))


@pytest.mark.parametrize("sizes", [5, "216", None])
def test_init_mlp_sizes_must_be_a_list(sizes):
    with pytest.raises(
        ValueError,
        match=r"init_mlp: sizes must be a list of layer widths such as "
        r"\[2, 16, 1\], got",
    ):
        init_mlp(jax.random.key(0), sizes)


@pytest.mark.parametrize("size", [True, 2.0, np.float32(2)])
def test_init_mlp_rejects_non_integer_sizes(size):
    with pytest.raises(
        ValueError, match=r"every layer size must be a positive integer, got .* in sizes="
    ):
        init_mlp(jax.random.key(0), [2, size, 1])


@pytest.mark.parametrize("scale", [float("nan"), -0.1, float("inf"), "0.1"])
def test_init_mlp_rejects_bad_scales(scale):
    with pytest.raises(
        ValueError,
        match=r"scale must be a finite number >= 0 .*or None for He "
        r"initialisation; got scale=",
    ):
        init_mlp(jax.random.key(0), [2, 3, 1], scale=scale)


def test_init_mlp_scale_zero_and_numpy_scales():
    assert all(
        float(jnp.abs(W).max()) == 0.0 for W, _ in init_mlp(jax.random.key(0), [2, 3, 1], scale=0)
    )
    a = init_mlp(jax.random.key(0), [2, 3, 1], scale=np.float32(0.5))
    b = init_mlp(jax.random.key(0), [2, 3, 1], scale=0.5)
    np.testing.assert_array_equal(a[0][0], b[0][0])


@pytest.fixture
def params():
    return init_mlp(jax.random.key(0), [2, 16, 1])


@pytest.mark.parametrize(
    "bad, message",
    [
        ([], r"params must be a list of \(W, b\) layers, as init_mlp returns; got an empty list"),
        ({"W": jnp.ones((2, 1)), "b": jnp.ones(1)}, r"as init_mlp returns; got a dict"),
        (
            (jnp.ones((2, 16)), jnp.ones(16)),
            r"layer 0 is an array of shape \(2, 16\), not a \(W, b\) "
            r"pair\. A single layer goes in a list: \[\(W, b\)\]",
        ),
        ([(jnp.ones((2, 3)),)], r"layer 0 is tuple"),
        (
            [(jnp.ones((2, 3)), jnp.ones(4))],
            r"layer 0 has W of shape \(2, 3\) and b of shape \(4,\), "
            r"expected W \(in, out\) and b \(out,\)",
        ),
        (
            [(jnp.ones((2, 3)), jnp.ones(3)), (jnp.ones((4, 1)), jnp.ones(1))],
            r"layer 0 outputs 3 values but layer 1's W has shape \(4, 1\); it needs 3 rows",
        ),
        (
            [([[1.0], [2.0]], jnp.ones(1))],
            r"layer 0's W is a list, not an array: make it one with jnp\.array\(\.\.\.\)",
        ),
    ],
)
def test_mlp_forward_rejects_malformed_params(bad, message):
    with pytest.raises(ValueError, match=message):
        mlp_forward(bad, jnp.ones((4, 2)))


def test_mlp_forward_accepts_lists_and_a_single_layer(params):
    np.testing.assert_allclose(
        mlp_forward(params, [[0.0, 1.0]]), mlp_forward(params, jnp.array([[0.0, 1.0]]))
    )
    W, b = jnp.ones((2, 1)), jnp.array([0.5])
    np.testing.assert_allclose(mlp_forward([(W, b)], jnp.array([1.0, 2.0])), [3.5])


@pytest.mark.parametrize("dtype", [np.uint8, np.int32, np.bool_])
def test_mlp_forward_rejects_non_float_inputs(params, dtype):
    with pytest.raises(
        ValueError,
        match=rf"x must hold floating-point numbers, got dtype {np.dtype(dtype)}.*"
        r"x\.astype\(jnp\.float32\) / 255",
    ):
        mlp_forward(params, np.ones((4, 2), dtype))
    with pytest.raises(ValueError, match="floating-point"):  # a dtype is known under jit too
        jax.jit(mlp_forward)(params, jnp.ones((4, 2), dtype))


def test_mlp_forward_under_jit_and_vmap(params):
    X = jax.random.normal(jax.random.key(1), (5, 2))
    np.testing.assert_allclose(jax.jit(mlp_forward)(params, X), mlp_forward(params, X), rtol=1e-6)
    np.testing.assert_allclose(
        jax.vmap(mlp_forward, in_axes=(None, 0))(params, X),
        mlp_forward(params, X),
        rtol=1e-6,
        atol=1e-6,
    )


@pytest.mark.parametrize(
    "key, message",
    [
        pytest.param(
            0, r"got the int 0; to use the seed 0, pass jax\.random\.key\(0\) instead\.$", id="int"
        ),
        pytest.param(
            np.int64(3), r"to use the seed 3, pass jax\.random\.key\(3\) instead", id="numpy-int"
        ),
        pytest.param(3.0, r"got the float 3\.0; make one with jax\.random\.key\(0\)", id="float"),
        pytest.param("0", r"got the str '0'; make one with jax\.random\.key\(0\)", id="str"),
        pytest.param(None, r"got None; make one with jax\.random\.key\(0\)", id="none"),
        pytest.param(
            jnp.arange(3),
            r"got an array of int32; make one with jax\.random\.key\(0\)",
            id="int-array",
        ),
        pytest.param(
            jax.random.split(jax.random.key(0)),
            r"must be one random key, got an array of shape \(2,\) of keys .*keys\[0\]",
            id="split-keys",
        ),
    ],
)
def test_init_mlp_refuses_what_is_not_a_key_in_one_line(key, message):
    with pytest.raises(TypeError, match=r"^init_mlp: key must be ") as error:
        init_mlp(key, [2, 3, 1])
    assert "\n" not in str(error.value)
    assert pytest.raises(TypeError, init_mlp, key, [2, 3, 1]).match(message)


def test_init_mlp_takes_new_and_legacy_keys_and_traced_ones():
    new = init_mlp(jax.random.key(5), [2, 3])
    legacy = init_mlp(jax.random.PRNGKey(5), [2, 3])  # same draws: key data [0, 5]
    np.testing.assert_array_equal(new[0][0], legacy[0][0])
    jitted = jax.jit(lambda k: init_mlp(k, [2, 3]))(jax.random.key(5))
    np.testing.assert_allclose(jitted[0][0], new[0][0], rtol=1e-6)  # jit may fuse differently


@pytest.mark.parametrize("key", [jax.random.key(0), jax.random.PRNGKey(0)], ids=["new", "legacy"])
def test_init_mlp_with_swapped_arguments_names_the_order(key):
    """init_mlp([2, 16, 1], key) failed with JAX's "iteration over a 0-d key array"."""
    with pytest.raises(TypeError, match=r"^init_mlp: sizes is a random key .*swapped; the order "):
        init_mlp([2, 16, 1], key)
    assert pytest.raises(TypeError, init_mlp, [2, 16, 1], key).match(r"init_mlp\(key, sizes\)")
