"""Layer.__call__: inputs given by the name of `call`'s first argument, as in Keras 3 (keras-hub's
Llama calls its attention layer as `self_attention(hidden_states=x, ...)`)."""

import numpy as np
import pytest

import neokeras


def make(lib):
    class Scaled(lib.layers.Layer):
        def call(self, hidden_states, scale=2.0):
            return hidden_states * scale

    return Scaled()


def test_inputs_by_the_name_of_calls_first_argument_as_keras():
    keras = pytest.importorskip("keras")
    x = np.arange(6, dtype="float32").reshape(2, 3)
    for lib in (neokeras, keras):
        layer = make(lib)
        np.testing.assert_array_equal(layer(hidden_states=x, scale=3.0), x * 3)
        inputs = lib.Input((3,))
        model = lib.Model(inputs, layer(hidden_states=inputs))
        np.testing.assert_array_equal(model.predict(x, verbose=0), x * 2)
    with pytest.raises(TypeError, match="called without inputs"):
        make(neokeras)(scale=1.0)


def _position_embedding_model(k):
    """keras-hub's pattern: a fixed-size table sliced by the input length, with the output
    shape stated by the layer (tracing with a stand-in length would overflow the table)."""

    class PositionEmbedding(k.layers.Layer):
        def build(self, input_shape):
            self.table = self.add_weight(shape=(16, input_shape[-1]), initializer="ones")

        def call(self, x):
            return x + self.table[: k.ops.shape(x)[1]]

        def compute_output_shape(self, input_shape):
            return input_shape

    class Stated(k.layers.Layer):
        def call(self, x):
            return k.ops.concatenate([x, x], axis=-1)

        def compute_output_shape(self, input_shape):
            return [input_shape[0], input_shape[1], 2 * input_shape[2]]

    inputs = k.Input((None, 3))
    hidden = PositionEmbedding()(inputs)
    return k.Model(inputs, Stated()(hidden)), hidden


def test_user_compute_output_shape_gives_the_symbolic_output_as_keras():
    keras = pytest.importorskip("keras")
    x = np.arange(30, dtype="float32").reshape(2, 5, 3)
    outputs = {}
    for name, k in (("keras", keras), ("neokeras", neokeras)):
        model, hidden = _position_embedding_model(k)
        assert (tuple(hidden.shape), tuple(model.output.shape)) == ((None, None, 3), (None, None, 6))
        outputs[name] = model.predict(x, verbose=0)
    np.testing.assert_array_equal(outputs["neokeras"], outputs["keras"])


def test_super_compute_output_shape_of_a_builtin_layer_is_traced():
    class Stated(neokeras.layers.Dense):
        def compute_output_shape(self, input_shape):
            return super().compute_output_shape(input_shape)

    assert Stated(5)(neokeras.Input((3,))).shape == (None, 5)


def test_a_failing_compute_output_shape_falls_back_to_tracing_call():
    class Keras2Style(neokeras.layers.Layer):
        def call(self, x):
            return neokeras.ops.concatenate([x, x], axis=0)

        def compute_output_shape(self, input_shape):
            return (input_shape[0] * 2,) + tuple(input_shape[1:])  # None * 2 raises

    assert Keras2Style()(neokeras.Input((3,))).shape == (None, 3)


def test_a_functional_model_called_on_symbolic_inputs_uses_its_layers_output_shapes():
    keras = pytest.importorskip("keras")
    x = np.arange(30, dtype="float32").reshape(2, 5, 3)
    outputs = {}
    for name, k in (("keras", keras), ("neokeras", neokeras)):
        inner, _ = _position_embedding_model(k)
        outer = k.Model(inner.input, k.layers.Dense(2, kernel_initializer="ones")(
            inner(inner.input)))
        assert tuple(outer.output.shape) == (None, None, 2)
        outputs[name] = outer.predict(x, verbose=0)
    np.testing.assert_allclose(outputs["neokeras"], outputs["keras"], rtol=1e-6)
