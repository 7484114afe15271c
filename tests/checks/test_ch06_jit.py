"""Chapter 6's self-checks: a jit-friendly soft threshold and gradient descent with lax.scan."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from helpers import checks
from helpers.checks import ch06_jit


def soft_threshold(x, t):
    return jnp.where(x > t, x - t, jnp.where(x < -t, x + t, 0.0))


def with_if(x, t):
    if x > t:
        return x - t
    return jnp.zeros_like(x)


def test_soft_threshold_accepts_the_solution(expect):
    expect(
        checks.check_soft_threshold(soft_threshold),
        True,
        "jax.jit(soft_threshold) matches the reference on all 3 test inputs.",
    )


@pytest.mark.parametrize(
    "answer, fragments",
    [
        pytest.param(
            lambda x, t: jnp.where(jnp.abs(x) > t, x, 0.0),
            ["soft_threshold(", "expected [-2.5", "got [-3."],
            id="hard-threshold",
        ),
        pytest.param(lambda x, t: jnp.maximum(x - t, 0.0), ["expected [-2.5"], id="one-sided"),
        pytest.param(
            with_if,
            ["raised ValueError", "does not work under jax.jit", "use jnp.where instead"],
            id="python-if",
        ),
        pytest.param(
            lambda x, t: (
                x if float(jnp.max(x)) > 100 else soft_threshold(x, t)
            ),  # needs a concrete x
            ["jax.jit(soft_threshold)(", "raised ConcretizationTypeError", "use jnp.where instead"],
            id="float-under-jit",
        ),
    ],
)
def test_soft_threshold_rejects_wrong_answers(expect, answer, fragments):
    expect(checks.check_soft_threshold(answer), False, *fragments)


def descent_path(x0, lr, steps):
    grad_f = jax.grad(lambda x: (x - 3.0) ** 2)

    def body(x, _):
        x = x - lr * grad_f(x)
        return x, x

    return jax.lax.scan(body, jnp.asarray(x0, dtype=jnp.float32), None, length=steps)[1]


def descent_path_before(x0, lr, steps):
    grad_f = jax.grad(lambda x: (x - 3.0) ** 2)
    return jax.lax.scan(
        lambda x, _: (x - lr * grad_f(x), x), jnp.asarray(x0, dtype=jnp.float32), None, length=steps
    )[1]


def test_descent_path_accepts_the_solution(expect):
    expect(
        checks.check_descent_path(descent_path),
        True,
        "descent_path matches the reference on all 3 test inputs.",
    )


@pytest.mark.parametrize(
    "answer, fragments",
    [
        pytest.param(
            descent_path_before,
            ["descent_path(0, 0.1, 5): expected [0.6", "got [0."],
            id="before-each-step",
        ),
        pytest.param(
            lambda x0, lr, steps: descent_path(x0, lr, steps)[-1],
            ["the shape differs: expected (5,), got ()"],
            id="final-value-only",
        ),
    ],
)
def test_descent_path_rejects_wrong_answers(expect, answer, fragments):
    expect(checks.check_descent_path(answer), False, *fragments)


def descent_python_loop(x0, lr, steps):
    grad_f = jax.grad(lambda x: (x - 3.0) ** 2)
    x, path = jnp.asarray(x0, dtype=jnp.float32), []
    for _ in range(steps):
        x = x - lr * grad_f(x)
        path.append(x)
    return jnp.stack(path)


def descent_numpy_loop(x0, lr, steps):
    x, path = float(x0), []
    for _ in range(steps):
        x = x - lr * 2.0 * (x - 3.0)
        path.append(x)
    return np.array(path, dtype=np.float32)


def descent_fori_loop(x0, lr, steps):
    """A compiled loop too: fori_loop with Python bounds is traced as a scan, so it passes."""
    grad_f = jax.grad(lambda x: (x - 3.0) ** 2)

    def body(i, carry):
        x, path = carry
        x = x - lr * grad_f(x)
        return x, path.at[i].set(x)

    start = (jnp.asarray(x0, dtype=jnp.float32), jnp.zeros(steps))
    return jax.lax.fori_loop(0, steps, body, start)[1]


@pytest.mark.parametrize("answer", [descent_python_loop, descent_numpy_loop])
def test_descent_path_refuses_a_python_loop(expect, answer):
    """The values are right, the loop is not a scan: the hint names the rule and the fix."""
    expect(
        checks.check_descent_path(answer),
        False,
        "descent_path(0.0, 0.1, 5) gives the right values, but its traced program holds no scan",
        "the exercise asks for the loop to be a jax.lax.scan",
        "jax.lax.scan(body, x0, None, length=steps)",
    )


def test_descent_path_accepts_a_compiled_fori_loop(expect):
    expect(checks.check_descent_path(descent_fori_loop), True, "matches the reference")


def steps_to_reach(x0, lr, tol, max_steps):
    def not_there(carry):
        x, count = carry
        return (jnp.abs(x - 3.0) >= tol) & (count < max_steps)

    def step(carry):
        x, count = carry
        return x - lr * 2.0 * (x - 3.0), count + 1

    return jax.lax.while_loop(not_there, step, (jnp.asarray(x0, dtype=jnp.float32), 0))[1]


def steps_python_while(x0, lr, tol, max_steps):
    x, count = x0, 0
    while abs(x - 3.0) >= tol and count < max_steps:
        x, count = x - lr * 2.0 * (x - 3.0), count + 1
    return count


def steps_python_range(x0, lr, tol, max_steps):
    x = jnp.asarray(x0, dtype=jnp.float32)
    for _ in range(max_steps):
        x = jnp.where(jnp.abs(x - 3.0) < tol, x, x - lr * 2.0 * (x - 3.0))
    return jnp.sum(0)


def steps_without_abs(x0, lr, tol, max_steps):
    def not_there(carry):
        return (carry[0] - 3.0 >= tol) & (carry[1] < max_steps)

    return jax.lax.while_loop(
        not_there, lambda c: (c[0] - lr * 2.0 * (c[0] - 3.0), c[1] + 1), (x0 * 1.0, 0)
    )[1]


def test_steps_to_reach_accepts_the_solution(expect):
    expect(
        checks.check_steps_to_reach(steps_to_reach),
        True,
        "jax.jit(steps_to_reach) gives the right number of steps in all 6 cases.",
    )


def test_the_reference_counts_are_what_jax_computes():
    """The check's float32 NumPy reference agrees with the while_loop (on any JAX version)."""
    for case in ch06_jit._STEPS_CASES:
        assert int(jax.jit(steps_to_reach)(*case)) == ch06_jit._steps_reference(*case)
    assert [ch06_jit._steps_reference(*c) for c in ch06_jit._STEPS_CASES] == [36, 10, 4, 0, 25, 30]


