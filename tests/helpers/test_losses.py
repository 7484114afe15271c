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


@pytest.mark.parametrize(
    "logit,target,expected",
    [
        (100.0, 1.0, 0.0),  # confident and right: no loss
        (-100.0, 0.0, 0.0),
        (100.0, 0.0, 100.0),  # confident and wrong: loss = |logit| (log(1 + e^100) ~ 100)
        (-100.0, 1.0, 100.0),
    ],
)
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
    assert float(softmax_cross_entropy(logits, labels)) == pytest.approx(
        (first + second) / 2, rel=1e-6
    )


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
            numeric[i, j] = (
                softmax_cross_entropy(logits + bump, labels)
                - softmax_cross_entropy(logits - bump, labels)
            ) / (2 * eps)
    np.testing.assert_allclose(grad, numeric, atol=1e-4)


def test_accuracy_multiclass_and_binary():
    logits = jnp.array([[2.0, 1.0], [0.0, 3.0], [5.0, 1.0]])
    assert float(accuracy(logits, jnp.array([0, 1, 1]))) == pytest.approx(2 / 3)
    assert (
        float(accuracy(jnp.array([2.0, -1.0, 0.5, -3.0]), jnp.array([1.0, 0.0, 0.0, 0.0]))) == 0.75
    )


