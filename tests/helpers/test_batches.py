"""helpers.batches: the batches of an epoch, in order or shuffled (the order
jax.random.permutation gives, computed with a faster sort)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from helpers import batch_indices, init_mlp, make_batches, scan_epoch, train_epoch
from helpers.batches import _stable_argsort


@pytest.fixture(scope="module")
def examples():
    """50 images of 6 features and their labels, from 0 to 2: 6 batches of 8, 2 left out."""
    kx, ky = jax.random.split(jax.random.key(1))
    return jax.random.uniform(kx, (50, 6)), jax.random.randint(ky, (50,), 0, 3)


def test_make_batches_in_order_drops_the_remainder(examples):
    images, labels = examples
    xb, yb = make_batches(images, labels, 8)
    assert xb.shape == (6, 8, 6) and yb.shape == (6, 8)
    np.testing.assert_array_equal(xb.reshape(48, 6), images[:48])
    np.testing.assert_array_equal(yb.reshape(48), labels[:48])


def test_make_batches_shuffles_with_a_key(examples):
    images, labels = examples
    xb, yb = make_batches(images, jnp.arange(50), 8, key=jax.random.key(0))
    order = np.asarray(yb).ravel()
    assert len(set(order.tolist())) == 48 and not np.array_equal(order, np.arange(48))
    np.testing.assert_array_equal(xb.reshape(48, 6), images[order])


def test_labels_must_match_images(examples):
    images, labels = examples
    with pytest.raises(ValueError, match="50 images but labels of shape"):
        make_batches(images, labels[:10], 5)


@pytest.mark.parametrize("n", [1, 2, 50, 1000, 65536, 70000])
def test_the_shuffled_order_is_jax_random_permutation(n):
    """batch_indices sorts faster than jax.random.permutation, to the same order (65536 and
    70000: two and three radix passes)."""
    for key in (jax.random.key(n), jax.random.PRNGKey(n + 1)):  # new-style and legacy keys
        np.testing.assert_array_equal(
            batch_indices(n, 1, key).ravel(), jax.random.permutation(key, n)
        )


def test_stable_argsort_keeps_equal_keys_in_order():
    high, low = jax.random.randint(jax.random.key(0), (2, 5000), 0, 8)  # many ties
    keys = (high.astype(jnp.uint32) << 29) | low.astype(jnp.uint32)
    np.testing.assert_array_equal(_stable_argsort(keys), np.argsort(keys, kind="stable"))


@pytest.mark.parametrize("key", [None, jax.random.key(0)])
def test_one_hot_labels_are_refused_with_the_fix(examples, key):
    images, labels = examples
    with pytest.raises(
        ValueError,
        match=r"make_batches: labels should be one class index .*"
        r"got shape \(50, 3\); for one-hot labels, pass jnp.argmax",
    ):
        make_batches(images, jax.nn.one_hot(labels, 3), 8, key)


def _epoch_with_key(key):
    images, labels = jnp.ones((16, 2)), jnp.zeros(16, dtype=jnp.int32)
    params = init_mlp(jax.random.key(0), [2, 3, 2])
    return train_epoch(params, images, labels, 0.1, 4, key)


TAKING_A_KEY = [
    ("make_batches", lambda key: make_batches(jnp.ones((16, 2)), jnp.arange(16), 4, key)),
    ("batch_indices", lambda key: batch_indices(16, 4, key)),
    (
        "scan_epoch",
        lambda key: scan_epoch(
            lambda s, x, y: (s, (0.0, 0.0)), 0.0, jnp.ones((16, 2)), jnp.arange(16), 4, key
        ),
    ),
    ("train_epoch", _epoch_with_key),
]


@pytest.mark.parametrize(
    "name, call", [*TAKING_A_KEY, ("init_mlp", lambda key: init_mlp(key, [2, 3, 1]))]
)
def test_old_style_split_keys_are_refused_with_keys_0(name, call):
    """jax.random.split(jax.random.PRNGKey(0)) is a (2, 2) uint32 array: a batch of keys."""
    for keys in (
        jax.random.split(jax.random.PRNGKey(0)),
        jax.random.split(jax.random.PRNGKey(0), 3),
    ):
        with pytest.raises(
            TypeError,
            match=rf"^{name}: key must be one random key, got an array of shape "
            rf"\({len(keys)}, 2\) of old-style keys .*pass one of them, e\.g\. keys\[0\]\.$",
        ):
            call(keys)
        call(keys[0])  # one of them is fine


@pytest.mark.parametrize(
    "args, message",
    [
        pytest.param((64, 60000), r"batch_size 60000 is larger than n = 64 .*no batch", id="swap"),
        pytest.param((40, 64), r"batch_size 64 is larger than n = 40 examples", id="too-big"),
        pytest.param((100, 0), r"batch_size must be an integer of at least 1, got 0\.", id="0"),
        pytest.param(
            (40.0, 8), r"n \(the number .*\) must be an integer .*got 40\.0\.", id="float"
        ),
        pytest.param((np.ones((40, 2)), 8), r"n .*got an array of shape \(40, 2\)\.", id="data"),
    ],
)
def test_batch_indices_refuses_sizes_that_give_no_epoch(args, message):
    """Swapped arguments gave an epoch of no step; a batch of 0 a bare ZeroDivisionError."""
    with pytest.raises(ValueError, match=r"^batch_indices: " + message) as error:
        batch_indices(*args)
    assert "\n" not in str(error.value)
    assert batch_indices(40, 40).shape == (1, 40)  # the largest batch is fine


@pytest.mark.parametrize("name, call", TAKING_A_KEY)
def test_an_int_seed_where_a_key_goes_is_refused_with_the_fix(name, call):
    """The sibling of init_mlp's check: every function that shuffles with a key."""
    with pytest.raises(TypeError, match=rf"^{name}: key must be a JAX random key, got the int 7; "):
        call(7)
    with pytest.raises(TypeError, match=r"pass jax\.random\.key\(7\) instead"):
        call(7)
    call(jax.random.key(7))  # a key is fine
