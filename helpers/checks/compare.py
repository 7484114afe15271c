"""Compare an answer with the expected value and say what differs, in plain words.

A structure mismatch is told as "return one array, not a Python list", a wrong leaf is named
("layer 0, W") and shown briefly, and every wrong value comes with the largest difference and
the tolerance it broke.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .describe import SUMMARY_SIZE, describe, fmt, is_number_array, is_params


def _want(expected: Any, names: tuple[str, ...] | None) -> str:
    """What the expected value is, said as what the answer should be."""
    if isinstance(expected, tuple) and names:
        return f"a tuple ({', '.join(names)})"
    if isinstance(expected, (dict, list, tuple)):
        return describe(expected).replace("a Python ", "a ")
    return "a number" if np.ndim(expected) == 0 else "one array"


def _join(where: str, label: str) -> str:
    if label.startswith("["):
        return where + label
    return f"{where}, {label}" if where else label


def _mismatch(where: str, want: str, got: Any, returned: bool) -> str:
    fix = (
        " (jnp.stack(...) or jnp.array(...) makes one)"
        if (want == "one array" and isinstance(got, (list, tuple)))
        else ""
    )
    if where:
        return f"{where} should be {want}, not {describe(got)}{fix}"
    return f"{'return' if returned else 'it should be'} {want}, not {describe(got)}{fix}"


def _walk(
    got: Any,
    exp: Any,
    where: str,
    leaves: list,
    returned: bool,
    labels: tuple[str, ...] | None = None,
) -> str | None:
    """Collect ``(name, got_leaf, expected_leaf)`` into ``leaves``; the first structure
    mismatch in words, or ``None``."""
    if not isinstance(exp, (list, tuple, dict)):
        if not is_number_array(got):
            return _mismatch(where, _want(exp, None), got, returned)
        leaves.append((where, got, exp))
        return None
    want = _want(exp, labels)
    if type(got) is not type(exp):
        return _mismatch(where, want, got, returned)
    if isinstance(exp, dict):
        if set(got) != set(exp):
            return _mismatch(where, want, got, returned)
        keys, child_labels = list(exp), [f"[{k!r}]" for k in exp]
    else:
        if len(got) != len(exp):
            return _mismatch(where, want, got, returned)
        keys = list(range(len(exp)))
        child_labels = labels or (
            [f"layer {i}" for i in keys] if is_params(exp) else [f"[{i}]" for i in keys]
        )
    grandchild_labels = ("W", "b") if is_params(exp) else None
    for key, label in zip(keys, child_labels, strict=True):
        problem = _walk(
            got[key], exp[key], _join(where, label), leaves, returned, grandchild_labels
        )
        if problem:
            return problem
    return None


def _as_numbers(array: np.ndarray) -> np.ndarray:
    """``array`` in a dtype NumPy computes with (bool and bfloat16 as float64)."""
    return array if array.dtype.kind in "iufc" else array.astype(np.float64)


def tolerance(atol: float, rtol: float) -> str:
    return f"{atol:g}" if rtol == 0 else f"{atol:g} + {rtol:g} × |expected|"


def _values_problem(got: np.ndarray, exp: np.ndarray, atol: float, rtol: float) -> str | None:
    close = np.isclose(got, exp, atol=atol, rtol=rtol, equal_nan=True)
    if close.all():
        return None
    for precision in (4, 6, 8):  # enough digits to show a difference, when there are few values
        shown_exp, shown_got = fmt(exp, precision), fmt(got, precision)
        if shown_exp != shown_got:
            break
    text = f"expected {shown_exp}, got {shown_got}"
    bad_finite = np.isfinite(got) | ~np.isfinite(exp)
    if not bad_finite[~close].all():
        count = int((~bad_finite & ~close).sum())
        which = "it is" if exp.size == 1 else f"{count} of its {exp.size} values are"
        return f"{text}; {which} nan or inf where a finite number is expected"
    diff = np.where(close, 0.0, np.abs(got.astype(np.complex128) - exp.astype(np.complex128)))
    index = tuple(int(i) for i in np.unravel_index(np.argmax(diff), diff.shape))
    where = f" at index {list(index)}" if exp.ndim else ""
    if exp.size > SUMMARY_SIZE:
        where += f" (expected {fmt(exp[index], 4)}, got {fmt(got[index], 4)})"
    return (
        f"{text}; the largest difference is {diff[index]:.3g}{where}, "
        f"more than the tolerance {tolerance(atol, rtol)}"
    )


def shapes_match(got: Any, expected: Any) -> bool:
    """Whether ``got`` has the structure and leaf shapes of ``expected`` (values aside)."""
    leaves: list = []
    return _walk(got, expected, "", leaves, True) is None and all(
        np.shape(g) == np.shape(e) for _, g, e in leaves
    )


def compare(
    got: Any,
    expected: Any,
    atol: float,
    rtol: float,
    returned: bool = True,
    names: tuple[str, ...] | None = None,
) -> str | None:
    """``None`` if the pytree ``got`` matches ``expected``, else what differs, in words.

    ``returned`` says whether ``got`` is what a function returned ("return one array, ...")
    or a value ("it should be one array, ..."); ``names`` name the items of a returned tuple.
    """
    leaves: list = []
    problem = _walk(got, expected, "", leaves, returned, names)
    if problem:
        return problem
    for where, got_leaf, exp_leaf in leaves:
        got_array, exp_array = np.asarray(got_leaf), np.asarray(exp_leaf)
        prefix = f"{where}: " if where else ""
        if got_array.dtype == bool and exp_array.dtype != bool:
            return (
                f"{prefix}got True/False values, expected numbers: return the numbers "
                "themselves, not the result of a comparison such as `> 0.5`"
            )
        if got_array.shape != exp_array.shape:
            return f"{prefix}the shape differs: expected {exp_array.shape}, got {got_array.shape}"
        problem = _values_problem(_as_numbers(got_array), _as_numbers(exp_array), atol, rtol)
        if problem:
            return prefix + problem
    return None
