"""Self-checks of chapters 8 (optimizers) and 9 (data parallelism): each accepts the reference
solution and rejects plausible wrong answers with a helpful message.

The chapter 9 checks are run here on the one device of the test process; with 8 simulated
devices they run in tests/test_data_parallel.py (a subprocess, because the device count is
fixed when JAX starts).
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
from jax.sharding import NamedSharding
from jax.sharding import PartitionSpec as P

from helpers import checks


# --- Chapter 8: step_decay ---------------------------------------------------------------
def step_decay(step, peak_lr, total_steps):
    step = jnp.asarray(step, jnp.float32)
    return peak_lr * jnp.where(step < total_steps / 2, 1.0,
                               jnp.where(step < 0.75 * total_steps, 0.1, 0.01))


def step_decay_one_drop(step, peak_lr, total_steps):
    return peak_lr * jnp.where(jnp.asarray(step) < total_steps / 2, 1.0, 0.1)


def step_decay_late(step, peak_lr, total_steps):  # drops one step too late
    step = jnp.asarray(step, jnp.float32)
    return peak_lr * jnp.where(step <= total_steps / 2, 1.0,
                               jnp.where(step <= 0.75 * total_steps, 0.1, 0.01))


def step_decay_python_if(step, peak_lr, total_steps):  # fine on numbers, fails under jit
    if step < total_steps / 2:
        return peak_lr
    return peak_lr * (0.1 if step < 0.75 * total_steps else 0.01)


def step_decay_python_if_vector(step, peak_lr, total_steps):
    step = jnp.asarray(step)
    if step.ndim:
        return step_decay(step, peak_lr, total_steps)
    return step_decay_python_if(step, peak_lr, total_steps)


def test_step_decay_check_accepts_reference(capsys):
    assert checks.check_step_decay(step_decay) is True
    assert capsys.readouterr().out == ("Correct: step_decay matches the reference on all 8 test "
                                       "inputs, also under jax.jit.\n")


def test_step_decay_check_rejects_wrong_answers(capsys):
    assert checks.check_step_decay(step_decay_one_drop) is False
    out = capsys.readouterr().out
    assert out.startswith("Not quite yet: step_decay(750, 0.1, 1000): expected 0.001, got 0.01")
    assert checks.check_step_decay(step_decay_late) is False
    assert capsys.readouterr().out.startswith(
        "Not quite yet: step_decay(500, 0.1, 1000): expected 0.01, got 0.1")
    assert checks.check_step_decay(step_decay_python_if_vector) is False
    out = capsys.readouterr().out
    assert out.startswith("Not quite yet: jax.jit(step_decay, static_argnums=2)(jnp.int32(1600), "
                          "1.0, 2000) raised TracerBoolConversionError")
    assert "Use jnp.where" in out


def test_step_decay_check_unfinished(capsys):
    def unfinished(step, peak_lr, total_steps):
        ...

    assert checks.check_step_decay(unfinished) is False
    assert "write the body of the function first" in capsys.readouterr().out


# --- Chapter 8: rmsprop_update -----------------------------------------------------------
def rmsprop(params, grads, state, lr, decay=0.9, eps=1e-8):
    s = jax.tree_util.tree_map(lambda s, g: decay * s + (1 - decay) * g**2, state, grads)
    new = jax.tree_util.tree_map(lambda p, g, s: p - lr * g / (jnp.sqrt(s) + eps), params, grads, s)
    return new, s


def rmsprop_no_sqrt(params, grads, state, lr, decay=0.9, eps=1e-8):
    s = jax.tree_util.tree_map(lambda s, g: decay * s + (1 - decay) * g**2, state, grads)
    return jax.tree_util.tree_map(lambda p, g, s: p - lr * g / (s + eps), params, grads, s), s


def rmsprop_old_state(params, grads, state, lr, decay=0.9, eps=1e-8):
    s = jax.tree_util.tree_map(lambda s, g: decay * s + (1 - decay) * g**2, state, grads)
    new = jax.tree_util.tree_map(lambda p, g, s: p - lr * g / (jnp.sqrt(s) + eps),
                                 params, grads, state)
    return new, s


def rmsprop_no_one_minus(params, grads, state, lr, decay=0.9, eps=1e-8):
    s = jax.tree_util.tree_map(lambda s, g: decay * s + g**2, state, grads)
    new = jax.tree_util.tree_map(lambda p, g, s: p - lr * g / (jnp.sqrt(s) + eps), params, grads, s)
    return new, s


def test_rmsprop_check_accepts_reference(capsys):
    assert checks.check_rmsprop_update(rmsprop) is True
    assert capsys.readouterr().out == (
        "Correct: rmsprop_update matches the reference on all 3 test inputs.\n")


def test_rmsprop_check_rejects_wrong_answers(capsys):
    for wrong in (rmsprop_no_sqrt, rmsprop_old_state, rmsprop_no_one_minus):
        assert checks.check_rmsprop_update(wrong) is False
        out = capsys.readouterr().out
        assert out.startswith("Not quite yet: rmsprop_update("), (wrong.__name__, out)
        assert "expected" in out and "got" in out, (wrong.__name__, out)


def test_rmsprop_check_reports_a_crash(capsys):
    def returns_params_only(params, grads, state, lr, decay=0.9, eps=1e-8):
        return rmsprop(params, grads, state, lr)[0]

    assert checks.check_rmsprop_update(returns_params_only) is False
    assert "the structure differs" in capsys.readouterr().out


# --- Chapter 9 on one device -------------------------------------------------------------
def test_shard_batch_check_on_one_device(capsys):
    mesh = jax.make_mesh((jax.device_count(),), ("batch",))
    assert checks.check_shard_batch(lambda a: jax.device_put(a, NamedSharding(mesh, P("batch"))),
                                    mesh) is True
    assert capsys.readouterr().out.startswith("Correct: shard_batch splits the first dimension")
    assert checks.check_shard_batch(lambda a: a + 1, mesh) is False
    assert "the values changed" in capsys.readouterr().out


def test_data_parallel_grads_check_on_one_device(capsys):
    mesh = jax.make_mesh((jax.device_count(),), ("batch",))
    loss = checks._data_parallel_loss

    def reference(params, images, labels):
        def local(params, images, labels):
            return jax.lax.pmean(jax.grad(loss)(params, images, labels), "batch")

        return jax.shard_map(local, mesh=mesh, in_specs=(P(), P("batch"), P("batch")),
                             out_specs=P())(params, images, labels)

    assert checks.check_data_parallel_grads(reference, mesh) is True
    assert capsys.readouterr().out == (
        "Correct: data_parallel_grads matches the reference on all 2 test inputs.\n")
    doubled = lambda p, x, y: jax.tree_util.tree_map(lambda g: 2 * g, reference(p, x, y))
    assert checks.check_data_parallel_grads(doubled, mesh) is False
    assert capsys.readouterr().out.startswith(
        "Not quite yet: data_parallel_grads(<params of a 784-16-10 MLP, replicated>, "
        "<images (4, 784), sharded>, <labels (4,), sharded>): expected")
