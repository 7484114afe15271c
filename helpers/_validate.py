"""Argument checks shared by the helpers, so that every message is written once.

Shapes and dtypes are known even inside ``jax.jit`` (they are static), so they are
always checked. Values are checked only when they are concrete: inside ``jit``,
``grad`` or ``vmap`` an argument is a tracer whose values do not exist yet, and the
check is skipped (each helper's docstring says what happens then).
"""

from __future__ import annotations

import math
import operator
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

Array = Any  # a jax.Array, a tracer or a NumPy array


def as_array(fn: str, name: str, x: Any) -> Array:
    """``x`` as an array: arrays and tracers pass unchanged, lists and numbers are converted."""
    if isinstance(x, (jax.Array, np.ndarray)):
        return x
    try:
        return jnp.asarray(x)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{fn}: {name} must be an array or a (nested) list of numbers, "
            f"got {type(x).__name__} ({exc})."
        ) from None


def is_concrete(x: Any) -> bool:
    """True outside tracing, where the values of ``x`` can be read."""
    return not isinstance(x, jax.core.Tracer)


@jax.jit
def _min_max(x: jax.Array) -> jax.Array:
    return jnp.stack([jnp.min(x), jnp.max(x)])


def value_range(x: Array) -> tuple[float, float] | None:
    """``(min, max)`` of a non-empty array, read in one pass; None while tracing."""
    if not is_concrete(x) or x.size == 0:
        return None
    if isinstance(x, np.ndarray):
        return x.min().item(), x.max().item()
    span = _min_max(x)
    if not is_concrete(span):  # a constant captured inside someone's jit: still no values
        return None
    lo, hi = np.asarray(span)
    return lo.item(), hi.item()


def check_same_shape(fn: str, a: Array, b: Array, a_name: str, b_name: str) -> None:
    if a.shape != b.shape:
        raise ValueError(
            f"{fn}: {a_name} has shape {tuple(a.shape)} but {b_name} has shape "
            f"{tuple(b.shape)}; they must match (reshape one, e.g. logits[:, 0] or "
            "targets.reshape(-1, 1))."
        )


def check_real(fn: str, name: str, x: Array) -> None:
    """Losses compare real numbers: a complex input would give a complex (meaningless) loss."""
    if jnp.issubdtype(x.dtype, jnp.complexfloating):
        raise ValueError(
            f"{fn}: {name} must hold real numbers, got dtype {x.dtype}; a loss of complex "
            f"numbers means nothing: pass real ones, e.g. {name}.real or jnp.abs({name})."
        )


def check_nonempty(fn: str, name: str, x: Array) -> None:
    """A mean over no elements is nan: refuse empty inputs instead."""
    if x.size == 0:
        raise ValueError(
            f"{fn}: {name} is empty (shape {tuple(x.shape)}), so there is nothing "
            "to average. Pass at least one example."
        )


def _label_fix(labels: Array) -> str:
    """What was given instead of integer labels, and the fix (the message's second half)."""
    got = f"got dtype {labels.dtype}"
    if labels.ndim != 1:
        return f"{got}; convert one-hot targets with labels = targets.argmax(axis=1)"
    if jnp.issubdtype(labels.dtype, jnp.floating) and is_concrete(labels):
        values = np.asarray(labels)
        fractions = values[values != np.round(values)]
        if fractions.size:
            return (
                f"{got} with values that are not whole numbers, such as {fractions[0]:.3g}; "
                "a class index is a whole number 0, 1, 2, ...: fix the labels"
            )
    return f"{got}; convert them with labels.astype(jnp.int32)"


def check_class_labels(fn: str, labels: Array, n_classes: int | None) -> None:
    """Integer class indices from 0 to ``n_classes - 1`` (no upper bound for None)."""
    if not jnp.issubdtype(labels.dtype, jnp.integer):
        raise ValueError(f"{fn}: labels must be integer class indices, {_label_fix(labels)}.")
    span = value_range(labels)
    if span is None:
        return
    lo, hi = span
    top = "" if n_classes is None else f" to {n_classes - 1}"
    if lo < 0:
        raise ValueError(
            f"{fn}: labels must be class indices from 0{top}, got a label of {lo}. "
            "Negative labels do not name a class: fix the labels."
        )
    if n_classes is not None and hi >= n_classes:
        raise ValueError(
            f"{fn}: labels must be class indices from 0 to {n_classes - 1} (the logits have "
            f"{n_classes} classes), got a label of {hi}. Fix the labels, or give the network's "
            f"last layer {hi + 1} outputs."
        )


def check_unit_interval(fn: str, name: str, x: Array) -> None:
    """Binary targets are probabilities: every value in [0, 1]."""
    span = value_range(x)
    if span is not None and (span[0] < 0 or span[1] > 1):
        raise ValueError(
            f"{fn}: {name} must be in [0, 1] (0/1 labels or probabilities), got "
            f"values from {span[0]} to {span[1]}."
        )


