"""What the setup cell of every chapter checks: which JAX runs, on which devices.

On Colab, a GPU or TPU runtime whose JAX cannot use the accelerator (most often because
something upgraded jax/jaxlib without its matching plugin) silently trains on the CPU. The
setup cell calls :func:`check_runtime`, which stops with a message that says how to repair it.
"""

from __future__ import annotations

import glob
import importlib.metadata
import os
from collections.abc import Callable, Sequence

import jax


def describe_devices(devices: Sequence) -> str:
    """Devices by platform and id ("cpu:0", "8 x cpu (ids 0-7)"), the same text on every JAX."""
    names = [f"{d.platform}:{d.id}" for d in devices]
    platforms = {d.platform for d in devices}
    if len(names) > 2 and len(platforms) == 1:
        ids = [d.id for d in devices]
        return f"{len(names)} x {platforms.pop()} (ids {min(ids)}-{max(ids)})"
    return ", ".join(names)


def accelerator_present(exists: Callable[[str], list[str]] = glob.glob) -> str | None:
    """'gpu' or 'tpu' when this machine has one (whatever JAX uses), else None.

    An NVIDIA GPU shows as /dev/nvidia0, ...; a Cloud TPU chip (Colab's v5e-1, v6e-1) as
    /dev/accel0 or a numbered /dev/vfio/ group."""
    if exists("/dev/nvidia[0-9]*"):
        return "gpu"
    if exists("/dev/accel[0-9]*") or exists("/dev/vfio/[0-9]*"):
        return "tpu"
    return None


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


# The plugin distributions of each accelerator, with the jax extra that installs each.
PLUGINS = {
    "gpu": {"jax-cuda12-plugin": "cuda12", "jax-cuda13-plugin": "cuda13"},
    "tpu": {"libtpu": "tpu"},
}


def unused_accelerator_message(accelerator: str) -> str:
    """Why JAX runs on the CPU of a machine with a GPU or TPU, and what to do."""
    jaxlib = _version("jaxlib")
    installed = {name: v for name in PLUGINS[accelerator] if (v := _version(name))}
    found = ", ".join(f"{name} {v}" for name, v in installed.items()) or "none installed"
    extra = PLUGINS[accelerator][next(iter(installed), next(iter(PLUGINS[accelerator])))]
    return (
        f"This runtime has a {accelerator.upper()}, but JAX {jax.__version__} runs on the "
        f"CPU. jaxlib is {jaxlib}; {accelerator.upper()} plugin: {found}. JAX uses a "
        "plugin only when its version equals jaxlib's, so this happens when something "
        "upgraded jax without its plugin. To repair it: pip install -U "
        f'"jax[{extra}]=={jax.__version__}", then Runtime > Restart session; '
        "or start a fresh runtime (Runtime > Disconnect and delete runtime)."
    )


def check_runtime(exists: Callable[[str], list[str]] = glob.glob) -> None:
    """Print JAX's version and devices; stop if a GPU/TPU is present but JAX runs on the CPU.

    `exists` lists the paths matching a pattern (tests pass a fake machine). Setting
    JAX_PLATFORMS=cpu on purpose turns the check off."""
    accelerator = accelerator_present(exists)
    wants_cpu = os.environ.get("JAX_PLATFORMS", "").strip().lower() == "cpu"
    if accelerator and not wants_cpu and jax.default_backend() == "cpu":
        raise RuntimeError(unused_accelerator_message(accelerator))
    print("JAX", jax.__version__, "| devices:", describe_devices(jax.devices()))
