"""The `keras.src` compatibility mirrors that keras-hub imports: the objects they hand out, and
the one helper implemented there (`class_weight_to_sample_weights`) against real Keras."""

import numpy as np
import pytest

import neokeras
from neokeras.src.trainers.data_adapters import data_adapter_utils


def test_mirrors_hand_out_neokeras_objects():
    from neokeras.src import backend, distribution, losses
    from neokeras.src.distribution import distribution_lib
    from neokeras.src.losses import losses as losses_module
    from neokeras.src.saving import serialization_lib
    from neokeras.src.utils import backend_utils

    x = neokeras.ops.ones((2, 3))
    backend.set_keras_mask(x, neokeras.ops.ones((2,), "bool"))
    assert backend.get_keras_mask(x) is not None
    assert losses_module.LossFunctionWrapper is neokeras.losses.LossFunctionWrapper
    assert losses.MeanSquaredError is neokeras.losses.MeanSquaredError
    assert distribution_lib.distribution is neokeras.distribution.distribution
    assert distribution.distribute_tensor is neokeras.distribution.distribute_tensor
    assert serialization_lib.in_safe_mode() in (True, None)
    assert backend_utils.in_grain_data_pipeline() is False


@pytest.mark.parametrize("y,class_weight", [
    (np.array([0, 1, 2, 1]), {0: 0.5, 1: 2.0, 2: 3.0}),
    (np.array([0, 1, 2, 1]), {1: 2.0}),  # classes left out weigh 1
    (np.eye(3)[[2, 0, 1]], {0: 0.25, 2: 4.0}),  # one-hot rows
    (np.array([[0.2], [0.9], [1.0]]), {0: 3.0, 1: 0.5}),  # a column of (rounded) labels
])
def test_class_weight_to_sample_weights_as_keras(y, class_weight):
    pytest.importorskip("keras")
    from keras.src.trainers.data_adapters import data_adapter_utils as theirs

    got = data_adapter_utils.class_weight_to_sample_weights(y, class_weight)
    expected = theirs.class_weight_to_sample_weights(y, class_weight)
    np.testing.assert_array_equal(got, expected)
    assert got.dtype == expected.dtype
