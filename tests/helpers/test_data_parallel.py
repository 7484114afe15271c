"""Data parallelism on 8 simulated CPU devices (chapter 9).

The number of CPU devices is fixed when JAX starts, so these checks run in a fresh Python
process with ``XLA_FLAGS=--xla_force_host_platform_device_count=8``: sharded training gives the
same parameters as single-device training, jit inserts the gradient all-reduce, and the
chapter's self-checks are tested in tests/checks/test_ch09_data_parallel.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from scripts.chapters import REPO

SCRIPT = textwrap.dedent("""
    import jax
    import jax.numpy as jnp
    import numpy as np
    from jax.sharding import NamedSharding, PartitionSpec as P

    import helpers

    assert jax.device_count() == 8, jax.devices()
    mesh = jax.make_mesh((8,), ("batch",))
    batch, replicated = NamedSharding(mesh, P("batch")), NamedSharding(mesh, P())
    one = jax.devices()[0]

    def loss_fn(params, x, y):
        return helpers.softmax_cross_entropy(helpers.mlp_forward(params, x), y)

    @jax.jit
    def train_step(params, x, y):
        grads = jax.grad(loss_fn)(params, x, y)
        return helpers.sgd_update(params, grads, 0.5)

    kx, ky, kp = jax.random.split(jax.random.key(0), 3)
    X = np.asarray(jax.random.normal(kx, (10, 64, 20)))
    Y = np.asarray(jax.random.randint(ky, (10, 64), 0, 5))
    params = helpers.init_mlp(kp, [20, 32, 5], scale=None)

    def run(params, sharding):
        params = jax.device_put(params, replicated if sharding is batch else one)
        for x, y in zip(X, Y):
            params = train_step(params, jax.device_put(x, sharding), jax.device_put(y, sharding))
        return params

    single, sharded = run(params, one), run(params, batch)
    assert sharded[0][0].sharding.is_equivalent_to(replicated, 2)
    diff = max(np.max(np.abs(np.asarray(a) - np.asarray(b))) for a, b in
               zip(jax.tree_util.tree_leaves(single), jax.tree_util.tree_leaves(sharded)))
    moved = max(np.max(np.abs(np.asarray(a) - np.asarray(b))) for a, b in
                zip(jax.tree_util.tree_leaves(single), jax.tree_util.tree_leaves(params)))
    assert diff < 1e-5 and moved > 0.1, (diff, moved)
    print("same parameters", diff)

    hlo = train_step.lower(jax.device_put(params, replicated), jax.device_put(X[0], batch),
                           jax.device_put(Y[0], batch)).compile().as_text()
    assert " all-reduce(" in hlo
    hlo1 = train_step.lower(params, X[0], Y[0]).compile().as_text()
    assert " all-reduce(" not in hlo1
    print("all-reduce inserted")
""")


def test_data_parallel_on_8_simulated_devices():
    flags = os.environ.get("XLA_FLAGS", "")  # keep the suite's rounding variant
    env = dict(
        os.environ,
        JAX_PLATFORMS="cpu",
        XLA_FLAGS=f"{flags} --xla_force_host_platform_device_count=8".strip(),
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    for line in ("same parameters", "all-reduce inserted"):
        assert line in result.stdout, result.stdout
