"""Where the MLP benchmark's training step spends its time: XLA's per-operation timings.

Trains the MLP of `bench_vs_torch.py` (784-512-512-10, Adam, batch 128, 40 steps per epoch)
with neokeras under JAX's profiler and sums, per step, the time of each operation of the
compiled step (XLA:CPU runs one "thunk" per fusion, matrix product or copy), grouped by kind:
matrix products (with their GFLOP/s), the optimizer update, the rest of forward and backward,
the batch gather, copies. Per operation it reports the minimum over the profiled steps (what
the operation costs when nothing disturbs it) and the median (a busy machine inflates it).
Then it accounts for each epoch's time, from the same trace: the operations of the steps, the
loop around them (`lax.scan`'s while loop and the `lax.cond` of each step, skipped padding
steps included), each compiled call's work outside the loop (copying the state into the loop's
buffers) and what `fit` does in Python between calls (dispatch, callbacks, reading the logs).
Run it pinned to one core, as the benchmark runs:

    PYTHONPATH=src taskset -c 0 .venv/bin/python benchmarks/profile_mlp_step.py [--epochs 5]

With `--calls ROUNDS` it profiles nothing and instead compares, alternating in one process, the
CPU time per step of a `fit` epoch, of the same compiled calls made directly (no `fit` around
them), and of full 16-step calls (no padding steps).
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
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def spy_on_train_chunk(jax, net):
    """`(key, chunk, seen)`: `net`'s compiled training chunk, replaced in `net._functions[key]`
    by a wrapper that records the abstract arguments of its first call in `seen["args"]`."""
    key = ("chunk", "train", False)
    chunk, seen = net._functions[key], {}

    def spy(*call_args):
        seen.setdefault("args", jax.tree_util.tree_map(
            lambda a: jax.ShapeDtypeStruct(a.shape, a.dtype), call_args))
        return chunk(*call_args)

    net._functions[key] = spy
    return key, chunk, seen


def compiled_hlo(chunk, seen):
    """The optimized HLO text of `chunk` for the arguments `spy_on_train_chunk` recorded (the
    jitted function itself, or the one behind a stored-program wrapper)."""
    jitted = getattr(chunk, "_jitted", chunk)
    return jitted.lower(*seen["args"]).compile().as_text()


def hlo_instructions(hlo):
    """`(name, shape, op, op_name, line)` of each instruction of an HLO text (`op_name` from its
    metadata, "" without)."""
    for line in hlo.splitlines():
        inst = re.match(r"^\s+(?:ROOT )?%(\S+) = (\S+) (\w[\w-]*)\(", line)
        if inst:
            op_name = re.search(r'op_name="([^"]*)"', line)
            yield (*inst.groups(), op_name.group(1) if op_name else "", line)


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
    for name, shape, op, op_name, line in hlo_instructions(hlo):
        called = re.search(r"calls=%(\S+?)[,\s]", line)
        body = "\n".join(computations.get(called.group(1), [])) if called else ""
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
    parser.add_argument("--calls", type=int, metavar="ROUNDS")
    args = parser.parse_args()
    os.environ.setdefault("KERAS_BACKEND", "jax")
    import jax

    import bench_vs_torch as bench
    import neokeras as keras

    x, y = bench.data("mlp")
    batch, steps, _ = bench.SPECS["mlp"]
    net = bench.keras_model(keras, "mlp")
    net.fit(x, y, batch_size=batch, epochs=2, shuffle=False, verbose=0)
    key, chunk, seen = spy_on_train_chunk(jax, net)
    if args.calls:
        return compare_calls(jax, keras, bench, net, chunk, key, x, y, args.calls)

    clocks = collections.defaultdict(list)  # per epoch: process and main-thread CPU seconds

    class Clock(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.process_time(), time.thread_time()

        def on_epoch_end(self, epoch, logs=None):
            clocks["process"].append(time.process_time() - self.start[0])
            clocks["python"].append(time.thread_time() - self.start[1])

    trace_dir = tempfile.mkdtemp()
    options = jax.profiler.ProfileOptions()
    options.python_tracer_level = 0  # Python's function events would cost the step CPU time
    jax.profiler.start_trace(trace_dir, profiler_options=options)
    net.fit(x, y, batch_size=batch, epochs=args.epochs, shuffle=False, verbose=0,
            callbacks=[Clock()])
    jax.profiler.stop_trace()
    net._functions[key] = chunk
    kinds = hlo_kinds(compiled_hlo(chunk, seen))

    trace = sorted(glob.glob(f"{trace_dir}/plugins/profile/*/*.trace.json.gz"))[-1]
    events = [e for e in json.load(gzip.open(trace))["traceEvents"] if e.get("ph") == "X"]
    durations = collections.defaultdict(list)
    for event in events:
        if event["name"] in kinds:
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
    account(events, rows, clocks, steps, flop)


def compare_calls(jax, keras, bench, net, chunk, key, x, y, rounds):
    """CPU ms per step: `fit`'s epoch, its compiled calls made directly, full 16-step calls."""
    import numpy as np

    batch, steps, _ = bench.SPECS["mlp"]
    calls = []
    net._functions[key] = lambda *call_args: calls.append(call_args) or chunk(*call_args)
    net.fit(x, y, batch_size=batch, epochs=1, shuffle=False, verbose=0)
    net._functions[key] = chunk
    state, data, indices, weights, _ = calls[0]
    clock = bench.EpochClock()

    class Timer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            clock.start()

        def on_epoch_end(self, epoch, logs=None):
            clock.stop()

    def timed(run):
        start = time.process_time()
        jax.block_until_ready(run())
        return time.process_time() - start

    def direct():
        values = state
        for call in calls:
            values, logs = chunk(values, *call[1:])
        return values, logs

    def full():
        values = state
        for _ in range(3):
            values, logs = chunk(values, data, indices, weights, np.int32(indices.shape[0]))
        return values, logs

    results = collections.defaultdict(list)
    for _ in range(rounds):
        clock.wall.clear()
        clock.cpu.clear()
        net.fit(x, y, batch_size=batch, epochs=3, shuffle=False, verbose=0, callbacks=[Timer()])
        results["fit epoch"].append(min(clock.cpu) / steps * 1e3)
        results["its calls, direct"].append(min(timed(direct) for _ in range(3)) / steps * 1e3)
        results["full 16-step calls"].append(
            min(timed(full) for _ in range(3)) / (3 * indices.shape[0]) * 1e3)
    print(f"{len(calls)} calls per epoch ({[int(c[4]) for c in calls]} steps)")
    print("| run | best CPU ms/step | median |\n|---|---|---|")
    for name, values in results.items():
        print(f"| {name} | {min(values):.3f} | {statistics.median(values):.3f} |")


