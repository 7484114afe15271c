"""A fixed menu of junk answers that every self-check must reject with a hint, not a traceback."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp


def _raises(*args: Any) -> Any:
    raise RuntimeError("this answer always fails")


def _wrong_shape(*args: Any) -> jax.Array:
    return jnp.zeros((3, 5))


def _returns(value: Any) -> Any:
    return lambda *args: value


VALUES: dict[str, Any] = {
    "None": None,
    "ellipsis": ...,
    "string": "not an answer",
    "dict-of-strings": {"W": "zeros", "b": "ones"},
    "nested-list": [[1.0, 2.0], [3.0]],
    "prng-key": jax.random.key(0),
}
JUNK: dict[str, Any] = {
    **VALUES,
    **{f"function-returning-{name}": _returns(value) for name, value in VALUES.items()},
    "function-that-raises": _raises,
    "function-returning-wrong-shape": _wrong_shape,
}
