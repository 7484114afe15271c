"""Loss arguments that are the wrong kind of number are refused, with the fix: float or bool
labels of shape (N,) are converted with astype (argmax is for one-hot rows), and complex inputs
would give a complex, meaningless loss (mse([1j], [0.]) was -1+0j)."""

import jax
import jax.numpy as jnp
import pytest

import helpers

LOGITS = jnp.zeros((2, 3))


def _through(name, labels):
    """Call ``name`` with logits (2, 3) or a 2-6-3 network on two examples, and ``labels``."""
    params = helpers.init_mlp(jax.random.key(0), [6, 3])
    images = jnp.ones((2, 6))
    calls = {
        "softmax_cross_entropy": lambda: helpers.softmax_cross_entropy(LOGITS, labels),
        "accuracy": lambda: helpers.accuracy(LOGITS, labels),
        "train_epoch": lambda: helpers.train_epoch(params, images, labels, 0.1, 1),
        "evaluate": lambda: helpers.evaluate(params, images, labels),
        "loss_and_logits": lambda: helpers.loss_and_logits(params, images, labels),
    }
    return calls[name]()


NAMES = ["softmax_cross_entropy", "accuracy", "train_epoch", "evaluate", "loss_and_logits"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "labels", [jnp.array([0.0, 2.0]), jnp.array([True, False])], ids=["float", "bool"]
)
def test_float_or_bool_class_labels_are_converted_with_astype(name, labels):
    """Not the one-hot advice (argmax(axis=1)), which fails on labels of shape (N,)."""
    fn = "softmax_cross_entropy" if name == "loss_and_logits" else name
    with pytest.raises(ValueError, match=rf"^{fn}: labels must be integer class indices, ") as e:
        _through(name, labels)
    assert str(e.value).endswith("convert them with labels.astype(jnp.int32).")
    assert "argmax" not in str(e.value)
    _through(name, labels.astype(jnp.int32))  # the fix works


@pytest.mark.parametrize("name", NAMES)
def test_fractional_labels_are_named_not_class_indices(name):
    fn = "softmax_cross_entropy" if name == "loss_and_logits" else name
    with pytest.raises(
        ValueError,
        match=rf"^{fn}: .*got dtype float32 with values that are not whole numbers, "
        r"such as 0\.5; .*fix the labels\.$",
    ):
        _through(name, jnp.array([0.5, 2.0]))


def test_one_hot_labels_keep_the_argmax_advice():
    from helpers._validate import check_class_labels

    with pytest.raises(ValueError, match=r"targets\.argmax\(axis=1\)"):
        check_class_labels("f", jax.nn.one_hot(jnp.array([0, 2]), 3), 3)


@pytest.mark.parametrize(
    "name, call",
    [
        ("mse", lambda z, r: helpers.mse(z, r)),
        ("mse", lambda z, r: helpers.mse(r, z)),
        ("binary_cross_entropy_with_logits", helpers.binary_cross_entropy_with_logits),
        (
            "binary_cross_entropy_with_logits",
            lambda z, r: helpers.binary_cross_entropy_with_logits(r, z),
        ),
        (
            "softmax_cross_entropy",
            lambda z, r: helpers.softmax_cross_entropy(z[None], jnp.array([0])),
        ),
        ("accuracy", lambda z, r: helpers.accuracy(z[None], jnp.array([0]))),
        ("accuracy", lambda z, r: helpers.accuracy(z, r)),
    ],
)
def test_complex_inputs_are_refused(name, call):
    with pytest.raises(ValueError, match=rf"^{name}: \w+ must hold real numbers, got dtype compl"):
        call(jnp.array([1j, 0.0]), jnp.array([0.0, 1.0]))
