"""How fast is one MNIST training epoch? Eleven measurements from one run.

The seeds' recipe: a 784-128-10 MLP, softmax cross entropy, plain SGD (lr 0.01),
batch 64, one epoch = 60000 // 64 = 937 steps over the training set.

 1. seed loop      a Python loop over batches calling a jitted step, `.item()` on each loss
 2. minimal        the shortest fused epoch written by hand: data batched once, outside the
                   timed run, to (937, 64, 784); `lax.scan` over `value_and_grad` and a
                   `tree_map` SGD update, inside one `jit`
 3. fused          helpers.train_epoch: the same, from the (60000, 784) data set
 4. fused shuffled helpers.train_epoch with a key: the examples shuffled, batches gathered
 5. scan_epoch     helpers.scan_epoch inside the caller's `jit` (chapter 8's pattern)
 6. scan_epoch shuffled
 7. minimal shuffled row 2 with a `jax.random.permutation` per epoch and each batch gathered
                   by its indices (chapter 6's inline `fused_epoch` with a key)
 8. floor          the epoch's floating-point operations / the XLA float32 matmul rate
                   measured on a large square matmul (what the matmuls alone would cost)
 9. torch eager    the same network and recipe in PyTorch eager mode, `.item()` each step
10. torch.compile  the same, with `torch.compile(model)` (inductor; compiled in the warm-up)
11. op-by-op       the step without `jit`, timed over about 100 steps, times 937

All rows but 8 and 11 are timed side by side, with the two parts of the shuffle profile (the
permutation alone; the shuffled epoch given its indices): after a warm-up run of each
(compilation), each repetition runs every one once, and each time is its median. The ratios
therefore compare rows measured under the same conditions, also on a machine shared with
other work (the load average before and after is printed).
PyTorch gets the same number of threads as XLA's CPU backend uses: one per CPU available to
this process. Run: `python bench/mnist_epoch.py [--repeats N]`. Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np

from helpers import format_seconds, init_mlp, load_mnist, time_function
from helpers.training import batch_indices, loss_and_logits, scan_epoch, sgd_step, train_epoch
from helpers.updates import sgd_update

SIZES = (784, 128, 10)
LR, BATCH = 0.01, 64
TARGETS = {  # ratio name: (minimum or maximum, bound)
    "fused_vs_floor": ("max", 1.4),
    "seed_loop_vs_fused": ("min", 2.0),
    "torch_eager_vs_fused": ("min", 3.0),
    "torch_compile_vs_fused": ("min", 1.0),  # fused faster than torch.compile
    "fused_vs_minimal": ("max", 1.1),
    "fused_shuffled_vs_minimal": ("max", 1.1),
    "scan_epoch_vs_minimal": ("max", 1.1),
    "scan_epoch_shuffled_vs_minimal": ("max", 1.1),
}
SHUFFLE_KEY = jax.random.key(1)  # the same order every run, so every run does the same work


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


def seed_loop_epoch(params, images: np.ndarray, labels: np.ndarray, steps: int):
    """The seeds' style: NumPy batches, a jitted step, the loss read back every step."""

    @jax.jit
    def step(params, x, y):
        (loss, _), grads = jax.value_and_grad(loss_and_logits, has_aux=True)(params, x, y)
        return sgd_update(params, grads, LR), loss

    def run():
        p = params
        for i in range(steps):
            sl = slice(i * BATCH, (i + 1) * BATCH)
            p, loss = step(p, images[sl], labels[sl])
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


def minimal_epoch(params, images: np.ndarray, labels: np.ndarray, steps: int):
    """The shortest fused epoch one would write by hand, on data batched beforehand:
    what the helpers' epoch is measured against (its overhead is their ratio)."""
    x = jnp.asarray(images[: steps * BATCH]).reshape(steps, BATCH, -1)
    y = jnp.asarray(labels[: steps * BATCH]).reshape(steps, BATCH)

    @jax.jit
    def epoch(params, x, y):
        return jax.lax.scan(lambda p, batch: minimal_step(p, *batch), params, (x, y))

    return lambda: epoch(params, x, y)


def minimal_shuffled_epoch(params, images: np.ndarray, labels: np.ndarray, key: jax.Array):
    """Row 2's epoch shuffled the plain way: jax.random.permutation, then each step gathers
    its batch from the whole data set (as chapter 6's inline version does)."""
    x, y = jnp.asarray(images), jnp.asarray(labels)
    steps = len(images) // BATCH

    @jax.jit
    def epoch(params, x, y, key):
        order = jax.random.permutation(key, len(x))[: steps * BATCH].reshape(steps, BATCH)
        return jax.lax.scan(lambda p, idx: minimal_step(p, x[idx], y[idx]), params, order)

    return lambda: epoch(params, x, y, key)


