"""tests/once.py: a result the pytest-xdist workers compute once per run and share."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from once import once_per_run


class Worker:
    """The part of pytest's tmp_path_factory that once_per_run uses: a worker's temp folder."""

    def __init__(self, basetemp: Path):
        basetemp.mkdir(parents=True, exist_ok=True)
        self.basetemp = basetemp

    def getbasetemp(self) -> Path:
        return self.basetemp


def test_workers_asking_at_once_share_one_result(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")
    workers = [Worker(tmp_path / f"popen-gw{i}") for i in range(4)]
    calls, results = [], []

    def make(folder: Path) -> str:
        calls.append(folder)
        time.sleep(0.2)  # long enough for the others to be waiting on the lock
        return "made once"

    threads = [
        threading.Thread(target=lambda w=w: results.append(once_per_run(w, "thing", make)))
        for w in workers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [tmp_path / "thing"]
    assert results == [(tmp_path / "thing", "made once")] * 4


def test_a_failed_computation_is_tried_again(tmp_path, monkeypatch):
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)  # one process: its own folder

    def fail(folder: Path) -> str:
        raise RuntimeError("the build broke")

    with pytest.raises(RuntimeError, match="the build broke"):
        once_per_run(Worker(tmp_path), "thing", fail)
    assert once_per_run(Worker(tmp_path), "thing", lambda folder: "second try") == (
        tmp_path / "thing",
        "second try",
    )
