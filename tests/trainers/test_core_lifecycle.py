"""The model life cycle of the seed: define, compile, fit, evaluate, predict."""

import numpy as np
import pytest

import neokeras as keras
from neokeras import layers

RNG = np.random.default_rng(0)


def mlp(input_dim=5, out=3, activation="softmax"):
    return keras.Sequential([layers.Dense(8, input_dim=input_dim, activation="relu"),
                             layers.Dense(out, activation=activation)])


def classification_data(n=24, dim=5, classes=3):
    x = RNG.standard_normal((n, dim)).astype("float32")
    return x, RNG.integers(0, classes, n)


# ---------------------------------------------------------------- Sequential construction
def test_sequential_empty_list_add_pop():
    model = keras.Sequential()
    assert model.layers == [] and not model.built
    model.add(layers.Dense(4, input_dim=3))
    model.add(layers.Dense(2))
    assert [l.name for l in model.layers] == ["dense", "dense_1"]
    assert model.output_shape == (None, 2)
    popped = model.pop()
    assert popped.name == "dense_1" and len(model.layers) == 1
    assert model.output_shape == (None, 4)
    with pytest.raises(TypeError, match="Layer instance"):
        model.add("dense")
    with pytest.raises(IndexError):
        keras.Sequential().pop()


def test_explicit_and_deferred_build():
    model = keras.Sequential([layers.Dense(4), layers.Dense(2)])
    assert not model.built
    with pytest.raises(ValueError, match="built"):
        model.count_params()
    model.build((None, 3))
    assert model.built and model.count_params() == 3 * 4 + 4 + 4 * 2 + 2
    deferred = keras.Sequential([layers.Dense(4), layers.Dense(2)])
    deferred.compile("sgd", "mse")
    deferred.fit(np.ones((4, 6), "float32"), np.ones((4, 2), "float32"), verbose=0)
    assert deferred.built and deferred.layers[0].kernel.shape == (6, 4)
    assert deferred.input_shape == (None, 6)


def test_summary_count_params_get_weights(capsys):
    model = mlp()
    model.summary()
    text = capsys.readouterr().out
    assert 'Model: "sequential"' in text
    assert "dense (Dense)" in text and "(None, 8)" in text and "48" in text
    assert "dense_1 (Dense)" in text and "(None, 3)" in text and "27" in text
    assert "Total params: 75" in text
    assert model.count_params() == 75
    weights = model.get_weights()
    assert [w.shape for w in weights] == [(5, 8), (8,), (8, 3), (3,)]
    model.set_weights([np.zeros_like(w) for w in weights])
    np.testing.assert_allclose(model.predict(np.ones((2, 5), "float32"), verbose=0), 1 / 3)


# ---------------------------------------------------------------- compile
@pytest.mark.parametrize("optimizer", ["sgd", "adam", "rmsprop", "SGD", "Adam"])
def test_compile_with_optimizer_names(optimizer):
    model = mlp()
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy")
    assert type(model.optimizer).__name__.lower() == optimizer.lower()


@pytest.mark.parametrize("loss", ["sparse_categorical_crossentropy",
                                  keras.losses.sparse_categorical_crossentropy,
                                  keras.losses.SparseCategoricalCrossentropy()])
def test_loss_as_string_function_or_object_give_same_value(loss):
    model = mlp()
    model.compile(keras.optimizers.SGD(learning_rate=0.1), loss=loss)
    x, y = classification_data()
    p = model.predict(x, verbose=0)
    expected = -np.mean(np.log(np.clip(p[np.arange(len(y)), y], 1e-7, 1)))
    np.testing.assert_allclose(model.evaluate(x, y, verbose=0), expected, rtol=1e-5)


@pytest.mark.parametrize("loss,out,y_kind,expected_fn", [
    ("binary_crossentropy", 1, "binary", "binary"),
    ("categorical_crossentropy", 3, "onehot", "categorical"),
    ("sparse_categorical_crossentropy", 3, "sparse", "sparse"),
    ("mse", 1, "binary", "binary"),
])
@pytest.mark.parametrize("name", ["accuracy", "acc"])
def test_accuracy_resolved_by_loss_and_shapes(loss, out, y_kind, expected_fn, name):
    activation = "sigmoid" if out == 1 else "softmax"
    model = mlp(out=out, activation=activation)
    model.compile("sgd", loss, metrics=[name])
    x, labels = classification_data(classes=out if out > 1 else 2)
    y = {"binary": labels[:, None].astype("float32"), "sparse": labels,
         "onehot": np.eye(3, dtype="float32")[labels]}[y_kind]
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    p = model.predict(x, verbose=0)
    if expected_fn == "binary":
        expected = np.mean((p > 0.5) == (y > 0.5))
    else:
        expected = np.mean(np.argmax(p, -1) == labels)
    assert set(logs) == {"loss", name}
    np.testing.assert_allclose(logs[name], expected, rtol=1e-6)


