"""Adaptive pooling: PyTorch-style bins by hand, harness, and argument errors.

Outputs against real Keras 3 are in test_keras_oracle.py.
"""

import numpy as np
import pytest

from neokeras import layers
from neokeras.testing import check_layer


def test_bins_overlap_as_in_pytorch():
    x = np.arange(5, dtype="float32").reshape(1, 5, 1)
    # Bins of 5 steps into 3: [0, 2), [1, 4), [3, 5).
    np.testing.assert_allclose(np.asarray(layers.AdaptiveAveragePooling1D(3)(x))[0, :, 0],
                               [0.5, 2.0, 3.5])
    np.testing.assert_allclose(np.asarray(layers.AdaptiveMaxPooling1D(3)(x))[0, :, 0],
                               [1.0, 3.0, 4.0])


@pytest.mark.parametrize("cls,kwargs,shape,out", [
    (layers.AdaptiveAveragePooling2D, dict(output_size=(2, 3)), (2, 5, 7, 2), (2, 2, 3, 2)),
    (layers.AdaptiveMaxPooling3D, dict(output_size=np.int64(2)), (1, 3, 5, 4, 2),
     (1, 2, 2, 2, 2)),
    (layers.AdaptiveMaxPooling1D, dict(output_size=[4], data_format="channels_first"),
     (2, 3, 9), (2, 3, 4)),
])
def test_check_layer(cls, kwargs, shape, out):
    check_layer(cls, kwargs, input_shape=shape, expected_output_shape=out, expected_trainable=0)


def test_bad_output_size():
    with pytest.raises(ValueError, match=r"AdaptiveAveragePooling2D: `output_size` must be"):
        layers.AdaptiveAveragePooling2D((2, 3, 4))
