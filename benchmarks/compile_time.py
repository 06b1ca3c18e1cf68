"""Compilation in `make demo` on a cold and a warm cache, and the import time of neokeras.

Runs `examples/demo.py` in fresh processes from an empty `KERAS_HOME` (so with an empty
persistent compilation cache): once cold, then `--warm-runs` times warm. For each run it prints
the progress line's "this epoch included N s of compilation" (epoch 1), the whole process's
compilation (`neokeras.backend.compile_seconds()`), and per traced function the wall and CPU
seconds of JAX's tracing, lowering and XLA compilation (or cache read) spans, and of neokeras's
stored-program lookups ("stored": key, read and load of `fit`'s chunk programs, see
`neokeras/backend/jax/executable_cache.py`; a miss's trace, lowering and compilation nest in it). CPU seconds are
those of the compiling thread, which other processes on a loaded machine inflate far less than
wall seconds; the counts (functions traced, programs compiled, cache hits) do not depend on
load at all.

Import time: best of `--import-runs` fresh processes of `import jax` and of `import neokeras`,
alternating, wall and CPU (user + system) seconds.

    .venv/bin/python benchmarks/compile_time.py [--warm-runs 3] [--import-runs 7] [--src src]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import import_time  # this directory's import benchmark

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO = os.path.join(ROOT, "examples", "demo.py")

# Installed as the child's `sitecustomize`: runs `examples/demo.py` exactly as `make demo` does
# (same script, same imports in the same order, so even Python's garbage collections fall at the
# same points), and when the script imports neokeras, first starts recording every compilation
# span with the compiling thread's CPU time; at exit writes what it saw as JSON.
_SITECUSTOMIZE = r"""
import atexit, json, os, sys, time

STAGES = {"/jax/core/compile/jaxpr_trace_duration": "trace",
          "/jax/core/compile/jaxpr_to_mlir_module_duration": "lower",
          "/jax/core/compile/backend_compile_duration": "compile",
          "/neokeras/executable_cache/duration": "stored"}
started = {}  # (event, fun_name) -> stack of thread CPU times at the span's start
spans = []
events = {}


def on_scalar(event, value, **kwargs):  # JAX records a span's start as a scalar
    if event in STAGES:
        started.setdefault((event, kwargs.get("fun_name")), []).append(time.thread_time())


def on_span(event, start, end, **kwargs):
    if event in STAGES:
        name = kwargs.get("fun_name")
        stack = started.get((event, name)) or [time.thread_time()]
        spans.append((STAGES[event], name, start, end, time.thread_time() - stack.pop()))


def on_event(event, **kwargs):
    events[event] = events.get(event, 0) + 1


class _Hook:
    # JAX is the first thing neokeras imports: importing it here, just before, keeps the order.
    def find_spec(self, name, path=None, target=None):
        if name == "neokeras":
            sys.meta_path.remove(self)
            from jax import monitoring

            monitoring.register_scalar_listener(on_scalar)
            monitoring.register_event_time_span_listener(on_span)
            monitoring.register_event_listener(on_event)
        return None


sys.meta_path.insert(0, _Hook())


def dump():
    neokeras = sys.modules.get("neokeras")
    with open(os.environ["COMPILE_TIME_OUT"], "w") as f:
        json.dump({"total": neokeras.backend.compile_seconds() if neokeras else 0.0,
                   "spans": spans, "events": events, "cpu": time.process_time()}, f)


