"""The ways bench/mnist_epoch.py runs (or bounds) one MNIST epoch, from public names of
``helpers`` only. Each row function takes the :class:`Setup` and returns the epoch to time
(a function of no arguments) or, for a row measured alone, its seconds; ``mnist_epoch.ROWS``
says which function makes which row."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np

from helpers import (
    batch_indices,
    loss_and_logits,
    scan_epoch,
    sgd_step,
    sgd_update,
    time_function,
    train_epoch,
)

SIZES = (784, 128, 10)
LR, BATCH = 0.01, 64
SHUFFLE_KEY = jax.random.key(1)  # the same order every run, so every run does the same work


@dataclasses.dataclass(frozen=True)
class Setup:
    """What every row starts from: the initial parameters, the training set as NumPy
    (``images``, ``labels``) and on the device (``x``, ``y``), and the run's options."""

    params: list
    images: np.ndarray
    labels: np.ndarray
    x: jax.Array
    y: jax.Array
    steps: int  # per epoch
    repeats: int
    op_steps: int  # steps timed without jit
    rate: float = 0.0  # FLOP/s of XLA's large matmul, measured after the side-by-side rows


def epoch_flops(n_steps: int, batch: int, sizes=SIZES) -> float:
    """Matmul FLOPs of one SGD epoch: per layer the forward product (2*B*in*out)
    and the weight gradient (2*B*in*out); the gradient with respect to a layer's
    input (2*B*in*out) for every layer but the first (the images need no gradient)."""
    per_step = 0.0
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        per_step += (2 if i == 0 else 3) * 2 * batch * n_in * n_out
    return n_steps * per_step


def matmul_rate(n: int = 2048, repeats: int = 7) -> float:
    """FLOP/s of XLA's float32 matmul on an (n, n) @ (n, n) product."""
    a = jax.random.normal(jax.random.key(0), (n, n), jnp.float32)
    b = jax.random.normal(jax.random.key(1), (n, n), jnp.float32)
    timing = time_function(jax.jit(jnp.matmul), a, b, repeats=repeats)
    return 2 * n**3 / timing.median


def floor(s: Setup) -> float:
    """Seconds the epoch's matmuls would take at the large matmul's rate."""
    return epoch_flops(s.steps, BATCH) / s.rate


def small_matmul_profile(images, steps: int, repeats: int) -> dict:
    """Where the fused epoch's time goes: the two 64x784x128 products of each step
    (forward x @ W1 and weight gradient x.T @ delta), each scanned over an epoch alone."""
    x = jnp.asarray(images[: steps * BATCH]).reshape(steps, BATCH, 784)
    w = jnp.full((784, 128), 0.01, jnp.float32)
    delta = jnp.full((steps, BATCH, 128), 0.01, jnp.float32)

    @jax.jit
    def forward_only(w, x):
        return jax.lax.scan(lambda w, xb: (w * 0.999, (xb @ w).sum()), w, x)[1]

    @jax.jit
    def weight_grad_only(w, x, delta):
        return jax.lax.scan(lambda w, b: (w - 1e-4 * (b[0].T @ b[1]), None), w, (x, delta))[0]

    flops = steps * 2 * BATCH * 784 * 128
    t_fwd = time_function(forward_only, w, x, repeats=repeats).median
    t_grad = time_function(weight_grad_only, w, x, delta, repeats=repeats).median
    return {
        "forward_s": t_fwd,
        "weight_grad_s": t_grad,
        "forward_gflops": flops / t_fwd / 1e9,
        "weight_grad_gflops": flops / t_grad / 1e9,
    }


def tutorial_loop(s: Setup):
    """As the tutorials the course adapts: NumPy batches, a jitted step, each loss read back."""

    @jax.jit
    def step(params, x, y):
        (loss, _), grads = jax.value_and_grad(loss_and_logits, has_aux=True)(params, x, y)
        return sgd_update(params, grads, LR), loss

    def run():
        p = s.params
        for i in range(s.steps):
            sl = slice(i * BATCH, (i + 1) * BATCH)
            p, loss = step(p, s.images[sl], s.labels[sl])
            loss.item()
        return p

    return run


def minimal_step(params, x, y):
    """The step as one writes it by hand: loss, value_and_grad, a tree_map SGD update."""

    def loss(params):
        (w1, b1), (w2, b2) = params
        logits = jax.nn.relu(x @ w1 + b1) @ w2 + b2
        return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), y[:, None], axis=1))

    value, grads = jax.value_and_grad(loss)(params)
    return jax.tree_util.tree_map(lambda p, g: p - LR * g, params, grads), value


