"""Self-checks of chapter 10, from scratch to Flax NNX and Optax.

Flax and Optax are imported when a check runs, not when :mod:`helpers.checks` is imported:
the course's other chapters do not need them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ..model import mlp_forward
from ..updates import momentum_init, momentum_update
from .answers import call_answer, expect_close, require_callable
from .ch10_models import model as _model
from .compare import compare
from .core import CheckResult, Problem, check, passed
from .describe import describe, is_params
from .library_use import refers_to


def _variable_leaves(result: Any) -> str | None:
    """Where ``result`` (a list of layers) holds an ``nnx.Variable`` instead of an array."""
    from flax import nnx

    if not isinstance(result, (list, tuple)):
        return None
    for i, layer in enumerate(result):
        items = layer if isinstance(layer, (list, tuple)) else [layer]
        for name, item in zip(("W", "b"), items):
            if isinstance(item, nnx.Variable):
                return f"layer {i}, {name} is an nnx.{type(item).__name__}"
    return None


@check
def check_to_params(fn: Callable) -> CheckResult:
    """Exercise ex-10-to-params: ``fn(model)``, for a Module built by the chapter's ``MLP``,
    returns its parameters as the course's list of ``(W, b)`` tuples of plain arrays, ``W`` of
    shape ``(in, out)``, so that ``mlp_forward(fn(model), x)`` equals ``model(x)``."""
    require_callable(fn, "to_params")
    cases = [([3, 4, 2], 0), ([5, 8, 6, 3], 1), ([784, 16, 10], 2)]
    for sizes, seed in cases:
        model = _model(sizes, seed)
        expected = [(layer.kernel[...], layer.bias[...]) for layer in model.layers]
        call = f"to_params(MLP({sizes}, ...))"
        got = call_answer(call, fn, (model,))
        variable = _variable_leaves(got)
        if variable:
            raise Problem(
                f"{call}: {variable}, the Flax variable that holds the array; return the "
                "array itself, layer.kernel[...] (and layer.bias[...])"
            )
        got = _as_layer_list(got)
        problem = compare(got, expected, atol=0.0, rtol=0.0)
        if problem and isinstance(got, list) and not is_params(got) and len(got) == len(expected):
            problem = (
                "return a list of (W, b) pairs, one per layer: the items of your list are "
                f"not pairs of two arrays (the first is {describe(got[0])})"
            )
        elif problem and "the shape differs" in problem and _transposed(got, expected):
            problem += (
                "; nnx.Linear's kernel already has shape (in, out), like our W: "
                "no transpose is needed"
            )
        if problem:
            raise Problem(f"{call}: {problem}")
        x = jnp.asarray(np.random.default_rng(seed).uniform(size=(4, sizes[0])), jnp.float32)
        expect_close(f"mlp_forward({call}, x)", mlp_forward(got, x), model(x), 1e-6, 1e-6)
    return passed(
        f"to_params returns the (W, b) arrays of every layer, for all {len(cases)} networks."
    )


def _as_layer_list(got: Any) -> Any:
    """The course's list of ``(W, b)`` tuples when ``got`` is a list or tuple of two-item lists
    or tuples (``mlp_forward`` accepts all of them); ``got`` unchanged otherwise."""
    if isinstance(got, (list, tuple)) and all(
        isinstance(layer, (list, tuple)) and len(layer) == 2 for layer in got
    ):
        return [tuple(layer) for layer in got]
    return got


def _transposed(got: Any, expected: list) -> bool:
    """Whether some ``W`` of ``got`` has the transposed shape of the expected one."""
    try:
        return any(
            np.shape(g[0]) == np.shape(e[0])[::-1] for g, e in zip(got, expected, strict=False)
        )
    except (TypeError, IndexError, KeyError):
        return False


def _velocity_steps(gradients: list, beta: float) -> list:
    """The reference: chapter 8's velocity after each step."""
    velocity, out = momentum_init(gradients[0]), []
    for grads in gradients:
        velocity = jax.tree_util.tree_map(lambda v, g: beta * v + g, velocity, grads)
        out.append(velocity)
    return out


def _transformation(fn: Callable, beta: float) -> Any:
    call = f"scale_by_velocity({beta})"
    tx = call_answer(call, fn, (beta,))
    if not (callable(getattr(tx, "init", None)) and callable(getattr(tx, "update", None))):
        raise Problem(
            f"{call} returned {describe(tx)}; return an "
            "optax.GradientTransformation(init, update) made of your two functions"
        )
    return tx


def _optax_problem(fn: Callable, tx: Any) -> None:
    """Refuse Optax's own velocity (``optax.trace``), right by construction."""
    import optax  # chapter 10's library, imported when its check runs

    library = [getattr(part, "__module__", "") or "" for part in (tx.init, tx.update)]
    if any(m.split(".")[0] == "optax" for m in library) or refers_to(fn, optax.trace):
        raise Problem(
            "scale_by_velocity returns Optax's own transformation (optax.trace computes this "
            "velocity): write init and update yourself, the exercise is to build it"
        )


def _update_pair(result: Any, call: str) -> tuple[Any, Any]:
    if not isinstance(result, tuple) or len(result) != 2:
        raise Problem(
            f"{call} returned {describe(result)}; return a tuple (updates, new_state), "
            "here (new_velocity, new_velocity)"
        )
    return result


