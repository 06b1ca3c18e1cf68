"""Checkpoint time of a sharded model on 8 simulated CPU devices: `save_weights`/`load_weights`
(`.weights.h5`) and `save`/`load_model` (`.keras`, optimizer state included) of a 12.6M-parameter
MLP on one device, data parallel (replicated) and fully sharded (`ModelParallel(fsdp=True)`).

    python benchmarks/bench_sharded_checkpoint.py

Prints one line per case: the median of 3 runs of each operation.
"""

import os

os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=8"
os.environ["JAX_PLATFORMS"] = "cpu"

import contextlib  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import neokeras as keras  # noqa: E402
from neokeras import distribution as dist  # noqa: E402

WIDTH = 2048


def make_model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((WIDTH,))] +
                             [keras.layers.Dense(WIDTH, name=f"dense_{i}") for i in range(3)])
    model.compile(keras.optimizers.Adam(), "mse")
    model.optimizer.build(model.trainable_variables)
    return model


def median_seconds(fn, runs=3):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def case(name, distribution, workdir):
    with distribution.scope() if distribution is not None else contextlib.nullcontext():
        model = make_model()
        weights = os.path.join(workdir, f"{name}.weights.h5")
        archive = os.path.join(workdir, f"{name}.keras")
        times = {
            "save_weights": median_seconds(lambda: model.save_weights(weights)),
            "load_weights": median_seconds(lambda: model.load_weights(weights)),
            "save .keras": median_seconds(lambda: model.save(archive)),
            "load_model": median_seconds(lambda: keras.saving.load_model(archive)),
        }
    params = sum(v.numpy().size for v in model.weights)
    shard = model.get_layer("dense_0").kernel.value.addressable_shards[0].data.shape
    print(f"{name:>14} ({params / 1e6:.1f}M params, kernel shard {shard}): " +
          ", ".join(f"{op} {seconds:.2f} s" for op, seconds in times.items()))


def main():
    with tempfile.TemporaryDirectory() as workdir:
        case("one device", None, workdir)
        case("data parallel", dist.DataParallel(), workdir)
        case("fsdp", dist.ModelParallel(fsdp=True), workdir)


if __name__ == "__main__":
    main()
