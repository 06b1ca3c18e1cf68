"""Checks of training under `keras.distribution` on 8 simulated CPU devices.

Run as a script (by `test_training.py`, in a subprocess so the rest of the suite keeps its
devices): every `check_*` function runs, and one JSON line maps each name to "ok" or the
failure. Distributed runs are compared with one-device runs of the same model from the same seed.
"""

import os

os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=8"
os.environ["JAX_PLATFORMS"] = "cpu"
os.environ.setdefault("KERAS_BACKEND", "jax")

import functools  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import traceback  # noqa: E402

import numpy as np  # noqa: E402

import neokeras as keras  # noqa: E402
from neokeras import distribution as dist  # noqa: E402

RNG = np.random.default_rng(0)
X = RNG.normal(size=(100, 16)).astype("float32")
Y = RNG.normal(size=(100, 8)).astype("float32")
SEQ = RNG.normal(size=(48, 6, 16)).astype("float32")
SEQ_Y = RNG.integers(0, 4, size=(48,)).astype("int32")


def mlp():
    """Dense, BatchNormalization (statistics of the global batch; its steps cannot be padded,
    so the last batch of 100 samples, 4, is computed whole by every device) and Dropout."""
    keras.utils.set_random_seed(7)
    model = keras.Sequential([keras.Input((16,)),
                              keras.layers.Dense(32, activation="relu", name="dense_a"),
                              keras.layers.BatchNormalization(name="bn"),
                              keras.layers.Dropout(0.1),
                              keras.layers.Dense(8, name="dense_b")], name="mlp")
    model.compile(keras.optimizers.Adam(0.01), "mse", metrics=["mae"])
    return model


def transformer():
    keras.utils.set_random_seed(7)
    inputs = keras.Input((6, 16))
    attended = keras.layers.MultiHeadAttention(num_heads=4, key_dim=8, name="mha")(inputs, inputs)
    h = keras.layers.LayerNormalization(name="ln_1")(inputs + attended)
    f = keras.layers.Dense(32, activation="relu", name="ffn_in")(h)
    f = keras.layers.Dense(16, name="ffn_out")(f)
    h = keras.layers.LayerNormalization(name="ln_2")(h + f)
    outputs = keras.layers.Dense(4, name="head")(keras.layers.GlobalAveragePooling1D()(h))
    model = keras.Model(inputs, outputs)
    model.compile(keras.optimizers.AdamW(0.01), keras.losses.SparseCategoricalCrossentropy(
        from_logits=True), metrics=["accuracy"])
    return model


def train(make, x, y, distribution, batch_size, epochs=2):
    """(model, history, evaluate logs, predictions) of training `make()` under
    `distribution` (None: one device)."""
    keras.backend.clear_session()
    dist.set_distribution(distribution)
    try:
        model = make()
        history = model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0,
                            shuffle=True)
        scores = model.evaluate(x, y, batch_size=batch_size, verbose=0, return_dict=True)
        predictions = model.predict(x, batch_size=batch_size, verbose=0)
    finally:
        dist.set_distribution(None)
    return model, history.history, scores, predictions


_BASELINES = {}


def baseline(make, x, y, batch_size):
    key = (make.__name__, batch_size)
    if key not in _BASELINES:
        _BASELINES[key] = train(make, x, y, None, batch_size)
    return _BASELINES[key]


# The attention key bias adds the same q.b to every score of a query, which softmax ignores: its
# gradient is zero up to rounding, and Adam scales that rounding noise up to full-size steps, so
# its value differs between any two summation orders (1 vs 8 devices) by up to ~1e-4.
_ZERO_GRADIENT_WEIGHTS = {"mha/key/bias"}


