"""Chapter 2's self-checks: initialisation and the forward pass (the activations' tests are
in test_ch02_activations.py)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import pytest

from helpers import checks, init_mlp, mlp_forward


def relu(z):
    return jnp.maximum(z, 0.0)


def forward_reference(params, x):
    """The solution of ex-02-forward."""
    *hidden, (W_out, b_out) = params
    for W, b in hidden:
        x = relu(x @ W + b)
    return x @ W_out + b_out


def init_reference(key, sizes, scale):
    """The solution of ex-02-init."""
    keys = jax.random.split(key, len(sizes) - 1)
    return [
        (scale * jax.random.normal(k, (n_in, n_out)), jnp.zeros(n_out))
        for k, n_in, n_out in zip(keys, sizes[:-1], sizes[1:], strict=True)
    ]


# ex-02-init ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "init",
    [
        pytest.param(init_reference, id="list-of-tuples"),
        pytest.param(
            lambda *args: [list(layer) for layer in init_reference(*args)], id="list-of-lists"
        ),
        pytest.param(lambda *args: tuple(init_reference(*args)), id="tuple-of-tuples"),
        pytest.param(
            lambda *args: tuple(tuple(layer) for layer in init_reference(*args)),
            id="tuple-of-lists",
        ),
    ],
)
def test_init_accepts_any_sequence_of_pairs(expect, init):
    expect(checks.check_init(init), True, "init matches helpers.init_mlp on all 3 test networks")


def init_same_key(key, sizes, scale):  # reuses one key for every layer
    return [
        (scale * jax.random.normal(key, (n_in, n_out)), jnp.zeros(n_out))
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)
    ]


def init_random_bias(key, sizes, scale):
    keys = jax.random.split(key, len(sizes) - 1)
    return [
        (scale * jax.random.normal(k, (n_in, n_out)), scale * jax.random.normal(k, (n_out,)))
        for k, n_in, n_out in zip(keys, sizes[:-1], sizes[1:], strict=True)
    ]


@pytest.mark.parametrize(
    "init, fragments",
    [
        pytest.param(init_same_key, ["layer 0, W:", "The shapes are right"], id="same-key"),
        pytest.param(
            lambda *args: [(W.T, b) for W, b in init_reference(*args)],
            ["layer 0, W: the shape differs: expected (2, 16), got (16, 2)"],
            id="transposed",
        ),
        pytest.param(
            lambda key, sizes, scale: init_reference(key, sizes, 1.0),
            [
                "init(jax.random.key(7), [2, 16, 1], scale=0.1): "
                "layer 0, W: expected an array of shape (2, 16)",
                "the largest difference is",
                "(expected ",
            ],
            id="no-scale",
        ),
        pytest.param(init_random_bias, ["layer 0, b:", "b is zeros"], id="random-bias"),
        pytest.param(
            lambda *args: init_reference(*args)[:1],
            ["return a list of 2 (W, b) layers, not a list of 1 (W, b) layers"],
            id="too-few-layers",
        ),
        pytest.param(
            lambda *args: [{"W": W, "b": b} for W, b in init_reference(*args)],
            [
                "layer 0 should be a (W, b) pair (a tuple or a list, as helpers.mlp_forward "
                "takes), not a dict with keys 'W', 'b'"
            ],
            id="dict-layers",
        ),
        pytest.param(
            lambda *args: [(W, b, b) for W, b in init_reference(*args)],
            ["layer 0 should be a (W, b) pair", "not a Python tuple of 3 arrays"],
            id="triples",
        ),
        pytest.param(
            lambda *args: [[W, b, b] for W, b in init_reference(*args)],
            ["layer 0 should be a (W, b) pair", "not a Python list of 3 arrays"],
            id="list-triples",
        ),
        pytest.param(
            lambda *args: {"W": 1},
            ["return a list of 2 (W, b) layers, not a dict with keys 'W'"],
            id="dict",
        ),
        pytest.param(
            lambda *args: (layer for layer in init_reference(*args)),
            ["return a list of 2 (W, b) layers, not a generator"],
            id="generator",
        ),
        pytest.param(
            lambda *args: init_reference(*args)[0],
            ["return a list of 2 (W, b) layers, not a Python tuple of 2 arrays"],
            id="bare-pair",
        ),
    ],
)
def test_init_rejects_wrong_answers(expect, init, fragments):
    expect(checks.check_init(init), False, *fragments)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda p: p, id="list-of-tuples"),
        pytest.param(lambda p: [list(layer) for layer in p], id="list-of-lists"),
        pytest.param(lambda p: tuple(tuple(layer) for layer in p), id="tuple-of-tuples"),
        pytest.param(lambda p: [{"W": W, "b": b} for W, b in p], id="dicts"),
        pytest.param(lambda p: (layer for layer in p), id="generator"),
        pytest.param(lambda p: p[0], id="bare"),
    ],
)
def test_init_accepts_what_mlp_forward_accepts(make):
    """One convention: an init answer passes (values aside) exactly when mlp_forward runs it."""
    p = init_mlp(jax.random.key(7), [2, 16, 1], 0.1)
    try:
        mlp_forward(make(p), jnp.ones((4, 2)))
        runs = True
    except ValueError:
        runs = False
    assert bool(checks.check_init(lambda *args: make(init_reference(*args)))) is runs


@pytest.mark.parametrize(
    "check, answer, shown",
    [
        pytest.param(
            checks.check_init, lambda k, s, sc: init_mlp(k, s, scale=sc), "init_mlp", id="init"
        ),
        pytest.param(
            checks.check_init,
            jax.jit(lambda k, s, sc: init_mlp(k, s, scale=sc), static_argnums=(1, 2)),
            "init_mlp",
            id="init-jitted",
        ),
        pytest.param(checks.check_forward, mlp_forward, "mlp_forward", id="forward-itself"),
        pytest.param(
            checks.check_forward, lambda p, x: 1.0 * mlp_forward(p, x), "mlp_forward", id="forward"
        ),
    ],
)
def test_a_wrapper_around_the_helper_it_rebuilds_is_refused(expect, check, answer, shown):
    expect(check(answer), False, f"calls helpers.{shown}, the function the exercise asks")


# ex-02-forward ------------------------------------------------------------------


@pytest.mark.parametrize("forward", [forward_reference, jax.jit(forward_reference)])
def test_forward_accepts_reference_and_jitted(expect, forward):
    expect(
        checks.check_forward(forward), True, "matches helpers.mlp_forward on all 3 test networks"
    )


def forward_two_layers_only(params, x):
    (W1, b1), (W2, b2) = params[0], params[1]
    return relu(x @ W1 + b1) @ W2 + b2


def forward_relu_on_output(params, x):
    for W, b in params:
        x = relu(x @ W + b)
    return x


def forward_no_hidden_bias(params, x):
    *hidden, (W_out, b_out) = params
    for W, _ in hidden:
        x = relu(x @ W)
    return x @ W_out + b_out


@pytest.mark.parametrize(
    "forward, fragment",
    [
        pytest.param(forward_relu_on_output, "2-16-1 network on the batch", id="relu-on-output"),
        pytest.param(
            forward_two_layers_only,
            "the shape differs: expected (5, 2), got (5, 5)",
            id="two-layers-only",
        ),
        pytest.param(forward_no_hidden_bias, "3-4-5-2 network", id="no-hidden-bias"),
        pytest.param(
            lambda params, x: jax.nn.sigmoid(forward_reference(params, x)),
            "2-16-1 network on one example",
            id="sigmoid",
        ),
        pytest.param(lambda params, x: params[5], "raised IndexError", id="raises"),
        pytest.param(
            lambda params, x: [forward_reference(params, x)],
            "return one array, not a Python list of 1 arrays",
            id="list",
        ),
    ],
)
def test_forward_rejects_wrong_answers(expect, forward, fragment):
    expect(checks.check_forward(forward), False, fragment)
