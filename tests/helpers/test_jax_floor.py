"""`import helpers` refuses a JAX older than the floor, with a message that says what to do."""

import importlib
import re

import jax
import pytest

import helpers


def _floor_in_pyproject():
    from scripts.chapters import REPO

    text = (REPO / "pyproject.toml").read_text()
    return re.search(r'"jax>=([0-9.]+)"', text).group(1)


def test_floor_matches_pyproject():
    assert helpers.JAX_FLOOR == _floor_in_pyproject()


@pytest.mark.parametrize("old", ["0.4.30", "0.6.2", "0.7.1", "0.7.1.dev20250101"])
def test_older_jax_is_refused_with_a_clear_message(monkeypatch, old):
    monkeypatch.setattr(jax, "__version__", old)
    try:
        with pytest.raises(ImportError) as error:
            importlib.reload(helpers)
    finally:
        monkeypatch.undo()
        importlib.reload(helpers)  # leave the module as every other test expects it
    floor = helpers.JAX_FLOOR
    assert str(error.value) == (
        f"This course needs JAX >= {floor}; this runtime has {old}. "
        "Upgrade jax and jaxlib together with your accelerator's plugin (on a CUDA 12 GPU: "
        f'pip install -U "jax[cuda12]>={floor}"), then restart the session.'
    )


@pytest.mark.parametrize("new", [None, "0.7.2", "0.8.2", "0.9.0.1", "0.12.0.1", "1.0.0"])
def test_pinned_and_newer_jax_import(monkeypatch, new):
    if new is not None:
        monkeypatch.setattr(jax, "__version__", new)
    try:
        importlib.reload(helpers)
    finally:
        monkeypatch.undo()
        importlib.reload(helpers)
    assert helpers.init_mlp is not None