def assert_same_run(run, reference, atol=2e-5):
    model, history, scores, predictions = run
    ref_model, ref_history, ref_scores, ref_predictions = reference
    for name in ref_history:
        np.testing.assert_allclose(history[name], ref_history[name], rtol=1e-5, atol=atol,
                                   err_msg=f"history[{name!r}]")
    for name in ref_scores:
        np.testing.assert_allclose(scores[name], ref_scores[name], rtol=1e-5, atol=atol,
                                   err_msg=f"evaluate {name!r}")
    np.testing.assert_allclose(predictions, ref_predictions, rtol=1e-5, atol=atol)
    for v, ref in zip(model.weights, ref_model.weights):
        assert v.path == ref.path, (v.path, ref.path)
        if v.path in _ZERO_GRADIENT_WEIGHTS:
            continue
        np.testing.assert_allclose(np.asarray(v), np.asarray(ref), rtol=1e-5, atol=atol,
                                   err_msg=v.path)


def spec(array):
    """The sharding spec with one entry per dimension (JAX drops trailing Nones)."""
    entries = tuple(array.sharding.spec)
    return entries + (None,) * (array.ndim - len(entries))


def specs(variables):
    return {v.path: spec(v.value) for v in variables}


def mesh_of(variables):
    meshes = {v.value.sharding.mesh.shape_tuple for v in variables}
    assert len(meshes) == 1, meshes
    return meshes.pop()


def slot_specs(model):
    """{path of a variable: spec of each of its optimizer slots}."""
    result = {}
    for v in model.trainable_variables:
        prefix = v.path.replace("/", "_") + "_"
        slots = [s for s in model.optimizer.variables if s.path.split("/", 1)[1].startswith(prefix)]
        result[v.path] = {spec(s.value) for s in slots}
    return result


def check_data_parallel_mlp():
    run = train(mlp, X, Y, dist.DataParallel(), batch_size=16)
    assert_same_run(run, baseline(mlp, X, Y, 16))
    model = run[0]
    state = model.variables + model.optimizer.variables + model.metrics_variables
    assert mesh_of(state) == (("batch", 8),)
    assert all(set(entries) <= {None} for entries in specs(state).values())


def check_model_parallel_mlp():
    mesh = dist.DeviceMesh((2, 4), ["batch", "model"])
    layout_map = dist.LayoutMap(mesh)
    layout_map[".*dense.*kernel"] = (None, "model")
    layout_map[".*dense.*bias"] = ("model",)
    # A layer's output laid out by its path "{layer path}/output" (an unusual layout, so that
    # it cannot come from sharding propagation alone).
    layout_map["mlp/dense_b/output"] = ("model", "batch")
    distribution = dist.ModelParallel(layout_map=layout_map)
    run = train(mlp, X, Y, distribution, batch_size=16)
    assert_same_run(run, baseline(mlp, X, Y, 16))
    model = run[0]
    with distribution.scope():
        assert spec(model(X[:16])) == ("model", "batch")
    assert specs(model.trainable_variables) == {
        "mlp/dense_a/kernel": (None, "model"), "mlp/dense_a/bias": ("model",),
        "mlp/bn/gamma": (None,), "mlp/bn/beta": (None,),
        "mlp/dense_b/kernel": (None, "model"), "mlp/dense_b/bias": ("model",)}
    slots = slot_specs(model)
    assert slots["mlp/dense_a/kernel"] == {(None, "model")}, slots
    assert slots["mlp/dense_b/bias"] == {("model",)}, slots


def check_fsdp_mlp():
    distribution = dist.ModelParallel(fsdp=True, fsdp_min_size=64)
    run = train(mlp, X, Y, distribution, batch_size=16)
    assert_same_run(run, baseline(mlp, X, Y, 16))
    model = run[0]
    # The largest dimension that divides over 8 devices is split; small variables replicate.
    assert specs(model.trainable_variables) == {
        "mlp/dense_a/kernel": (None, "batch"), "mlp/dense_a/bias": (None,),
        "mlp/bn/gamma": (None,), "mlp/bn/beta": (None,),
        "mlp/dense_b/kernel": ("batch", None), "mlp/dense_b/bias": (None,)}, \
        specs(model.trainable_variables)
    slots = slot_specs(model)
    assert slots["mlp/dense_a/kernel"] == {(None, "batch")}, slots
    assert slots["mlp/dense_b/kernel"] == {("batch", None)}, slots
    # Each device holds an eighth of a sharded kernel.
    kernel = model.trainable_variables[0].value
    assert {s.data.shape for s in kernel.addressable_shards} == {(16, 4)}


