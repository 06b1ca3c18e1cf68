"""Training throughput on one core: neokeras vs Keras 3 (JAX) vs hand-written JAX vs PyTorch.

Models (issue 17's "Done when"):
  cnn:  Conv2D(32, 3, relu) + MaxPooling2D(2) + Conv2D(64, 3, relu) + MaxPooling2D(2) + Flatten
        + Dense(10, softmax) on 28x28x1, Adam, batch 128, sparse categorical cross-entropy.
  lstm: Embedding(10000, 64) + LSTM(64) + Dense(1, sigmoid) on sequences of 100 tokens, Adam,
        batch 64, binary cross-entropy.
  mlp:  Dense 784-512-512-10 (relu, relu, softmax), Adam, batch 128; also the float32 matmul
        rate numpy reaches on the same core (GFLOP/s), for the "75% of peak" target.

Every framework runs in its own process pinned to one core (`taskset -c 0`; `--core N` for
another), one after the other in rounds, so that they share the machine's load alike; a figure
is the best steady epoch (samples/s, epochs after the first, compiling one) over all rounds, by
wall time and by the process's CPU time (on a busy shared machine the CPU time is the comparable
one; on an idle core the two agree). PyTorch runs from another interpreter (`--torch-python`,
e.g. a throwaway venv with torch for CPU), with one thread. The last lines print the issue's
figures as a table: each model's neokeras / PyTorch ratio and the MLP's GFLOP/s against numpy's
matmul peak.

    .venv/bin/python benchmarks/bench_vs_torch.py --torch-python /tmp/torchvenv/bin/python \
        [--models cnn lstm mlp] [--rounds 2]
    .venv/bin/python benchmarks/bench_vs_torch.py --memory   # RSS over predict calls / builds
"""

import argparse
import json
import os
import subprocess
import sys
import time

SPECS = {  # batch size, steps per epoch, epochs
    "cnn": (128, 8, 3),
    "lstm": (64, 16, 3),
    "mlp": (128, 40, 3),
}
MLP_SIZES = (784, 512, 512, 10)


def data(model):
    import numpy as np

    batch, steps, _ = SPECS[model]
    rng = np.random.default_rng(0)
    n = batch * steps
    if model == "cnn":
        return rng.random((n, 28, 28, 1), dtype=np.float32), rng.integers(0, 10, n)
    if model == "lstm":
        return rng.integers(0, 10000, (n, 100)), rng.integers(0, 2, n).astype(np.float32)
    return rng.random((n, 784), dtype=np.float32), rng.integers(0, 10, n)


class EpochClock:
    """Wall and CPU (process) time of each epoch. On a pinned, otherwise busy core the CPU time
    is what the framework itself spent, so it is the figure that other load disturbs least."""

    def __init__(self):
        self.wall, self.cpu = [], []

    def start(self):
        self._start = time.perf_counter(), time.process_time()

    def stop(self):
        self.wall.append(time.perf_counter() - self._start[0])
        self.cpu.append(time.process_time() - self._start[1])

    def samples_per_second(self, samples):
        """Best steady epoch (the first, compiling one left out), by wall and by CPU time."""
        return {"wall": samples / min(self.wall[1:]), "cpu": samples / min(self.cpu[1:])}


# ---- Keras API (neokeras or Keras 3) ----

def keras_model(lib, model):
    layers = lib.layers
    if model == "cnn":
        net = lib.Sequential([
            lib.Input((28, 28, 1)), layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(2), layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(2), layers.Flatten(), layers.Dense(10, activation="softmax")])
        loss = "sparse_categorical_crossentropy"
    elif model == "lstm":
        net = lib.Sequential([lib.Input((100,), dtype="int32"), layers.Embedding(10000, 64),
                              layers.LSTM(64), layers.Dense(1, activation="sigmoid")])
        loss = "binary_crossentropy"
    else:
        net = lib.Sequential([lib.Input((784,)), layers.Dense(512, activation="relu"),
                              layers.Dense(512, activation="relu"),
                              layers.Dense(10, activation="softmax")])
        loss = "sparse_categorical_crossentropy"
    net.compile(optimizer=lib.optimizers.Adam(1e-3), loss=loss)
    return net


