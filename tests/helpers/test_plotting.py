"""The plotting helpers draw what they are given, or say what is wrong with it: a boundary
drawn from logits at 0.5 is no boundary, and a (epochs, steps) array is not one curve."""

import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np
import pytest

import helpers

X, y = helpers.xor_data()


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_a_boundary_is_drawn_from_probabilities():
    ax = helpers.plot_decision_boundary(lambda P: jax.nn.sigmoid(P[:, 0] - P[:, 1]), X, y)
    assert ax.collections, "nothing was drawn"


@pytest.mark.parametrize(
    "predict, message",
    [
        pytest.param(
            lambda P: 3.0 * (P[:, 0] - P[:, 1]),
            r"from -\d.* to \d.*, not probabilities .* logits",
            id="logits",
        ),
        pytest.param(
            lambda P: jnp.ones((len(P), 2)) / 2,
            r"one probability per point.* got shape \(\d+, 2\)",
            id="two-columns",
        ),
    ],
)
def test_a_boundary_from_something_else_is_refused(predict, message):
    with pytest.raises(ValueError, match=message):
        helpers.plot_decision_boundary(predict, X, y, resolution=20)


def test_a_loss_curve_is_one_loss_per_step():
    ax = helpers.plot_loss_curve([1.0, 0.5, 0.25])
    assert len(ax.lines) == 1
    with pytest.raises(ValueError, match=r"got shape \(3, 937\).*ravel\(\).*mean\(axis=1\)"):
        helpers.plot_loss_curve(np.ones((3, 937)))


def test_digits_are_labelled_with_classes_not_logits():
    images = np.zeros((4, 784), np.float32)
    labels = np.array([0, 1, 2, 3])
    helpers.plot_digits(images, labels, predictions=labels, n_cols=4, n_rows=1)
    with pytest.raises(ValueError, match=r"predictions should be one class per image.*argmax"):
        helpers.plot_digits(images, labels, predictions=np.ones((4, 10)), n_cols=4, n_rows=1)
    with pytest.raises(ValueError, match=r"labels should be one class per image"):
        helpers.plot_digits(images, np.eye(4), n_cols=4, n_rows=1)


@pytest.mark.parametrize(
    "args, message",
    [
        pytest.param(
            (np.ones((4, 10)), [0, 1, 2, 3]),
            r"images should be 28x28 digits.*got shape \(4, 10\)",
            id="logits-as-images",
        ),
        pytest.param(
            (np.zeros((4, 784)), [0, 1, 2, 3], np.linspace(-1, 1, 4)),
            r"predictions should be "
            r"class numbers \(0 to 9\), got fractions such as -0.333.*argmax",
            id="one-logit-per-image",
        ),
        pytest.param(
            (np.zeros((4, 784)), np.array([0.2, 0.9, 0.1, 0.5])),
            r"labels should be class numbers",
            id="probabilities-as-labels",
        ),
        pytest.param(
            (np.zeros((4, 784)), [0, 1]),
            r"labels should be one class per image, shape \(4,\)",
            id="too-few-labels",
        ),
    ],
)
def test_digits_from_logits_are_refused_with_the_fix(args, message):
    with pytest.raises(ValueError, match=message):
        helpers.plot_digits(*args, n_cols=4, n_rows=1)


@pytest.mark.parametrize("bad", [jnp.nan, jnp.inf])
def test_a_boundary_from_a_diverged_network_is_refused(bad):
    """nan outputs drew a blank plot, with no message."""
    with pytest.raises(
        ValueError,
        match=r"nan or inf at 400 of 400 points: .*nan/inf, so .*"
        r"diverged; lower the learning rate",
    ):
        helpers.plot_decision_boundary(lambda P: jnp.full(len(P), bad), X, y, resolution=20)
    with pytest.raises(ValueError, match=r"at 1 of 400 points"):
        helpers.plot_decision_boundary(
            lambda P: jax.nn.sigmoid(P[:, 0]).at[3].set(bad), X, y, resolution=20
        )


def test_digits_without_labels_are_titled_with_the_predictions():
    """labels=None was 'NoneType' object is not subscriptable."""
    images = np.zeros((4, 784), np.float32)
    fig = helpers.plot_digits(images, None, np.array([7, 1, 2, 3]), n_cols=4, n_rows=1)
    assert [ax.get_title() for ax in fig.axes] == ["pred 7", "pred 1", "pred 2", "pred 3"]
    fig = helpers.plot_digits(images, None, n_cols=4, n_rows=1)
    assert [ax.get_title() for ax in fig.axes] == ["", "", "", ""]
