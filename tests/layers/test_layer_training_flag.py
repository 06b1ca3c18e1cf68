"""How `training` reaches a layer, against Keras 3.15.1.

Keras 3 resolves it as: the value passed to this call (even None), else an outer call's
(when not None), else the default of the layer's `call`. Augmentation layers default to
True, so they augment when called directly and inside `model(x)`, but not in `predict`,
nor where `training=None` is passed on explicitly. The same seeds give the same draws, so
outputs are compared exactly.
"""

import warnings

import numpy as np
import pytest

import neokeras as nk

keras = pytest.importorskip("keras")

X = np.ones((2, 8, 8, 1), "float32") * np.arange(8, dtype="float32")[None, None, :, None]


def _flip(lib):
    return lib.layers.RandomFlip("horizontal", seed=1)


def _functional(lib):
    inputs = lib.Input((8, 8, 1))
    return lib.Model(inputs, _flip(lib)(inputs))


def _sequential(lib):
    return lib.Sequential([lib.Input((8, 8, 1)), _flip(lib)])


def _subclass(lib, pass_training):
    class Model(lib.Model):
        def __init__(self):
            super().__init__()
            self.flip = _flip(lib)

        def call(self, x, training=None):
            return self.flip(x, training=training) if pass_training else self.flip(x)

    return Model()


def _nested(lib):
    class Block(lib.layers.Layer):
        def __init__(self):
            super().__init__()
            self.flip = _flip(lib)

        def call(self, x):
            return self.flip(x)

    return Block()


CASES = {
    "layer": (_flip, {}),
    "layer-training-false": (_flip, {"training": False}),
    "layer-training-none": (_flip, {"training": None}),
    "functional": (_functional, {}),
    "functional-training-true": (_functional, {"training": True}),
    "functional-training-false": (_functional, {"training": False}),
    "sequential": (_sequential, {}),
    "subclass": (lambda lib: _subclass(lib, False), {}),
    "subclass-passing-training-none": (lambda lib: _subclass(lib, True), {}),
    "subclass-passing-training-true": (lambda lib: _subclass(lib, True), {"training": True}),
    "nested-layer": (_nested, {}),
}


AUGMENTING = {"layer", "functional", "functional-training-true", "sequential", "subclass",
              "subclass-passing-training-true", "nested-layer"}


@pytest.mark.parametrize("case", list(CASES))
def test_training_flag_resolution_matches_keras(case):
    make, kwargs = CASES[case]
    outputs = []
    for lib in (nk, keras):
        model = make(lib)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            outputs.append([np.asarray(model(X, **kwargs)) for _ in range(4)])
    for ours, theirs in zip(*outputs):
        np.testing.assert_array_equal(ours, theirs)
    augmented = any(not np.array_equal(o, X) for o in outputs[0])
    assert augmented == (case in AUGMENTING)


@pytest.mark.parametrize("make", [_functional, _sequential])
def test_predict_and_evaluate_do_not_augment(make):
    model = make(nk)
    np.testing.assert_array_equal(model.predict(X, verbose=0), X)
    model.compile(loss="mse")
    assert model.evaluate(X, X, verbose=0) == 0.0


def test_keras2_learning_phase_overrides_the_layer_default():
    with nk.backend.learning_phase_scope(0):
        np.testing.assert_array_equal(np.asarray(_sequential(nk)(X)), X)
    with nk.backend.learning_phase_scope(1):
        assert not np.array_equal(np.asarray(_sequential(nk)(X, training=None)), X)
