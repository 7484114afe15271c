"""Data sets: the XOR truth table and MNIST (through torchvision, as the JAX docs do)."""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import socket
import zipfile
import zlib
from pathlib import Path

import jax.numpy as jnp
import numpy as np

MNIST_SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}


def xor_data():
    """The XOR truth table: ``X`` float32 ``(4, 2)``, ``y`` float32 ``(4,)``."""
    X = jnp.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=jnp.float32)
    y = jnp.array([0, 1, 1, 0], dtype=jnp.float32)
    return X, y


MNIST_URL = "https://ossci-datasets.s3.amazonaws.com/mnist/"  # torchvision's first mirror
DOWNLOAD_TIMEOUT = 60  # seconds without an answer before the download gives up (not in total)


def default_data_dir() -> Path:
    """Where MNIST lives: ``$COURSE_DATA_DIR``, else ``data/`` in the repository checkout
    (or in the current folder when ``helpers`` is installed as a package)."""
    if os.environ.get("COURSE_DATA_DIR"):
        return Path(os.environ["COURSE_DATA_DIR"]).expanduser()
    repo = Path(__file__).resolve().parent.parent
    if (repo / "pyproject.toml").exists():
        return repo / "data"
    return Path.cwd() / "data"


def _data_root(root: str | os.PathLike | None) -> Path:
    """The folder that holds ``MNIST/raw``. A folder the reader names (``root`` or
    ``$COURSE_DATA_DIR``) must exist: we never create a mistyped path."""
    if root is None and not os.environ.get("COURSE_DATA_DIR"):
        return default_data_dir()  # ours: created on download
    name = "root" if root is not None else "COURSE_DATA_DIR"
    if root is not None and not str(root).strip():
        raise ValueError(
            "load_mnist: root is empty; pass the folder that holds MNIST/raw, "
            "or leave it out for the default."
        )
    path = Path(root).expanduser() if root is not None else default_data_dir()
    if not path.is_dir():
        what = "is not a folder" if path.exists() else "does not exist"
        raise FileNotFoundError(
            f"load_mnist: {name} {path} {what}. Point {name} at an existing "
            "folder (MNIST goes into its MNIST/raw/), or create it first."
        )
    if path.name == "MNIST" and (path / "raw").is_dir():
        raise ValueError(
            f"load_mnist: {name} {path} is the MNIST folder itself; {name} is the folder "
            f"that holds it: {path.parent} (the files are read from {name}/MNIST/raw/)."
        )
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _torchvision_mnist():
    """torchvision's MNIST class, or an error that says how to install it."""
    try:
        from torchvision.datasets import MNIST
    except ImportError as exc:
        raise ModuleNotFoundError(
            f"load_mnist needs torchvision ({exc}). Install the course's mnist extra: "
            'pip install "nn-from-scratch-jax-helpers[mnist]" (or just pip install torchvision).'
        ) from None
    return MNIST


def _missing_message(raw: Path, missing: list[str], reason: str) -> str:
    return (
        f"MNIST is not in {raw}: missing {', '.join(missing)}, and it could not be downloaded "
        f"({reason}).\n"
        "To fix it, do one of these:\n"
        "- run again with internet access (torchvision downloads the files into that folder);\n"
        f"- download {', '.join(name + '.gz' for name in MNIST_SHA256)} from {MNIST_URL} "
        f"and put them (gzipped or unpacked) into {raw};\n"
        "- pass root=... (or set COURSE_DATA_DIR) to a folder that has MNIST/raw/ with the files."
    )


def _unpack_gz(raw: Path) -> None:
    """Unpack ``<name>.gz`` files a reader put into ``raw`` by hand (no network needed)."""
    for name in MNIST_SHA256:
        packed, target = raw / f"{name}.gz", raw / name
        if packed.is_file() and not target.is_file():
            part = raw / f"{name}.part"  # renamed when complete: no half-unpacked file is left
            try:
                dst = open(part, "wb")
            except OSError as exc:  # a read-only folder: the .gz files are fine
                raise PermissionError(
                    f"load_mnist: cannot unpack {packed.name} into {raw} ({exc.strerror or exc}). "
                    "Make that folder writable, unpack the .gz files there yourself (gunzip), "
                    "or copy MNIST/raw/ to a writable folder and pass root=... to it."
                ) from None
            try:
                with dst, gzip.open(packed, "rb") as src:
                    shutil.copyfileobj(src, dst)
            except (OSError, EOFError, zlib.error) as exc:
                part.unlink(missing_ok=True)
                raise ValueError(
                    f"load_mnist: {packed} is damaged ({exc}): delete it and download it "
                    f"again from {MNIST_URL}."
                ) from None
            part.replace(target)