@pytest.mark.parametrize(
    "answer, fragments",
    [
        pytest.param(
            steps_python_while,
            ["jax.jit(steps_to_reach)(0, 0.1, 0.001, 1000) raised Tracer", "jax.lax.while_loop"],
            id="python-while",
        ),
        pytest.param(
            steps_python_range,
            ["steps_to_reach(0, 0.1, 0.001, 1000): expected 36, got 0"],
            id="python-range",
        ),
        pytest.param(
            steps_without_abs,
            ["steps_to_reach(0, 0.1, 0.001, 1000): expected 36, got 0"],
            id="no-abs",
        ),
        pytest.param(
            lambda x0, lr, tol, max_steps: steps_to_reach(x0, lr, tol, max_steps) + 1,
            ["expected 36, got 37"],
            id="off-by-one",
        ),
    ],
)
def test_steps_to_reach_rejects_wrong_answers(expect, answer, fragments):
    expect(checks.check_steps_to_reach(answer), False, *fragments)


def test_python_range_under_jit_gets_the_while_loop_hint(expect):
    def counted(x0, lr, tol, max_steps):
        count = 0
        for _ in range(max_steps):
            count += 1
        return steps_to_reach(x0, lr, tol, max_steps) + count - max_steps

    expect(
        checks.check_steps_to_reach(counted),
        False,
        "raised TracerIntegerConversionError",
        "range(max_steps)",
        "jax.lax.while_loop",
    )