def check_data_parallel_transformer():
    run = train(transformer, SEQ, SEQ_Y, dist.DataParallel(), batch_size=16)
    assert_same_run(run, baseline(transformer, SEQ, SEQ_Y, 16))


def check_model_parallel_transformer():
    mesh = dist.DeviceMesh((2, 4), ["batch", "model"])
    layout_map = dist.LayoutMap(mesh)
    # Keras paths: a nested layer's variables sit under its parent ("mha/query/kernel").
    layout_map["mha/(query|key|value)/kernel"] = (None, "model", None)
    layout_map[".*attention_output/kernel"] = ("model", None, None)
    layout_map["ffn_in/kernel"] = (None, "model")
    layout_map["ffn_out/kernel"] = ("model", None)
    run = train(transformer, SEQ, SEQ_Y, dist.ModelParallel(layout_map=layout_map),
                batch_size=16)
    assert_same_run(run, baseline(transformer, SEQ, SEQ_Y, 16))
    found = specs(run[0].trainable_variables)
    assert found["mha/query/kernel"] == (None, "model", None), found
    assert found["ffn_out/kernel"] == ("model", None), found


def check_fsdp_transformer():
    run = train(transformer, SEQ, SEQ_Y, dist.ModelParallel(fsdp=True, fsdp_min_size=256),
                batch_size=16)
    assert_same_run(run, baseline(transformer, SEQ, SEQ_Y, 16))
    found = specs(run[0].trainable_variables)
    assert found["ffn_in/kernel"] == (None, "batch"), found
    assert found["head/kernel"] == (None, None), found  # 64 elements: below fsdp_min_size


def check_batch_is_split():
    """The arrays a compiled step receives are split over the batch axis."""
    from neokeras.trainers import distributed
    from neokeras.trainers.data_adapters.chunk import Chunk

    keras.backend.clear_session()
    mesh = dist.DeviceMesh((2, 4), ["batch", "model"])
    distribution = dist.ModelParallel(layout_map=dist.LayoutMap(mesh))
    adapter_chunks = [Chunk(
        (X[:32], Y[:32], None), np.arange(32).reshape(2, 16), None, 2, 0)]
    (chunk,) = distributed.chunks(adapter_chunks, distribution, "fit")
    x = chunk.data[0]
    assert x.shape == (2, 16, 16)
    assert spec(x) == (None, "batch", None), x.sharding
    assert {s.data.shape for s in x.addressable_shards} == {(2, 8, 16)}
    np.testing.assert_array_equal(np.asarray(x), X[:32].reshape(2, 16, 16))


def check_compiled_calls_run_one_at_a_time():
    """XLA:CPU deadlocks when two programs with collectives over more devices than cores are in
    flight (a plain jitted step dispatched back to back on 8 devices and 2 cores aborts within
    200 steps), so on CPU each compiled chunk under a distribution has run when its call returns
    (`backend.jax.distribution.settle`), and 400 such steps in a row complete."""
    import jax
    import jax.numpy as jnp

    from neokeras.trainers import distributed

    keras.backend.clear_session()
    distribution = dist.DataParallel()
    mesh = distribution.device_mesh.backend_mesh
    batch = distributed.plan(distribution, []).batch
    x = jax.device_put(X[:64], batch)

    @functools.partial(jax.jit, static_argnames="plan")
    def step(w, data, indices, weights, num_steps, plan=None):
        del indices, weights, num_steps, plan
        return w - 0.01 * jnp.mean(jnp.tanh(data[0] @ w), axis=0)[:, None]

    run = distributed.bind(step, distributed.plan(distribution, []), distribution)
    w = jnp.ones((16, 16))
    for _ in range(400):
        w = run(w, (x,), None, None, 1)
        assert w.is_ready()
    np.testing.assert_allclose(np.asarray(w), _numpy_steps(X[:64], 400), rtol=1e-4)


