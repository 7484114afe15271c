"""Cutting a data set into the batches of an epoch, in order or shuffled.

An epoch takes ``N // batch_size`` full batches; the last partial batch is dropped (for
MNIST's 60,000 images and batch 64: 937 steps, 32 images left out, a different 32 each epoch
when shuffling). :func:`batch_indices` says which examples each batch holds (what
:func:`helpers.scan_epoch` walks over); :func:`make_batches` copies them out.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from ._validate import as_array, check_int, check_key, check_nonempty


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


def check_label_indices(fn: str, labels, n: int) -> None:
    """One class index per example, shape ``(n,)``; one-hot rows get the ``argmax`` fix."""
    if labels.ndim != 1:
        raise ValueError(
            f"{fn}: labels should be one class index per example, shape ({n},), got shape "
            f"{tuple(labels.shape)}; for one-hot labels, pass jnp.argmax(labels, axis=1)."
        )


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
    ``tests/helpers/test_batches.py`` checks that the two agree.
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
    """Example indices of each batch of an epoch, shape ``(n // batch_size, batch_size)``.

    ``0, 1, 2, ...`` in order, or shuffled with a ``key``: the order
    ``jax.random.permutation(key, n)`` gives, computed about three times faster on a CPU. The
    last ``n % batch_size`` indices are dropped. ``n`` and ``batch_size`` are Python integers
    (static under ``jax.jit``), with ``1 <= batch_size <= n``. Chapter 10 shuffles its Flax
    epoch with it.
    """
    fn = "batch_indices"
    n = check_int(fn, "n (the number of examples, e.g. len(images))", n, 1)
    batch_size = check_int(fn, "batch_size", batch_size, 1)
    if batch_size > n:  # batch_indices(64, 60000): an epoch with no step
        raise ValueError(
            f"{fn}: batch_size {batch_size} is larger than n = {n} examples, so the epoch "
            "would have no batch; the order is batch_indices(n, batch_size), with batch_size "
            "from 1 to n."
        )
    steps = n // batch_size
    if key is not None:
        check_key("batch_indices", key)  # an int seed would fail deep inside the permutation
    order = jnp.arange(n) if key is None else _permutation(key, n)
    return order[: steps * batch_size].reshape(steps, batch_size)


def make_batches(
    images: jax.Array, labels: jax.Array, batch_size: int, key: jax.Array | None = None
) -> tuple[jax.Array, jax.Array]:
    """Cut ``images (N, ...)`` and ``labels (N,)`` into ``N // batch_size`` batches.

    Returns ``(steps, batch_size, ...)`` and ``(steps, batch_size)`` arrays,
    the leading axis being the one ``lax.scan`` walks over. With a ``key``
    the examples are shuffled first; without one they keep their order.
    Labels are class indices (one-hot rows are refused, with the fix).
    """
    images, labels = (
        as_array("make_batches", "images", images),
        as_array("make_batches", "labels", labels),
    )
    batch_size = _check_batching("make_batches", images, labels, batch_size)
    check_label_indices("make_batches", labels, images.shape[0])
    if key is not None:
        check_key("make_batches", key)
    steps = images.shape[0] // batch_size
    if key is None:
        keep = steps * batch_size
        return (
            images[:keep].reshape(steps, batch_size, *images.shape[1:]),
            labels[:keep].reshape(steps, batch_size),
        )
    idx = batch_indices(images.shape[0], batch_size, key)
    return jnp.take(images, idx, axis=0), jnp.take(labels, idx, axis=0)
