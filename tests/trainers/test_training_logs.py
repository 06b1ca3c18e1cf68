"""What docs/training.md says about training logs (user pain #15), against real Keras 3.15.1:
the `History` keys of common `compile` spellings (its table: each row is checked on both
neokeras and Keras, JAX backend, for a one-epoch fit with validation data), and why the loss
`fit` reports differs from `evaluate`'s."""

import numpy as np
import pytest

import neokeras

_BINARY = ((1, "sigmoid"), "binary_crossentropy", "b")
_CATEGORICAL = ((3, "softmax"), "categorical_crossentropy", "c")
_SPARSE = ((3, "softmax"), "sparse_categorical_crossentropy", "s")

# id -> (model kind, compile arguments as a function of the library, expected History keys)
_TABLE = {
    "no metrics": (_BINARY, lambda k: {}, ["loss", "val_loss"]),
    '["acc"]': (_BINARY, lambda k: {"metrics": ["acc"]},
                ["acc", "loss", "val_acc", "val_loss"]),
    '["accuracy"]': (_BINARY, lambda k: {"metrics": ["accuracy"]},
                     ["accuracy", "loss", "val_accuracy", "val_loss"]),
    '["accuracy"], categorical': (_CATEGORICAL, lambda k: {"metrics": ["accuracy"]},
                                  ["accuracy", "loss", "val_accuracy", "val_loss"]),
    '["acc"], sparse': (_SPARSE, lambda k: {"metrics": ["acc"]},
                        ["acc", "loss", "val_acc", "val_loss"]),
    "[Accuracy()]": (_BINARY, lambda k: {"metrics": [k.metrics.Accuracy()]},
                     ["accuracy", "loss", "val_accuracy", "val_loss"]),
    "[BinaryAccuracy()]": (_BINARY, lambda k: {"metrics": [k.metrics.BinaryAccuracy()]},
                           ["binary_accuracy", "loss", "val_binary_accuracy", "val_loss"]),
    "[binary_accuracy function]": (
        _BINARY, lambda k: {"metrics": [k.metrics.binary_accuracy]},
        ["binary_accuracy", "loss", "val_binary_accuracy", "val_loss"]),
    '["mae"]': (_BINARY, lambda k: {"metrics": ["mae"]}, ["loss", "mae", "val_loss", "val_mae"]),
    '["mse"]': (_BINARY, lambda k: {"metrics": ["mse"]}, ["loss", "mse", "val_loss", "val_mse"]),
    '["mean_squared_error"]': (
        _BINARY, lambda k: {"metrics": ["mean_squared_error"]},
        ["loss", "mean_squared_error", "val_loss", "val_mean_squared_error"]),
    "[MeanSquaredError()]": (
        _BINARY, lambda k: {"metrics": [k.metrics.MeanSquaredError()]},
        ["loss", "mean_squared_error", "val_loss", "val_mean_squared_error"]),
    "[AUC()]": (_BINARY, lambda k: {"metrics": [k.metrics.AUC()]},
                ["auc", "loss", "val_auc", "val_loss"]),
    '["mae", "mae"]': (_BINARY, lambda k: {"metrics": ["mae", "mae"]},
                       ["loss", "mae", "mae_1", "val_loss", "val_mae", "val_mae_1"]),
    'weighted_metrics=["mae"]': (_BINARY, lambda k: {"weighted_metrics": ["mae"]},
                                 ["loss", "mae", "val_loss", "val_mae"]),
    'metrics=["mae"], weighted_metrics=["mae"]': (
        _BINARY, lambda k: {"metrics": ["mae"], "weighted_metrics": ["mae"]},
        ["loss", "mae", "val_loss", "val_mae", "val_weighted_mae", "weighted_mae"]),
    'metrics=["acc"], weighted_metrics=["acc", "acc"]': (
        _BINARY, lambda k: {"metrics": ["acc"], "weighted_metrics": ["acc", "acc"]},
        ["acc", "loss", "val_acc", "val_loss", "val_weighted_acc", "val_weighted_acc_1",
         "weighted_acc", "weighted_acc_1"]),
    'two outputs "a", "b": [["acc"], ["accuracy"]]': (
        "multi", lambda k: {"metrics": [["acc"], ["accuracy"]]},
        ["a_acc", "a_loss", "b_accuracy", "b_loss", "loss", "val_a_acc", "val_a_loss",
         "val_b_accuracy", "val_b_loss", "val_loss"]),
    'two outputs "a", "b": {"a": "acc", "b": ["mae", "accuracy"]}': (
        "multi", lambda k: {"metrics": {"a": "acc", "b": ["mae", "accuracy"]}},
        ["a_acc", "a_loss", "b_accuracy", "b_loss", "b_mae", "loss", "val_a_acc",
         "val_a_loss", "val_b_accuracy", "val_b_loss", "val_b_mae", "val_loss"]),
}


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 3)).astype("float32")
    targets = {"b": (x[:, :1] > 0).astype("float32"),
               "c": np.eye(3, dtype="float32")[rng.integers(0, 3, 16)],
               "s": rng.integers(0, 3, (16, 1))}
    return x, targets


