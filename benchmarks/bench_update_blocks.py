"""Optimizer updates by blocks (`neokeras/backend/jax/update_blocks.py`) against whole updates,
on the MLP benchmark of `bench_vs_torch.py` (784-512-512-10, Adam, batch 128, 40 steps per
epoch), alternating in one process.

One model per variant, each traced with its own choice ("whole": `update_block_rows` answers
None; "blocks": neokeras's rule); then rounds of 2-epoch `fit`s, the variants alternating,
report CPU milliseconds per step (best and median over rounds). With `--first-epoch`, instead,
each variant's first epoch (trace and compilation included, no compilation cache) in a fresh
process. Pin it to one core:

    PYTHONPATH=src taskset -c 0 .venv/bin/python benchmarks/bench_update_blocks.py [--rounds 8]
    PYTHONPATH=src taskset -c 0 .venv/bin/python benchmarks/bench_update_blocks.py --first-epoch
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

VARIANTS = ("whole", "blocks")


def trained_model(keras, bench, variant, x, y):
    """The MLP benchmark's model after one epoch, its updates traced as `variant` says."""
    rule = keras.backend.update_block_rows
    if variant == "whole":
        keras.backend.update_block_rows = lambda shape: None
    try:
        net = bench.keras_model(keras, "mlp")
        start = time.perf_counter()
        net.fit(x, y, batch_size=bench.SPECS["mlp"][0], epochs=1, shuffle=False, verbose=0)
        return net, time.perf_counter() - start
    finally:
        keras.backend.update_block_rows = rule


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--first-epoch", action="store_true")
    parser.add_argument("--variant", choices=VARIANTS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.first_epoch:
        for variant in VARIANTS * 2:
            env = dict(os.environ, NEOKERAS_JAX_CACHE="0", KERAS_HOME=tempfile.mkdtemp())
            out = subprocess.run([sys.executable, __file__, "--variant", variant], env=env,
                                 capture_output=True, text=True, check=True).stdout
            print(f"{variant}: first epoch {float(out):.3f} s")
        return

    os.environ.setdefault("KERAS_BACKEND", "jax")
    import bench_vs_torch as bench
    import neokeras as keras

    x, y = bench.data("mlp")
    if args.variant:
        print(trained_model(keras, bench, args.variant, x, y)[1])
        return
    models = {v: trained_model(keras, bench, v, x, y)[0] for v in VARIANTS}
    batch = bench.SPECS["mlp"][0]
    times = {v: [] for v in VARIANTS}
    for _ in range(args.rounds):
        for variant, net in models.items():
            start = time.process_time()
            net.fit(x, y, batch_size=batch, epochs=2, shuffle=False, verbose=0)
            times[variant].append((time.process_time() - start) / (2 * len(x) / batch) * 1e3)
    for variant, ms in times.items():
        print(f"{variant}: CPU ms per step, best {min(ms):.3f}, median {statistics.median(ms):.3f}")


if __name__ == "__main__":
    main()
