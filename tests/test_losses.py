"""Losses against hand computations, finite differences and extreme inputs."""
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from helpers import accuracy, binary_cross_entropy_with_logits, mse, softmax_cross_entropy


def test_mse_by_hand():
    # ((1-0)^2 + (2-4)^2) / 2 = 2.5
    assert float(mse(jnp.array([1.0, 2.0]), jnp.array([0.0, 4.0]))) == pytest.approx(2.5)


def test_bce_with_logits_by_hand():
    z, y = 0.7, 1.0
    expected = -math.log(1 / (1 + math.exp(-z)))
    got = binary_cross_entropy_with_logits(jnp.array([z, -z]), jnp.array([y, 1 - y]))
    assert float(got) == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("logit,target,expected", [
    (100.0, 1.0, 0.0),      # confident and right: no loss
    (-100.0, 0.0, 0.0),
    (100.0, 0.0, 100.0),    # confident and wrong: loss = |logit| (log(1 + e^100) ~ 100)
    (-100.0, 1.0, 100.0),
])
def test_bce_with_logits_is_finite_and_right_at_large_logits(logit, target, expected):
    loss = binary_cross_entropy_with_logits(jnp.array([logit]), jnp.array([target]))
    assert np.isfinite(float(loss))
    assert float(loss) == pytest.approx(expected, abs=1e-4)
    grad = jax.grad(binary_cross_entropy_with_logits)(jnp.array([logit]), jnp.array([target]))
    # d/dz BCE = sigmoid(z) - y
    assert float(grad[0]) == pytest.approx(1 / (1 + math.exp(-logit)) - target, abs=1e-6)


def test_softmax_cross_entropy_by_hand():
    logits = jnp.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    labels = jnp.array([2, 1])
    first = -(3 - math.log(math.exp(1) + math.exp(2) + math.exp(3)))
    second = math.log(3)
    assert float(softmax_cross_entropy(logits, labels)) == pytest.approx((first + second) / 2, rel=1e-6)


def test_softmax_cross_entropy_is_finite_for_huge_logits():
    logits = jnp.array([[1000.0, 2000.0, 3000.0]])
    # log_softmax = x - max - log(sum exp(x - max)) = [-2000, -1000, 0] (the other terms underflow)
    assert float(softmax_cross_entropy(logits, jnp.array([2]))) == pytest.approx(0.0, abs=1e-6)
    assert float(softmax_cross_entropy(logits, jnp.array([0]))) == pytest.approx(2000.0, rel=1e-6)
    grads = jax.grad(softmax_cross_entropy)(logits, jnp.array([0]))
    np.testing.assert_allclose(grads, [[-1.0, 0.0, 1.0]], atol=1e-6)


def test_softmax_cross_entropy_gradient_matches_finite_differences():
    logits = jax.random.normal(jax.random.key(0), (4, 5))
    labels = jnp.array([0, 3, 4, 1])
    grad = np.asarray(jax.grad(softmax_cross_entropy)(logits, labels))
    eps = 1e-2
    numeric = np.zeros_like(grad)
    for i in range(4):
        for j in range(5):
            bump = jnp.zeros_like(logits).at[i, j].set(eps)
            numeric[i, j] = (softmax_cross_entropy(logits + bump, labels)
                             - softmax_cross_entropy(logits - bump, labels)) / (2 * eps)
    np.testing.assert_allclose(grad, numeric, atol=1e-4)


def test_accuracy_multiclass_and_binary():
    logits = jnp.array([[2.0, 1.0], [0.0, 3.0], [5.0, 1.0]])
    assert float(accuracy(logits, jnp.array([0, 1, 1]))) == pytest.approx(2 / 3)
    assert float(accuracy(jnp.array([2.0, -1.0, 0.5, -3.0]), jnp.array([1.0, 0.0, 0.0, 0.0]))) == 0.75


def test_losses_reject_mismatched_shapes_with_a_clear_message():
    with pytest.raises(ValueError, match=r"logits has shape \(4, 1\) but targets has shape \(4,\)"):
        binary_cross_entropy_with_logits(jnp.zeros((4, 1)), jnp.zeros(4))
    with pytest.raises(ValueError, match="pred has shape"):
        mse(jnp.zeros(3), jnp.zeros(2))
    with pytest.raises(ValueError, match="integer class indices"):
        softmax_cross_entropy(jnp.zeros((2, 3)), jnp.array([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"labels of shape \(N,\)"):
        softmax_cross_entropy(jnp.zeros((2, 3)), jnp.array([[0, 1]]))
