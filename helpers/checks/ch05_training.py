"""Self-checks of chapter 5, training: weight decay, and reading a learning-rate grid."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ..model import init_mlp
from .answers import call_answer, expect_close, require_callable
from .ch04_grad import as_layers
from .core import CheckResult, Problem, check, passed
from .describe import Shown, describe, fmt, is_number_array, unshown


def _decayed(params: Any, grads: Any, lr: float, wd: float, w_factor: float = 1.0) -> list:
    """SGD on the loss plus ``(wd / 2) * sum(W**2)``: the weights decay, the biases do not.
    ``w_factor`` scales the decay's gradient for the plausible wrong variants below."""
    return [
        (W - lr * (gW + w_factor * wd * W), b - lr * gb)
        for (W, b), (gW, gb) in zip(params, grads, strict=True)
    ]


def _every_leaf(params: Any, grads: Any, lr: float, wd: float) -> list:
    return [
        (W - lr * (gW + wd * W), b - lr * (gb + wd * b))
        for (W, b), (gW, gb) in zip(params, grads, strict=True)
    ]


def _decay_without_lr(params: Any, grads: Any, lr: float, wd: float) -> list:
    return [
        (W - lr * gW - wd * W, b - lr * gb) for (W, b), (gW, gb) in zip(params, grads, strict=True)
    ]


_WRONG_DECAYS = [
    (_every_leaf, "the biases decayed too: decay the weights W only, and leave each b to SGD"),
    (
        _decay_without_lr,
        "the decay was not multiplied by lr: it is part of the loss's gradient, "
        "so the step is lr * (g + wd * W)",
    ),
    (
        lambda p, g, lr, wd: _decayed(p, g, lr, wd, 2.0),
        "the decay's gradient is doubled: the gradient of (wd / 2) * sum(W**2) is wd * W",
    ),
    (
        lambda p, g, lr, wd: _decayed(p, g, lr, wd, 0.0),
        "this is plain SGD: wd made no difference",
    ),
    (
        lambda p, g, lr, wd: _decayed(p, g, lr, wd, -1.0),
        "the weights grew: the decay term has the wrong sign",
    ),
]


def _decay_cases() -> list[tuple]:
    def network(seed: int, sizes: list[int]) -> tuple[list, list]:
        k_params, k_bias, k_grads = jax.random.split(jax.random.key(seed), 3)
        params = [
            (W, 0.5 * jax.random.normal(k, b.shape))  # non-zero biases, so decaying one shows
            for (W, b), k in zip(
                init_mlp(k_params, sizes, scale=1.0), jax.random.split(k_bias, len(sizes) - 1)
            )
        ]
        grads = init_mlp(k_grads, sizes, scale=1.0)
        grads = [(gW, gW[0] * 0.5) for gW, _ in grads]  # non-zero bias gradients too
        return params, grads

    small, small_grads = network(0, [2, 3, 1])
    deep, deep_grads = network(1, [3, 4, 4, 2])
    return [
        (Shown(small, "a 2-3-1 network"), Shown(small_grads, "its grads"), 0.1, 0.5),
        (Shown(deep, "a 3-4-4-2 network"), Shown(deep_grads, "its grads"), 0.5, 0.1),
        (
            Shown(tuple(deep), "a 3-4-4-2 network as a tuple of pairs"),
            Shown(deep_grads, "its grads"),
            0.05,
            0.2,
        ),
    ]


def _decay_hint(got: list, args: tuple) -> str | None:
    """What a plausible wrong update did, when the answer matches it."""
    for wrong, message in _WRONG_DECAYS:
        variant = wrong(*args)
        if all(
            bool(jnp.allclose(g, v, atol=1e-6))
            for pair_g, pair_v in zip(got, variant, strict=True)
            for g, v in zip(pair_g, pair_v, strict=True)
        ):
            return message
    return None


@check
def check_weight_decay_update(fn: Callable) -> CheckResult:
    """Exercise ex-05-weight-decay: ``fn(params, grads, lr, wd)`` takes one SGD step on the
    loss plus ``(wd / 2) * sum(W**2)`` over the weight matrices: ``W - lr * (gW + wd * W)``
    and ``b - lr * gb``. ``params`` is a list (or tuple) of ``(W, b)`` pairs; the result may
    be a list or a tuple of pairs, each a list or a tuple."""
    require_callable(fn, "sgd_weight_decay")
    cases = _decay_cases()
    for args in cases:
        # A copy of the containers, read before the call: an answer may update params in place.
        plain = jax.tree_util.tree_map(lambda leaf: leaf, unshown(args))
        expected = _decayed(*plain)
        call = f"sgd_weight_decay({', '.join(fmt(a) for a in args)})"
        got = as_layers(call_answer(call, fn, args), f"what {call} returned")
        shapes_ok = len(got) == len(expected) and all(
            is_number_array(g) and jnp.shape(g) == jnp.shape(e)
            for pair_g, pair_e in zip(got, expected, strict=True)
            for g, e in zip(pair_g, pair_e, strict=True)
        )
        explained = _decay_hint(got, plain) if shapes_ok else None
        if explained:
            raise Problem(f"{call}: {explained}")
        expect_close(call, got, expected, atol=1e-5, rtol=1e-5)
    return passed(f"sgd_weight_decay matches the reference on all {len(cases)} test networks.")


