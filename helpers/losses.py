"""Loss functions and accuracy, written to stay finite for any logits."""
from __future__ import annotations

import jax
import jax.numpy as jnp


def _check_same_shape(name: str, a: jax.Array, b: jax.Array, a_name: str, b_name: str) -> None:
    if jnp.shape(a) != jnp.shape(b):
        raise ValueError(
            f"{name}: {a_name} has shape {tuple(jnp.shape(a))} but {b_name} has shape "
            f"{tuple(jnp.shape(b))}; they must match (reshape one, e.g. logits[:, 0] or "
            "targets.reshape(-1, 1))."
        )


def mse(pred: jax.Array, target: jax.Array) -> jax.Array:
    """Mean squared error over all elements; ``pred`` and ``target`` share a shape."""
    _check_same_shape("mse", pred, target, "pred", "target")
    return jnp.mean((pred - target) ** 2)


def binary_cross_entropy_with_logits(logits: jax.Array, targets: jax.Array) -> jax.Array:
    """Mean binary cross entropy from logits, finite for any logit.

    ``logits`` and ``targets`` (0 or 1) share a shape, e.g. ``(N,)``.
    Uses ``log sigmoid(z)`` and ``log(1 - sigmoid(z)) = log sigmoid(-z)``,
    which never take the log of a rounded-to-zero probability.
    """
    _check_same_shape("binary_cross_entropy_with_logits", logits, targets, "logits", "targets")
    return -jnp.mean(targets * jax.nn.log_sigmoid(logits) + (1 - targets) * jax.nn.log_sigmoid(-logits))


def _check_labels(name: str, logits: jax.Array, labels: jax.Array) -> None:
    if logits.ndim != 2 or labels.shape != logits.shape[:1]:
        raise ValueError(
            f"{name}: expected logits of shape (N, classes) and integer labels of shape (N,), "
            f"got logits {tuple(logits.shape)} and labels {tuple(labels.shape)}."
        )
    if not jnp.issubdtype(labels.dtype, jnp.integer):
        raise ValueError(
            f"{name}: labels must be integer class indices, got dtype {labels.dtype}; "
            "convert one-hot targets with labels = targets.argmax(axis=1)."
        )


def softmax_cross_entropy(logits: jax.Array, labels: jax.Array) -> jax.Array:
    """Mean cross entropy of ``logits (N, C)`` against integer ``labels (N,)``.

    ``log_softmax`` subtracts the row maximum first, so logits in the
    thousands do not overflow.
    """
    _check_labels("softmax_cross_entropy", logits, labels)
    log_probs = jax.nn.log_softmax(logits, axis=-1)
    return -jnp.mean(jnp.take_along_axis(log_probs, labels[:, None], axis=-1))


def accuracy(logits: jax.Array, labels: jax.Array) -> jax.Array:
    """Fraction of correct predictions.

    Two cases: ``logits (N, C)`` with integer ``labels (N,)`` (the argmax
    class is the prediction), or binary ``logits (N,)`` with 0/1
    ``labels (N,)`` (a positive logit predicts 1).
    """
    if logits.ndim == 1:
        _check_same_shape("accuracy", logits, labels, "logits", "labels")
        return jnp.mean((logits > 0) == (labels > 0.5))
    _check_labels("accuracy", logits, labels)
    return jnp.mean(jnp.argmax(logits, axis=-1) == labels)
