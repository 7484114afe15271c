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


def equation_count(fn: Callable, *args: Any) -> int:
    """How many equations ``jax.make_jaxpr(fn)(*args)`` holds, nested ones included: a Python
    loop over a batch makes it grow with the batch, ``jax.vmap`` does not."""

    def count(jaxpr: Any) -> int:
        return sum(1 + sum(count(inner) for inner in _sub_jaxprs(eqn)) for eqn in jaxpr.eqns)

    return count(jax.make_jaxpr(fn)(*args).jaxpr)


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

    def masked(self, eqn: Any, name: str, ins: list[str]) -> list[str] | None:
        """The rules for comparisons and their True/False results (``None``: no rule)."""
        n_out = len(eqn.outvars)
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
        return None

    def equation(self, eqn: Any, ins: list[str]) -> list[str]:
        name, n_out = eqn.primitive.name, len(eqn.outvars)
        if set(ins) == {CONST}:
            return [CONST] * n_out
        inner = list(_sub_jaxprs(eqn))
        if len(inner) == 1 and len(inner[0].invars) == len(ins):
            return self.run(inner[0], ins)  # jit, custom_jvp (jax.nn.relu), ...
        if name in ("max", "min") and sorted(ins) == [CONST, DATA]:
            return self.unit(eqn)
        masked = self.masked(eqn, name, ins)
        if masked is not None:
            return masked
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
