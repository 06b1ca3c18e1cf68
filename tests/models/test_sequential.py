"""A built `Sequential` exposes `inputs`/`outputs` as a functional graph, as in Keras 3."""

import numpy as np
import pytest

import neokeras

X = np.linspace(-1, 1, 6, dtype="float32").reshape(2, 3)


@pytest.mark.parametrize("how", ["input", "input_shape", "build"])
def test_built_sequential_has_graph_inputs_and_outputs(how):
    layers = neokeras.layers
    if how == "input":
        model = neokeras.Sequential([neokeras.Input((3,)), layers.Dense(4), layers.Dense(2)])
    elif how == "input_shape":
        model = neokeras.Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(2)])
    else:
        model = neokeras.Sequential([layers.Dense(4), layers.Dense(2)])
        model.build((None, 3))
    (inputs,), (outputs,) = model.inputs, model.outputs
    assert tuple(inputs.shape) == (None, 3) and tuple(outputs.shape) == (None, 2)
    assert model.outputs[0] is outputs  # made once, not a new node per access
    assert neokeras.utils.get_source_inputs(outputs) == [inputs]
    functional = neokeras.Model(model.inputs, model.outputs)
    np.testing.assert_allclose(functional.predict(X, verbose=0), model.predict(X, verbose=0))
    assert functional.layers[1:] == model.layers


def test_outputs_follow_add_and_pop():
    model = neokeras.Sequential([neokeras.Input((3,)), neokeras.layers.Dense(4)])
    assert tuple(model.outputs[0].shape) == (None, 4)
    model.add(neokeras.layers.Dense(5))
    assert tuple(model.outputs[0].shape) == (None, 5)
    model.pop()
    assert tuple(model.outputs[0].shape) == (None, 4)


@pytest.mark.parametrize("attribute", ["inputs", "outputs"])
def test_unbuilt_sequential_raises_attribute_error_like_keras(attribute):
    keras = pytest.importorskip("keras")
    ours = neokeras.Sequential([neokeras.layers.Dense(2)], name="s")
    theirs = keras.Sequential([keras.layers.Dense(2)], name="s")
    with pytest.raises(AttributeError) as expected:
        getattr(theirs, attribute)
    with pytest.raises(AttributeError, match=str(expected.value)):
        getattr(ours, attribute)
    assert not hasattr(ours, attribute)


def _sequential(lib):
    return lib.Sequential([lib.Input((3,)), lib.layers.Dense(2)])


def _functional(lib):
    inputs = lib.Input((3,))
    return lib.Model(inputs, lib.layers.Dense(2)(inputs))


@pytest.mark.parametrize("make", [_sequential, _functional])
def test_models_refuse_layers_assignment_like_keras(make):
    keras = pytest.importorskip("keras")
    with pytest.raises(AttributeError) as expected:
        make(keras).layers = []
    with pytest.raises(AttributeError) as got:
        make(neokeras).layers = []
    assert str(got.value) == str(expected.value)


class _Block:
    """A Layer subclass that keeps its sublayers in its own `layers` attribute (keras-tuner and
    keras-hub blocks do)."""

    def __new__(cls, lib):
        class Block(lib.layers.Layer):
            def __init__(self):
                super().__init__()
                self.layers = [lib.layers.Dense(3), lib.layers.Dense(2)]

            def call(self, x):
                for layer in self.layers:
                    x = layer(x)
                return x

        return Block()


def test_layer_subclass_may_assign_layers_like_keras():
    keras = pytest.importorskip("keras")
    ours, theirs = _Block(neokeras), _Block(keras)
    assert tuple(ours(X).shape) == tuple(theirs(X).shape) == (2, 2)
    assert len(ours.weights) == len(theirs.weights) == 4
    assert [type(layer).__name__ for layer in ours.layers] == ["Dense", "Dense"]
    ours.layers.append(neokeras.layers.Dense(1))
    assert len(ours.layers) == 3 and ours.layers[2] in ours._tracked_layers
