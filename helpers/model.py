"""A multi-layer perceptron as a plain pytree: a list of ``(W, b)`` tuples.

``W`` has shape ``(in, out)`` so a batch ``x`` of shape ``(N, in)`` maps to
``x @ W + b`` of shape ``(N, out)``: the same code handles one example
(shape ``(in,)``) and a batch.
"""
from __future__ import annotations

from collections.abc import Sequence

import jax
import jax.numpy as jnp

Params = list[tuple[jax.Array, jax.Array]]


def init_mlp(key: jax.Array, sizes: Sequence[int], scale: float | None = 0.1) -> Params:
    """Random parameters for an MLP with layer widths ``sizes``.

    ``sizes = [2, 16, 1]`` gives two layers: ``W1 (2, 16), b1 (16,)`` and
    ``W2 (16, 1), b2 (1,)``. Weights are ``scale * normal``; with
    ``scale=None`` each layer uses He initialisation, ``sqrt(2 / fan_in)``,
    which keeps ReLU activations at a steady size through depth.
    Biases start at zero.
    """
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(
            f"init_mlp needs at least two layer sizes (inputs and outputs), got sizes={sizes}; "
            "for example sizes=[2, 16, 1]."
        )
    for size in sizes:
        if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
            raise ValueError(
                f"every layer size must be a positive integer, got {size!r} in sizes={sizes}."
            )
    keys = jax.random.split(key, len(sizes) - 1)
    params = []
    for layer_key, n_in, n_out in zip(keys, sizes[:-1], sizes[1:]):
        std = jnp.sqrt(2.0 / n_in) if scale is None else scale
        W = std * jax.random.normal(layer_key, (n_in, n_out), dtype=jnp.float32)
        b = jnp.zeros((n_out,), dtype=jnp.float32)
        params.append((W, b))
    return params


def mlp_forward(params: Params, x: jax.Array) -> jax.Array:
    """Logits of the MLP: ReLU on hidden layers, a linear output layer.

    ``x`` is one example of shape ``(in,)`` or a batch of shape ``(N, in)``;
    the result has shape ``(out,)`` or ``(N, out)``.
    """
    n_in = params[0][0].shape[0]
    if x.ndim not in (1, 2) or x.shape[-1] != n_in:
        raise ValueError(
            f"mlp_forward expected inputs of shape ({n_in},) or (N, {n_in}) for a network "
            f"with {n_in} inputs, got shape {tuple(x.shape)}."
        )
    *hidden, (W_out, b_out) = params
    for W, b in hidden:
        x = jax.nn.relu(x @ W + b)
    return x @ W_out + b_out
