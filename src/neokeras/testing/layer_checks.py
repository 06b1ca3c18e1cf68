"""`check_layer`: one call that checks a layer's whole contract.

It builds and calls the layer on random data, compares output shape and dtype, calls it
symbolically, round-trips its config, counts its weights and, when it has trainable weights,
checks that a few compiled training steps lower a loss.
"""

import numpy as np


def _random_input(shape, dtype, rng):
    if "int" in str(dtype):
        return rng.integers(0, 5, size=shape).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


def check_layer(layer_cls, init_kwargs=None, input_shape=(2, 3), input_dtype="float32",
                expected_output_shape=None, expected_output_dtype=None,
                expected_trainable=None, expected_non_trainable=None, input_data=None,
                check_training=True, call_kwargs=None, positional_inputs=False):
    """Runs the standard checks on `layer_cls(**init_kwargs)`; raises AssertionError on failure.

    Args:
        layer_cls: The layer class.
        init_kwargs: Constructor arguments.
        input_shape: Full input shape including the batch size (or a list for several inputs).
        input_dtype: Dtype of the random input.
        expected_output_shape: Full expected output shape, if known.
        expected_output_dtype: Expected output dtype (default: the layer's compute dtype).
        expected_trainable, expected_non_trainable: Expected numbers of weights.
        input_data: Use this input instead of random data.
        check_training: Also check that training steps lower a loss.
        call_kwargs: Extra keyword arguments for the call.
        positional_inputs: Pass several inputs as positional arguments (`layer(query, value)`)
            rather than as one list.

    Returns:
        The output of the eager call, as a numpy array.
    """
    import neokeras as keras
    from neokeras.saving.serialization import deserialize_keras_object, serialize_keras_object

    init_kwargs = dict(init_kwargs or {})
    call_kwargs = dict(call_kwargs or {})
    rng = np.random.default_rng(0)
    multi = isinstance(input_shape, list)
    if input_data is None:
        input_data = ([_random_input(s, input_dtype, rng) for s in input_shape] if multi
                      else _random_input(input_shape, input_dtype, rng))

    # Eager call: shape, dtype, weights.
    def call(layer, data):
        if multi and positional_inputs:
            return layer(*data, **call_kwargs)
        return layer(data, **call_kwargs)

    layer = layer_cls(**init_kwargs)
    output = call(layer, input_data)
    output_np = np.asarray(output)
    if expected_output_shape is not None:
        assert tuple(output_np.shape) == tuple(expected_output_shape), (
            f"{layer_cls.__name__}: output shape {output_np.shape}, expected {expected_output_shape}")
    expected_dtype = expected_output_dtype or layer.compute_dtype
    assert str(output.dtype) == expected_dtype, (
        f"{layer_cls.__name__}: output dtype {output.dtype}, expected {expected_dtype}")
    if expected_trainable is not None:
        assert len(layer.trainable_weights) == expected_trainable, (
            f"{layer_cls.__name__}: {len(layer.trainable_weights)} trainable weights, "
            f"expected {expected_trainable}")
    if expected_non_trainable is not None:
        assert len(layer.non_trainable_weights) == expected_non_trainable, (
            f"{layer_cls.__name__}: {len(layer.non_trainable_weights)} non-trainable weights, "
            f"expected {expected_non_trainable}")

    # Symbolic call: the inferred shape matches the eager one (batch dimension unknown).
    shapes = input_shape if multi else [input_shape]
    inputs = [keras.Input(batch_shape=(None,) + tuple(s[1:]), dtype=input_dtype) for s in shapes]
    symbolic_layer = layer_cls(**init_kwargs)
    symbolic_out = call(symbolic_layer, inputs if multi else inputs[0])
    assert tuple(symbolic_out.shape[1:]) == tuple(output_np.shape[1:]), (
        f"{layer_cls.__name__}: symbolic output shape {symbolic_out.shape} does not match the "
        f"eager output shape {output_np.shape}")

    # Config round trip, and same outputs with the same weights.
    config = serialize_keras_object(layer)
    clone = deserialize_keras_object(config)
    assert serialize_keras_object(clone)["config"] == config["config"], (
        f"{layer_cls.__name__}: get_config/from_config does not round-trip")
    if layer.weights:
        if not clone.built:
            call(clone, input_data)
        clone.set_weights(layer.get_weights())
        np.testing.assert_allclose(np.asarray(call(clone, input_data)), output_np,
                                   rtol=1e-5, atol=1e-5)

    # A few compiled training steps lower the loss.
    if check_training and layer.trainable_weights and "float" in str(output.dtype):
        train_layer = layer_cls(**init_kwargs)
        if multi or call_kwargs:
            outputs = call(train_layer, inputs if multi else inputs[0])
            model = keras.Model(inputs if multi else inputs[0], outputs)
        else:
            model = keras.Sequential([keras.Input(batch_shape=(None,) + tuple(input_shape[1:]),
                                                  dtype=input_dtype), train_layer])
        model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse")
        target = rng.standard_normal(output_np.shape).astype("float32")
        before = model.evaluate(input_data, target, verbose=0)
        model.fit(input_data, target, epochs=5, batch_size=len(output_np), verbose=0, shuffle=False)
        after = model.evaluate(input_data, target, verbose=0)
        assert after < before, (
            f"{layer_cls.__name__}: training did not lower the loss ({before} -> {after})")
    return output_np
