"""Layers against real Keras 3.15.1: one table of cases, three checks per case.

For each case both frameworks build the same layer, get identical (non-default) weights and run
on identical inputs, in inference and, where the layer differs, training mode. Then a model using
the layer is saved as `.keras` by each framework and loaded by the other.
"""

import os

import numpy as np
import pytest

import neokeras as nk

os.environ.setdefault("KERAS_BACKEND", "jax")


def case(cls_name, kwargs, shapes, call=None, training=False, dtype="float32", rtol=1e-5,
         id=None, low=None):
    """One row: `shapes` is one full input shape or a list of them (several inputs)."""
    return pytest.param(cls_name, kwargs, shapes, call or {}, training, dtype, rtol, low,
                        id=id or f"{cls_name}-{'-'.join(f'{k}={v}' for k, v in kwargs.items())}")


CASES = [
    case("ReLU", {}, (2, 5)),
    case("ReLU", dict(max_value=6.0), (2, 5)),
    case("ReLU", dict(max_value=1.5, negative_slope=0.2, threshold=0.3), (2, 3, 4)),
    case("ReLU", dict(negative_slope=0.1, threshold=0.5), (2, 5)),
    case("LeakyReLU", {}, (2, 5)),
    case("LeakyReLU", dict(negative_slope=0.05), (2, 3, 4)),
    case("PReLU", {}, (2, 3, 4)),
    case("PReLU", dict(shared_axes=[1, 2]), (2, 3, 4, 2)),
    case("ELU", {}, (2, 5)),
    case("ELU", dict(alpha=0.5), (2, 5)),
    case("Softmax", {}, (2, 5)),
    case("Softmax", dict(axis=1), (2, 4, 3)),
    case("Softmax", dict(axis=[1, 2]), (2, 4, 3)),
]


def _inputs(shapes, dtype, low, seed=0):
    rng = np.random.default_rng(seed)
    shapes = shapes if isinstance(shapes, list) else [shapes]
    if "int" in dtype:
        xs = [rng.integers(0, low or 5, size=s).astype(dtype) for s in shapes]
    else:
        xs = [rng.standard_normal(s).astype(dtype) for s in shapes]
    return xs if len(xs) > 1 else xs[0]


def _randomize(layer):
    """Non-default weights (so a wrongly-ordered or ignored weight shows)."""
    rng = np.random.default_rng(7)
    for w in layer.weights:
        if "int" in str(w.dtype):
            continue
        w.assign(rng.uniform(0.3, 1.2, w.shape).astype(str(w.dtype)))


def _pair(real, cls_name, kwargs, x):
    ours = getattr(nk.layers, cls_name)(**kwargs)
    theirs = getattr(real.layers, cls_name)(**kwargs)
    ours(x)
    theirs(x)
    _randomize(ours)
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    theirs.set_weights(ours.get_weights())
    return ours, theirs


def _close(a, b, rtol):
    for u, v in zip(nk.utils.tree.flatten(a), nk.utils.tree.flatten(b)):
        np.testing.assert_allclose(np.asarray(u), np.asarray(v), rtol=rtol, atol=rtol)


@pytest.fixture
def real():
    return pytest.importorskip("keras")


@pytest.mark.parametrize("cls_name,kwargs,shapes,call,training,dtype,rtol,low", CASES)
def test_outputs_match_keras(real, cls_name, kwargs, shapes, call, training, dtype, rtol, low):
    x = _inputs(shapes, dtype, low)
    ours, theirs = _pair(real, cls_name, kwargs, x)
    _close(ours(x, **call), theirs(x, **call), rtol)
    if training:
        # Training-mode randomness differs between frameworks; deterministic layers only here.
        _close(ours(x, training=True, **call), theirs(x, training=True, **call), rtol)
        _close([w.numpy() for w in ours.weights], [w.numpy() for w in theirs.weights], rtol)


@pytest.mark.parametrize("cls_name,kwargs,shapes,call,training,dtype,rtol,low", CASES)
def test_config_is_read_by_keras_and_back(real, cls_name, kwargs, shapes, call, training, dtype,
                                         rtol, low):
    ours = getattr(nk.layers, cls_name)(**kwargs)
    theirs = getattr(real.layers, cls_name).from_config(ours.get_config())
    back = getattr(nk.layers, cls_name).from_config(theirs.get_config())
    assert back.get_config() == ours.get_config()


def _model(lib, cls_name, kwargs, shapes, dtype):
    shapes = shapes if isinstance(shapes, list) else [shapes]
    inputs = [lib.Input(batch_shape=(None,) + tuple(s[1:]), dtype=dtype) for s in shapes]
    outputs = getattr(lib.layers, cls_name)(**kwargs)(inputs if len(inputs) > 1 else inputs[0])
    return lib.Model(inputs, outputs)


@pytest.mark.parametrize("cls_name,kwargs,shapes,call,training,dtype,rtol,low", CASES)
def test_keras_files_cross_both_ways(real, tmp_path, cls_name, kwargs, shapes, call, training,
                                     dtype, rtol, low):
    x = _inputs(shapes, dtype, low, seed=1)
    ours = _model(nk, cls_name, kwargs, shapes, dtype)
    _randomize(ours)
    ours.save(tmp_path / "ours.keras")
    loaded = real.saving.load_model(tmp_path / "ours.keras")
    _close(loaded.predict(x, verbose=0), ours.predict(x, verbose=0), rtol)

    theirs = _model(real, cls_name, kwargs, shapes, dtype)
    theirs.set_weights([np.asarray(w) * 0.9 for w in theirs.get_weights()])
    theirs.save(tmp_path / "theirs.keras")
    loaded = nk.models.load_model(tmp_path / "theirs.keras")
    _close(loaded.predict(x, verbose=0), theirs.predict(x, verbose=0), rtol)
