"""`RecompileWarning` (user pain #12): one warning per compiled function once it was compiled
for more than five distinct input signatures, naming the dimension that changed; never for
the bounded compiles of normal use (padded last batches, power-of-two inference buckets)."""

import warnings

import numpy as np
import pytest

import neokeras
from neokeras import layers
from neokeras.trainers.recompiles import RECOMPILE_WARNING_THRESHOLD


def _recompile_warnings(run):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run()
    return [str(w.message) for w in caught if issubclass(w.category, neokeras.RecompileWarning)]


def _sequence_model(name="m"):
    return neokeras.Sequential([layers.Input((None, 3)), layers.GlobalAveragePooling1D(),
                                layers.Dense(2)], name=name)


def _dense_model(name="m"):
    return neokeras.Sequential([layers.Input((4,)), layers.Dense(1)], name=name)


def test_threshold_is_five_as_tensorflows_retracing_warning():
    assert RECOMPILE_WARNING_THRESHOLD == 5
    assert issubclass(neokeras.RecompileWarning, UserWarning)


@pytest.mark.parametrize("call", ["model", "predict_on_batch", "predict"])
def test_varying_sequence_length_warns_once_naming_the_dimension(call):
    model = _sequence_model()

    def run():
        for length in range(10, 20):
            x = np.ones((2, length, 3), "float32")
            if call == "model":
                model(x)
            elif call == "predict_on_batch":
                model.predict_on_batch(x)
            else:
                model.predict(x, verbose=0)

    messages = _recompile_warnings(run)
    assert messages == [
        "Model 'm' compiled its inference forward (predict, predict_on_batch, model(x)) 6 "
        "times, once for each new input shape. input 'x' dimension 1 took sizes 10, 11, 12, "
        "13, 14, 15. Pad sequences to a few lengths (e.g. powers of two, or "
        "keras.utils.pad_sequences(..., maxlen=...)) so that few programs serve all calls. "
        "(Silence with warnings.simplefilter('ignore', neokeras.RecompileWarning).)"]
    assert model.compile_count["predict"] == 10


def test_varying_batch_size_in_predict_on_batch_warns():
    # Up to 1024 rows, predict_on_batch pads to powers of two; past it every size compiles.
    model = _dense_model()
    messages = _recompile_warnings(lambda: [
        model.predict_on_batch(np.ones((rows, 4), "float32")) for rows in range(1025, 1035)])
    assert len(messages) == 1
    assert ("input 'x' dimension 0 (the batch size) took sizes 1025, 1026, 1027, 1028, 1029, "
            "1030. Use one batch size") in messages[0]


def test_varying_batch_size_in_train_on_batch_warns():
    model = _dense_model()
    model.compile("sgd", "mse")
    rows = (3, 5, 6, 7, 9, 10)
    messages = _recompile_warnings(lambda: [
        model.train_on_batch(np.ones((n, 4), "float32"), np.ones((n, 1), "float32"))
        for n in rows])
    assert len(messages) == 1
    assert messages[0].startswith(
        "Model 'm' compiled its training step (fit, train_on_batch) 6 times")
    assert "the batch size took values 3, 5, 6, 7, 9, 10; " in messages[0]


def test_varying_number_of_samples_in_fit_compiles_twice():
    # The first size indexes the data on the device; later sizes stream their batches
    # through one more program.
    model = _dense_model()
    model.compile("sgd", "mse")
    sizes = (40, 41, 50, 70, 100, 130, 40)
    messages = _recompile_warnings(lambda: [
        model.fit(np.ones((n, 4), "float32"), np.ones((n, 1), "float32"), batch_size=8,
                  verbose=0) for n in sizes])
    assert messages == []
    assert model.compile_count == {"train": 2}


def _fitted(first_size, x, y, **fit_kwargs):
    """Weights and history of a fresh model fitted on `x, y`, after a fit on `first_size`
    samples (the same size as `x`: indexed on the device; another: streamed)."""
    neokeras.utils.set_random_seed(0)
    model = neokeras.Sequential([layers.Input((4,)), layers.Dense(5, activation="relu"),
                                 layers.Dense(1)])
    model.compile("sgd", "mse", metrics=["mae"])
    initial = model.get_weights()
    weights = np.ones(first_size, "float32") if "sample_weight" in fit_kwargs else None
    model.fit(np.ones((first_size, 4), "float32"), np.ones((first_size, 1), "float32"),
              batch_size=fit_kwargs["batch_size"], sample_weight=weights, verbose=0)
    model.set_weights(initial)
    neokeras.utils.set_random_seed(1)
    history = model.fit(x, y, verbose=0, **fit_kwargs).history
    return model.get_weights(), history, model.compile_count["train"]