def minimal(s: Setup):
    """The shortest fused epoch one would write by hand, on data batched beforehand:
    what the helpers' epoch is measured against (its overhead is their ratio)."""
    x = jnp.asarray(s.images[: s.steps * BATCH]).reshape(s.steps, BATCH, -1)
    y = jnp.asarray(s.labels[: s.steps * BATCH]).reshape(s.steps, BATCH)

    @jax.jit
    def epoch(params, x, y):
        return jax.lax.scan(lambda p, batch: minimal_step(p, *batch), params, (x, y))

    return lambda: epoch(s.params, x, y)


def minimal_shuffled(s: Setup):
    """The minimal epoch shuffled the plain way: jax.random.permutation, then each step
    gathers its batch from the whole data set (as chapter 6's inline version does)."""
    x, y = jnp.asarray(s.images), jnp.asarray(s.labels)

    @jax.jit
    def epoch(params, x, y, key):
        order = jax.random.permutation(key, len(x))[: s.steps * BATCH].reshape(s.steps, BATCH)
        return jax.lax.scan(lambda p, idx: minimal_step(p, x[idx], y[idx]), params, order)

    return lambda: epoch(s.params, x, y, SHUFFLE_KEY)


def fused(s: Setup, key: jax.Array | None = None):
    """helpers.train_epoch, in order or shuffled with ``key``."""
    return lambda: train_epoch(s.params, s.x, s.y, LR, BATCH, key)


@jax.jit
def scan_epoch_in_jit(params, images, labels, key):
    """helpers.scan_epoch as chapter 8 uses it: inside the caller's own jit."""
    return scan_epoch(lambda p, x, y: sgd_step(p, x, y, LR), params, images, labels, BATCH, key)


def scanned(s: Setup, key: jax.Array | None = None):
    """helpers.scan_epoch in the caller's jit, in order or shuffled with ``key``."""
    return lambda: scan_epoch_in_jit(s.params, s.x, s.y, key)


def shuffle_parts(s: Setup) -> dict[str, Callable]:
    """What shuffling costs, in two parts: the permutation alone (helpers.batch_indices), and
    the shuffled epoch given its indices (each step gathers its images from the data set)."""
    order = jax.jit(batch_indices, static_argnums=(0, 1))
    n = len(s.images)
    idx = order(n, BATCH, SHUFFLE_KEY)

    @jax.jit
    def epoch_given_indices(params, idx):
        def step(params, batch):
            return sgd_step(params, s.x[batch[0]], batch[1], LR)

        return jax.lax.scan(step, params, (idx, s.y[idx]))

    return {
        "permutation": lambda: order(n, BATCH, SHUFFLE_KEY),
        "shuffled_given_indices": lambda: epoch_given_indices(s.params, idx),
    }


def op_by_op(s: Setup) -> float:
    """The same step without jit, every jnp operation dispatched on its own: the median of
    ``repeats // 2`` runs of ``op_steps`` steps, scaled to a whole epoch."""
    n = s.op_steps
    x = [jnp.asarray(s.images[i * BATCH : (i + 1) * BATCH]) for i in range(n)]
    y = [jnp.asarray(s.labels[i * BATCH : (i + 1) * BATCH]) for i in range(n)]

    def run():
        p = s.params
        for i in range(n):
            (loss, _), grads = jax.value_and_grad(loss_and_logits, has_aux=True)(p, x[i], y[i])
            p = sgd_update(p, grads, LR)
            loss.item()
        return jax.block_until_ready(p)  # time_function needs the result to wait for

    return time_function(run, repeats=max(1, s.repeats // 2)).median * s.steps / n


def torch_run(s: Setup, compiled: bool = False):
    """The recipe in PyTorch; with ``compiled``, the model goes through ``torch.compile``
    (inductor, forward and backward), the one-line change PyTorch's tutorials show."""
    import torch

    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10)
    )
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    forward = torch.compile(model) if compiled else model
    x = torch.from_numpy(s.images[: s.steps * BATCH]).reshape(s.steps, BATCH, 784)
    y = torch.from_numpy(s.labels[: s.steps * BATCH].astype(np.int64)).reshape(s.steps, BATCH)

    def run():
        for i in range(s.steps):
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(forward(x[i]), y[i])
            loss.backward()
            opt.step()
            loss.item()

    return run
