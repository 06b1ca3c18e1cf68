"""Metrics: accumulation over 3 batches against real Keras 3 accumulating the same batches (with
and without sample weights), exact accumulation inside compiled evaluate, serialization."""

import numpy as np
import pytest

import neokeras
from neokeras import metrics

B, D, C = 6, 3, 4


def _batches(kind, seed=0):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(3):
        if kind == "real":
            yt, yp = rng.normal(size=(B, D)), rng.normal(size=(B, D))
        elif kind == "positive":
            yt, yp = rng.random((B, D)) * 2 + 0.1, rng.random((B, D)) * 2 + 0.1
        elif kind == "binary":
            yt, yp = (rng.random((B, D)) > 0.5) * 1.0, rng.random((B, D))
        elif kind == "binary_logits":
            yt, yp = (rng.random((B, D)) > 0.5) * 1.0, rng.normal(size=(B, D)) * 2
        elif kind == "binary_1d":
            yt, yp = (rng.random(B) > 0.5) * 1.0, rng.random(B)
        elif kind == "categorical":
            p = rng.random((B, C)) + 0.05
            yt, yp = np.eye(C)[rng.integers(0, C, B)], p / p.sum(-1, keepdims=True)
        elif kind == "categorical_logits":
            yt, yp = np.eye(C)[rng.integers(0, C, B)], rng.normal(size=(B, C))
        elif kind == "sparse":
            p = rng.random((B, C)) + 0.05
            yt, yp = rng.integers(0, C, (B, 1)), p / p.sum(-1, keepdims=True)
        elif kind == "labels":
            yt, yp = rng.integers(0, C, (B, 2)), rng.integers(0, C, (B, 2))
        elif kind == "exact":
            yt = rng.integers(0, 3, (B, D))
            yp = np.where(rng.random((B, D)) > 0.5, yt, rng.integers(0, 3, (B, D)))
        elif kind == "shifted":  # correlated, with a shift and a scale
            yt = rng.normal(size=(B, D))
            yp = 1.5 * yt + 0.3 + rng.normal(size=(B, D)) * 0.5
        elif kind == "one_hot_labels":
            yt, yp = np.eye(C)[rng.integers(0, C, B)], rng.integers(0, C, B)
        elif kind == "distribution":
            a, b = rng.random((B, C)) + 0.05, rng.random((B, C)) + 0.05
            yt, yp = a / a.sum(-1, keepdims=True), b / b.sum(-1, keepdims=True)
        else:
            raise ValueError(kind)
        yt = yt.astype("int32") if np.asarray(yt).dtype.kind == "i" else yt.astype("float32")
        out.append((yt, yp.astype("float32") if yp.dtype.kind == "f" else yp.astype("int32"),
                    # IoU weights every entry (pixel), so its weights have the labels' shape.
                    rng.uniform(0.1, 2.0, yt.shape if kind == "labels" else B).astype("float32")))
    return out