def _scale(got: Any, expected: Any) -> float | None:
    """The number ``k`` with ``got == k * expected`` for every leaf, if there is one."""
    try:
        g = np.concatenate([np.ravel(x) for x in jax.tree_util.tree_leaves(got)])
        e = np.concatenate([np.ravel(x) for x in jax.tree_util.tree_leaves(expected)])
        k = float(g @ e / (e @ e))
    except (TypeError, ValueError):
        return None
    return k if g.shape == e.shape and np.allclose(g, k * e, atol=1e-6) else None


def _velocity_hint(got: Any, expected: Any, previous: Any, grads: Any, beta: float) -> str | None:
    """Name a classic mistake when the updates are a known wrong value."""

    def close(a: Any, b: Any) -> bool:
        return compare(a, b, atol=1e-6, rtol=1e-5) is None

    if close(got, previous):
        return "the updates are the velocity before this step: return the new velocity"
    average = jax.tree_util.tree_map(lambda v, g: beta * v + (1 - beta) * g, previous, grads)
    if close(got, average):
        return (
            "the velocity adds the gradient itself, beta * v + g, not (1 - beta) * g: "
            "that is a running average, as in Adam"
        )
    k = _scale(got, expected)
    if k is not None and abs(k - 1) > 1e-3:
        return (
            f"the updates are {k:.3g} times the new velocity: return the velocity itself; "
            "the minus sign and the learning rate come from optax.scale(-lr), after it in "
            "the chain"
        )
    return None


def _same_leaves(call: str, got: Any, expected: Any) -> None:
    """``got`` holds the arrays of ``expected`` (any container: a dict, optax.TraceState ...)."""
    leaves, wanted = jax.tree_util.tree_leaves(got), jax.tree_util.tree_leaves(expected)
    if [np.shape(x) for x in leaves] != [np.shape(x) for x in wanted]:
        raise Problem(
            f"{call}: expected a velocity shaped like params ({describe(expected)} with arrays "
            f"of shapes {', '.join(str(np.shape(x)) for x in wanted)}), got {describe(got)}"
        )
    expect_close(call, leaves, wanted, 1e-6, 1e-5)


@check
def check_scale_by_velocity(fn: Callable) -> CheckResult:
    """Exercise ex-10-velocity: ``fn(beta)`` returns an ``optax.GradientTransformation``
    whose state is a velocity (zeros like the parameters at first) and whose
    ``update(grads, velocity, params=None)`` returns ``(v, v)`` with ``v = beta * velocity +
    grads``; chained with ``optax.scale(-lr)`` it is ``helpers.momentum_update``."""
    import optax

    require_callable(fn, "scale_by_velocity")
    params = {
        "w": jnp.array([[1.0, -2.0], [0.5, 3.0]]),
        "b": jnp.array([0.1, -0.1]),
    }
    gradients = [
        {"w": jnp.array([[0.2, -1.0], [4.0, 0.0]]), "b": jnp.array([-0.3, 0.05])},
        {"w": jnp.array([[0.1, 0.5], [-2.0, 1.0]]), "b": jnp.array([0.2, 0.0])},
        {"w": jnp.array([[-0.4, 0.3], [1.0, -1.0]]), "b": jnp.array([0.0, 0.5])},
    ]
    for beta in (0.9, 0.5):
        tx = _transformation(fn, beta)
        name = f"scale_by_velocity({beta})"
        state = call_answer(f"{name}.init(params)", tx.init, (params,))
        _same_leaves(f"{name}.init(params), zeros like params", state, momentum_init(params))
        previous = momentum_init(params)
        for step, (grads, expected) in enumerate(
            zip(gradients, _velocity_steps(gradients, beta)), start=1
        ):
            call = f"step {step}: {name}.update(grads, state, params)"
            updates, state = _update_pair(
                call_answer(call, tx.update, (grads, state, params)), call
            )
            hint = _velocity_hint(updates, expected, previous, grads, beta)
            if hint:
                raise Problem(f"{call}: {hint}")
            expect_close(f"{call}, the updates", updates, expected, 1e-6, 1e-5)
            _same_leaves(f"{call}, the new state", state, expected)
            previous = expected
    # The whole optimizer, compiled, against chapter 8's momentum_update.
    lr, beta = 0.1, 0.9
    velocity = _transformation(fn, beta)
    momentum = optax.chain(velocity, optax.scale(-lr))
    call = f"jax.jit of optax.chain(scale_by_velocity({beta}), optax.scale(-{lr})).update"
    update = jax.jit(momentum.update)
    ours, ours_state = params, momentum_init(params)
    theirs, theirs_state = params, momentum.init(params)
    for grads in gradients:
        ours, ours_state = momentum_update(ours, grads, ours_state, lr, beta)
        updates, theirs_state = _update_pair(
            call_answer(call, update, (grads, theirs_state, theirs)), call
        )
        theirs = optax.apply_updates(theirs, updates)
    expect_close(f"params after {len(gradients)} steps with {call}", theirs, ours, 1e-6, 1e-5)
    _optax_problem(fn, velocity)
    return passed(
        "scale_by_velocity gives chapter 8's velocity for beta 0.9 and 0.5, and chained "
        "with optax.scale(-lr) it follows helpers.momentum_update, also under jax.jit."
    )
