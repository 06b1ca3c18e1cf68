"""Variable paths (`v.path`) as Keras 3.15.1 builds them: a layer's variables sit under the
scopes of the layers (and Sequential / subclassed models) that built or called it."""

import numpy as np
import pytest

import neokeras

keras = pytest.importorskip("keras")


def _subclassed(k):
    class Block(k.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.inner = k.layers.Dense(3, name="inner")
            self.out = k.layers.Dense(2, name="out")

        def call(self, x):
            return self.out(self.inner(x))

    block = Block(name="block")
    block(np.zeros((1, 4), "float32"))
    return block


def _nested_three_deep(k):
    class Leaf(k.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], 2), name="w")

        def call(self, x):
            return x @ self.w

    class Mid(k.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.leaf = Leaf(name="leaf")
            self.dense = k.layers.Dense(2, name="dense")

        def call(self, x):
            return self.dense(self.leaf(x))

    class Top(k.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.mid = Mid(name="mid")
            self.norm = k.layers.LayerNormalization(name="norm")

        def call(self, x):
            return self.norm(self.mid(x))

    class Net(k.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.top = Top(name="top")

        def call(self, x):
            return self.top(x)

    net = Net(name="net")
    net(np.zeros((1, 4), "float32"))
    return net


def _sequential(k):
    return k.Sequential([k.Input((4,)), k.layers.Dense(3, name="d1"),
                         k.layers.Dense(2, name="d2")], name="seq")


def _sequential_deferred(k):
    model = k.Sequential([k.layers.Dense(3, name="d1"), k.layers.Dense(2, name="d2")],
                         name="seq")
    model(np.zeros((1, 4), "float32"))
    return model


def _sequential_in_functional(k):
    inner = k.Sequential([k.layers.Dense(3, name="d1"), k.layers.Dense(2, name="d2")],
                         name="seq")
    x = k.Input((4,))
    y = k.layers.Dense(5, name="head")(inner(x))
    return k.Model(x, y, name="outer")


def _functional_in_functional(k):
    a = k.Input((4,))
    inner = k.Model(a, k.layers.Dense(3, name="d1")(a), name="inner")
    x = k.Input((4,))
    return k.Model(x, k.layers.Dense(2, name="d2")(inner(x)), name="outer")


def _mha(k):
    q = k.Input((5, 8))
    y = k.layers.MultiHeadAttention(2, 4, name="attention")(q, q)
    return k.Model(q, y)


def _recurrent(k):
    x = k.Input((5, 3))
    y = k.layers.LSTM(4, return_sequences=True, name="lstm")(x)
    y = k.layers.GRU(4, name="gru")(y)
    y = k.layers.SimpleRNN(2, name="rnn", return_sequences=False)(k.layers.RepeatVector(2)(y))
    return k.Model(x, y)


def _stacked_cells(k):
    cells = [k.layers.LSTMCell(3, name="c1"), k.layers.GRUCell(2, name="c2")]
    x = k.Input((5, 3))
    return k.Model(x, k.layers.RNN(cells, name="stack")(x))


def _bidirectional(k):
    x = k.Input((5, 3))
    y = k.layers.Bidirectional(k.layers.LSTM(4, name="lstm"), name="bidi")(x)
    return k.Model(x, y)


def _time_distributed(k):
    x = k.Input((5, 3))
    y = k.layers.TimeDistributed(k.layers.Dense(2, name="dense"), name="td")(x)
    return k.Model(x, y)


def _batch_norm_embedding_einsum(k):
    x = k.Input((5,), dtype="int32")
    y = k.layers.Embedding(10, 4, name="emb")(x)
    y = k.layers.EinsumDense("abc,cd->abd", output_shape=(None, 3), bias_axes="d",
                             name="einsum")(y)
    y = k.layers.BatchNormalization(name="bn")(y)
    return k.Model(x, y)


def _subclassed_model_called(k):
    class Net(k.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.body = k.Sequential([k.layers.Dense(3, name="d1")], name="body")
            self.mha = k.layers.MultiHeadAttention(2, 2, name="attention")
            self.head = k.layers.Dense(2, name="head")

        def call(self, x):
            h = self.body(x)
            return self.head(self.mha(h, h))

    net = Net(name="net")
    net(np.zeros((1, 2, 4), "float32"))
    return net


def _subclassed_model_symbolic(k):  # called on a symbolic Input
    class Net(k.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.a = k.layers.Dense(3, name="a")
            self.b = k.layers.Dense(2, name="b")

        def call(self, x):
            return self.b(self.a(x))

    net = Net(name="net")
    net(k.Input((4,)))
    return net


def _layer_built_directly(k):
    class Pair(k.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.a = k.layers.Dense(3, name="a")

        def build(self, input_shape):
            self.a.build(input_shape)
            self.scale = self.add_weight(shape=(), name="scale")

        def call(self, x):
            return self.a(x) * self.scale

    pair = Pair(name="pair")
    pair.build((None, 4))
    return pair


BUILDERS = {
    "subclassed_layer": _subclassed,
    "nested_3_deep": _nested_three_deep,
    "sequential": _sequential,
    "sequential_deferred": _sequential_deferred,
    "sequential_in_functional": _sequential_in_functional,
    "functional_in_functional": _functional_in_functional,
    "multi_head_attention": _mha,
    "lstm_gru_simple_rnn": _recurrent,
    "stacked_cells": _stacked_cells,
    "bidirectional": _bidirectional,
    "time_distributed": _time_distributed,
    "batchnorm_embedding_einsum": _batch_norm_embedding_einsum,
    "subclassed_model_called": _subclassed_model_called,
    "subclassed_model_built_symbolically": _subclassed_model_symbolic,
    "layer_built_directly": _layer_built_directly,
}


def _paths(k, name):
    k.backend.clear_session()
    model = BUILDERS[name](k)
    optimizer = k.optimizers.Adam()
    optimizer.build(model.trainable_variables)
    return [v.path for v in model.weights], [v.path for v in optimizer.variables]


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_paths_equal_keras(name):
    assert _paths(neokeras, name) == _paths(keras, name)


def test_layout_map_key_written_for_keras_matches():
    from neokeras import distribution

    neokeras.backend.clear_session()
    model = _mha(neokeras)
    mesh = distribution.DeviceMesh((1,), ["model"], distribution.list_devices()[:1])
    layout_map = distribution.LayoutMap(mesh)
    layout_map[".*attention.*query.*kernel"] = (None, "model", None)
    query_kernel = next(v for v in model.weights if v.path.endswith("query/kernel"))
    assert query_kernel.path == "attention/query/kernel"
    assert layout_map[query_kernel.path] is not None


def _layer_paths(k, name):
    k.backend.clear_session()
    model = BUILDERS[name](k)
    # Layers holding weights: the ones a `DTypePolicyMap` looks up (weightless helper layers
    # differ between the two in whether they are built at all).
    return sorted((layer.name, layer.path) for layer in model._flatten_layers() if layer.weights)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_layer_paths_equal_keras(name):
    assert _layer_paths(neokeras, name) == _layer_paths(keras, name)


def _unbuilt(k):
    dense = k.layers.Dense(2, name="dense")
    sequential = k.Sequential([k.layers.Dense(2, name="inner")], name="outer")
    with k.name_scope("scope"):
        scoped = k.layers.Dense(2, name="scoped")
    before = [dense.path, sequential.path, sequential.layers[0].path, scoped.path]
    dense.build((None, 3))
    sequential.build((None, 3))
    scoped.build((None, 3))
    inputs = k.Input((3,))
    functional = k.Model(inputs, k.layers.Dense(2, name="f_dense")(inputs), name="functional")
    after = [dense.path, sequential.path, sequential.layers[0].path, scoped.path,
             functional.path, functional.layers[-1].path, dense.kernel.path]
    return before, after


def test_unbuilt_layer_has_no_path_as_in_keras():
    neokeras.backend.clear_session()
    keras.backend.clear_session()
    ours = _unbuilt(neokeras)
    assert ours == _unbuilt(keras)
    assert ours[0] == [None] * 4 and ours[1][:2] == ["dense", "outer"]