atexit.register(dump)
"""


def run_demo(home, src):
    with tempfile.TemporaryDirectory() as hook:
        with open(os.path.join(hook, "sitecustomize.py"), "w") as f:
            f.write(_SITECUSTOMIZE)
        out = os.path.join(hook, "out.json")
        env = {**os.environ, "KERAS_HOME": home, "PYTHONPATH": os.pathsep.join([hook, src]),
               "COMPILE_TIME_OUT": out}
        env.pop("NEOKERAS_JAX_CACHE", None)
        done = subprocess.run([sys.executable, DEMO], env=env, capture_output=True, text=True,
                              check=True)
        with open(out) as f:
            result = json.load(f)
    result["progress"] = [float(s) for s in re.findall(
        r"this epoch included ([0-9.]+)s of compilation", done.stdout)]
    return result


def _union(spans):
    """Seconds covered by the (start, end) spans, overlaps counted once."""
    total, last = 0.0, float("-inf")
    for start, end in sorted(spans):
        if end > last:
            total += end - max(start, last)
            last = end
    return total


def report_demo(label, result):
    spans = result["spans"]
    print(f"\n{label}: progress line {', '.join(f'{s:.3f}' for s in result['progress'])} s "
          f"(epoch 1{', later epochs' if len(result['progress']) > 1 else ''}); whole process "
          f"{result['total']:.3f} s of compilation")
    events = result["events"]
    print(f"  functions traced {sum(1 for s in spans if s[0] == 'trace')}, lowered "
          f"{sum(1 for s in spans if s[0] == 'lower')}, XLA compilations "
          f"{sum(1 for s in spans if s[0] == 'compile')} (cache hits "
          f"{events.get('/jax/compilation_cache/cache_hits', 0)}, misses "
          f"{events.get('/jax/compilation_cache/cache_misses', 0)})")
    rows, seen = {}, {}
    for stage, name, start, end, cpu in spans:
        # The k-th trace of `f` and the k-th lowering/compilation of `jit(f)` share a row.
        base = name[4:-1] if str(name).startswith("jit(") else name
        seen[(stage, base)] = seen.get((stage, base), 0) + 1
        row = rows.setdefault(f"{base} #{seen[(stage, base)]}", {})
        wall, spent, count = row.get(stage, (0.0, 0.0, 0))
        row[stage] = (wall + end - start, spent + cpu, count + 1)
    print(f"  {'function':28s} {'trace wall/cpu':>16s} {'lower wall/cpu':>16s} "
          f"{'compile wall/cpu':>17s} {'stored wall/cpu':>16s}   (s, in order; nested spans "
          "are inside their caller's)")
    for name, row in rows.items():
        cells = []
        for stage in ("trace", "lower", "compile", "stored"):
            wall, spent, count = row.get(stage, (0.0, 0.0, 0))
            times = f"{wall:.3f}/{spent:.3f}" + (f" x{count}" if count > 1 else "")
            cells.append(times if count else "-")
        print(f"  {str(name)[:28]:28s} {cells[0]:>16s} {cells[1]:>16s} {cells[2]:>17s} "
              f"{cells[3]:>16s}")
    top = [(s, e) for _, _, s, e, _ in spans]
    cpu = sum(c for stage, _, s, e, c in spans
              if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for _, _, s2, e2, _ in spans))
    print(f"  all spans: {_union(top):.3f} s wall, {cpu:.3f} s CPU; whole process "
          f"{result['cpu']:.2f} s CPU")


def import_times(runs, src):
    """Best wall and CPU seconds of fresh `import jax` and `import neokeras` processes."""
    best = import_time.import_times(runs, [src], basic=False)
    return {"jax": best["jax"], "neokeras": best[f"neokeras [{src}]"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm-runs", type=int, default=3)
    parser.add_argument("--import-runs", type=int, default=7)
    parser.add_argument("--src", default=os.path.join(ROOT, "src"),
                        help="the directory holding the neokeras package to measure")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as home:
        report_demo("cold cache", run_demo(home, args.src))
        warm = [run_demo(home, args.src) for _ in range(args.warm_runs)]
    for i, result in enumerate(warm):
        report_demo(f"warm cache, run {i + 1}", result)
    if warm:
        firsts = [r["progress"][0] for r in warm]
        print(f"\nwarm progress line (epoch 1): best {min(firsts):.3f} s, all "
              + ", ".join(f"{s:.3f}" for s in firsts))
    if args.import_runs:
        best = import_times(args.import_runs, args.src)
        jax_wall, jax_cpu = best["jax"]
        nk_wall, nk_cpu = best["neokeras"]
        print(f"\nimport (best of {args.import_runs} fresh processes): jax {jax_wall:.3f} s wall "
              f"/ {jax_cpu:.3f} s CPU, neokeras {nk_wall:.3f} s wall / {nk_cpu:.3f} s CPU; "
              f"neokeras - jax = {nk_wall - jax_wall:+.3f} s wall, {nk_cpu - jax_cpu:+.3f} s CPU")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
