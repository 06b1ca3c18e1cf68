import sys

import numpy as np
import pytest

from neokeras import layers, utils
from neokeras.callbacks import History
from neokeras.models import Sequential


def test_plot_model_without_pydot_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "pydot", None)
    model = Sequential([layers.Dense(2, input_shape=(3,))])
    with pytest.raises(ImportError, match="pip install pydot"):
        utils.plot_model(model, to_file=tmp_path / "m.png")


def test_plot_model_writes_dot(tmp_path):
    pytest.importorskip("pydot")
    model = Sequential([layers.Dense(2, input_shape=(3,), name="d1"), layers.Dense(1, name="d2")])
    dot = utils.model_to_dot(model, show_shapes=True)
    text = dot.to_string()
    assert "d1 (Dense)" in text and "d2 (Dense)" in text and "->" in text
    assert "output: (None, 2)" in text and "output: (None, 1)" in text
    utils.plot_model(model, to_file=tmp_path / "m.dot", show_shapes=True)
    with open(tmp_path / "m.dot") as handle:
        assert "d2 (Dense)" in handle.read()


def test_model_to_dot_follows_a_functional_graph():
    pytest.importorskip("pydot")
    from neokeras.models import Model

    inputs = layers.Input((4,), name="x")
    left = layers.Dense(2, name="left")(inputs)
    right = layers.Dense(3, name="right")(inputs)
    merged = layers.Concatenate(name="merge")([left, right])
    model = Model(inputs, layers.Dense(1, name="out")(merged))
    dot = utils.model_to_dot(model)
    names = {node.get_name(): node.get_label().strip('"').split(" ")[0]
             for node in dot.get_nodes() if node.get_label()}
    edges = {(names[e.get_source()], names[e.get_destination()]) for e in dot.get_edges()}
    assert {("left", "merge"), ("right", "merge"), ("merge", "out")} <= edges
    assert ("left", "right") not in edges and ("right", "left") not in edges


def _history():
    history = History()
    history.epoch = [0, 1, 2]
    history.history = {"loss": [1.0, 0.5, 0.25], "val_loss": [1.2, 0.7, 0.4],
                       "accuracy": [0.5, 0.7, 0.9]}
    return history


def test_plot_history_saves_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "history.png"
    figure = utils.plot_history(_history(), path)
    with open(path, "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    assert len(figure.axes) == 2
    lines = figure.axes[0].get_lines()
    assert [line.get_label() for line in lines] == ["loss", "val_loss"]
    np.testing.assert_array_equal(lines[1].get_ydata(), [1.2, 0.7, 0.4])


def test_plot_history_errors():
    pytest.importorskip("matplotlib")
    with pytest.raises(ValueError, match="not in the history"):
        utils.plot_history(_history(), metrics=["auc"])
    with pytest.raises(ValueError, match="non-empty dict"):
        utils.plot_history({})


def test_plot_history_without_matplotlib(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        utils.plot_history(_history(), "x.png")