def test_named_and_custom_metrics_logged_under_their_names():
    model = keras.Sequential([layers.Dense(2, input_dim=3)])

    def max_error(y_true, y_pred):
        return keras.ops.max(keras.ops.abs(y_true - y_pred), axis=-1)

    model.compile("sgd", "mse", metrics=["mse", "mae", max_error])
    x = RNG.standard_normal((10, 3)).astype("float32")
    y = RNG.standard_normal((10, 2)).astype("float32")
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    p = model.predict(x, verbose=0)
    assert set(logs) == {"loss", "mse", "mae", "max_error"}
    np.testing.assert_allclose(logs["mse"], np.mean((p - y) ** 2), rtol=1e-5)
    np.testing.assert_allclose(logs["loss"], logs["mse"], rtol=1e-6)
    np.testing.assert_allclose(logs["mae"], np.mean(np.abs(p - y)), rtol=1e-5)
    np.testing.assert_allclose(logs["max_error"], np.mean(np.abs(p - y).max(-1)), rtol=1e-5)


# ---------------------------------------------------------------- fit / evaluate / predict
def test_fit_history_per_epoch_with_validation():
    model = mlp()
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y = classification_data(40)
    history = model.fit(x, y, batch_size=8, epochs=3, validation_split=0.25, verbose=0)
    assert history is model.history
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 3 and all(isinstance(e, float) for e in v)
               for v in history.history.values())
    assert history.epoch == [0, 1, 2]
    # The last validation loss is the model's loss on the held-out last 25%.
    np.testing.assert_allclose(history.history["val_loss"][-1],
                               model.evaluate(x[30:], y[30:], verbose=0)[0], rtol=1e-5)
    history = model.fit(x, y, epochs=1, validation_data=(x[:8], y[:8]), verbose=0)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}


def test_evaluate_return_types():
    x, y = classification_data()
    model = mlp()
    model.compile("sgd", "sparse_categorical_crossentropy")
    loss = model.evaluate(x, y, verbose=0)
    assert isinstance(loss, float)
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    values = model.evaluate(x, y, verbose=0)
    assert isinstance(values, list) and len(values) == 2
    loss, accuracy = model.evaluate(x, y, verbose=0)
    assert 0 <= accuracy <= 1
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert logs == {"loss": loss, "accuracy": accuracy}
    assert model.metrics_names == ["loss", "accuracy"]


