"""Keras 2 `.h5` files of models whose weights share names or layers (seq2seq, siamese,
nested models with equal layer names, Bidirectional, ...): every layout tf-keras wrote loads,
and neokeras writes them back in a form it reads (and tf-keras reads: checked with
`tools/gen_keras2_shared_h5.py check`, which needs TensorFlow; real Keras 3 cannot read most of
these tf-keras layouts itself, so it is no oracle here).

Fixtures: tests/saving/fixtures/keras2_shared, made by tools/gen_keras2_shared_h5.py (tf-keras 2.21).
"""

from pathlib import Path

import h5py
import numpy as np
import pytest

import neokeras as nk

FIXTURES = Path(__file__).parent / "fixtures" / "keras2_shared"
NAMES = sorted(p.name for p in FIXTURES.iterdir())


def _io(name):
    with np.load(FIXTURES / name / "io.npz") as data:
        xs = [data[f"x{i}"] for i in range(sum(k.startswith("x") for k in data.files))]
        ys = [data[f"y{i}"] for i in range(sum(k.startswith("y") for k in data.files))]
    return xs, ys


def _predict(model, xs):
    out = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    return [np.asarray(o) for o in (out if isinstance(out, list) else [out])]


def _check(model, name):
    xs, ys = _io(name)
    got = _predict(model, xs)
    assert len(got) == len(ys)
    for a, b in zip(got, ys):
        np.testing.assert_allclose(a, b, atol=2e-5, rtol=1e-4)


def test_fixtures_exist():
    assert {"seq2seq", "seq2seq_decoder", "shared_dense", "same_inner_names", "siamese",
            "bidirectional", "nested_sequential", "time_distributed"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_keras2_model_h5_loads(name):
    _check(nk.models.load_model(FIXTURES / name / "model.h5"), name)


@pytest.mark.parametrize("name", NAMES)
def test_keras2_weights_h5_loads_by_order_and_by_name(name):
    with h5py.File(FIXTURES / name / "model.h5", "r") as f:
        config = f.attrs["model_config"]
    for by_name in (False, True):
        model = nk.models.model_from_json(config)
        model.load_weights(FIXTURES / name / "weights.h5", by_name=by_name)
        _check(model, name)


@pytest.mark.parametrize("name", NAMES)
def test_written_back_in_every_format(tmp_path, name):
    model = nk.models.load_model(FIXTURES / name / "model.h5")
    model.save(tmp_path / "m.h5")
    model.save(tmp_path / "m.keras")
    model.save_weights(tmp_path / "w.h5")
    model.save_weights(tmp_path / "w.weights.h5")
    _check(nk.models.load_model(tmp_path / "m.h5"), name)
    _check(nk.models.load_model(tmp_path / "m.keras"), name)
    for weights in ("w.h5", "w.weights.h5"):
        fresh = nk.models.model_from_json(model.to_json())
        fresh.load_weights(tmp_path / weights)
        _check(fresh, name)


class TwoProjections(nk.layers.Layer):
    """Two sublayers with the same name: weight paths collide inside one layer group (tf-keras
    and Keras 3 fail to save this with "name already exists")."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.p = nk.layers.Dense(3, name="proj")
        self.q = nk.layers.Dense(3, name="proj")

    def build(self, input_shape):
        self.p.build(input_shape)
        self.q.build(input_shape)

    def call(self, x):
        return self.p(x) - self.q(x)


class Unnamed(nk.layers.Layer):
    def build(self, input_shape):
        self.a = self.add_weight(shape=(input_shape[-1], 3))
        self.b = self.add_weight(shape=(3,), initializer="ones")

    def call(self, x):
        return x @ self.a + self.b


@pytest.mark.parametrize("layer_cls", [TwoProjections, Unnamed])
def test_colliding_weight_paths_save_and_load(tmp_path, layer_cls):
    inputs = nk.Input((4,))
    model = nk.Model(inputs, layer_cls(name="custom")(inputs))
    x = np.random.default_rng(0).normal(size=(2, 4)).astype("float32")
    expected = model.predict(x, verbose=0)
    model.save(tmp_path / "m.h5")
    model.save_weights(tmp_path / "w.h5")
    with h5py.File(tmp_path / "w.h5") as f:
        names = [n.decode() for n in f["custom"].attrs["weight_names"]]
    assert len(set(names)) == len(names) == 4 if layer_cls is TwoProjections else 2
    loaded = nk.models.load_model(tmp_path / "m.h5", custom_objects={layer_cls.__name__: layer_cls})
    np.testing.assert_allclose(loaded.predict(x, verbose=0), expected, atol=1e-6)
    fresh = nk.Model(inputs, layer_cls(name="custom")(inputs))
    fresh.load_weights(tmp_path / "w.h5")
    np.testing.assert_allclose(fresh.predict(x, verbose=0), expected, atol=1e-6)


def test_duplicate_layer_names_are_refused_when_building():
    a, b = nk.Input((4,)), nk.Input((4,))
    with pytest.raises(ValueError, match='The name "d" is used 2 times'):
        nk.Model([a, b], [nk.layers.Dense(3, name="d")(a), nk.layers.Dense(3, name="d")(b)])
