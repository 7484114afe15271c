"""Data sets: the XOR truth table and MNIST (through torchvision, as the JAX docs do)."""
from __future__ import annotations

import hashlib
import os
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


def default_data_dir() -> Path:
    """Where MNIST lives: ``$COURSE_DATA_DIR``, else ``data/`` in the repository checkout
    (or in the current folder when ``helpers`` is installed as a package)."""
    if os.environ.get("COURSE_DATA_DIR"):
        return Path(os.environ["COURSE_DATA_DIR"])
    repo = Path(__file__).resolve().parent.parent
    if (repo / "pyproject.toml").exists():
        return repo / "data"
    return Path.cwd() / "data"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _ensure_mnist_files(root: Path) -> None:
    """Make sure the four raw files are in ``root/MNIST/raw`` and intact."""
    raw = root / "MNIST" / "raw"
    missing = [name for name in MNIST_SHA256 if not (raw / name).exists()]
    if missing:
        from torchvision.datasets import MNIST

        try:
            MNIST(str(root), train=True, download=True)
        except Exception as exc:  # no network, server down, ...
            raise FileNotFoundError(
                f"MNIST is not in {raw} and could not be downloaded ({type(exc).__name__}: {exc}).\n"
                f"Missing: {', '.join(missing)}.\n"
                f"Put the four uncompressed IDX files {', '.join(MNIST_SHA256)} into {raw}, "
                "e.g. `gunzip -c ../shared/data/mnist/<name>.gz > <root>/MNIST/raw/<name>`, "
                "or pass root=... / set COURSE_DATA_DIR to a folder that has MNIST/raw/."
            ) from None
    for name, expected in MNIST_SHA256.items():
        actual = _sha256(raw / name)
        if actual != expected:
            raise ValueError(
                f"MNIST file {raw / name} is corrupted: its SHA-256 is {actual}, "
                f"expected {expected}. Delete it and unpack or download it again."
            )


def load_mnist(split: str, root: str | os.PathLike | None = None):
    """MNIST as NumPy arrays: images float32 in [0, 1] of shape ``(N, 784)``,
    labels int32 of shape ``(N,)``. ``split`` is ``"train"`` (60,000) or ``"test"`` (10,000).

    ``root`` defaults to :func:`default_data_dir`; the files are checked
    against their published SHA-256 before use.
    """
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}.")
    root = Path(root) if root is not None else default_data_dir()
    _ensure_mnist_files(root)
    from torchvision.datasets import MNIST

    dataset = MNIST(str(root), train=(split == "train"), download=False)
    images = dataset.data.numpy().reshape(len(dataset), 784).astype(np.float32) / 255.0
    labels = dataset.targets.numpy().astype(np.int32)
    return images, labels
