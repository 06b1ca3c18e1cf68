import numpy as np
import pytest

from neokeras import utils
from neokeras.preprocessing import sequence


CASES = [
    ([[1, 2, 3], [4], []], {}),
    ([[1, 2, 3], [4], []], {"maxlen": 2}),
    ([[1, 2, 3], [4], []], {"maxlen": 2, "padding": "post", "truncating": "post", "value": -1}),
    ([[1, 2, 3, 4, 5], [6, 7]], {"maxlen": 3, "truncating": "pre", "padding": "post"}),
    ([[1.5, 2.0], [3.0]], {"dtype": "float32", "value": 0.5}),
    ([np.ones((2, 3)), np.zeros((1, 3))], {"maxlen": 3, "dtype": "float32"}),
    ([["a", "b"], ["c"]], {"dtype": object, "value": "<p>"}),
]


@pytest.mark.parametrize("sequences,kwargs", CASES)
def test_pad_sequences_matches_keras(sequences, kwargs):
    keras = pytest.importorskip("keras")
    want = keras.utils.pad_sequences(sequences, **kwargs)
    got = utils.pad_sequences(sequences, **kwargs)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(sequence.pad_sequences(sequences, **kwargs), want)


def test_pad_sequences_hand_values_and_errors():
    np.testing.assert_array_equal(utils.pad_sequences([[1, 2, 3], [4]], maxlen=2),
                                  [[2, 3], [0, 4]])
    with pytest.raises(ValueError, match="padding must be 'pre' or 'post'"):
        utils.pad_sequences([[1]], padding="middle")
    with pytest.raises(ValueError, match="sequence 1 is not a sequence"):
        utils.pad_sequences([[1], 2])
    with pytest.raises(ValueError, match="is a string but dtype"):
        utils.pad_sequences([[1]], value="x")