def test_losses_reject_mismatched_shapes_with_a_clear_message():
    with pytest.raises(ValueError, match=r"logits has shape \(4, 1\) but targets has shape \(4,\)"):
        binary_cross_entropy_with_logits(jnp.zeros((4, 1)), jnp.zeros(4))
    with pytest.raises(ValueError, match="pred has shape"):
        mse(jnp.zeros(3), jnp.zeros(2))
    with pytest.raises(ValueError, match="integer class indices"):
        softmax_cross_entropy(jnp.zeros((2, 3)), jnp.array([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"labels of shape \(N,\)"):
        softmax_cross_entropy(jnp.zeros((2, 3)), jnp.array([[0, 1]]))


# --- Nothing fails silently: bad values give a clear error (outside jit) -----------------------
LOGITS = jnp.array([[1.0, 2.0, 3.0], [0.0, 0.0, 1.0]])


@pytest.mark.parametrize("fn", [softmax_cross_entropy, accuracy])
@pytest.mark.parametrize(
    "bad, message",
    [
        (
            3,
            r"labels must be class indices from 0 to 2 \(the logits have 3 classes\), got a label "
            r"of 3\. Fix the labels, or give the network's last layer 4 outputs",
        ),
        (-1, r"labels must be class indices from 0 to 2, got a label of -1\. Negative labels"),
    ],
)
def test_labels_out_of_range_raise(fn, bad, message):
    with pytest.raises(ValueError, match=message):
        fn(LOGITS, jnp.array([0, bad]))
    with pytest.raises(ValueError, match=message):  # NumPy labels are checked the same way
        fn(np.asarray(LOGITS), np.array([0, bad]))


def test_under_jit_bad_labels_behave_as_documented():
    """Inside jit the values cannot be read: a label >= C gives nan, -1 reads as class C-1."""
    assert np.isnan(float(jax.jit(softmax_cross_entropy)(LOGITS, jnp.array([0, 3]))))
    wrapped = float(jax.jit(softmax_cross_entropy)(LOGITS, jnp.array([0, -1])))
    assert wrapped == pytest.approx(float(softmax_cross_entropy(LOGITS, jnp.array([0, 2]))))
    assert float(jax.jit(accuracy)(LOGITS, jnp.array([5, 5]))) == 0.0


def test_labels_captured_as_constants_inside_jit_are_not_read():
    labels = jnp.array([2, 1])  # a concrete array, but traced once jit captures it
    loss = jax.jit(lambda logits: softmax_cross_entropy(logits, labels))(LOGITS)
    assert float(loss) == pytest.approx(float(softmax_cross_entropy(LOGITS, labels)))
    grads = jax.jit(jax.grad(lambda logits: softmax_cross_entropy(logits, labels)))(LOGITS)
    assert grads.shape == LOGITS.shape


def test_accuracy_of_one_column_logits_asks_for_logits_0():
    with pytest.raises(
        ValueError,
        match=r"logits of shape \(4, 1\) hold one logit per example.*"
        r"Pass logits\[:, 0\] with 0/1 labels",
    ):
        accuracy(jnp.ones((4, 1)), jnp.array([0, 1, 1, 0]))


def test_nan_logits_count_as_wrong():
    nan = float("nan")
    assert float(
        accuracy(jnp.array([[nan, 1.0], [1.0, nan], [2.0, 1.0]]), jnp.array([0, 1, 0]))
    ) == pytest.approx(1 / 3)
    assert float(jax.jit(accuracy)(jnp.full((2, 3), nan), jnp.array([0, 0]))) == 0.0
    assert float(accuracy(jnp.array([nan, nan, 1.0]), jnp.array([0.0, 1.0, 1.0]))) == pytest.approx(
        1 / 3
    )


@pytest.mark.parametrize("targets", [[2.0, 0.0], [-1.0, 1.0]])
def test_bce_targets_outside_the_unit_interval_raise(targets):
    with pytest.raises(
        ValueError,
        match=r"targets must be in \[0, 1\] \(0/1 labels or probabilities\), "
        r"got values from",
    ):
        binary_cross_entropy_with_logits(jnp.array([1.0, -1.0]), jnp.array(targets))


def test_binary_accuracy_labels_outside_the_unit_interval_raise():
    with pytest.raises(ValueError, match=r"accuracy: labels must be in \[0, 1\]"):
        accuracy(jnp.array([1.0, -1.0]), jnp.array([2, 0]))


def test_bce_with_infinite_logits():
    inf = float("inf")
    right = binary_cross_entropy_with_logits(jnp.array([inf, -inf]), jnp.array([1.0, 0.0]))
    assert float(right) == 0.0
    wrong = binary_cross_entropy_with_logits(jnp.array([inf, -inf]), jnp.array([0.0, 1.0]))
    assert float(wrong) == inf
    grad = jax.grad(binary_cross_entropy_with_logits)(jnp.array([inf, -inf]), jnp.array([1.0, 0.0]))
    np.testing.assert_array_equal(grad, [0.0, 0.0])
    soft = binary_cross_entropy_with_logits(
        jnp.array([3.0]), jnp.array([0.25])
    )  # soft targets still work
    expected = -(0.25 * math.log(1 / (1 + math.exp(-3))) + 0.75 * math.log(1 / (1 + math.exp(3))))
    assert float(soft) == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: mse(jnp.zeros(0), jnp.zeros(0)), id="mse"),
        pytest.param(
            lambda: binary_cross_entropy_with_logits(jnp.zeros(0), jnp.zeros(0)), id="bce"
        ),
        pytest.param(
            lambda: softmax_cross_entropy(jnp.zeros((0, 3)), jnp.zeros(0, jnp.int32)),
            id="softmax_ce",
        ),
        pytest.param(lambda: accuracy(jnp.zeros((0, 3)), jnp.zeros(0, jnp.int32)), id="accuracy"),
        pytest.param(lambda: accuracy(jnp.zeros(0), jnp.zeros(0)), id="binary_accuracy"),
        pytest.param(lambda: jax.jit(mse)(jnp.zeros(0), jnp.zeros(0)), id="mse_jit"),
    ],
)
def test_empty_inputs_raise(call):
    with pytest.raises(
        ValueError, match=r"is empty \(shape \(0,.*nothing to average. Pass at least one"
    ):
        call()


def test_python_lists_are_accepted():
    assert float(mse([1.0, 2.0], [0.0, 4.0])) == pytest.approx(2.5)
    assert float(softmax_cross_entropy([[0.0, 0.0, 0.0]], [1])) == pytest.approx(math.log(3))
    assert float(accuracy([[2.0, 1.0], [0.0, 3.0]], [0, 0])) == 0.5
    assert float(accuracy([2.0, -1.0], [1, 1])) == 0.5
    assert float(binary_cross_entropy_with_logits([0.0], [1.0])) == pytest.approx(math.log(2))
    with pytest.raises(
        TypeError, match="mse: pred must be an array or a .*list of numbers, got list"
    ):
        mse([[1.0, 2.0], [3.0]], [0.0, 1.0])


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int32])
def test_mse_of_integers_is_computed_in_floating_point(dtype):
    """In uint8, 10 - 30 wraps around to 236: [200, 10] vs [0, 30] gave 104, not 20200."""
    pred, target = np.array([100, 10], dtype), np.array([0, 30], dtype)
    assert float(mse(pred, target)) == pytest.approx((100**2 + 20**2) / 2)
    assert mse(pred, target).dtype == jnp.float32
