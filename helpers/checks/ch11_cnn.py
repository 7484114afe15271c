"""Self-checks of chapter 11, convolutions: a strided convolution without padding and max
pooling of any size, each compared with the operation of ``jax.lax`` that computes it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from .answers import call_answer, require_callable
from .compare import compare
from .core import CheckResult, Problem, check, passed
from .describe import Shown, is_number_array
from .tracing import primitive_names

_CLOSE = {"atol": 1e-4, "rtol": 1e-4}  # float32 sums added in another order


def _shape(got: Any) -> tuple | None:
    """The shape of an array answer; ``None`` for anything else (a ragged list ...)."""
    return np.shape(got) if is_number_array(got) else None


def _calls_lax(fn: Callable, args: tuple, *primitives: str) -> bool:
    """Whether ``fn(*args)`` (the last argument a static integer) computes with one of
    ``primitives``. An answer JAX cannot trace (written with NumPy) cannot be calling them."""
    *arrays, number = args
    try:
        return not primitive_names(lambda *a: fn(*a, number), *arrays).isdisjoint(primitives)
    except Exception:
        return False


def _lax_problem(name: str, lax_name: str, how: str) -> Problem:
    return Problem(
        f"{name} gives the right values, but it calls {lax_name}, the operation the check "
        f"compares with: write it with {how}, the exercise is to build it"
    )


def _conv_reference(x: jax.Array, w: jax.Array, stride: int) -> jax.Array:
    return jax.lax.conv_general_dilated(
        x, w, (stride, stride), "VALID", dimension_numbers=("NHWC", "HWIO", "NHWC")
    )


def _arrays(seed: int, x_shape: tuple, w_shape: tuple) -> tuple[Shown, Shown]:
    kx, kw = jax.random.split(jax.random.key(seed))
    x = jax.random.normal(kx, x_shape)
    w = jax.random.normal(kw, w_shape)
    return Shown(x, f"x {x_shape}"), Shown(w, f"w {w_shape}")


def _conv_hint(got: Any, x: jax.Array, w: jax.Array, stride: int) -> str | None:
    """Name a classic mistake when ``got`` equals a known wrong convolution."""

    def same(wrong: jax.Array) -> bool:
        return compare(got, wrong, **_CLOSE) is None

    if same(_conv_reference(x, w[::-1, ::-1], stride)):
        return (
            "your output is the convolution with the kernel flipped: deep learning's "
            "convolution slides the kernel as it is (a cross-correlation), "
            "y[i, j] = sum of x[i * stride + di, j * stride + dj] * w[di, dj]"
        )
    if stride > 1 and same(_conv_reference(x, w, 1)):
        return f"your output is the stride-1 convolution: move the window by {stride} pixels"
    if stride > 1 and _shape(got) == _conv_reference(x, w, 1).shape:
        return (
            f"the output has the shape of a stride-1 convolution; with stride {stride} it has "
            "(h - kh) // stride + 1 rows and (w - kw) // stride + 1 columns"
        )
    return None


@check
def check_conv2d_valid(fn: Callable) -> CheckResult:
    """Exercise ex-11-strided-conv: ``fn(x, w, stride)`` is the convolution of ``x (n, h, w,
    c_in)`` with ``w (kh, kw, c_in, c_out)`` without padding, moving ``stride`` pixels at a time,
    as ``jax.lax.conv_general_dilated(x, w, (stride, stride), "VALID", ...)`` computes it."""
    require_callable(fn, "conv2d_valid")
    cases = [  # x shape, w shape, stride
        ((1, 5, 5, 1), (3, 3, 1, 1), 1),
        ((2, 6, 7, 3), (3, 3, 3, 4), 1),
        ((2, 9, 9, 2), (3, 3, 2, 5), 2),
        ((3, 10, 8, 4), (2, 3, 4, 6), 3),
        ((1, 28, 28, 1), (5, 5, 1, 8), 2),
    ]
    for seed, (x_shape, w_shape, stride) in enumerate(cases):
        x, w = _arrays(seed, x_shape, w_shape)
        call = f"conv2d_valid({x.label}, {w.label}, stride={stride})"
        got = call_answer(call, fn, (x, w, stride))
        hint = _conv_hint(got, x.value, w.value, stride)
        if hint:
            raise Problem(f"{call}: {hint}")
        problem = compare(got, _conv_reference(x.value, w.value, stride), **_CLOSE)
        if problem:
            raise Problem(f"{call}: {problem}")
    x, w = _arrays(0, *cases[0][:2])
    if _calls_lax(fn, (x.value, w.value, 1), "conv_general_dilated"):
        raise _lax_problem(
            "conv2d_valid", "jax.lax.conv_general_dilated", "jnp only (windows or im2col)"
        )
    return passed(
        f"conv2d_valid equals jax.lax.conv_general_dilated (VALID) on all {len(cases)} "
        "shapes and strides."
    )


def _pool_reference(x: jax.Array, size: int) -> jax.Array:
    window = (1, size, size, 1)
    return jax.lax.reduce_window(x, -jnp.inf, jax.lax.max, window, window, "VALID")


def _pool_hint(got: Any, x: jax.Array, size: int) -> str | None:
    """Name a classic mistake when ``got`` equals a known wrong pooling."""
    window = (1, size, size, 1)
    average = jax.lax.reduce_window(x, 0.0, jax.lax.add, window, window, "VALID") / size**2
    if compare(got, average, **_CLOSE) is None:
        return "your output is the average of each block: take its maximum"
    n, h, w, c = x.shape
    partial = (n, -(-h // size), -(-w // size), c)  # blocks cut at the edge kept
    if partial != (n, h // size, w // size, c) and _shape(got) == partial:
        return (
            "the output keeps a partial block at the edge: drop the last rows and columns "
            "that do not fill a whole block, for an output of shape (n, h // size, w // size, c)"
        )
    if (_shape(got) or ())[1:3] == (h, w):
        return (
            "the height and width are unchanged: pool over axes 1 and 2 (height and width), "
            "not over the channels"
        )
    return None


@check
def check_max_pool_size(fn: Callable) -> CheckResult:
    """Exercise ex-11-max-pool: ``fn(x, size)`` is the maximum of each ``size x size`` block of
    ``x (n, h, w, c)`` with stride ``size``, the last rows and columns that do not fill a block
    dropped, as ``jax.lax.reduce_window(x, -inf, lax.max, ..., "VALID")`` computes it."""
    require_callable(fn, "max_pool_size")
    cases = [((1, 4, 4, 1), 2), ((2, 6, 6, 3), 3), ((2, 7, 9, 2), 2), ((1, 28, 28, 4), 4)]
    for seed, (shape, size) in enumerate(cases):
        x = Shown(jax.random.normal(jax.random.key(10 + seed), shape), f"x {shape}")
        call = f"max_pool_size({x.label}, size={size})"
        got = call_answer(call, fn, (x, size))
        hint = _pool_hint(got, x.value, size)
        if hint:
            raise Problem(f"{call}: {hint}")
        problem = compare(got, _pool_reference(x.value, size), **_CLOSE)
        if problem:
            raise Problem(f"{call}: {problem}")
    x = jax.random.normal(jax.random.key(10), cases[0][0])
    if _calls_lax(fn, (x, 2), "reduce_window_max", "reduce_window"):
        raise _lax_problem(
            "max_pool_size", "jax.lax.reduce_window", "jnp (a reshape, or slices, and a maximum)"
        )
    return passed(
        f"max_pool_size equals jax.lax.reduce_window's maximum on all {len(cases)} shapes "
        "and sizes."
    )
