"""Chapter 9's self-checks: a batch placed on the mesh, and gradients with jax.shard_map.

The answers and the checks run on 8 simulated devices in ``on_8_devices.py`` (the
``on_8_devices`` fixture); the last tests run in this process, on its single device (the path
of Colab's GPU runtime), and test helpers.compat.pcast_to_varying, the chapter's one call whose
name differs between the JAX versions the course supports.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import pytest
from jax.sharding import AxisType, NamedSharding
from jax.sharding import PartitionSpec as P

import helpers
from helpers import checks
from helpers.compat import pcast_to_varying

EIGHT_DEVICE_CASES = {
    "shard_batch/right": (
        True,
        [
            "Correct: shard_batch keeps the examples that divide evenly over the 8 devices of "
            "the mesh and splits them, for all 3 test arrays, and refuses 7 examples."
        ],
    ),
    "shard_batch/right-auto-mesh": (True, ["over the 8 devices of the mesh"]),
    "shard_batch/whole-batch": (
        False,
        [
            "shard_batch(<int32 array of shape (35,)>): jax.device_put refuses 35 examples on "
            "8 devices (they do not split into equal blocks); "
            "keep the first 32 (len(array) // n * n, n = mesh.shape['batch']) and place those",
        ],
    ),
    "shard_batch/keeps-the-last": (
        False,
        ["shard_batch(<int32 array of shape (35,)>): expected the first 32 of the 35 examples: "],
    ),
    "shard_batch/no-error-when-small": (
        False,
        [
            "shard_batch(<7 examples>) returned",
            "with fewer examples than the 8 devices nothing is left to split; raise ValueError",
        ],
    ),
    "shard_batch/replicated": (
        False,
        [
            "the layout is NamedSharding(mesh, P()) on a mesh {'batch': 8}, expected "
            "dimension 0 split over the 8 devices"
        ],
    ),
    "shard_batch/unplaced": (
        False,
        [
            "the layout is SingleDeviceSharding: the whole array on one device, cpu:0,",
            "split over the 8 devices",
        ],
    ),
    "shard_batch/last-dimension": (
        False,
        ["the layout is NamedSharding(mesh, P(None, 'batch'))", "split over the 8 devices"],
    ),
    "shard_batch/values-changed": (
        False,
        ["shard_batch(<float32 array of shape (32, 8)>): expected the first 32 of the 32 "],
    ),
    "shard_batch/mesh-None": (False, ["check_shard_batch needs the chapter's mesh", "got None"]),
    "shard_batch/mesh-without-batch": (
        False,
        ["the mesh has the axes ('data',), without a 'batch' axis"],
    ),
    "grads/right": (True, ["data_parallel_grads matches the reference on all 2 test inputs."]),
    "grads/right-jitted": (True, ["data_parallel_grads matches the reference"]),
    "grads/right-auto-mesh": (True, ["data_parallel_grads matches the reference"]),
    "grads/psum": (
        False,
        [
            "data_parallel_grads(<params of a 784-16-10 MLP, replicated>, "
            "<images (32, 784), sharded>, <labels (32,), sharded>): your gradients are 8 "
            "times the right ones, and 8 is the number of devices",
            "jax.lax.pmean",
        ],
    ),
    "grads/not-varying": (
        False,
        ["8 times the right ones", "mark params as varying first, with pcast_to_varying"],
    ),
    "grads/not-varying-psum": (False, ["64 times the right ones, 8 × 8 with 8 devices"]),
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


# The chapter's mesh has an Explicit axis; jax.make_mesh's default is Auto before JAX 0.9 and
# Explicit since: the checks take both, on every JAX.
AXIS_TYPES = [AxisType.Explicit, AxisType.Auto]


@pytest.mark.parametrize("axis_type", AXIS_TYPES, ids=str)
def test_data_parallel_grads_check_on_one_device(expect, axis_type):
    """The one-device path (Colab's GPU, a single-chip TPU): a mesh of one device."""
    mesh = jax.make_mesh((jax.device_count(),), ("batch",), axis_types=(axis_type,))

    def local(params, images, labels):  # the chapter's solution
        params = pcast_to_varying(params, "batch")
        return jax.lax.pmean(jax.grad(loss)(params, images, labels), "batch")

    def reference(params, images, labels):
        return jax.shard_map(
            local, mesh=mesh, in_specs=(P(), P("batch"), P("batch")), out_specs=P()
        )(params, images, labels)

    def doubled(params, images, labels):
        return jax.tree_util.tree_map(lambda g: 2 * g, reference(params, images, labels))

    def with_body(body):
        return lambda *args: jax.shard_map(
            body, mesh=mesh, in_specs=(P(), P("batch"), P("batch")), out_specs=P()
        )(*args)

    def psum(params, images, labels):  # the same values as pmean on one device
        params = pcast_to_varying(params, "batch")
        return jax.lax.psum(jax.grad(loss)(params, images, labels), "batch")

    def not_varying(params, images, labels):  # likewise: JAX sums one device's gradient
        return jax.lax.pmean(jax.grad(loss)(params, images, labels), "batch")

    def not_varying_jitted(params, images, labels):  # JAX's sum inside a nested program
        return jax.lax.pmean(jax.grad(jax.jit(loss))(params, images, labels), "batch")

    twice = ["the gradients are added up over the devices twice", "params = pcast_to_varying("]
    cases = [  # (answer, right, fragments of the message)
        (
            reference,
            True,
            [
                "data_parallel_grads matches the reference on all 2 test inputs, and its "
                "program averages each gradient once over 'batch'. On one device that is what "
                "can be checked"
            ],
        ),
        (jax.jit(reference), True, ["averages each gradient"]),
        (
            with_body(psum),
            False,
            [
                "on a mesh of one device the values are right, but your program adds the "
                "per-device gradients up (a psum) instead of averaging them",
                "jax.lax.pmean(grads, 'batch')",
            ],
        ),
        (with_body(not_varying), False, twice),
        (with_body(not_varying_jitted), False, twice),
        (
            doubled,
            False,
            [
                "data_parallel_grads(<params of a 784-16-10 MLP, replicated>, <images (4, 784), "
                "sharded>, <labels (4,), sharded>): your gradients are 2 times the right ones"
            ],
        ),
        (jax.grad(loss), False, ["does not use jax.shard_map"]),
    ]
    for answer, right, fragments in cases:
        expect(checks.check_data_parallel_grads(answer, mesh), right, *fragments)


@pytest.mark.parametrize("axis_type", AXIS_TYPES, ids=str)
def test_shard_batch_check_on_one_device(expect, axis_type):
    mesh = jax.make_mesh((jax.device_count(),), ("batch",), axis_types=(axis_type,))
    expect(
        checks.check_shard_batch(
            lambda a: jax.device_put(a, NamedSharding(mesh, P("batch"))), mesh
        ),
        True,
        "On one device nothing is dropped or split, so neither can be seen",
    )
    expect(checks.check_shard_batch(lambda a: a + 1, mesh), False, "expected the first 4 of")
    # With one device every layout is equivalent to P("batch"), so an answer that ignores the
    # mesh would pass on equivalence alone (issue 24): the check reads how it was placed.
    device = jax.devices()[0]
    for wrong in (lambda a: a, lambda a: jax.device_put(a, device)):
        expect(
            checks.check_shard_batch(wrong, mesh),
            False,
            "on a mesh of one device no layout shows a split",
        )
    replicated = lambda a: jax.device_put(a, NamedSharding(mesh, P()))  # noqa: E731
    expect(checks.check_shard_batch(replicated, mesh), False, "NamedSharding(mesh, P())")


def test_pcast_to_varying_marks_its_input_varying():
    """On the installed JAX (jax.lax.pcast from 0.8.2, jax.lax.pvary before): the mesh axis
    appears in the type of the result (`float32[3]{V:batch}` on 0.12, `{batch}` on 0.7)."""
    mesh = jax.make_mesh((1,), ("batch",), axis_types=(AxisType.Explicit,))
    types = []

    def body(x):
        types.extend(str(jax.typeof(t)) for t in (x, pcast_to_varying(x, "batch")))
        return x

    jax.shard_map(body, mesh=mesh, in_specs=P(), out_specs=P())(jnp.zeros(3))
    before, after = types
    assert "batch" not in before and "batch" in after, types


@pytest.mark.parametrize("has", ["pcast", "pvary"])
def test_pcast_to_varying_calls_the_name_this_jax_has(monkeypatch, has):
    """JAX 0.8.2 renamed jax.lax.pvary(x, axis) to jax.lax.pcast(x, axis, to="varying") and
    JAX 0.10 removed the old name: each JAX has exactly one of them."""
    calls = []
    monkeypatch.delattr(jax.lax, "pcast", raising=False)
    monkeypatch.delattr(jax.lax, "pvary", raising=False)
    if has == "pcast":
        fake = lambda x, axis, *, to: calls.append(("pcast", axis, to)) or x  # noqa: E731
    else:
        fake = lambda x, axis: calls.append(("pvary", axis)) or x  # noqa: E731
    monkeypatch.setattr(jax.lax, has, fake, raising=False)
    assert pcast_to_varying("x", "batch") == "x"
    assert calls == ([("pcast", "batch", "varying")] if has == "pcast" else [("pvary", "batch")])
