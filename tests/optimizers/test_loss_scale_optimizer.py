"""LossScaleOptimizer's state against real Keras 3.15.1: the variable list (names, order, paths,
shapes, dtypes, values after finite and non-finite steps) and `.keras` files both ways, with
training resumed identically after loading."""

import warnings

import numpy as np
import pytest

import neokeras

RNG = np.random.default_rng(0)
X = RNG.normal(size=(16, 3)).astype("float32")
Y = (30 * RNG.normal(size=(16, 2))).astype("float32")  # a loss that overflows at 1e38
KERNEL = RNG.normal(size=(3, 2)).astype("float32")


def _keras():
    return pytest.importorskip("keras")


def _model(module, initial_scale):
    model = module.Sequential([module.Input((3,)), module.layers.Dense(2, name="dense")],
                              name="seq")
    model.layers[0].set_weights([KERNEL, np.zeros(2, "float32")])
    optimizer = module.optimizers.LossScaleOptimizer(
        module.optimizers.Adam(0.01), initial_scale=initial_scale, dynamic_growth_steps=3)
    model.compile(optimizer=optimizer, loss="mse")
    return model


def _state(model):
    return [(v.path, v.name, tuple(v.shape), str(np.asarray(v.numpy()).dtype),
             np.asarray(v.numpy())) for v in model.optimizer.variables]


def _assert_same(ours, theirs, first=0):
    """`first=2` leaves paths and names out: a loaded model's variables are `dense/...` where
    the model built in code has `seq/dense/...`, in Keras as here."""
    assert [s[first:4] for s in ours] == [s[first:4] for s in theirs]
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a[4], b[4], rtol=1e-5, atol=1e-7, err_msg=a[0])


def test_variables_match_keras_before_and_after_build():
    keras = _keras()
    ours = neokeras.optimizers.LossScaleOptimizer(neokeras.optimizers.SGD(0.1))
    theirs = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.1))
    assert [v.path for v in ours.variables] == [v.path for v in theirs.variables]
    kernel = np.ones((2, 2), "float32")
    ours.build([neokeras.Variable(kernel, name="k")])
    theirs.build([keras.Variable(kernel, name="k")])
    assert [(v.path, v.dtype) for v in ours.variables] == \
        [(v.path, v.dtype) for v in theirs.variables]


@pytest.mark.parametrize("initial_scale", [2.0**15, 1e38], ids=["finite", "overflowing"])
def test_fit_state_matches_keras(initial_scale):
    """1e38 makes the first steps' gradients overflow: they are skipped and the scale halved
    until they are finite, then it doubles every 3 finite steps."""
    keras = _keras()
    results = []
    for module in (neokeras, keras):
        model = _model(module, initial_scale)
        model.fit(X, Y, batch_size=4, epochs=2, shuffle=False, verbose=0)
        results.append((_state(model), model.get_weights()))
    _assert_same(results[0][0], results[1][0])
    if initial_scale == 1e38:
        values = {s[0]: s[4] for s in results[0][0]}
        assert values["loss_scale_optimizer/dynamic_scale"] < 1e38
        assert 0 < int(values["adam/iteration"]) < 8  # some of the 8 steps were skipped
    for a, b in zip(*(r[1] for r in results)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("writer", ["keras", "neokeras"])
@pytest.mark.parametrize("initial_scale", [2.0**15, 1e38], ids=["finite", "overflowing"])
def test_files_cross_without_warning_and_training_resumes(tmp_path, writer, initial_scale):
    keras = _keras()
    modules = {"keras": keras, "neokeras": neokeras}
    source, target = modules[writer], modules["neokeras" if writer == "keras" else "keras"]
    model = _model(source, initial_scale)
    model.fit(X, Y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    model.save(tmp_path / "lso.keras")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded = target.models.load_model(tmp_path / "lso.keras")
    _assert_same(_state(loaded), _state(model), first=2)
    for resumed in (model, loaded):
        resumed.fit(X, Y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    _assert_same(_state(loaded), _state(model), first=2)
    for a, b in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_files_from_earlier_neokeras_versions_load(tmp_path):
    """Before it matched Keras, neokeras's wrapper saved [step_counter, dynamic_scale, inner
    variables...] (no iteration and learning rate of its own)."""
    h5py = pytest.importorskip("h5py")
    model = _model(neokeras, 1e38)
    model.fit(X, Y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    model.save_weights(tmp_path / "m.weights.h5")
    with h5py.File(tmp_path / "m.weights.h5", "a") as f:
        group = f["optimizer/vars"]
        values = [group[str(i)][()] for i in range(len(group))]
        for i in range(len(group)):
            del group[str(i)]
        for i, value in enumerate(values[2:]):
            group.create_dataset(str(i), data=value)
    fresh = _model(neokeras, 2.0**15)
    fresh.optimizer.build(fresh.trainable_variables)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fresh.load_weights(tmp_path / "m.weights.h5")
    _assert_same(_state(fresh), _state(model), first=2)
