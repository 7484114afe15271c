"""The timing helper: honest JAX timings, printed in a form nbval can mask."""

from __future__ import annotations

import configparser
import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from helpers import Timing, format_seconds, time_function
from scripts.chapters import REPO

SANITIZE = REPO / "verification" / "sanitize.cfg"


@pytest.mark.parametrize(
    "seconds, text",
    [
        (2.5, "2.5 s"),
        (1.0, "1 s"),
        (12.34, "12.3 s"),
        (1234.5, "1234 s"),
        (0.0123, "12.3 ms"),
        (0.001, "1 ms"),
        (1.234e-5, "12.3 µs"),
        (4.56e-7, "456 ns"),
        # rounding up to 1000 moves to the next unit (these printed "1e+03 ms" / "1e+03 s")
        (0.9995, "1 s"),
        (999.6, "1000 s"),
        (0.0009996, "1 ms"),
        (9.9996e-7, "1 µs"),
        (0, "0 ns"),
    ],
)
def test_format_seconds(seconds, text):
    assert format_seconds(seconds) == text


def test_every_formatted_time_is_masked_by_the_nbval_sanitizer():
    config = configparser.ConfigParser()
    config.read(SANITIZE, encoding="utf-8")
    regex = re.compile(config["timings"]["regex"])
    for seconds in (3e-9, 4.2e-6, 0.0123, 0.5, 7.0, 99.9, 5432.1, 0.9995, 999.6, 0.0009995):
        line = f"epoch took {format_seconds(seconds)} here"
        assert regex.sub("<time>", line) == "epoch took <time> here", line
    ratio = re.compile(config["speedups"]["regex"])
    assert ratio.sub("<ratio>×", f"{37.25:.1f}× faster") == "<ratio>× faster"


def test_time_function_calls_once_to_warm_up_then_repeats():
    calls = []

    def fn(x, scale=1.0):
        calls.append((x, scale))
        return jnp.asarray(x * scale)

    timing = time_function(fn, 3.0, repeats=5, scale=2.0)
    assert isinstance(timing, Timing)
    assert calls == [(3.0, 2.0)] * 6
    assert timing.repeats == 5
    assert 0 <= timing.best <= timing.median
    assert timing.first_call >= 0 and timing.compile_estimate >= 0


def test_time_function_waits_for_every_result(monkeypatch):
    waited = []
    real = jax.block_until_ready
    monkeypatch.setattr(jax, "block_until_ready", lambda x: waited.append(x) or real(x))
    time_function(lambda: jnp.ones(3) * 2, repeats=4)
    assert len(waited) == 5  # the warm-up call and each of the 4 timed calls


def test_first_call_of_a_jitted_function_includes_compilation():
    @jax.jit
    def f(x):
        for _ in range(30):  # a program big enough that compiling it is clearly slower
            x = jnp.sin(x) @ x.T
        return x

    timing = time_function(f, jnp.ones((8, 8)), repeats=3)
    assert timing.first_call > timing.median
    assert timing.compile_estimate == pytest.approx(timing.first_call - timing.median)


def test_timing_str_uses_format_seconds():
    text = str(Timing(first_call=0.25, median=0.0012, best=0.001, repeats=7))
    assert text == "first call 250 ms, then median 1.2 ms over 7 runs"


def test_format_seconds_never_uses_an_exponent():
    for exponent in range(-10, 4):
        for mantissa in (0.99949, 0.9995, 0.99951, 0.99999, 1.0, 9.9995, 99.995, 99.9951):
            text = format_seconds(mantissa * 10.0**exponent)
            assert "e" not in text.split()[0], text
            assert float(text.split()[0]) < 1000 or text.endswith(" s"), text


@pytest.mark.parametrize("seconds", [-1.0, float("nan"), float("inf")])
def test_format_seconds_rejects_impossible_durations(seconds):
    with pytest.raises(ValueError, match="format_seconds: seconds must be a finite number >= 0"):
        format_seconds(seconds)


@pytest.mark.parametrize("repeats", [0, -3, True, 2.0, "7"])
def test_repeats_must_be_a_positive_integer(repeats):
    with pytest.raises(
        ValueError, match=r"time_function: repeats must be an integer of at least 1, got"
    ):
        time_function(lambda: 1, repeats=repeats)


def test_repeats_may_be_a_numpy_integer():
    import numpy as np

    timing = time_function(lambda: jnp.ones(2), repeats=np.int64(3))
    assert timing.repeats == 3 and isinstance(timing.repeats, int)
    assert str(timing).endswith("over 3 runs")


@pytest.mark.parametrize("returned", [None, 3.0, "done", [np.ones(3)]])
def test_a_function_that_returns_no_jax_array_cannot_be_timed(returned):
    """Storing the result instead of returning it would time only the dispatch (22 µs for a
    444 ms computation): refused, with what to do."""
    stored = {}

    def work():
        stored["result"] = jnp.ones((256, 256)) @ jnp.ones((256, 256))
        return returned

    with pytest.raises(ValueError, match=r"returned \w+, no JAX array.*return the result"):
        time_function(work, repeats=1)


def test_a_pytree_holding_a_jax_array_is_waited_for():
    timing = time_function(lambda: (1, {"a": jnp.ones(3)}), repeats=2)
    assert timing.repeats == 2
