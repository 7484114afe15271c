"""The chapter-10 MLP as its checks build it: the chapter's ``MLP`` class (``nnx.Linear``
layers in ``nnx.data``), with weights that do not depend on JAX's random numbers.

Flax is imported when a model is made, not when :mod:`helpers.checks` is imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np


@cache
def _mlp_class() -> type:
    """The chapter's ``MLP``: ``nnx.Linear`` layers in a list named ``layers``, marked
    ``nnx.data`` (Flax 0.12 requires it; Flax 0.11 accepts it)."""
    from flax import nnx

    class MLP(nnx.Module):
        def __init__(self, sizes: Sequence[int], *, rngs: Any, **options: Any) -> None:
            pairs = zip(sizes[:-1], sizes[1:])
            self.layers = nnx.data([nnx.Linear(i, o, rngs=rngs, **options) for i, o in pairs])

        def __call__(self, x: jax.Array) -> jax.Array:
            *hidden, last = self.layers
            for layer in hidden:
                x = jax.nn.relu(layer(x))
            return last(x)

    return MLP


def model(sizes: list[int], seed: int) -> Any:
    """A new ``MLP`` of layer widths ``sizes`` with random weights and non-zero biases (a
    copy: the answer may change the model it is given)."""
    from flax import nnx

    return nnx.clone(_first_model(tuple(sizes), seed))


@cache
def _first_model(sizes: tuple[int, ...], seed: int) -> Any:
    """The values come from NumPy: eager JAX random numbers would compile once per shape."""
    from flax import nnx

    model = _mlp_class()(sizes, rngs=nnx.Rngs(seed), kernel_init=nnx.initializers.zeros)
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        n_in, n_out = layer.kernel.shape
        layer.kernel[...] = jnp.asarray(rng.normal(0, n_in**-0.5, (n_in, n_out)), jnp.float32)
        layer.bias[...] = jnp.asarray(rng.normal(0, 0.1, n_out), jnp.float32)
    return model