def run_keras(lib_name, model):
    os.environ["KERAS_BACKEND"] = "jax"
    if lib_name == "neokeras":
        import neokeras as lib
    else:
        import keras as lib
    x, y = data(model)
    batch, steps, epochs = SPECS[model]
    net = keras_model(lib, model)
    clock = EpochClock()

    class Timer(lib.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            clock.start()

        def on_epoch_end(self, epoch, logs=None):
            clock.stop()

    net.fit(x, y, batch_size=batch, epochs=epochs, shuffle=False, verbose=0,
            callbacks=[Timer()])
    return clock.samples_per_second(len(x))


# ---- hand-written JAX (one jax.jit step per batch, Adam written out) ----

def run_jax(model):
    import jax
    import jax.numpy as jnp
    import numpy as np
    from jax import lax

    x, y = data(model)
    batch, steps, epochs = SPECS[model]
    rng = np.random.default_rng(1)

    def glorot(*shape):
        fan_in = np.prod(shape[:-1])
        return jnp.asarray(rng.uniform(-1, 1, shape).astype(np.float32) / np.sqrt(fan_in))

    if model == "cnn":
        params = [glorot(3, 3, 1, 32), jnp.zeros(32), glorot(3, 3, 32, 64), jnp.zeros(64),
                  glorot(1600, 10), jnp.zeros(10)]

        def forward(p, xb):
            h = xb
            for kernel, bias in ((p[0], p[1]), (p[2], p[3])):
                h = lax.conv_general_dilated(h, kernel, (1, 1), "VALID",
                                             dimension_numbers=("NHWC", "HWIO", "NHWC"))
                h = jax.nn.relu(h + bias)
                h = lax.reduce_window(h, -jnp.inf, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")
            return h.reshape(h.shape[0], -1) @ p[4] + p[5]

        def loss(p, xb, yb):
            logits = forward(p, xb)
            return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), yb[:, None], 1))
    elif model == "lstm":
        params = [glorot(10000, 64), glorot(64, 256), glorot(64, 256), jnp.zeros(256),
                  glorot(64, 1), jnp.zeros(1)]

        def loss(p, xb, yb):
            emb, kernel, recurrent, bias, dense, dense_bias = p
            projected = jnp.take(emb, xb, axis=0) @ kernel + bias  # (batch, 100, 256)

            def cell(carry, z_x):
                h, c = carry
                z = z_x + h @ recurrent
                i, f, g, o = jnp.split(z, 4, axis=-1)
                c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
                h = jax.nn.sigmoid(o) * jnp.tanh(c)
                return (h, c), None

            zeros = jnp.zeros((xb.shape[0], 64))
            (h, _), _ = lax.scan(cell, (zeros, zeros), jnp.swapaxes(projected, 0, 1))
            logits = (h @ dense + dense_bias)[:, 0]
            return jnp.mean(jnp.maximum(logits, 0) - logits * yb
                            + jnp.log1p(jnp.exp(-jnp.abs(logits))))
    else:
        params = []
        for n_in, n_out in zip(MLP_SIZES[:-1], MLP_SIZES[1:]):
            params += [glorot(n_in, n_out), jnp.zeros(n_out)]

        def loss(p, xb, yb):
            h = xb
            for i in range(0, len(p) - 2, 2):
                h = jax.nn.relu(h @ p[i] + p[i + 1])
            logits = h @ p[-2] + p[-1]
            return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), yb[:, None], 1))

    @jax.jit
    def step(p, m, v, t, xb, yb):
        grads = jax.grad(loss)(p, xb, yb)
        t = t + 1
        m = [0.9 * a + 0.1 * g for a, g in zip(m, grads)]
        v = [0.999 * a + 0.001 * g * g for a, g in zip(v, grads)]
        scale = 1e-3 * jnp.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
        p = [w - scale * a / (jnp.sqrt(b) + 1e-7) for w, a, b in zip(p, m, v)]
        return p, m, v, t

    xs, ys = jnp.asarray(x), jnp.asarray(y)
    m = [jnp.zeros_like(w) for w in params]
    v = [jnp.zeros_like(w) for w in params]
    t = jnp.zeros((), jnp.float32)
    clock = EpochClock()
    for _ in range(epochs):
        clock.start()
        for i in range(steps):
            params, m, v, t = step(params, m, v, t, xs[i * batch:(i + 1) * batch],
                                   ys[i * batch:(i + 1) * batch])
        jax.block_until_ready(params)
        clock.stop()
    return clock.samples_per_second(len(x))


