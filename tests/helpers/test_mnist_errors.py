"""load_mnist's messages send the reader the right way (issue 24): a read-only folder with good
.gz files is not told to delete them, a corrupt file is told to delete its .gz too (else the
same bad file comes back), root=".../MNIST" is named as the mistake it is, and a download
that never answers is bounded."""

from __future__ import annotations

import builtins
import gzip
import socket

import pytest

from helpers import data, load_mnist
from helpers.data import MNIST_SHA256


@pytest.fixture
def gz_folder(tmp_path):
    """A root whose MNIST/raw holds four small gzipped files (their content does not matter
    to these tests)."""
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for name in MNIST_SHA256:
        with gzip.open(raw / f"{name}.gz", "wb") as f:
            f.write(b"fake")
    return tmp_path


def test_a_read_only_folder_is_not_told_to_delete_good_files(gz_folder, monkeypatch):
    """Simulated (root ignores permissions): opening the unpacked file for writing fails."""
    real_open = builtins.open

    def read_only(path, mode="r", *args, **kwargs):
        if "w" in mode:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", read_only)
    with pytest.raises(PermissionError) as info:
        load_mnist("test", root=gz_folder)
    message = str(info.value)
    assert "cannot unpack" in message and "Permission denied" in message
    assert "Make that folder writable" in message and "root=" in message
    assert "delete" not in message.lower()


def test_a_corrupt_file_beside_its_gz_is_told_to_delete_both(gz_folder):
    raw = gz_folder / "MNIST" / "raw"
    for name in MNIST_SHA256:
        (raw / name).write_bytes(b"fake")  # what unpacking the bad .gz gives, every time
    with pytest.raises(ValueError) as info:
        load_mnist("test", root=gz_folder)
    message = str(info.value)
    assert "is corrupted" in message
    assert ".gz (unpacking the same .gz again would give the same file)" in message


def test_root_pointing_at_the_mnist_folder_itself_is_named(gz_folder):
    with pytest.raises(ValueError, match=r"is the MNIST folder itself; root is the folder"):
        load_mnist("test", root=gz_folder / "MNIST")
    assert not (gz_folder / "MNIST" / "MNIST").exists()  # nothing made inside it


def test_the_download_cannot_hang(tmp_path, monkeypatch):
    """torchvision sets no timeout: load_mnist bounds each wait of the download, then
    restores the process's default."""
    from torchvision.datasets import MNIST

    seen = []

    def download(self):
        seen.append(socket.getdefaulttimeout())
        raise TimeoutError("timed out (simulated: a server that never answers)")

    monkeypatch.setattr(MNIST, "download", download)
    before = socket.getdefaulttimeout()
    with pytest.raises(FileNotFoundError, match="timed out"):
        load_mnist("test", root=tmp_path)
    assert seen == [data.DOWNLOAD_TIMEOUT]
    assert socket.getdefaulttimeout() == before
