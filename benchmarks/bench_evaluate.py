"""`evaluate` and `fit`'s validation: compiled test programs and steady time, A/B over sources.

For each `--src` (a directory holding a `neokeras` package; give two to compare, e.g. main's and
a branch's), in fresh processes, alternating sources for `--rounds` rounds:

- programs: `compile_count["test"]` after `fit(..., validation_split=0.1)` then `evaluate` on
  test sets of 450, 300 and 1000 samples (the `make demo` MLP on 8x8 digits, batch 32);
- steady `evaluate` time (best of 5 calls after a compiling one): MLP 784-512-512-10 on 10000
  samples at batch 128 and 32, and the seed model Dense(5)+Dense(1) on 10000 samples at
  batch 10 (1000 steps);
- steady `fit` epoch time with `validation_split=0.2` (best of epochs 2-5) for the seed model.

The persistent compilation cache is off, so that no run reads another's programs.

    .venv/bin/python benchmarks/bench_evaluate.py --src /work/main/src --src src [--rounds 3]
"""

import argparse
import json
import os
import subprocess
import sys

_CHILD = r"""
import json, os, time
import numpy as np
import neokeras as keras

rng = np.random.default_rng(0)
out = {}

digits = rng.random((1797, 64), dtype="float32")
labels = keras.utils.to_categorical(rng.integers(0, 10, 1797), 10)
model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(128, activation="relu"),
                          keras.layers.Dropout(0.2), keras.layers.Dense(64, activation="relu"),
                          keras.layers.Dense(10, activation="softmax")])
model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
model.fit(digits[:1347], labels[:1347], batch_size=32, epochs=1, validation_split=0.1, verbose=0)
for n in (450, 300, 1000):
    model.evaluate(digits[-n:], labels[-n:], verbose=0)
out["test programs"] = model.compile_count["test"]


def mlp():
    m = keras.Sequential([keras.Input((784,)), keras.layers.Dense(512, activation="relu"),
                          keras.layers.Dense(512, activation="relu"), keras.layers.Dense(10)])
    m.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
    return m, rng.random((10000, 784), dtype="float32"), rng.integers(0, 10, 10000)


def seed():
    m = keras.Sequential([keras.Input((2,)), keras.layers.Dense(5), keras.layers.Dense(1)])
    m.compile("sgd", "mse")
    x = rng.random((10000, 2), dtype="float32")
    return m, x, x.sum(1, keepdims=True)


for name, build, batch in (("MLP", mlp, 128), ("MLP", mlp, 32), ("seed", seed, 10)):
    m, x, y = build()
    m.evaluate(x, y, batch_size=batch, verbose=0)
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        m.evaluate(x, y, batch_size=batch, verbose=0)
        best = min(best, time.perf_counter() - start)
    out[f"evaluate {name} 10000 samples, batch {batch} (ms)"] = best * 1000

m, x, y = seed()
starts = []
stamp = keras.callbacks.LambdaCallback(on_epoch_begin=lambda e, l: starts.append(time.perf_counter()))
m.fit(x, y, batch_size=10, epochs=6, validation_split=0.2, verbose=0, callbacks=[stamp])
out["fit seed + validation, epoch (ms)"] = float(np.diff(starts)[1:].min()) * 1000
print(json.dumps(out))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", action="append", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}")
    results = {src: [] for src in args.src}
    for _ in range(args.rounds):
        for src in args.src:
            env = {**os.environ, "PYTHONPATH": os.path.abspath(src), "NEOKERAS_JAX_CACHE": "0"}
            done = subprocess.run([sys.executable, "-c", _CHILD], env=env, check=True,
                                  capture_output=True, text=True)
            results[src].append(json.loads(done.stdout.strip().splitlines()[-1]))
    for src, runs in results.items():
        print(f"\n{src}:")
        for key in runs[0]:
            values = [run[key] for run in runs]
            best = min(values)
            shown = f"{best:.1f}" if isinstance(best, float) else str(best)
            print(f"  {key}: best {shown}  (all {', '.join(f'{v:.4g}' for v in values)})")
    print(f"\nload average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