# ---- hand-written PyTorch ----

def run_torch(model):
    import torch
    from torch import nn

    torch.set_num_threads(1)
    torch.manual_seed(0)
    x, y = data(model)
    batch, steps, epochs = SPECS[model]
    if model == "cnn":
        net = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3),
                            nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1600, 10))
        xs = torch.from_numpy(x).permute(0, 3, 1, 2).contiguous()  # NCHW, PyTorch's layout
        ys = torch.from_numpy(y).long()
        loss_fn = nn.CrossEntropyLoss()
    elif model == "lstm":
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.emb = nn.Embedding(10000, 64)
                self.lstm = nn.LSTM(64, 64, batch_first=True)
                self.out = nn.Linear(64, 1)

            def forward(self, tokens):
                _, (h, _) = self.lstm(self.emb(tokens))
                return self.out(h[0])[:, 0]

        net = Net()
        xs, ys = torch.from_numpy(x).long(), torch.from_numpy(y)
        loss_fn = nn.BCEWithLogitsLoss()
    else:
        net = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                            nn.Linear(512, 10))
        xs, ys = torch.from_numpy(x), torch.from_numpy(y).long()
        loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    clock = EpochClock()
    for _ in range(epochs):
        clock.start()
        for i in range(steps):
            optimizer.zero_grad()
            loss = loss_fn(net(xs[i * batch:(i + 1) * batch]), ys[i * batch:(i + 1) * batch])
            loss.backward()
            optimizer.step()
        clock.stop()
    return clock.samples_per_second(len(x))


# ---- numpy's float32 matmul rate, and the MLP's training FLOPs ----

def numpy_peak():
    """numpy's best float32 matmul rate over a few sizes, GFLOP/s by wall and by CPU time."""
    import numpy as np

    rng = np.random.default_rng(0)
    best = {"wall": 0.0, "cpu": 0.0}
    for m, k, n in ((128, 784, 512), (128, 512, 512), (512, 512, 512), (1024, 1024, 1024)):
        a = rng.random((m, k), dtype=np.float32)
        b = rng.random((k, n), dtype=np.float32)
        a @ b
        reps = max(3, int(1e9 / (2 * m * k * n)))
        for _ in range(3):
            wall, cpu = time.perf_counter(), time.process_time()
            for _ in range(reps):
                a @ b
            for key, seconds in (("wall", time.perf_counter() - wall),
                                 ("cpu", time.process_time() - cpu)):
                best[key] = max(best[key], 2 * m * k * n * reps / seconds / 1e9)
    return best


def mlp_train_flops_per_sample():
    """Forward and backward matrix products of one sample (no input gradient): 6 per weight
    but 4 for the first layer's."""
    weights = [a * b for a, b in zip(MLP_SIZES[:-1], MLP_SIZES[1:])]
    return 6 * sum(weights) - 2 * weights[0]


# ---- memory ----

def rss_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024


