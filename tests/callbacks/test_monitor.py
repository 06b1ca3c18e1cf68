"""`mode="auto"` of the monitoring callbacks against Keras 3.15.1: the monitored metric
object's `_direction` decides, then the name `loss`; where Keras 3 cannot decide (it
raises), neokeras keeps Keras 2's name rule."""

import inspect

import numpy as np
import pytest

import neokeras

keras = pytest.importorskip("keras")

_X = np.random.default_rng(0).random((16, 3)).astype("float32")
_Y = (_X[:, :1] > 0.5).astype("float32")

# monitor, metrics given to compile (built per framework), direction (None: Keras raises)
_CASES = [
    ("val_loss", lambda k: [], "min"),
    ("loss", lambda k: [], "min"),
    ("val_accuracy", lambda k: ["accuracy"], "max"),
    ("val_acc", lambda k: ["acc"], "max"),
    ("val_auc", lambda k: ["auc"], "max"),
    ("val_mse", lambda k: ["mse"], "min"),
    ("val_precision", lambda k: [k.metrics.Precision()], "max"),
    ("val_score", lambda k: [k.metrics.AUC(name="score")], "max"),
    ("val_r2_score", lambda k: [k.metrics.R2Score()], "max"),
    ("val_cos", lambda k: [k.metrics.CosineSimilarity(name="cos")], "max"),
    ("val_my_accuracy", lambda k: [k.metrics.MeanSquaredError(name="my_accuracy")], "min"),
    ("val_bce", lambda k: [k.metrics.MeanMetricWrapper(k.losses.binary_crossentropy,
                                                       name="bce")], "min"),
    ("val_binary_crossentropy", lambda k: ["binary_crossentropy"], "min"),
    ("val_hinge_m", lambda k: [k.metrics.Hinge(name="hinge_m")], "min"),
    ("val_my_acc", lambda k: [k.metrics.MeanMetricWrapper(lambda t, p: p, name="my_acc")], None),
    ("val_mean", lambda k: [k.metrics.MeanMetricWrapper(lambda t, p: p, name="mean")], None),
]
_CALLBACKS = {
    "EarlyStopping": lambda k, monitor, tmp: k.callbacks.EarlyStopping(monitor=monitor),
    "ReduceLROnPlateau": lambda k, monitor, tmp: k.callbacks.ReduceLROnPlateau(monitor=monitor),
    "ModelCheckpoint": lambda k, monitor, tmp: k.callbacks.ModelCheckpoint(
        str(tmp / f"{k.__name__}.weights.h5"), monitor=monitor, save_best_only=True,
        save_weights_only=True),
}


def _fit(k, monitor, metrics, make_callback, tmp_path):
    model = k.Sequential([k.Input((3,)), k.layers.Dense(1, activation="sigmoid")])
    model.compile("sgd", "binary_crossentropy", metrics=metrics(k))
    callback = make_callback(k, monitor, tmp_path)
    model.fit(_X, _Y, validation_data=(_X, _Y), epochs=1, verbose=0, callbacks=[callback])
    return callback


def _keras_direction(monitor, metrics, make_callback, tmp_path):
    try:
        callback = _fit(keras, monitor, metrics, make_callback, tmp_path)
    except ValueError as error:
        assert "isn't able to automatically determine" in str(error)
        return None
    return {"less": "min", "greater": "max"}[callback.monitor_op.__name__]


@pytest.mark.parametrize("monitor,metrics,direction", _CASES, ids=[c[0] for c in _CASES])
def test_auto_mode_direction_matches_keras(monitor, metrics, direction, tmp_path):
    assert _keras_direction(monitor, metrics, _CALLBACKS["EarlyStopping"], tmp_path) == direction
    callback = _fit(neokeras, monitor, metrics, _CALLBACKS["EarlyStopping"], tmp_path)
    name_rule = "max" if "acc" in monitor or "auc" in monitor else "min"
    assert callback._monitor.mode == (direction or name_rule)


@pytest.mark.parametrize("name", ["ReduceLROnPlateau", "ModelCheckpoint"])
def test_every_monitoring_callback_asks_the_metric_object(name, tmp_path):
    metrics = lambda k: [k.metrics.AUC(name="score")]  # noqa: E731
    assert _keras_direction("val_score", metrics, _CALLBACKS[name], tmp_path) == "max"
    callback = _fit(neokeras, "val_score", metrics, _CALLBACKS[name], tmp_path)
    assert callback._monitor.mode == "max"


def test_custom_metric_direction_decides():
    class Score(neokeras.metrics.MeanMetricWrapper):
        def __init__(self, name):
            super().__init__(lambda t, p: p, name=name)
            self._direction = "up"

    model = neokeras.Sequential([neokeras.Input((3,)), neokeras.layers.Dense(1)])
    model.compile("sgd", "mse", metrics=[Score(name="loss_like")])
    stopper = neokeras.callbacks.EarlyStopping(monitor="val_loss_like", patience=0)
    values = iter([1.0, 2.0, 3.0, 2.5])

    class Script(neokeras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["val_loss_like"] = next(values)

    history = model.fit(_X, _Y, epochs=4, verbose=0, callbacks=[Script(), stopper])
    assert history.epoch == [0, 1, 2, 3] and stopper.best == 3.0 and stopper.stopped_epoch == 3


_METRIC_ARGS = {
    "IoU": dict(num_classes=2, target_class_ids=[0]), "MeanIoU": dict(num_classes=2),
    "OneHotIoU": dict(num_classes=2, target_class_ids=[0]), "OneHotMeanIoU": dict(num_classes=2),
    "SensitivityAtSpecificity": dict(specificity=0.5),
    "SpecificityAtSensitivity": dict(sensitivity=0.5), "PrecisionAtRecall": dict(recall=0.5),
    "RecallAtPrecision": dict(precision=0.5), "MeanMetricWrapper": dict(fn=lambda t, p: p),
}
_METRIC_CLASSES = sorted(
    name for name, value in vars(keras.metrics).items()
    if inspect.isclass(value) and issubclass(value, keras.metrics.Metric))


@pytest.mark.parametrize("name", _METRIC_CLASSES)
def test_metric_direction_matches_keras(name):
    expected = getattr(getattr(keras.metrics, name)(**_METRIC_ARGS.get(name, {})), "_direction",
                       None)
    metric = getattr(neokeras.metrics, name)(**_METRIC_ARGS.get(name, {}))
    assert getattr(metric, "_direction", None) == expected