def _ensure_mnist_files(root: Path) -> Path:
    """Make sure the four raw files are in ``root/MNIST/raw`` (downloading them
    with torchvision if they are not) and return that folder."""
    raw = root / "MNIST" / "raw"
    _unpack_gz(raw)
    missing = [name for name in MNIST_SHA256 if not (raw / name).is_file()]
    if missing:
        MNIST = _torchvision_mnist()
        before = socket.getdefaulttimeout()
        socket.setdefaulttimeout(DOWNLOAD_TIMEOUT)  # torchvision's download sets none: a server
        try:  # that accepts the connection but never answers would hang forever
            MNIST(str(root), train=True, download=True)
        except Exception as exc:  # no network, server down, ...: keep torchvision's reasons
            reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:600]
            raise FileNotFoundError(_missing_message(raw, missing, reason)) from None
        finally:
            socket.setdefaulttimeout(before)
        missing = [name for name in MNIST_SHA256 if not (raw / name).is_file()]
        if missing:
            raise FileNotFoundError(_missing_message(raw, missing, "the download left them out"))
    return raw


_VERIFIED: dict[tuple, bool] = {}  # (path, size, mtime) of files whose SHA-256 matched
_CACHE: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}  # uint8 images and labels per split
_SPLITS = {"train": ("train-images-idx3-ubyte", 60000), "test": ("t10k-images-idx3-ubyte", 10000)}


def _verify(raw: Path) -> tuple:
    """Check each raw file against its SHA-256 (once per file version); return
    the files' signature, which keys the cache of decoded arrays."""
    signature = []
    for name, expected in MNIST_SHA256.items():
        path = raw / name
        stat = path.stat()
        key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
        if key not in _VERIFIED:
            actual = _sha256(path)
            if actual != expected:
                packed = path.with_name(f"{name}.gz")
                delete = f"{path} and {packed}" if packed.exists() else str(path)
                raise ValueError(
                    f"MNIST file {path} is corrupted: its SHA-256 is {actual}, expected "
                    f"{expected}. Delete {delete} (unpacking the same .gz again would "
                    f"give the same file), then download it again from {MNIST_URL}."
                )
            _VERIFIED[key] = True
        signature.append(key)
    return tuple(signature)


def _decoded(root: Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    """torchvision's decoding of a split's verified raw files: uint8 images ``(N, 784)`` and
    int32 labels. Kept in ``MNIST/decoded/`` (named by the images file's SHA-256), so that a
    new process reads them in milliseconds instead of importing torchvision (about 3 s)."""
    images_file, n = _SPLITS[split]
    stored = root / "MNIST" / "decoded" / f"{split}-{MNIST_SHA256[images_file][:16]}.npz"
    try:
        with open(stored, "rb") as file, np.load(file) as saved:  # closed if np.load fails
            images, labels = saved["images"], saved["labels"]
        if images.shape == (n, 784) and images.dtype == np.uint8 and labels.shape == (n,):
            return images, labels.astype(np.int32)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):  # absent, unreadable
        pass
    dataset = _torchvision_mnist()(str(root), train=(split == "train"), download=False)
    images = dataset.data.numpy().reshape(len(dataset), 784)
    labels = dataset.targets.numpy().astype(np.int32)
    part = stored.with_name(f"{stored.stem}.{os.getpid()}.part.npz")
    try:  # written whole, then renamed: a reader never sees half a file
        stored.parent.mkdir(exist_ok=True)
        np.savez(part, images=images, labels=labels)
        part.replace(stored)
    except OSError:  # a read-only data folder: decode in every new process
        part.unlink(missing_ok=True)
    return images, labels


def load_mnist(split: str, root: str | os.PathLike | None = None):
    """MNIST as NumPy arrays: images float32 in [0, 1] of shape ``(N, 784)``,
    labels int32 of shape ``(N,)``. ``split`` is ``"train"`` (60,000) or ``"test"`` (10,000).

    ``root`` (``~`` is expanded) defaults to :func:`default_data_dir`; the files
    are read from ``root/MNIST/raw`` (downloaded there by torchvision if missing,
    or unpacked from ``.gz`` files put there by hand) and checked against their
    published SHA-256 before use. Needs torchvision (the ``[mnist]`` extra) to decode them once;
    the decoded arrays are kept in memory and in ``root/MNIST/decoded/``, so later calls and
    new processes are fast. Each call returns new arrays.
    """
    if split not in ("train", "test"):
        raise ValueError(f"load_mnist: split must be 'train' or 'test', got {split!r}.")
    root = _data_root(root)
    raw = _ensure_mnist_files(root)
    key = (split, _verify(raw))
    if key not in _CACHE:
        _CACHE[key] = _decoded(root, split)
    images, labels = _CACHE[key]
    return images.astype(np.float32) / np.float32(255.0), labels.copy()
