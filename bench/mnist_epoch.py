"""How fast is one MNIST training epoch? Several ways of running it, measured in one run.

The recipe of the tutorials the course adapts: a 784-128-10 MLP, softmax cross entropy, SGD,
batch 64 (``SIZES``, ``LR`` and ``BATCH`` in epochs.py). The rows and ratios are declared
once, in rows.py, and made by the functions of epochs.py; this script times them
(bench/README.md says how) and prints a table, two profile lines, the targets and one JSON
line.
Run: ``python bench/mnist_epoch.py [--repeats N] [--op-steps N]``; ``--readme`` rewrites the
list of rows and ratios in bench/README.md instead.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import time
from collections.abc import Callable

import epochs
import jax
import jax.numpy as jnp
from epochs import BATCH, LR, SIZES, Setup
from rows import RATIOS, ROWS, TARGETS, write_readme

from helpers import format_seconds, init_mlp, load_mnist


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
    parser.add_argument("--readme", action="store_true", help="rewrite README.md's list, exit")
    args = parser.parse_args()
    if args.readme:
        return write_readme()

    import torch

    threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    torch.set_num_threads(threads)
    load_before = os.getloadavg()[0]
    images, labels = load_mnist("train")
    steps = len(images) // BATCH
    params = init_mlp(jax.random.key(0), SIZES, scale=0.02)
    x, y = jnp.asarray(images), jnp.asarray(labels)
    s = Setup(params, images, labels, x, y, steps, args.repeats, args.op_steps)

    runs = {row.key: row.make(s) for row in ROWS if not row.alone}
    t = time_side_by_side({**runs, **epochs.shuffle_parts(s)}, args.repeats)  # parts: profile
    rate = epochs.matmul_rate()
    profile = epochs.small_matmul_profile(images, steps, args.repeats)
    s = dataclasses.replace(s, rate=rate)
    t.update({row.key: row.make(s) for row in ROWS if row.alone})
    load_after = os.getloadavg()[0]

    ratios = {f"{a}_vs_{b}": t[a] / t[b] for a, b, _ in RATIOS}
    met = {k: ratios[k] <= b if op == "<=" else ratios[k] >= b for k, (op, b) in TARGETS.items()}

    print(
        f"MNIST epoch, 784-128-10 MLP, SGD lr {LR}, batch {BATCH}, {steps} steps | "
        f"jax {jax.__version__} on {jax.devices()[0].platform}, torch {torch.__version__}, "
        f"{threads} threads for both | median of {args.repeats} | load average "
        f"{load_before:.1f} before, {load_after:.1f} after"
    )
    print(
        f"matmul rate {rate / 1e9:.0f} GFLOP/s (2048x2048 float32), epoch "
        f"{epochs.epoch_flops(steps, BATCH) / 1e9:.1f} GFLOP; op-by-op: {args.op_steps} steps "
        f"x {steps / args.op_steps:.2f}"
    )
    for i, row in enumerate(ROWS, 1):
        seconds = t[row.key]
        print(
            f"  {f'{i}. {row.name}':<26} {format_seconds(seconds):>9}   "
            f"{seconds / t['fused']:6.2f}x fused"
        )
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
        f"{format_seconds(t['shuffled_given_indices'])}, fused in order "
        f"{format_seconds(t['fused'])}"
    )
    print("targets:")
    for k, (op, bound) in TARGETS.items():
        print(f"  {k:<31} {ratios[k]:6.2f}  ({op} {bound})  {'met' if met[k] else 'NOT met'}")
    print("no target: " + ", ".join(f"{k} {r:.2f}" for k, r in ratios.items() if k not in met))
    print(
        json.dumps(
            {
                "seconds": {k: round(v, 5) for k, v in t.items()},
                "ratios": {k: round(v, 3) for k, v in ratios.items()},
                "targets": {k: f"{op}{bound}" for k, (op, bound) in TARGETS.items()},
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
