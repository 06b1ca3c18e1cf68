"""`fit`/`evaluate`/`predict` on a `tf.data.Dataset` (skipped without TensorFlow).

TensorFlow and JAX are not installed side by side in the project's environment; to run these:

    python -m venv /tmp/interop-venv
    /tmp/interop-venv/bin/pip install tensorflow-cpu==2.21.0 torch jax==0.10.2 pandas pytest pillow h5py
    PYTHONPATH=src /tmp/interop-venv/bin/python -m pytest -p no:xdist \
        tests/trainers/data_adapters/test_tf_dataset_adapter.py \
        tests/trainers/data_adapters/test_torch_data_loader_adapter.py
"""

import warnings

import numpy as np
import pytest
from adapter_cases import assert_same_training, binary_data, small_model

from neokeras import layers, optimizers, utils
from neokeras.callbacks import LambdaCallback
from neokeras.models import Model

tf = pytest.importorskip("tensorflow")


def test_dataset_trains_evaluates_and_predicts_like_arrays():
    x, y = binary_data()  # 6 batches of 16 and one of 4
    weights = np.linspace(0.5, 2, len(x)).astype("float32")
    ref = small_model()
    ref_history = ref.fit(x, y, sample_weight=weights, batch_size=16, epochs=3, shuffle=False,
                          validation_data=(x[:40], y[:40]), verbose=0)
    dataset = tf.data.Dataset.from_tensor_slices((x, y, weights)).batch(16)
    validation = tf.data.Dataset.from_tensor_slices((x[:40], y[:40])).batch(16)
    model = small_model()
    history = model.fit(dataset, epochs=3, validation_data=validation, verbose=0)
    assert_same_training(model, history, ref, ref_history)
    assert model.compile_count["train"] == 1
    np.testing.assert_allclose(model.evaluate(dataset, verbose=0),
                               ref.evaluate(x, y, sample_weight=weights, verbose=0), rtol=1e-6)
    np.testing.assert_allclose(model.predict(dataset, verbose=0), ref.predict(x, verbose=0),
                               rtol=1e-6)
    xs_only = tf.data.Dataset.from_tensor_slices(x).batch(32)
    np.testing.assert_allclose(model.predict(xs_only, verbose=0), ref.predict(x, verbose=0),
                               rtol=1e-6)


def test_dict_inputs_and_float64_int64_tensors():
    x, y = binary_data(64)
    def model():
        utils.set_random_seed(7)
        a = layers.Input((2,), name="a")
        b = layers.Input((2,), name="b")
        out = layers.Dense(1)(layers.Concatenate()([a, b]))
        m = Model({"a": a, "b": b}, out)
        m.compile(optimizers.SGD(0.1), "mse")
        return m

    ref = model()
    inputs = {"a": x[:, :2], "b": x[:, 2:]}
    ref_history = ref.fit(inputs, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    # float64 features are cast to floatx as arrays are.
    dataset = tf.data.Dataset.from_tensor_slices(
        ({"a": x[:, :2].astype("float64"), "b": x[:, 2:]}, y)).batch(16)
    m = model()
    history = m.fit(dataset, epochs=2, verbose=0)
    assert_same_training(m, history, ref, ref_history)


def test_infinite_dataset_needs_steps_and_continues_across_epochs():
    x, y = binary_data(96)
    repeated = tf.data.Dataset.from_tensor_slices((x, y)).batch(16).repeat()
    with pytest.raises(ValueError, match="repeats forever; pass steps_per_epoch"):
        small_model().fit(repeated, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="repeats forever; pass validation_steps"):
        small_model().fit(repeated, steps_per_epoch=2, validation_data=repeated, verbose=0)

    def forever():
        while True:
            for i in range(0, 96, 16):
                yield x[i:i + 16], y[i:i + 16]

    # 4 steps an epoch over 6 batches: each epoch goes on where the last one stopped.
    ref = small_model()
    ref_history = ref.fit(forever(), steps_per_epoch=4, epochs=3, verbose=0)
    model = small_model()
    history = model.fit(repeated, steps_per_epoch=4, epochs=3, verbose=0)
    assert_same_training(model, history, ref, ref_history)
    # A finite one (as in Keras): the epoch that reaches its end stops there, with a warning,
    # and the next epoch starts it again.
    finite = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)
    steps = []
    count = LambdaCallback(on_epoch_begin=lambda epoch, logs: steps.append(0),
                           on_train_batch_end=lambda batch, logs: steps.__setitem__(-1, batch + 1))
    with pytest.warns(UserWarning, match="ran out of data after 2 batches"):
        small_model().fit(finite, steps_per_epoch=4, epochs=3, verbose=0, callbacks=[count])
    assert steps == [4, 2, 4]


def test_running_out_warns_and_restarts_next_epoch():
    x, y = binary_data(48)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)
    model = small_model()
    with pytest.warns(UserWarning, match="ran out of data after 3 batches"):
        history = model.fit(dataset, steps_per_epoch=5, epochs=2, verbose=0)
    assert history.epoch == [0, 1]
    unknown = dataset.filter(lambda a, b: True)  # cardinality unknown: runs until it ends
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = small_model().fit(unknown, epochs=2, verbose=0)
    assert history.epoch == [0, 1]


def test_class_weight_as_with_arrays():
    x, y = binary_data(64)
    ref = small_model()
    ref_history = ref.fit(x, y, batch_size=16, epochs=2, shuffle=False,
                          class_weight={0: 0.5, 1: 2.0}, verbose=0)
    model = small_model()
    history = model.fit(tf.data.Dataset.from_tensor_slices((x, y)).batch(16), epochs=2,
                        class_weight={0: 0.5, 1: 2.0}, verbose=0)
    assert_same_training(model, history, ref, ref_history)


def test_bad_uses_get_clear_errors():
    x, y = binary_data(32)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)
    model = small_model()
    with pytest.raises(ValueError, match="x is a tf.data.Dataset, it yields the targets"):
        model.fit(dataset, y, verbose=0)
    with pytest.raises(ValueError, match="x is a tf.data.Dataset, it yields the targets"):
        model.evaluate(dataset, y, verbose=0)
    with pytest.raises(ValueError, match="validation_split needs array data"):
        model.fit(dataset, validation_split=0.2, verbose=0)
    sparse = tf.data.Dataset.from_tensors(
        (tf.sparse.from_dense(x[:8]), y[:8]))
    with pytest.raises(ValueError, match="tf.SparseTensor.*tf.sparse.to_dense"):
        model.fit(sparse, verbose=0)
    with pytest.raises(ValueError, match="produced no data"):
        model.fit(dataset.take(0), verbose=0)