def _inside(outer, event):
    return (event["tid"] == outer["tid"] and outer["ts"] <= event["ts"]
            and event["ts"] + event["dur"] <= outer["ts"] + outer["dur"])


def account(events, rows, clocks, steps, flop):
    """An epoch's CPU time per step, part by part: the step's operations (median, from the
    table above), the loop around them (each `lax.cond`'s time beyond its operations, each
    while loop's beyond its conditionals; padding iterations of a short last chunk count), each
    call's operations outside the loop, and `fit`'s Python (the main thread's CPU time).
    Medians, which a busy machine disturbs least; the end-to-end figure is the process's CPU
    time per epoch (as `bench_vs_torch.py` measures it)."""
    step_ops = {row[2] for row in rows}
    loops = [e for e in events if re.fullmatch(r"while(\.\d+)?", e["name"])]
    conds = [e for e in events if re.fullmatch(r"cond(\.\d+)?", e["name"])]
    cond_extra = [c["dur"] - sum(e["dur"] for e in events if e["name"] in step_ops
                                 and _inside(c, e)) for c in conds]
    loop_extra = [(w["dur"] - sum(c["dur"] for c in conds if _inside(w, c)))
                  / sum(1 for c in conds if _inside(w, c)) for w in loops]
    per_call = collections.defaultdict(list)
    for e in events:
        if (e["name"].startswith(("copy", "dynamic-slice", "wrapped_iota"))
                and not any(_inside(w, e) for w in loops)):
            per_call[e["name"]].append(e["dur"])
    epochs = len(clocks["process"])
    calls = len(loops) / epochs
    iterations = len(conds) / epochs / steps  # loop iterations per step (padding included)
    outside = sum(statistics.median(d) * len(d) / len(loops) for d in per_call.values())
    ops = sum(row[0] for row in rows)
    parts = [("the steps' operations", ops),
             ("each step's conditional beyond its operations",
              statistics.median(cond_extra) * iterations / 1e3),
             ("the while loop per iteration beyond the conditionals",
              statistics.median(loop_extra) * iterations / 1e3),
             (f"each call's operations outside the loop ({calls:.0f} calls per epoch)",
              outside * calls / steps / 1e3),
             ("fit's Python (main thread CPU time)",
              statistics.median(clocks["python"]) / steps * 1e3)]
    print("\n| part of an epoch (medians) | ms/step |\n|---|---|")
    for name, value in parts:
        print(f"| {name} | {value:.3f} |")
    total = sum(value for _, value in parts)
    epoch = [seconds / steps * 1e3 for seconds in clocks["process"]]
    print(f"| sum of the parts | {total:.3f} |")
    print(f"| epoch, process CPU time (min / median over {len(epoch)}) | "
          f"{min(epoch):.3f} / {statistics.median(epoch):.3f} |")
    print(f"\nat the sum of the parts {flop / total * 1e3:.1f} GFLOP/s; "
          f"the best epoch {flop / min(epoch) * 1e3:.1f}")


if __name__ == "__main__":
    main()
