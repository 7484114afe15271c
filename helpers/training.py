"""Training a classifier fast: one ``jax.jit``, one ``jax.lax.scan`` per epoch.

Built in chapter 6 (``jit``), where ``scan_epoch`` is written inline with the
same signature and ``train_epoch`` is the chapter's ``fused_epoch``; used from
chapter 7 (MNIST) on. The epoch is a single compiled XLA program: Python runs
once per epoch, not once per batch.

Shapes: ``images (N, D)`` float32, ``labels (N,)`` integer class indices.
An epoch takes ``N // batch_size`` full batches (:mod:`helpers.batches` cuts
them; the last partial batch is dropped).

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

from ._step_check import checked
from ._validate import (
    as_array,
    check_class_labels,
    check_int,
    check_key,
    check_nonempty,
    check_number,
)
from .batches import _check_batching, batch_indices, check_label_indices
from .losses import accuracy, softmax_cross_entropy
from .model import Params, mlp_forward, validate_params
from .updates import sgd_update

PyTree = Any


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
    check_label_indices(fn, labels, images.shape[0])
    if labels.shape != images.shape[:1]:
        raise ValueError(
            f"{fn}: {images.shape[0]} images but labels of shape "
            f"{tuple(labels.shape)}; expected one label per image."
        )
    check_nonempty(fn, "images", images)
    check_class_labels(fn, labels, n_classes)  # one min/max pass, skipped under jit
    return images, labels


def loss_and_logits(params: Params, images: jax.Array, labels: jax.Array):
    """Mean softmax cross entropy of the MLP on a batch, and its logits: ``(loss, logits)``.

    The form ``jax.value_and_grad(loss_and_logits, has_aux=True)`` wants: the loss to
    differentiate, and the logits carried along for the accuracy (chapters 4 to 6 build it).
    """
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

    Checks shapes and ``batch_size``, what ``step`` returns (while tracing), and
    (outside ``jit``) that integer labels
    are not negative; ``step`` decides what a label means, so the upper bound is
    its loss's business (``train_epoch`` checks it for the MLP).
    """
    images, labels = (
        as_array("scan_epoch", "images", images),
        as_array("scan_epoch", "labels", labels),
    )
    batch_size = _check_batching("scan_epoch", images, labels, batch_size)
    if key is not None:
        check_key("scan_epoch", key)
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

    checked_step = checked("scan_epoch", step)  # a wrong output: one line, not scan's dump

    def body(state, batch):
        at, batch_labels = batch
        return checked_step(state, image_batch(at), batch_labels)

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
    check_number("train_epoch", "lr", lr, "0.1")  # jit would refuse a string with a dump
    batch_size = check_int("train_epoch", "batch_size", batch_size, 1, images.shape[0])
    if key is not None:
        check_key("train_epoch", key)  # before jit turns an int seed into an int32 array
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
    """Predicted class of every image: ``(N,)`` int32, the argmax of the network's logits.

    A network with one output (a binary classifier) is refused: an argmax over one logit is
    always class 0; its prediction is ``mlp_forward(params, images)[:, 0] > 0``."""
    logits = mlp_forward(params, images)
    if logits.shape[-1] == 1:
        raise ValueError(
            f"predict: the network has one output (logits of shape {tuple(logits.shape)}), so an "
            "argmax would always pick class 0. For a binary classifier, predict class 1 where "
            "the logit is positive: mlp_forward(params, images)[:, 0] > 0."
        )
    return jnp.argmax(logits, axis=-1).astype(jnp.int32)
