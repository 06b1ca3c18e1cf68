"""Recurrent layers: cells, the generic `RNN` loop, `SimpleRNN`/`LSTM`/`GRU`, and wrappers."""
