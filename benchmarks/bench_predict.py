"""predict, model(x) and predict_on_batch on one sample, against a raw `jax.jit` forward.

Each `--src` tree (default: this checkout's `src`) is measured in its own fresh process, in turn,
`--runs` times: `run_all.bench_predict` (the median of `--calls` calls), best of `--rounds`
rounds per process, printed as times and as ratios to the raw forward of the same process.

    .venv/bin/python benchmarks/bench_predict.py [--src OLD/src --src src] [--runs 2]
"""

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

_CHILD = r"""
import json, sys
sys.path.insert(0, {here!r})
import run_all
best = {{}}
for _ in range({rounds}):
    for name, seconds in run_all.bench_predict({calls}).items():
        if not name.startswith("keras"):
            best[name] = min(best.get(name, 1.0), seconds)
print("RESULT " + json.dumps(best))
"""


def measure(src, rounds, calls):
    env = dict(os.environ, PYTHONPATH=src, KERAS_BACKEND="jax")
    code = _CHILD.format(here=HERE, rounds=rounds, calls=calls)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout
    return json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[7:])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", action="append", help="a neokeras src directory (repeatable)")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=1000)
    args = parser.parse_args()
    sources = args.src or [os.path.join(os.path.dirname(HERE), "src")]
    for run in range(args.runs):
        for src in sources:
            best = measure(src, args.rounds, args.calls)
            base = best["jax.jit forward"]
            cells = ", ".join(f"{name} {seconds * 1e3:.4f} ms ({seconds / base:.2f}x)"
                              for name, seconds in best.items())
            print(f"run {run + 1} {src}: {cells}", flush=True)


if __name__ == "__main__":
    main()
