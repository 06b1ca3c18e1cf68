"""`keras.quantizers`: every function and config checked against real Keras 3.15.1 on the same
inputs (values, dtypes, shapes, configs), plus gradients of fake quantization."""

import numpy as np
import pytest

import neokeras
from neokeras import quantizers

keras = pytest.importorskip("keras")

RNG = np.random.default_rng(7)
X = RNG.normal(size=(6, 5)).astype("float32")
X_CONST = np.concatenate([X, np.full((6, 1), 0.5, "float32")], axis=1)
INT4 = RNG.integers(-8, 8, size=(5, 3)).astype("int8")
UINT4 = RNG.integers(0, 16, size=(4, 3)).astype("uint8")


def _np(value):
    return tuple(_np(v) for v in value) if isinstance(value, tuple) else np.asarray(value)


def assert_same(actual, expected, tol=1e-6):
    actual, expected = _np(actual), _np(expected)
    if isinstance(expected, tuple):
        assert isinstance(actual, tuple) and len(actual) == len(expected)
        for a, e in zip(actual, expected):
            assert_same(a, e, tol)
        return
    assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    np.testing.assert_allclose(actual.astype("float64"), expected.astype("float64"),
                               rtol=tol, atol=tol)


CASES = {
    "abs_max_axis_-1": lambda q: q.abs_max_quantize(X, axis=-1),
    "abs_max_axis_0_numpy": lambda q: q.abs_max_quantize(X, axis=0, to_numpy=True),
    "abs_max_axes_int4": lambda q: q.abs_max_quantize(X, axis=(0, 1), value_range=(-8, 7)),
    "abs_max_quantizer": lambda q: q.AbsMaxQuantizer()(X),
    "abs_max_quantizer_axis": lambda q: q.AbsMaxQuantizer(axis=0)(X, to_numpy=True),
    "grouped": lambda q: q.abs_max_quantize_grouped_with_zero_point(X, block_size=4),
    "grouped_numpy": lambda q: q.abs_max_quantize_grouped_with_zero_point(
        X, block_size=4, to_numpy=True),
    "grouped_one_group": lambda q: q.abs_max_quantize_grouped_with_zero_point(X, block_size=8),
    "grouped_int8_range": lambda q: q.abs_max_quantize_grouped_with_zero_point(
        X, block_size=3, value_range=(-128, 127)),
    "fake_quant_tensor": lambda q: q.fake_quant_with_min_max_vars(X, -1.0, 1.5),
    "fake_quant_narrow_4bit": lambda q: q.fake_quant_with_min_max_vars(
        X, -0.7, 0.9, num_bits=4, narrow_range=True),
    "fake_quant_channel": lambda q: q.fake_quant_with_min_max_vars(
        X, np.linspace(-1, -0.2, 5).astype("float32"),
        np.linspace(0.3, 1.2, 5).astype("float32"), axis=-1),
    "float8_scale": lambda q: q.compute_float8_scale(
        np.float32(3.5), np.float32(0.5), np.float32(448.0), margin=1),
    "float8_scale_zero_amax": lambda q: q.compute_float8_scale(
        np.float32(0.0), np.float32(0.5), np.float32(448.0)),
    "float8_scale_inf_amax": lambda q: q.compute_float8_scale(
        np.float32(np.inf), np.float32(0.25), np.float32(448.0)),
    "float8_amax_history": lambda q: q.compute_float8_amax_history(
        X, np.arange(4, dtype="float32")),
    "qdq_e4m3": lambda q: q.quantize_and_dequantize(X * 300, np.float32(0.5),
                                                    "float8_e4m3fn", "float32"),
    "qdq_e5m2": lambda q: q.quantize_and_dequantize(X, np.float32(2.0), "float8_e5m2",
                                                    "float32"),
    "pack_axis_0": lambda q: q.pack_int4(INT4, axis=0)[0],
    "pack_axis_1": lambda q: q.pack_int4(INT4, axis=1)[0],
    "pack_uint8": lambda q: q.pack_int4(UINT4, axis=-1, dtype="uint8")[0],
    "unpack_axis_0": lambda q: q.unpack_int4(q.pack_int4(INT4)[0], 5),
    "unpack_axis_1": lambda q: q.unpack_int4(q.pack_int4(INT4, axis=1)[0], 3, axis=1),
    "unpack_uint8": lambda q: q.unpack_int4(q.pack_int4(UINT4, axis=-1, dtype="uint8")[0], 3,
                                            axis=-1, dtype="uint8"),
    "unpack_as_unsigned": lambda q: q.unpack_int4(q.pack_int4(INT4)[0], 5, dtype="uint8"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_keras(case):
    assert_same(CASES[case](quantizers), CASES[case](keras.quantizers))


def test_grouped_constant_group_matches_keras_on_both_paths():
    # A constant group has max == min: the device path widens the range by one each way,
    # the numpy path only adds epsilon (as Keras).
    for to_numpy in (False, True):
        assert_same(quantizers.abs_max_quantize_grouped_with_zero_point(
            X_CONST.T, block_size=3, to_numpy=to_numpy),
            keras.quantizers.abs_max_quantize_grouped_with_zero_point(
                X_CONST.T, block_size=3, to_numpy=to_numpy))


def test_pack_returns_shape_and_length_as_keras():
    ours = quantizers.pack_int4(INT4, axis=0)
    theirs = keras.quantizers.pack_int4(INT4, axis=0)
    assert ours[1:] == theirs[1:] == ((3, 3), 5)


def test_pack_int4_rejects_wrong_dtypes():
    with pytest.raises(TypeError, match="Expected int8 tensor"):
        quantizers.pack_int4(INT4.astype("int32"))
    with pytest.raises(ValueError, match="'int8' or 'uint8'"):
        quantizers.pack_int4(INT4, dtype="int16")
    with pytest.raises(TypeError, match="int8 or uint8 tensor"):
        quantizers.unpack_int4(np.zeros((2, 2), "float32"), 4)


@pytest.mark.parametrize("axis", [None, -1])
def test_fake_quant_gradients_match_keras(axis):
    import jax

    low = np.float32(-0.8) if axis is None else np.linspace(-1, -0.2, 5).astype("float32")
    high = np.float32(1.1) if axis is None else np.linspace(0.3, 1.2, 5).astype("float32")
    upstream = RNG.normal(size=X.shape).astype("float32")

    def grads(q):
        def loss(x, lo, hi):
            y = q.fake_quant_with_min_max_vars(x, lo, hi, axis=axis)
            return (y * upstream).sum()

        return jax.grad(loss, argnums=(0, 1, 2))(X, low, high)

    assert_same(tuple(grads(quantizers)), tuple(grads(keras.quantizers)))


def test_fake_quant_on_symbolic_input_gives_spec():
    x = neokeras.KerasTensor((None, 5), dtype="float32")
    y = quantizers.fake_quant_with_min_max_vars(x, -1.0, 1.0)
    assert tuple(y.shape) == (None, 5) and y.dtype == "float32"


QUANTIZER_CONFIGS = {
    "abs_max": lambda q: q.AbsMaxQuantizer(),
    "abs_max_axis": lambda q: q.AbsMaxQuantizer(axis=0, value_range=(-8, 7)),
    "int8": lambda q: q.Int8QuantizationConfig(),
    "int8_weight_only": lambda q: q.Int8QuantizationConfig(
        weight_quantizer=q.AbsMaxQuantizer(axis=0), activation_quantizer=None),
    "int4": lambda q: q.Int4QuantizationConfig(),
    "int4_per_channel": lambda q: q.Int4QuantizationConfig(
        weight_quantizer=q.AbsMaxQuantizer(axis=0, value_range=(-8, 7)), block_size=None),
    "float8": lambda q: q.Float8QuantizationConfig(),
    "gptq": lambda q: q.GPTQConfig(dataset=None, tokenizer=None, weight_bits=3, group_size=64,
                                   symmetric=True, activation_order=True),
    "awq": lambda q: q.AWQConfig(dataset=None, tokenizer=None, group_size=-1,
                                 num_grid_points=5),
}


def _plain(value):
    """JSON view of a config (tuples and lists compare equal, as in a saved file)."""
    import json

    return json.loads(json.dumps(value))


@pytest.mark.parametrize("case", sorted(QUANTIZER_CONFIGS))
def test_configs_serialize_as_keras_and_round_trip(case):
    ours = QUANTIZER_CONFIGS[case](quantizers)
    theirs = QUANTIZER_CONFIGS[case](keras.quantizers)
    assert _plain(quantizers.serialize(ours)) == _plain(keras.quantizers.serialize(theirs))
    # A config written by Keras loads here and the other way round.
    back = quantizers.deserialize(_plain(keras.quantizers.serialize(theirs)))
    assert type(back) is type(ours)
    assert _plain(back.get_config()) == _plain(ours.get_config())
    if hasattr(ours, "mode"):
        assert ours.mode == theirs.mode


def test_get_resolves_names_dicts_and_instances():
    quantizer = quantizers.AbsMaxQuantizer(axis=0)
    assert quantizers.get(quantizer) is quantizer
    assert quantizers.get(None) is None
    rebuilt = quantizers.get(quantizers.serialize(quantizer))
    assert isinstance(rebuilt, quantizers.AbsMaxQuantizer) and rebuilt.axis == (0,)
    with pytest.raises(ValueError, match="Could not interpret quantizer identifier"):
        quantizers.get("no_such_quantizer")


@pytest.mark.parametrize("make, error", [
    (lambda q: q.AbsMaxQuantizer(value_range=(-200, 127)), "\\[-128, 127\\]"),
    (lambda q: q.Int8QuantizationConfig(weight_quantizer=q.AbsMaxQuantizer(
        output_dtype="int16")), "output_dtype='int8'"),
    (lambda q: q.Int4QuantizationConfig(block_size=0), "block_size must be"),
    (lambda q: q.Int4QuantizationConfig(weight_quantizer=q.AbsMaxQuantizer()),
     "does not support custom quantizers"),
    (lambda q: q.Int4QuantizationConfig(weight_quantizer=q.AbsMaxQuantizer(), block_size=-1),
     "value_range=\\(-8, 7\\)"),
    (lambda q: q.GPTQConfig(None, None, weight_bits=5), "Unsupported weight_bits"),
    (lambda q: q.GPTQConfig(None, None, hessian_damping=2), "hessian_damping"),
    (lambda q: q.GPTQConfig(None, None, group_size=0), "Invalid group_size"),
    (lambda q: q.AWQConfig(None, None, weight_bits=8), "only supports 4-bit"),
    (lambda q: q.AWQConfig(None, None, num_grid_points=0), "num_grid_points"),
])
def test_invalid_configs_raise_as_keras(make, error):
    for namespace in (quantizers, keras.quantizers):
        with pytest.raises(ValueError, match=error):
            make(namespace)


def test_base_classes():
    x = np.ones((2, 2), "float32")
    assert quantizers.Quantizer()(x) is x
    with pytest.raises(NotImplementedError, match="get_config"):
        quantizers.Quantizer().get_config()
    with pytest.raises(NotImplementedError):
        quantizers.QuantizationConfig().mode  # noqa: B018
    assert neokeras.Quantizer is quantizers.Quantizer
    assert quantizers.GPTQConfig(None, None).dtype_policy_string() == "gptq/4/128"
    assert quantizers.AWQConfig(None, None, group_size=-1).dtype_policy_string() == "awq/4/-1"
