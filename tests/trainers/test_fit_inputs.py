"""Every kind of input `fit`, `evaluate` and `predict` accept, and their errors."""

import warnings

import numpy as np
import pytest

from neokeras import layers, optimizers, utils
from neokeras.models import Model, Sequential


def _data(n=96, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    y = (x[:, :1] - x[:, 1:2] > 0).astype("float32")
    return x, y


def _classifier():
    model = Sequential([layers.Dense(8, activation="relu", input_shape=(4,)),
                        layers.Dense(1, activation="sigmoid")])
    model.compile(optimizers.SGD(learning_rate=0.5), "binary_crossentropy", metrics=["accuracy"])
    return model


def _batches(x, y, size):
    return [(x[i:i + size], y[i:i + size]) for i in range(0, len(x), size)]


class Batches(utils.PyDataset):
    def __init__(self, x, y, size, **kwargs):
        super().__init__(**kwargs)
        self.items = _batches(x, y, size)
        self.epochs_ended = 0

    def __len__(self):
        return len(self.items)

    def __getitem__(self, index):
        return self.items[index]

    def on_epoch_end(self):
        self.epochs_ended += 1


def _fit_arrays(x, y):
    utils.set_random_seed(3)
    model = _classifier()
    history = model.fit(x, y, batch_size=16, epochs=5, shuffle=False, verbose=0)
    return model, history


def test_generator_and_pydataset_train_exactly_like_arrays():
    x, y = _data()
    ref_model, ref = _fit_arrays(x, y)

    def forever():
        while True:
            yield from _batches(x, y, 16)

    utils.set_random_seed(3)
    model = _classifier()
    history = model.fit(forever(), steps_per_epoch=6, epochs=5, verbose=0)
    np.testing.assert_allclose(history.history["loss"], ref.history["loss"], rtol=1e-5)
    np.testing.assert_allclose(history.history["accuracy"], ref.history["accuracy"])
    for a, b in zip(model.get_weights(), ref_model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)

    utils.set_random_seed(3)
    model = _classifier()
    dataset = Batches(x, y, 16, workers=2, use_multiprocessing=False, max_queue_size=2)
    history = model.fit(dataset, epochs=5, shuffle=False, verbose=0)
    assert dataset.epochs_ended == 5
    np.testing.assert_allclose(history.history["loss"], ref.history["loss"], rtol=1e-5)
    np.testing.assert_allclose(history.history["accuracy"], ref.history["accuracy"])
    assert history.history["accuracy"][-1] > 0.8
    np.testing.assert_allclose(model.evaluate(dataset, verbose=0),
                               ref_model.evaluate(x, y, verbose=0), rtol=1e-5)
    np.testing.assert_allclose(model.predict(dataset, verbose=0),
                               ref_model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


def test_generator_with_sample_weights_last_smaller_batch_compiles_once():
    x, y = _data(40)
    weights = np.linspace(0.5, 2, 40).astype("float32")
    utils.set_random_seed(3)
    ref = _classifier()
    ref_history = ref.fit(x, y, sample_weight=weights, batch_size=16, epochs=2, shuffle=False,
                          verbose=0)

    def forever():
        while True:
            for i in range(0, 40, 16):
                yield x[i:i + 16], y[i:i + 16], weights[i:i + 16]

    utils.set_random_seed(3)
    model = _classifier()
    history = model.fit(forever(), steps_per_epoch=3, epochs=2, verbose=0)
    np.testing.assert_allclose(history.history["loss"], ref_history.history["loss"], rtol=1e-5)
    assert model.compile_count["train"] == 1  # the last batch of 8 is padded to 16 and masked


def test_finite_generator_without_steps_and_keras2_aliases():
    x, y = _data(48)
    model = _classifier()
    history = model.fit_generator(iter(_batches(x, y, 16)), epochs=1, verbose=0)
    assert history.epoch == [0]
    with pytest.warns(UserWarning, match="ran out of data"):
        history = model.fit(iter(_batches(x, y, 16)), epochs=3, verbose=0)
    assert history.epoch == [0]
    loss, acc = model.evaluate_generator(iter(_batches(x, y, 16)))
    assert loss == pytest.approx(model.evaluate(x, y, verbose=0)[0], rel=1e-5)
    out = model.predict_generator(iter(_batches(x, y, 16)), steps=2)
    assert out.shape == (32, 1)


def test_validation_data_forms_and_validation_freq():
    x, y = _data(64)
    model = _classifier()
    h1 = model.fit(x, y, epochs=1, verbose=0, validation_data=(x[:32], y[:32]))
    val_gen = (b for _ in range(100) for b in _batches(x[:32], y[:32], 8))
    h2 = model.fit(x, y, epochs=1, verbose=0, validation_data=val_gen, validation_steps=4)
    h3 = model.fit(x, y, epochs=1, verbose=0, validation_data=Batches(x[:32], y[:32], 8))
    h4 = model.fit(x, y, epochs=1, verbose=0,
                   validation_data=(x[:32], y[:32], np.ones(32, "float32")))
    for h in (h1, h2, h3, h4):
        assert set(h.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    expected = model.evaluate(x[:32], y[:32], verbose=0)[0]
    assert h4.history["val_loss"][0] == pytest.approx(expected, rel=1e-5)
    history = model.fit(x, y, epochs=4, verbose=0, validation_data=(x, y), validation_freq=2)
    assert len(history.history["val_loss"]) == 2
    history = model.fit(x, y, epochs=4, verbose=0, validation_data=(x, y),
                        validation_freq=[1, 4])
    assert len(history.history["val_loss"]) == 2
    with pytest.raises(ValueError, match="validation_data must be"):
        model.fit(x, y, verbose=0, validation_data=x)


def test_validation_split_takes_the_end():
    x, y = _data(50)
    model = _classifier()
    history = model.fit(x, y, epochs=1, verbose=0, validation_split=0.2, shuffle=False)
    # The last 10 samples validate; the weights after training give that loss.
    assert history.history["val_loss"][0] == pytest.approx(
        model.evaluate(x[40:], y[40:], verbose=0)[0], rel=1e-5)


def test_several_inputs_as_list_dict_and_pandas():
    pd = pytest.importorskip("pandas")
    x, y = _data(32)
    a = layers.Input((2,), name="a")
    b = layers.Input((2,), name="b")
    out = layers.Dense(1)(layers.Concatenate()([a, b]))
    model = Model([a, b], out)
    model.compile(optimizers.SGD(0.1), "mse")
    h_list = model.fit([x[:, :2], x[:, 2:]], y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    assert model.evaluate({"a": x[:, :2], "b": x[:, 2:]}, y, verbose=0) == pytest.approx(
        model.evaluate([x[:, :2], x[:, 2:]], y, verbose=0))
    assert h_list.history["loss"][1] < h_list.history["loss"][0]
    # A generator yields several inputs as a tuple (a list counts as a tuple, as in Keras).
    gen_loss = model.evaluate(iter([[(x[:16, :2], x[:16, 2:]), y[:16]],
                                    ((x[16:, :2], x[16:, 2:]), y[16:])]), verbose=0)
    assert gen_loss == pytest.approx(model.evaluate([x[:, :2], x[:, 2:]], y, verbose=0),
                                     rel=1e-5)

    frame = pd.DataFrame(x, columns=list("pqrs"))
    seq = _classifier()
    history = seq.fit(frame, pd.Series(y[:, 0]).to_frame(), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    np.testing.assert_allclose(seq.predict(frame, verbose=0), seq.predict(x, verbose=0))
    # pandas trains exactly as the same numbers in numpy (float64 columns become floatx).
    utils.set_random_seed(3)
    ref = _classifier()
    ref_history = ref.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0,
                          validation_data=(x[:8], y[:8]))
    utils.set_random_seed(3)
    seq = _classifier()
    history = seq.fit(frame.astype("float64"), pd.Series(y[:, 0]), batch_size=8, epochs=2,
                      shuffle=False, verbose=0, validation_data=(frame[:8], pd.Series(y[:8, 0])))
    for key in ref_history.history:
        np.testing.assert_allclose(history.history[key], ref_history.history[key], rtol=1e-6)
    assert seq.evaluate(frame, pd.Series(y[:, 0]), verbose=0) == pytest.approx(
        ref.evaluate(x, y, verbose=0), rel=1e-6)


def test_shuffle_modes_change_batch_order():
    x, y = _data(64)
    orders = {}
    for mode in (False, True, "batch"):
        utils.set_random_seed(1)
        model = _classifier()
        model.fit(x, y, batch_size=16, epochs=1, shuffle=mode, verbose=0)
        orders[str(mode)] = model.get_weights()[0]
    assert not np.allclose(orders["False"], orders["True"])
    assert not np.allclose(orders["False"], orders["batch"])
    from neokeras.trainers.data_adapters import ArrayDataAdapter
    adapter = ArrayDataAdapter(x, y, batch_size=16)
    full, last = adapter.epoch_indices("batch", np.random.default_rng(0))
    assert last is None
    assert sorted(full[:, 0].tolist()) == [0, 16, 32, 48]
    np.testing.assert_array_equal(np.diff(full, axis=1), 1)  # batches stay contiguous


def test_class_weight_equals_sample_weight():
    x, y = _data(32)
    utils.set_random_seed(2)
    a = _classifier()
    ha = a.fit(x, y, epochs=2, shuffle=False, verbose=0, class_weight={0: 1.0, 1: 3.0})
    utils.set_random_seed(2)
    b = _classifier()
    hb = b.fit(x, y, epochs=2, shuffle=False, verbose=0,
               sample_weight=np.where(y[:, 0] == 1, 3.0, 1.0).astype("float32"))
    np.testing.assert_allclose(ha.history["loss"], hb.history["loss"], rtol=1e-6)
    utils.set_random_seed(2)
    c = _classifier()
    hc = c.fit(Batches(x, y, 32), epochs=2, verbose=0, class_weight={0: 1.0, 1: 3.0})
    np.testing.assert_allclose(hc.history["loss"], hb.history["loss"], rtol=1e-5)


_LABELS = np.array([0, 1, 2, 0, 1, 2, 0, 1])
_CLASS_WEIGHT_CASES = {
    "sparse, class 2 unnamed": (_LABELS, "sparse_categorical_crossentropy", {0: 1.0, 1: 2.0}),
    "sparse, extra key": (_LABELS, "sparse_categorical_crossentropy",
                          {0: 1.0, 1: 2.0, 2: 3.0, 5: 9.0}),
    "one-hot, only class 1": (np.eye(3, dtype="float32")[_LABELS], "categorical_crossentropy",
                              {1: 4.0}),
    "float labels round": (_LABELS[:, None] - np.float32(0.4), "sparse_categorical_crossentropy",
                           {0: 0.5, 2: 3.0}),
}


@pytest.mark.parametrize("case", sorted(_CLASS_WEIGHT_CASES))
def test_class_weight_matches_keras(case):
    """A class the dict does not name weighs 1 (Keras 3.15.1; no error), float labels round."""
    keras = pytest.importorskip("keras")
    import neokeras

    y, loss, class_weight = _CLASS_WEIGHT_CASES[case]
    x = np.random.default_rng(0).random((8, 3)).astype("float32")
    results = []
    for k in (keras, neokeras):
        model = k.Sequential([k.Input((3,)), k.layers.Dense(3, activation="softmax")])
        model.compile(k.optimizers.SGD(0.1), loss)
        if not results:
            weights = model.get_weights()
        model.set_weights(weights)
        history = model.fit(x, y, class_weight=class_weight, batch_size=4, epochs=2,
                            shuffle=False, verbose=0)
        results.append((history.history["loss"], model.get_weights()))
    np.testing.assert_allclose(results[1][0], results[0][0], rtol=1e-5)
    for ours, theirs in zip(results[1][1], results[0][1]):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_initial_epoch_steps_per_epoch_and_steps_per_execution():
    x, y = _data(64)
    model = _classifier()
    history = model.fit(x, y, epochs=3, initial_epoch=1, verbose=0)
    assert history.epoch == [1, 2]
    seen = []

    from neokeras import callbacks
    counter = callbacks.LambdaCallback(on_train_batch_end=lambda b, logs: seen.append(b))
    model.fit(x, y, batch_size=8, epochs=1, steps_per_epoch=3, verbose=0, callbacks=[counter])
    assert seen == [0, 1, 2]
    utils.set_random_seed(4)
    fused = _classifier()
    fused.compile(optimizers.SGD(0.5), "binary_crossentropy", steps_per_execution=3)
    h1 = fused.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    utils.set_random_seed(4)
    plain = _classifier()
    h2 = plain.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    assert h1.history["loss"][0] == pytest.approx(h2.history["loss"][0], rel=1e-5)


def test_keras2_float_steps_count_up():
    """Keras 2 programs pass `steps_per_epoch=len(x) / batch_size`; tf-keras 2.21 runs
    `while step < steps`, i.e. ceil(steps) batches (Keras 3 refuses floats)."""
    from neokeras import callbacks

    x, y = _data(100)
    train, val = [], []
    counter = callbacks.LambdaCallback(
        on_train_batch_end=lambda b, logs: train.append(b),
        on_test_batch_end=lambda b, logs: val.append(b))

    def forever():
        while True:
            yield from _batches(x, y, 16)

    model = _classifier()
    history = model.fit(forever(), steps_per_epoch=len(x) / 16, epochs=2, verbose=0,
                        validation_data=forever(), validation_steps=np.float32(2.5),
                        callbacks=[counter])
    assert train == list(range(7)) * 2 and val == [0, 1, 2] * 2
    assert len(history.history["val_loss"]) == 2
    train.clear()
    model.fit(x, y, batch_size=32, steps_per_epoch=len(x) / 32, verbose=0, callbacks=[counter])
    assert train == [0, 1, 2, 3]
    val.clear()
    model.evaluate(forever(), steps=1.5, verbose=0, callbacks=[counter])
    assert val == [0, 1]
    assert model.predict(forever(), steps=1.5, verbose=0).shape == (32, 1)
    for bad in (0.0, -1.5, float("nan"), float("inf"), "3", True):
        with pytest.raises(ValueError, match="steps_per_epoch must be a positive int"):
            model.fit(forever(), steps_per_epoch=bad, verbose=0)
    with pytest.raises(ValueError, match="evaluate: steps must be a positive int"):
        model.evaluate(forever(), steps=-2.0, verbose=0)


def test_bad_inputs_give_clear_errors():
    x, y = _data(16)
    model = _classifier()
    with pytest.raises(ValueError, match="x has 16 samples but y has 15"):
        model.fit(x, y[:15], verbose=0)
    with pytest.raises(ValueError, match="dtype=object"):
        model.fit(np.array([["a", 1, 2, 3]] * 4, dtype=object), y[:4], verbose=0)
    with pytest.raises(ValueError, match="contain NaN"):
        model.fit(x, np.full_like(y, np.nan), verbose=0)
    with pytest.raises(ValueError, match="empty"):
        model.fit(x[:0], y[:0], verbose=0)
    with pytest.raises(ValueError, match="do not pass y"):
        model.fit(iter(_batches(x, y, 4)), y, verbose=0)
    with pytest.raises(ValueError, match="produced no data"):
        model.fit(iter([]), verbose=0)
    with pytest.raises(ValueError, match=r"batch 1 .* contain NaN"):
        model.fit(iter([(x[:4], y[:4]), (x[:4], np.full_like(y[:4], np.nan))]), verbose=0)
    with pytest.raises(ValueError, match="validation_split needs array data"):
        model.fit(iter(_batches(x, y, 4)), validation_split=0.5, verbose=0)
    with pytest.raises(ValueError, match="tuple of length 4"):
        model.fit(iter([(x, y, y, y)]), verbose=0)
    with pytest.raises(ValueError, match="steps_per_epoch must be a positive int"):
        model.fit(x, y, steps_per_epoch=0, verbose=0)
    with pytest.raises(ValueError, match="validation_freq"):
        model.fit(x, y, validation_data=(x, y), validation_freq="often", verbose=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(x, y, verbose=0, workers=4, use_multiprocessing=True, max_queue_size=3)


def test_scipy_sparse_inputs_train_and_predict_as_their_dense_arrays():
    sparse = pytest.importorskip("scipy.sparse")
    import neokeras as nk

    rng = np.random.default_rng(0)
    dense = rng.normal(size=(16, 5)).astype("float32") * (rng.random((16, 5)) < 0.3)
    y = rng.normal(size=(16, 1)).astype("float32")
    results = []
    # dok_array/dok_matrix subclass dict: still one array, not a dict of named inputs.
    for x in (dense, sparse.csr_matrix(dense), sparse.csr_array(dense), sparse.coo_matrix(dense),
              sparse.csc_array(dense), sparse.dok_array(dense), sparse.dok_matrix(dense)):
        nk.utils.set_random_seed(0)
        model = nk.Sequential([nk.Input((5,)), nk.layers.Dense(2), nk.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        history = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0,
                            validation_data=(x, y))
        results.append((history.history, model.predict(x, verbose=0),
                        model.evaluate(x, y, verbose=0)))
    for history, predictions, loss in results[1:]:
        for key in ("loss", "val_loss"):
            np.testing.assert_allclose(history[key], results[0][0][key], rtol=1e-6)
        np.testing.assert_allclose(predictions, results[0][1], rtol=1e-6)
        np.testing.assert_allclose(loss, results[0][2], rtol=1e-6)
