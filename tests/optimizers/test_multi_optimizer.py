"""OptimizerMap and MultiOptimizer against real Keras 3: lookup, routing, trajectories, config,
fit histories and `.keras` files both ways."""

import numpy as np
import pytest

import neokeras
from neokeras import optimizers
from optimizer_oracle import assert_trajectories_close
from optimizer_oracle import keras_module
from optimizer_oracle import neokeras_variables
from optimizer_oracle import run_keras
from optimizer_oracle import run_neokeras


# ---------------------------------------------------------------------- OptimizerMap
def _doc_map(module):
    o = module.optimizers
    optimizer_map = o.OptimizerMap(default_optimizer=o.RMSprop(name="rmsprop"))
    optimizer_map["encoder/layer_0/dense"] = o.Adam(name="adam")
    optimizer_map["encoder/.*"] = o.SGD(name="sgd")
    optimizer_map["decoder"] = o.Adam(name="adam")
    return optimizer_map


@pytest.mark.parametrize("key", ["decoder", "encoder/layer_0/dense",
                                 "encoder/layer_0/attention/query", "decoder/layer_0/dense",
                                 "encoder", "other"])
def test_lookup_matches_keras(key):
    keras = keras_module()
    assert _doc_map(neokeras)[key].name == _doc_map(keras)[key].name


def test_mapping_protocol():
    optimizer_map = _doc_map(neokeras)
    assert list(optimizer_map) == ["encoder/layer_0/dense", "encoder/.*", "decoder"]
    assert len(optimizer_map) == 3
    del optimizer_map["decoder"]
    assert optimizer_map["decoder"] is optimizer_map.default_optimizer
    variable = neokeras.backend.Variable(np.zeros(2, "float32"), path="encoder/x/bias")
    assert optimizer_map(variable).name == "sgd"


def test_several_matching_patterns_raise():
    optimizer_map = optimizers.OptimizerMap(optimizers.SGD(), {"a.*": optimizers.Adam(),
                                                              ".*b": optimizers.Adam()})
    with pytest.raises(ValueError, match="Multiple optimizers assigned to variable ab"):
        optimizer_map["ab"]


@pytest.mark.parametrize("key, value, error, match", [
    ("encoder/.*", "adam", ValueError, "already exists"),
    (3, "adam", ValueError, "key must be a string"),
    ("x", "string", ValueError, "must be a Keras Optimizer"),
    ("x", "lso", ValueError, "cannot be LossScaleOptimizer"),
    ("x", "multi", ValueError, "cannot be MultiOptimizer"),
])
def test_bad_entries(key, value, error, match):
    keras = keras_module()
    values = {"adam": lambda o: o.Adam(), "string": lambda o: "adam",
              "lso": lambda o: o.LossScaleOptimizer(o.SGD()),
              "multi": lambda o: o.MultiOptimizer(o.OptimizerMap(o.SGD()))}
    for module in (keras, neokeras):  # Keras raises the same error type
        with pytest.raises(error, match=match if module is neokeras else None):
            _doc_map(module)[key] = values[value](module.optimizers)


@pytest.mark.parametrize("args", [("adam",), (optimizers.Adam(), [1])])
def test_bad_constructor_arguments(args):
    with pytest.raises(TypeError, match="OptimizerMap"):
        optimizers.OptimizerMap(*args)


# ---------------------------------------------------------------------- MultiOptimizer
def _multi(module, kind="map", **kwargs):
    o = module.optimizers
    adam, sgd = o.Adam(0.01, name="adam"), o.SGD(0.1, momentum=0.9, name="sgd")
    if kind == "map":
        return o.MultiOptimizer(o.OptimizerMap(sgd, {"a": adam}), name="multi", **kwargs)
    # A selector function; its optimizers join while building, in the order first returned.
    return o.MultiOptimizer(lambda v: adam if v.path.endswith("b") else sgd, name="multi",
                            **kwargs)


@pytest.mark.parametrize("kind, kwargs", [("map", {}), ("function", {}),
                                          ("map", {"loss_scale_factor": 4.0})])
def test_trajectory_matches_keras(kind, kwargs):
    expected = run_keras(lambda keras: _multi(keras, kind, **kwargs))
    ours = run_neokeras(_multi(neokeras, kind, **kwargs))
    assert_trajectories_close(ours, expected)


def test_stateless_apply_matches_keras():
    expected = run_keras(lambda keras: _multi(keras))
    ours = run_neokeras(_multi(neokeras), stateless=True)
    assert_trajectories_close(ours, expected)


def test_variables_and_iterations_match_keras():
    keras = keras_module()
    theirs, ours = _multi(keras), _multi(neokeras)
    run_keras(lambda _: theirs)
    run_neokeras(ours)
    assert [v.path for v in ours.variables] == [v.path for v in theirs.variables]
    for a, b in zip(ours.variables, theirs.variables):
        np.testing.assert_allclose(np.asarray(a.numpy()), np.asarray(b.numpy()), rtol=1e-6)
    assert int(ours.iterations.numpy()) == 5
    assert [o.name for o in ours.optimizers] == ["adam", "sgd"]


def test_loss_scale_factor_reaches_inner_optimizers():
    multi = _multi(neokeras, loss_scale_factor=2.0)
    assert [o.loss_scale_factor for o in multi.optimizers] == [2.0, 2.0]
    multi.loss_scale_factor = 8.0
    assert [o.loss_scale_factor for o in multi.optimizers] == [8.0, 8.0]
    assert float(multi.scale_loss(np.float32(1.5))) == 12.0


