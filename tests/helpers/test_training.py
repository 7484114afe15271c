"""The scan-fused training helpers agree with a plain Python loop of SGD steps."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from helpers import (
    accuracy,
    batch_indices,
    evaluate,
    init_mlp,
    make_batches,
    mlp_forward,
    predict,
    scan_epoch,
    sgd_step,
    sgd_update,
    softmax_cross_entropy,
    train_epoch,
)
from helpers.training import _train_epoch


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
    for x, y in zip(*batches, strict=True):

        def loss_fn(p, x=x, y=y):
            return softmax_cross_entropy(mlp_forward(p, x), y)

        loss, grads = jax.value_and_grad(loss_fn)(params)
        accs.append(accuracy(mlp_forward(params, x), y))
        losses.append(loss)
        params = sgd_update(params, grads, lr)
    return params, jnp.stack(losses), jnp.stack(accs)


@pytest.mark.parametrize("key", [None, jax.random.key(3)])
def test_train_epoch_matches_a_python_loop(data, key):
    params, images, labels = data
    got_params, got_losses, got_accs = train_epoch(params, images, labels, 0.5, 8, key)
    ref_params, ref_losses, ref_accs = loop_epoch(params, make_batches(images, labels, 8, key), 0.5)
    assert got_losses.shape == (6,) and got_accs.shape == (6,)
    np.testing.assert_allclose(got_losses, ref_losses, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_accs, ref_accs)
    for g, r in zip(
        jax.tree_util.tree_leaves(got_params), jax.tree_util.tree_leaves(ref_params), strict=True
    ):
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
    with pytest.raises(
        ValueError, match="make_batches: batch_size must be an integer from 1 to 50"
    ):
        make_batches(images, labels, batch_size)
    params = data[0]
    with pytest.raises(ValueError, match="train_epoch: batch_size must be an integer from 1 to 50"):
        train_epoch(params, images, labels, 0.5, batch_size)


# --- The data is checked once, before the compiled epoch --------------------------------------
@pytest.mark.parametrize(
    "bad, message",
    [
        (
            3,
            r"labels must be class indices from 0 to 2 \(the logits have 3 classes\), got a label ",
        ),
        (-1, r"labels must be class indices from 0 to 2, got a label of -1"),
    ],
)
def test_train_epoch_and_evaluate_reject_labels_out_of_range(data, bad, message):
    params, images, labels = data
    labels = labels.at[7].set(bad)
    with pytest.raises(ValueError, match="train_epoch: " + message):
        train_epoch(params, images, labels, 0.5, 8)
    with pytest.raises(ValueError, match="evaluate: " + message):
        evaluate(params, images, labels)
    with pytest.raises(ValueError, match="train_epoch: " + message):  # NumPy data too
        train_epoch(params, np.asarray(images), np.asarray(labels), 0.5, 8)


def test_train_epoch_rejects_bad_dtypes_and_shapes(data):
    params, images, labels = data
    with pytest.raises(
        ValueError, match=r"train_epoch: labels must be integer class indices, got dtype float32"
    ):
        train_epoch(params, images, labels.astype(jnp.float32), 0.5, 8)
    with pytest.raises(
        ValueError,
        match=r"evaluate: images must be floats of shape \(N, features\), got "
        r"uint8 of shape \(50, 6\); scale raw pixels",
    ):
        evaluate(params, (images * 255).astype(jnp.uint8), labels)
    with pytest.raises(ValueError, match=r"train_epoch: 50 images but labels of shape \(49,\)"):
        train_epoch(params, images, labels[:49], 0.5, 8)
    with pytest.raises(ValueError, match=r"train_epoch: images is empty \(shape \(0, 6\)\)"):
        train_epoch(params, images[:0], labels[:0], 0.5, 8)
    with pytest.raises(ValueError, match=r"evaluate: params must be a list of \(W, b\) layers"):
        evaluate(params[0], images, labels)
    with pytest.raises(
        ValueError, match=r"mlp_forward expected inputs of shape \(6,\) or \(N, 6\)"
    ):
        evaluate(params, images[:, :5], labels)


def test_numpy_integers_and_arrays_are_accepted(data):
    params, images, labels = data
    expected = train_epoch(params, images, labels, 0.5, 8)
    got = train_epoch(params, np.asarray(images), np.asarray(labels), 0.5, np.int64(8))
    for g, e in zip(
        jax.tree_util.tree_leaves(got), jax.tree_util.tree_leaves(expected), strict=True
    ):
        np.testing.assert_array_equal(g, e)


def test_inside_a_jit_the_values_are_not_checked(data):
    """Traced labels cannot be read: the helpers still trace and run (values unchecked)."""
    params, images, labels = data
    loss, acc = jax.jit(evaluate)(params, images, labels)
    assert float(loss) == pytest.approx(float(evaluate(params, images, labels)[0]), rel=1e-6)

    @jax.jit
    def epoch(params, images, labels):  # chapter 8's pattern: scan_epoch inside the caller's jit
        return scan_epoch(lambda p, x, y: sgd_step(p, x, y, 0.5), params, images, labels, 8)

    _, losses, _ = epoch(params, images, labels)
    np.testing.assert_allclose(losses, train_epoch(params, images, labels, 0.5, 8)[1], rtol=1e-6)


def test_scan_epoch_outside_jit_checks_what_it_can(data):
    params, images, labels = data

    def step(p, x, y):
        return sgd_step(p, x, y, 0.5)

    with pytest.raises(
        ValueError, match=r"scan_epoch: labels must be class indices from 0, got a label of -1"
    ):
        scan_epoch(step, params, images, labels.at[0].set(-1), 8)
    with pytest.raises(
        ValueError, match=r"scan_epoch: batch_size must be an integer from 1 to 50, got True"
    ):
        scan_epoch(step, params, images, labels, True)
    _, losses, _ = scan_epoch(step, params, images, labels, 8)
    assert losses.shape == (6,)


# --- The fast epoch walks the same batches as a scan over make_batches ----------------------------
@pytest.mark.parametrize("key", [None, jax.random.key(3)])
def test_train_epoch_equals_a_scan_over_premade_batches_bit_for_bit(data, key):
    params, images, labels = data

    @jax.jit
    def reference(params, batch_images, batch_labels):
        return jax.lax.scan(lambda p, b: sgd_step(p, *b, 0.5), params, (batch_images, batch_labels))

    ref_params, (ref_losses, ref_accs) = reference(params, *make_batches(images, labels, 8, key))
    got = train_epoch(params, images, labels, 0.5, 8, key)
    for g, r in zip(
        jax.tree_util.tree_leaves(got),
        jax.tree_util.tree_leaves((ref_params, ref_losses, ref_accs)),
        strict=True,
    ):
        np.testing.assert_array_equal(g, r)


@pytest.mark.parametrize("key", [None, jax.random.key(0)])
def test_the_compiled_epoch_does_not_copy_the_data_set(key):
    """4000 images in batches of 64 leave 32 out: the epoch slices or gathers each batch
    instead of cutting the data set into a (62, 64, 200) copy (an extra pass over memory)."""
    images, labels = jnp.zeros((4000, 200)), jnp.zeros(4000, jnp.int32)
    params = init_mlp(jax.random.key(1), [200, 16, 3])
    compiled = _train_epoch.lower(params, images, labels, 0.1, 64, key).compile()
    assert compiled.memory_analysis().temp_size_in_bytes < images.nbytes / 10


@pytest.mark.parametrize("key", [None, jax.random.key(4)])
def test_scan_epoch_takes_numpy_data(data, key):
    params, images, labels = data

    def step(p, x, y):
        return sgd_step(p, x, y, 0.5)

    expected = scan_epoch(step, params, images, labels, 8, key)
    got = scan_epoch(step, params, np.asarray(images), np.asarray(labels), 8, key)
    for g, e in zip(
        jax.tree_util.tree_leaves(got), jax.tree_util.tree_leaves(expected), strict=True
    ):
        np.testing.assert_array_equal(g, e)


@pytest.mark.parametrize("key", [None, jax.random.key(5)])
def test_scan_epoch_hands_each_step_its_batch_whatever_the_shapes(key):
    """Images (N, 2, 3) and one-hot labels (N, 4): each step gets the batch it should."""
    images = jax.random.normal(jax.random.key(0), (30, 2, 3))
    labels = jax.nn.one_hot(jnp.arange(30) % 4, 4)

    def step(count, x, y):  # records what it was given
        return count + 1, (x, y)

    count, seen_images, seen_labels = scan_epoch(step, 0, images, labels, 7, key)
    idx = np.arange(28).reshape(4, 7) if key is None else batch_indices(30, 7, key)
    assert count == 4
    np.testing.assert_array_equal(seen_images, np.asarray(images)[idx])
    np.testing.assert_array_equal(seen_labels, np.asarray(labels)[idx])
