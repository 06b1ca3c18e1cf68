"""JaxLayer and FlaxLayer: training in fit, state updates, weights order and files against real
Keras 3."""

import numpy as np
import pytest

import neokeras as nk

jax = pytest.importorskip("jax")
jnp = jax.numpy


def init_fn(rng, inputs):
    k1, _ = jax.random.split(rng)
    return {"w": jax.random.normal(k1, (inputs.shape[-1], 2)) * 0.5, "b": jnp.zeros((2,))}


def call_fn(params, inputs):
    return jnp.tanh(inputs @ params["w"]) + params["b"]


def stateful_init(rng, inputs):
    return init_fn(rng, inputs), {"count": jnp.zeros(())}


def stateful_call(params, state, rng, inputs, training):
    outputs = call_fn(params, inputs)
    if training:
        outputs = outputs + 0.0 * jax.random.normal(rng, outputs.shape)
    return outputs, {"count": state["count"] + 1}


def _data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((32, 3)).astype("float32")
    return x, np.tanh(x @ np.full((3, 2), 0.3, "float32"))


def test_jax_layer_trains_in_fit():
    x, y = _data()
    layer = nk.layers.JaxLayer(call_fn, init_fn, seed=1)
    model = nk.Sequential([nk.Input((3,)), layer])
    model.compile(nk.optimizers.Adam(0.05), "mse")
    first = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=20, verbose=0)
    assert model.evaluate(x, y, verbose=0) < first / 2
    assert [v.name for v in layer.trainable_weights] and len(layer.weights) == 2
    # Sorted-key order, as jax.tree_util (and Keras) walk the params: b, then w.
    assert [tuple(v.shape) for v in layer.weights] == [(2,), (3, 2)]


def test_jax_layer_state_is_non_trainable_and_updated():
    x, y = _data()
    layer = nk.layers.JaxLayer(stateful_call, stateful_init, seed=2)
    model = nk.Sequential([nk.Input((3,)), layer])
    model.compile("sgd", "mse")
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    (count,) = layer.non_trainable_weights
    assert float(count.numpy()) == 4.0
    assert len(layer.trainable_weights) == 2


def test_jax_layer_with_given_params_matches_keras():
    real = pytest.importorskip("keras")
    params = {"w": np.arange(6, dtype="float32").reshape(3, 2) / 10, "b": np.ones(2, "float32")}
    x, _ = _data()
    ours = nk.layers.JaxLayer(call_fn, params=params)
    theirs = real.layers.JaxLayer(call_fn, params=params)
    np.testing.assert_allclose(np.asarray(ours(x)), np.asarray(theirs(x)), rtol=1e-6)


def test_jax_layer_files_round_trip_and_keras_files_load(tmp_path):
    # Real Keras builds a JaxLayer through TensorFlow (absent here) unless it gets `params`, so
    # the Keras side writes a file with given params and neokeras reads it; neokeras's own
    # files round-trip.
    real = pytest.importorskip("keras")
    x, _ = _data()
    custom = {"init_fn": init_fn, "call_fn": call_fn}
    params = {"w": np.full((3, 2), 0.2, "float32"), "b": np.full((2,), 0.1, "float32")}
    theirs = real.Sequential([real.Input((3,)),
                              real.layers.JaxLayer(call_fn, init_fn, params=params)])
    theirs.save(tmp_path / "theirs.keras")
    loaded = nk.saving.load_model(tmp_path / "theirs.keras", custom_objects=custom,
                                  safe_mode=False)
    np.testing.assert_allclose(loaded.predict(x, verbose=0),
                               np.asarray(theirs.predict(x, verbose=0)), rtol=1e-5, atol=1e-6)
    ours = nk.Sequential([nk.Input((3,)), nk.layers.JaxLayer(call_fn, init_fn, seed=4)])
    ours.save(tmp_path / "ours.keras")
    again = nk.saving.load_model(tmp_path / "ours.keras", custom_objects=custom, safe_mode=False)
    np.testing.assert_allclose(again.predict(x, verbose=0), ours.predict(x, verbose=0),
                               rtol=1e-6)


def test_jax_layer_argument_errors():
    with pytest.raises(ValueError, match="must take an `inputs` argument"):
        nk.layers.JaxLayer(lambda params, x: x, params={})
    with pytest.raises(ValueError, match=r"unsupported argument\(s\) \['extra'\]"):
        nk.layers.JaxLayer(lambda inputs, extra: inputs)
    with pytest.raises(ValueError, match="give `init_fn`, `params` or `state`"):
        nk.layers.JaxLayer(call_fn)


def test_flax_layer_trains_updates_batch_stats_and_matches_flax():
    linen = pytest.importorskip("flax.linen")

    class Net(linen.Module):
        @linen.compact
        def __call__(self, x, training):
            x = linen.Dense(4)(x)
            x = linen.BatchNorm(use_running_average=not training, momentum=0.5)(x)
            return linen.Dense(2)(x)

    x, y = _data()
    layer = nk.layers.FlaxLayer(Net(), seed=3)
    model = nk.Sequential([nk.Input((3,)), layer])
    model.compile(nk.optimizers.Adam(0.05), "mse")
    first = model.evaluate(x, y, verbose=0)
    stats = [np.array(v.numpy()) for v in layer.non_trainable_weights]
    model.fit(x, y, epochs=20, verbose=0)
    assert model.evaluate(x, y, verbose=0) < first
    assert len(layer.trainable_weights) == 6 and len(stats) == 2
    assert not np.allclose(stats[0], layer.non_trainable_weights[0].numpy())
    # The same variables in Flax give the same inference outputs; the weights follow
    # jax.tree_util's order of the variables (real Keras's order).
    def values(structure):
        return nk.utils.tree.map_structure(lambda v: np.asarray(v.numpy()), structure)

    variables = {"params": values(layer.params["params"]),
                 "batch_stats": values(layer.state["batch_stats"])}
    expected = Net().apply(variables, x, training=False)
    np.testing.assert_allclose(np.asarray(layer(x)), np.asarray(expected), rtol=1e-5, atol=1e-6)
    leaves = jax.tree_util.tree_leaves({"params": variables["params"]}) + \
        jax.tree_util.tree_leaves({"batch_stats": variables["batch_stats"]})
    assert [tuple(v.shape) for v in leaves] == [tuple(w.shape) for w in layer.weights]
