"""How chapter 9's checks read a mesh and an array's place on it, in words that read the same
on every JAX version the course supports."""

from __future__ import annotations

from typing import Any

from jax.sharding import Mesh, NamedSharding

from .core import Problem
from .describe import describe

MESH_HINT = (
    "mesh = jax.make_mesh((n_devices,), ('batch',), axis_types=(AxisType.Explicit,)), "
    "as in the chapter"
)


def layout(sharding: Any) -> str:
    """How an array is laid out, in words that read the same on every JAX version (the reprs of
    shardings and specs differ: ``P('batch',)`` on JAX 0.12, ``PartitionSpec('batch',)`` on
    0.7)."""
    if sharding is None:
        return "none (not a JAX array)"
    if isinstance(sharding, NamedSharding):
        spec = ", ".join(repr(axis) for axis in sharding.spec)
        sizes = ", ".join(f"{name!r}: {size}" for name, size in sharding.mesh.shape.items())
        return f"NamedSharding(mesh, P({spec})) on a mesh {{{sizes}}}"
    try:
        devices = sorted(sharding.device_set, key=lambda d: d.id)
    except Exception:  # not a JAX sharding
        return type(sharding).__name__
    where = ", ".join(f"{d.platform}:{d.id}" for d in devices)
    if len(devices) == 1:
        return f"{type(sharding).__name__}: the whole array on one device, {where}"
    return f"{type(sharding).__name__} over {where}"


def devices_in_words(n: int) -> str:
    return "1 device" if n == 1 else f"{n} devices"


def batch_devices(mesh: Any, check_name: str, answer: str) -> int:
    """The number of devices along the mesh's ``"batch"`` axis, or a clear message."""
    if not isinstance(mesh, Mesh):
        raise Problem(
            f"{check_name} needs the chapter's mesh as its second argument, "
            f"{check_name}({answer}, mesh), got {describe(mesh)}; {MESH_HINT}"
        )
    if "batch" not in mesh.axis_names:
        raise Problem(
            f"the mesh has the axes {tuple(mesh.axis_names)}, without a 'batch' axis; "
            f"the exercise splits the batch along 'batch': {MESH_HINT}"
        )
    return int(mesh.shape["batch"])


def names_batch(sharding: Any) -> bool:
    """Whether ``sharding`` names the mesh axis 'batch' for dimension 0 (and nothing else)."""
    spec = getattr(sharding, "spec", None)
    return (
        isinstance(sharding, NamedSharding)
        and spec is not None
        and tuple(spec)[:1]
        in (
            ("batch",),
            (("batch",),),
        )
        and all(axis is None for axis in tuple(spec)[1:])
    )