def _history_keys(lib, case):
    head, compile_args, _ = _TABLE[case]
    x, targets = _data()
    if head == "multi":
        inputs = lib.layers.Input((3,))
        outputs = [lib.layers.Dense(1, activation="sigmoid", name="a")(inputs),
                   lib.layers.Dense(3, activation="softmax", name="b")(inputs)]
        model = lib.Model(inputs, outputs)
        loss = ["binary_crossentropy", "categorical_crossentropy"]
        y = [targets["b"], targets["c"]]
    else:
        (units, activation), loss, target = head
        model = lib.Sequential([lib.layers.Input((3,)),
                                lib.layers.Dense(units, activation=activation)])
        y = targets[target]
    model.compile("sgd", loss, **compile_args(lib))
    history = model.fit(x, y, epochs=1, verbose=0, validation_data=(x, y),
                        sample_weight=np.linspace(0.5, 1.5, 16).astype("float32"))
    return list(history.history)


@pytest.mark.parametrize("case", list(_TABLE))
def test_history_keys_match_keras(case):
    keras = pytest.importorskip("keras")
    expected = _TABLE[case][2]
    assert _history_keys(keras, case) == expected
    assert _history_keys(neokeras, case) == expected


def test_keras2_metric_spellings_that_keras3_refuses_are_accepted():
    # A bare string, and a flat list for several outputs (applied to every output), are
    # Keras 2 (tf.keras) spellings: Keras 3 raises, neokeras accepts them.
    keras = pytest.importorskip("keras")
    x, targets = _data()
    for lib in (keras, neokeras):
        model = lib.Sequential([lib.layers.Input((3,)), lib.layers.Dense(1)])
        if lib is keras:
            with pytest.raises(ValueError, match="metrics"):
                model.compile("sgd", "mse", metrics="mae")
        else:
            model.compile("sgd", "mse", metrics="mae")
            assert list(model.fit(x, targets["b"], verbose=0).history) == ["loss", "mae"]
    inputs = neokeras.layers.Input((3,))
    model = neokeras.Model(inputs, [neokeras.layers.Dense(1, name="a")(inputs),
                                    neokeras.layers.Dense(1, name="b")(inputs)])
    model.compile("sgd", "mse", metrics=["mae"])
    history = model.fit(x, [targets["b"], targets["b"]], verbose=0)
    assert list(history.history) == ["a_loss", "a_mae", "b_loss", "b_mae", "loss"]


@pytest.mark.parametrize("learning_rate, dropout, same", [
    (0.0, 0.0, True), (0.1, 0.0, False), (0.0, 0.5, False)])
def test_fit_loss_equals_evaluate_loss_only_without_updates_and_dropout(
        learning_rate, dropout, same):
    # The epoch loss of `fit` is a mean over batches seen with the weights of that moment and
    # training=True; with no weight change and no dropout it is `evaluate`'s loss.
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 3)).astype("float32")
    y = x @ np.array([[1.0], [2.0], [-1.0]], "float32")
    neokeras.utils.set_random_seed(1)
    model = neokeras.Sequential([neokeras.layers.Input((3,)), neokeras.layers.Dropout(dropout),
                                 neokeras.layers.Dense(1)])
    model.compile(neokeras.optimizers.SGD(learning_rate), "mse")
    fit_loss = model.fit(x, y, batch_size=16, epochs=1, shuffle=False,
                         verbose=0).history["loss"][0]
    evaluate_loss = model.evaluate(x, y, batch_size=16, verbose=0)
    assert np.isclose(fit_loss, evaluate_loss, rtol=1e-5) == same
