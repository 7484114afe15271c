"""Parameter updates as pure functions over pytrees.

Every update maps every leaf of ``params`` with ``jax.tree_util.tree_map``,
so it works for any nesting of arrays (our list of ``(W, b)`` tuples or
anything else). Optimizers with memory (momentum, Adam) keep it in a *state*
pytree: ``state = <name>_init(params)`` once, then each step
``params, state = <name>_update(params, grads, state, lr)``.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from ._validate import check_number, check_same_tree

PyTree = Any


def sgd_update(params: PyTree, grads: PyTree, lr: float) -> PyTree:
    """One step of gradient descent: ``p - lr * g`` for every leaf.

    ``grads`` must have the structure and leaf shapes of ``params`` (as
    ``jax.grad`` returns them): a gradient of another shape would broadcast
    and silently change the parameter's shape.
    """
    check_same_tree("sgd_update", params, grads, "grads")
    check_number("sgd_update", "lr", lr, "0.1")
    return jax.tree_util.tree_map(lambda p, g: p - lr * g, params, grads)


def momentum_init(params: PyTree) -> PyTree:
    """The momentum state: a velocity of zeros shaped like ``params``."""
    return jax.tree_util.tree_map(jnp.zeros_like, params)


def momentum_update(
    params: PyTree, grads: PyTree, state: PyTree, lr: float, beta: float = 0.9
) -> tuple[PyTree, PyTree]:
    """One step of SGD with (heavy-ball) momentum; returns ``(new_params, new_state)``.

    For every leaf: ``v = beta * v + g`` then ``p = p - lr * v``. This is the
    convention of ``optax.sgd(lr, momentum=beta)`` and of PyTorch's SGD (the
    velocity accumulates raw gradients, ``lr`` is applied afterwards), so the
    two give the same numbers. ``state`` comes from :func:`momentum_init`.
    """
    check_same_tree("momentum_update", params, grads, "grads")
    check_same_tree("momentum_update", params, state, "state")
    check_number("momentum_update", "lr", lr, "0.01")
    check_number("momentum_update", "beta", beta, "0.9")
    velocity = jax.tree_util.tree_map(lambda v, g: beta * v + g, state, grads)
    new_params = jax.tree_util.tree_map(lambda p, v: p - lr * v, params, velocity)
    return new_params, velocity


def adam_init(params: PyTree) -> dict:
    """The Adam state: ``{"count": 0, "mu": zeros, "nu": zeros}``, with ``mu`` and ``nu``
    shaped like ``params``."""
    zeros = lambda: jax.tree_util.tree_map(jnp.zeros_like, params)  # noqa: E731
    return {"count": jnp.zeros((), jnp.int32), "mu": zeros(), "nu": zeros()}


def adam_update(
    params: PyTree,
    grads: PyTree,
    state: dict,
    lr: float,
    b1: float = 0.9,
    b2: float = 0.999,
    eps: float = 1e-8,
) -> tuple[PyTree, dict]:
    """One step of Adam (Kingma & Ba, 2015); returns ``(new_params, new_state)``.

    For every leaf, with ``t`` the step number starting at 1:
    ``m = b1 m + (1 - b1) g``, ``v = b2 v + (1 - b2) g**2`` (running averages of
    the gradient and of its square), the bias-corrected ``m_hat = m / (1 - b1**t)``,
    ``v_hat = v / (1 - b2**t)``, then ``p = p - lr * m_hat / (sqrt(v_hat) + eps)``.
    The same formula as ``optax.adam``. ``state`` comes from :func:`adam_init`.
    """
    if not isinstance(state, dict) or set(state) != {"count", "mu", "nu"}:
        raise ValueError(
            "adam_update: state must be the dict made by adam_init(params), "
            "with keys 'count', 'mu' and 'nu'."
        )
    check_same_tree("adam_update", params, grads, "grads")
    check_same_tree("adam_update", params, state["mu"], "state['mu']")
    check_same_tree("adam_update", params, state["nu"], "state['nu']")
    for name, value, example in (("lr", lr, "1e-3"), ("b1", b1, "0.9"), ("b2", b2, "0.999")):
        check_number("adam_update", name, value, example)
    check_number("adam_update", "eps", eps, "1e-8")
    count = jnp.asarray(state["count"])  # a Python int is a fine step count too
    if count.ndim != 0 or not jnp.issubdtype(count.dtype, jnp.integer):
        raise ValueError(
            f"adam_update: state['count'] must be the integer number of steps "
            f"taken (adam_init starts it at 0), got {state['count']!r}."
        )
    tree_map = jax.tree_util.tree_map
    count = count.astype(jnp.int32) + 1
    mu = tree_map(lambda m, g: b1 * m + (1 - b1) * g, state["mu"], grads)
    nu = tree_map(lambda v, g: b2 * v + (1 - b2) * g * g, state["nu"], grads)
    t = count.astype(jnp.float32)
    correction1 = 1 - b1**t
    correction2 = 1 - b2**t
    new_params = tree_map(
        lambda p, m, v: p - lr * (m / correction1) / (jnp.sqrt(v / correction2) + eps),
        params,
        mu,
        nu,
    )
    return new_params, {"count": count, "mu": mu, "nu": nu}
