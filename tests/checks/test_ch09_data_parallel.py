"""Chapter 9's self-checks: a batch placed on the mesh, and gradients with jax.shard_map.

The answers and the checks run on 8 simulated devices in ``on_8_devices.py`` (the
``on_8_devices`` fixture); the last tests run in this process, on its single device.
"""

from __future__ import annotations

import jax
import pytest
from jax.sharding import NamedSharding
from jax.sharding import PartitionSpec as P

import helpers
from helpers import checks

EIGHT_DEVICE_CASES = {
    "shard_batch/right": (
        True,
        ["Correct: shard_batch splits the first dimension over the 8 devices"],
    ),
    "shard_batch/replicated": (False, ["expected dimension 0 split over the 8 devices"]),
    "shard_batch/unplaced": (
        False,
        ["the layout is SingleDeviceSharding", "split over the 8 devices"],
    ),
    "shard_batch/last-dimension": (False, ["spec=P(None, 'batch')", "split over the 8 devices"]),
    "shard_batch/values-changed": (
        False,
        ["shard_batch(<float32 array of shape (32, 8)>): the values changed"],
    ),
    "shard_batch/mesh-None": (False, ["check_shard_batch needs the chapter's mesh", "got None"]),
    "shard_batch/mesh-without-batch": (
        False,
        ["the mesh has the axes ('data',), without a 'batch' axis"],
    ),
    "grads/right": (True, ["data_parallel_grads matches the reference on all 2 test inputs."]),
    "grads/right-jitted": (True, ["data_parallel_grads matches the reference"]),
    "grads/psum": (
        False,
        [
            "data_parallel_grads(<params of a 784-16-10 MLP, replicated>, "
            "<images (32, 784), sharded>, <labels (32,), sharded>): your gradients are 8 "
            "times the right ones, and 8 is the number of devices",
            "jax.lax.pmean",
        ],
    ),
    "grads/no-pcast": (False, ["8 times the right ones", "pcast params to 'varying'"]),
    "grads/no-pcast-psum": (False, ["64 times the right ones, 8 × 8 with 8 devices"]),
    "grads/halved": (False, ["your gradients are 0.5 times the right ones"]),
    "grads/plain-grad": (False, ["data_parallel_grads does not use jax.shard_map"]),
    "grads/plain-grad-jitted": (False, ["data_parallel_grads does not use jax.shard_map"]),
    "grads/mesh-None": (False, ["check_data_parallel_grads needs the chapter's mesh"]),
    "grads/mesh-without-batch": (False, ["without a 'batch' axis"]),
}


@pytest.mark.parametrize("case", EIGHT_DEVICE_CASES)
def test_checks_on_8_devices(expect, on_8_devices, case):
    passed, fragments = EIGHT_DEVICE_CASES[case]
    expect(on_8_devices[case], passed, *fragments)


def loss(params, images, labels):
    return helpers.softmax_cross_entropy(helpers.mlp_forward(params, images), labels)


def test_data_parallel_grads_check_on_one_device(expect):
    mesh = jax.make_mesh((jax.device_count(),), ("batch",))

    def local(params, images, labels):
        return jax.lax.pmean(jax.grad(loss)(params, images, labels), "batch")

    def reference(params, images, labels):
        return jax.shard_map(
            local, mesh=mesh, in_specs=(P(), P("batch"), P("batch")), out_specs=P()
        )(params, images, labels)

    def doubled(params, images, labels):
        return jax.tree_util.tree_map(lambda g: 2 * g, reference(params, images, labels))

    expect(
        checks.check_data_parallel_grads(reference, mesh),
        True,
        "data_parallel_grads matches the reference on all 2 test inputs.",
    )
    expect(
        checks.check_data_parallel_grads(doubled, mesh),
        False,
        "data_parallel_grads(<params of a 784-16-10 MLP, replicated>, <images (4, 784), sharded>, "
        "<labels (4,), sharded>): your gradients are 2 times the right ones",
    )
    expect(
        checks.check_data_parallel_grads(jax.grad(loss), mesh), False, "does not use jax.shard_map"
    )


def test_shard_batch_check_on_one_device(expect):
    mesh = jax.make_mesh((jax.device_count(),), ("batch",))
    expect(
        checks.check_shard_batch(
            lambda a: jax.device_put(a, NamedSharding(mesh, P("batch"))), mesh
        ),
        True,
        "shard_batch splits the first dimension",
    )
    expect(checks.check_shard_batch(lambda a: a + 1, mesh), False, "the values changed")
