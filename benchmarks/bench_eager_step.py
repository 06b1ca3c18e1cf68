"""`run_eagerly=True` against the compiled step: time per training step of a small MLP.

Model: Dense(64, relu) + Dense(64, relu) + Dense(10) on 32 features, Adam, sparse categorical
cross-entropy, batch 32, 512 samples (16 steps per epoch). Each figure is the best time per step
over `--repeats` epochs after a first (compiling) one. Rows: neokeras compiled, neokeras eager
(one pass under JAX's autodiff outside `jit`, see `backend/jax/eager.py`), and Keras 3 (JAX)
both ways when it is installed. Two more rows price the designs not taken:

- "two passes": an eager step plus one more eager forward, the cost of running `call` once on
  concrete values and again, traced, for the gradients;
- "tape per op": one `jax.vjp` per operation against the plain eager operation, what a tape
  recorded at the `ops` level would pay on every op of the forward pass.

    KERAS_BACKEND=jax .venv/bin/python benchmarks/bench_eager_step.py [--repeats R]
"""

import argparse
import os
import time

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

import neokeras  # noqa: E402

try:
    import keras  # noqa: E402
except ImportError:  # real Keras is optional: its rows are left out
    keras = None

BATCH, SAMPLES, FEATURES = 32, 512, 32


def _data():
    rng = np.random.default_rng(0)
    return (rng.standard_normal((SAMPLES, FEATURES)).astype("float32"),
            rng.integers(0, 10, SAMPLES))


def _mlp(k):
    return k.Sequential([k.Input((FEATURES,)), k.layers.Dense(64, activation="relu"),
                         k.layers.Dense(64, activation="relu"), k.layers.Dense(10)])


def step_seconds(k, run_eagerly, repeats):
    x, y = _data()
    model = _mlp(k)
    model.compile("adam", k.losses.SparseCategoricalCrossentropy(from_logits=True),
                  run_eagerly=run_eagerly)
    fit = lambda: model.fit(x, y, batch_size=BATCH, epochs=1, shuffle=False, verbose=0)  # noqa: E731
    fit()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fit()
        best = min(best, time.perf_counter() - start)
    return best / (SAMPLES // BATCH), model


def forward_seconds(model, repeats):
    x = _data()[0][:BATCH]
    model(x)
    best = float("inf")
    for _ in range(repeats * 4):
        start = time.perf_counter()
        jax.block_until_ready(model(x))
        best = min(best, time.perf_counter() - start)
    return best


def per_op_seconds(repeats):
    x = jnp.asarray(_data()[0][:BATCH])

    def timed(fn):
        jax.block_until_ready(fn())
        best = float("inf")
        for _ in range(repeats * 20):
            start = time.perf_counter()
            jax.block_until_ready(fn())
            best = min(best, time.perf_counter() - start)
        return best

    return timed(lambda: jnp.tanh(x)), timed(lambda: jax.vjp(jnp.tanh, x)[0])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    repeats = parser.parse_args().repeats
    rows = []
    compiled, _ = step_seconds(neokeras, False, repeats)
    eager, eager_model = step_seconds(neokeras, True, repeats)
    rows += [("neokeras compiled", compiled), ("neokeras run_eagerly", eager),
             ("two passes (estimate)", eager + forward_seconds(eager_model, repeats))]
    if keras is not None:
        rows += [("keras 3.15 compiled", step_seconds(keras, False, repeats)[0]),
                 ("keras 3.15 run_eagerly", step_seconds(keras, True, repeats)[0])]
    print(f"MLP step, batch {BATCH} (best of {repeats} epochs):")
    for name, seconds in rows:
        print(f"  {name:24s} {seconds * 1e3:8.3f} ms/step   {seconds / compiled:6.1f}x compiled")
    plain, recorded = per_op_seconds(repeats)
    print(f"one tanh on ({BATCH}, 64): eager {plain * 1e6:.0f} us, with jax.vjp "
          f"{recorded * 1e6:.0f} us ({recorded / plain:.1f}x)")


if __name__ == "__main__":
    main()
