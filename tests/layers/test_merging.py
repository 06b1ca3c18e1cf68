"""Merging layers against numpy, via the shared layer harness."""

import numpy as np
import pytest

import neokeras as keras
from neokeras.testing import check_layer

RNG = np.random.default_rng(0)
A = RNG.standard_normal((2, 3, 4)).astype("float32")
B = RNG.standard_normal((2, 3, 4)).astype("float32")
C = RNG.standard_normal((2, 3, 4)).astype("float32")


@pytest.mark.parametrize("cls, fn, reference", [
    (keras.layers.Add, keras.layers.add, lambda a, b, c: a + b + c),
    (keras.layers.Multiply, keras.layers.multiply, lambda a, b, c: a * b * c),
    (keras.layers.Average, keras.layers.average, lambda a, b, c: (a + b + c) / 3),
    (keras.layers.Maximum, keras.layers.maximum, lambda a, b, c: np.maximum(np.maximum(a, b), c)),
    (keras.layers.Minimum, keras.layers.minimum, lambda a, b, c: np.minimum(np.minimum(a, b), c)),
])
def test_elementwise_merges(cls, fn, reference):
    out = check_layer(cls, input_shape=[(2, 3, 4)] * 3, input_data=[A, B, C],
                      expected_output_shape=(2, 3, 4), expected_trainable=0)
    np.testing.assert_allclose(out, reference(A, B, C), rtol=1e-6)
    np.testing.assert_allclose(np.asarray(fn([A, B, C])), reference(A, B, C), rtol=1e-6)


def test_subtract_needs_exactly_two():
    out = check_layer(keras.layers.Subtract, input_shape=[(2, 3, 4)] * 2, input_data=[A, B])
    np.testing.assert_allclose(out, A - B, rtol=1e-6)
    np.testing.assert_allclose(np.asarray(keras.layers.subtract([A, B])), A - B, rtol=1e-6)
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        keras.layers.Subtract()([A, B, C])


def test_lower_rank_input_is_broadcast_after_batch_axis():
    row = A[:, 0, :]
    np.testing.assert_allclose(np.asarray(keras.layers.Add()([A, row])), A + row[:, None, :],
                               rtol=1e-6)
    with pytest.raises(ValueError, match="compatible shapes"):
        keras.layers.Add()([A, np.ones((2, 5), "float32")])
    with pytest.raises(ValueError, match="list of tensors"):
        keras.layers.Add()(A)


def test_concatenate_axis_and_errors():
    out = check_layer(keras.layers.Concatenate, {"axis": 1}, input_shape=[(2, 3, 4), (2, 2, 4)])
    assert out.shape == (2, 5, 4)
    joined = keras.layers.concatenate([A, B], axis=-1)
    np.testing.assert_allclose(np.asarray(joined), np.concatenate([A, B], axis=-1))
    with pytest.raises(ValueError, match="match except on the concatenation axis"):
        keras.layers.Concatenate(axis=1)([A, np.ones((2, 3, 5), "float32")])


def test_dot_matches_numpy_and_keras_shapes():
    x = RNG.standard_normal((2, 4)).astype("float32")
    y = RNG.standard_normal((2, 4)).astype("float32")
    out = check_layer(keras.layers.Dot, {"axes": 1}, input_shape=[(2, 4), (2, 4)],
                      input_data=[x, y], expected_output_shape=(2, 1))
    np.testing.assert_allclose(out[:, 0], (x * y).sum(1), rtol=1e-5)
    cosine = np.asarray(keras.layers.dot([x, y], axes=1, normalize=True))[:, 0]
    expected = (x * y).sum(1) / np.linalg.norm(x, axis=1) / np.linalg.norm(y, axis=1)
    np.testing.assert_allclose(cosine, expected, rtol=1e-5)
    out = np.asarray(keras.layers.Dot(axes=(2, 2))([A, B]))
    np.testing.assert_allclose(out, np.einsum("bik,bjk->bij", A, B), rtol=1e-5)
    with pytest.raises(ValueError, match="contracted dimensions differ"):
        keras.layers.Dot(axes=1)([x, np.ones((2, 3), "float32")])


def test_dot_matches_keras3():
    keras3 = pytest.importorskip("keras")
    out = keras3.layers.Dot(axes=(1, 2), normalize=True)([A, B.transpose(0, 2, 1)])
    mine = keras.layers.Dot(axes=(1, 2), normalize=True)([A, B.transpose(0, 2, 1)])
    np.testing.assert_allclose(np.asarray(mine), np.asarray(out), rtol=1e-5, atol=1e-6)
