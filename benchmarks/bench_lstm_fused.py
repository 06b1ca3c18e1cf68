"""The LSTM benchmark model (issue 17) with and without the whole-sequence LSTM operation, in one
process: both models are compiled first (`NEOKERAS_RNN_FUSED` is read when a step is traced),
then their `fit` epochs alternate, so that both see the machine's load alike. Prints each
round's samples/s (wall and CPU time of the process) and the best of each.

`--baseline FILE` adds a third model whose LSTM runs the `lstm_sequence` of another version of
`backend/jax/rnn.py` (`git show REV:src/neokeras/backend/jax/rnn.py > /tmp/rnn_old.py`), to
A/B a change of the operation itself.

    taskset -c 0 .venv/bin/python benchmarks/bench_lstm_fused.py [--rounds 5] [--steps 48]
        [--baseline /tmp/rnn_old.py]
"""

import argparse
import importlib.util
import json
import os
import time

import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=48, help="batches of 64 per epoch")
    parser.add_argument("--baseline", help="another version of backend/jax/rnn.py")
    args = parser.parse_args()
    # Stored programs are keyed without tracing, so they cannot tell the variants apart.
    os.environ["NEOKERAS_JAX_CACHE"] = "0"
    import neokeras as keras
    from neokeras import backend

    variants = {"fused": ("1", None), "scan": ("0", None)}
    if args.baseline:
        spec = importlib.util.spec_from_file_location("baseline_rnn", args.baseline)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        variants["baseline"] = ("1", module.lstm_sequence)

    rng = np.random.default_rng(0)
    x = rng.integers(0, 10000, (64 * args.steps, 100))
    y = rng.integers(0, 2, 64 * args.steps).astype(np.float32)
    models = {}
    current = backend.rnn_ops.lstm_sequence
    for name, (fused, sequence_op) in variants.items():
        os.environ["NEOKERAS_RNN_FUSED"] = fused
        backend.rnn_ops.lstm_sequence = sequence_op or current  # read when the step is traced
        model = keras.Sequential([
            keras.Input((100,), dtype="int32"), keras.layers.Embedding(10000, 64),
            keras.layers.LSTM(64), keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy")
        model.fit(x, y, batch_size=64, epochs=1, shuffle=False, verbose=0)  # compiles
        models[name] = model
    backend.rnn_ops.lstm_sequence = current
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
    for other in [name for name in models if name != "fused"]:
        print(f"fused / {other}: " + ", ".join(
            f"{clock} {best['fused'][clock] / best[other][clock]:.2f}"
            for clock in ("wall", "cpu")))


if __name__ == "__main__":
    main()
