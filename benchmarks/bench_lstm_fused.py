"""The LSTM benchmark model (issue 17) with and without the whole-sequence LSTM operation, in one
process: both models are compiled first (`NEOKERAS_RNN_FUSED` is read when a step is traced),
then their `fit` epochs alternate, so that both see the machine's load alike. Prints each
round's samples/s (wall and CPU time of the process) and the best of each.

    taskset -c 0 .venv/bin/python benchmarks/bench_lstm_fused.py [--rounds 5] [--steps 48]
"""

import argparse
import json
import os
import time

import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=48, help="batches of 64 per epoch")
    args = parser.parse_args()
    import neokeras as keras

    rng = np.random.default_rng(0)
    x = rng.integers(0, 10000, (64 * args.steps, 100))
    y = rng.integers(0, 2, 64 * args.steps).astype(np.float32)
    models = {}
    for fused in ("1", "0"):
        os.environ["NEOKERAS_RNN_FUSED"] = fused
        model = keras.Sequential([
            keras.Input((100,), dtype="int32"), keras.layers.Embedding(10000, 64),
            keras.layers.LSTM(64), keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy")
        model.fit(x, y, batch_size=64, epochs=1, shuffle=False, verbose=0)  # compiles
        models["fused" if fused == "1" else "scan"] = model
    best = {name: {"wall": 0.0, "cpu": 0.0} for name in models}
    for round_ in range(args.rounds):
        for name, model in models.items():
            wall, cpu = time.perf_counter(), time.process_time()
            model.fit(x, y, batch_size=64, epochs=1, shuffle=False, verbose=0)
            rates = {"wall": len(x) / (time.perf_counter() - wall),
                     "cpu": len(x) / (time.process_time() - cpu)}
            for clock in rates:
                best[name][clock] = max(best[name][clock], rates[clock])
            print(f"round {round_ + 1} {name}: wall {rates['wall']:.0f} cpu {rates['cpu']:.0f} "
                  f"samples/s (load {os.getloadavg()[0]:.1f})", flush=True)
    print(json.dumps(best))
    print("fused / scan: " + ", ".join(
        f"{clock} {best['fused'][clock] / best['scan'][clock]:.2f}" for clock in ("wall", "cpu")))


if __name__ == "__main__":
    main()
