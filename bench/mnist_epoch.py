"""How fast is one MNIST training epoch? Five measurements from one run.

The seeds' recipe: a 784-128-10 MLP, softmax cross entropy, plain SGD (lr 0.01),
batch 64, one epoch = 60000 // 64 = 937 steps over the training set.

1. seed loop   a Python loop over batches calling a jitted step, `.item()` on each loss
2. fused       the whole epoch as one `jax.lax.scan` inside one `jit` (helpers.train_epoch)
3. floor       the epoch's floating-point operations / the XLA float32 matmul rate
               measured on a large square matmul (what the matmuls alone would cost)
4. torch eager the same network and recipe in PyTorch eager mode, `.item()` each step
5. op-by-op    the step without `jit`, timed over about 100 steps, times 937

Every time is the median of several repeats after a warm-up (compile) run.
PyTorch gets the same number of threads as XLA's CPU backend uses: one per CPU
available to this process. Run: `python bench/mnist_epoch.py [--repeats N]`.
Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os

import jax
import jax.numpy as jnp
import numpy as np

from helpers import format_seconds, init_mlp, load_mnist, time_function
from helpers.training import loss_and_logits, train_epoch
from helpers.updates import sgd_update

SIZES = (784, 128, 10)
LR, BATCH = 0.01, 64
TARGETS = {  # ratio name: (minimum or maximum, bound)
    "fused_vs_floor": ("max", 1.4),
    "seed_loop_vs_fused": ("min", 1.8),
    "torch_vs_fused": ("min", 3.0),
    "op_by_op_vs_jit": ("min", 20.0),
}


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
        jax.block_until_ready(p)

    return run


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


def torch_epoch(images: np.ndarray, labels: np.ndarray, steps: int, threads: int):
    import torch

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10)
    )
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    x = torch.from_numpy(images[: steps * BATCH]).reshape(steps, BATCH, 784)
    y = torch.from_numpy(labels[: steps * BATCH].astype(np.int64)).reshape(steps, BATCH)

    def run():
        for i in range(steps):
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x[i]), y[i])
            loss.backward()
            opt.step()
            loss.item()

    return run, torch.__version__


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per measurement")
    parser.add_argument("--op-steps", type=int, default=100, help="steps timed without jit")
    args = parser.parse_args()

    threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    images, labels = load_mnist("train")
    steps = len(images) // BATCH
    params = init_mlp(jax.random.key(0), SIZES, scale=0.02)
    X, y = jnp.asarray(images), jnp.asarray(labels)

    t = {}
    seed_loop = seed_loop_epoch(params, images, labels, steps)
    t["seed_loop"] = time_function(seed_loop, repeats=args.repeats).median
    t["fused"] = time_function(train_epoch, params, X, y, LR, BATCH, repeats=args.repeats).median
    rate = matmul_rate()
    t["floor"] = epoch_flops(steps, BATCH) / rate
    profile = small_matmul_profile(images, steps, args.repeats)
    run, torch_version = torch_epoch(images, labels, steps, threads)
    t["torch_eager"] = time_function(run, repeats=args.repeats).median
    op_by_op = op_by_op_step(params, images, labels, args.op_steps)
    t["op_by_op"] = (
        time_function(op_by_op, repeats=max(1, args.repeats // 2)).median * steps / args.op_steps
    )

    ratios = {
        "fused_vs_floor": t["fused"] / t["floor"],
        "seed_loop_vs_fused": t["seed_loop"] / t["fused"],
        "torch_vs_fused": t["torch_eager"] / t["fused"],
        "op_by_op_vs_jit": t["op_by_op"] / t["seed_loop"],
    }
    met = {
        k: (r <= TARGETS[k][1] if TARGETS[k][0] == "max" else r >= TARGETS[k][1])
        for k, r in ratios.items()
    }

    print(
        f"MNIST epoch, 784-128-10 MLP, SGD lr {LR}, batch {BATCH}, {steps} steps | "
        f"jax {jax.__version__} on {jax.devices()[0].platform}, torch {torch_version}, "
        f"{threads} threads for both | median of {args.repeats}"
    )
    print(
        f"matmul rate {rate / 1e9:.0f} GFLOP/s (2048x2048 float32), epoch "
        f"{epoch_flops(steps, BATCH) / 1e9:.1f} GFLOP"
    )
    rows = [
        ("1. seed loop (jitted step, .item() each step)", t["seed_loop"]),
        ("2. lax.scan-fused epoch in one jit", t["fused"]),
        ("3. matmul floor (FLOPs / matmul rate)", t["floor"]),
        ("4. PyTorch eager", t["torch_eager"]),
        (
            f"5. op-by-op, no jit ({args.op_steps} steps x {steps / args.op_steps:.2f})",
            t["op_by_op"],
        ),
    ]
    for name, seconds in rows:
        print(f"  {name:<52} {format_seconds(seconds):>9}   {seconds / t['fused']:6.2f}x fused")
    print(
        f"profile: the step's two 64x784x128 matmuls, each alone in a scanned epoch: forward "
        f"{format_seconds(profile['forward_s'])} ({profile['forward_gflops']:.0f} GFLOP/s), weight "
        f"gradient {format_seconds(profile['weight_grad_s'])} ({profile['weight_grad_gflops']:.0f} "
        f"GFLOP/s), vs {rate / 1e9:.0f} GFLOP/s for the large matmul; together "
        f"{(profile['forward_s'] + profile['weight_grad_s']) / t['fused']:.0%} of the fused epoch"
    )
    print("targets:")
    for k, r in ratios.items():
        kind, bound = TARGETS[k]
        print(
            f"  {k:<20} {r:6.2f}  ({'<=' if kind == 'max' else '>='} {bound})  "
            f"{'met' if met[k] else 'NOT met'}"
        )
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
                "profile": {k: round(v, 4) for k, v in profile.items()},
                "jax": jax.__version__,
                "torch": torch_version,
            }
        )
    )


if __name__ == "__main__":
    main()
