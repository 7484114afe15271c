"""The course's figure style, and small matplotlib helpers.

:data:`STYLE` sizes figures for the book: at 100 dpi a figure of :data:`FULL_WIDTH` inches is
as wide as the content column (about 690 px at a 1280 px window), so it is shown at its natural
size and 10 pt text is about 14 px tall. ``import helpers`` applies it
(:func:`helpers.book.use_course_style`).
Backgrounds are opaque white, so a figure stays readable when the book is in dark mode.

Each plotting helper draws on ``ax`` (a new figure if None) and returns the axes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np

FULL_WIDTH = 6.8  # inches: the book's content column at 100 dpi

STYLE = {
    "figure.figsize": (FULL_WIDTH, 3.6),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "lines.linewidth": 1.8,
}


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots(figsize=(FULL_WIDTH * 0.75, 3.4))
    return ax


def plot_loss_curve(
    losses: Sequence[float],
    ax=None,
    label: str | None = None,
    log_scale: bool = False,
    title: str = "Training loss",
):
    """Loss against step (or epoch): ``losses`` is one value per step, shape ``(steps,)``;
    call again on the same ``ax`` to compare runs."""
    values = np.asarray(losses)
    if values.ndim != 1:
        raise ValueError(
            f"plot_loss_curve: losses should be one loss per step, shape (steps,), got shape "
            f"{values.shape}. For a (epochs, steps) array, plot losses.ravel() (every step) "
            "or losses.mean(axis=1) (one mean per epoch)."
        )
    ax = _axes(ax)
    ax.plot(np.arange(len(values)), values, label=label)
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.set_title(title)
    if log_scale:
        ax.set_yscale("log")
    if label is not None:
        ax.legend()
    return ax


def plot_decision_boundary(
    predict: Callable, X, y, ax=None, resolution: int = 200, title: str | None = None
):
    """Colour the unit square (padded) by ``predict(points)``, a probability in [0, 1]
    for points of shape ``(M, 2)``, and mark the data ``X (N, 2)`` with labels ``y (N,)``."""
    ax = _axes(ax)
    X, y = np.asarray(X), np.asarray(y)
    lo, hi = X.min() - 0.25, X.max() + 0.25
    grid = np.linspace(lo, hi, resolution)
    xx, yy = np.meshgrid(grid, grid)
    points = jnp.asarray(np.stack([xx.ravel(), yy.ravel()], axis=1), dtype=jnp.float32)
    probs = _probabilities(np.asarray(predict(points)), len(points)).reshape(xx.shape)
    ax.contourf(xx, yy, probs, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.8)
    ax.contour(xx, yy, probs, levels=[0.5], colors="black", linewidths=1.5)
    ax.scatter(
        X[:, 0],
        X[:, 1],
        c=y,
        cmap="RdBu_r",
        vmin=0,
        vmax=1,
        s=120,
        edgecolors="black",
        linewidths=1.5,
        zorder=3,
    )
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_aspect("equal")
    if title is not None:
        ax.set_title(title)
    return ax


def _probabilities(values: np.ndarray, n_points: int) -> np.ndarray:
    """``predict``'s output on the grid, checked to be one probability per point."""
    if values.size != n_points:
        raise ValueError(
            "plot_decision_boundary: predict should return one probability per point, shape "
            f"(M,) or (M, 1) for points (M, 2), got shape {values.shape} for M = {n_points}."
        )
    if not np.all(np.isfinite(values)):
        bad = int(np.sum(~np.isfinite(values)))
        raise ValueError(
            f"plot_decision_boundary: predict returned nan or inf at {bad} of {n_points} points: "
            "the network's outputs are nan/inf, so training diverged; lower the learning rate "
            "and train again."
        )
    low, high = float(np.min(values)), float(np.max(values))
    if low < 0 or high > 1:
        raise ValueError(
            f"plot_decision_boundary: predict returned values from {low:.3g} to {high:.3g}, "
            "not probabilities in [0, 1]: are they logits? Pass a function that returns "
            "probabilities, e.g. lambda X: jax.nn.sigmoid(logits(X)); the boundary is drawn "
            "at probability 0.5."
        )
    return values


def _check_digits(images, labels, predictions) -> None:
    """28x28 images, and one whole class number per image: logits or one-hot rows are refused."""
    if np.shape(images)[1:] not in ((784,), (28, 28)):
        raise ValueError(
            "plot_digits: images should be 28x28 digits, shape (N, 784) or (N, 28, 28), got "
            f"shape {np.shape(images)}; pass the images first, and the network's classes as "
            "predictions=jnp.argmax(logits, axis=1)."
        )
    for name, values in (("labels", labels), ("predictions", predictions)):
        if values is None:
            continue
        values = np.asarray(values)
        if values.ndim != 1 or len(values) != len(images):
            raise ValueError(
                f"plot_digits: {name} should be one class per image, shape ({len(images)},), "
                f"got shape {values.shape}: for logits or probabilities, take "
                f"jnp.argmax({name}, axis=1)."
            )
        if np.any(values != np.round(values)):
            raise ValueError(
                f"plot_digits: {name} should be class numbers (0 to 9), got fractions such as "
                f"{values[values != np.round(values)][0]:.3g}: for logits or probabilities, "
                f"take jnp.argmax(..., axis=1) of the whole (N, 10) array."
            )


def plot_digits(images, labels, predictions=None, n_cols: int = 8, n_rows: int = 2):
    """A grid of 28x28 digits from ``images (N, 784)``, titled with their labels
    (and predictions, in red when wrong). With ``labels=None`` the titles show the predictions
    alone (or nothing, without predictions either). Returns the figure."""
    _check_digits(images, labels, predictions)
    n = min(len(images), n_cols * n_rows)
    size = min(1.3, FULL_WIDTH / n_cols)  # inches per digit; a wide grid shrinks to the column
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(size * n_cols, 1.15 * size * n_rows))
    for i, ax in enumerate(np.ravel(axes)):
        ax.axis("off")
        if i >= n:
            continue
        ax.imshow(np.asarray(images[i]).reshape(28, 28), cmap="gray_r")
        if predictions is None and labels is not None:
            ax.set_title(f"{int(labels[i])}")
        elif labels is None and predictions is not None:
            ax.set_title(f"pred {int(predictions[i])}", fontsize=9)
        elif predictions is not None:
            wrong = int(predictions[i]) != int(labels[i])
            ax.set_title(
                f"pred {int(predictions[i])}\ntrue {int(labels[i])}",
                color="crimson" if wrong else "black",
                fontsize=9,
            )
    return fig
