"""Training under `keras.distribution` on 8 simulated CPU devices: epoch times and the bytes of
variables and optimizer slots each device holds (replicated vs. fully sharded).

Simulated devices share the host's cores, so the times show the overhead of the distributed
path (batches gathered on the host and sent split over the mesh, one SPMD program), not a
speed-up. Usage: `python benchmarks/bench_distribution.py`.
"""

import os

os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=8"
os.environ["JAX_PLATFORMS"] = "cpu"
os.environ["KERAS_BACKEND"] = "jax"

import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

SAMPLES, FEATURES, BATCH, EPOCHS = 8192, 64, 128, 4


def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(SAMPLES, FEATURES)).astype("float32")
    return x, rng.integers(0, 10, size=(SAMPLES,)).astype("int32")


def build(keras):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((FEATURES,)), keras.layers.Dense(512, activation="relu"),
                              keras.layers.Dense(512, activation="relu"), keras.layers.Dense(10)])
    model.compile(keras.optimizers.Adam(1e-3),
                  keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


class EpochTimes:
    def __init__(self):
        self.times = []

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.times.append(time.perf_counter() - self.start)


def epoch_times(keras, distribution):
    x, y = data()
    keras.distribution.set_distribution(distribution)
    try:
        model = build(keras)
        timer = EpochTimes()
        callback = type("Timer", (keras.callbacks.Callback,), {
            "on_epoch_begin": lambda self, e, logs=None: timer.on_epoch_begin(e),
            "on_epoch_end": lambda self, e, logs=None: timer.on_epoch_end(e)})()
        model.fit(x, y, batch_size=BATCH, epochs=EPOCHS, verbose=0, callbacks=[callback])
    finally:
        keras.distribution.set_distribution(None)
    return timer.times[0], statistics.median(timer.times[1:]), model


def bytes_on_device_0(model):
    total = 0
    for v in model.trainable_variables + model.optimizer.variables:
        for shard in v.value.addressable_shards:
            if shard.device.id == 0:
                total += shard.data.nbytes
    return total


def main():
    import keras

    import neokeras

    rows = []
    for label, distribution in [
            ("one device (no distribution)", None),
            ("DataParallel, 1-device mesh", neokeras.distribution.DataParallel(
                devices=neokeras.distribution.list_devices()[:1])),
            ("DataParallel, 8 devices", neokeras.distribution.DataParallel()),
            ("ModelParallel(fsdp=True), 8 devices",
             neokeras.distribution.ModelParallel(fsdp=True))]:
        first, median, model = epoch_times(neokeras, distribution)
        rows.append((label, f"{first:.2f} s", f"{median * 1000:.0f} ms",
                     f"{bytes_on_device_0(model) / 2**20:.2f} MiB"))
    # Keras 3's DataParallel on simulated CPU devices aborts here (an XLA CPU all-reduce
    # rendezvous times out), so Keras is timed on one device only.
    keras_median = epoch_times(keras, None)[1]
    print(f"MLP {FEATURES}-512-512-10, Adam, batch {BATCH}, {SAMPLES} samples, {EPOCHS} epochs; "
          f"Keras 3 on one device: median epoch {keras_median * 1000:.0f} ms")
    print("| run | first epoch | median epoch | variables + slots on device 0 |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