CASES = [
    ("Accuracy", {}, "exact"),
    ("BinaryAccuracy", {}, "binary"),
    ("BinaryAccuracy", {"threshold": 0.3}, "binary"),
    ("CategoricalAccuracy", {}, "categorical"),
    ("SparseCategoricalAccuracy", {}, "sparse"),
    ("TopKCategoricalAccuracy", {"k": 2}, "categorical"),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, "sparse"),
    ("AUC", {}, "binary"),
    ("AUC", {"num_thresholds": 17}, "binary_1d"),
    ("AUC", {"curve": "PR"}, "binary"),
    ("AUC", {"curve": "PR", "summation_method": "minoring", "num_thresholds": 50}, "binary"),
    ("AUC", {"summation_method": "majoring"}, "binary"),
    ("AUC", {"multi_label": True, "num_labels": 3}, "binary"),
    ("AUC", {"multi_label": True}, "binary"),
    ("AUC", {"multi_label": True, "label_weights": [0.2, 1.0, 0.5]}, "binary"),
    ("AUC", {"from_logits": True, "curve": "PR"}, "binary_logits"),
    ("AUC", {"thresholds": [0.2, 0.5, 0.7]}, "binary"),
    ("Precision", {}, "binary"),
    ("Precision", {"thresholds": [0.3, 0.6]}, "binary"),
    ("Precision", {"top_k": 2}, "categorical"),
    ("Precision", {"class_id": 1}, "categorical"),
    ("Recall", {}, "binary"),
    ("Recall", {"top_k": 1, "class_id": 2}, "categorical"),
    ("TruePositives", {}, "binary"),
    ("TrueNegatives", {"thresholds": [0.2, 0.8]}, "binary"),
    ("FalsePositives", {}, "binary"),
    ("FalseNegatives", {}, "binary"),
    ("PrecisionAtRecall", {"recall": 0.6}, "binary"),
    ("RecallAtPrecision", {"precision": 0.5}, "binary"),
    ("SensitivityAtSpecificity", {"specificity": 0.5}, "binary"),
    ("SpecificityAtSensitivity", {"sensitivity": 0.5, "num_thresholds": 30}, "binary"),
    ("F1Score", {}, "categorical"),
    ("F1Score", {"average": "macro", "threshold": 0.3}, "categorical"),
    ("FBetaScore", {"beta": 2.0, "average": "weighted"}, "binary"),
    ("FBetaScore", {"beta": 0.5, "average": "micro", "threshold": 0.5}, "binary"),
    ("MeanSquaredError", {}, "real"),
    ("RootMeanSquaredError", {}, "real"),
    ("MeanAbsoluteError", {}, "real"),
    ("MeanAbsolutePercentageError", {}, "positive"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("CosineSimilarity", {}, "real"),
    ("LogCoshError", {}, "real"),
    ("R2Score", {}, "real"),
    ("R2Score", {"class_aggregation": "variance_weighted_average"}, "real"),
    ("R2Score", {"class_aggregation": None, "num_regressors": 2}, "real"),
    ("MeanIoU", {"num_classes": C}, "labels"),
    ("MeanIoU", {"num_classes": C, "ignore_class": 0}, "labels"),
    ("IoU", {"num_classes": C, "target_class_ids": [0, 2]}, "labels"),
    ("MeanIoU", {"num_classes": C, "sparse_y_true": False, "sparse_y_pred": False},
     "categorical"),
    ("BinaryIoU", {}, "binary"),
    ("BinaryIoU", {"target_class_ids": [1], "threshold": 0.3}, "binary"),
    ("OneHotIoU", {"num_classes": C, "target_class_ids": [1, 3]}, "categorical"),
    ("OneHotIoU", {"num_classes": C, "target_class_ids": [0, 2], "ignore_class": 1},
     "categorical"),
    ("OneHotMeanIoU", {"num_classes": C}, "categorical"),
    ("OneHotMeanIoU", {"num_classes": C, "sparse_y_pred": True}, "one_hot_labels"),
    ("PearsonCorrelation", {}, "real"),
    ("PearsonCorrelation", {"axis": 0}, "real"),
    ("ConcordanceCorrelation", {}, "real"),
    ("ConcordanceCorrelation", {"axis": 0}, "shifted"),
    ("BinaryCrossentropy", {}, "binary"),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, "binary_logits"),
    ("CategoricalCrossentropy", {}, "categorical"),
    ("CategoricalCrossentropy", {"from_logits": True}, "categorical_logits"),
    ("SparseCategoricalCrossentropy", {}, "sparse"),
    ("KLDivergence", {}, "distribution"),
    ("Poisson", {}, "positive"),
    ("Hinge", {}, "binary_logits"),
    ("SquaredHinge", {}, "binary_logits"),
    ("CategoricalHinge", {}, "categorical_logits"),
]
IDS = [f"{n}-{'-'.join(f'{k}={v}' for k, v in kw.items())}" for n, kw, _ in CASES]


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


