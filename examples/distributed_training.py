"""One training script for one device, a mesh of devices, and many hosts (`keras.distribution`).

Run as it is, it simulates 8 CPU devices and trains a small classifier three ways: data
parallel (variables replicated, batches split), model parallel (the hidden kernels split over a
"model" axis by a `LayoutMap`), and fully sharded (`ModelParallel(fsdp=True)`). Each run saves a
`.keras` checkpoint and loads it back on one device.

    python examples/distributed_training.py                 # 8 simulated CPU devices
    python examples/distributed_training.py --devices=real  # the machine's own devices

On several hosts, every host runs the same command with the job described by environment
variables; `keras.distribution.initialize()` reads them, and each process then feeds its own part
of the data (`batch_size` counts one process's rows). Checkpoints go to `--workdir=` (default: a
folder in the temporary directory), which must be shared by the hosts:

    KERAS_DISTRIBUTION_JOB_ADDRESSES=10.0.0.1:1234 KERAS_DISTRIBUTION_NUM_PROCESSES=2 \\
    KERAS_DISTRIBUTION_PROCESS_ID=0 python examples/distributed_training.py --devices=real \\
        --workdir=/shared/checkpoints
"""

import os
import sys

if __name__ == "__main__" and "--devices=real" not in sys.argv:
    # Must be set before JAX starts: the CPU then shows up as 8 devices.
    os.environ.setdefault("XLA_FLAGS", "--xla_force_host_platform_device_count=8")

import json  # noqa: E402
import tempfile  # noqa: E402

import numpy as np  # noqa: E402

import neokeras as keras  # noqa: E402
from neokeras import distribution  # noqa: E402


def make_data(num_processes=1, process_id=0, rows=512):
    """Two noisy interleaved spirals as 16 features; each process keeps every
    `num_processes`-th row starting at its own index."""
    rng = np.random.default_rng(0)
    t = rng.uniform(0.5, 3.0, rows)
    labels = rng.integers(0, 2, rows)
    angle = t * 3 + np.pi * labels
    points = np.stack([t * np.cos(angle), t * np.sin(angle)], axis=1)
    features = np.concatenate([points, rng.normal(0, 0.1, (rows, 14))], axis=1)
    return (features[process_id::num_processes].astype("float32"),
            labels[process_id::num_processes].astype("int32"))


def make_model():
    keras.utils.set_random_seed(1)
    model = keras.Sequential([
        keras.Input((16,)),
        keras.layers.Dense(64, activation="relu", name="hidden_1"),
        keras.layers.Dense(64, activation="relu", name="hidden_2"),
        keras.layers.Dense(2, name="logits"),
    ])
    model.compile(keras.optimizers.Adam(1e-2),
                  keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def make_distribution(strategy):
    """The distribution of `strategy` over every device of the job."""
    devices = distribution.list_devices()
    if strategy == "data_parallel":
        return distribution.DataParallel(devices=devices)
    if strategy == "fsdp":  # every large variable and its optimizer state split over "batch"
        return distribution.ModelParallel(fsdp=True, fsdp_min_size=1024)
    # Model parallel: a 2-D mesh; batches split over "batch", the hidden layers over "model".
    mesh = distribution.DeviceMesh((len(devices) // 2, 2), ["batch", "model"], devices)
    layout_map = distribution.LayoutMap(mesh)
    layout_map[".*hidden_1/kernel"] = (None, "model")  # columns split: each device computes
    layout_map[".*hidden_1/bias"] = ("model",)          # half of the hidden units
    layout_map[".*hidden_2/kernel"] = ("model", None)  # rows split: partial sums are added
    return distribution.ModelParallel(layout_map=layout_map, batch_dim_name="batch")


def run(strategy, epochs, workdir, batch_size=64):
    """Trains under `strategy`, saves, and reloads on one device. Returns what happened."""
    current = make_distribution(strategy)
    with current.scope():  # variables created here go straight to their shards
        model = make_model()
        x, y = make_data(current.num_processes, current.data_shard_id)
        history = model.fit(x, y, batch_size=batch_size // current.num_processes,
                            epochs=epochs, verbose=0)
        path = os.path.join(workdir, f"{strategy}.keras")
        model.save(path)  # shards are gathered; with several processes, process 0 writes
        kernel = model.get_layer("hidden_1").kernel.value
        predictions = model.predict(x, verbose=0)
    restored = keras.saving.load_model(path)  # outside the scope: on one device
    return {
        "loss": history.history["loss"],
        "accuracy": history.history["accuracy"][-1],
        "kernel_shard_shape": list(kernel.addressable_shards[0].data.shape),
        "kernel_shape": list(kernel.shape),
        "reload_max_difference": float(np.max(np.abs(
            restored.predict(x, verbose=0) - predictions))),
    }


def main(strategies=("data_parallel", "model_parallel", "fsdp"), epochs=10, workdir=None):
    if os.environ.get("KERAS_DISTRIBUTION_NUM_PROCESSES"):
        distribution.initialize()  # a multi-host job: join it before anything runs
    print(f"{distribution.get_device_count()} devices: {distribution.list_devices()}")
    workdir = workdir or os.path.join(tempfile.gettempdir(), "neokeras_distributed_example")
    os.makedirs(workdir, exist_ok=True)
    results = {}
    for strategy in strategies:
        results[strategy] = result = run(strategy, epochs, workdir)
        print(f"{strategy:>15}: loss {result['loss'][0]:.3f} -> {result['loss'][-1]:.3f}, "
              f"accuracy {result['accuracy']:.2%}, hidden_1 kernel "
              f"{result['kernel_shape']} held as shards of {result['kernel_shard_shape']}, "
              f"reloaded on one device: max difference {result['reload_max_difference']:.1e}")
    return results


if __name__ == "__main__":
    options = dict(a[2:].split("=", 1) for a in sys.argv[1:] if a.startswith("--") and "=" in a)
    print("RESULTS " + json.dumps(main(epochs=int(options.get("epochs", 10)),
                                       workdir=options.get("workdir"))))