def test_predict_batched_numpy_and_call_agree():
    model = mlp()
    x, _ = classification_data(23)
    p = model.predict(x, batch_size=5, verbose=0)
    assert isinstance(p, np.ndarray) and p.shape == (23, 3) and p.dtype == np.float32
    np.testing.assert_allclose(p, np.asarray(model(x)), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(p, model.predict(x, verbose=0), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(p.sum(-1), 1.0, rtol=1e-5)


def test_on_batch_methods():
    model = mlp()
    model.compile(keras.optimizers.SGD(0.5), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    x, y = classification_data()
    before = model.test_on_batch(x, y)
    assert isinstance(before, list) and len(before) == 2
    for _ in range(5):
        result = model.train_on_batch(x, y)
    assert isinstance(result, list) and len(result) == 2
    after = model.test_on_batch(x, y, return_dict=True)
    assert set(after) == {"loss", "accuracy"} and after["loss"] < before[0]
    p = model.predict_on_batch(x)
    assert isinstance(p, np.ndarray) and p.shape == (24, 3)
    np.testing.assert_allclose(p, model.predict(x, verbose=0), rtol=1e-6, atol=1e-6)
    model.compile("sgd", "sparse_categorical_crossentropy")
    assert isinstance(model.train_on_batch(x, y), float)


def test_verbose_outputs(capsys):
    model = mlp()
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y = classification_data()
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    model.evaluate(x, y, verbose=0)
    model.predict(x, verbose=0)
    assert capsys.readouterr().out == ""
    model.fit(x, y, epochs=2, batch_size=8, verbose=1)
    out = capsys.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out and "3/3" in out
    assert "loss:" in out and "accuracy:" in out
    model.fit(x, y, epochs=2, batch_size=8, verbose=2, validation_data=(x, y))
    lines = [l for l in capsys.readouterr().out.splitlines() if "loss:" in l]
    assert len(lines) == 2 and all("val_loss:" in l and "val_accuracy:" in l for l in lines)
    model.evaluate(x, y, verbose=1)
    assert "loss:" in capsys.readouterr().out


def test_no_recompilation_after_first_epoch():
    model = mlp()
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y = classification_data(26)  # batch 8: three full batches and a partial one of 2
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    after_first = dict(model.compile_count)
    assert after_first
    model.fit(x, y, batch_size=8, epochs=4, verbose=0)
    assert model.compile_count == after_first
    model.evaluate(x, y, batch_size=8, verbose=0)
    counts = dict(model.compile_count)
    model.evaluate(x, y, batch_size=8, verbose=0)
    model.fit(x, y, batch_size=8, epochs=2, verbose=0, validation_data=(x, y))
    model.evaluate(x, y, batch_size=8, verbose=0)
    assert {k: v for k, v in model.compile_count.items() if k in counts} == counts


def test_learns_sklearn_digits():
    datasets = pytest.importorskip("sklearn.datasets")
    digits = datasets.load_digits()
    x = (digits.data / 16.0).astype("float32")
    y = digits.target
    order = np.random.default_rng(0).permutation(len(x))
    x, y = x[order], y[order]
    x_train, y_train, x_test, y_test = x[:1400], y[:1400], x[1400:], y[1400:]
    model = keras.Sequential([layers.Dense(64, input_dim=64, activation="relu"),
                              layers.Dense(10, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, batch_size=32, epochs=15, verbose=0)
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    assert accuracy > 0.9, accuracy
    predicted = np.argmax(model.predict(x_test, verbose=0), axis=-1)
    np.testing.assert_allclose(np.mean(predicted == y_test), accuracy, rtol=1e-6)


# ---------------------------------------------------------------- clear errors
def test_unknown_names_raise_listing_valid_ones():
    model = mlp()
    with pytest.raises(ValueError, match=r"Unknown optimizer 'adamm'.*'adam'.*'sgd'"):
        model.compile("adamm", "mse")
    # Unknown loss and metric names are caught by compile itself, before any data is seen.
    with pytest.raises(ValueError, match=r"Unknown loss 'mse_x'.*'mse'"):
        model.compile("sgd", "mse_x")
    with pytest.raises(ValueError, match=r"Unknown metric 'accurasy'.*'accuracy'"):
        model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accurasy"])
    with pytest.raises(ValueError, match=r"Unknown activation 'rellu'.*'relu'"):
        layers.Dense(2, activation="rellu")
    with pytest.raises(ValueError, match=r"Unknown initializer 'he_norm'.*'he_normal'"):
        layers.Dense(2, kernel_initializer="he_norm")


def test_wrong_input_shape_names_layer_and_shapes():
    model = keras.Sequential([layers.Dense(32, input_shape=(784,)), layers.Dense(10)])
    model.compile("sgd", "mse")
    x, y = np.zeros((32, 100), "float32"), np.zeros((32, 10), "float32")
    for call in (lambda: model.fit(x, y, verbose=0), lambda: model.evaluate(x, y, verbose=0),
                 lambda: model.predict(x, verbose=0)):
        with pytest.raises(ValueError, match=r"Dense 'dense' expects input with last dimension "
                                             r"784, got shape \(32, 100\)"):
            call()


def test_x_and_y_of_different_lengths():
    model = mlp()
    model.compile("sgd", "sparse_categorical_crossentropy")
    x, y = classification_data()
    with pytest.raises(ValueError, match=r"x has 24 samples but y has 10"):
        model.fit(x, y[:10], verbose=0)
    with pytest.raises(ValueError, match=r"24.*10"):
        model.evaluate(x, y[:10], verbose=0)


def test_fit_before_compile():
    with pytest.raises(RuntimeError, match="compile"):
        mlp().fit(np.zeros((2, 5)), np.zeros(2), verbose=0)
