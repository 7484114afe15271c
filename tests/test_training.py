"""The scan-fused training helpers agree with a plain Python loop of SGD steps."""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from helpers import (accuracy, evaluate, init_mlp, make_batches, mlp_forward, predict,
                     sgd_update, softmax_cross_entropy, train_epoch)


@pytest.fixture(scope="module")
def data():
    kx, ky = jax.random.split(jax.random.key(1))
    images = jax.random.uniform(kx, (50, 6))
    labels = jax.random.randint(ky, (50,), 0, 3)
    params = init_mlp(jax.random.key(2), [6, 5, 3], scale=None)
    return params, images, labels


def loop_epoch(params, batches, lr):
    """Reference: one SGD step per batch in a Python loop."""
    losses, accs = [], []
    for x, y in zip(*batches):
        def loss_fn(p):
            return softmax_cross_entropy(mlp_forward(p, x), y)
        loss, grads = jax.value_and_grad(loss_fn)(params)
        accs.append(accuracy(mlp_forward(params, x), y))
        losses.append(loss)
        params = sgd_update(params, grads, lr)
    return params, jnp.stack(losses), jnp.stack(accs)


def test_make_batches_in_order_drops_the_remainder(data):
    _, images, labels = data
    xb, yb = make_batches(images, labels, 8)
    assert xb.shape == (6, 8, 6) and yb.shape == (6, 8)
    np.testing.assert_array_equal(xb.reshape(48, 6), images[:48])
    np.testing.assert_array_equal(yb.reshape(48), labels[:48])


def test_make_batches_shuffles_with_a_key(data):
    _, images, labels = data
    xb, yb = make_batches(images, jnp.arange(50), 8, key=jax.random.key(0))
    order = np.asarray(yb).ravel()
    assert len(set(order.tolist())) == 48 and not np.array_equal(order, np.arange(48))
    np.testing.assert_array_equal(xb.reshape(48, 6), images[order])


@pytest.mark.parametrize("key", [None, jax.random.key(3)])
def test_train_epoch_matches_a_python_loop(data, key):
    params, images, labels = data
    got_params, got_losses, got_accs = train_epoch(params, images, labels, 0.5, 8, key)
    ref_params, ref_losses, ref_accs = loop_epoch(params, make_batches(images, labels, 8, key), 0.5)
    assert got_losses.shape == (6,) and got_accs.shape == (6,)
    np.testing.assert_allclose(got_losses, ref_losses, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_accs, ref_accs)
    for g, r in zip(jax.tree_util.tree_leaves(got_params), jax.tree_util.tree_leaves(ref_params)):
        np.testing.assert_allclose(g, r, rtol=1e-5, atol=1e-6)


def test_training_lowers_the_loss(data):
    params, images, labels = data
    first = evaluate(params, images, labels)[0]
    for epoch in range(20):
        params, _, _ = train_epoch(params, images, labels, 0.5, 10, jax.random.key(epoch))
    assert evaluate(params, images, labels)[0] < first


def test_evaluate_and_predict(data):
    params, images, labels = data
    loss, acc = evaluate(params, images, labels)
    logits = mlp_forward(params, images)
    assert float(loss) == pytest.approx(float(softmax_cross_entropy(logits, labels)), rel=1e-6)
    assert float(acc) == pytest.approx(float(accuracy(logits, labels)))
    preds = predict(params, images)
    assert preds.dtype == jnp.int32
    np.testing.assert_array_equal(preds, jnp.argmax(logits, axis=1))


@pytest.mark.parametrize("batch_size", [0, 51, 2.0])
def test_bad_batch_size(data, batch_size):
    _, images, labels = data
    with pytest.raises(ValueError, match="batch_size must be an integer from 1 to 50"):
        make_batches(images, labels, batch_size)


def test_labels_must_match_images(data):
    _, images, labels = data
    with pytest.raises(ValueError, match="50 images but labels of shape"):
        make_batches(images, labels[:10], 5)
