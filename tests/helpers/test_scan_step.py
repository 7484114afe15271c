"""scan_epoch's step must return (new_state, (loss, accuracy)); each way of getting that wrong
gets one line naming what came back, not lax.scan's dump of pytrees (issue 24)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import pytest

from helpers import init_mlp, scan_epoch, sgd_step, train_epoch
from helpers.training import loss_and_logits

images = jax.random.uniform(jax.random.key(0), (40, 6))
labels = jnp.arange(40) % 3
params = init_mlp(jax.random.key(1), [6, 5, 3])


def good(p, x, y):
    return sgd_step(p, x, y, 0.1)


def metrics(x):
    return jnp.sum(x), jnp.mean(x)


@pytest.mark.parametrize(
    "step, message",
    [
        pytest.param(
            lambda p, x, y: good(p, x, y)[0], "it returned only the new state", id="state-only"
        ),
        pytest.param(
            lambda p, x, y: (p, jnp.sum(x)),
            r"its second item is an array of shape \(\), not a pair",
            id="loss-only",
        ),
        pytest.param(
            lambda p, x, y: (metrics(x), p),
            "the pair in the wrong order, the new state second",
            id="swapped",
        ),
        pytest.param(
            lambda p, x, y: (p, *metrics(x)), "it returned a tuple of 3 items", id="flat-triple"
        ),
        pytest.param(lambda p, x, y: None, "it returned None", id="none"),
        pytest.param(
            lambda p, x, y: (p, (*metrics(x), 0.0)),
            "its second item is a tuple of 3 items",
            id="three-metrics",
        ),
        pytest.param(
            lambda p, x, y: (p[0], metrics(x)),
            r"the new state is PyTreeDef\(\(\*, \*\)\), not",
            id="other-structure",
        ),
        pytest.param(
            lambda p, x, y: (
                jax.tree_util.tree_map(lambda a: a.astype(jnp.float16), p),
                metrics(x),
            ),
            r"changed the state at \[0\]\[0\] from float32\[6, 5\] to float16\[6, 5\]",
            id="other-dtype",
        ),
        pytest.param(
            lambda p, x, y: (jax.tree_util.tree_map(lambda a: a[None], p), metrics(x)),
            r"from float32\[6, 5\] to float32\[1, 6, 5\]",
            id="other-shape",
        ),
    ],
)
def test_a_wrong_step_gets_one_clear_line(step, message):
    with pytest.raises(
        TypeError,
        match=r"scan_epoch: step\(state, batch_images, batch_labels\) "
        r"should return \(new_state, \(loss, accuracy\)\), but .*" + message,
    ):
        scan_epoch(step, params, images, labels, 8)
    with pytest.raises(TypeError, match=message):  # the same inside the caller's jit
        jax.jit(lambda p: scan_epoch(step, p, images, labels, 8))(params)


def test_right_steps_still_run():
    """A weakly typed carry that scan promotes (a Python 0 that becomes a float) is no error."""
    assert scan_epoch(good, params, images, labels, 8)[1].shape == (5,)
    count, *_ = scan_epoch(lambda c, x, y: (c + 0.5, metrics(x)), 0, images, labels, 8)
    assert float(count) == 2.5


def test_train_epoch_and_evaluate_refuse_one_hot_labels():
    one_hot = jax.nn.one_hot(labels, 3)
    with pytest.raises(ValueError, match=r"train_epoch: labels should be one class index .*argmax"):
        train_epoch(params, images, one_hot, 0.1, 8)
    assert loss_and_logits(params, images, labels)[1].shape == (40, 3)
