"""Batches from Python (generators, `PyDataset`) stacked into fused chunks, and fit on them."""

import subprocess
import sys
import warnings

import numpy as np
import pytest

from neokeras import layers, optimizers, utils
from neokeras.callbacks import LambdaCallback
from neokeras.models import Sequential
from neokeras.trainers.data_adapters import BatchDataAdapter


def _data(n, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    y = (x[:, :1] - x[:, 1:2] > 0).astype("float32")
    return x, y


def _batches(x, y, size):
    return [(x[i:i + size], y[i:i + size]) for i in range(0, len(x), size)]


def _model():
    utils.set_random_seed(5)
    model = Sequential([layers.Dense(8, activation="relu", input_shape=(4,)),
                        layers.Dense(1, activation="sigmoid")])
    model.compile(optimizers.Adam(0.05), "binary_crossentropy", metrics=["accuracy"])
    return model


@pytest.mark.parametrize("pad", [True, False])
def test_chunks_stack_batches_and_pad_the_last(pad):
    x, y = _data(88)  # 5 batches of 16, then 8
    adapter = BatchDataAdapter(iter(_batches(x, y, 16)), steps=6)
    chunks = list(adapter.chunks(4, pad))
    if pad:
        assert [c.num_steps for c in chunks] == [4, 2]
        assert [c.first_step for c in chunks] == [0, 4]
    else:  # the smaller batch cannot share the program: a chunk of its own
        assert [c.num_steps for c in chunks] == [4, 1, 1]
        assert [c.first_step for c in chunks] == [0, 4, 5]
        assert chunks[2].data[0].shape == (8, 4) and chunks[2].weights is None
    first = chunks[0]
    assert first.data[0].shape == (64, 4) and first.indices.shape == (4, 16)
    for step in range(4):  # step i of the chunk gathers exactly batch i
        np.testing.assert_array_equal(first.data[0][first.indices[step]],
                                      x[16 * step:16 * (step + 1)])
    if pad:
        last = chunks[1]
        assert last.data[0].shape == (64, 4)  # filled to the full chunk: one program
        np.testing.assert_array_equal(last.data[0][last.indices[0]], x[64:80])
        real = last.data[0][last.indices[1]][last.weights[1] == 1]
        np.testing.assert_array_equal(real, x[80:])
        assert last.weights[1].sum() == 8 and first.weights.min() == 1


def test_batch_of_another_shape_gets_its_own_chunk():
    x, y = _data(48)
    batches = _batches(x, y, 16)
    batches.insert(1, (x[:16, :3], y[:16]))  # 3 features: cannot stack with the others
    chunks = list(BatchDataAdapter(iter(batches)).chunks(8, True))
    assert [(c.num_steps, c.data[0].shape) for c in chunks] == [
        (1, (128, 4)), (1, (16, 3)), (2, (128, 4))]
    assert [c.first_step for c in chunks] == [0, 1, 2]


def test_chunks_are_capped_in_bytes():
    x = np.zeros((4, 1000, 1024), "float32")  # 15.6 MiB a batch: 4 fit in 64 MiB
    chunks = list(BatchDataAdapter(iter([(x, x[:, 0, :1])] * 9)).chunks(16, True))
    assert [c.num_steps for c in chunks] == [4, 4, 1]


@pytest.mark.parametrize("kind", ["generator", "unknown_length", "pydataset"])
def test_fit_on_python_batches_equals_arrays_and_compiles_once(kind):
    x, y = _data(200)
    ref = _model()
    ref_history = ref.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    batches = _batches(x, y, 16)

    class Batches(utils.PyDataset):
        def __len__(self):
            return len(batches)

        def __getitem__(self, index):
            return batches[index]

    def forever():
        while True:
            yield from batches

    model = _model()
    if kind == "generator":
        history = model.fit(forever(), steps_per_epoch=13, epochs=3, verbose=0)
    elif kind == "pydataset":
        history = model.fit(Batches(), epochs=3, shuffle=False, verbose=0)
    else:  # a finite generator, no length given: one epoch, chunks filled until it ends
        ref = _model()
        ref_history = ref.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
        history = model.fit(iter(batches), epochs=1, verbose=0)
    for key in ("loss", "accuracy"):
        np.testing.assert_allclose(history.history[key], ref_history.history[key], rtol=1e-6)
    for a, b in zip(model.get_weights(), ref.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    assert model.compile_count["train"] == 1


def test_batch_hooks_still_see_every_batch():
    x, y = _data(96)
    seen = []

    model = _model()
    model.fit(iter(_batches(x, y, 16)), epochs=1, verbose=0,
              callbacks=[LambdaCallback(on_train_batch_end=lambda b, logs: seen.append(b))])
    assert seen == list(range(6))


def test_fit_on_numpy_imports_neither_tensorflow_nor_torch():
    code = (
        "import sys, numpy as np, neokeras as keras\n"
        "m = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))]); m.compile('sgd', 'mse')\n"
        "m.fit(iter([(np.ones((4, 2)), np.ones((4, 1)))]), verbose=0)\n"
        "m.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0)\n"
        "print(sorted(m for m in ('tensorflow', 'torch') if m in sys.modules))\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True)
    assert out.stdout.strip() == "[]"
