"""What chapter 9's gradient check reads on a mesh of one device (Colab's GPU runtime).

There, a ``psum`` gives the same numbers as a ``pmean`` (a sum of one value is its mean), and
params not marked varying with ``pcast_to_varying`` give the right gradient too (JAX adds up
one device's gradient), so the values cannot tell a right answer from these two mistakes. The
traced program can: in the body of ``jax.shard_map``, every gradient must be reduced over the
devices once (not twice: the second sum is the one JAX adds for params not marked varying),
and that reduction must be a mean (a sum divided by the number of devices).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import jax

from .tracing import _sub_jaxprs


def _shard_map_body(jaxpr: Any) -> Any | None:
    """The jaxpr of the first ``shard_map`` in ``jaxpr`` (nested ones included)."""
    for eqn in jaxpr.eqns:
        if eqn.primitive.name == "shard_map":
            inner = eqn.params.get("jaxpr")
            return getattr(inner, "jaxpr", inner)
        for inner in _sub_jaxprs(eqn):
            found = _shard_map_body(inner)
            if found is not None:
                return found
    return None


def _equations(jaxpr: Any) -> Iterator[Any]:
    for eqn in jaxpr.eqns:
        yield eqn
        for inner in _sub_jaxprs(eqn):
            yield from _equations(inner)


def one_device_problem(fn: Callable, args: tuple) -> str | None:
    """What the traced program of ``fn(*args)`` shows wrong on one device, or ``None``.

    Sums over the devices are ``psum`` equations (``psum_invariant`` on recent JAX), one
    operand per array reduced; ``pmean`` is such a sum followed by a division."""
    body = _shard_map_body(jax.make_jaxpr(fn)(*args).jaxpr)
    if body is None:
        return None  # no shard_map: reported by the check itself
    sums = sum(len(eqn.invars) for eqn in _equations(body) if eqn.primitive.name.startswith("psum"))
    if sums > len(body.outvars):
        return (
            "the gradients are added up over the devices twice in your program: params are "
            "not marked varying, so JAX sums the gradients of the shared params, and your "
            "pmean (or psum) sums them again. With n devices that is n times the right "
            "gradient; one device cannot show it in the values. Start the per-device function "
            "with params = pcast_to_varying(params, 'batch')"
        )
    made_by = {id(var): eqn for eqn in body.eqns for var in eqn.outvars}
    if any(
        made_by.get(id(var)) is not None and made_by[id(var)].primitive.name.startswith("psum")
        for var in body.outvars
    ):
        return (
            "your program adds the per-device gradients up (a psum) instead of averaging them: "
            "with n devices that is n times the right gradient, which one device cannot show "
            "in the values. Average them with jax.lax.pmean(grads, 'batch')"
        )
    return None