@pytest.mark.parametrize("rows, fit_kwargs", [
    (48, {"batch_size": 8, "epochs": 2, "shuffle": False}),
    (45, {"batch_size": 8, "epochs": 2}),  # shuffled, a padded last batch
    (45, {"batch_size": 8, "epochs": 2, "shuffle": "batch"}),
    (300, {"batch_size": 4, "epochs": 1, "validation_split": 0.2}),  # chunks of 16 steps
    (45, {"batch_size": 8, "epochs": 2, "sample_weight": np.arange(45.0, dtype="float32")}),
])
def test_streamed_fit_matches_the_device_indexed_one(rows, fit_kwargs):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((rows, 4)).astype("float32")
    y = rng.standard_normal((rows, 1)).astype("float32")
    trained_rows = int(rows * (1 - fit_kwargs.get("validation_split", 0)))
    indexed = _fitted(trained_rows, x, y, **fit_kwargs)
    streamed = _fitted(trained_rows + 7, x, y, **fit_kwargs)
    assert (indexed[2], streamed[2]) == (1, 2)  # one program, then a second (streamed) one
    assert indexed[1].keys() == streamed[1].keys()
    for key in indexed[1]:
        np.testing.assert_allclose(indexed[1][key], streamed[1][key], rtol=1e-5, atol=1e-6)
    for a, b in zip(indexed[0], streamed[0]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_varying_number_of_samples_in_evaluate_compiles_once():
    model = _dense_model()
    model.compile("sgd", "mse")
    messages = _recompile_warnings(lambda: [
        model.evaluate(np.ones((n, 4), "float32"), np.ones((n, 1), "float32"), batch_size=8,
                       verbose=0) for n in (40, 41, 50, 70, 100, 130, 1000)])
    assert messages == []
    assert model.compile_count == {"test": 1}


def test_dict_inputs_are_named_by_key():
    tokens = layers.Input((None,), name="tokens", dtype="int32")
    embedded = layers.GlobalAveragePooling1D()(layers.Embedding(10, 2)(tokens))
    model = neokeras.Model({"tokens": tokens}, layers.Dense(1)(embedded), name="text")
    messages = _recompile_warnings(lambda: [
        model.predict_on_batch({"tokens": np.ones((2, n), "int32")}) for n in range(3, 10)])
    assert len(messages) == 1
    # 4 and 8 count with the other powers of two: the sixth signature is the seventh trace.
    assert messages[0].startswith("Model 'text' compiled its inference forward (predict, "
                                  "predict_on_batch, model(x)) 7 times")
    assert """input 'x["tokens"]' dimension 1 took sizes 3, 4, 5, 6, 7, 8, 9.""" in messages[0]


def test_five_signatures_and_power_of_two_sizes_do_not_warn():
    model = _sequence_model()

    def run():
        # Five signatures, at the threshold: four lengths, and lengths that are powers of
        # two, which count as one.
        for length in (10, 11, 12, 13, 1, 2, 4, 8, 16, 32, 64, 128):
            model(np.ones((2, length, 3), "float32"))
        # predict on 1..64 rows: batches padded to powers of two (7 programs)
        dense = _dense_model()
        for rows in range(1, 65):
            dense.predict(np.ones((rows, 4), "float32"), batch_size=64, verbose=0)
        assert dense.compile_count["predict"] == 7

    assert _recompile_warnings(run) == []
    assert model.compile_count["predict"] == 12


def test_fit_and_predict_with_partial_last_batches_do_not_warn():
    model = _dense_model()
    model.compile("adam", "mse", metrics=["mae"])
    x = np.random.default_rng(0).normal(size=(50, 4)).astype("float32")
    y = x.sum(axis=1, keepdims=True)

    def run():
        model.fit(x, y, batch_size=16, epochs=3, validation_split=0.2, verbose=0)
        model.evaluate(x, y, batch_size=16, verbose=0)
        model.predict(x, batch_size=16, verbose=0)
        for _ in range(3):
            model.train_on_batch(x[:16], y[:16])

    assert _recompile_warnings(run) == []


def test_warning_can_be_silenced_by_its_category():
    model = _sequence_model()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", neokeras.RecompileWarning)
        for length in range(10, 20):
            model(np.ones((1, length, 3), "float32"))
    assert model.compile_count["predict"] == 10
