"""Timing JAX code honestly: compile once, wait for the device, repeat, take the median."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import jax

from ._validate import check_int


@dataclass(frozen=True)
class Timing:
    """Seconds: ``first_call`` includes tracing and compilation (for a jitted
    function); ``median``/``best`` are over ``repeats`` later calls."""

    first_call: float
    median: float
    best: float
    repeats: int

    @property
    def compile_estimate(self) -> float:
        """The first call's extra cost over a typical call: for a jitted
        function, about the time spent tracing and compiling."""
        return max(self.first_call - self.median, 0.0)

    def __str__(self) -> str:
        return (
            f"first call {format_seconds(self.first_call)}, then median "
            f"{format_seconds(self.median)} over {self.repeats} runs"
        )


def format_seconds(seconds: float) -> str:
    """``0.0000123`` -> ``'12.3 µs'``: three significant figures and a unit.

    The unit is chosen after rounding, so ``0.0009996`` gives ``'1 ms'``, not
    ``'1e+03 µs'``; from 1000 s on, whole seconds.
    """
    value = float(seconds)
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"format_seconds: seconds must be a finite number >= 0, got {seconds!r}.")
    for unit, scale in (("ns", 1e-9), ("µs", 1e-6), ("ms", 1e-3), ("s", 1.0)):
        rounded = float(f"{value / scale:.3g}")
        if rounded < 1000:
            return f"{rounded:g} {unit}"
    return f"{value:.0f} s"


def time_function(fn: Callable, *args, repeats: int = 7, **kwargs) -> Timing:
    """Time ``fn(*args, **kwargs)``.

    The first call is timed on its own (for a jitted function it traces and
    compiles). Each later call is followed by ``jax.block_until_ready`` on
    its result, because JAX dispatches work asynchronously: without it we
    would time only the dispatch. So ``fn`` must return what it computes (a
    pytree with at least one JAX array); anything else raises ``ValueError``.
    """
    repeats = check_int("time_function", "repeats", repeats, 1)
    start = time.perf_counter()
    result = jax.block_until_ready(fn(*args, **kwargs))
    first_call = time.perf_counter() - start
    if not any(isinstance(leaf, jax.Array) for leaf in jax.tree_util.tree_leaves(result)):
        raise ValueError(
            f"time_function: {getattr(fn, '__name__', 'the function')} returned "
            f"{type(result).__name__}, no JAX array, so there is nothing to wait for and "
            "only the dispatch would be timed (JAX computes asynchronously): return the "
            "result that the timed work computes."
        )
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        jax.block_until_ready(fn(*args, **kwargs))
        samples.append(time.perf_counter() - start)
    return Timing(first_call, statistics.median(samples), min(samples), repeats)
