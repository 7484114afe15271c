"""Chapter 4's self-checks: the gradient with respect to the weights, central differences and
per-example gradient norms."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import pytest

import helpers
from helpers import checks


def loss_xyp(x, y, params):
    return helpers.binary_cross_entropy_with_logits(helpers.mlp_forward(params, x)[:, 0], y)


def params(seed: int = 0):
    return helpers.init_mlp(jax.random.key(seed), [2, 16, 1])


def weight_grads(params):
    return jax.grad(loss_xyp, argnums=2)(*helpers.xor_data(), params)


@pytest.mark.parametrize(
    "container",
    [
        pytest.param(lambda grads: grads, id="list-of-tuples"),
        pytest.param(lambda grads: tuple(grads), id="tuple-of-tuples"),
        pytest.param(lambda grads: [list(pair) for pair in grads], id="list-of-lists"),
        pytest.param(lambda grads: tuple(list(pair) for pair in grads), id="tuple-of-lists"),
    ],
)
def test_weight_grads_check_accepts_what_mlp_forward_accepts(expect, container):
    """Issue 24: any list or tuple of (W, b) pairs holds the same gradient."""
    grads = container(weight_grads(params()))
    helpers.mlp_forward(grads, jnp.ones((1, 2)))  # a container mlp_forward accepts
    expect(checks.check_weight_grads(grads), True, "grads is right.")


# Wrong answers, made when their test runs (not while every pytest-xdist worker collects).
WRONG_GRADS = {
    "input-gradient": (
        lambda: jax.grad(loss_xyp)(*helpers.xor_data(), params()),
        [
            "grads should be a list of 2 (W, b) layers, not an array of shape (4, 2)",
            "Hint: this has the shape of an input",
        ],
    ),
    "other-params": (
        lambda: weight_grads(params(seed=1)),
        ["grads: layer 0, W: expected an array of shape (2, 16)", "the largest difference is"],
    ),
    "params": (params, ["grads: layer 0, W: expected"]),  # the parameters, not their gradient
    "starter": (lambda: ..., ["grads is still Ellipsis: compute it with jax.grad first."]),
    "dict": (
        lambda: {"W1": weight_grads(params())[0][0]},
        ["grads should be a list of (W, b) pairs, one per layer", "not a dict with keys 'W1'"],
    ),
    "flat-leaves": (
        lambda: jax.tree_util.tree_leaves(weight_grads(params())),
        ["grads should be a list of (W, b) pairs", "not a Python list of 4 arrays"],
    ),
    "tuple-argnums": (
        lambda: jax.grad(loss_xyp, argnums=(2,))(*helpers.xor_data(), params()),
        ["grads is a tuple of one gradient", "Take grads[0], or write argnums=2"],
    ),
    "one-layer": (
        lambda: weight_grads(params())[:1],
        ["grads: it should be a list of 2 (W, b) layers, not a list of 1 (W, b) layers"],
    ),
}


@pytest.mark.parametrize("case", WRONG_GRADS)
def test_weight_grads_check_rejects_wrong_answers(expect, case):
    make, fragments = WRONG_GRADS[case]
    expect(checks.check_weight_grads(make()), False, *fragments)


def central_difference_reference(f, x, eps):
    grads = []
    for i in range(x.shape[0]):
        step = jnp.zeros_like(x).at[i].set(eps)
        grads.append((f(x + step) - f(x - step)) / (2 * eps))
    return jnp.stack(grads)


def test_central_difference_check_accepts_reference(expect):
    expect(
        checks.check_central_difference(central_difference_reference),
        True,
        "central_difference matches the reference on all 3 test inputs.",
    )


def forward_difference(f, x, eps):
    return jnp.stack([(f(x.at[i].add(eps)) - f(x)) / eps for i in range(x.shape[0])])


def central_difference_missing_two(f, x, eps):
    return jnp.stack(
        [(f(x.at[i].add(eps)) - f(x.at[i].add(-eps))) / eps for i in range(x.shape[0])]
    )


@pytest.mark.parametrize(
    "answer, fragment",
    [
        pytest.param(
            forward_difference,
            "central_difference(f(x) = sum(x**2), [ 1. -2.  3.], 0.1): "
            "expected [ 2. -4.  6.], got [ 2.1 -3.9  6.1]",
            id="forward",
        ),
        pytest.param(
            central_difference_missing_two,
            "central_difference(f(x) = sum(x**2), [ 1. -2.  3.], 0.1): "
            "expected [ 2. -4.  6.], got [ 4. -8. 12.]",
            id="missing-two",
        ),
        pytest.param(
            lambda f, x, eps: jax.grad(f)(x),
            "central_difference(f(x) = sum(sin(x)), [ 0.5  1.   2.  -1.5], 0.1): "
            "expected [ 0.8761  0.5394",
            id="exact-gradient",
        ),
    ],
)
def test_central_difference_check_rejects_wrong_answers(expect, answer, fragment):
    expect(checks.check_central_difference(answer), False, fragment)


def bce_loss(params, x, y):
    return helpers.binary_cross_entropy_with_logits(helpers.mlp_forward(params, x)[:, 0], y)


def global_norm(tree):
    return jnp.sqrt(sum(jnp.sum(leaf**2) for leaf in jax.tree_util.tree_leaves(tree)))


def norms_by_loop(loss_fn, params, X, y):
    """The reference answer, as a Python loop: one gradient per example."""
    return jnp.stack(
        [global_norm(jax.grad(loss_fn)(params, X[n : n + 1], y[n : n + 1])) for n in range(len(X))]
    )


def norms_by_vmap(loss_fn, params, X, y):
    one = lambda x, t: global_norm(jax.grad(loss_fn)(params, x[None], t[None]))  # noqa: E731
    return jax.vmap(one)(X, y)


NORMS_RIGHT = "Correct: per_example_grad_norms matches the reference on all 2 inputs."


def norms_by_lax_map(loss_fn, params, X, y):  # a compiled loop: its program does not grow
    one = lambda xt: global_norm(jax.grad(loss_fn)(params, xt[0][None], xt[1][None]))  # noqa: E731
    return jax.lax.map(one, (X, y))


@pytest.mark.parametrize("answer", [norms_by_vmap, norms_by_lax_map], ids=["vmap", "lax-map"])
def test_per_example_check_accepts_vmap(expect, answer):
    expect(checks.check_per_example_grad_norms(answer), True, NORMS_RIGHT)


@pytest.mark.parametrize("answer", [norms_by_loop, jax.jit(norms_by_loop, static_argnums=0)])
def test_per_example_check_refuses_a_python_loop(expect, answer):
    expect(
        checks.check_per_example_grad_norms(answer),
        False,
        "gives the right values, but it handles one example at a time in a Python loop",
        "operations for 2 examples",
        "use jax.vmap(jax.grad(...))",
    )


def full_batch_norm(loss_fn, params, X, y):
    return jnp.full(X.shape[0], global_norm(jax.grad(loss_fn)(params, X, y)))


def first_leaf_only(loss_fn, params, X, y):
    one = lambda x, t: jnp.linalg.norm(jax.grad(loss_fn)(params, x[None], t[None])[0][0])  # noqa: E731
    return jax.vmap(one)(X, y)


def per_leaf_norms_added(loss_fn, params, X, y):
    def one(x, t):
        leaves = jax.tree_util.tree_leaves(jax.grad(loss_fn)(params, x[None], t[None]))
        return sum(jnp.linalg.norm(leaf) for leaf in leaves)

    return jax.vmap(one)(X, y)


def no_batch_of_one(loss_fn, params, X, y):
    return jax.vmap(lambda x, t: global_norm(jax.grad(loss_fn)(params, x, t)))(X, y)


NORMS_CALL = "per_example_grad_norms(bce_loss, a 2-8-1 network, [[0. 0.] [0. 1.] [1. 0.] [1. 1.]]"


@pytest.mark.parametrize(
    "answer, fragments",
    [
        pytest.param(
            lambda *args: norms_by_loop(*args) ** 2, ["these are the squared norms"], id="squared"
        ),
        pytest.param(
            full_batch_norm, ["every example got the same norm", "a batch of one"], id="full-batch"
        ),
        pytest.param(
            first_leaf_only,
            [NORMS_CALL, "expected [0.7605 3.1397 1.4762 0.6739], got [0. "],
            id="first-leaf",
        ),
        pytest.param(
            per_leaf_norms_added, [NORMS_CALL, "the largest difference is"], id="per-leaf"
        ),
        pytest.param(no_batch_of_one, ["raised IndexError"], id="no-batch"),
        pytest.param(
            lambda loss_fn, params, X, y: norms_by_loop(loss_fn, params, X, y)[:-1],
            ["shape"],
            id="short",
        ),
    ],
)
def test_per_example_check_rejects_wrong_answers(expect, answer, fragments):
    expect(checks.check_per_example_grad_norms(answer), False, *fragments)
