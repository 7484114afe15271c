"""Chapter 9's self-checks on 8 simulated CPU devices, with right, wrong and junk answers.

Run by the ``on_8_devices`` fixture (conftest.py) in a fresh process with
``XLA_FLAGS=--xla_force_host_platform_device_count=8``; prints one JSON line,
``{case: {"passed": ..., "message": ...}}``, for tests/checks/test_ch09_data_parallel.py and
tests/checks/test_junk_answers.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import jax
from jax.sharding import AxisType, NamedSharding
from jax.sharding import PartitionSpec as P
from junk import JUNK

import helpers
from helpers import checks
from helpers.compat import pcast_to_varying

assert jax.device_count() == 8, jax.devices()
# The chapter's mesh: an Explicit axis on every JAX (jax.make_mesh's default is Auto before
# JAX 0.9, Explicit since). The checks must also take an Auto one (the "auto-mesh" cases).
mesh = jax.make_mesh((8,), ("batch",), axis_types=(AxisType.Explicit,))
auto_mesh = jax.make_mesh((8,), ("batch",), axis_types=(AxisType.Auto,))
batch, replicated = NamedSharding(mesh, P("batch")), NamedSharding(mesh, P())


def loss(params: Any, images: jax.Array, labels: jax.Array) -> jax.Array:
    return helpers.softmax_cross_entropy(helpers.mlp_forward(params, images), labels)


def with_shard_map(body: Callable, mesh=mesh) -> Callable:
    def data_parallel_grads(params, images, labels):
        return jax.shard_map(
            body, mesh=mesh, in_specs=(P(), P("batch"), P("batch")), out_specs=P()
        )(params, images, labels)

    return data_parallel_grads


def right(params, images, labels):  # the chapter's solution
    params = pcast_to_varying(params, "batch")
    return jax.lax.pmean(jax.grad(loss)(params, images, labels), "batch")


def psum(params, images, labels):
    params = pcast_to_varying(params, "batch")
    return jax.lax.psum(jax.grad(loss)(params, images, labels), "batch")


def not_varying(params, images, labels):  # JAX adds up the gradients of a shared value
    return jax.lax.pmean(jax.grad(loss)(params, images, labels), "batch")


def not_varying_psum(params, images, labels):  # added up twice: 64 times
    return jax.lax.psum(jax.grad(loss)(params, images, labels), "batch")


def halved(params, images, labels):
    return jax.tree_util.tree_map(lambda g: g / 2, right(params, images, labels))


GRADS = {
    "right": with_shard_map(right),
    "right-jitted": jax.jit(with_shard_map(right)),
    "right-auto-mesh": with_shard_map(right, auto_mesh),
    "psum": with_shard_map(psum),
    "not-varying": with_shard_map(not_varying),
    "not-varying-psum": with_shard_map(not_varying_psum),
    "halved": with_shard_map(halved),
    "plain-grad": jax.grad(loss),
    "plain-grad-jitted": jax.jit(jax.grad(loss)),
}


def keep_even(a):  # the chapter's solution: the first len(a) // 8 * 8 examples
    if len(a) < 8:
        raise ValueError(f"{len(a)} examples cannot be split over 8 devices")
    return a[: len(a) // 8 * 8]


SHARD_BATCH = {
    "right": lambda a: jax.device_put(keep_even(a), batch),
    "whole-batch": lambda a: jax.device_put(a, batch),  # device_put refuses 35 rows
    "keeps-the-last": lambda a: jax.device_put(a[len(a) % 8 :], batch),
    "no-error-when-small": lambda a: jax.device_put(a[: len(a) // 8 * 8], batch),
    "replicated": lambda a: jax.device_put(keep_even(a), replicated),
    "unplaced": keep_even,
    "last-dimension": lambda a: jax.device_put(
        keep_even(a), NamedSharding(mesh, P(*[None] * (a.ndim - 1), "batch"))
    ),
    "values-changed": lambda a: jax.device_put(keep_even(a) + 1, batch),
}

CASES: dict[str, Callable[[], checks.CheckResult]] = {
    **{
        f"grads/{name}": lambda fn=fn, name=name: checks.check_data_parallel_grads(
            fn, auto_mesh if name.endswith("auto-mesh") else mesh
        )
        for name, fn in GRADS.items()
    },
    **{
        f"shard_batch/{name}": lambda fn=fn: checks.check_shard_batch(fn, mesh)
        for name, fn in SHARD_BATCH.items()
    },
    "shard_batch/right-auto-mesh": lambda: checks.check_shard_batch(
        lambda a: jax.device_put(keep_even(a), NamedSharding(auto_mesh, P("batch"))), auto_mesh
    ),
    "grads/mesh-None": lambda: checks.check_data_parallel_grads(GRADS["right"], None),
    "shard_batch/mesh-None": lambda: checks.check_shard_batch(SHARD_BATCH["right"], None),
    "grads/mesh-without-batch": lambda: checks.check_data_parallel_grads(
        GRADS["right"], jax.make_mesh((8,), ("data",))
    ),
    "shard_batch/mesh-without-batch": lambda: checks.check_shard_batch(
        SHARD_BATCH["right"], jax.make_mesh((8,), ("data",))
    ),
    **{
        f"junk/check_data_parallel_grads/{name}": lambda a=answer: checks.check_data_parallel_grads(
            a, mesh
        )
        for name, answer in JUNK.items()
    },
    **{
        f"junk/check_shard_batch/{name}": lambda a=answer: checks.check_shard_batch(a, mesh)
        for name, answer in JUNK.items()
    },
}


def run(case: Callable[[], checks.CheckResult]) -> dict[str, Any]:
    try:
        result = case()
        return {"passed": result.passed, "message": result.message}
    except Exception as exc:  # reported, so that the test names the check that let it escape
        return {"passed": False, "message": f"ESCAPED {type(exc).__name__}: {exc}"}


print(json.dumps({name: run(case) for name, case in CASES.items()}))
