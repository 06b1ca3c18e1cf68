"""StackedRNNCells, RNN([cells]), AbstractRNNCell and `unroll=True`.

Outputs of stacked cells and unrolled RNNs against real Keras 3 are in test_keras_oracle.py.
"""

import numpy as np
import pytest

import neokeras as nk
from neokeras import layers
from neokeras import ops


class MinimalRNNCell(layers.AbstractRNNCell):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    @property
    def state_size(self):
        return self.units

    @property
    def output_size(self):
        return self.units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent = self.add_weight(shape=(self.units, self.units), name="recurrent")

    def call(self, inputs, states):
        output = ops.tanh(ops.matmul(inputs, self.kernel) + ops.matmul(states[0], self.recurrent))
        return output, [output]


def test_abstract_rnn_cell_subclass_runs_and_trains():
    x = np.random.default_rng(0).standard_normal((8, 5, 3)).astype("float32")
    model = nk.Sequential([nk.Input((5, 3)), layers.RNN(MinimalRNNCell(4)), layers.Dense(1)])
    model.compile(optimizer=nk.optimizers.Adam(0.05), loss="mse")
    y = x.sum(axis=(1, 2))[:, None] * 0.1
    first = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=10, verbose=0)
    assert model.evaluate(x, y, verbose=0) < first
    cell = MinimalRNNCell(2)
    zeros = cell.get_initial_state(batch_size=3)
    assert len(zeros) == 1 and zeros[0].shape == (3, 2)


def test_stacked_cells_feed_each_other_and_nest_states():
    cells = [layers.LSTMCell(4), layers.SimpleRNNCell(3)]
    stacked = layers.StackedRNNCells(cells)
    assert stacked.state_size == [[4, 4], 3] and stacked.output_size == 3
    rnn = layers.RNN(stacked, return_state=True)
    x = np.random.default_rng(1).standard_normal((2, 5, 2)).astype("float32")
    output, lstm_states, rnn_state = rnn(x)
    assert output.shape == (2, 3) and len(lstm_states) == 2 and rnn_state.shape == (2, 3)
    np.testing.assert_allclose(np.asarray(output), np.asarray(rnn_state), rtol=1e-6)
    # The same computation, cell by cell.
    first = layers.RNN(cells[0], return_sequences=True)(x)
    second = layers.RNN(cells[1])(first)
    np.testing.assert_allclose(np.asarray(second), np.asarray(output), rtol=1e-5, atol=1e-6)


def test_rnn_of_a_cell_list_round_trips_its_config():
    rnn = layers.RNN([layers.GRUCell(3), layers.LSTMCell(2)])
    rnn(np.zeros((1, 4, 2), "float32"))
    assert isinstance(rnn.cell, layers.StackedRNNCells)
    clone = layers.deserialize(layers.serialize(rnn))
    assert [type(c).__name__ for c in clone.cell.cells] == ["GRUCell", "LSTMCell"]
    assert len(rnn.weights) == 6


def test_stateful_stacked_rnn_carries_every_state():
    rnn = layers.RNN([layers.LSTMCell(2), layers.GRUCell(3)], stateful=True)
    x = np.random.default_rng(2).standard_normal((2, 3, 2)).astype("float32")
    model = nk.Sequential([nk.Input((3, 2), batch_size=2), rnn])
    first = model.predict(x, verbose=0)
    second = model.predict(x, verbose=0)
    assert not np.allclose(first, second)
    rnn.reset_states()
    np.testing.assert_allclose(model.predict(x, verbose=0), first, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("cls", [layers.SimpleRNN, layers.GRU, layers.LSTM])
def test_unroll_gives_the_scan_result(cls):
    x = np.random.default_rng(3).standard_normal((2, 6, 3)).astype("float32")
    mask = np.array([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]], bool)
    rolled = cls(4, return_sequences=True)
    unrolled = cls(4, return_sequences=True, unroll=True)
    rolled(x)
    unrolled(x)
    unrolled.set_weights(rolled.get_weights())
    np.testing.assert_allclose(np.asarray(unrolled(x, mask=mask)), np.asarray(rolled(x, mask=mask)),
                               rtol=1e-5, atol=1e-6)


def test_stacked_cells_need_cells():
    with pytest.raises(ValueError, match="expects RNN cells"):
        layers.StackedRNNCells([layers.Dense(2)])


@pytest.mark.parametrize("cls", [layers.LSTM, layers.GRU, layers.SimpleRNN])
def test_keras2_time_major_swaps_batch_and_time(cls):
    x = np.random.default_rng(4).standard_normal((2, 5, 3)).astype("float32")
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], bool)
    batch_major = cls(4, return_sequences=True)
    time_major = cls(4, return_sequences=True, time_major=True)
    batch_major(x)
    time_major(np.swapaxes(x, 0, 1))
    time_major.set_weights(batch_major.get_weights())
    expected = np.asarray(batch_major(x, mask=mask))
    got = np.asarray(time_major(np.swapaxes(x, 0, 1), mask=mask.T))
    np.testing.assert_allclose(got, np.swapaxes(expected, 0, 1), rtol=1e-5, atol=1e-6)
    assert time_major.get_config()["time_major"] is True
    assert "time_major" not in batch_major.get_config()  # Keras 3 has no such argument
    config = {**batch_major.get_config(), "time_major": False}  # as tf-keras writes it
    assert cls.from_config(config).time_major is False
