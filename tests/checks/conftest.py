"""What the self-check tests share: reading a check's result, the junk answers, and chapter 9's
checks run on 8 simulated CPU devices."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from once import once_per_run

from helpers import checks

HERE = Path(__file__).resolve().parent


def expect(result: checks.CheckResult, passed: bool, *fragments: str) -> None:
    """Assert that ``result`` passed (or not) and shows as a one-line message containing each
    of ``fragments``, never as the check's own last-resort message."""
    assert isinstance(result, checks.CheckResult), result
    message = result.message
    assert bool(result) is passed and result.passed is passed, message
    assert message.startswith("Correct: " if passed else "Not quite yet: "), message
    assert repr(result) == str(result) == message and "\n" not in message, message
    assert "the check could not read this answer" not in message, message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"


@pytest.fixture(name="expect")
def expect_fixture():
    return expect


@pytest.fixture(scope="session")
def on_8_devices(tmp_path_factory) -> dict[str, checks.CheckResult]:
    """The results of ``on_8_devices.py``: chapter 9's checks on 8 simulated CPU devices.

    The number of CPU devices is fixed when JAX starts, so they run in a fresh process with
    ``XLA_FLAGS=--xla_force_host_platform_device_count=8``.
    """
    env = dict(
        os.environ, JAX_PLATFORMS="cpu", XLA_FLAGS="--xla_force_host_platform_device_count=8"
    )

    def run(_) -> str:
        done = subprocess.run(
            [sys.executable, str(HERE / "on_8_devices.py")],
            cwd=HERE,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        return done.stdout.splitlines()[-1]

    _, stored = once_per_run(tmp_path_factory, "on_8_devices", run)  # also across workers
    results = json.loads(stored)
    return {name: checks.CheckResult(**result) for name, result in results.items()}
