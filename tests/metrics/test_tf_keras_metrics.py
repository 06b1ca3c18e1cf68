"""MeanRelativeError and MeanTensor (tf-keras 2.21) against tf-keras's recorded results."""

import numpy as np
import pytest

import neokeras
from tf_keras_fixtures import load


@pytest.mark.parametrize("index", range(3))
def test_mean_relative_error_matches_tf_keras(index):
    case = load()["mean_relative_error"][index]
    metric = neokeras.metrics.MeanRelativeError(normalizer=case["normalizer"])
    for (y_true, y_pred, weight), expected in zip(case["updates"], case["results"]):
        metric.update_state(y_true, y_pred, sample_weight=weight)
        np.testing.assert_allclose(float(metric.result()), expected, rtol=1e-6)
    config = metric.get_config()
    assert config["name"] == "mean_relative_error" and config["dtype"] == "float32"
    np.testing.assert_array_equal(config["normalizer"], case["config"]["normalizer"])
    clone = neokeras.metrics.deserialize(neokeras.metrics.serialize(metric))
    np.testing.assert_array_equal(np.asarray(clone.normalizer), case["config"]["normalizer"])
    metric.reset_state()
    assert float(metric.result()) == 0.0


def test_mean_relative_error_in_fit():
    model = neokeras.Sequential([neokeras.Input((1,)), neokeras.layers.Dense(
        1, kernel_initializer="ones", bias_initializer="zeros")])
    model.compile("sgd", "mse", metrics=[neokeras.metrics.MeanRelativeError(normalizer=2.0)])
    x = np.array([[1.0], [2.0], [3.0], [4.0]], "float32")
    logs = model.evaluate(x, x + 1.0, batch_size=3, return_dict=True, verbose=0)
    assert logs["mean_relative_error"] == pytest.approx(0.5)


@pytest.mark.parametrize("index", range(3))
def test_mean_tensor_matches_tf_keras(index):
    case = load()["mean_tensor"][index]
    metric = neokeras.metrics.MeanTensor(shape=case["shape"])
    assert metric.built is (case["shape"] is not None)
    for (values, weight), expected in zip(case["updates"], case["results"]):
        metric.update_state(values, sample_weight=weight)
        np.testing.assert_allclose(np.asarray(metric.result()), expected, rtol=1e-6)
    assert metric.get_config() == case["config"]
    assert [v.name for v in metric.variables] == ["total", "count"]


def test_mean_tensor_errors_and_reset():
    metric = neokeras.metrics.MeanTensor()
    assert metric.total is None and metric.count is None
    with pytest.raises(ValueError, match="does not have any value yet"):
        metric.result()
    np.testing.assert_allclose(np.asarray(metric([1.0, 3.0])), [1.0, 3.0])
    with pytest.raises(ValueError, match=r"same shape. Expected shape .*\(2,\). Got: \(3,\)"):
        metric.update_state([1.0, 2.0, 3.0])
    metric.reset_state()
    np.testing.assert_allclose(np.asarray(metric.result()), [0.0, 0.0])
    assert isinstance(neokeras.metrics.get("mean_tensor"), neokeras.metrics.MeanTensor)
