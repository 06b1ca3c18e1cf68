"""Progress output on a terminal and in a file, through `fit`."""

import io
import sys

import numpy as np
import pytest

from neokeras import layers, optimizers
from neokeras.models import Sequential
from neokeras.utils import Progbar


class Terminal(io.StringIO):
    def isatty(self):
        return True


def _model():
    model = Sequential([layers.Dense(1, input_shape=(2,))])
    model.compile(optimizers.SGD(0.01), "mse")
    return model


def _fit(stream, monkeypatch, verbose):
    monkeypatch.setattr(sys, "stdout", stream)
    x = np.ones((64, 2), "float32")
    _model().fit(x, x[:, :1], batch_size=8, epochs=2, verbose=verbose)
    return stream.getvalue()


def test_fit_on_a_terminal_draws_the_bar(monkeypatch):
    out = _fit(Terminal(), monkeypatch, "auto")
    assert "Epoch 1/2" in out and "Epoch 2/2" in out
    assert "\r8/8 ━━━━━━━━━━━━━━━━━━━━" in out and " - loss: " in out
    assert "included" in out and "s of compilation" in out.split("Epoch 2/2")[0]
    assert "compilation" not in out.split("Epoch 2/2")[1]  # nothing compiles in epoch 2


def test_fit_into_a_file_writes_one_line_per_epoch(monkeypatch):
    out = _fit(io.StringIO(), monkeypatch, "auto")
    assert "\r" not in out and "━" not in out
    lines = [line for line in out.splitlines() if line.startswith("8/8 - ")]
    assert len(lines) == 2 and all(" - loss: " in line for line in lines)
    assert _fit(io.StringIO(), monkeypatch, 0) == ""
    out2 = _fit(io.StringIO(), monkeypatch, 2)
    assert len([line for line in out2.splitlines() if line.startswith("8/8 - ")]) == 2


def test_progbar_rate_limits_live_updates(monkeypatch):
    clock = [0.0]
    monkeypatch.setattr("neokeras.utils.progbar.time.perf_counter", lambda: clock[0])
    stream = Terminal()
    bar = Progbar(100, stream=stream)
    for step in range(1, 100):
        clock[0] += 0.01  # 100 updates per second are asked for
        bar.update(step, {"loss": 1.0 / step})
    clock[0] += 0.01
    bar.update(100, {"loss": 0.01})
    frames = stream.getvalue().count("\r")
    assert 9 <= frames <= 11  # about ten per second of the one second, plus the final one
    assert stream.getvalue().endswith("\n")
    assert "100/100" in stream.getvalue() and "loss: 0.0100" in stream.getvalue()


def test_verbose_must_be_valid():
    with pytest.raises(ValueError, match="verbose must be"):
        _model().fit(np.ones((4, 2)), np.ones((4, 1)), verbose=3)
