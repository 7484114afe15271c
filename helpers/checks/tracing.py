"""Look inside an answer's computation (its jaxpr) when its outputs alone cannot tell.

Chapter 1 asks for a network of ReLU units, and ``jnp.abs(x1 - x2)`` gives the same outputs;
chapter 9 asks for ``jax.shard_map``, and a plain ``jax.grad`` gives the same gradients. Both
checks read the primitives JAX records when it traces the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import jax
import numpy as np

# Primitives that keep a value an affine function of the inputs (given constant other operands).
_AFFINE = {
    "add",
    "add_any",
    "sub",
    "neg",
    "mul",
    "div",
    "dot_general",
    "convert_element_type",
    "slice",
    "squeeze",
    "reshape",
    "broadcast_in_dim",
    "expand_dims",
    "transpose",
    "concatenate",
    "reduce_sum",
    "gather",
    "dynamic_slice",
    "rev",
    "pad",
    "copy",
    "copy_p",
    "select_n",
    "sharding_constraint",
    "stack",
    "unstack",  # iterating over an array: newer JAX traces `for x in X` as one unstack
    "split",
    "dynamic_update_slice",
    "scatter",
    "scatter-add",
    "scatter_add",
}
_COMPARE = {"gt", "ge", "lt", "le"}
_PLAIN_NAMES = {
    "abs": "jnp.abs",
    "integer_pow": "a power (`**`)",
    "pow": "a power (`**`)",
    "sign": "jnp.sign",
    "ne": "`!=`",
    "eq": "`==`",
    "xor": "a logical xor",
    "exp": "jnp.exp",
    "log": "jnp.log",
    "logistic": "a sigmoid",
    "tanh": "jnp.tanh",
    "max": "a maximum of two values that depend on the inputs (a ReLU unit is a maximum "
    "with 0: jnp.maximum(z, 0.0))",
    "min": "a minimum of two values that depend on the inputs",
}
CONST, DATA, MASK = "const", "data", "mask"  # what a value is: fixed, input-dependent, a comparison


def _sub_jaxprs(eqn: Any) -> Iterator[Any]:
    """The jaxprs nested in an equation's parameters (jit, custom_jvp, shard_map, ...)."""
    for value in eqn.params.values():
        for item in value if isinstance(value, (tuple, list)) else (value,):
            inner = getattr(item, "jaxpr", item)
            if hasattr(inner, "eqns"):
                yield inner


def primitive_names(fn: Callable, *args: Any) -> set[str]:
    """Every primitive in ``jax.make_jaxpr(fn)(*args)``, nested ones included; a ``ValueError``
    if ``fn`` returns no array (an unfinished answer returning ``None``: nothing to look at)."""
    names: set[str] = set()

    def visit(jaxpr: Any) -> None:
        for eqn in jaxpr.eqns:
            names.add(eqn.primitive.name)
            for inner in _sub_jaxprs(eqn):
                visit(inner)

    jaxpr = jax.make_jaxpr(fn)(*args).jaxpr
    if not jaxpr.outvars:
        raise ValueError(f"{getattr(fn, '__name__', 'the function')} returns no array")
    visit(jaxpr)
    return names


class _ReluNetwork:
    """Follows which values depend on the input and counts ReLU units; ``problem`` says what
    in the computation is not part of a network of ReLU units with a linear output."""

    def __init__(self, batch: int):
        self.batch, self.units, self.problem = batch, 0.0, None

    def run(self, jaxpr: Any, kinds: list[str]) -> list[str]:
        env = dict(zip(jaxpr.invars, kinds, strict=True))

        def kind_of(v: Any) -> str:  # literals and closed-over constants are CONST
            return CONST if hasattr(v, "val") else env.get(v, CONST)

        for eqn in jaxpr.eqns:
            ins = [kind_of(v) for v in eqn.invars]
            outs = self.equation(eqn, ins) if self.problem is None else [CONST] * len(eqn.outvars)
            env.update(zip(eqn.outvars, outs, strict=True))
        return [kind_of(v) for v in jaxpr.outvars]

    def unit(self, eqn: Any) -> list[str]:
        self.units += np.prod(eqn.outvars[0].aval.shape) / self.batch
        return [DATA]

    def fail(self, what: str, n_out: int = 1) -> list[str]:
        self.problem = self.problem or what
        return [CONST] * n_out

    def equation(self, eqn: Any, ins: list[str]) -> list[str]:
        name, n_out = eqn.primitive.name, len(eqn.outvars)
        if set(ins) == {CONST}:
            return [CONST] * n_out
        inner = list(_sub_jaxprs(eqn))
        if len(inner) == 1 and len(inner[0].invars) == len(ins):
            return self.run(inner[0], ins)  # jit, custom_jvp (jax.nn.relu), ...
        if name in ("max", "min") and sorted(ins) == [CONST, DATA]:
            return self.unit(eqn)
        if name in _COMPARE and MASK not in ins:  # a > b is a - b > 0: still a unit's test
            return [MASK]
        if name == "convert_element_type" and ins == [MASK]:
            return [MASK]
        if name == "select_n" and ins[0] == MASK and sorted(ins[1:]) == [CONST, DATA]:
            return self.unit(eqn)  # jnp.where(z > 0, z, 0)
        if name == "mul" and sorted(ins) == [DATA, MASK]:
            return self.unit(eqn)  # z * (z > 0)
        if name == "select_n" and ins[0] == MASK and ins[1:] == [DATA, DATA]:
            return self.fail(
                "chooses between two values that both depend on the inputs "
                "(jnp.where(c, a, b)), which is not a ReLU unit: a unit's other value is 0, "
                "as in jnp.where(z > 0, z, 0.0)",
                n_out,
            )
        if MASK in ins:
            return self.fail("uses the True/False result of a comparison as a number", n_out)
        if name in ("mul", "dot_general") and ins.count(DATA) > 1:
            return self.fail("multiplies two values that depend on the inputs", n_out)
        if name == "div" and ins[1] != CONST:
            return self.fail("divides by a value that depends on the inputs", n_out)
        if name not in _AFFINE or name == "select_n" and ins[0] != CONST:
            return self.fail(f"uses {_PLAIN_NAMES.get(name, f'`{name}`')}", n_out)
        return [DATA] * n_out


def relu_network_problem(forward: Callable, X: Any, units: int) -> str | None:
    """``None`` if ``forward(X)`` is computed by ``units`` ReLU units and otherwise affine
    operations of the batch ``X``, else what is not."""
    try:
        closed = jax.make_jaxpr(forward)(X)
    except Exception as exc:  # NumPy or Python numbers on the values: JAX cannot look inside
        return (
            f"cannot be traced by JAX ({type(exc).__name__}), so the check cannot see its "
            "units: write it with jnp operations, like the chapter's relu"
        )
    network = _ReluNetwork(batch=X.shape[0])
    outs = network.run(closed.jaxpr, [DATA])
    if network.problem:
        return network.problem
    if MASK in outs:
        return "returns the True/False result of a comparison"
    if DATA not in outs:
        return "does not depend on its input X: it returns fixed numbers"
    if network.units != units:
        return f"has {network.units:g} ReLU units"
    return None


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
