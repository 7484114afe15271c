"""helpers.data: the XOR table, and what load_mnist returns (shapes, dtypes, values, labels,
fresh arrays on each call). Where it finds the files and how it fails: test_mnist_loading.py."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
import pytest

from helpers import load_mnist, xor_data

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]


@pytest.fixture(scope="module")
def train():
    return load_mnist("train")


@pytest.fixture(scope="module")
def test():
    return load_mnist("test")


def test_xor_data():
    X, y = xor_data()
    assert X.shape == (4, 2) and y.shape == (4,)
    assert X.dtype == jnp.float32 and y.dtype == jnp.float32
    np.testing.assert_array_equal(y, np.logical_xor(X[:, 0], X[:, 1]).astype(np.float32))


def test_shapes_and_dtypes(train, test):
    (x_train, y_train), (x_test, y_test) = train, test
    assert x_train.shape == (60000, 784) and x_train.dtype == np.float32
    assert y_train.shape == (60000,) and y_train.dtype == np.int32
    assert x_test.shape == (10000, 784) and x_test.dtype == np.float32
    assert y_test.shape == (10000,) and y_test.dtype == np.int32


def test_pixel_values_are_in_the_unit_interval(train, test):
    for images, _ in (train, test):
        assert images.min() == 0.0 and images.max() == 1.0
    assert train[0].mean() == pytest.approx(0.1307, abs=1e-4)


def test_labels(train, test):
    assert train[1][:5].tolist() == [5, 0, 4, 1, 9]
    assert np.bincount(train[1], minlength=10).tolist() == TRAIN_COUNTS
    assert np.bincount(test[1], minlength=10).sum() == 10000
    assert set(np.unique(test[1]).tolist()) == set(range(10))


def test_each_call_returns_fresh_arrays(train):
    images, labels = load_mnist("train")  # served from the in-memory cache
    images[0] = 7.0
    labels[0] = 7
    again_images, again_labels = load_mnist("train")
    assert again_images[0].max() == 1.0 and again_labels[0] == 5
    np.testing.assert_array_equal(again_images, train[0])


def test_bad_split():
    with pytest.raises(
        ValueError, match="load_mnist: split must be 'train' or 'test', got 'valid'"
    ):
        load_mnist("valid")
