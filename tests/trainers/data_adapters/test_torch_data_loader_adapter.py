"""`fit`/`evaluate`/`predict` on a torch `DataLoader` (skipped without torch; see
test_tf_dataset_adapter.py for how to run them)."""

import warnings

import numpy as np
import pytest
from adapter_cases import assert_same_training, binary_data, small_model

from neokeras import layers, optimizers, utils
from neokeras.models import Model
from neokeras.trainers.data_adapters.torch_data_loader_adapter import _to_numpy

torch = pytest.importorskip("torch")
data = torch.utils.data


def test_dataloader_trains_evaluates_and_predicts_like_arrays():
    x, y = binary_data()  # 6 batches of 16 and one of 4
    ref = small_model()
    ref_history = ref.fit(x, y, batch_size=16, epochs=3, shuffle=False,
                          validation_data=(x[:40], y[:40]), verbose=0)
    # float64 inputs are cast to floatx as arrays are.
    loader = data.DataLoader(data.TensorDataset(torch.tensor(x, dtype=torch.float64),
                                                torch.tensor(y)), batch_size=16)
    validation = data.DataLoader(data.TensorDataset(torch.tensor(x[:40]), torch.tensor(y[:40])),
                                 batch_size=16)
    model = small_model()
    history = model.fit(loader, epochs=3, validation_data=validation, verbose=0)
    assert_same_training(model, history, ref, ref_history)
    assert model.compile_count["train"] == 1
    np.testing.assert_allclose(model.evaluate(loader, verbose=0), ref.evaluate(x, y, verbose=0),
                               rtol=1e-6)
    np.testing.assert_allclose(model.predict(loader, verbose=0), ref.predict(x, verbose=0),
                               rtol=1e-6)


class _DictSamples(data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"a": self.x[i, :2], "b": self.x[i, 2:]}, self.y[i]


class _Stream(data.IterableDataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __iter__(self):
        return iter(zip(self.x, self.y))


def test_dict_samples_and_a_stream_without_length():
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
    ref_history = ref.fit({"a": x[:, :2], "b": x[:, 2:]}, y, batch_size=16, epochs=2,
                          shuffle=False, verbose=0)
    m = model()
    history = m.fit(data.DataLoader(_DictSamples(x, y), batch_size=16), epochs=2, verbose=0)
    assert_same_training(m, history, ref, ref_history)

    ref = small_model()
    ref_history = ref.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    stream = data.DataLoader(_Stream(x, y), batch_size=16)  # no len: each epoch runs to its end
    model = small_model()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = model.fit(stream, epochs=2, verbose=0)
    assert_same_training(model, history, ref, ref_history)


def test_tensors_convert_without_copies():
    t = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    array = _to_numpy(t)
    t[0, 0] = 42.0
    assert array[0, 0] == 42.0  # shares the tensor's memory
    grad = torch.ones(2, requires_grad=True)
    np.testing.assert_array_equal(_to_numpy(grad), [1.0, 1.0])
    half = _to_numpy(torch.tensor([1.5, -2.0], dtype=torch.bfloat16))
    assert str(half.dtype) == "bfloat16"
    np.testing.assert_array_equal(half.astype("float32"), [1.5, -2.0])


def test_bad_uses_get_clear_errors():
    x, y = binary_data(32)
    tensors = data.TensorDataset(torch.tensor(x), torch.tensor(y))
    loader = data.DataLoader(tensors, batch_size=16)
    model = small_model()
    with pytest.raises(ValueError, match="class_weight is not supported for a torch DataLoader"):
        model.fit(loader, class_weight={0: 1.0, 1: 2.0}, verbose=0)
    with pytest.raises(ValueError, match="x is a torch DataLoader, it yields the targets"):
        model.fit(loader, y, verbose=0)
    with pytest.raises(ValueError, match="torch TensorDataset.*DataLoader"):
        model.fit(tensors, verbose=0)
