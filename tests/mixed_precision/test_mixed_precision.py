"""Mixed precision end to end: dtype policies on layers, autocasting, `LossScaleOptimizer`, and
a mixed model that trains and agrees with its float32 twin."""

import numpy as np
import pytest

import neokeras
from neokeras import dtype_policies
from neokeras import layers
from neokeras import mixed_precision
from neokeras import optimizers


@pytest.fixture(autouse=True)
def float32_policy_after():
    yield
    neokeras.config.set_dtype_policy("float32")
    dtype_policies.dtype_policy.reset_dtype_policy()


@pytest.mark.parametrize("name,compute,variable", [
    ("mixed_float16", "float16", "float32"), ("mixed_bfloat16", "bfloat16", "float32"),
    ("float32", "float32", "float32"), ("float16", "float16", "float16"),
    ("bfloat16", "bfloat16", "bfloat16"), ("float64", "float64", "float64"),
])
def test_policy_dtypes_and_config_match_keras(name, compute, variable):
    keras = pytest.importorskip("keras")
    ours, theirs = neokeras.DTypePolicy(name), keras.DTypePolicy(name)
    assert (ours.compute_dtype, ours.variable_dtype) == (compute, variable)
    assert (theirs.compute_dtype, theirs.variable_dtype) == (compute, variable)
    assert ours.get_config() == theirs.get_config()
    assert dtype_policies.serialize(ours) == keras.dtype_policies.serialize(theirs)
    assert dtype_policies.deserialize(keras.dtype_policies.serialize(theirs)) == ours
    assert dtype_policies.get(name) == ours and repr(ours) == repr(theirs)


def test_bad_policy_names():
    with pytest.raises(ValueError, match="DTypePolicy"):
        neokeras.DTypePolicy("mixed_float64")
    with pytest.raises(TypeError, match="string"):
        neokeras.DTypePolicy(3)
    with pytest.raises(ValueError, match="policy"):
        neokeras.config.set_dtype_policy(1.5)


@pytest.mark.parametrize("set_policy", [neokeras.config.set_dtype_policy,
                                        mixed_precision.set_global_policy,
                                        mixed_precision.set_dtype_policy])
def test_global_policy_sets_new_layers(set_policy):
    set_policy("mixed_float16")
    assert neokeras.config.dtype_policy().name == "mixed_float16"
    assert mixed_precision.global_policy() is neokeras.config.dtype_policy()
    dense = layers.Dense(3)
    dense.build((None, 4))
    assert dense.compute_dtype == "float16" and dense.variable_dtype == "float32"
    assert dense.dtype == "float32" and dense.dtype_policy.name == "mixed_float16"
    assert dense.kernel.dtype == "float32"
    out = dense(np.ones((2, 4), "float32"))
    assert str(out.dtype) == "float16"


def test_layer_config_carries_the_policy_like_keras():
    keras = pytest.importorskip("keras")
    ours = layers.Dense(2, dtype="mixed_bfloat16").get_config()["dtype"]
    theirs = keras.layers.Dense(2, dtype="mixed_bfloat16").get_config()["dtype"]
    assert ours == theirs
    rebuilt = layers.Dense.from_config(layers.Dense(2, dtype="mixed_bfloat16").get_config())
    assert rebuilt.compute_dtype == "bfloat16" and rebuilt.variable_dtype == "float32"
    keras2 = layers.Dense(2, dtype={"class_name": "Policy", "config": {"name": "mixed_float16"}})
    assert keras2.compute_dtype == "float16"


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 8)).astype("float32")
    y = (x @ rng.normal(size=(8, 1)) > 0).astype("float32")
    return x, y


