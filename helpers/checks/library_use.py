"""Which ready-made functions an answer calls: those of ``jax.nn`` (or ``jax.scipy.special``),
read from its traced program, and the course's own (:func:`refers_to`), read from its code.

An exercise that asks to build ReLU, a sigmoid or log softmax must refuse ``jax.nn``'s own,
whose values are right by construction. The primitives alone cannot tell ``jax.nn.relu`` from
``jnp.maximum(z, 0)``, so this reads where each equation of the traced program was traced:
the frames of its traceback and the names of nested ``jit`` calls (both JAX 0.7 and 0.12
record them).
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable
from typing import Any

import jax

from .core import Problem
from .tracing import _sub_jaxprs

# Where JAX's ready-made versions live: an exercise that asks to build one refuses them.
_LIBRARIES = {
    "jax/_src/nn/": "jax.nn",
    "jax/_src/scipy/special": "jax.scipy.special",
    "jax/_src/ops/special": "jax.scipy.special",  # logsumexp
}


def _library_name(where: str, function: str) -> str | None:
    """``jax.nn.relu`` for a function ``relu`` defined in JAX's nn module, else ``None``."""
    name = function.rsplit(".", 1)[-1]
    for part, module in _LIBRARIES.items():
        if part in where.replace("\\", "/") and not name.startswith(("_", "<")):
            return f"{module}.{name}"
    return None


def _called_from(eqn: Any) -> list[str]:
    """The library functions an equation was traced inside, outermost first: its traceback's
    frames, and the name of a nested ``jit`` (``jax.nn.relu`` is one)."""
    found = []
    traceback = getattr(eqn.source_info, "traceback", None)
    for frame in getattr(traceback, "frames", ()):  # innermost first
        found.append(_library_name(frame.file_name, frame.function_name))
    found.reverse()
    for inner in _sub_jaxprs(eqn):
        source = getattr(getattr(inner, "debug_info", None), "func_src_info", None) or ""
        name, _, where = source.partition(" at ")
        found.append(_library_name(where, name))
    if eqn.primitive.name == "logistic":  # lax.logistic, behind jax.nn.sigmoid
        found.append("jax.nn.sigmoid")
    return [name for name in found if name]


def library_calls(fn: Callable, *args: Any) -> list[str]:
    """The functions of ``jax.nn`` and ``jax.scipy.special`` that ``fn(*args)`` computes with,
    outermost first (``["jax.nn.log_sigmoid", "jax.nn.softplus"]``), read from its traced
    program: the primitives alone cannot tell ``jax.nn.relu`` from ``jnp.maximum(z, 0)``.
    Raises what tracing raises (an answer written with NumPy cannot be traced)."""
    calls: list[str] = []

    def visit(jaxpr: Any) -> None:
        for eqn in jaxpr.eqns:
            calls.extend(name for name in _called_from(eqn) if name not in calls)
            for inner in _sub_jaxprs(eqn):
                visit(inner)

    visit(jax.make_jaxpr(fn)(*args).jaxpr)
    return calls


def library_problem(name: str, fn: Callable, args: tuple, how: str) -> str | None:
    """``None`` unless ``fn(*args)`` calls a ready-made ``jax.nn`` (or ``jax.scipy.special``)
    function, for an exercise that asks to build it: then what to write instead (``how``)."""
    calls = library_calls(fn, *args)
    if not calls:
        return None
    return (
        f"{name} gives the right values, but it calls {calls[0]}: write it with {how}, "
        f"not {calls[0]}: the exercise is to build it"
    )


def _code_names(fn: Any) -> tuple[set[str], dict[str, Any], list[Any]]:
    """The global and attribute names ``fn``'s code uses (nested functions included), its
    globals, and the values its closure holds."""
    fn = inspect.unwrap(getattr(fn, "func", fn))  # functools.partial, jax.jit
    code = getattr(fn, "__code__", None)
    if code is None:
        return set(), {}, []
    names: set[str] = set()
    codes = [code]
    while codes:
        current = codes.pop()
        names.update(current.co_names)
        codes.extend(c for c in current.co_consts if isinstance(c, types.CodeType))
    cells = [cell.cell_contents for cell in fn.__closure__ or () if _filled(cell)]
    return names, fn.__globals__, cells


def _filled(cell: Any) -> bool:
    try:
        cell.cell_contents  # noqa: B018 (an empty cell raises)
    except ValueError:
        return False
    return True


def refers_to(fn: Any, target: Callable) -> bool:
    """Whether ``fn``'s own code names ``target`` (``init_mlp``, ``helpers.init_mlp``, or through
    its closure): a thin wrapper around the ready-made function an exercise asks to write."""
    if fn is target:
        return True
    names, globals_, cells = _code_names(fn)
    if any(value is target for value in cells) or any(globals_.get(n) is target for n in names):
        return True
    modules = [globals_.get(n) for n in names] + cells
    name = getattr(target, "__name__", "")
    return name in names and any(getattr(m, name, None) is target for m in modules)


def wrapper_problem(name: str, fn: Any, target: Callable, shown: str) -> None:
    """Raise a :class:`Problem` when ``fn`` calls ``target`` (shown as ``shown``), the function
    its exercise asks to write."""
    if refers_to(fn, target):
        raise Problem(
            f"{name} calls {shown}, the function the exercise asks you to write: write its "
            "body yourself (the check compares your result with it)"
        )
