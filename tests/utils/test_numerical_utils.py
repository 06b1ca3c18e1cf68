import numpy as np
import pytest

from neokeras import utils


def test_to_categorical_hand_values_and_keras():
    out = utils.to_categorical([0, 2, 1], num_classes=4)
    np.testing.assert_array_equal(out, [[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0]])
    assert out.dtype == np.float32
    assert utils.to_categorical(np.array([[1], [0]])).shape == (2, 2)
    keras = pytest.importorskip("keras")
    labels = np.array([[0, 3], [2, 1]])
    np.testing.assert_array_equal(utils.to_categorical(labels),
                                  keras.utils.to_categorical(labels))
    with pytest.raises(ValueError, match="out of range"):
        utils.to_categorical([3], num_classes=2)
    with pytest.raises(ValueError, match="non-negative"):
        utils.to_categorical([-1])


def test_normalize():
    x = np.array([[3.0, 4.0], [0.0, 0.0]])
    np.testing.assert_allclose(utils.normalize(x), [[0.6, 0.8], [0.0, 0.0]])
    np.testing.assert_allclose(utils.normalize(x, axis=0, order=1), [[1.0, 1.0], [0.0, 0.0]])


@pytest.mark.parametrize("y, num_classes, expected", [
    ([0, 1, 2, 3], 4, [[0, 0, 0], [1, 0, 0], [1, 1, 0], [1, 1, 1]]),
    ([[1], [2]], None, [[1, 0], [1, 1]]),
    ([[0, 2]], 3, [[[0, 0], [1, 1]]]),
])
def test_to_ordinal(y, num_classes, expected):
    from neokeras.utils import to_ordinal

    out = to_ordinal(y, num_classes)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, expected)
