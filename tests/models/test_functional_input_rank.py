"""A functional model reconciles an input whose rank is off by one (a trailing axis of size 1)
as Keras 3 does, silently, and refuses other shapes with a clear error."""

import warnings

import numpy as np
import pytest

import neokeras

CASES = [((1,), (4,)), ((3,), (4, 3, 1)), ((2, 1), (4, 2)), ((None,), (4, 5, 1)),
         ((2, 1), (4, 2, 1, 1))]


def _model(lib, shape):
    inputs = lib.Input(shape)
    outputs = lib.layers.Dense(2, kernel_initializer="ones")(inputs) if shape[-1] else inputs
    return lib.Model(inputs, outputs)


def _run(lib, shape, data_shape):
    x = np.arange(np.prod(data_shape), dtype="float32").reshape(data_shape)
    model = _model(lib, shape)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return (np.asarray(model.predict(x, verbose=0)), np.asarray(model(x)))
    except ValueError:
        return "ValueError"


@pytest.mark.parametrize("shape, data_shape", CASES)
def test_rank_adjustment_matches_keras(shape, data_shape):
    keras = pytest.importorskip("keras")
    ours, theirs = _run(neokeras, shape, data_shape), _run(keras, shape, data_shape)
    if isinstance(theirs, str):
        assert ours == theirs
    else:
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(a, b)


def test_rank_off_by_one_without_unit_axis_is_a_clear_error():
    model = _model(neokeras, (3,))
    with pytest.raises(ValueError, match=r"expected shape \(None, 3\), received shape \(4,\)"):
        model.predict(np.ones((4,), "float32"), verbose=0)


def test_fit_accepts_column_vector_for_a_flat_input():
    model = _model(neokeras, (None,))
    model.compile("sgd", "mse")
    history = model.fit(np.ones((4, 5, 1), "float32"), np.ones((4, 5), "float32"), verbose=0)
    assert np.isfinite(history.history["loss"][0])
