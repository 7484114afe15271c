"""A multi-layer perceptron as a plain pytree: a list of ``(W, b)`` tuples.

``W`` has shape ``(in, out)`` so a batch ``x`` of shape ``(N, in)`` maps to
``x @ W + b`` of shape ``(N, out)``: the same code handles one example
(shape ``(in,)``) and a batch.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp

from ._validate import as_array, check_int, check_key, is_concrete, key_batch_shape

Params = list[tuple[jax.Array, jax.Array]]


def _check_scale(scale: Any) -> None:
    if scale is None or not is_concrete(scale):
        return
    try:  # a number, a NumPy scalar or a 0-d array; not a string like "0.1"
        value = math.nan if isinstance(scale, (str, bytes)) else float(scale)
    except (TypeError, ValueError):
        value = math.nan
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(
            f"init_mlp: scale must be a finite number >= 0 (the standard deviation of the "
            f"weights), or None for He initialisation; got scale={scale!r}."
        )


def init_mlp(key: jax.Array, sizes: Sequence[int], scale: float | None = 0.1) -> Params:
    """Random parameters for an MLP with layer widths ``sizes``.

    ``sizes = [2, 16, 1]`` gives two layers: ``W1 (2, 16), b1 (16,)`` and
    ``W2 (16, 1), b2 (1,)``. Weights are ``scale * normal``; with
    ``scale=None`` each layer uses He initialisation, ``sqrt(2 / fan_in)``,
    which keeps ReLU activations at a steady size through depth.
    Biases start at zero.
    """
    # init_mlp([2, 16, 1], key): the arguments swapped
    if key_batch_shape(sizes) is not None and key_batch_shape(key) is None:
        raise TypeError(
            f"init_mlp: sizes is a random key and key is {type(key).__name__} {key!r:.40}: "
            "the arguments are swapped; the order is init_mlp(key, sizes), e.g. "
            "init_mlp(jax.random.key(0), [2, 16, 1])."
        )
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__iter__"):
        raise ValueError(
            f"init_mlp: sizes must be a list of layer widths such as [2, 16, 1], got {sizes!r}."
        )
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(
            f"init_mlp needs at least two layer sizes (inputs and outputs), got sizes={sizes}; "
            "for example sizes=[2, 16, 1]."
        )
    widths = []
    for size in sizes:  # NumPy integers (e.g. from an array of widths) are integers too
        try:
            widths.append(check_int("init_mlp", "a layer size", size, 1))
        except ValueError:
            raise ValueError(
                f"init_mlp: every layer size must be a positive integer, got "
                f"{size!r} in sizes={sizes}."
            ) from None
    sizes = widths
    _check_scale(scale)
    check_key("init_mlp", key)
    keys = jax.random.split(key, len(sizes) - 1)
    params = []
    for layer_key, n_in, n_out in zip(keys, sizes[:-1], sizes[1:], strict=True):
        std = jnp.sqrt(2.0 / n_in) if scale is None else scale
        W = std * jax.random.normal(layer_key, (n_in, n_out), dtype=jnp.float32)
        b = jnp.zeros((n_out,), dtype=jnp.float32)
        params.append((W, b))
    return params


def validate_params(fn: str, params: Any) -> int:
    """Raise a clear error unless ``params`` is a non-empty list of chained ``(W, b)``
    layers, as :func:`init_mlp` makes; return the number of outputs."""
    expected = f"{fn}: params must be a list of (W, b) layers, as init_mlp returns"
    if not isinstance(params, (list, tuple)) or not params:
        got = "an empty list" if isinstance(params, (list, tuple)) else f"a {type(params).__name__}"
        raise ValueError(f"{expected}; got {got}.")
    n_out = None
    for i, layer in enumerate(params):
        if hasattr(layer, "shape"):  # a bare (W, b) gives W here: its rows are not layers
            raise ValueError(
                f"{expected}; layer {i} is an array of shape {tuple(layer.shape)}, "
                "not a (W, b) pair. A single layer goes in a list: [(W, b)]."
            )
        if not isinstance(layer, (list, tuple)) or len(layer) != 2:
            raise ValueError(f"{expected}; layer {i} is {type(layer).__name__} {layer!r:.60}.")
        W, b = layer
        for name, leaf in (("W", W), ("b", b)):
            if not hasattr(leaf, "shape"):  # a nested list: `x @ W` would fail deep inside
                raise ValueError(
                    f"{expected}; layer {i}'s {name} is a {type(leaf).__name__}, not an "
                    f"array: make it one with jnp.array(...)."
                )
        w_shape, b_shape = jnp.shape(W), jnp.shape(b)
        if len(w_shape) != 2 or b_shape != w_shape[1:]:
            raise ValueError(
                f"{expected}; layer {i} has W of shape {w_shape} and b of shape "
                f"{b_shape}, expected W (in, out) and b (out,)."
            )
        if n_out is not None and w_shape[0] != n_out:
            raise ValueError(
                f"{fn}: layer {i - 1} outputs {n_out} values but layer {i}'s W has "
                f"shape {w_shape}; it needs {n_out} rows."
            )
        n_out = w_shape[1]
    return n_out


def mlp_forward(params: Params, x: jax.Array) -> jax.Array:
    """Logits of the MLP: ReLU on hidden layers, a linear output layer.

    ``x`` is one example of shape ``(in,)`` or a batch of shape ``(N, in)``,
    of a floating-point dtype (scale raw pixels first); the result has shape
    ``(out,)`` or ``(N, out)``.
    """
    validate_params("mlp_forward", params)
    x = as_array("mlp_forward", "x", x)
    n_in = jnp.shape(params[0][0])[0]
    if x.ndim not in (1, 2) or x.shape[-1] != n_in:
        raise ValueError(
            f"mlp_forward expected inputs of shape ({n_in},) or (N, {n_in}) for a network "
            f"with {n_in} inputs, got shape {tuple(x.shape)}."
        )
    if not jnp.issubdtype(x.dtype, jnp.floating):
        raise ValueError(
            f"mlp_forward: x must hold floating-point numbers, got dtype {x.dtype}. Convert it, "
            "e.g. x.astype(jnp.float32); raw pixels 0-255 also need scaling: "
            "x.astype(jnp.float32) / 255 (load_mnist already returns floats in [0, 1])."
        )
    *hidden, (W_out, b_out) = params
    for W, b in hidden:
        x = jax.nn.relu(x @ W + b)
    return x @ W_out + b_out