def shuffle_parts(params, images: jax.Array, labels: jax.Array) -> dict[str, Callable]:
    """What shuffling costs, in two parts: the permutation alone (helpers.batch_indices), and
    the shuffled epoch given its indices (each step gathers its images from the data set)."""
    order = jax.jit(batch_indices, static_argnums=(0, 1))
    idx = order(len(images), BATCH, SHUFFLE_KEY)

    @jax.jit
    def epoch_given_indices(params, idx):
        def step(params, batch):
            return sgd_step(params, images[batch[0]], batch[1], LR)

        return jax.lax.scan(step, params, (idx, labels[idx]))

    return {
        "permutation": lambda: order(len(images), BATCH, SHUFFLE_KEY),
        "shuffled_given_indices": lambda: epoch_given_indices(params, idx),
    }


@jax.jit
def scan_epoch_in_jit(params, images, labels, key):
    """helpers.scan_epoch as chapter 8 uses it: inside the caller's own jit."""
    return scan_epoch(lambda p, x, y: sgd_step(p, x, y, LR), params, images, labels, BATCH, key)


def op_by_op_step(params, images: np.ndarray, labels: np.ndarray, n: int):
    """The same step without jit: every jnp operation is dispatched on its own."""
    x = [jnp.asarray(images[i * BATCH : (i + 1) * BATCH]) for i in range(n)]
    y = [jnp.asarray(labels[i * BATCH : (i + 1) * BATCH]) for i in range(n)]

    def run():
        p = params
        for i in range(n):
            (loss, _), grads = jax.value_and_grad(loss_and_logits, has_aux=True)(p, x[i], y[i])
            p = sgd_update(p, grads, LR)
            loss.item()
        jax.block_until_ready(p)

    return run


def torch_epoch(images: np.ndarray, labels: np.ndarray, steps: int, compiled: bool):
    """The recipe in PyTorch; with ``compiled``, the model goes through ``torch.compile``
    (inductor, forward and backward), the one-line change PyTorch's tutorials show."""
    import torch

    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10)
    )
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    forward = torch.compile(model) if compiled else model
    x = torch.from_numpy(images[: steps * BATCH]).reshape(steps, BATCH, 784)
    y = torch.from_numpy(labels[: steps * BATCH].astype(np.int64)).reshape(steps, BATCH)

    def run():
        for i in range(steps):
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(forward(x[i]), y[i])
            loss.backward()
            opt.step()
            loss.item()

    return run