def memory():
    import numpy as np

    import neokeras as keras

    def build():
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(32, activation="relu"),
                                  keras.layers.Dense(1)])
        model.compile("adam", "mse")
        return model

    model = build()
    x = np.ones((1, 8), "float32")
    predict_rss = []
    for i in range(10001):
        model.predict(x, verbose=0)
        if i in (100, 2500, 5000, 7500, 10000):
            predict_rss.append(round(rss_mib(), 1))
    build_rss = []
    for i in range(501):
        build()(x)
        if i in (50, 125, 250, 375, 500):
            build_rss.append(round(rss_mib(), 1))
    return {"predict_rss_mib_at_100_2500_5000_7500_10000": predict_rss,
            "build_rss_mib_at_50_125_250_375_500": build_rss}


def worker(framework, model):
    if framework == "numpy_peak":
        return numpy_peak()
    if framework == "torch":
        return run_torch(model)
    if framework == "jax":
        return run_jax(model)
    return run_keras(framework, model)


def spawn(python, *args, core=0):
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1"}
    out = subprocess.run(["taskset", "-c", str(core), python, os.path.abspath(__file__), *args],
                         capture_output=True, text=True, env=env)
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", nargs=2, metavar=("FRAMEWORK", "MODEL"))
    parser.add_argument("--torch-python", help="an interpreter with torch (CPU) installed")
    parser.add_argument("--models", nargs="+", default=["cnn", "lstm", "mlp"])
    parser.add_argument("--frameworks", nargs="+",
                        default=["neokeras", "keras", "jax", "torch"])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--core", type=int, default=0, help="the core every process is pinned to")
    parser.add_argument("--memory", action="store_true")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return
    if args.memory:
        result = spawn(sys.executable, "--worker-memory")
        print(json.dumps(result))
        return
    results = {}
    for round_ in range(args.rounds):
        for model in args.models:
            jobs = [(f, model) for f in args.frameworks if f != "torch" or args.torch_python]
            if model == "mlp":
                jobs.append(("numpy_peak", "-"))
            for framework, m in jobs:
                python = args.torch_python if framework == "torch" else sys.executable
                load = os.getloadavg()[0]
                value = spawn(python, "--worker", framework, m, core=args.core)
                key = f"{m}/{framework}"
                print(f"round {round_ + 1} {key}: {value} (load {load:.1f})", flush=True)
                if "error" not in value:
                    best = results.setdefault(key, {"wall": 0.0, "cpu": 0.0})
                    for clock in best:
                        best[clock] = max(best[clock], value[clock])
    print(json.dumps(results, indent=1))
    report(results)


def report(results):
    """The issue's figures as ratios, by wall time and by CPU time (best over the rounds)."""
    print("\n| figure | by wall time | by CPU time |\n|---|---|---|")
    for model in ("cnn", "lstm", "mlp"):
        for framework in ("neokeras", "keras", "jax", "torch"):
            value = results.get(f"{model}/{framework}")
            if value:
                print(f"| {model} {framework} samples/s | {value['wall']:.0f} | {value['cpu']:.0f} |")
        mine, torch = results.get(f"{model}/neokeras"), results.get(f"{model}/torch")
        if mine and torch:
            print(f"| **{model} neokeras / PyTorch** | **{mine['wall'] / torch['wall']:.2f}** | "
                  f"**{mine['cpu'] / torch['cpu']:.2f}** |")
    mine, peak = results.get("mlp/neokeras"), results.get("-/numpy_peak")
    if mine and peak:
        flops = mlp_train_flops_per_sample() / 1e9
        print(f"| numpy float32 matmul peak, GFLOP/s | {peak['wall']:.1f} | {peak['cpu']:.1f} |")
        print("| MLP neokeras, GFLOP/s | " + " | ".join(
            f"{mine[c] * flops:.1f}" for c in ("wall", "cpu")) + " |")
        print("| **MLP neokeras / numpy peak** | " + " | ".join(
            f"**{mine[c] * flops / peak[c]:.0%}**" for c in ("wall", "cpu")) + " |")

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker-memory":
        print(json.dumps(memory()))
    else:
        main()
