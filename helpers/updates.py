"""Parameter updates as pure functions over pytrees.

Every update maps every leaf of ``params`` with ``jax.tree_util.tree_map``,
so it works for any nesting of arrays (our list of ``(W, b)`` tuples or
anything else).
"""
from __future__ import annotations

from typing import Any

import jax

PyTree = Any


def sgd_update(params: PyTree, grads: PyTree, lr: float) -> PyTree:
    """One step of gradient descent: ``p - lr * g`` for every leaf."""
    return jax.tree_util.tree_map(lambda p, g: p - lr * g, params, grads)
