import numpy as np
import pytest

from neokeras import utils


def test_split_dataset_sizes_order_and_structure():
    x = np.arange(10).reshape(10, 1)
    y = np.arange(10) * 10
    (lx, ly), (rx, ry) = utils.split_dataset((x, y), left_size=0.8)
    np.testing.assert_array_equal(lx[:, 0], np.arange(8))
    np.testing.assert_array_equal(ry, [80, 90])
    left, right = utils.split_dataset(x, right_size=3)
    assert left.shape == (7, 1) and right.shape == (3, 1)
    left, right = utils.split_dataset({"a": x, "b": y}, left_size=4, right_size=2)
    assert left["a"].shape == (4, 1) and right["b"].tolist() == [40, 50]
    (sx, sy), (tx, ty) = utils.split_dataset((x, y), left_size=5, shuffle=True, seed=1)
    np.testing.assert_array_equal(sx[:, 0] * 10, sy)  # pairs stay together
    assert sorted(np.concatenate([sx[:, 0], tx[:, 0]]).tolist()) == list(range(10))
    assert sx[:, 0].tolist() != list(range(5))
    left, right = utils.split_dataset(x)
    assert len(left) == len(right) == 5


def test_split_dataset_errors():
    x = np.zeros((4, 2))
    with pytest.raises(ValueError, match="same first dimension"):
        utils.split_dataset((x, np.zeros(3)))
    with pytest.raises(ValueError, match=r"ask for 5 samples"):
        utils.split_dataset(x, left_size=3, right_size=2)
    with pytest.raises(ValueError, match=r"must be in \(0, 1\)"):
        utils.split_dataset(x, left_size=1.5)
