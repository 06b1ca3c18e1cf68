"""The graph view of layers and models: input/output, shapes per node, inbound/outbound nodes."""

import numpy as np
import pytest

import neokeras as nk
from neokeras import layers


def test_layer_input_output_and_shapes():
    inputs = nk.Input((4,), name="x")
    dense = layers.Dense(3)
    hidden = dense(inputs)
    outputs = layers.Dense(2)(hidden)
    assert dense.input is inputs and dense.output is hidden
    assert dense.input_shape == (None, 4) and dense.output_shape == (None, 3)
    assert dense.get_input_at(0) is inputs and dense.get_output_at(0) is hidden
    assert dense.get_input_shape_at(0) == (None, 4)
    assert dense.get_output_shape_at(-1) == (None, 3)
    assert len(dense.inbound_nodes) == 1 and len(dense.outbound_nodes) == 1
    assert dense.outbound_nodes[0].layer.output is outputs
    input_layer = inputs._keras_history[0]
    assert input_layer.output is inputs and input_layer.input is inputs
    assert input_layer.output_shape == (None, 4)


def test_shared_layer_has_one_node_per_call():
    a, b = nk.Input((4,)), nk.Input((4,))
    shared = layers.Dense(2)
    ya, yb = shared(a), shared(b)
    assert shared.input is a and shared.output is ya  # the first call, as in Keras 3
    assert shared.get_input_at(1) is b and shared.get_output_at(1) is yb
    assert shared.output_shape == (None, 2)
    flatten = layers.Flatten()
    flatten(a)
    flatten(nk.Input((2, 3)))
    with pytest.raises(AttributeError, match="multiple inbound nodes with different input shapes"):
        flatten.input_shape
    assert flatten.get_output_shape_at(1) == (None, 6)
    with pytest.raises(ValueError, match="node index 5 is out of range"):
        shared.get_input_at(5)


def test_multi_input_layer_keeps_the_structure():
    a, b = nk.Input((3,)), nk.Input((3,))
    add = layers.Add()
    add([a, b])
    assert isinstance(add.input, list) and add.input[0] is a and add.input[1] is b
    assert add.input_shape == [(None, 3), (None, 3)]


def test_never_called_layer_says_so():
    layer = layers.Dense(2)
    with pytest.raises(AttributeError, match="never been called"):
        layer.output
    with pytest.raises(AttributeError, match="never been called and thus has no defined input"):
        layer.input_shape
    layer(np.ones((1, 3), "float32"))  # eager calls record no node
    with pytest.raises(AttributeError):
        layer.output


def test_sequential_layers_expose_outputs_for_feature_extraction():
    model = nk.Sequential([nk.Input((4,)), layers.Dense(8, activation="relu", name="hidden"),
                           layers.Dense(2, name="head")])
    assert model.input.shape == (None, 4) and model.output.shape == (None, 2)
    assert model.layers[0].output_shape == (None, 8)
    assert model.get_layer(index=0).name == "hidden"
    features = nk.Model(model.input, model.get_layer("hidden").output)
    x = np.random.default_rng(0).standard_normal((3, 4)).astype("float32")
    kernel, bias = model.layers[0].get_weights()
    np.testing.assert_allclose(features.predict(x, verbose=0), np.maximum(x @ kernel + bias, 0),
                               rtol=1e-5, atol=1e-6)
    # Adding layers rebuilds the stack without piling up nodes on the earlier layers.
    model.add(layers.Dense(1))
    model.add(layers.Dense(1))
    assert len(model.layers[0].inbound_nodes) == 1
    assert model.output_shape == (None, 1) and model.layers[-1].input_shape == (None, 1)


def test_keras2_sequential_with_input_shape_on_first_layer():
    model = nk.Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(1)])
    assert model.layers[0].input_shape == (None, 3)
    assert model.layers[1].output_shape == (None, 1)
    assert model.output is model.layers[-1].output
    assert model.count_params() == 3 * 4 + 4 + 5


def test_compute_output_shape_and_spec():
    layer = layers.Conv2D(4, 3)
    assert tuple(layer.compute_output_shape((None, 8, 8, 2))) == (None, 6, 6, 4)
    spec = layer.compute_output_spec(nk.backend.KerasTensor((2, 8, 8, 2)))
    assert spec.shape == (2, 6, 6, 4)
    assert layers.Add().compute_output_shape([(None, 3), (None, 3)]) == (None, 3)


@pytest.mark.parametrize("args,kwargs", [
    (("w", (2, 3)), dict(initializer="ones")),  # Keras 2 order: name, shape
    (((2, 3),), dict(initializer="ones", name="w")),  # Keras 3 order: shape first
    ((), dict(name="w", shape=[2, 3], initializer="ones", trainable=False,
              use_resource=True, synchronization=None, experimental_autocast=False)),
    ((), dict(shape=(np.int64(2), np.int32(3)), initializer=nk.initializers.Ones(), name="w",
              aggregation="mean", constraint="non_neg", regularizer="l2")),
    (("w", [2, 3], "float32", "ones", None, True, None, True, "auto", "none"),
     dict(caching_device=None, partitioner=None)),
], ids=["keras2-positional", "keras3-positional", "keras2-kwargs", "numpy-shape",
        "keras2-all-positional"])
def test_add_weight_spellings(args, kwargs):
    layer = layers.Layer()
    w = layer.add_weight(*args, **kwargs)
    assert w.shape == (2, 3) and w.name == "w"
    np.testing.assert_allclose(w.numpy(), 1.0)
    assert (w in layer.non_trainable_weights) == (kwargs.get("trainable") is False)
