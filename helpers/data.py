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


def _missing_message(raw: Path, missing: list[str], reason: str) -> str:
    return (
        f"MNIST is not in {raw}: missing {', '.join(missing)}, and it could not be downloaded "
        f"({reason}).\n"
        f"The folder needs the four uncompressed IDX files: {', '.join(MNIST_SHA256)}.\n"
        "To get them: run this where there is internet access (torchvision downloads them into "
        f"that folder), or copy them there yourself, e.g. `mkdir -p {raw} && "
        f"gunzip -c ../shared/data/mnist/<name>.gz > {raw}/<name>` for each name; "
        "or pass root=... (or set COURSE_DATA_DIR) to a folder that has MNIST/raw/ inside."
    )


def _ensure_mnist_files(root: Path) -> Path:
    """Make sure the four raw files are in ``root/MNIST/raw`` (downloading them
    with torchvision if they are not) and return that folder."""
    raw = root / "MNIST" / "raw"
    missing = [name for name in MNIST_SHA256 if not (raw / name).is_file()]
    if missing:
        from torchvision.datasets import MNIST

        try:
            MNIST(str(root), train=True, download=True)
        except Exception as exc:  # no network, server down, ...
            reason = f"{type(exc).__name__}: {exc}".strip().splitlines()[0][:200]
            raise FileNotFoundError(_missing_message(raw, missing, reason)) from None
        missing = [name for name in MNIST_SHA256 if not (raw / name).is_file()]
        if missing:
            raise FileNotFoundError(_missing_message(raw, missing, "the download left them out"))
    return raw


_VERIFIED: dict[tuple, bool] = {}  # (path, size, mtime) of files whose SHA-256 matched
_CACHE: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}  # uint8 images and labels per split


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
                raise ValueError(
                    f"MNIST file {path} is corrupted: its SHA-256 is {actual}, expected "
                    f"{expected}. Delete it and unpack or download it again."
                )
            _VERIFIED[key] = True
        signature.append(key)
    return tuple(signature)


def load_mnist(split: str, root: str | os.PathLike | None = None):
    """MNIST as NumPy arrays: images float32 in [0, 1] of shape ``(N, 784)``,
    labels int32 of shape ``(N,)``. ``split`` is ``"train"`` (60,000) or ``"test"`` (10,000).

    ``root`` defaults to :func:`default_data_dir`; the files are read from
    ``root/MNIST/raw`` (and downloaded there by torchvision if missing) and
    checked against their published SHA-256 before use. Decoded arrays are
    cached in memory, so a second call is fast; each call returns new arrays.
    """
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}.")
    root = Path(root) if root is not None else default_data_dir()
    raw = _ensure_mnist_files(root)
    key = (split, _verify(raw))
    if key not in _CACHE:
        from torchvision.datasets import MNIST

        dataset = MNIST(str(root), train=(split == "train"), download=False)
        _CACHE[key] = (dataset.data.numpy().reshape(len(dataset), 784),
                       dataset.targets.numpy().astype(np.int32))
    images, labels = _CACHE[key]
    return images.astype(np.float32) / np.float32(255.0), labels.copy()
