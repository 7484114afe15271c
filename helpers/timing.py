"""Timing JAX code honestly: compile once, wait for the device, repeat, take the median."""
from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Callable

import jax


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
        return (f"first call {format_seconds(self.first_call)}, then median "
                f"{format_seconds(self.median)} over {self.repeats} runs")


def format_seconds(seconds: float) -> str:
    """``0.0000123`` -> ``'12.3 µs'``: three significant figures and a unit."""
    if seconds >= 1000:
        return f"{seconds:.0f} s"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def time_function(fn: Callable, *args, repeats: int = 7, **kwargs) -> Timing:
    """Time ``fn(*args, **kwargs)``.

    The first call is timed on its own (for a jitted function it traces and
    compiles). Each later call is followed by ``jax.block_until_ready`` on
    its result, because JAX dispatches work asynchronously: without it we
    would time only the dispatch.
    """
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}.")
    start = time.perf_counter()
    jax.block_until_ready(fn(*args, **kwargs))
    first_call = time.perf_counter() - start
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        jax.block_until_ready(fn(*args, **kwargs))
        samples.append(time.perf_counter() - start)
    return Timing(first_call, statistics.median(samples), min(samples), repeats)