def _numpy_steps(x, steps):
    w = np.ones((16, 16), "float32")
    for _ in range(steps):
        w = w - 0.01 * np.tanh(x @ w).mean(axis=0)[:, None]
    return w


def other_entry_points(distribution):
    """Results of a model built outside `distribution` and then used under it: a generator's
    fit with validation, train/test_on_batch, predict on rows that do not divide the mesh,
    `model(x)`, and an eager fit whose last batch does not divide the mesh."""
    keras.backend.clear_session()
    model = mlp()

    def batches():
        for start in range(0, 96, 16):
            yield X[start:start + 16], Y[start:start + 16]

    dist.set_distribution(distribution)
    try:
        results = {"generator": model.fit(batches(), epochs=1, verbose=0, steps_per_epoch=6,
                                          validation_data=(X[:32], Y[:32])).history,
                   "train_on_batch": model.train_on_batch(X[:16], Y[:16]),
                   "test_on_batch": model.test_on_batch(X[16:32], Y[16:32]),
                   "predict_13": model.predict(X[:13], verbose=0),
                   "predict_on_batch": model.predict_on_batch(X[:5])}
        called = model(X[:16])
        results["call"] = np.asarray(called)
        results["call_sharded"] = distribution is None or spec(called)[0] == "batch"
        model.compile(keras.optimizers.SGD(0.1), "mse", run_eagerly=True)
        # Eager steps are not padded: the last batch (4 of 100 samples) cannot be split over 8
        # devices and is computed whole by each.
        results["eager"] = model.fit(X, Y, batch_size=16, epochs=1, verbose=0,
                                     shuffle=False).history
    finally:
        dist.set_distribution(None)
    results["weights"] = model.get_weights()
    return results


def _flat(value):
    if isinstance(value, dict):
        return [x for k in sorted(value) for x in _flat(value[k])]
    if isinstance(value, (list, tuple)):
        return [x for item in value for x in _flat(item)]
    return [np.asarray(value, dtype="float32")]


def check_other_entry_points():
    found = other_entry_points(dist.DataParallel())
    expected = other_entry_points(None)
    assert found.pop("call_sharded") is True
    expected.pop("call_sharded")
    assert sorted(found) == sorted(expected)
    for name, value in expected.items():
        for a, b in zip(_flat(found[name]), _flat(value), strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=2e-5, err_msg=name)


def expect_error(fn, *fragments):
    try:
        fn()
    except ValueError as e:
        message = str(e)
        missing = [f for f in fragments if f not in message]
        assert not missing, f"{missing} not in: {message}"
        return
    raise AssertionError("no ValueError raised")


def check_bad_batch_size():
    def fit():
        with dist.DataParallel().scope():
            model = mlp()
            model.fit(X[:96], Y[:96], batch_size=12, epochs=1, verbose=0)

    expect_error(fit, "fit", "12 samples", "8 devices", "'batch'", "divisible by 8")


def check_bad_layout():
    mesh = dist.DeviceMesh((2, 4), ["batch", "model"])
    layout_map = dist.LayoutMap(mesh)
    layout_map["dense_a/kernel"] = ("model", None)  # 16 rows over 4: fine
    layout_map["dense_b/kernel"] = (None, "model")  # 8 columns over 4: fine
    layout_map["dense_b/bias"] = ("batch",)
    with dist.ModelParallel(layout_map=layout_map).scope():
        keras.layers.Dense(8, name="dense_b").build((None, 32))
        expect_error(lambda: keras.layers.Dense(6, name="dense_b").build((None, 32)),
                     "dense_b/kernel", "(32, 6)", "dimension 1 (size 6)", "'model' (4 devices)")


def main():
    names = sys.argv[1:] or [n for n in globals() if n.startswith("check_")]
    results = {}
    for name in names:
        try:
            globals()[name]()
            results[name] = "ok"
        except Exception:  # noqa: BLE001  (reported to the test, which fails with it)
            results[name] = traceback.format_exc()
    print("RESULTS " + json.dumps(results))


if __name__ == "__main__":
    main()