def check_same_tree(fn: str, params: Any, other: Any, other_name: str) -> None:
    """``other`` (gradients, optimizer state) has the structure and leaf shapes of ``params``."""
    p_tree = jax.tree_util.tree_structure(params)
    o_tree = jax.tree_util.tree_structure(other)
    if p_tree != o_tree:
        raise ValueError(
            f"{fn}: {other_name} must have the same structure as params, "
            f"got params {p_tree} and {other_name} {o_tree}."
        )
    leaves = zip(jax.tree_util.tree_leaves(params), jax.tree_util.tree_leaves(other), strict=True)
    for p, o in leaves:
        if jnp.shape(p) != jnp.shape(o):
            raise ValueError(
                f"{fn}: every leaf of {other_name} must have the shape of the matching "
                f"leaf of params, got {jnp.shape(o)} for a leaf of shape {jnp.shape(p)}."
            )


def check_int(fn: str, name: str, value: Any, low: int, high: int | None = None) -> int:
    """``value`` as a Python int from ``low`` to ``high`` (or up); NumPy integers pass,
    bools and floats do not."""
    expected = (
        f"an integer from {low} to {high}" if high is not None else f"an integer of at least {low}"
    )
    try:
        if isinstance(value, (bool, np.bool_)):
            raise TypeError
        number = operator.index(value)
    except TypeError:
        got = f"{value!r:.60}"
        if getattr(value, "shape", ()) != ():  # an array's repr spans lines: its shape instead
            got = f"an array of shape {tuple(value.shape)}"
        raise ValueError(f"{fn}: {name} must be {expected}, got {got}.") from None
    if number < low or (high is not None and number > high):
        raise ValueError(f"{fn}: {name} must be {expected}, got {number}.")
    return number


def check_number(fn: str, name: str, value: Any, example: str) -> None:
    """``value`` must be one real number: a Python int or float, or a scalar array of a
    numeric dtype (a traced one too, inside ``jit``). A string, None, a bool or an array of
    several numbers is refused: an array would broadcast into every parameter. A concrete
    nan or inf is refused too (a traced value, e.g. from a schedule inside ``jit``, passes)."""
    shape = getattr(value, "shape", None)
    dtype = getattr(value, "dtype", None)
    one_real = isinstance(value, (int, float)) and not isinstance(value, bool)
    if shape == () and dtype is not None and jnp.issubdtype(dtype, jnp.number):
        one_real = not jnp.issubdtype(dtype, jnp.complexfloating)
    if one_real:
        if not isinstance(value, int) and is_concrete(value) and not math.isfinite(float(value)):
            raise ValueError(
                f"{fn}: {name} must be a finite number, such as {example}, got {float(value)}; "
                f"a nan or inf {name} turns every parameter into nan."
            )
        return
    got = (
        f"an array of shape {tuple(shape)}"
        if shape not in (None, ())
        else f"{type(value).__name__} {value!r}"
    )
    raise TypeError(f"{fn}: {name} must be one number, such as {example}, got {got}.")


def key_batch_shape(x: Any) -> tuple | None:
    """The shape of the random keys ``x`` holds: ``()`` for one key (``jax.random.key(seed)``,
    or the uint32 pair of the older ``jax.random.PRNGKey(seed)``), the batch's shape for split
    keys, ``None`` when ``x`` holds no keys."""
    dtype = getattr(x, "dtype", None)
    if dtype is not None and jnp.issubdtype(dtype, jax.dtypes.prng_key):
        return jnp.shape(x)
    if dtype == jnp.uint32 and jnp.ndim(x) >= 1 and jnp.shape(x)[-1] == 2:
        return jnp.shape(x)[:-1]
    return None


def check_key(fn: str, key: Any) -> None:
    """Raise a one-line ``TypeError`` unless ``key`` is one JAX random key: made by
    ``jax.random.key(seed)`` (or the older ``jax.random.PRNGKey(seed)``), or split from one."""
    how = "make one with jax.random.key(0) (any integer seed), and split it for more keys"
    keys = key_batch_shape(key)
    if keys == ():
        return
    if keys is not None:
        old_style = "old-style keys" if key.dtype == jnp.uint32 else "keys"
        raise TypeError(
            f"{fn}: key must be one random key, got an array of shape {jnp.shape(key)} of "
            f"{old_style} (from jax.random.split?); pass one of them, e.g. keys[0]."
        )
    dtype = getattr(key, "dtype", None)
    if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
        how = f"to use the seed {key}, pass jax.random.key({key}) instead"
    got = f"the {type(key).__name__} {key!r:.40}" if dtype is None else f"an array of {dtype}"
    raise TypeError(
        f"{fn}: key must be a JAX random key, got {'None' if key is None else got}; {how}."
    )
