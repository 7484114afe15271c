"""Loss functions and accuracy, written to stay finite for any logits.

Every function takes arrays or (nested) lists and refuses empty inputs, complex
numbers and mismatched shapes. Label values are checked when they can be read, outside
``jax.jit``; inside ``jit`` they cannot, and the docstrings say what a bad
label does there (``train_epoch`` and ``evaluate`` check their labels before
compiling, so it cannot happen through them).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from ._validate import (
    as_array,
    check_class_labels,
    check_nonempty,
    check_real,
    check_same_shape,
    check_unit_interval,
)


def mse(pred: jax.Array, target: jax.Array) -> jax.Array:
    """Mean squared error over all elements; ``pred`` and ``target`` share a shape.

    Integer inputs are computed in floating point: in their own dtype the difference would wrap
    around (``uint8`` 10 - 30 is 236) and the square overflow."""
    pred, target = as_array("mse", "pred", pred), as_array("mse", "target", target)
    check_real("mse", "pred", pred)
    check_real("mse", "target", target)
    check_same_shape("mse", pred, target, "pred", "target")
    check_nonempty("mse", "pred", pred)
    dtype = jnp.result_type(pred, target, jnp.float32)  # at least float32; float64 stays
    return jnp.mean((pred.astype(dtype) - target.astype(dtype)) ** 2)


def binary_cross_entropy_with_logits(logits: jax.Array, targets: jax.Array) -> jax.Array:
    """Mean binary cross entropy from logits, finite for any finite logit.

    ``logits`` and ``targets`` (0 or 1, or probabilities in [0, 1]) share a
    shape, e.g. ``(N,)``. Uses ``log sigmoid(z)`` and
    ``log(1 - sigmoid(z)) = log sigmoid(-z)``, which never take the log of a
    rounded-to-zero probability. A logit of ``+inf`` (``-inf``) costs 0 when
    the target is 1 (0) and ``inf`` when it is 0 (1). Targets outside [0, 1]
    raise a ``ValueError``; inside ``jax.jit`` they cannot be checked and give
    a meaningless (possibly negative) loss.
    """
    fn = "binary_cross_entropy_with_logits"
    logits, targets = as_array(fn, "logits", logits), as_array(fn, "targets", targets)
    check_real(fn, "logits", logits)
    check_real(fn, "targets", targets)
    check_same_shape(fn, logits, targets, "logits", "targets")
    check_nonempty(fn, "logits", logits)
    check_unit_interval(fn, "targets", targets)
    # where, not a product alone: a zero weight times log sigmoid(-inf) = -inf would be nan.
    positive = jnp.where(targets == 0, 0.0, targets * jax.nn.log_sigmoid(logits))
    negative = jnp.where(targets == 1, 0.0, (1 - targets) * jax.nn.log_sigmoid(-logits))
    return -jnp.mean(positive + negative)


def _check_logits_and_labels(fn: str, logits: jax.Array, labels: jax.Array) -> None:
    check_real(fn, "logits", logits)
    if logits.ndim != 2 or labels.shape != logits.shape[:1]:
        raise ValueError(
            f"{fn}: expected logits of shape (N, classes) and integer labels of shape (N,), "
            f"got logits {tuple(logits.shape)} and labels {tuple(labels.shape)}."
        )
    check_nonempty(fn, "logits", logits)
    check_class_labels(fn, labels, logits.shape[1])


def softmax_cross_entropy(logits: jax.Array, labels: jax.Array) -> jax.Array:
    """Mean cross entropy of ``logits (N, C)`` against integer ``labels (N,)``.

    ``log_softmax`` subtracts the row maximum first, so logits in the
    thousands do not overflow. A label outside ``0 .. C-1`` raises a
    ``ValueError``; inside ``jax.jit`` it cannot be checked: a label ``>= C``
    makes the loss ``nan`` and a label ``-1`` is read as class ``C-1``.
    """
    logits = as_array("softmax_cross_entropy", "logits", logits)
    labels = as_array("softmax_cross_entropy", "labels", labels)
    _check_logits_and_labels("softmax_cross_entropy", logits, labels)
    log_probs = jax.nn.log_softmax(logits, axis=-1)
    return -jnp.mean(jnp.take_along_axis(log_probs, labels[:, None], axis=-1))


def accuracy(logits: jax.Array, labels: jax.Array) -> jax.Array:
    """Fraction of correct predictions.

    Two cases: ``logits (N, C)`` with integer ``labels (N,)`` (the argmax
    class is the prediction), or binary ``logits (N,)`` with 0/1
    ``labels (N,)`` (a positive logit predicts 1; for a one-output network
    pass ``logits[:, 0]``). An example whose logits hold a ``nan`` counts as
    wrong. Labels out of range raise a ``ValueError``; inside ``jax.jit``
    they cannot be checked and simply never match.
    """
    logits, labels = as_array("accuracy", "logits", logits), as_array("accuracy", "labels", labels)
    if logits.ndim == 1:
        check_real("accuracy", "logits", logits)
        check_real("accuracy", "labels", labels)
        check_same_shape("accuracy", logits, labels, "logits", "labels")
        check_nonempty("accuracy", "logits", logits)
        check_unit_interval("accuracy", "labels", labels)
        return jnp.mean(((logits > 0) == (labels > 0.5)) & ~jnp.isnan(logits))
    if logits.ndim == 2 and logits.shape[1] == 1:
        raise ValueError(
            f"accuracy: logits of shape {tuple(logits.shape)} hold one logit per example (a "
            "binary classifier), so an argmax over them always picks class 0. Pass logits[:, 0] "
            "with 0/1 labels: a positive logit then predicts 1."
        )
    _check_logits_and_labels("accuracy", logits, labels)
    correct = jnp.argmax(logits, axis=-1) == labels
    return jnp.mean(correct & ~jnp.isnan(logits).any(axis=-1))
