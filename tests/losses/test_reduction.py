"""keras.losses.Reduction (tf-keras): the four names, `all`, `validate`, and losses taking them."""

import numpy as np
import pytest

import neokeras
from neokeras.losses import Reduction


def test_names_and_validation_as_tf_keras():
    assert (Reduction.AUTO, Reduction.NONE, Reduction.SUM, Reduction.SUM_OVER_BATCH_SIZE) == (
        "auto", "none", "sum", "sum_over_batch_size")
    assert Reduction.all() == ("auto", "none", "sum", "sum_over_batch_size")
    Reduction.validate("sum")
    with pytest.raises(ValueError, match=r"Invalid Reduction Key: bad\. Expected keys are "
                                         r"\"\('auto', 'none', 'sum', 'sum_over_batch_size'\)\""):
        Reduction.validate("bad")


@pytest.mark.parametrize("reduction, expected", [
    (Reduction.AUTO, 2.5), (Reduction.SUM_OVER_BATCH_SIZE, 2.5), (Reduction.SUM, 5.0),
    (Reduction.NONE, [1.0, 4.0])])
def test_losses_accept_them(reduction, expected):
    loss = neokeras.losses.MeanSquaredError(reduction=reduction)
    value = loss(np.zeros((2, 1), "float32"), np.array([[1.0], [2.0]], "float32"))
    np.testing.assert_allclose(np.asarray(value), expected)
