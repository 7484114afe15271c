"""load_mnist's files: where it looks (root, COURSE_DATA_DIR, ~), its clear errors (folder
missing, files missing and no network, torchvision missing, file corrupted), the gzipped files
it unpacks and the decoded arrays it keeps on disk."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers import data, load_mnist
from helpers.data import MNIST_SHA256, MNIST_URL, default_data_dir


@pytest.fixture
def offline(monkeypatch):
    """torchvision cannot download: fail at once, as it does without a network."""
    from torchvision.datasets import MNIST

    def no_network(self):
        raise RuntimeError("Error downloading train-images-idx3-ubyte.gz: no network (simulated)")

    monkeypatch.setattr(MNIST, "download", no_network)


def test_root_comes_from_course_data_dir(monkeypatch, tmp_path, offline):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    assert default_data_dir() == tmp_path
    with pytest.raises(FileNotFoundError) as info:
        load_mnist("test")
    assert str(tmp_path / "MNIST" / "raw") in str(info.value)


def test_root_argument_wins_over_the_environment(monkeypatch, tmp_path, offline):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "elsewhere"))
    (tmp_path / "mine").mkdir()
    with pytest.raises(FileNotFoundError) as info:
        load_mnist("test", root=tmp_path / "mine")
    assert str(tmp_path / "mine" / "MNIST" / "raw") in str(info.value)


def test_missing_files_without_network_give_a_clear_error(tmp_path, offline):
    with pytest.raises(FileNotFoundError) as info:
        load_mnist("train", root=tmp_path)
    message = str(info.value)
    assert f"MNIST is not in {tmp_path / 'MNIST' / 'raw'}" in message
    for name in MNIST_SHA256:  # names all four files
        assert name in message
    assert "could not be downloaded" in message and "no network (simulated)" in message
    assert "internet access" in message and "COURSE_DATA_DIR" in message
    assert (
        f"from {MNIST_URL} and put them (gzipped or unpacked) into {tmp_path / 'MNIST' / 'raw'}"
        in message
    )
    assert "../shared" not in message  # a folder only the course's own machines have


def _copy_of_data(tmp_path: Path) -> Path:
    """A temporary root whose MNIST/raw links to the real files."""
    source = default_data_dir() / "MNIST" / "raw"
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for name in MNIST_SHA256:
        (raw / name).symlink_to(source / name)
    return raw


def test_a_partial_folder_lists_what_is_missing(tmp_path, offline):
    raw = _copy_of_data(tmp_path)
    (raw / "t10k-images-idx3-ubyte").unlink()
    with pytest.raises(FileNotFoundError, match="missing t10k-images-idx3-ubyte, and"):
        load_mnist("test", root=tmp_path)


def _corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF  # flip the bits of the last label
    path.unlink()  # replace the link with a damaged copy
    path.write_bytes(bytes(data))


def test_a_corrupted_file_gives_a_checksum_error(tmp_path):
    raw = _copy_of_data(tmp_path)
    _corrupt(raw / "t10k-labels-idx1-ubyte")
    with pytest.raises(ValueError) as info:
        load_mnist("test", root=tmp_path)
    message = str(info.value)
    assert f"MNIST file {raw / 't10k-labels-idx1-ubyte'} is corrupted" in message
    assert f"expected {MNIST_SHA256['t10k-labels-idx1-ubyte']}" in message
    assert "then download it again from" in message


def test_corruption_after_a_good_load_is_still_caught(tmp_path):
    raw = _copy_of_data(tmp_path)
    images, labels = load_mnist("test", root=tmp_path)
    assert labels.shape == (10000,)
    path = raw / "t10k-labels-idx1-ubyte"
    _corrupt(path)
    os.utime(path, ns=(1, 1))  # a new file version, even where timestamps are coarse
    with pytest.raises(ValueError, match="is corrupted"):
        load_mnist("test", root=tmp_path)


# --- Nothing fails silently ---------------------------------------------------------------------
def test_a_tilde_in_root_or_course_data_dir_is_expanded(monkeypatch, tmp_path, offline):
    monkeypatch.setenv("HOME", str(tmp_path))
    _copy_of_data(tmp_path / "data")
    images, labels = load_mnist("test", root="~/data")
    assert images.shape == (10000, 784) and labels[:3].tolist() == [7, 2, 1]
    monkeypatch.setenv("COURSE_DATA_DIR", "~/data")
    assert default_data_dir() == tmp_path / "data"
    assert load_mnist("test")[1].shape == (10000,)


def test_a_missing_root_is_reported_not_created(monkeypatch, tmp_path, offline):
    missing = tmp_path / "nonexistent" / "xyz"
    expected = rf"load_mnist: root {missing} does not exist\. Point root at an existing folder"
    with pytest.raises(FileNotFoundError, match=expected):
        load_mnist("test", root=missing)
    monkeypatch.setenv("COURSE_DATA_DIR", str(missing))
    with pytest.raises(FileNotFoundError, match=rf"COURSE_DATA_DIR {missing} does not exist"):
        load_mnist("test")
    assert not (tmp_path / "nonexistent").exists()


def test_a_root_that_is_a_file_or_empty_is_refused(monkeypatch, tmp_path, offline):
    (tmp_path / "file").write_text("")
    with pytest.raises(FileNotFoundError, match="is not a folder"):
        load_mnist("test", root=tmp_path / "file")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="root is empty; pass the folder that holds MNIST/raw"):
        load_mnist("test", root="")
    assert not (tmp_path / "MNIST").exists()


def test_a_failed_download_keeps_the_real_reason(monkeypatch, tmp_path):
    """torchvision puts the reason on later lines of its error: it must reach the message."""
    from urllib.error import URLError

    import torchvision.datasets.mnist as tv_mnist

    def no_route(url, *args, **kwargs):
        raise URLError(f"no route to {url} (simulated)")

    monkeypatch.setattr(tv_mnist, "download_and_extract_archive", no_route)
    with pytest.raises(FileNotFoundError) as info:
        load_mnist("test", root=tmp_path)
    message = str(info.value)
    assert "RuntimeError: Error downloading train-images-idx3-ubyte.gz:" in message
    assert f"no route to {MNIST_URL}train-images-idx3-ubyte.gz (simulated)" in message


def test_gzipped_files_put_there_by_hand_are_unpacked_offline(tmp_path, offline):
    source = default_data_dir() / "MNIST" / "raw"
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for name in MNIST_SHA256:
        with gzip.open(raw / f"{name}.gz", "wb", compresslevel=1) as f:
            f.write((source / name).read_bytes())
    images, labels = load_mnist("test", root=tmp_path)
    assert images.shape == (10000, 784) and labels[:3].tolist() == [7, 2, 1]
    unpacked = sorted(p.name for p in raw.iterdir() if not p.name.endswith(".gz"))
    assert unpacked == sorted(MNIST_SHA256)


def test_a_broken_gz_file_gives_a_clear_error(tmp_path, offline):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    (raw / "t10k-labels-idx1-ubyte.gz").write_bytes(b"not gzip")
    expected = r"t10k-labels-idx1-ubyte\.gz is damaged .*delete it and download it again"
    with pytest.raises(ValueError, match=expected):
        load_mnist("test", root=tmp_path)
    assert [p.name for p in raw.iterdir()] == ["t10k-labels-idx1-ubyte.gz"]  # nothing half-written


def test_without_torchvision_the_error_names_the_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "torchvision", None)
    monkeypatch.setitem(sys.modules, "torchvision.datasets", None)
    extra = (
        r'pip install "nn-from-scratch-jax-helpers\[mnist\]" \(or just pip install torchvision\)'
    )
    with pytest.raises(ModuleNotFoundError, match=r"load_mnist needs torchvision .*" + extra):
        load_mnist("test", root=tmp_path)


# --- The decoded arrays on disk -----------------------------------------------------------------
def test_a_new_process_reads_the_decoded_arrays_without_torchvision(tmp_path, monkeypatch):
    _copy_of_data(tmp_path)
    monkeypatch.setattr(data, "_CACHE", {})  # the files are in memory already, from other tests
    images, labels = load_mnist("test", root=tmp_path)  # decodes with torchvision, stores them
    assert [p.name for p in (tmp_path / "MNIST" / "decoded").iterdir()] == [
        f"test-{MNIST_SHA256['t10k-images-idx3-ubyte'][:16]}.npz"
    ]
    probe = (
        "import sys, numpy as np; from helpers import load_mnist;"
        f"images, labels = load_mnist('test', root={str(tmp_path)!r});"
        "np.save(sys.argv[1], images); np.save(sys.argv[2], labels);"
        "print('torchvision' in sys.modules)"
    )
    out = [tmp_path / "images.npy", tmp_path / "labels.npy"]
    done = subprocess.run(
        [sys.executable, "-c", probe, *map(str, out)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "JAX_PLATFORMS": "cpu"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "False", "the new process imported torchvision"
    np.testing.assert_array_equal(np.load(out[0]), images)
    np.testing.assert_array_equal(np.load(out[1]), labels)


def test_an_unreadable_decoded_file_is_decoded_again(tmp_path, monkeypatch):
    _copy_of_data(tmp_path)
    monkeypatch.setattr(data, "_CACHE", {})
    expected = load_mnist("test", root=tmp_path)
    [stored] = (tmp_path / "MNIST" / "decoded").iterdir()
    stored.write_bytes(stored.read_bytes()[:1000])  # cut short, as by a full disk
    monkeypatch.setattr(data, "_CACHE", {})  # as in a new process
    images, labels = load_mnist("test", root=tmp_path)
    np.testing.assert_array_equal(images, expected[0])
    np.testing.assert_array_equal(labels, expected[1])
    with np.load(stored) as saved:  # and written whole again
        assert saved["images"].shape == (10000, 784)
