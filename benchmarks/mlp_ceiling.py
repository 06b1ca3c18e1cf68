"""The MLP benchmark's ceiling on one core: its step at numpy's rate for each exact product.

The step of `bench_vs_torch.py`'s MLP (784-512-512-10, batch 128) does eight matrix products:
three forward (`x @ W`), three kernel gradients (`x^T @ dy`) and two input gradients
(`dy @ W^T`, layers 2 and 3). This times numpy (OpenBLAS, one thread) on each exact shape,
with the transposed operand as a view (what BLAS gets as a transpose flag) and as a contiguous
copy (the best layout), and prints each product's time at numpy's best, their sum, numpy's peak
(`bench_vs_torch.numpy_peak`, the benchmark's reference), and how long a step may take to reach
75% of that peak. Then the streaming rate of this core for arrays of the parameters' sizes
(numpy `a + b -> c` and a copy, one flat array of the parameters' count), which bounds Adam's update from below: a fused Adam reads
the gradient, `m`, `v` and the weight and writes three of them (7 passes over the 669,706
parameters); XLA:CPU's three fusions per variable make 10.

    OPENBLAS_NUM_THREADS=1 taskset -c 1 .venv/bin/python benchmarks/mlp_ceiling.py [--repeats 7]
"""

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_vs_torch as bench  # noqa: E402

BATCH = 128
SIZES = bench.MLP_SIZES


def products():
    """`(name, m, k, n, transposed operand)` of the step's eight products."""
    rows = []
    for i, (a, b) in enumerate(zip(SIZES[:-1], SIZES[1:]), 1):
        rows.append((f"forward {i}: x @ W", BATCH, a, b, None))
        rows.append((f"kernel gradient {i}: x^T @ dy", a, BATCH, b, "lhs"))
        if i > 1:
            rows.append((f"input gradient {i}: dy @ W^T", BATCH, b, a, "rhs"))
    return rows


def best_seconds(f, flop, repeats):
    """Best time of one call of `f` (CPU time and wall, each the best of `repeats` timings of
    enough calls for ~0.1 s)."""
    f()
    reps = max(5, int(2e8 / flop))
    best = {"wall": float("inf"), "cpu": float("inf")}
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(reps):
            f()
        best["wall"] = min(best["wall"], (time.perf_counter() - wall) / reps)
        best["cpu"] = min(best["cpu"], (time.process_time() - cpu) / reps)
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    print("| product | m x k x n | numpy, transposed view ms | numpy, contiguous ms | "
          "best GFLOP/s |\n|---|---|---|---|---|")
    total = 0.0
    for name, m, k, n, transposed in products():
        flop = 2 * m * k * n
        a = rng.random((m, k), dtype=np.float32)
        b = rng.random((k, n), dtype=np.float32)
        view_a = np.ascontiguousarray(a.T).T if transposed == "lhs" else a
        view_b = np.ascontiguousarray(b.T).T if transposed == "rhs" else b
        out = np.empty((m, n), np.float32)
        times = [best_seconds(lambda p=p, q=q: np.matmul(p, q, out=out), flop, args.repeats)
                 for p, q in ((view_a, view_b), (a, b))]
        best = min(t["cpu"] for t in times)
        total += best
        print(f"| {name} | {m}x{k}x{n} | {times[0]['cpu'] * 1e3:.4f} | "
              f"{times[1]['cpu'] * 1e3:.4f} | {flop / best / 1e9:.1f} |")
    flop = bench.mlp_train_flops_per_sample() * BATCH
    peak = max(bench.numpy_peak()["cpu"] for _ in range(2))
    print(f"\nthe eight products at numpy's best per shape: {total * 1e3:.3f} ms "
          f"({flop / total / 1e9:.1f} GFLOP/s)")
    target = flop / (0.75 * peak * 1e9)
    print(f"numpy's peak (bench_vs_torch.numpy_peak, best of 2): {peak:.1f} GFLOP/s; "
          f"75% of it is {0.75 * peak:.1f} GFLOP/s = {target * 1e3:.3f} ms per step of "
          f"{flop / 1e6:.1f} MFLOP")
    print(f"time left per step for everything but the products at 75%: "
          f"{(target - total) * 1e3:.3f} ms")

    parameters = sum(a * b + b for a, b in zip(SIZES[:-1], SIZES[1:]))
    print(f"\nstreaming on arrays of the parameters' sizes ({parameters} float32 in all):")
    rates = {}
    a, b, c = (rng.random(parameters, dtype=np.float32) for _ in range(3))
    for label, passes, run in (("a + b -> c (3 passes)", 3, lambda: np.add(a, b, out=c)),
                               ("copy a -> c (2 passes)", 2, lambda: np.copyto(c, a))):
        seconds = best_seconds(run, parameters, args.repeats)["cpu"]
        rates[label] = passes * parameters * 4 / seconds / 1e9
        print(f"  {label}: {seconds * 1e3:.3f} ms, {rates[label]:.1f} GB/s")
    rate = max(rates.values())
    for passes in (7, 10):
        print(f"  {passes} passes over the parameters at {rate:.1f} GB/s: "
              f"{passes * parameters * 4 / rate / 1e9 * 1e3:.3f} ms")


if __name__ == "__main__":
    main()
