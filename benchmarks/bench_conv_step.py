"""Training step of a small convnet: neokeras vs Keras 3 (JAX) vs hand-written `jax.jit`.

Model: Conv2D(32, 3, relu) + MaxPooling2D(2) + Flatten + Dense(10) on 28x28x1 inputs,
SGD(0.01), sparse categorical cross-entropy from logits, batch 128. Each column is the best
(smallest) time per step over `--repeats` epochs after a compiling one, so that other load on
the machine inflates the figures as little as possible. The hand-written `lax.scan` column runs
the same steps fused in one compiled loop, the shape neokeras's `fit` used to take.

    KERAS_BACKEND=jax .venv/bin/python benchmarks/bench_conv_step.py [--samples N] [--repeats R]
"""

import argparse
import os
import time

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402

import neokeras  # noqa: E402

try:
    import keras  # noqa: E402
except ImportError:  # real Keras is optional: its row is left out
    keras = None

BATCH = 128


def best_of(fn, repeats):
    fn()  # compiles
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def hand_written(x, y, steps, repeats):
    rng = np.random.default_rng(0)
    params = [jnp.asarray(rng.normal(size=(3, 3, 1, 32)).astype(np.float32) * 0.1),
              jnp.zeros((32,), jnp.float32),
              jnp.asarray(rng.normal(size=(13 * 13 * 32, 10)).astype(np.float32) * 0.01),
              jnp.zeros((10,), jnp.float32)]

    def loss(p, xb, yb):
        kernel, bias, dense, dense_bias = p
        h = lax.conv_general_dilated(xb, kernel, (1, 1), "VALID",
                                     dimension_numbers=("NHWC", "HWIO", "NHWC")) + bias
        h = lax.reduce_window(jax.nn.relu(h), np.array(-np.inf, np.float32), lax.max,
                              (1, 2, 2, 1), (1, 2, 2, 1), "VALID")
        logits = h.reshape(h.shape[0], -1) @ dense + dense_bias
        picked = jnp.take_along_axis(jax.nn.log_softmax(logits), yb[:, None], axis=1)
        return -jnp.mean(picked)

    def step(p, xb, yb):
        value, grads = jax.value_and_grad(loss)(p, xb, yb)
        return [v - 0.01 * g for v, g in zip(p, grads)], value

    jit_step = jax.jit(step)
    xs = jnp.asarray(x[:steps * BATCH])
    ys = jnp.asarray(y[:steps * BATCH])

    def run_jit():
        p = params
        for i in range(steps):
            p, _ = jit_step(p, xs[i * BATCH:(i + 1) * BATCH], ys[i * BATCH:(i + 1) * BATCH])
        jax.block_until_ready(p)

    @jax.jit
    def scanned(p, xs, ys):
        return lax.scan(lambda p, b: step(p, *b), p,
                        (xs.reshape(steps, BATCH, 28, 28, 1), ys.reshape(steps, BATCH)))

    return (best_of(run_jit, repeats) / steps,
            best_of(lambda: jax.block_until_ready(scanned(params, xs, ys)), repeats) / steps)


def fit_time(lib, x, y, steps, repeats, steps_per_execution=1):
    model = lib.Sequential([
        lib.Input((28, 28, 1)), lib.layers.Conv2D(32, 3, activation="relu"),
        lib.layers.MaxPooling2D(), lib.layers.Flatten(), lib.layers.Dense(10)])
    model.compile(optimizer=lib.optimizers.SGD(0.01),
                  loss=lib.losses.SparseCategoricalCrossentropy(from_logits=True),
                  steps_per_execution=steps_per_execution)
    return best_of(lambda: model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0,
                                     shuffle=False), repeats) / steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1024)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    steps = args.samples // BATCH
    rng = np.random.default_rng(0)
    x = rng.random((steps * BATCH, 28, 28, 1), np.float32)
    y = rng.integers(0, 10, steps * BATCH)

    jit_step, scan_step = hand_written(x, y, steps, args.repeats)
    rows = [("hand-written jax.jit step per call", jit_step),
            (f"hand-written lax.scan of {steps} steps", scan_step),
            ("neokeras fit (default)", fit_time(neokeras, x, y, steps, args.repeats)),
            (f"neokeras fit, steps_per_execution={steps}",
             fit_time(neokeras, x, y, steps, args.repeats, steps))]
    if keras is not None:
        rows.append(("Keras 3 fit", fit_time(keras, x, y, steps, args.repeats)))
    print(f"Conv2D(32,3)+MaxPool+Flatten+Dense(10), SGD, batch {BATCH}, {steps} steps/epoch, "
          f"best of {args.repeats} epochs, jax {jax.__version__} on {jax.default_backend()}")
    print("| step | ms/step | vs jax.jit |")
    print("|---|---|---|")
    for name, seconds in rows:
        print(f"| {name} | {seconds * 1e3:.1f} | {seconds / jit_step:.2f}x |")


if __name__ == "__main__":
    main()
