"""Side-by-side benchmarks: neokeras vs a hand-written `jax.jit` loop vs real Keras 3 (JAX).

Each comparison runs the same model, data, batch size and optimizer in all three, in this one
process, and reports wall times and ratios. Results are written to benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/run_all.py            # full run
    .venv/bin/python benchmarks/run_all.py --quick    # smaller sizes, a smoke test
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

import neokeras  # noqa: E402

try:
    import keras  # noqa: E402
except ImportError:  # real Keras is optional: its column is left empty
    keras = None


# ---------------------------------------------------------------------------- hand-written JAX
def init_mlp(sizes, seed=0):
    rng = np.random.default_rng(seed)
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        params.append((jnp.asarray(rng.uniform(-limit, limit, (fan_in, fan_out)), jnp.float32),
                       jnp.zeros((fan_out,), jnp.float32)))
    return params


def mlp_forward(params, x, hidden_activation, output_activation):
    for i, (w, b) in enumerate(params):
        x = x @ w + b
        x = hidden_activation(x) if i < len(params) - 1 else output_activation(x)
    return x


def make_jax_sgd_loop(hidden_activation, output_activation, loss_fn, lr):
    @jax.jit
    def step(params, x, y):
        def loss_of(p):
            return loss_fn(mlp_forward(p, x, hidden_activation, output_activation), y)

        loss, grads = jax.value_and_grad(loss_of)(params)
        return jax.tree_util.tree_map(lambda p, g: p - lr * g, params, grads), loss

    return step


def make_jax_adam_loop(hidden_activation, output_activation, loss_fn, lr, b1=0.9, b2=0.999,
                       eps=1e-7):
    @jax.jit
    def step(params, m, v, t, x, y):
        def loss_of(p):
            return loss_fn(mlp_forward(p, x, hidden_activation, output_activation), y)

        loss, grads = jax.value_and_grad(loss_of)(params)
        t = t + 1
        m = jax.tree_util.tree_map(lambda m_, g: b1 * m_ + (1 - b1) * g, m, grads)
        v = jax.tree_util.tree_map(lambda v_, g: b2 * v_ + (1 - b2) * g * g, v, grads)
        alpha = lr * jnp.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        params = jax.tree_util.tree_map(lambda p, m_, v_: p - alpha * m_ / (jnp.sqrt(v_) + eps),
                                        params, m, v)
        return params, m, v, t, loss

    return step


def run_jax_epochs(step, params, x, y, batch_size, epochs, adam):
    rng = np.random.default_rng(0)
    state = (params, jax.tree_util.tree_map(jnp.zeros_like, params),
             jax.tree_util.tree_map(jnp.zeros_like, params), jnp.float32(0)) if adam else (params,)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        order = rng.permutation(len(x))
        for i in range(0, len(x), batch_size):
            idx = order[i:i + batch_size]
            out = step(*state, x[idx], y[idx])
            state = out[:-1]
        jax.block_until_ready(state)
        times.append(time.perf_counter() - start)
    return times


def mse(pred, y):
    return jnp.mean((pred - y) ** 2)


def cce(pred, y):
    return -jnp.mean(jnp.sum(y * jnp.log(jnp.clip(pred, 1e-7, 1 - 1e-7)), axis=-1))


# ---------------------------------------------------------------------------- Keras-API runs
class EpochTimer:
    """Records wall time per epoch through the callback API of either library."""

    def __init__(self, base):
        outer = self

        class Timer(base):
            def on_epoch_begin(self, epoch, logs=None):
                outer._start = time.perf_counter()

            def on_epoch_end(self, epoch, logs=None):
                outer.times.append(time.perf_counter() - outer._start)

        self.times = []
        self.callback = Timer()


def run_keras_api(lib, build, x, y, batch_size, epochs, optimizer, loss):
    model = build(lib)
    model.compile(optimizer=optimizer(lib), loss=loss)
    timer = EpochTimer(lib.callbacks.Callback)
    start = time.perf_counter()
    model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0, callbacks=[timer.callback])
    total = time.perf_counter() - start
    return timer.times, total


def seed_model(lib):
    return lib.Sequential([lib.Input(shape=(2,)), lib.layers.Dense(5), lib.layers.Dense(1)])


def big_mlp(lib):
    return lib.Sequential([lib.Input(shape=(784,)), lib.layers.Dense(512, activation="relu"),
                           lib.layers.Dense(512, activation="relu"),
                           lib.layers.Dense(10, activation="softmax")])


def steady(times):
    """Median epoch time after the first (compilation) epoch."""
    return statistics.median(times[1:]) if len(times) > 1 else times[0]


# ---------------------------------------------------------------------------- benchmarks
def bench_training(name, build, sizes, x, y, batch_size, epochs, optimizer, loss, jax_loop, adam):
    rows = []
    neo_times, neo_total = run_keras_api(neokeras, build, x, y, batch_size, epochs, optimizer, loss)
    step = jax_loop()
    jax_times = run_jax_epochs(step, init_mlp(sizes), x, y, batch_size, epochs, adam)
    result = {"name": name, "neokeras": steady(neo_times), "jax": steady(jax_times),
              "neokeras_first": neo_times[0], "jax_first": jax_times[0]}
    if keras is not None:
        keras_times, _ = run_keras_api(keras, build, x, y, batch_size, epochs, optimizer, loss)
        result["keras"] = steady(keras_times)
        result["keras_first"] = keras_times[0]
    rows.append(result)
    return rows


def timeit(fn, repeat):
    fn()
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def bench_predict(repeat):
    x1 = np.random.default_rng(0).standard_normal((1, 8)).astype("float32")
    results = {}

    def build(lib):
        return lib.Sequential([lib.Input(shape=(8,)), lib.layers.Dense(32, activation="relu"),
                               lib.layers.Dense(1)])

    neo = build(neokeras)
    results["neokeras predict(1 sample)"] = timeit(lambda: neo.predict(x1, verbose=0), repeat)
    results["neokeras model(x)"] = timeit(lambda: np.asarray(neo(x1)), repeat)
    results["neokeras predict_on_batch"] = timeit(lambda: neo.predict_on_batch(x1), repeat)
    params = init_mlp([8, 32, 1])
    forward = jax.jit(lambda p, x: mlp_forward(p, x, jax.nn.relu, lambda z: z))
    results["jax.jit forward"] = timeit(lambda: np.asarray(forward(params, x1)), repeat)
    if keras is not None:
        k = build(keras)
        results["keras predict(1 sample)"] = timeit(lambda: k.predict(x1, verbose=0), repeat)
        results["keras model(x)"] = timeit(lambda: np.asarray(k(x1)), repeat)
        results["keras predict_on_batch"] = timeit(lambda: k.predict_on_batch(x1), repeat)
    return results


def bench_import():
    def measure(module):
        code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
        env = dict(os.environ, KERAS_BACKEND="jax")
        values = []
        for _ in range(3):
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 env=env, check=True)
            values.append(float(out.stdout.strip().splitlines()[-1]))
        return min(values)

    results = {"import neokeras": measure("neokeras"), "import jax": measure("jax")}
    if keras is not None:
        results["import keras"] = measure("keras")
    return results


def ratio(a, b):
    return f"{a / b:.2f}x" if a and b else "n/a"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    n_seed, n_big, epochs = (2000, 6000, 3) if args.quick else (10000, 60000, 4)

    x_seed = rng.standard_normal((n_seed, 2)).astype("float32")
    y_seed = (x_seed @ np.array([[1.5], [-2.0]], "float32") + 0.3).astype("float32")
    x_big = rng.standard_normal((n_big, 784)).astype("float32")
    y_big = np.eye(10, dtype="float32")[rng.integers(0, 10, n_big)]

    training = []
    training += bench_training(
        f"seed model Dense(5, input_dim=2)+Dense(1), SGD, batch 10, {n_seed} samples",
        seed_model, [2, 5, 1], x_seed, y_seed, 10, epochs,
        lambda lib: lib.optimizers.SGD(learning_rate=0.01), "mse",
        lambda: make_jax_sgd_loop(lambda z: z, lambda z: z, mse, 0.01), adam=False)
    training += bench_training(
        f"MLP 784-512-512-10, Adam, batch 128, {n_big} samples",
        big_mlp, [784, 512, 512, 10], x_big, y_big, 128, epochs,
        lambda lib: lib.optimizers.Adam(learning_rate=1e-3), "categorical_crossentropy",
        lambda: make_jax_adam_loop(jax.nn.relu, jax.nn.softmax, cce, 1e-3), adam=True)
    predict = bench_predict(repeat=200 if args.quick else 1000)
    imports = bench_import()

    lines = ["# Benchmark results", "",
             f"Command: `.venv/bin/python benchmarks/run_all.py{' --quick' if args.quick else ''}`",
             "", f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
             f"{platform.python_version()}, jax {jax.__version__}, neokeras "
             f"{neokeras.__version__}, keras {keras.__version__ if keras else 'not installed'}.",
             "", "## Training: median epoch time after the first (compiling) epoch", "",
             "| work | neokeras | hand-written jax.jit loop | Keras 3 (JAX) | neokeras / jax | "
             "Keras / neokeras |", "|---|---|---|---|---|---|"]
    for row in training:
        k = row.get("keras")
        lines.append(f"| {row['name']} | {row['neokeras'] * 1e3:.1f} ms | {row['jax'] * 1e3:.1f} ms"
                     f" | {f'{k * 1e3:.1f} ms' if k else 'n/a'} | {ratio(row['neokeras'], row['jax'])}"
                     f" | {ratio(k, row['neokeras'])} |")
    lines += ["", "First epoch (includes compilation):", "",
              "| work | neokeras | jax loop | Keras 3 |", "|---|---|---|---|"]
    for row in training:
        k = row.get("keras_first")
        lines.append(f"| {row['name']} | {row['neokeras_first']:.2f} s | {row['jax_first']:.2f} s"
                     f" | {f'{k:.2f} s' if k else 'n/a'} |")
    lines += ["", "## Inference on one sample (MLP 8-32-1), median per call", "",
              "| call | time | vs jax.jit forward |", "|---|---|---|"]
    floor = predict["jax.jit forward"]
    for name, seconds in predict.items():
        lines.append(f"| {name} | {seconds * 1e3:.3f} ms | {ratio(seconds, floor)} |")
    lines += ["", "## Import time (best of 3 fresh processes)", "", "| import | time |", "|---|---|"]
    for name, seconds in imports.items():
        lines.append(f"| {name} | {seconds:.2f} s |")
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.quick:
        (Path(__file__).parent / "RESULTS.md").write_text(text)


if __name__ == "__main__":
    main()
