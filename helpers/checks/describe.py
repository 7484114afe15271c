"""Say what a value is, briefly and on one line: the words and numbers of check messages.

A learner reads these messages, not a developer: ``describe`` names a thing in plain words
("a Python list of 3 arrays", "a PRNG key"), ``fmt`` shows a value rounded, on one line, and
summarised when it is large.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

import jax
import numpy as np

SUMMARY_SIZE = 20  # arrays with more elements are summarised, not printed in full


@dataclass(frozen=True)
class Shown:
    """An argument that messages show by a short label instead of its (large) value."""

    value: Any
    label: str


def unshown(args: tuple) -> tuple:
    """The arguments with every :class:`Shown` replaced by its value."""
    return tuple(a.value if isinstance(a, Shown) else a for a in args)


def is_prng_key(x: Any) -> bool:
    return isinstance(x, jax.Array) and jax.dtypes.issubdtype(x.dtype, jax.dtypes.prng_key)


def is_params(x: Any) -> bool:
    """A non-empty list of ``(W, b)`` pairs: the course's MLP parameters."""
    return isinstance(x, list) and bool(x) and all(isinstance(p, tuple) and len(p) == 2 for p in x)


def _numeric(dtype: Any) -> bool:
    return jax.dtypes.issubdtype(dtype, np.bool_) or jax.dtypes.issubdtype(dtype, np.number)


def is_number_array(x: Any) -> bool:
    """A number or an array of numbers (bool, int, float or complex), not a string or a key."""
    if isinstance(x, (numbers.Number, np.generic)):
        return _numeric(np.asarray(x).dtype)
    return isinstance(x, (np.ndarray, jax.Array)) and not is_prng_key(x) and _numeric(x.dtype)


def describe(x: Any) -> str:
    """What ``x`` is, in a few plain words."""
    if x is None or isinstance(x, bool):
        return repr(x)
    if x is Ellipsis:
        return "`...` (the unfinished starter)"
    if isinstance(x, str):
        return "a string"
    if is_params(x):
        return f"a list of {len(x)} (W, b) layers"
    if isinstance(x, dict):
        return f"a dict with keys {', '.join(map(repr, x))}" if x else "an empty dict"
    if isinstance(x, (list, tuple)):
        what = "items"
        if x and all(map(is_number_array, x)):
            what = "numbers" if all(np.ndim(v) == 0 for v in x) else "arrays"
        return f"a Python {type(x).__name__} of {len(x)} {what}"
    if is_prng_key(x):
        return "a PRNG key"
    if callable(x):
        return "a function"
    if is_number_array(x):
        return "a number" if np.ndim(x) == 0 else f"an array of shape {tuple(np.shape(x))}"
    return f"a {type(x).__name__}"


def fmt(value: Any, precision: int = 4) -> str:
    """Short, rounded, one-line text for an argument or a value."""
    if isinstance(value, Shown):
        return value.label
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {fmt(v, precision)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(fmt(v, precision) for v in value)
        return (
            f"[{inner}]"
            if isinstance(value, list)
            else f"({inner}{',' if len(value) == 1 else ''})"
        )
    if not is_number_array(value):
        return describe(value)
    array = np.asarray(value)
    if array.ndim == 0:
        return (
            f"{array.item():.{precision + 2}g}" if array.dtype.kind == "f" else repr(array.item())
        )
    if array.size > SUMMARY_SIZE and array.ndim > 1:
        start = np.array2string(array.reshape(-1)[:4], precision=precision, suppress_small=True)
        return f"an array of shape {array.shape} starting {start[:-1]} ...]"
    text = np.array2string(
        array,
        precision=precision,
        suppress_small=True,
        max_line_width=10**6,
        threshold=SUMMARY_SIZE,
        edgeitems=3,
    )
    return " ".join(line.strip() for line in text.splitlines())
