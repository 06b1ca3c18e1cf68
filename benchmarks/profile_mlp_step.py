"""Where the MLP benchmark's training step spends its time: XLA's per-operation timings.

Trains the MLP of `bench_vs_torch.py` (784-512-512-10, Adam, batch 128, 40 steps per epoch)
with neokeras under JAX's profiler and sums, per step, the time of each operation of the
compiled step (XLA:CPU runs one "thunk" per fusion, matrix product or copy), grouped by kind:
matrix products (with their GFLOP/s), the optimizer update, the rest of forward and backward,
the batch gather, copies. Per operation it reports the minimum over the profiled steps (what
the operation costs when nothing disturbs it) and the median (a busy machine inflates it).
Run it pinned to one core, as the benchmark runs:

    PYTHONPATH=src taskset -c 0 .venv/bin/python benchmarks/profile_mlp_step.py [--epochs 5]
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
    """`{instruction name: (kind, GFLOP)}` of the compiled step's instructions."""
    computations, current = {}, None
    for line in hlo.splitlines():
        head = re.match(r"^(?:ENTRY )?%(\S+) ", line)
        if head and line.rstrip().endswith("{"):
            current = computations.setdefault(head.group(1), [])
        elif current is not None:
            current.append(line)
    kinds = {}
    for line in hlo.splitlines():
        inst = re.match(r"^\s+(?:ROOT )?%(\S+) = (\S+) (\w[\w-]*)\(", line)
        if not inst:
            continue
        name, shape, op = inst.groups()
        called = re.search(r"calls=%(\S+?)[,\s]", line)
        body = "\n".join(computations.get(called.group(1), [])) if called else ""
        op_name = re.search(r'op_name="([^"]*)"', line)
        op_name = op_name.group(1) if op_name else ""
        dot = line if op == "dot" else next(
            (l for l in body.splitlines() if " dot(" in l), None)
        if dot is not None:
            kinds[name] = ("matrix products", _dot_gflop(dot, hlo))
        elif op == "copy":
            kinds[name] = ("copies", 0.0)
        elif "gather" in op_name and "jvp" not in op_name:
            kinds[name] = ("batch gather", 0.0)
        elif "jvp(" in op_name:
            kinds[name] = ("rest of forward and backward", 0.0)
        elif op == "fusion" and re.match(r"f32\[(784,512|512|512,512|512,10|10)\]", shape):
            kinds[name] = ("optimizer update", 0.0)
        else:
            kinds[name] = ("other", 0.0)
    return kinds


def _dot_gflop(line, hlo):
    out = [int(d) for d in re.search(r"= f32\[([\d,]+)\]", line).group(1).split(",")]
    operands = re.search(r"dot\(%(\S+?), %(\S+?)\)", line).groups()
    contracting = int(re.search(r"lhs_contracting_dims=\{(\d+)\}", line).group(1))
    lhs = re.search(r"%" + re.escape(operands[0]) + r" = f32\[([\d,]+)\]", hlo)
    if lhs is None:  # a fusion parameter: look for its declaration in the fused computation
        lhs = re.search(re.escape(operands[0]) + r": f32\[([\d,]+)\]", hlo)
    k = [int(d) for d in lhs.group(1).split(",")][contracting]
    return 2 * out[0] * out[1] * k / 1e9


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("KERAS_BACKEND", "jax")
    import jax

    import bench_vs_torch as bench
    import neokeras as keras

    x, y = bench.data("mlp")
    batch, steps, _ = bench.SPECS["mlp"]
    net = bench.keras_model(keras, "mlp")
    net.fit(x, y, batch_size=batch, epochs=2, shuffle=False, verbose=0)
    key = ("chunk", "train", False)
    chunk, seen = net._functions[key], {}

    def spy(*call_args):
        seen.setdefault("args", jax.tree_util.tree_map(
            lambda a: jax.ShapeDtypeStruct(a.shape, a.dtype), call_args))
        return chunk(*call_args)

    net._functions[key] = spy
    trace_dir = tempfile.mkdtemp()
    jax.profiler.start_trace(trace_dir)
    net.fit(x, y, batch_size=batch, epochs=args.epochs, shuffle=False, verbose=0)
    jax.profiler.stop_trace()
    net._functions[key] = chunk
    kinds = hlo_kinds(chunk.lower(*seen["args"]).compile().as_text())

    trace = sorted(glob.glob(f"{trace_dir}/plugins/profile/*/*.trace.json.gz"))[-1]
    durations = collections.defaultdict(list)
    for event in json.load(gzip.open(trace))["traceEvents"]:
        if event.get("ph") == "X" and event["name"] in kinds:
            durations[event["name"]].append(event["dur"] / 1e3)  # ms
    total_steps = steps * args.epochs
    groups = collections.defaultdict(lambda: [0.0, 0.0, 0.0, 0])
    rows = []
    for name, times in durations.items():
        if len(times) < total_steps:  # once per call, not per step (entry copies, the loop)
            continue
        per_step = len(times) / total_steps
        kind, gflop = kinds[name]
        low, mid = min(times) * per_step, statistics.median(times) * per_step
        rows.append((mid, low, name, kind, gflop))
        group = groups[kind]
        group[0] += low
        group[1] += mid
        group[2] += gflop
        group[3] += 1
    print("| operation | kind | min ms/step | median ms/step | GFLOP/s at min |\n|---|---|---|---|---|")
    for mid, low, name, kind, gflop in sorted(rows, reverse=True)[:20]:
        rate = f"{gflop / low * 1e3:.0f}" if gflop else ""
        print(f"| {name} | {kind} | {low:.3f} | {mid:.3f} | {rate} |")
    print("\n| kind | operations | min ms/step | median ms/step |\n|---|---|---|---|")
    for kind, (low, mid, gflop, count) in sorted(groups.items(), key=lambda kv: -kv[1][1]):
        print(f"| {kind} | {count} | {low:.3f} | {mid:.3f} |")
    low = sum(g[0] for g in groups.values())
    mid = sum(g[1] for g in groups.values())
    flop = bench.mlp_train_flops_per_sample() * batch / 1e9
    print(f"| all | {len(rows)} | {low:.3f} | {mid:.3f} |")
    print(f"\nstep: {flop * 1e3:.1f} MFLOP; at the sums above {flop / low * 1e3:.1f} / "
          f"{flop / mid * 1e3:.1f} GFLOP/s (min / median)")


if __name__ == "__main__":
    main()
