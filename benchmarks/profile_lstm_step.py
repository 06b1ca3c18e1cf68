"""Where the LSTM benchmark's training step spends its time: XLA's per-operation timings.

Trains the LSTM model of `bench_vs_torch.py` (Embedding(10000, 64), LSTM(64), Dense(1), Adam,
batch 64, 16 steps per epoch) with neokeras under JAX's profiler and sums, per training step,
the time of each operation (thunk) of the compiled step, grouped by where it runs: the forward
and the backward time loops (each operation there runs once per timestep), the matrix
products outside them, the embedding gather and its gradient, the optimizer update, the rest.
Per operation it reports the total per training step from the minimum and from the median of
its runs (a busy machine inflates the median). The sums leave out the time between
operations, so compare them with the step's own time. Run it pinned to one core:

    PYTHONPATH=src taskset -c 0 .venv/bin/python benchmarks/profile_lstm_step.py [--epochs 3]
"""

import argparse
import collections
import glob
import gzip
import json
import os
import re
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def hlo_kinds(hlo):
    """`{instruction name: (kind, description, in the backward pass)}` of the compiled step's instructions. The
    kinds of the time loops' operations are decided in `main` (by how often they run)."""
    from profile_mlp_step import hlo_instructions

    kinds = {}
    for name, shape, op, op_name, _ in hlo_instructions(hlo):
        backward = "transpose(" in op_name
        if "scatter" in op_name or (backward and "_take" in op_name):
            kind = "embedding gradient (zero fill, scatter-add)"
        elif "gather" in op_name or "_take" in op_name:
            kind = "embedding gather, batch slicing"
        elif op == "dot" or "ynn_fusion" in name:
            kind = "matrix products outside the time loops"
        elif re.match(r"f32\[10000,64\]", shape):
            kind = "optimizer update of the embedding table"
        elif re.match(r"f32\[(64,256|256|64,1|1)\]", shape) and not backward:
            kind = "optimizer update of the other weights"
        elif "transpose" in op_name.rsplit("/", 1)[-1] or op in ("copy", "transpose"):
            kind = "transposes and copies"
        else:
            kind = "other (scan buffers, loss, ...)"
        kinds[name] = (kind, f"{op} {shape} {op_name[-70:]}", backward)
    return kinds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    os.environ.setdefault("KERAS_BACKEND", "jax")
    import jax

    import bench_vs_torch as bench
    from profile_mlp_step import compiled_hlo
    from profile_mlp_step import spy_on_train_chunk

    import neokeras as keras

    x, y = bench.data("lstm")
    batch, steps, _ = bench.SPECS["lstm"]
    timesteps = x.shape[1]
    net = bench.keras_model(keras, "lstm")
    net.fit(x, y, batch_size=batch, epochs=2, shuffle=False, verbose=0)
    key, chunk, seen = spy_on_train_chunk(jax, net)
    trace_dir = os.environ.get("TRACE_DIR") or tempfile.mkdtemp()
    jax.profiler.start_trace(trace_dir)
    net.fit(x, y, batch_size=batch, epochs=args.epochs, shuffle=False, verbose=0)
    jax.profiler.stop_trace()
    net._functions[key] = chunk
    hlo = compiled_hlo(chunk, seen)
    if os.environ.get("DUMP_HLO"):
        open(os.environ["DUMP_HLO"], "w").write(hlo)
    kinds = hlo_kinds(hlo)

    trace = sorted(glob.glob(f"{trace_dir}/plugins/profile/*/*.trace.json.gz"))[-1]
    durations = collections.defaultdict(list)
    for event in json.load(gzip.open(trace))["traceEvents"]:
        if event.get("ph") == "X" and event["name"] in kinds:
            durations[event["name"]].append(event["dur"] / 1e3)  # ms
    total_steps = steps * args.epochs
    groups = collections.defaultdict(lambda: [0.0, 0.0, 0])
    rows = []
    for name, times in durations.items():
        if len(times) < total_steps:  # once per call, not per step
            continue
        per_step = len(times) / total_steps
        kind, description, backward = kinds[name]
        if per_step >= timesteps:  # inside the LSTM's forward or backward loop
            kind = "backward time loop" if backward else "forward time loop"
        low, mid = min(times) * per_step, statistics.median(times) * per_step
        rows.append((mid, low, per_step, name, kind, description))
        group = groups[kind]
        group[0] += low
        group[1] += mid
        group[2] += 1
    print("| operation | runs/step | kind | min ms/step | median ms/step | what |\n|---|---|---|---|---|---|")
    for mid, low, per_step, name, kind, description in sorted(rows, reverse=True)[:args.top]:
        print(f"| {name} | {per_step:.0f} | {kind} | {low:.3f} | {mid:.3f} | {description} |")
    print("\n| kind | operations | min ms/step | median ms/step |\n|---|---|---|---|")
    for kind, (low, mid, count) in sorted(groups.items(), key=lambda kv: -kv[1][1]):
        print(f"| {kind} | {count} | {low:.3f} | {mid:.3f} |")
    print(f"| all | {len(rows)} | {sum(g[0] for g in groups.values()):.3f} | "
          f"{sum(g[1] for g in groups.values()):.3f} |")


if __name__ == "__main__":
    main()
