"""Chapter 7's self-checks: per-class accuracy and top-k accuracy."""

from __future__ import annotations

import jax.numpy as jnp
import pytest

from helpers import checks


def top_k_accuracy(logits, labels, k, order=-1):
    top = jnp.argsort(order * logits, axis=1)[:, :k]
    return jnp.mean(jnp.any(top == labels[:, None], axis=1))


def per_class_accuracy(confusion):
    return jnp.diag(confusion) / confusion.sum(axis=1)


def test_per_class_accuracy_accepts_the_solution(expect):
    expect(checks.check_per_class_accuracy(per_class_accuracy), True, "on all 3 test inputs.")


def test_top_k_accuracy_accepts_the_solution(expect):
    expect(checks.check_top_k_accuracy(top_k_accuracy), True, "on all 4 test inputs.")


@pytest.mark.parametrize(
    "check, answer, fragment",
    [
        pytest.param(
            checks.check_per_class_accuracy,
            lambda c: jnp.diag(c) / c.sum(axis=0),  # column sums
            "expected [0.8333 0.6    1.    ], got [0.7143 0.8571 0.6667]",
            id="column-sums",
        ),
        pytest.param(
            checks.check_per_class_accuracy,
            lambda c: jnp.trace(c) / c.sum(),  # overall accuracy
            "the shape differs: expected (3,), got ()",
            id="overall",
        ),
        pytest.param(
            checks.check_top_k_accuracy,
            lambda logits, labels, k: top_k_accuracy(logits, labels, k, order=1),
            "expected 0.166667, got 0.333333",
            id="smallest",
        ),
        pytest.param(
            checks.check_top_k_accuracy,
            lambda logits, labels, k: jnp.mean(jnp.argmax(logits, axis=1) == labels),
            ", 2): expected 0.333333, got 0.166667",
            id="ignores-k",
        ),
    ],
)
def test_mnist_checks_reject_wrong_answers(expect, check, answer, fragment):
    expect(check(answer), False, fragment)
