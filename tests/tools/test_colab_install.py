"""The Colab install path, proved offline.

On Colab a chapter's setup cell (``colab/setup_cell.py``) runs
``pip install -r colab/requirements.txt``, which installs the course's ``helpers`` package into
a runtime that already has its own (accelerator) build of JAX. That install must leave Colab's
JAX alone. This test reproduces the situation without a network:

1. a fresh virtual environment (no pip inside, no access to the course's ``.venv`` packages);
2. Colab's own jax/jaxlib pair (``colab/runtime/pip-freeze.gpu.txt``) installed into it from
   ``.venv/wheelhouse`` (``scripts/setup_env.sh`` downloads it once);
3. the other dependencies (numpy, matplotlib, scipy, ml_dtypes, setuptools, ...) made visible
   through a ``.pth`` file pointing at a folder of symlinks into ``.venv``'s site-packages that
   leaves out jax, jaxlib and the course's own (editable) package;
4. ``pip install --no-index --no-build-isolation <a clean copy of this checkout>``;

then checks that jax and jaxlib are still Colab's version, from the same place, and that
``import helpers`` works and comes from the freshly installed package. (scripts/colab_compat.sh,
run by CI, does the same with all of Colab's versions and the package index, then runs every
chapter there.)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from scripts.chapters import NOT_SOURCES, REPO
from scripts.colab_runtime import read_freeze
from scripts.wheelhouse import WHEELHOUSE

# Distributions in .venv that the fresh environment must NOT see: the ones under test.
HIDDEN = {"jax", "jaxlib", "jax_plugins", "nn_from_scratch_jax_helpers", "helpers"}


def _colab_wheels() -> tuple[str, Path, Path]:
    """Colab's version of jax and its jax/jaxlib wheels."""
    version = read_freeze()["jax"]
    jax_wheels = sorted(WHEELHOUSE.glob(f"jax-{version}-py3-none-any.whl"))
    jaxlib_wheels = sorted(WHEELHOUSE.glob(f"jaxlib-{version}-*.whl"))
    if not (jax_wheels and jaxlib_wheels):
        pytest.fail(
            f"No jax/jaxlib {version} wheels (Colab's) in {WHEELHOUSE}: run "
            "`bash scripts/setup_env.sh`, which downloads them."
        )
    return version, jax_wheels[0], jaxlib_wheels[0]


def _run(cmd: list, **kwargs) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PIP_"))}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", JAX_PLATFORMS="cpu")
    result = subprocess.run(
        [str(c) for c in cmd], capture_output=True, text=True, env=env, timeout=300, **kwargs
    )
    assert result.returncode == 0, (
        f"{' '.join(map(str, cmd))} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result


def test_installing_helpers_keeps_the_runtimes_jax(tmp_path):
    version, jax_wheel, jaxlib_wheel = _colab_wheels()

    # 1. A fresh virtual environment, made by the same base interpreter as .venv.
    venv.create(tmp_path / "venv", with_pip=False)
    python = tmp_path / "venv" / "bin" / "python"
    site = Path(
        _run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
        ).stdout.strip()
    )
    pip = [sys.executable, "-m", "pip", "--python", python]

    # 2. Colab's own JAX, installed into the environment itself.
    _run(pip + ["install", "--no-index", "--no-deps", "--no-compile", jax_wheel, jaxlib_wheel])

    # 3. Everything else the package and its build need, shared read-only from .venv.
    shared = tmp_path / "shared"
    shared.mkdir()
    main_site = Path(sysconfig.get_paths()["purelib"])
    for entry in main_site.iterdir():
        name = entry.name.split("-")[0].split(".")[0]
        if entry.suffix == ".pth" or name in HIDDEN or entry.name.startswith("__"):
            continue
        (shared / entry.name).symlink_to(entry)
    (site / "course_shared_packages.pth").write_text(f"{shared}\n")

    probe = (
        "import importlib.metadata as m, jax, jaxlib; "
        "print(jax.__version__, jaxlib.__version__, m.version('jax'), jax.__file__)"
    )
    before = _run([python, "-c", probe], cwd=tmp_path).stdout.split()
    assert before[:3] == [version] * 3, before
    assert before[3].startswith(str(site)), before

    # 4. Install helpers from a clean copy of this checkout (setuptools builds in the source
    #    folder; copying keeps build/ and *.egg-info out of the working tree).
    source = tmp_path / "checkout"
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(*NOT_SOURCES),
    )
    install = _run(pip + ["install", "--no-index", "--no-build-isolation", "--no-compile", source])
    assert "Successfully installed nn-from-scratch-jax-helpers-" in install.stdout, install.stdout
    for line in install.stdout.splitlines():  # pip must not have touched jax or jaxlib
        if line.startswith(("Installing collected packages", "Successfully installed")):
            assert "jax" not in line.replace("nn-from-scratch-jax-helpers", ""), line

    after = _run(
        [python, "-c", probe + "; import helpers; print(helpers.__file__)"], cwd=tmp_path
    ).stdout.split()
    assert after[:4] == before, f"jax changed: {before} -> {after}"
    assert after[4].startswith(str(site / "helpers")), after
