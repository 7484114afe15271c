"""What :func:`helpers.scan_epoch` checks in the step it is given, while tracing.

``lax.scan`` refuses a body whose output has the wrong structure with a dump of pytrees and
types; a learner's step gets one line instead, naming what came back and what should.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp

FORM = "step(state, batch_images, batch_labels) should return (new_state, (loss, accuracy))"


def _is_pair(x: Any) -> bool:
    return isinstance(x, (tuple, list)) and len(x) == 2


def _what(x: Any) -> str:
    if isinstance(x, (tuple, list)):
        return f"a {type(x).__name__} of {len(x)} items"
    if x is None or not hasattr(x, "shape"):
        return repr(x) if x is None else type(x).__name__
    return f"an array of shape {tuple(x.shape)}"


def _type(x: Any) -> str:
    return f"{jnp.result_type(x).name}{list(jnp.shape(x))}"


def _weak(x: Any) -> bool:  # lax.scan promotes a weakly typed carry (a Python 0) itself
    return bool(getattr(getattr(x, "aval", None), "weak_type", False))


def step_problem(state: Any, out: Any) -> str | None:
    """What is wrong with ``out = step(state, ...)`` for ``lax.scan``, or ``None``."""
    structure = jax.tree_util.tree_structure(state)
    if jax.tree_util.tree_structure(out) == structure:
        return "it returned only the new state"
    if not _is_pair(out):
        return f"it returned {_what(out)}"
    new_state, metrics = out
    if jax.tree_util.tree_structure(metrics) == structure and _is_pair(new_state):
        return "it returned the pair in the wrong order, the new state second"
    if not _is_pair(metrics):
        return f"its second item is {_what(metrics)}, not a pair (loss, accuracy)"
    if jax.tree_util.tree_structure(new_state) != structure:
        return (
            f"the new state is {jax.tree_util.tree_structure(new_state)}, "
            f"not the state's structure {structure}"
        )
    olds = jax.tree_util.tree_flatten_with_path(state)[0]
    for (path, old), new in zip(olds, jax.tree_util.tree_leaves(new_state), strict=True):
        changed = jnp.shape(old) != jnp.shape(new) or (
            jnp.result_type(old) != jnp.result_type(new) and not _weak(old)
        )
        if changed:
            return (
                f"it changed the state at {jax.tree_util.keystr(path) or 'its root'} from "
                f"{_type(old)} to {_type(new)}; each array of the state must keep its shape "
                "and dtype from step to step"
            )
    return None


def checked(fn: str, step: Callable) -> Callable:
    """``step`` with its output checked (once, while ``lax.scan`` traces it)."""

    def run(state: Any, batch_images: Any, batch_labels: Any) -> Any:
        out = step(state, batch_images, batch_labels)
        problem = step_problem(state, out)
        if problem:
            raise TypeError(f"{fn}: {FORM}, but {problem}.")
        return out

    return run
