"""pack/unpack_x_y_sample_weight against Keras."""

import pytest

from neokeras import utils

keras = pytest.importorskip("keras")
X, Y, W = [1, 2], [3], [4]


@pytest.mark.parametrize("args", [(X,), ("x",), (X, Y), (X, Y, W), ("x", None, W)])
def test_pack(args):
    assert utils.pack_x_y_sample_weight(*args) == keras.utils.pack_x_y_sample_weight(*args)


@pytest.mark.parametrize("data", ["x", ("x",), ("x", "y"), ["x", "y", "w"], (X, Y, W)])
def test_unpack(data):
    assert utils.unpack_x_y_sample_weight(data) == keras.utils.unpack_x_y_sample_weight(data)


def test_unpack_too_long():
    with pytest.raises(ValueError, match="length 4"):
        utils.unpack_x_y_sample_weight((1, 2, 3, 4))
