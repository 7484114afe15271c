"""Training a classifier fast: one ``jax.jit``, one ``jax.lax.scan`` per epoch.

Built in chapter 6 (``jit``), where ``scan_epoch`` is written inline with the
same signature and ``train_epoch`` is the chapter's ``fused_epoch``; used from
chapter 7 (MNIST) on. The epoch is a single compiled XLA program: Python runs
once per epoch, not once per batch.

Shapes: ``images (N, D)`` float32, ``labels (N,)`` integer class indices.
An epoch takes ``N // batch_size`` full batches; the last partial batch is
dropped (for MNIST's 60,000 images and batch 64: 937 steps, 32 images left out,
a different 32 each epoch when shuffling).

:func:`train_epoch` and :func:`evaluate` check their data once, before the
compiled program runs: shapes, dtypes and that every label names one of the
network's classes (a bad label would otherwise turn the loss into ``nan``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ._validate import as_array, check_class_labels, check_int, check_nonempty
from .losses import accuracy, softmax_cross_entropy
from .model import Params, mlp_forward, validate_params
from .updates import sgd_update

PyTree = Any


def _check_batching(fn: str, images, labels, batch_size: int) -> int:
    """Return ``batch_size`` as an int; static checks, so they also run under jit."""
    check_nonempty(fn, "images", images)
    n = images.shape[0]
    if labels.shape[:1] != (n,):
        raise ValueError(
            f"{fn}: {n} images but labels of shape {tuple(labels.shape)}; "
            "expected one label per image."
        )
    return check_int(fn, "batch_size", batch_size, 1, n)


def _check_data(fn: str, params: Params, images, labels) -> tuple[jax.Array, jax.Array]:
    """Check a classification data set for the MLP ``params`` once, before compiling."""
    n_classes = validate_params(fn, params)
    images, labels = as_array(fn, "images", images), as_array(fn, "labels", labels)
    if images.ndim != 2 or not jnp.issubdtype(images.dtype, jnp.floating):
        raise ValueError(
            f"{fn}: images must be floats of shape (N, features), got "
            f"{images.dtype} of shape {tuple(images.shape)}; scale raw pixels with "
            "images.astype(jnp.float32) / 255."
        )
    if labels.shape != images.shape[:1]:
        raise ValueError(
            f"{fn}: {images.shape[0]} images but labels of shape "
            f"{tuple(labels.shape)}; expected one label per image."
        )
    check_nonempty(fn, "images", images)
    check_class_labels(fn, labels, n_classes)  # one min/max pass, skipped under jit
    return images, labels


def _stable_argsort(keys: jax.Array) -> jax.Array:
    """``jnp.argsort(keys, stable=True)`` for uint32 ``keys`` of length ``n <= 2**24``.

    Built from sorts of one uint32 array, which XLA's CPU backend runs about 5x faster than the
    two-array (key, index) sort argsort needs: a radix sort, lowest digit first, where each pass
    sorts ``digit << index_bits | position`` (all distinct, so equal digits keep their order).
    """
    n = keys.shape[0]
    index_bits = max(1, (n - 1).bit_length())
    digit_bits = 32 - index_bits
    position = jnp.arange(n, dtype=jnp.uint32)
    order = jnp.arange(n, dtype=jnp.int32)
    for shift in range(0, 32, digit_bits):
        digit = (keys[order] >> shift) & ((1 << digit_bits) - 1)
        packed = jax.lax.sort((digit << index_bits) | position)
        order = order[(packed & ((1 << index_bits) - 1)).astype(jnp.int32)]
    return order


def _permutation(key: jax.Array, n: int) -> jax.Array:
    """``jax.random.permutation(key, n)``, the same indices in about a third of the time (CPU).

    The same algorithm as JAX's (``_shuffle`` in ``jax/_src/random/core.py``): a few rounds of
    a stable sort by fresh random 32-bit keys, each sort done by :func:`_stable_argsort`.
    ``tests/helpers/test_training.py`` checks that the two agree.
    """
    if n > 2**24:  # too many indices to pack beside a digit: JAX's own sort
        return jax.random.permutation(key, n)
    rounds = int(np.ceil(3 * np.log(max(1, n)) / np.log(np.iinfo(np.uint32).max)))
    order = jnp.arange(n)
    for _ in range(rounds):
        key, subkey = jax.random.split(key)
        order = order[_stable_argsort(jax.random.bits(subkey, (n,), jnp.uint32))]
    return order


def batch_indices(n: int, batch_size: int, key: jax.Array | None = None) -> jax.Array:
    """Example indices of each batch of an epoch, shape ``(n // batch_size, batch_size)``:
    ``0, 1, 2, ...`` in order, or shuffled with a ``key`` (the order
    ``jax.random.permutation(key, n)`` gives). The last ``n % batch_size`` indices are dropped."""
    steps = n // batch_size
    order = jnp.arange(n) if key is None else _permutation(key, n)
    return order[: steps * batch_size].reshape(steps, batch_size)


def make_batches(
    images: jax.Array, labels: jax.Array, batch_size: int, key: jax.Array | None = None
) -> tuple[jax.Array, jax.Array]:
    """Cut ``images (N, ...)`` and ``labels (N,)`` into ``N // batch_size`` batches.

    Returns ``(steps, batch_size, ...)`` and ``(steps, batch_size)`` arrays,
    the leading axis being the one ``lax.scan`` walks over. With a ``key``
    the examples are shuffled first; without one they keep their order.
    """
    images, labels = (
        as_array("make_batches", "images", images),
        as_array("make_batches", "labels", labels),
    )
    batch_size = _check_batching("make_batches", images, labels, batch_size)
    steps = images.shape[0] // batch_size
    if key is None:
        keep = steps * batch_size
        return (
            images[:keep].reshape(steps, batch_size, *images.shape[1:]),
            labels[:keep].reshape(steps, batch_size),
        )
    idx = batch_indices(images.shape[0], batch_size, key)
    return jnp.take(images, idx, axis=0), jnp.take(labels, idx, axis=0)


def loss_and_logits(params: Params, images: jax.Array, labels: jax.Array):
    """Mean softmax cross entropy of the MLP on a batch, and its logits (as aux)."""
    logits = mlp_forward(params, images)
    return softmax_cross_entropy(logits, labels), logits


def scan_epoch(
    step: Callable,
    state: PyTree,
    images: jax.Array,
    labels: jax.Array,
    batch_size: int,
    key: jax.Array | None = None,
):
    """Run ``step`` over every batch of an epoch with ``lax.scan``.

    ``step(state, batch_images, batch_labels) -> (state, (loss, accuracy))``
    where ``state`` is any pytree (parameters, or parameters and optimizer
    state). Returns the final state and the per-step ``losses (steps,)`` and
    ``accuracies (steps,)``. Call it inside ``jax.jit`` so the whole epoch
    compiles to one program (see :func:`train_epoch`). Chapter 6 builds it.

    Checks shapes and ``batch_size``, and (outside ``jit``) that integer labels
    are not negative; ``step`` decides what a label means, so the upper bound is
    its loss's business (``train_epoch`` checks it for the MLP).
    """
    images, labels = (
        as_array("scan_epoch", "images", images),
        as_array("scan_epoch", "labels", labels),
    )
    batch_size = _check_batching("scan_epoch", images, labels, batch_size)
    if jnp.issubdtype(labels.dtype, jnp.integer):
        check_class_labels("scan_epoch", labels, None)
    # NumPy data cannot be indexed by a tracer (the scan's step number or batch indices)
    images, labels = jnp.asarray(images), jnp.asarray(labels)
    steps = images.shape[0] // batch_size
    # The images are read where they lie, one batch per step: cutting the whole data set into
    # batches would copy it every epoch. The labels are small and are batched up front; as scan
    # inputs they also let XLA order the step's work better (measured: about 20% faster on a
    # 2-core CPU than slicing them per step).
    if key is None:
        where = jnp.arange(steps) * batch_size  # the first example of each batch
        label_batches = labels[: steps * batch_size].reshape(steps, batch_size, *labels.shape[1:])

        def image_batch(start):
            return jax.lax.dynamic_slice_in_dim(images, start, batch_size)
    else:
        where = batch_indices(images.shape[0], batch_size, key)  # the examples of each batch
        label_batches = labels[where]

        def image_batch(idx):
            return images[idx]

    def body(state, batch):
        at, batch_labels = batch
        return step(state, image_batch(at), batch_labels)

    state, (losses, accuracies) = jax.lax.scan(body, state, (where, label_batches))
    return state, losses, accuracies


def sgd_step(params: Params, images: jax.Array, labels: jax.Array, lr: float):
    """One SGD step on one batch: new params, and the batch's (loss, accuracy)
    measured with the params *before* the step."""
    (loss, logits), grads = jax.value_and_grad(loss_and_logits, has_aux=True)(
        params, images, labels
    )
    return sgd_update(params, grads, lr), (loss, accuracy(logits, labels))


@partial(jax.jit, static_argnames="batch_size")
def _train_epoch(params, images, labels, lr, batch_size, key=None):  # checked by train_epoch
    def step(params, batch_images, batch_labels):
        return sgd_step(params, batch_images, batch_labels, lr)

    return scan_epoch(step, params, images, labels, batch_size, key)


def train_epoch(
    params: Params,
    images: jax.Array,
    labels: jax.Array,
    lr: float,
    batch_size: int,
    key: jax.Array | None = None,
):
    """One epoch of minibatch SGD on the MLP, fused into one compiled program.

    Returns ``(params, losses, accuracies)``; ``losses`` and ``accuracies``
    have shape ``(N // batch_size,)``, one value per step (the batch's loss and
    accuracy just before its update). ``key`` shuffles the examples (pass a
    new key each epoch); ``None`` keeps the data order. ``batch_size`` is
    static: a new value compiles a new program. Pass ``jax.Array`` data
    (``jnp.asarray`` once, before the loop over epochs) so it is not copied
    to the device again every epoch. The data is checked first (float images
    ``(N, in)``, integer labels ``(N,)`` from 0 to the number of outputs - 1).
    """
    images, labels = _check_data("train_epoch", params, images, labels)
    batch_size = check_int("train_epoch", "batch_size", batch_size, 1, images.shape[0])
    return _train_epoch(params, images, labels, lr, batch_size, key)


@jax.jit
def _evaluate(params: Params, images: jax.Array, labels: jax.Array):
    loss, logits = loss_and_logits(params, images, labels)
    return loss, accuracy(logits, labels)


def evaluate(params: Params, images: jax.Array, labels: jax.Array):
    """Mean loss and accuracy of the MLP on a whole data set, as two scalars
    (compiled; the data is checked first, as in :func:`train_epoch`)."""
    images, labels = _check_data("evaluate", params, images, labels)
    return _evaluate(params, images, labels)


@jax.jit
def predict(params: Params, images: jax.Array) -> jax.Array:
    """Predicted class of every image: ``(N,)`` int32."""
    return jnp.argmax(mlp_forward(params, images), axis=-1).astype(jnp.int32)
