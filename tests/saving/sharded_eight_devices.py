"""Checks of checkpoints of sharded models on 8 simulated CPU devices.

Run as a script (by `test_sharded.py`, in a subprocess so the rest of the suite keeps its
devices): every `check_*` function runs, and one JSON line maps each name to "ok" or the
failure. A model trained under a distribution is saved (`.keras`, `.weights.h5`, legacy `.h5`)
and loaded on one device and under distributions, and the reverse; values are compared with the
trained model's, layouts with the distribution's.
"""

import os

os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=8"
os.environ["JAX_PLATFORMS"] = "cpu"
os.environ.setdefault("KERAS_BACKEND", "jax")

import json  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import traceback  # noqa: E402

import jax  # noqa: E402
import numpy as np  # noqa: E402

import neokeras as keras  # noqa: E402
from neokeras import distribution as dist  # noqa: E402

RNG = np.random.default_rng(0)
X = RNG.normal(size=(32, 12)).astype("float32")
Y = RNG.normal(size=(32, 4)).astype("float32")
DIR = tempfile.mkdtemp()
KINDS = ("keras", "weights.h5", "h5")


def make_model():
    keras.utils.set_random_seed(5)
    model = keras.Sequential([keras.Input((12,)),
                              keras.layers.Dense(16, activation="relu", name="dense_a"),
                              keras.layers.Dense(4, name="dense_b")])
    model.compile(keras.optimizers.Adam(0.01), "mse")
    return model


def model_parallel():
    mesh = dist.DeviceMesh((2, 4), ["batch", "model"], dist.list_devices())
    layout_map = dist.LayoutMap(mesh)
    layout_map["dense_a/kernel"] = (None, "model")
    layout_map["dense_a/bias"] = ("model",)
    layout_map["dense_b/kernel"] = ("model", None)
    return dist.ModelParallel(layout_map=layout_map, batch_dim_name="batch")


DISTRIBUTIONS = {
    "data_parallel": dist.DataParallel,
    "model_parallel": model_parallel,
    "fsdp": lambda: dist.ModelParallel(fsdp=True, fsdp_min_size=16),
}


def trained(distribution):
    """A model trained one epoch under `distribution` (None: one device)."""
    with _scope(distribution):
        model = make_model()
        model.fit(X, Y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    return model


def _scope(distribution):
    if distribution is None:
        import contextlib

        return contextlib.nullcontext()
    return distribution.scope()


def save_all(model, name):
    paths = {kind: os.path.join(DIR, f"{name}.{kind}") for kind in KINDS}
    model.save(paths["keras"])
    model.save_weights(paths["weights.h5"])
    model.save(paths["h5"])
    return paths


def load(path, kind, distribution):
    """The model in `path`, loaded under `distribution`: `load_model`, or `load_weights` into
    a new model built there."""
    with _scope(distribution):
        if kind == "weights.h5":
            model = make_model()
            model.load_weights(path)
            return model
        return keras.saving.load_model(path)


def state_variables(model):
    """Weights, then the optimizer's state (for files that store it)."""
    return list(model.weights), list(model.optimizer.variables)


def host(variable):
    return np.asarray(variable.value)


def assert_same_values(loaded, expected, with_optimizer, what):
    """The same weights (and optimizer state, when the file was loaded with it)."""
    weights, slots = state_variables(loaded)
    ref_weights, ref_slots = state_variables(expected)
    pairs = list(zip(weights, ref_weights))
    assert len(weights) == len(ref_weights), what
    if with_optimizer:
        assert len(slots) == len(ref_slots), (what, len(slots), len(ref_slots))
        pairs += list(zip(slots, ref_slots))
    for ours, theirs in pairs:
        np.testing.assert_allclose(host(ours), host(theirs), rtol=1e-6, atol=1e-7,
                                   err_msg=f"{what}: {ours.path}")


def assert_laid_out(model, distribution, what):
    """Every weight and optimizer variable carries the layout `distribution` gives it."""
    weights, slots = state_variables(model)
    for variable in weights + (slots if model.optimizer.built else []):
        expected = distribution.get_variable_layout(variable).backend_layout
        actual = variable.value.sharding
        assert actual.is_equivalent_to(expected, variable.ndim), \
            f"{what}: {variable.path} has {actual}, expected {expected}"


def _spy_on_whole_transfers():
    """Records `jax.device_put` calls that put a whole float array on a single device."""
    calls = []
    original = jax.device_put

    def spy(x, device=None, *args, **kwargs):
        if device is None or isinstance(device, (jax.Device, jax.sharding.SingleDeviceSharding)):
            shape = np.shape(x)
            if len(shape) >= 1 and np.issubdtype(np.asarray(x).dtype, np.floating) \
                    and int(np.prod(shape)) >= 16:
                calls.append(shape)
        return original(x, device, *args, **kwargs)

    return calls, spy, original


# ---------------------------------------------------------------------- checks
def check_trained_distributed_loads_on_one_device():
    for name, make in DISTRIBUTIONS.items():
        model = trained(make())
        paths = save_all(model, name)
        for kind, path in paths.items():
            loaded = load(path, kind, None)
            assert_same_values(loaded, model, kind != "weights.h5" or loaded.optimizer.built,
                               f"{name} -> one device ({kind})")
            kernel = loaded.get_layer("dense_a").kernel.value
            assert len(kernel.sharding.device_set) == 1, f"{name} {kind}: {kernel.sharding}"
            np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0),
                                       rtol=1e-5, atol=1e-6)


