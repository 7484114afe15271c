"""Self-checks of chapters 6 (jit) and 7 (MNIST): accept the reference, reject plausible mistakes."""
from __future__ import annotations

import jax
import jax.numpy as jnp

from helpers import checks


def _run(capsys, check, answer):
    result = check(answer)
    return result, capsys.readouterr().out


# Chapter 6 ---------------------------------------------------------------------

def soft_threshold(x, t):
    return jnp.where(x > t, x - t, jnp.where(x < -t, x + t, 0.0))


def test_soft_threshold_accepts_the_solution(capsys):
    ok, out = _run(capsys, checks.check_soft_threshold, soft_threshold)
    assert ok and out.startswith("Correct: jax.jit(soft_threshold) matches the reference")


def test_soft_threshold_rejects_a_hard_threshold(capsys):
    ok, out = _run(capsys, checks.check_soft_threshold, lambda x, t: jnp.where(jnp.abs(x) > t, x, 0.0))
    assert not ok and out.startswith("Not quite yet: jax.jit(soft_threshold)(")
    assert "expected [-2.5" in out and "got [-3." in out


def test_soft_threshold_rejects_a_python_if(capsys):
    def with_if(x, t):
        if x > t:
            return x - t
        return jnp.zeros_like(x)

    ok, out = _run(capsys, checks.check_soft_threshold, with_if)
    assert not ok and "does not work under jax.jit" in out and "jnp.where" in out


def test_soft_threshold_rejects_a_one_sided_answer(capsys):
    ok, out = _run(capsys, checks.check_soft_threshold, lambda x, t: jnp.maximum(x - t, 0.0))
    assert not ok and "expected [-2.5" in out


def test_soft_threshold_rejects_the_starter(capsys):
    ok, out = _run(capsys, checks.check_soft_threshold, lambda x, t: ...)
    assert not ok and "write the body of the function first" in out


def descent_path(x0, lr, steps):
    grad_f = jax.grad(lambda x: (x - 3.0) ** 2)

    def body(x, _):
        x = x - lr * grad_f(x)
        return x, x

    return jax.lax.scan(body, jnp.asarray(x0, dtype=jnp.float32), None, length=steps)[1]


def test_descent_path_accepts_the_solution(capsys):
    ok, out = _run(capsys, checks.check_descent_path, descent_path)
    assert ok and out == "Correct: descent_path matches the reference on all 3 test inputs.\n"


def test_descent_path_rejects_values_before_each_step(capsys):
    def before(x0, lr, steps):
        grad_f = jax.grad(lambda x: (x - 3.0) ** 2)
        return jax.lax.scan(lambda x, _: (x - lr * grad_f(x), x),
                            jnp.asarray(x0, dtype=jnp.float32), None, length=steps)[1]

    ok, out = _run(capsys, checks.check_descent_path, before)
    assert not ok and "descent_path(0, 0.1, 5): expected [0.6" in out and "got [0." in out


def test_descent_path_rejects_the_final_value_only(capsys):
    ok, out = _run(capsys, checks.check_descent_path, lambda x0, lr, steps: descent_path(x0, lr, steps)[-1])
    assert not ok and "the shape differs: expected (5,), got ()" in out


# Chapter 7 ---------------------------------------------------------------------

def test_per_class_accuracy_accepts_the_solution(capsys):
    ok, out = _run(capsys, checks.check_per_class_accuracy, lambda c: jnp.diag(c) / c.sum(axis=1))
    assert ok and out.startswith("Correct: per_class_accuracy")


def test_per_class_accuracy_rejects_column_sums(capsys):
    ok, out = _run(capsys, checks.check_per_class_accuracy, lambda c: jnp.diag(c) / c.sum(axis=0))
    assert not ok and "expected [0.8333 0.6    1.    ], got [0.7143 0.8571 0.6667]" in out


def test_per_class_accuracy_rejects_overall_accuracy(capsys):
    ok, out = _run(capsys, checks.check_per_class_accuracy, lambda c: jnp.trace(c) / c.sum())
    assert not ok and "the shape differs: expected (3,), got ()" in out


def top_k_accuracy(logits, labels, k):
    top = jnp.argsort(-logits, axis=1)[:, :k]
    return jnp.mean(jnp.any(top == labels[:, None], axis=1))


def test_top_k_accuracy_accepts_the_solution(capsys):
    ok, out = _run(capsys, checks.check_top_k_accuracy, top_k_accuracy)
    assert ok and out == "Correct: top_k_accuracy matches the reference on all 4 test inputs.\n"


def test_top_k_accuracy_rejects_the_smallest_logits(capsys):
    def smallest(logits, labels, k):
        top = jnp.argsort(logits, axis=1)[:, :k]
        return jnp.mean(jnp.any(top == labels[:, None], axis=1))

    ok, out = _run(capsys, checks.check_top_k_accuracy, smallest)
    assert not ok and "expected 0.166667, got 0.333333" in out


def test_top_k_accuracy_rejects_ignoring_k(capsys):
    ok, out = _run(capsys, checks.check_top_k_accuracy,
                   lambda logits, labels, k: jnp.mean(jnp.argmax(logits, axis=1) == labels))
    assert not ok and ", 2): expected 0.333333, got 0.166667" in out
