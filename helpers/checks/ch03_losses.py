"""Self-checks of chapter 3, losses.

References are written in float64 NumPy from the formulas: ``jax.nn.log_softmax`` is what the
log-softmax exercise may not use, so it is not what an answer is compared with either.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import jax.numpy as jnp
import numpy as np

from .answers import (
    call_answer,
    expect_close,
    raised,
    require_answer,
    require_callable,
    run_cases,
    shown_call,
)
from .core import CheckResult, Problem, check, passed
from .describe import describe, fmt
from .library_use import library_problem

_F32 = jnp.float32
# The lowest softmax cross entropy -sum_k t_k log softmax(z)_k for t = [1, 1, 0]: the two
# positives share the probability, p = [1/2, 1/2, 0], so it is 2 log 2.
SOFTMAX_FLOOR = 2 * math.log(2)


def _log_softmax_reference(x: Any) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    m = x.max(axis=-1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=-1, keepdims=True))


@check
def check_log_softmax(fn: Callable) -> CheckResult:
    """Exercise ex-03-log-softmax: ``fn(x)`` returns log softmax over the last axis, for one
    vector or a batch of rows, without overflow for inputs in the thousands, and without
    ``jax.nn`` or ``logsumexp`` (read from its traced program: the exercise is to build it)."""
    cases = [
        (jnp.array([1.0, 2.0, 3.0]),),
        (jnp.array([1000.0, 2000.0, 3000.0]),),
        (jnp.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, 1000.0], [-5.0, 0.0, 5.0]]),),
    ]
    run_cases("log_softmax", fn, _log_softmax_reference, cases, atol=1e-4, rtol=1e-5)
    try:
        problem = library_problem(
            "log_softmax", fn, cases[-1], "jnp.max, jnp.exp, jnp.sum and jnp.log"
        )
    except Exception as exc:  # NumPy inside: JAX cannot trace it
        raise Problem(raised(f"tracing {shown_call('log_softmax', cases[-1])}", exc)) from None
    if problem:
        raise Problem(problem)
    return passed(f"log_softmax matches the formula on all {len(cases)} test inputs.")


def _bce_reference(logits: Any, targets: Any) -> float:
    """Mean binary cross entropy over every entry, in float64, in its stable form."""
    z, t = np.asarray(logits, dtype=np.float64), np.asarray(targets, dtype=np.float64)
    return float(np.mean(np.maximum(z, 0) - t * z + np.log1p(np.exp(-np.abs(z)))))


def _softmax_ce(logits: Any, targets: Any) -> np.ndarray:
    """Per-row softmax cross entropy with several 1s: -sum_k t_k log softmax(z)_k."""
    return -(np.asarray(targets, np.float64) * _log_softmax_reference(logits)).sum(axis=-1)


def _why_wrong(got: float, logits: Any, targets: Any) -> str | None:
    """What a plausible wrong loss is, from the value it gave."""
    z, t = np.asarray(logits, np.float64), np.asarray(targets, np.float64)
    per_row = _bce_reference(z, t) * z.shape[-1]
    softmax = _softmax_ce(z, t)
    if any(np.isclose(got, v, rtol=1e-4, atol=1e-4) for v in (softmax.mean(), softmax.mean() / 3)):
        return (
            "that is a softmax cross entropy: its three probabilities add up to 1, so for a "
            "photo with two 1s it can never reach 0 (softmax_floor). Three independent "
            "yes/no answers need one sigmoid each: binary cross entropy on every logit"
        )
    if np.isclose(got, per_row, rtol=1e-4, atol=1e-4):
        return "that is the sum over the three answers of each photo: average over all N × 3"
    if not np.isfinite(got):
        return (
            "it is not finite: compute it from the logits (log sigmoid, or "
            "helpers.binary_cross_entropy_with_logits), never log(sigmoid(z))"
        )
    return None


def _multilabel_cases() -> list[tuple[jnp.ndarray, jnp.ndarray]]:
    both = jnp.array([[1.0, 1.0, 0.0]], _F32)
    return [
        (
            jnp.array([[2.0, -1.0, 0.5], [0.3, 1.2, -2.0]], _F32),
            jnp.array([[1, 0, 0], [1, 1, 0]], _F32),
        ),
        (jnp.array([[30.0, 30.0, -30.0]], _F32), both),  # sure and right: about 0
        (jnp.array([[100.0, -1000.0, 1000.0]], _F32), jnp.array([[1.0, 0.0, 0.0]], _F32)),
    ]


def _check_floor(softmax_floor: Any) -> None:
    require_answer(softmax_floor, "softmax_floor")
    try:
        value = np.asarray(softmax_floor)
        is_number = value.ndim == 0 and value.dtype.kind in "iuf"
    except (TypeError, ValueError):  # a ragged list, a random key, ...
        is_number = False
    if not is_number:
        raise Problem(f"softmax_floor should be one number, got {describe(softmax_floor)}")
    value = float(value)
    if abs(value - SOFTMAX_FLOOR) <= 1e-3:
        return
    if abs(value - SOFTMAX_FLOOR / 2) <= 1e-3:
        hint = "that is the loss of one of the two 1s; the target [1, 1, 0] has two"
    elif value < SOFTMAX_FLOOR:
        hint = (
            "no logits reach a loss that low: the probabilities add up to 1, so the two 1s "
            "cannot both get probability 1"
        )
    else:
        hint = (
            "some logits do better: make the third class's logit very negative and the "
            "other two equal, e.g. [0, 0, -100]"
        )
    raise Problem(
        f"softmax_floor is {fmt(value)}, not the lowest softmax cross entropy for the target "
        f"[1, 1, 0]: {hint}"
    )


@check
def check_multilabel_loss(multilabel_loss: Callable, softmax_floor: Any) -> CheckResult:
    """Exercise ex-03-multilabel: ``softmax_floor`` is the lowest softmax cross entropy
    (``-sum_k t_k log softmax(z)_k``) for the target ``[1, 1, 0]``, 2 log 2; and
    ``multilabel_loss(logits, targets)`` for ``(N, 3)`` logits and 0/1 targets is binary cross
    entropy on every logit, averaged over all ``N * 3`` entries and finite for any logits."""
    _check_floor(softmax_floor)
    require_callable(multilabel_loss, "multilabel_loss")
    for logits, targets in _multilabel_cases():
        call = shown_call("multilabel_loss", (logits, targets))
        got = call_answer(call, multilabel_loss, (logits, targets))
        if np.ndim(got) == 0 and np.asarray(got).dtype.kind == "f":
            why = _why_wrong(float(got), logits, targets)
            if why and not np.isclose(float(got), _bce_reference(logits, targets), atol=1e-4):
                raise Problem(f"{call} is {fmt(float(got))}: {why}")
        expected = np.float64(_bce_reference(logits, targets))
        expect_close(call, got, expected, atol=1e-4, rtol=1e-5)
    return passed(
        f"softmax_floor is 2 log 2 = {SOFTMAX_FLOOR:.4f} > 0, and multilabel_loss is binary "
        "cross entropy on every logit, which can reach 0."
    )