def _largest_stable_rate(histories: dict) -> float:
    """A run is stable when every loss it recorded is finite and its last is below its first."""
    stable = [
        lr for lr, h in histories.items() if np.all(np.isfinite(h)) and float(h[-1]) < float(h[0])
    ]
    return max(stable)


def _grids() -> list[Shown]:
    nan, inf = math.nan, math.inf
    a = {
        0.01: [0.7, 0.69, 0.68, 0.67],
        0.1: [0.7, 0.6, 0.5, 0.4],
        1.0: [0.7, 0.3, 0.1, 0.05],
        10.0: [0.7, 40.0, inf, nan],
    }
    b = {
        0.1: [0.55, 0.3, 0.2, 0.1],
        0.3: [0.55, 0.2, 0.05, 0.001],
        1.0: [0.55, 0.9, 0.86, 0.86],  # finite, but worse than it started
        3.0: [0.55, 1e13, inf, nan],
    }
    c = {  # not sorted; the largest stable run is bumpy and not the lowest at the end
        3.0: [0.7, 5.0, nan, nan],
        1.0: [0.7, 0.95, 0.6, 0.3],
        0.1: [0.7, 0.65, 0.6, 0.55],
        0.3: [0.7, 0.5, 0.2, 0.05],
    }
    as_arrays = lambda grid: {lr: np.array(h, np.float32) for lr, h in grid.items()}  # noqa: E731
    return [
        Shown(as_arrays(a), "grid A, rates 0.01 to 10"),
        Shown(as_arrays(b), "grid B, rates 0.1 to 3"),
        Shown({lr: jnp.array(h) for lr, h in c.items()}, "grid C, rates 3, 1, 0.1, 0.3"),
    ]


def _as_key(got: Any, grid: dict) -> float | None:
    """The key of ``grid`` that ``got`` is (a float32 0.3 is the key 0.3), or ``None``."""
    found = [lr for lr in grid if np.isclose(float(got), lr, rtol=1e-6, atol=0)]
    return found[0] if found else None


def _rate_problem(got: Any, grid: dict) -> str | None:
    """Why ``got`` is not the largest stable rate of ``grid``, when it is a rate of it."""
    if not is_number_array(got) or jnp.ndim(got) != 0:
        return f"return one of the learning rates (a key of histories), not {describe(got)}"
    rate = _as_key(got, grid)
    if rate is None:
        return f"{fmt(got)} is not one of the learning rates (the keys of histories)"
    h = np.asarray(grid[rate], np.float64)
    if not np.all(np.isfinite(h)):
        return f"the run at {rate:g} reached nan or inf: it diverged"
    if h[-1] >= h[0]:
        return (
            f"the run at {rate:g} stayed finite but ended higher than it started "
            f"({h[0]:g} -> {h[-1]:g}): finite is not enough, it must also end lower"
        )
    return (
        f"the run at {rate:g} is stable, but a larger rate in this grid is stable too "
        "(a stable run may go up on the way, and the keys need not be in order)"
    )


@check
def check_largest_stable_rate(fn: Callable) -> CheckResult:
    """Exercise ex-05-stable-rate: ``fn(histories)``, with ``histories`` a dict from learning
    rate to the losses of a run, returns the largest rate whose run is stable: every loss
    finite and the last one below the first."""
    require_callable(fn, "largest_stable_rate")
    grids = _grids()
    for grid in grids:
        call = f"largest_stable_rate({grid.label})"
        expected = _largest_stable_rate(grid.value)
        # The answer gets its own copy: one that changes the dict must not change the check's.
        got = call_answer(call, fn, (copy.deepcopy(grid.value),))
        if is_number_array(got) and jnp.ndim(got) == 0 and _as_key(got, grid.value) == expected:
            continue
        raise Problem(f"{call}: expected {expected:g}; {_rate_problem(got, grid.value)}")
    return passed(f"largest_stable_rate is right on all {len(grids)} test grids.")