@pytest.mark.parametrize("name, kwargs, kind", CASES, ids=IDS)
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_accumulates_like_keras(keras, name, kwargs, kind, weighted):
    ours = getattr(metrics, name)(**kwargs)
    theirs = getattr(keras.metrics, name)(**kwargs)
    for y_true, y_pred, sw in _batches(kind):
        sw = sw if weighted else None
        if sw is not None and "IoU" in name:
            # Keras keeps IoU counts in int32 and truncates float weights; ours keeps floats.
            sw = np.ceil(sw)
        if sw is not None and name == "BinaryIoU":  # one weight per entry
            sw = np.broadcast_to(sw[:, None], y_true.shape)
        if sw is not None and kwargs.get("axis") == 0:  # one value (and weight) per feature
            sw = sw[:y_true.shape[1]]
        ours.update_state(y_true, y_pred, sample_weight=sw)
        theirs.update_state(y_true, y_pred, sample_weight=sw)
    np.testing.assert_allclose(np.asarray(ours.result()), np.asarray(theirs.result()),
                               rtol=1e-4, atol=1e-5)
    ours.reset_state()
    theirs.reset_state()
    y_true, y_pred, _ = _batches(kind, seed=5)[0]
    ours.update_state(y_true, y_pred)
    theirs.update_state(y_true, y_pred)
    np.testing.assert_allclose(np.asarray(ours.result()), np.asarray(theirs.result()),
                               rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name, kwargs, kind", CASES[::2], ids=IDS[::2])
def test_serialization_round_trip_and_config(keras, name, kwargs, kind):
    metric = getattr(metrics, name)(**kwargs, name="m")
    config = metrics.serialize(metric)
    assert config["module"] == "keras.metrics" and config["class_name"] == name
    restored = metrics.deserialize(config)
    assert type(restored) is type(metric)
    assert restored.get_config() == metric.get_config()
    theirs = getattr(keras.metrics, name)(**kwargs, name="m").get_config()
    for key in set(theirs) - {"dtype"}:
        assert key in metric.get_config(), (name, key)


def test_mean_sum_and_wrapper_hand_computed():
    mean = metrics.Mean()
    mean.update_state([1.0, 2.0, 3.0])
    mean.update_state([[10.0, 20.0]], sample_weight=[2.0])  # one sample, value 15, weight 2
    np.testing.assert_allclose(mean.result(), (6 + 30) / 5)
    total = metrics.Sum()
    total.update_state([1.0, 2.0], sample_weight=[3.0, 0.5])
    np.testing.assert_allclose(total.result(), 4.0)
    mae = metrics.MeanMetricWrapper(metrics.mean_absolute_error, name="mae")
    mae.update_state([[0.0, 0.0]], [[1.0, 3.0]])
    mae.update_state([[0.0, 0.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]])
    np.testing.assert_allclose(mae.result(), (2 + 1 + 0) / 3)


def test_precision_recall_auc_hand_computed_over_batches():
    precision, recall, auc = metrics.Precision(), metrics.Recall(), metrics.AUC(num_thresholds=3)
    # batch 1: one TP, one FP; batch 2: one TP, one FN. Per-batch precision averages would
    # give (0.5 + 1) / 2; the accumulated answer is 2 / 3.
    for y_true, y_pred in (([1, 0], [0.9, 0.8]), ([1, 1], [0.7, 0.2])):
        for m in (precision, recall, auc):
            m.update_state(y_true, y_pred)
    np.testing.assert_allclose(precision.result(), 2 / 3, rtol=1e-6)
    np.testing.assert_allclose(recall.result(), 2 / 3, rtol=1e-6)
    # Thresholds {-eps, 0.5, 1+eps}: ROC points (1, 1), (1, 2/3), (0, 0) -> trapezoids.
    np.testing.assert_allclose(auc.result(), (1 - 1) * (1 + 2 / 3) / 2 + 1 * (2 / 3) / 2,
                               rtol=1e-6)


def test_call_returns_batch_value_and_accumulates():
    acc = metrics.BinaryAccuracy()
    np.testing.assert_allclose(acc([1, 0], [0.9, 0.9]), 0.5)
    np.testing.assert_allclose(acc([1, 1], [0.9, 0.9]), 1.0)
    np.testing.assert_allclose(acc.result(), 0.75)
    f1 = metrics.F1Score(average="micro")
    np.testing.assert_allclose(f1(np.eye(3), np.eye(3)), 1.0, rtol=1e-5)


def test_state_is_created_before_tracing():
    auc = metrics.AUC(multi_label=True)
    assert not auc.built and auc.variables == []
    auc.build((None, 5), (None, 5))
    assert [v.shape for v in auc.variables] == [(200, 5)] * 4
    for metric in (metrics.AUC(), metrics.Precision(), metrics.MeanIoU(3), metrics.Mean(),
                   metrics.TopKCategoricalAccuracy(), metrics.SensitivityAtSpecificity(0.5)):
        assert metric.variables and metric.built
    f1 = metrics.F1Score()
    scope_cls = __import__("neokeras.backend.common.stateless_scope",
                           fromlist=["StatelessScope"]).StatelessScope
    with pytest.raises(RuntimeError, match="build"):
        f1.stateless_update_state([], np.eye(3), np.eye(3))
    assert scope_cls  # the error above came from inside a stateless scope


def _compiled_model(metric_list, outputs):
    model = neokeras.Sequential([neokeras.Input((4,)),
                                 neokeras.layers.Dense(outputs, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=metric_list)
    return model


def test_compiled_evaluate_accumulates_exactly():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 4)).astype("float32")
    y = (rng.random((40, 3)) > 0.5).astype("float32")
    model = _compiled_model([metrics.AUC(name="auc"), metrics.Precision(name="precision"),
                             metrics.F1Score(average="macro", threshold=0.5, name="f1"),
                             metrics.AUC(multi_label=True, name="ml_auc")], 3)
    logs = model.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
    y_pred = model.predict(x, verbose=0)
    for name, metric in (("auc", metrics.AUC()), ("precision", metrics.Precision()),
                         ("f1", metrics.F1Score(average="macro", threshold=0.5)),
                         ("ml_auc", metrics.AUC(multi_label=True))):
        metric.update_state(y, y_pred)  # all data at once
        np.testing.assert_allclose(logs[name], float(metric.result()), rtol=1e-5, atol=1e-6)


def test_fit_with_metric_classes_logs_them():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(32, 4)).astype("float32")
    y = (rng.random((32, 1)) > 0.5).astype("float32")
    model = _compiled_model(["AUC", metrics.Recall(name="rec"), "mse"], 1)
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    for key in ("AUC", "rec", "mse", "loss"):  # a metric given by name logs under it (Keras 3)
        assert len(history.history[key]) == 2 and np.isfinite(history.history[key]).all()


def test_get_and_errors():
    # As Keras 3: names of classes (and their aliases) give instances, Keras 2 function-only
    # spellings the function (tests/losses/test_get_aliases.py checks every name).
    assert isinstance(metrics.get("mae"), metrics.MeanAbsoluteError)
    assert isinstance(metrics.get("AUC"), metrics.AUC)
    assert isinstance(metrics.get("top_k_categorical_accuracy"), metrics.TopKCategoricalAccuracy)
    assert metrics.get("logcosh") is metrics.log_cosh
    with pytest.raises(ValueError, match="Unknown metric 'nope'"):
        metrics.get("nope")
    with pytest.raises(ValueError, match="curve"):
        metrics.AUC(curve="XYZ")
    with pytest.raises(ValueError, match="threshold"):
        metrics.Precision(thresholds=1.5)
    with pytest.raises(ValueError, match="recall"):
        metrics.PrecisionAtRecall(recall=2.0)
    with pytest.raises(ValueError, match="average"):
        metrics.F1Score(average="mean")
    with pytest.raises(ValueError, match="2D inputs"):
        metrics.R2Score().update_state(np.zeros(3), np.zeros(3))
