"""Self-checks a learner calls on their own answer to an exercise.

Each check prints one short line and returns ``True`` when the answer is
right. When it is wrong it prints what was tried, what was expected and what
came back, and returns ``False``: a hint, not a traceback.

Chapter-specific checks (``check_<what>``) are built on :func:`check_function`
and :func:`check_value` below.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import jax
import numpy as np


def _fmt(value) -> str:
    """Short, rounded text for a value (array, pytree leaf or number)."""
    with np.printoptions(precision=4, suppress=True, threshold=20):
        if isinstance(value, (list, tuple)):
            return type(value)(_fmt(v) for v in value).__repr__().replace("'", "")
        try:
            array = np.asarray(value)
        except Exception:
            return repr(value)
        if array.dtype == object:
            return repr(value)
        return np.array2string(array) if array.ndim else f"{array.item():.6g}" if array.dtype.kind == "f" else repr(array.item())


def _passed(message: str) -> bool:
    print(f"Correct: {message}")
    return True


def _failed(message: str) -> bool:
    print(f"Not quite yet: {message}")
    return False


def _compare(got, expected, atol: float, rtol: float) -> str | None:
    """``None`` if the pytrees ``got`` and ``expected`` agree, else why not."""
    got_leaves, got_tree = jax.tree_util.tree_flatten(got)
    exp_leaves, exp_tree = jax.tree_util.tree_flatten(expected)
    if got_tree != exp_tree:
        return f"the structure differs: expected {exp_tree}, got {got_tree}"
    for g, e in zip(got_leaves, exp_leaves):
        g, e = np.asarray(g), np.asarray(e)
        if g.shape != e.shape:
            return f"the shape differs: expected {e.shape}, got {g.shape}"
        if not np.allclose(g, e, atol=atol, rtol=rtol, equal_nan=True):
            return f"expected {_fmt(e)}, got {_fmt(g)}"
    return None


def check_value(name: str, got, expected, atol: float = 1e-5, rtol: float = 1e-5) -> bool:
    """Compare a computed value (array, number or pytree) with the expected one."""
    problem = _compare(got, expected, atol, rtol)
    if problem is None:
        return _passed(f"{name} is right.")
    return _failed(f"{name}: {problem}.")


def check_function(name: str, fn: Callable, reference: Callable, cases: Sequence[tuple],
                   atol: float = 1e-5, rtol: float = 1e-5) -> bool:
    """Call ``fn(*args)`` and ``reference(*args)`` for each ``args`` in ``cases``
    and report the first input where they differ."""
    if not callable(fn):
        return _failed(f"{name} should be a function, got {type(fn).__name__}.")
    for args in cases:
        shown = ", ".join(_fmt(a) for a in args)
        expected = reference(*args)
        try:
            got = fn(*args)
        except Exception as exc:  # show the learner's error as a hint
            return _failed(f"{name}({shown}) raised {type(exc).__name__}: {exc}")
        problem = _compare(got, expected, atol, rtol)
        if problem is not None:
            return _failed(f"{name}({shown}): {problem}.")
    return _passed(f"{name} matches the reference on all {len(cases)} test inputs.")


# ---------------------------------------------------------------------------
# Chapter checks. Each one names the exercise it belongs to.
# ---------------------------------------------------------------------------
