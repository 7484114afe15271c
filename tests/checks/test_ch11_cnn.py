"""Chapter 11's self-checks: a strided convolution without padding, and max pooling of any
size."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import pytest

from helpers import checks


def conv2d_valid(x, w, stride):
    """The solution of ex-11-strided-conv (im2col)."""
    kh, kw, c_in, c_out = w.shape
    n, h, wd, _ = x.shape
    out_h, out_w = (h - kh) // stride + 1, (wd - kw) // stride + 1
    windows = [
        x[:, di : di + stride * out_h : stride, dj : dj + stride * out_w : stride]
        for di in range(kh)
        for dj in range(kw)
    ]
    cols = jnp.stack(windows, axis=3).reshape(n, out_h, out_w, kh * kw * c_in)
    return cols @ w.reshape(kh * kw * c_in, c_out)


def conv2d_loops(x, w, stride):
    """Another right answer: one shifted product per kernel position."""
    kh, kw = w.shape[:2]
    out_h, out_w = (x.shape[1] - kh) // stride + 1, (x.shape[2] - kw) // stride + 1
    out = 0.0
    for di in range(kh):
        for dj in range(kw):
            window = x[:, di : di + stride * out_h : stride, dj : dj + stride * out_w : stride]
            out = out + window @ w[di, dj]
    return out


def max_pool_size(x, size):
    """The solution of ex-11-max-pool."""
    n, h, w, c = x.shape
    oh, ow = h // size, w // size
    x = x[:, : oh * size, : ow * size, :]
    return x.reshape(n, oh, size, ow, size, c).max(axis=(2, 4))


CONV_CALL = "Not quite yet: conv2d_valid(x (1, 5, 5, 1), w (3, 3, 1, 1), stride=1): "
STRIDED_CALL = "Not quite yet: conv2d_valid(x (2, 9, 9, 2), w (3, 3, 2, 5), stride=2): "
CONV_RIGHT = (
    "Correct: conv2d_valid equals jax.lax.conv_general_dilated (VALID) on all 5 shapes and strides."
)


@pytest.mark.parametrize("answer", [conv2d_valid, conv2d_loops], ids=["im2col", "loops"])
def test_conv_check_accepts_right_answers(expect, answer):
    expect(checks.check_conv2d_valid(answer), True, CONV_RIGHT)


def _lax(x, w, stride, padding="VALID"):
    return jax.lax.conv_general_dilated(
        x, w, (stride, stride), padding, dimension_numbers=("NHWC", "HWIO", "NHWC")
    )


@pytest.mark.parametrize(
    "answer, fragment",
    [
        pytest.param(
            lambda x, w, stride: conv2d_valid(x, w[::-1, ::-1], stride),
            CONV_CALL + "your output is the convolution with the kernel flipped",
            id="flipped-kernel",
        ),
        pytest.param(
            lambda x, w, stride: conv2d_valid(x, w, 1),
            STRIDED_CALL + "your output is the stride-1 convolution: move the window by 2",
            id="stride-ignored",
        ),
        pytest.param(
            lambda x, w, stride: _lax(x, w, stride, "SAME"),
            CONV_CALL + "the shape differs: expected (1, 3, 3, 1), got (1, 5, 5, 1)",
            id="same-padding",
        ),
        pytest.param(
            lambda x, w, stride: conv2d_valid(x, w, stride) + 1.0,
            CONV_CALL + "expected",
            id="off-by-one",
        ),
        pytest.param(
            lambda x, w, stride: conv2d_valid(x, w, stride)[0],
            CONV_CALL + "the shape differs: expected (1, 3, 3, 1), got (3, 3, 1)",
            id="batch-dropped",
        ),
    ],
)
def test_conv_check_rejects_wrong_answers_with_a_hint(expect, answer, fragment):
    expect(checks.check_conv2d_valid(answer), False, fragment)


def test_conv_check_names_a_wrong_output_size_for_a_stride(expect):
    def answer(x, w, stride):  # the right numbers, then padded back to stride 1's size
        full = conv2d_valid(x, w, 1)
        return jnp.zeros_like(full).at[:, ::stride, ::stride].set(conv2d_valid(x, w, stride))

    expect(
        checks.check_conv2d_valid(answer),
        False,
        STRIDED_CALL + "the output has the shape of a stride-1 convolution",
    )


POOL_CALL = "Not quite yet: max_pool_size(x (1, 4, 4, 1), size=2): "


def test_pool_check_accepts_the_solution(expect):
    expect(
        checks.check_max_pool_size(max_pool_size),
        True,
        "max_pool_size equals jax.lax.reduce_window's maximum on all 4 shapes and sizes.",
    )


def _ceil_pool(x, size):  # keeps the partial blocks at the edges
    window = (1, size, size, 1)
    pad = [(0, 0), (0, -x.shape[1] % size), (0, -x.shape[2] % size), (0, 0)]
    return jax.lax.reduce_window(x, -jnp.inf, jax.lax.max, window, window, pad)


@pytest.mark.parametrize(
    "answer, fragment",
    [
        pytest.param(
            lambda x, s: x.reshape(x.shape[0], x.shape[1] // s, s, x.shape[2] // s, s, -1).mean(
                axis=(2, 4)
            ),
            POOL_CALL + "your output is the average of each block: take its maximum",
            id="average",
        ),
        pytest.param(
            _ceil_pool,
            "Not quite yet: max_pool_size(x (2, 7, 9, 2), size=2): the output keeps a "
            "partial block at the edge",
            id="partial-blocks",
        ),
        pytest.param(
            lambda x, s: jnp.maximum(x, 0.0),
            POOL_CALL + "the height and width are unchanged: pool over axes 1 and 2",
            id="not-pooled",
        ),
        pytest.param(lambda x, s: max_pool_size(x, s) * 0.5, POOL_CALL + "expected", id="scaled"),
    ],
)
def test_pool_check_rejects_wrong_answers_with_a_hint(expect, answer, fragment):
    expect(checks.check_max_pool_size(answer), False, fragment)


def lax_conv(x, w, stride):
    numbers = ("NHWC", "HWIO", "NHWC")
    return jax.lax.conv_general_dilated(x, w, (stride, stride), "VALID", dimension_numbers=numbers)


def lax_pool(x, size):
    window = (1, size, size, 1)
    return jax.lax.reduce_window(x, -jnp.inf, jax.lax.max, window, window, "VALID")


def nnx_pool(x, size):
    from flax import nnx

    return nnx.max_pool(x, (size, size), strides=(size, size))


@pytest.mark.parametrize(
    "check, answer, fragment",
    [
        pytest.param(
            checks.check_conv2d_valid, lax_conv, "jax.lax.conv_general_dilated", id="conv"
        ),
        pytest.param(checks.check_max_pool_size, lax_pool, "jax.lax.reduce_window", id="pool"),
        pytest.param(checks.check_max_pool_size, nnx_pool, "jax.lax.reduce_window", id="nnx-pool"),
    ],
)
def test_the_operation_the_check_compares_with_is_refused(expect, check, answer, fragment):
    expect(check(answer), False, f"gives the right values, but it calls {fragment}")
