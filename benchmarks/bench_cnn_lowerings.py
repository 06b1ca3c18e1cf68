"""The benchmark CNN's training step under each convolution lowering, A/B in one process.

The model is `bench_vs_torch.py`'s CNN (Conv2D 32 and 64, 3x3, each followed by 2x2 max
pooling, Flatten, Dense(10); 28x28x1 inputs, Adam, batch 128). One model is built and compiled
per lowering (`NEOKERAS_CONV_LOWERING` is read when a step is traced; `auto` is the per-shape
choice), then their epochs alternate, so that other load on the machine falls on all of them
alike. Prints each lowering's CPU time per step (best and median over the rounds) and its
ratio to the first.

    taskset -c 0 .venv/bin/python benchmarks/bench_cnn_lowerings.py \
        [--lowerings native split widened auto] [--rounds 20]
"""

import argparse
import os
import time

os.environ.setdefault("KERAS_BACKEND", "jax")

import numpy as np  # noqa: E402

import neokeras as keras  # noqa: E402

BATCH, STEPS = 128, 8


def build(lowering, x, y):
    if lowering == "auto":
        os.environ.pop("NEOKERAS_CONV_LOWERING", None)
    else:
        os.environ["NEOKERAS_CONV_LOWERING"] = lowering
    layers = keras.layers
    model = keras.Sequential([
        keras.Input((28, 28, 1)), layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(2), layers.Conv2D(64, 3, activation="relu"),
        layers.MaxPooling2D(2), layers.Flatten(), layers.Dense(10, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    model.fit(x, y, batch_size=BATCH, epochs=1, shuffle=False, verbose=0)  # traces, compiles
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lowerings", nargs="+", default=["native", "split", "widened", "auto"])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    x = rng.random((BATCH * STEPS, 28, 28, 1), dtype=np.float32)
    y = rng.integers(0, 10, BATCH * STEPS)
    models = {lowering: build(lowering, x, y) for lowering in args.lowerings}
    times = {lowering: [] for lowering in args.lowerings}
    for _ in range(args.rounds):
        for lowering, model in models.items():
            start = time.process_time()
            model.fit(x, y, batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
            times[lowering].append((time.process_time() - start) / STEPS * 1e3)
    first = min(times[args.lowerings[0]])
    print(f"CPU ms per step, {args.rounds} alternating epochs of {STEPS} steps, "
          f"load average {os.getloadavg()[0]:.1f}")
    print("| lowering | best | median | best samples/s | best vs first |\n|---|---|---|---|---|")
    for lowering, values in times.items():
        print(f"| {lowering} | {min(values):.1f} | {np.median(values):.1f} | "
              f"{BATCH * 1e3 / min(values):.0f} | {min(values) / first:.2f}x |")


if __name__ == "__main__":
    main()
