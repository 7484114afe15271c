"""Calls whose name differs between the JAX versions the course supports (0.7.2 to the newest).

One so far, in chapter 9: inside ``jax.shard_map``, JAX tracks which values may differ between
the devices of a mesh axis (*varying*) and which are the same on all of them (*invariant*).
Parameters passed in replicated (``in_specs=P()``) arrive invariant; a data-parallel gradient
needs each device to differentiate its own copy, so it marks them varying first. JAX up to 0.8.1
calls that operation ``jax.lax.pvary(x, axis_name)``; JAX 0.8.2 renamed it
``jax.lax.pcast(x, axis_name, to="varying")`` and JAX 0.10 removed the old name. Colab's JAX
(0.7.2) has only the old name and the pinned JAX only the new one, so the chapter calls
:func:`pcast_to_varying`, which calls whichever this JAX has.
"""

from __future__ import annotations

from typing import Any

import jax


def pcast_to_varying(x: Any, axis_name: str) -> Any:
    """Mark ``x`` (an array or a pytree of arrays) as varying over ``axis_name``.

    Only inside ``jax.shard_map``. The values do not change: each device keeps its copy, which
    JAX now treats as that device's own. ``jax.lax.pcast(x, axis_name, to="varying")`` on JAX
    >= 0.8.2, ``jax.lax.pvary(x, axis_name)`` (the same operation's earlier name) before.
    """
    if hasattr(jax.lax, "pcast"):  # JAX >= 0.8.2
        return jax.lax.pcast(x, axis_name, to="varying")
    return jax.lax.pvary(x, axis_name)  # JAX 0.7.2 to 0.8.1
