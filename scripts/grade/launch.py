"""How a submission's kernel is started: by scripts/grade/kernel.py (the limits, the write
guard), with its connection file, homes, caches and temporary files inside the submission's
own folder."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager

if TYPE_CHECKING:
    from scripts.grade.run import Limits

KERNEL = Path(__file__).resolve().parent / "kernel.py"


def kernel_manager(folder: Path, limits: Limits) -> AsyncKernelManager:
    """A kernel started by scripts/grade/kernel.py (limits, write guard), its connection
    file in ``folder``."""
    km = AsyncKernelManager(connection_file=str(folder / "kernel.json"))
    km._kernel_spec = KernelSpec(  # the spec itself, not one installed by name
        argv=[
            sys.executable,
            str(KERNEL),
            "--memory",
            str(limits.memory_bytes),
            "--file-size",
            str(limits.file_bytes),
            "--allow",
            str(folder),
            "-f",
            "{connection_file}",
        ],
        display_name="grader",
        language="python",
    )
    return km


def kernel_env(folder: Path) -> dict[str, str]:
    """The kernel's environment: the grader's, with every home and cache inside ``folder``."""
    env = dict(os.environ)
    for name in ("XLA_FLAGS", "JAX_COMPILATION_CACHE_DIR"):  # XLA as when the chapters ran
        env.pop(name, None)
    home = folder / "home"
    env.update(
        HOME=str(home),
        TMPDIR=str(folder / "tmp"),
        IPYTHONDIR=str(home / ".ipython"),
        JUPYTER_RUNTIME_DIR=str(folder / "runtime"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_CONFIG_HOME=str(home / ".config"),
        MPLBACKEND="agg",
        JAX_PLATFORMS="cpu",  # the checks' tolerances are set for the CPU
        PYTHONDONTWRITEBYTECODE="1",
        MPLCONFIGDIR=str(matplotlib_dir(folder / "matplotlib")),
    )
    return env


def matplotlib_dir(mine: Path) -> Path:
    """Matplotlib's folder for the kernel, with a copy of the grader's font list if there is
    one (else the kernel scans the fonts again, a second or two)."""
    mine.mkdir(parents=True, exist_ok=True)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "matplotlib"
    for where in (os.environ.get("MPLCONFIGDIR"), cache):
        for font_list in Path(where).glob("fontlist-*.json") if where else ():
            shutil.copy(font_list, mine)
    return mine