def _model(policy):
    neokeras.config.set_dtype_policy(policy)
    neokeras.utils.set_random_seed(3)
    model = neokeras.Sequential([
        layers.Input((8,)),
        layers.Dense(16, activation="relu"),
        layers.Dense(2),
        layers.Activation("softmax", dtype="float32"),
    ])
    model.compile(optimizer=optimizers.SGD(0.1), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


@pytest.mark.parametrize("policy,tol", [("mixed_float16", 2e-2), ("mixed_bfloat16", 6e-2)])
def test_mixed_model_trains_and_matches_float32(policy, tol):
    x, y = _data()
    reference = _model("float32")
    mixed = _model(policy)
    mixed.set_weights(reference.get_weights())
    assert all(str(w.dtype) == "float32" for w in mixed.weights)
    assert isinstance(mixed.optimizer, optimizers.LossScaleOptimizer) == (policy == "mixed_float16")
    first = mixed.evaluate(x, y, verbose=0)[0]
    history = mixed.fit(x, y, batch_size=32, epochs=3, verbose=0)
    assert history.history["loss"][-1] < first
    assert all(str(w.dtype) == "float32" for w in mixed.weights)
    out = mixed.predict(x[:16], verbose=0)
    assert out.dtype == np.float32  # the softmax layer computes in float32
    reference.set_weights(mixed.get_weights())
    np.testing.assert_allclose(out, reference.predict(x[:16], verbose=0), atol=tol)


def test_float16_training_skips_overflowing_steps_and_rescales():
    inner = optimizers.SGD(0.1)
    opt = optimizers.LossScaleOptimizer(inner, initial_scale=8.0, dynamic_growth_steps=2)
    v = neokeras.Variable(np.array([1.0, 2.0], "float32"))
    opt.apply([np.array([8.0, 8.0], "float32")], [v])  # unscaled: 1.0 each
    np.testing.assert_allclose(v.numpy(), [0.9, 1.9], rtol=1e-6)
    assert float(opt.dynamic_scale.numpy()) == 8.0 and int(opt.step_counter.numpy()) == 1
    opt.apply([np.array([np.inf, 1.0], "float32")], [v])  # skipped, scale halved
    np.testing.assert_allclose(v.numpy(), [0.9, 1.9], rtol=1e-6)
    assert float(opt.dynamic_scale.numpy()) == 4.0 and int(opt.step_counter.numpy()) == 0
    opt.apply([np.array([4.0, 4.0], "float32")], [v])
    opt.apply([np.array([4.0, 4.0], "float32")], [v])  # second finite step: scale doubles
    assert float(opt.dynamic_scale.numpy()) == 8.0 and int(opt.step_counter.numpy()) == 0
    np.testing.assert_allclose(v.numpy(), [0.7, 1.7], rtol=1e-5)
    assert int(opt.iterations.numpy()) == 3
    np.testing.assert_allclose(float(opt.scale_loss(np.float32(2.0))), 16.0)


def test_loss_scale_optimizer_config_matches_keras_and_round_trips():
    keras = pytest.importorskip("keras")
    ours = optimizers.LossScaleOptimizer(optimizers.Adam(0.01), initial_scale=64.0,
                                         dynamic_growth_steps=3)
    theirs = keras.optimizers.LossScaleOptimizer(keras.optimizers.Adam(0.01), initial_scale=64.0,
                                                 dynamic_growth_steps=3)
    config = ours.get_config()
    assert set(config) == set(theirs.get_config())
    assert {k: config[k] for k in ("initial_scale", "dynamic_growth_steps")} == {
        k: theirs.get_config()[k] for k in ("initial_scale", "dynamic_growth_steps")}
    clone = optimizers.deserialize(optimizers.serialize(ours))
    assert isinstance(clone, optimizers.LossScaleOptimizer)
    assert clone.initial_scale == 64.0 and type(clone.inner_optimizer).__name__ == "Adam"
    assert float(clone.learning_rate.numpy()) == pytest.approx(0.01)


def test_tf_keras_mixed_precision_spellings():
    policy = mixed_precision.Policy("mixed_float16")
    mixed_precision.set_global_policy(policy)
    assert mixed_precision.global_policy().compute_dtype == "float16"
    opt = mixed_precision.LossScaleOptimizer(optimizers.SGD(0.1))
    assert opt is not None and float(opt.loss_scale.numpy()) == 2.0**15
    assert mixed_precision.DTypePolicy is neokeras.DTypePolicy