def time_side_by_side(runs: dict[str, Callable], repeats: int) -> dict[str, float]:
    """Median seconds of each run: one warm-up call each, then ``repeats`` rounds that call
    every run once, so that a slow spell on a shared machine hits all rows alike."""
    for run in runs.values():
        jax.block_until_ready(run())
    samples = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            jax.block_until_ready(run())
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(s) for name, s in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per measurement")
    parser.add_argument("--op-steps", type=int, default=100, help="steps timed without jit")
    args = parser.parse_args()

    import torch

    threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    torch.set_num_threads(threads)
    load_before = os.getloadavg()[0]
    images, labels = load_mnist("train")
    steps = len(images) // BATCH
    params = init_mlp(jax.random.key(0), SIZES, scale=0.02)
    X, y = jnp.asarray(images), jnp.asarray(labels)

    runs = {
        "seed_loop": seed_loop_epoch(params, images, labels, steps),
        "minimal": minimal_epoch(params, images, labels, steps),
        "fused": lambda: train_epoch(params, X, y, LR, BATCH),
        "fused_shuffled": lambda: train_epoch(params, X, y, LR, BATCH, SHUFFLE_KEY),
        "scan_epoch": lambda: scan_epoch_in_jit(params, X, y, None),
        "scan_epoch_shuffled": lambda: scan_epoch_in_jit(params, X, y, SHUFFLE_KEY),
        "minimal_shuffled": minimal_shuffled_epoch(params, images, labels, SHUFFLE_KEY),
        "torch_eager": torch_epoch(images, labels, steps, compiled=False),
        "torch_compile": torch_epoch(images, labels, steps, compiled=True),
        **shuffle_parts(params, X, y),  # for the profile
    }
    t = time_side_by_side(runs, args.repeats)
    rate = matmul_rate()
    t["floor"] = epoch_flops(steps, BATCH) / rate
    profile = small_matmul_profile(images, steps, args.repeats)
    op_by_op = op_by_op_step(params, images, labels, args.op_steps)
    t["op_by_op"] = (
        time_function(op_by_op, repeats=max(1, args.repeats // 2)).median * steps / args.op_steps
    )
    load_after = os.getloadavg()[0]

    ratios = {
        "fused_vs_floor": t["fused"] / t["floor"],
        "seed_loop_vs_fused": t["seed_loop"] / t["fused"],
        "torch_eager_vs_fused": t["torch_eager"] / t["fused"],
        "torch_compile_vs_fused": t["torch_compile"] / t["fused"],
        "fused_vs_minimal": t["fused"] / t["minimal"],
        "fused_shuffled_vs_minimal": t["fused_shuffled"] / t["minimal"],
        "scan_epoch_vs_minimal": t["scan_epoch"] / t["minimal"],
        "scan_epoch_shuffled_vs_minimal": t["scan_epoch_shuffled"] / t["minimal"],
        "minimal_vs_floor": t["minimal"] / t["floor"],  # the rest: measurements, no target
        "minimal_shuffled_vs_minimal": t["minimal_shuffled"] / t["minimal"],
        "fused_shuffled_vs_minimal_shuffled": t["fused_shuffled"] / t["minimal_shuffled"],
        "op_by_op_vs_seed_loop": t["op_by_op"] / t["seed_loop"],
        "op_by_op_vs_fused": t["op_by_op"] / t["fused"],
    }
    met = {
        k: (ratios[k] <= bound if kind == "max" else ratios[k] >= bound)
        for k, (kind, bound) in TARGETS.items()
    }

    print(
        f"MNIST epoch, 784-128-10 MLP, SGD lr {LR}, batch {BATCH}, {steps} steps | "
        f"jax {jax.__version__} on {jax.devices()[0].platform}, torch {torch.__version__}, "
        f"{threads} threads for both | median of {args.repeats} | load average "
        f"{load_before:.1f} before, {load_after:.1f} after"
    )
    print(
        f"matmul rate {rate / 1e9:.0f} GFLOP/s (2048x2048 float32), epoch "
        f"{epoch_flops(steps, BATCH) / 1e9:.1f} GFLOP"
    )
    rows = [
        ("1. seed loop (jitted step, .item() each step)", "seed_loop"),
        ("2. minimal hand-written fused epoch", "minimal"),
        ("3. fused: helpers.train_epoch", "fused"),
        ("4. helpers.train_epoch, shuffled", "fused_shuffled"),
        ("5. helpers.scan_epoch in the caller's jit", "scan_epoch"),
        ("6. helpers.scan_epoch, shuffled", "scan_epoch_shuffled"),
        ("7. minimal epoch shuffled (permutation, gathers)", "minimal_shuffled"),
        ("8. matmul floor (FLOPs / matmul rate)", "floor"),
        ("9. PyTorch eager", "torch_eager"),
        ("10. PyTorch torch.compile", "torch_compile"),
        (f"11. op-by-op, no jit ({args.op_steps} steps x {steps / args.op_steps:.2f})", "op_by_op"),
    ]
    for name, row in rows:
        seconds = t[row]
        print(f"  {name:<52} {format_seconds(seconds):>9}   {seconds / t['fused']:6.2f}x fused")
    print(
        f"profile: the step's two 64x784x128 matmuls, each alone in a scanned epoch: forward "
        f"{format_seconds(profile['forward_s'])} ({profile['forward_gflops']:.0f} GFLOP/s), weight "
        f"gradient {format_seconds(profile['weight_grad_s'])} ({profile['weight_grad_gflops']:.0f} "
        f"GFLOP/s), vs {rate / 1e9:.0f} GFLOP/s for the large matmul; together "
        f"{(profile['forward_s'] + profile['weight_grad_s']) / t['fused']:.0%} of the fused epoch"
    )
    print(
        f"profile: shuffling costs the permutation, {format_seconds(t['permutation'])}, and "
        f"gathering each step's images: the shuffled epoch given its indices takes "
        f"{format_seconds(t['shuffled_given_indices'])}, row 3 in order "
        f"{format_seconds(t['fused'])}"
    )
    print("targets:")
    for k, (kind, bound) in TARGETS.items():
        print(
            f"  {k:<31} {ratios[k]:6.2f}  ({'<=' if kind == 'max' else '>='} {bound})  "
            f"{'met' if met[k] else 'NOT met'}"
        )
    print("no target: " + ", ".join(f"{k} {r:.2f}" for k, r in ratios.items() if k not in met))
    print(
        json.dumps(
            {
                "seconds": {k: round(v, 5) for k, v in t.items()},
                "ratios": {k: round(v, 3) for k, v in ratios.items()},
                "targets": {
                    k: f"{'<=' if a == 'max' else '>='}{b}" for k, (a, b) in TARGETS.items()
                },
                "met": met,
                "matmul_gflops": round(rate / 1e9, 1),
                "threads": threads,
                "repeats": args.repeats,
                "load_average": [round(load_before, 2), round(load_after, 2)],
                "profile": {k: round(v, 4) for k, v in profile.items()},
                "jax": jax.__version__,
                "torch": torch.__version__,
            }
        )
    )


if __name__ == "__main__":
    main()
