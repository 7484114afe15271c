"""Results computed once per test run and shared by the pytest-xdist workers (the book build,
chapter 9's checks on 8 simulated devices)."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from pathlib import Path


def once_per_run(tmp_path_factory, name: str, make: Callable[[Path], str]) -> tuple[Path, str]:
    """``(folder, make(folder))``, computed once per test run, also when pytest-xdist runs
    several workers: they share the parent of their temporary folders, where a file lock lets
    the first one compute and store the text (``folder`` is for any files ``make`` writes)."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # .../pytest-N/popen-gwK: share .../pytest-N
        shared = shared.parent
    stored = shared / f"{name}.out"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not stored.exists():
            stored.write_text(make(shared / name))
    return shared / name, stored.read_text()
