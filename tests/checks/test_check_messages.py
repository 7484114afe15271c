"""Messages that send the learner the right way: a check called wrongly says how it is called;
a traced integer argument points to static_argnums, NumPy on a traced value to jnp; an
untraceable network is described in a sentence (issue 24's wrong-way messages)."""

import jax
import jax.numpy as jnp
import numpy as np

from helpers import checks


def test_a_check_called_with_a_missing_argument_says_how_it_is_called(expect):
    expect(
        checks.check_and_gate([1.0, 1.0]),
        False,
        "check_and_gate is called as check_and_gate(w, b)",
        "missing a required argument: 'b'",
    )
    expect(checks.check_and_gate([1.0, 1.0], -1.5, 3), False, "too many positional arguments")


def test_a_traced_integer_argument_points_to_static_argnums():
    from helpers.checks.answers import raised

    answers = (
        lambda x, n: jnp.zeros(n) + x,  # a shape
        lambda x, n: sum(x for _ in range(n)),  # range()
        lambda x, n: jax.lax.scan(lambda c, _: (c + x, c), x, length=n)[1],  # scan's length
        lambda x, n: jnp.ones(8)[:n] * x,  # a slice bound
    )
    for answer in answers:
        try:
            jax.jit(answer)(1.0, 3)
        except Exception as exc:  # noqa: BLE001 - whichever error JAX raises for it
            message = raised("f(x, 3)", exc)
        assert "static_argnums" in message and "jnp.where" not in message, message


def test_numpy_on_a_traced_value_points_to_jnp():
    from helpers.checks.answers import raised

    try:
        jax.jit(lambda x: np.sin(x))(1.0)
    except Exception as exc:  # noqa: BLE001
        message = raised("f(x)", exc)
    assert "write it with jax.numpy (jnp) instead of numpy (np)" in message, message


def test_a_network_jax_cannot_trace_is_described_in_a_sentence(expect):
    def numpy_xor(X):
        X = np.asarray(X)
        return np.maximum(X[:, 0] - X[:, 1], 0) + np.maximum(X[:, 1] - X[:, 0], 0)

    expect(
        checks.check_xor_network(numpy_xor),
        False,
        "gives the right outputs, but it cannot be traced by JAX (TracerArrayConversionError)",
        "write it with jnp operations",
    )


def test_check_function_says_how_its_cases_are_written(expect):
    for cases in ([], jnp.ones((2, 3)), [jnp.ones(3)]):
        expect(
            checks.check_function("f", jnp.sin, jnp.sin, cases),
            False,
            "check_function's cases should be a non-empty list of argument tuples",
        )
    expect(checks.check_function("f", jnp.sin, jnp.sin, [(jnp.ones(3),)]), True)