def check_one_device_loads_under_each_distribution():
    model = trained(None)
    paths = save_all(model, "single")
    for name, make in DISTRIBUTIONS.items():
        distribution = make()
        for kind, path in paths.items():
            loaded = load(path, kind, distribution)
            assert_same_values(loaded, model, kind != "weights.h5" or loaded.optimizer.built,
                               f"one device -> {name} ({kind})")
            assert_laid_out(loaded, distribution, f"one device -> {name} ({kind})")


def check_model_parallel_layouts_are_really_split():
    distribution = model_parallel()
    model = trained(distribution)
    paths = save_all(model, "mp_layouts")
    loaded = load(paths["keras"], "keras", distribution)
    kernel = loaded.get_layer("dense_a").kernel.value
    assert kernel.sharding.spec == jax.sharding.PartitionSpec(None, "model"), kernel.sharding
    # Each device holds a quarter of the columns (4 model shards), not the whole kernel.
    assert {shard.data.shape for shard in kernel.addressable_shards} == {(12, 4)}


def check_loading_under_a_distribution_never_puts_a_whole_weight_on_one_device():
    distribution = model_parallel()
    model = trained(distribution)
    paths = save_all(model, "no_whole")
    for kind, path in paths.items():
        with distribution.scope():
            target = make_model()
            target.optimizer.build(target.trainable_variables)
            calls, spy, original = _spy_on_whole_transfers()
            jax.device_put = spy
            try:
                target.load_weights(path)
            finally:
                jax.device_put = original
        assert not calls, f"{kind}: whole arrays put on one device: {calls}"
        assert_laid_out(target, distribution, kind)
        # A legacy `.h5` file's optimizer state is restored by `load_model` only (as in Keras).
        assert_same_values(target, model, kind != "h5", kind)


def check_training_resumes_identically_after_a_round_trip():
    # Train, save, load under another distribution, train on: the same as training on
    # without the round trip on one device.
    first = trained(model_parallel())
    path = save_all(first, "resume")["keras"]
    with dist.DataParallel().scope():
        resumed = keras.saving.load_model(path)
        resumed.fit(X, Y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    straight = keras.saving.load_model(path)
    straight.fit(X, Y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    assert_same_values(resumed, straight, True, "resumed")


def check_backup_and_restore_resumes_a_sharded_run():
    distribution = model_parallel()
    backup_dir = os.path.join(DIR, "backup")
    with distribution.scope():
        straight = make_model()
        straight.fit(X, Y, batch_size=8, epochs=2, shuffle=False, verbose=0)
        interrupted = make_model()
        interrupted.fit(X, Y, batch_size=8, epochs=1, shuffle=False, verbose=0, callbacks=[
            keras.callbacks.BackupAndRestore(backup_dir, delete_checkpoint=False)])
        resumed = make_model()
        history = resumed.fit(X, Y, batch_size=8, epochs=2, shuffle=False, verbose=0,
                              callbacks=[keras.callbacks.BackupAndRestore(backup_dir)])
    assert len(history.history["loss"]) == 1, history.history  # resumed at the second epoch
    assert_same_values(resumed, straight, True, "resumed from backup")
    assert_laid_out(resumed, distribution, "resumed from backup")
    assert not os.path.exists(os.path.join(backup_dir, "training_state.npz"))


def main():
    results = {}
    for name, fn in sorted(globals().items()):
        if name.startswith("check_") and callable(fn):
            keras.backend.clear_session()
            dist.set_distribution(None)
            try:
                fn()
                results[name] = "ok"
            except Exception:  # noqa: BLE001  (reported to the test, which fails on it)
                results[name] = traceback.format_exc(limit=6)
    print("RESULTS " + json.dumps(results))


if __name__ == "__main__":
    sys.exit(main())
