"""Self-checks of chapter 1, the XOR problem."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax.numpy as jnp
import numpy as np

from ..data import xor_data
from .answers import call_answer, expect_close, require_answer, require_callable
from .core import CheckResult, Problem, check, passed
from .describe import describe, is_number_array
from .tracing import relu_network_problem

XOR_SHOWN = "the inputs (0,0), (0,1), (1,0), (1,1)"
# Four points off the corners, where the chapter's network and |x1 - x2| differ.
_PROBE = jnp.array([[0.5, 0.5], [0.25, 0.5], [1.0, 0.5], [0.0, 0.5]])
_BUILD_HINT = (
    "the exercise asks for a hidden layer of two ReLU units and a linear output: "
    "for example |x1 - x2| = relu(x1 - x2) + relu(x2 - x1)"
)


@check
def check_and_gate(w: Any, b: Any) -> CheckResult:
    """Exercise ex-01-and-gate: ``w`` of shape ``(2,)`` and a number ``b`` such that the
    linear classifier ``X @ w + b > 0`` computes AND on the four XOR inputs."""
    require_answer(w, "w")
    require_answer(b, "b")
    try:
        w_array = np.asarray(w, dtype=np.float32)
        b_array = np.asarray(b, dtype=np.float32)
    except (TypeError, ValueError):
        raise Problem(
            f"w and b should be numbers, got w = {describe(w)} and b = {describe(b)}"
        ) from None
    if w_array.shape != (2,):
        raise Problem(f"w should have shape (2,), one weight per input; got shape {w_array.shape}")
    if b_array.size != 1:
        raise Problem(f"b should be a single number; got shape {b_array.shape}")
    X, _ = xor_data()
    got = (np.asarray(X) @ w_array + b_array.reshape(()) > 0).astype(np.float32)
    name = f"the AND gate (X @ w + b > 0) on {XOR_SHOWN}"
    expect_close(name, got, np.array([0, 0, 0, 1], dtype=np.float32), 1e-5, 1e-5, returned=False)
    return passed(f"{name} is right.")


def _xor_by_hand(X: jnp.ndarray) -> jnp.ndarray:
    """The chapter's own network: relu(x1 + x2) - 2 relu(x1 + x2 - 1)."""
    s = X[:, 0] + X[:, 1]
    return jnp.maximum(s, 0.0) - 2.0 * jnp.maximum(s - 1.0, 0.0)


def _is_the_chapters_network(forward: Callable) -> bool:
    try:
        return bool(
            np.allclose(np.asarray(forward(_PROBE)).reshape(-1), _xor_by_hand(_PROBE), atol=1e-4)
        )
    except Exception:  # it only works on the four corners: it is not the chapter's network
        return False


@check
def check_xor_network(forward: Callable) -> CheckResult:
    """Exercise ex-01-xor-network: ``forward(X)`` maps the four inputs ``X (4, 2)`` to exactly
    ``[0, 1, 1, 0]`` (one array, shape ``(4,)`` or ``(4, 1)``, to within 1e-4), with a hidden
    layer of two ReLU units and a linear output that is not the chapter's network.

    Outputs alone cannot tell ``jnp.abs(x1 - x2)`` from ``relu(x1 - x2) + relu(x2 - x1)``, so
    the check also traces the answer and counts its ReLU units.
    """
    require_callable(forward, "xor_network")
    X, y = xor_data()
    call = "xor_network(X)"
    got = call_answer(call, forward, (X,))
    if is_number_array(got) and np.shape(got) in ((4, 1), (1, 4)):
        got = jnp.reshape(got, (4,))
    expect_close(f"{call} on {XOR_SHOWN}", got, y, atol=1e-4, rtol=0.0)
    problem = relu_network_problem(forward, X, units=2)
    if problem:
        raise Problem(f"xor_network gives the right outputs, but it {problem}; {_BUILD_HINT}")
    if _is_the_chapters_network(forward):
        raise Problem(
            "xor_network is the chapter's network (h1 = relu(x1 + x2), "
            "h2 = relu(x1 + x2 - 1)); the exercise asks for a different one: "
            "try |x1 - x2| = relu(x1 - x2) + relu(x2 - x1)"
        )
    return passed(f"{call} on {XOR_SHOWN} is right.")
