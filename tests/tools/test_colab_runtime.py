"""Colab's published runtime (colab/runtime/) against the course, and the ref Colab installs.

The course's package must install on Colab's runtime without changing a package there
(scripts.colab_runtime); scripts/colab_compat.sh then runs every chapter on those versions."""

import re
import subprocess

import pytest

from scripts import colab_runtime
from scripts.chapters import REPO, config


def test_colabs_runtime_satisfies_every_requirement_of_the_course():
    packages = colab_runtime.read_freeze()
    assert packages["jax"] == packages["jaxlib"] == packages["jax-cuda12-plugin"]
    assert colab_runtime.broken(packages, colab_runtime.course_requirements()) == []
    assert colab_runtime.main(["check"]) == 0


def test_the_floor_is_colabs_jax():
    import helpers

    assert helpers.JAX_FLOOR == colab_runtime.read_freeze()["jax"]


def test_an_older_runtime_is_reported_with_what_pip_would_do(tmp_path, capsys):
    freeze = tmp_path / "pip-freeze.txt"
    text = colab_runtime.FREEZE.read_text()
    freeze.write_text(
        re.sub(r"(?m)^jax==.*$", "jax==0.6.2", text).replace("\nmatplotlib==", "\nx==")
    )
    assert colab_runtime.main(["check", str(freeze)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("BREAKS jax>=") and "the runtime has jax 0.6.2" in out[0]
    assert "stop using the accelerator plugin (jax-cuda12-plugin" in out[0]
    assert out[1].startswith("BREAKS matplotlib>=") and "lacks matplotlib" in out[1]


@pytest.mark.parametrize("command", ["check", "compare"])
@pytest.mark.parametrize(
    "text", ["", "hello\n", "numpy==2.0\n", "nn-from-scratch-jax-helpers @ git+https://x/y\n"]
)
def test_a_file_that_is_no_freeze_is_refused(tmp_path, command, text, capsys):
    """compare too: an empty file or colab/requirements.txt was "the same as Colab"."""
    freeze = tmp_path / "pip-freeze.txt"
    freeze.write_text(text)
    with pytest.raises(SystemExit):
        colab_runtime.main([command, str(freeze)])
    assert "no jax in it" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        colab_runtime.main([command, str(tmp_path / "missing.txt")])
    assert "no such file" in capsys.readouterr().err


def test_urls_and_local_labels_are_read(tmp_path):
    freeze = tmp_path / "f.txt"
    freeze.write_text(
        "# a comment\nTorch==2.11.0+cu128\n"
        "torchvision @ https://x.org/whl/cpu/torchvision-0.26.0%2Bcpu-cp313-cp313-linux.whl\n"
        "google-colab @ file:///colabtools/dist/google_colab-1.0.0.tar.gz\n"
        "nvidia-cublas-cu12==12.8.4.1\n"
    )
    packages = colab_runtime.read_freeze(freeze)
    assert packages == {
        "torch": "2.11.0+cu128",
        "torchvision": "0.26.0+cpu",
        "nvidia-cublas-cu12": "12.8.4.1",
    }
    assert colab_runtime.constraints(packages) == "torch==2.11.0\ntorchvision==0.26.0\n"
    assert colab_runtime.differences({"torch": "2.11.0", "numpy": "2.4.6"}, packages) == []
    assert colab_runtime.differences({"torch": "2.12.0"}, packages) == [
        "torch 2.12.0 (Colab: 2.11.0+cu128)"
    ]


def test_colabs_python_is_read_from_its_os_info():
    assert re.fullmatch(r"3\.\d+", colab_runtime.python_version())


def test_colab_installs_the_course_from_the_ref_its_chapters_open_from():
    """One ref everywhere (the book's Colab links, the setup cell's URL, the requirement), and
    it exists in this repository."""
    branch = config()["repository"].get("branch", "main")
    requirement = (REPO / "colab" / "requirements.txt").read_text()
    refs = re.findall(r"git\+https://\S+?@([\w./-]+)", requirement)
    assert refs == [branch], refs
    assert f'"/{branch}/colab/requirements.txt"' in (REPO / "colab" / "setup_cell.py").read_text()
    exists = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{branch}^{{commit}}"],
        cwd=REPO,
        capture_output=True,
    )
    assert exists.returncode == 0, f"colab/requirements.txt names {branch!r}: no such ref"


def test_the_supported_range_is_the_same_everywhere():
    """From the floor (Colab's JAX, helpers.JAX_FLOOR = pyproject's jax>=) to the pinned newest
    release (requirements.txt), in the same words in README and on the landing page."""
    import helpers
    from verification.settings import pins

    floor, newest = helpers.JAX_FLOOR, pins()["jax"]
    assert pins()["jaxlib"] == newest
    stated = (
        f"**Supported versions:** JAX {floor} (Colab's runtime) to {newest} (the newest release"
    )
    for page in ("README.md", "index.md"):
        text = " ".join((REPO / page).read_text().split())
        assert stated in text, f"{page} does not state the supported range as: {stated}"
    assert f'"jax>={floor}"' in (REPO / "pyproject.toml").read_text()


def compat_packages() -> list[str]:
    """What scripts/colab_compat.sh installs at Colab's versions and compares (its one list)."""
    script = (REPO / "scripts" / "colab_compat.sh").read_text()
    return re.search(r'^packages="([^"]*)"', script, re.M).group(1).split()


def test_compare_counts_colabs_packages_that_are_missing(tmp_path, capsys):
    colab = colab_runtime.FREEZE.read_text()
    freeze = tmp_path / "pip-freeze.txt"
    freeze.write_text(re.sub(r"(?m)^torch==.*\n", "", colab))
    assert colab_runtime.main(["compare", str(freeze)]) == 1
    assert capsys.readouterr().out == "NOT COLAB'S torch missing (Colab: 2.11.0+cu128)\n"
    assert colab_runtime.main(["compare", str(freeze), "--packages", "jax", "numpy"]) == 0
    # As scripts/colab_compat.sh runs it: only what it installed must be there, as on Colab.
    wanted = {colab_runtime.canonicalize_name(name) for name in compat_packages()}
    lines = [line for line in colab.splitlines() if line.split("==")[0].lower() in wanted]
    freeze.write_text("\n".join(lines) + "\nnbval==0.11.0\n")
    assert colab_runtime.main(["compare", str(freeze), "--packages", *compat_packages()]) == 0
    freeze.write_text("\n".join(line for line in lines if not line.startswith("flax")))
    assert colab_runtime.main(["compare", str(freeze), "--packages", *compat_packages()]) == 1
    assert "NOT COLAB'S flax missing (Colab: 0.11.2)" in capsys.readouterr().out


@pytest.mark.parametrize("line", ["jax===0.7.2", "jax==abc"])
def test_a_version_that_is_no_version_is_one_line(tmp_path, line):
    freeze = tmp_path / "pip-freeze.txt"
    freeze.write_text(f"numpy==2.1.3  # a comment is fine\n{line}\n")
    with pytest.raises(SystemExit) as refusal:
        colab_runtime.main(["check", str(freeze)])
    version = line.split("==", 1)[1]
    assert str(refusal.value) == (
        f"{freeze}, line 2: {line!r}: {version!r} is not a version; "
        "a `pip freeze` line reads name==version: fix the line or freeze again"
    )
