"""helpers.runtime: the setup cell's JAX line, and its stop when a GPU/TPU sits unused.

The machine is faked: `exists` answers which device files are present, and jax's backend
and the installed versions are patched, so every case runs offline on a CPU."""

from types import SimpleNamespace

import jax
import pytest

from helpers import runtime


@pytest.mark.parametrize(
    "present, found",
    [
        ((), None),
        (("/dev/nvidia0", "/dev/nvidiactl"), "gpu"),
        (("/dev/nvidiactl",), None),  # the driver without a GPU
        (("/dev/accel0",), "tpu"),
        (("/dev/vfio/0", "/dev/vfio/vfio"), "tpu"),
        (("/dev/vfio/vfio",), None),
    ],
)
def test_accelerators_are_found_from_device_files(present, found):
    fake = {
        "/dev/nvidia[0-9]*": [p for p in present if p[len("/dev/nvidia") :][:1].isdigit()],
        "/dev/accel[0-9]*": [p for p in present if p.startswith("/dev/accel")],
        "/dev/vfio/[0-9]*": [p for p in present if p[len("/dev/vfio/") :][:1].isdigit()],
    }
    assert runtime.accelerator_present(lambda pattern: fake[pattern]) == found


def test_no_accelerator_prints_the_jax_line(capsys, monkeypatch):
    monkeypatch.delenv("JAX_PLATFORMS", raising=False)
    runtime.check_runtime(exists=lambda pattern: [])
    assert capsys.readouterr().out == f"JAX {jax.__version__} | devices: cpu:0\n"


@pytest.mark.parametrize("accelerator, device", [("gpu", "/dev/nvidia0"), ("tpu", "/dev/accel0")])
def test_an_unused_accelerator_stops_the_cell(capsys, monkeypatch, accelerator, device):
    monkeypatch.delenv("JAX_PLATFORMS", raising=False)
    plugin = {"gpu": "jax-cuda12-plugin", "tpu": "libtpu"}[accelerator]
    versions = {"jaxlib": "0.12.0.1", plugin: "0.7.2"}
    monkeypatch.setattr(runtime, "_version", versions.get)
    with pytest.raises(RuntimeError) as error:
        runtime.check_runtime(exists=lambda pattern: [device] if pattern[:8] == device[:8] else [])
    message = str(error.value)
    assert message.startswith(
        f"This runtime has a {accelerator.upper()}, but JAX {jax.__version__} runs on the CPU."
    )
    assert f"plugin: {plugin} 0.7.2" in message and "jaxlib is 0.12.0.1" in message
    extra = {"gpu": "cuda12", "tpu": "tpu"}[accelerator]
    assert f'pip install -U "jax[{extra}]=={jax.__version__}"' in message
    assert capsys.readouterr().out == ""  # no JAX line: the cell stopped


def test_the_message_says_when_no_plugin_is_installed(monkeypatch):
    monkeypatch.setattr(runtime, "_version", {"jaxlib": "0.7.2"}.get)
    assert "GPU plugin: none installed." in runtime.unused_accelerator_message("gpu")


def test_jax_platforms_cpu_on_purpose_turns_the_check_off(capsys, monkeypatch):
    monkeypatch.setenv("JAX_PLATFORMS", "cpu")
    runtime.check_runtime(exists=lambda pattern: ["/dev/nvidia0"])
    assert capsys.readouterr().out.startswith("JAX ")


def test_an_accelerator_jax_uses_passes(capsys, monkeypatch):
    monkeypatch.delenv("JAX_PLATFORMS", raising=False)
    monkeypatch.setattr(jax, "default_backend", lambda: "gpu")
    monkeypatch.setattr(jax, "devices", lambda: [SimpleNamespace(platform="gpu", id=0)])
    runtime.check_runtime(exists=lambda pattern: ["/dev/nvidia0"])
    assert capsys.readouterr().out == f"JAX {jax.__version__} | devices: gpu:0\n"


@pytest.mark.parametrize(
    "devices, text",
    [
        ([("cpu", 0)], "cpu:0"),
        ([("gpu", 0), ("gpu", 1)], "gpu:0, gpu:1"),
        ([("cpu", i) for i in range(8)], "8 x cpu (ids 0-7)"),
        ([("tpu", 0), ("tpu", 1), ("cpu", 0)], "tpu:0, tpu:1, cpu:0"),
    ],
)
def test_devices_are_described_by_platform_and_id(devices, text):
    fakes = [SimpleNamespace(platform=p, id=i) for p, i in devices]
    assert runtime.describe_devices(fakes) == text


def test_the_repair_names_the_extra_of_the_installed_plugin(monkeypatch):
    """A CUDA 13 runtime is told to install jax[cuda13], not jax[cuda12]."""
    monkeypatch.setattr(runtime, "_version", {"jaxlib": "0.7.2", "jax-cuda13-plugin": "0.7.2"}.get)
    message = runtime.unused_accelerator_message("gpu")
    assert "GPU plugin: jax-cuda13-plugin 0.7.2." in message
    assert f'"jax[cuda13]=={jax.__version__}"' in message
