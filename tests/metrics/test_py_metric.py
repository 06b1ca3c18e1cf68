"""keras.metrics.experimental.PyMetric (tf-keras): Python state updated on the host, eagerly and
from compiled fit/evaluate steps, equal to the in-graph metric it mirrors."""

import numpy as np
import pytest

import neokeras
from neokeras.metrics.experimental import PyMetric


class HostMAE(PyMetric):
    """Weighted mean absolute error in numpy, recording what it was given."""

    def __init__(self, name="host_mae", **kwargs):
        super().__init__(name=name, **kwargs)

    def update_state(self, y_true, y_pred, sample_weight=None):
        assert isinstance(y_true, np.ndarray) and isinstance(y_pred, np.ndarray)
        self.batches.append(len(y_true))
        errors = np.abs(y_true - y_pred).mean(axis=-1)
        weight = np.ones_like(errors) if sample_weight is None else sample_weight.reshape(-1)
        self.total += float((errors * weight).sum())
        self.weight += float(weight.sum())

    def reset_state(self):
        self.total, self.weight, self.batches = 0.0, 0.0, []

    def result(self):
        return self.total / self.weight if self.weight else 0.0


def test_eager_use_and_reset():
    metric = HostMAE()
    assert metric.result() == 0.0
    metric.update_state(np.zeros((2, 2)), np.array([[1.0, 3.0], [2.0, 2.0]]))
    np.testing.assert_allclose(float(metric.result()), 2.0)
    np.testing.assert_allclose(float(metric(np.zeros((1, 2)), np.ones((1, 2)),
                                            sample_weight=np.array([2.0]))), 6.0 / 4.0)
    assert metric.result().dtype == "float32"
    metric.reset_state()
    assert metric.batches == [] and float(metric.result()) == 0.0
    assert metric.variables == [] and metric.get_config() == {"name": "host_mae",
                                                              "dtype": "float32"}


def _model():
    model = neokeras.Sequential([neokeras.Input((3,)), neokeras.layers.Dense(2)])
    model.set_weights([np.arange(6, dtype="float32").reshape(3, 2) / 6, np.zeros(2, "float32")])
    return model


@pytest.mark.parametrize("weighted", [False, True])
def test_fit_and_evaluate_match_the_in_graph_metric(weighted):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(10, 3)), rng.normal(size=(10, 2))
    weight = rng.uniform(0.5, 2.0, size=(10,)) if weighted else None
    host = HostMAE()
    results = []
    for metric in (host, neokeras.metrics.MeanAbsoluteError(name="host_mae")):
        model = _model()
        kind = "weighted_metrics" if weighted else "metrics"
        model.compile(neokeras.optimizers.SGD(0.1), "mse", **{kind: [metric]})
        history = model.fit(x, y, sample_weight=weight, batch_size=4, epochs=2, shuffle=False,
                            verbose=0)
        logs = model.evaluate(x, y, sample_weight=weight, batch_size=3, return_dict=True,
                              verbose=0)
        results.append((history.history, logs))
    np.testing.assert_allclose(results[0][0]["host_mae"], results[1][0]["host_mae"], rtol=1e-5)
    np.testing.assert_allclose(results[0][0]["loss"], results[1][0]["loss"], rtol=1e-6)
    np.testing.assert_allclose(results[0][1]["host_mae"], results[1][1]["host_mae"], rtol=1e-5)
    # The last evaluate saw its real batches, unpadded: 3, 3, 3 and 1 rows.
    assert host.batches == [3, 3, 3, 1]


def test_unimplemented_methods_raise():
    class Empty(PyMetric):
        def reset_state(self):
            pass

    metric = Empty()
    with pytest.raises(NotImplementedError, match="update_state"):
        metric.update_state(np.zeros(1), np.zeros(1))
    with pytest.raises(NotImplementedError, match="result"):
        metric.result()
    with pytest.raises(NotImplementedError, match="merge_state"):
        metric.merge_state([])
