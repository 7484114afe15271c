"""Chapter 3's self-checks: a stable binary cross entropy and log softmax."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import pytest

import helpers
from helpers import checks


def bce_reference(logits, targets):
    def log_sigmoid(z):  # -softplus(-z), written stably
        return -(jnp.maximum(-z, 0) + jnp.log1p(jnp.exp(-jnp.abs(z))))

    return -jnp.mean(targets * log_sigmoid(logits) + (1 - targets) * log_sigmoid(-logits))


def bce_naive(logits, targets):
    p = jax.nn.sigmoid(logits)
    return -jnp.mean(targets * jnp.log(p) + (1 - targets) * jnp.log(1 - p))


def bce_softplus_overflows(logits, targets):
    # log(1 + exp(-z)) without the max trick: exp(1000) overflows to inf.
    def log_sigmoid(z):
        return -jnp.log1p(jnp.exp(-z))

    return -jnp.mean(targets * log_sigmoid(logits) + (1 - targets) * log_sigmoid(-logits))


def bce_unfinished(logits, targets):
    # your code here
    ...


def log_softmax_reference(x):
    m = jnp.max(x, axis=-1, keepdims=True)
    return x - m - jnp.log(jnp.sum(jnp.exp(x - m), axis=-1, keepdims=True))


@pytest.mark.parametrize("answer", [bce_reference, helpers.binary_cross_entropy_with_logits])
def test_bce_check_accepts_reference_and_helper(expect, answer):
    expect(
        checks.check_bce_with_logits(answer), True, "bce_from_logits matches the reference on all 4"
    )


def test_log_softmax_check_accepts_reference(expect):
    expect(
        checks.check_log_softmax(log_softmax_reference), True, "log_softmax matches the reference"
    )


@pytest.mark.parametrize(
    "answer, fragments",
    [
        (
            bce_naive,
            [
                "bce_from_logits([ 100. -100.  100. -100.], [1. 0. 0. 1.]): expected 50, got nan",
                "it is nan or inf where a finite number is expected",
            ],
        ),
        (
            bce_softplus_overflows,
            ["([ 100. -100.  100. -100.], [1. 0. 0. 1.]): expected 50, got nan"],
        ),
        (
            lambda logits, targets: bce_reference(logits, targets) * logits.shape[0],
            [
                "bce_from_logits([ 2. -1.], [1. 0.]): expected 0.220095, got 0.44019",
                "the largest difference is 0.22, "
                "more than the tolerance 0.0001 + 1e-05 × |expected|",
            ],
        ),
        (
            bce_unfinished,
            [
                "bce_from_logits([ 2. -1.], [1. 0.]) returned None: "
                "write the body of the function first"
            ],
        ),
        (
            lambda logits, targets: jnp.log(logits) + undefined_name,  # noqa: F821
            ["raised NameError: name 'undefined_name' is not defined"],
        ),
    ],
    ids=["naive", "softplus-overflows", "sum", "unfinished", "name-error"],
)
def test_bce_check_rejects_wrong_answers(expect, answer, fragments):
    expect(checks.check_bce_with_logits(answer), False, *fragments)


@pytest.mark.parametrize(
    "answer, fragment",
    [
        (
            lambda x: jnp.log(jnp.exp(x) / jnp.sum(jnp.exp(x), axis=-1, keepdims=True)),
            "log_softmax([1000. 2000. 3000.]): expected [-2000. -1000.     0.], got [nan nan nan]",
        ),
        (
            lambda x: x - jnp.max(x, axis=-1, keepdims=True),
            "log_softmax([1. 2. 3.]): expected [-2.4076 -1.4076 -0.4076], got [-2. -1.  0.]",
        ),
        (
            lambda x: x - jnp.max(x) - jnp.log(jnp.sum(jnp.exp(x - jnp.max(x)))),
            "log_softmax([[   1.    2.    3.] [1000. 1000. 1000.] [  -5.    0.    5.]])",
        ),
    ],
    ids=["overflow", "no-log-sum", "whole-batch-max"],
)
def test_log_softmax_check_rejects_wrong_answers(expect, answer, fragment):
    expect(checks.check_log_softmax(answer), False, fragment)