def test_learning_rate_is_not_available():
    multi = _multi(neokeras)
    with pytest.raises(AttributeError, match="sub-optimizers"):
        multi.learning_rate
    with pytest.raises(AttributeError, match="sub-optimizers"):
        multi.learning_rate = 0.1


def test_nested_or_loss_scale_optimizer_refused_when_building():
    o = optimizers
    variable = neokeras.backend.Variable(np.zeros(2, "float32"), path="w")
    for inner, match in ((o.LossScaleOptimizer(o.SGD()), "LossScaleOptimizer"),
                         (_multi(neokeras), "MultiOptimizer cannot"),
                         ("sgd", "not an Optimizer")):
        with pytest.raises(ValueError, match=match):
            o.MultiOptimizer(lambda v, inner=inner: inner).build([variable])


def test_gradient_count_must_match():
    multi = _multi(neokeras)
    variables = [neokeras.backend.Variable(np.zeros(2, "float32"), path=p) for p in "ab"]
    multi.build(variables)
    with pytest.raises(ValueError, match="one-to-one"):
        multi.apply([np.ones(2, "float32")], variables[:1])


def test_config_matches_keras_and_round_trips():
    keras = keras_module()
    config = _multi(neokeras).get_config()
    assert config == _multi(keras).get_config()
    clone = optimizers.MultiOptimizer.from_config(config)
    assert clone.get_config() == config
    ours = optimizers.deserialize(keras.optimizers.serialize(_multi(keras)))
    assert isinstance(ours, optimizers.MultiOptimizer)
    assert isinstance(ours._optimizer_map, optimizers.OptimizerMap)
    assert ours.get_config() == config


# ---------------------------------------------------------------------- training and files
def _model(module):
    inputs = module.Input((3,))
    x = module.layers.Dense(4, activation="tanh", name="enc")(inputs)
    return module.Model(inputs, module.layers.Dense(2, name="out")(x))


def _compiled(module, weights=None):
    o = module.optimizers
    model = _model(module)
    if weights is not None:
        model.set_weights(weights)
    model.compile(o.MultiOptimizer(o.OptimizerMap(
        o.SGD(0.1, momentum=0.5, name="sgd"), {"enc/.*": o.Adam(0.01, name="adam")}),
        name="multi"), "mse")
    return model


def _data():
    rng = np.random.default_rng(5)
    return rng.normal(size=(16, 3)).astype("float32"), rng.normal(size=(16, 2)).astype("float32")


def _fit(model, epochs):
    x, y = _data()
    return model.fit(x, y, batch_size=4, epochs=epochs, shuffle=False, verbose=0).history["loss"]


def _assert_same_state(ours, theirs):
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    mine, other = ours.optimizer.variables, theirs.optimizer.variables
    assert [v.path.rpartition("/")[2] for v in mine] == [v.path.rpartition("/")[2] for v in other]
    for a, b in zip(mine, other):
        np.testing.assert_allclose(np.asarray(a.numpy()), np.asarray(b.numpy()), rtol=1e-5,
                                   atol=1e-6, err_msg=a.path)


def test_fit_and_keras_files_both_ways(tmp_path):
    keras = keras_module()
    theirs = _compiled(keras)
    ours = _compiled(neokeras, theirs.get_weights())
    np.testing.assert_allclose(_fit(ours, 2), _fit(theirs, 2), rtol=1e-5)
    _assert_same_state(ours, theirs)

    theirs.save(tmp_path / "keras.keras")
    ours.save(tmp_path / "neokeras.keras")
    ours_loaded = neokeras.models.load_model(tmp_path / "keras.keras")
    theirs_loaded = keras.models.load_model(tmp_path / "neokeras.keras")
    assert isinstance(ours_loaded.optimizer, optimizers.MultiOptimizer)
    assert isinstance(theirs_loaded.optimizer, keras.optimizers.MultiOptimizer)
    _assert_same_state(ours_loaded, theirs)
    _assert_same_state(ours, theirs_loaded)
    # Training resumes from the loaded state identically on both sides.
    np.testing.assert_allclose(_fit(ours_loaded, 1), _fit(theirs_loaded, 1), rtol=1e-5)
    _assert_same_state(ours_loaded, theirs_loaded)


def test_set_weights_reaches_inner_optimizers_as_in_keras():
    keras = keras_module()
    theirs, ours = _multi(keras), _multi(neokeras)
    run_keras(lambda _: theirs)  # builds and trains it 5 steps
    with pytest.raises(ValueError, match="has not yet been built"):
        ours.set_weights([])
    ours.build(neokeras_variables())
    ours.set_weights([np.asarray(v.numpy()) for v in theirs.variables])
    for a, b in zip(ours.variables, theirs.variables):
        np.testing.assert_array_equal(np.asarray(a.numpy()), np.asarray(b.numpy()))
    with pytest.raises(ValueError, match="has 9 variables, set_weights"):
        ours.set_weights([np.zeros(())])
    with pytest.raises(ValueError, match=r"has shape \(\) not compatible with provided weight "
                                         r"shape \(2,\)"):
        ours.set_weights([np.zeros(2)] + [np.asarray(v.numpy()) for v in theirs.variables][1:])
