"""scripts.execute_chapters stores outputs only when the kernel ran the pinned environment:
a user-level `python3` kernelspec can start another Python, whose outputs would be recorded
as the pinned environment's."""

import platform
from pathlib import Path

import nbformat
import pytest

from scripts.execute_chapters import chapter_paths, check_kernel_environment
from verification.settings import pins

CHAPTER = Path(__file__).resolve().parents[2] / "chapters" / "01_xor.ipynb"


def notebook(python: str, printed: str):
    nb = nbformat.read(CHAPTER, as_version=4)
    nb.metadata.language_info.version = python
    setup = next(c for c in nb.cells if "check_runtime()" in c.source)
    setup.outputs = [nbformat.v4.new_output("stream", name="stdout", text=printed)]
    return nb


def test_the_pinned_environment_passes():
    nb = notebook(platform.python_version(), f"JAX {pins()['jax']} | devices: cpu:0\n")
    check_kernel_environment(nb, CHAPTER)


@pytest.mark.parametrize(
    "python, printed, found",
    [
        pytest.param("3.9.1", None, "Python 3.9.1, JAX", id="other-python"),
        pytest.param(
            None,
            "JAX 0.4.30 | devices: cpu:0\n",
            ", JAX 0.4.30, not this environment",
            id="other-jax",
        ),
        pytest.param(
            None, "something else\n", ", JAX not printed, not this environment", id="no-jax-line"
        ),
    ],
)
def test_another_environment_is_refused(python, printed, found):
    nb = notebook(
        python or platform.python_version(),
        printed or f"JAX {pins()['jax']} | devices: cpu:0\n",
    )
    with pytest.raises(SystemExit) as refusal:
        check_kernel_environment(nb, CHAPTER)
    assert f"the kernel ran Python {python or platform.python_version()}, " in str(refusal.value)
    assert found in str(refusal.value)
    assert "jupyter kernelspec list" in str(refusal.value)


def test_a_chapter_path_elsewhere_is_not_the_repositorys(tmp_path):
    """/tmp/x/01_xor.ipynb silently became chapters/01_xor.ipynb (measure_spread, seed_spread)."""
    assert chapter_paths(["01_xor", str(CHAPTER)]) == [CHAPTER, CHAPTER]
    with pytest.raises(SystemExit) as refusal:
        chapter_paths([str(tmp_path / "01_xor.ipynb")])
    assert str(refusal.value).startswith(f"{tmp_path / '01_xor.ipynb'}: not in ")
