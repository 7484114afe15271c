"""Self-checks of chapter 9, data-parallel training with jax.sharding."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import NamedSharding, PartitionSpec

from ..losses import softmax_cross_entropy
from ..model import init_mlp, mlp_forward
from .answers import call_answer, raised, require_callable, run_cases
from .ch09_mesh import batch_devices, devices_in_words, layout, names_batch
from .ch09_one_device import one_device_problem
from .compare import compare
from .core import CheckResult, Problem, check, first_line, passed
from .describe import Shown, describe, fmt, unshown
from .tracing import primitive_names


@check
def check_shard_batch(fn: Callable, mesh: Any) -> CheckResult:
    """Exercise ex-09-shard-batch: ``fn(array)`` keeps the first ``len(array) // n * n``
    examples (``n`` devices on the mesh's ``"batch"`` axis), placed with dimension 0 split along
    ``"batch"`` and the other dimensions whole; with fewer than ``n`` examples it raises
    ``ValueError``."""
    require_callable(fn, "shard_batch")
    n = batch_devices(mesh, "check_shard_batch", "shard_batch")
    wanted = NamedSharding(mesh, PartitionSpec("batch"))
    cases = [  # numbered rows, so keeping the wrong ones shows
        jnp.arange(4 * n * 8, dtype=jnp.float32).reshape(4 * n, 8),
        jnp.arange(4 * n + 3, dtype=jnp.int32),
        jnp.arange((2 * n - 1) * 6, dtype=jnp.float32).reshape(2 * n - 1, 3, 2),
    ]
    for array in cases:
        call = f"shard_batch(<{array.dtype} array of shape {tuple(array.shape)}>)"
        keep = len(array) // n * n
        try:
            got = fn(array)
        except ValueError as exc:
            if not re.search("divid|divisib", str(exc)):  # JAX 0.12 and 0.7 word it so
                raise Problem(f"{call} raised ValueError: {first_line(exc)}") from None
            raise Problem(
                f"{call}: jax.device_put refuses {len(array)} examples on {devices_in_words(n)} "
                f"(they do not split into equal blocks); keep the first {keep} "
                "(len(array) // n * n, n = mesh.shape['batch']) and place those"
            ) from None
        except Exception as exc:  # the learner's error, shown as a hint
            raise Problem(raised(call, exc)) from None
        got = call_answer(call, lambda got=got: got, ())  # None or ... : unfinished
        problem = compare(got, array[:keep], atol=0.0, rtol=0.0)
        if problem:
            which = f"the first {keep} of the {len(array)} examples: "
            raise Problem(f"{call}: expected {which}{problem}")
        sharding = getattr(got, "sharding", None)
        if n == 1 and not names_batch(sharding):  # every layout is equivalent on one device
            raise Problem(
                f"{call}: on a mesh of one device no layout shows a split, so the check reads "
                f"how the array was placed: {layout(sharding)}, expected "
                "NamedSharding(mesh, P('batch'))"
            )
        if sharding is None or not sharding.is_equivalent_to(wanted, array.ndim):
            raise Problem(
                f"{call}: the layout is {layout(sharding)}, expected dimension 0 split over the "
                f"{devices_in_words(n)} of the 'batch' axis and the rest whole, i.e. "
                "NamedSharding(mesh, P('batch'))"
            )
    if n == 1:
        return passed(
            f"shard_batch places all {len(cases)} test arrays with NamedSharding(mesh, "
            "P('batch')). On one device nothing is dropped or split, so neither can be seen: "
            "run the chapter on a CPU runtime (8 simulated devices) to check them."
        )
    small = jnp.arange(n - 1, dtype=jnp.float32)
    call = f"shard_batch(<{n - 1} examples>)"
    try:
        got = fn(small)
    except ValueError:
        pass
    except Exception as exc:
        raise Problem(f"{raised(call, exc)}; raise ValueError instead") from None
    else:
        raise Problem(
            f"{call} returned {describe(got)}: with fewer examples than the {devices_in_words(n)} "
            "nothing is left to split; raise ValueError and say so"
        )
    return passed(
        f"shard_batch keeps the examples that divide evenly over the {devices_in_words(n)} of the "
        f"mesh and splits them, for all {len(cases)} test arrays, and refuses {n - 1} examples."
    )


def _loss(params: Any, images: jax.Array, labels: jax.Array) -> jax.Array:
    return softmax_cross_entropy(mlp_forward(params, images), labels)


_grad = jax.jit(jax.grad(_loss))


def _reference(params: Any, images: jax.Array, labels: jax.Array) -> Any:
    """The gradient on one device, from host copies of the inputs."""
    return _grad(*jax.device_get((params, images, labels)))


def _scale(got: Any, expected: Any) -> float | None:
    """The number ``k`` with ``got == k * expected`` for every leaf, if there is one."""
    got_leaves, exp_leaves = jax.tree_util.tree_leaves(got), jax.tree_util.tree_leaves(expected)
    if jax.tree_util.tree_structure(got) != jax.tree_util.tree_structure(expected):
        return None
    g = np.concatenate([np.asarray(x, np.float64).reshape(-1) for x in got_leaves])
    e = np.concatenate([np.asarray(x, np.float64).reshape(-1) for x in exp_leaves])
    if g.shape != e.shape or not e.any():
        return None
    k = float(g @ e / (e @ e))
    return k if np.allclose(g, k * e, rtol=1e-3, atol=1e-6) else None


def _factor_hint(got: Any, expected: Any, n: int) -> str | None:
    k = _scale(got, expected)
    if k is None or abs(k - 1) < 1e-3:
        return None
    times = f"{round(k)} times" if abs(k - round(k)) < 1e-2 else f"{fmt(k)} times"
    if round(k) == n:
        return (
            f"your gradients are {times} the right ones, and {n} is the number of devices: the "
            "per-device gradients were added up instead of averaged. Average them with "
            "jax.lax.pmean (not psum), and mark params as varying first, with "
            "pcast_to_varying(params, 'batch'): without it JAX adds up the gradients of the "
            "shared params for you"
        )
    if round(k) == n * n:
        return (
            f"your gradients are {times} the right ones, {n} × {n} with {n} devices: they were "
            "added up over the devices twice (a psum, and params not marked varying with "
            "pcast_to_varying)"
        )
    return f"your gradients are {times} the right ones"


@check
def check_data_parallel_grads(fn: Callable, mesh: Any) -> CheckResult:
    """Exercise ex-09-shard-map: ``fn(params, images, labels)``, called with ``params``
    replicated and ``images``/``labels`` split along the ``"batch"`` axis of ``mesh``, returns
    the gradient of the mean softmax cross entropy of the MLP on the whole batch, computed per
    device with ``jax.shard_map`` and averaged with ``jax.lax.pmean``.

    A wrong factor (the device count, from a psum or params not marked varying with
    ``helpers.compat.pcast_to_varying``) is named as such, and an
    answer without ``jax.shard_map`` (a plain ``jax.grad`` gives the same numbers) is told so.
    """
    require_callable(fn, "data_parallel_grads")
    n = batch_devices(mesh, "check_data_parallel_grads", "data_parallel_grads")
    replicated = NamedSharding(mesh, PartitionSpec())
    sharded = NamedSharding(mesh, PartitionSpec("batch"))
    cases = []
    for seed, hidden in [(0, 16), (1, 8)]:
        k_params, k_images = jax.random.split(jax.random.key(seed))
        params = init_mlp(k_params, [784, hidden, 10], scale=None)
        images = jax.random.uniform(k_images, (4 * n, 784), dtype=jnp.float32)
        labels = jnp.arange(4 * n, dtype=jnp.int32) % 10
        cases.append(
            (
                Shown(
                    jax.device_put(params, replicated),
                    f"<params of a 784-{hidden}-10 MLP, replicated>",
                ),
                Shown(jax.device_put(images, sharded), f"<images ({4 * n}, 784), sharded>"),
                Shown(jax.device_put(labels, sharded), f"<labels ({4 * n},), sharded>"),
            )
        )
    try:  # before the values: an answer without shard_map may fail on sharded inputs
        uses_shard_map: bool | None = "shard_map" in primitive_names(fn, *unshown(cases[0]))
    except Exception:  # it raises, which run_cases reports, or it only runs eagerly (below)
        uses_shard_map = None
    if uses_shard_map is False:
        raise Problem(
            "data_parallel_grads does not use jax.shard_map; the exercise asks you to "
            "write the per-device program with jax.shard_map(..., mesh=mesh, "
            "in_specs=(P(), P('batch'), P('batch')), out_specs=P()) and to average the "
            "gradients with jax.lax.pmean"
        )
    # An answer that traces runs compiled: eager shard_map compiles op by op, slowly.
    answer = jax.jit(fn) if uses_shard_map else fn
    run_cases(
        "data_parallel_grads",
        answer,
        _reference,
        cases,
        atol=1e-5,
        rtol=1e-4,
        hint=lambda got, expected: _factor_hint(got, expected, n),
    )
    if uses_shard_map is None:
        raise Problem(
            "data_parallel_grads gives the right gradients, but JAX could not trace it, "
            "so the check cannot see a jax.shard_map in it"
        )
    if n == 1:  # a psum and a missing pcast give the right values here: read the program
        problem = one_device_problem(fn, unshown(cases[0]))
        if problem:
            raise Problem(f"on a mesh of one device the values are right, but {problem}")
        return passed(
            f"data_parallel_grads matches the reference on all {len(cases)} test inputs, and "
            "its program averages each gradient once over 'batch'. On one device that is "
            "what can be checked: run the chapter on a CPU runtime (8 simulated devices) to "
            "check the average across devices itself."
        )
    return passed(f"data_parallel_grads matches the reference on all {len(cases)} test inputs.")
