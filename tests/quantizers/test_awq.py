"""`model.quantize("awq", config=AWQConfig(...))` against real Keras 3.15.1: the same model,
weights and calibration data give the same quantized variables (names, dtypes, shapes, values),
the same outputs, and files in Keras's variable layout.

Keras 3.15.1 collects the calibration activations by patching `layer.call`, but an AWQ-built
layer runs `quantized_call`, so its activation maxima stay zero and every channel counts the
same (AWQ degrades to plain 4-bit rounding). The oracle is Keras with that hook on
`quantized_call`: its own magnitude statistics, scale search and quantization then run on the
real inputs.
"""

import warnings

import numpy as np
import pytest

import neokeras
from keras_calibration import CharTokenizer, hook_quantized_call

keras = pytest.importorskip("keras")
awq_core = pytest.importorskip("keras.src.quantizers.awq_core")


def _streaming_keras_activations(layers, awq_objects):
    return hook_quantized_call(keras, layers, awq_objects,
                               lambda state, inputs: state.update_activation_magnitudes(inputs))


@pytest.fixture
def keras_streams_activations(monkeypatch):
    monkeypatch.setattr(awq_core, "stream_activations", _streaming_keras_activations)


def _model(k):
    """An embedding, a block of two Dense layers and a block of two 3D EinsumDense layers
    (an attention-like projection `(in, heads, dim)` and its output `(heads, dim, out)`)."""
    rng = np.random.default_rng(1)
    embedding = k.layers.Embedding(20, 16)
    first = k.Sequential([k.layers.Dense(24, activation="relu"), k.layers.Dense(16)])
    second = k.Sequential([
        k.layers.EinsumDense("abc,cde->abde", (8, 2, 5), bias_axes="de"),
        k.layers.EinsumDense("abcd,cde->abe", (8, 16))])
    model = k.Sequential([k.Input((8,), dtype="int32"), embedding, first, second])
    for variable in model.weights:
        # Uneven channel sizes give the scale search something to find.
        spread = np.exp(rng.normal(size=variable.shape[-1:]))
        variable.assign((rng.normal(size=variable.shape) * spread * 0.3).astype("float32"))
    return model, {"pre_block_layers": [embedding], "sequential_blocks": [first, second]}


TOKENS = [np.arange(60) % 20, (np.arange(50) * 7) % 20]
X = (np.arange(16).reshape(2, 8) * 3) % 20


def _quantized(k, **options):
    model, structure = _model(k)
    options = {"dataset": TOKENS, "num_samples": 3, **options}
    config = k.quantizers.AWQConfig(tokenizer=CharTokenizer(), sequence_length=8,
                                    quantization_layer_structure=structure, **options)
    with pytest.warns(UserWarning):  # InputLayer / Embedding have no AWQ
        model.quantize("awq", config=config)
    return model


def _variables(model):
    return [("/".join(v.path.split("/")[-2:]), str(v.dtype), tuple(v.shape), np.asarray(v))
            for v in model.weights]


CASES = {
    "groups": dict(group_size=8),
    "per_channel_text": dict(group_size=-1, num_grid_points=6,
                             dataset=["the quick brown fox", "jumps over the lazy dog"]),
}


@pytest.mark.slow  # Keras's AWQ runs op by op: tens of seconds on a shared CPU
@pytest.mark.parametrize("options", CASES.values(), ids=CASES.keys())
def test_awq_matches_keras(options, keras_streams_activations):
    ours, theirs = _quantized(neokeras, **options), _quantized(keras, **options)
    mine, reference = _variables(ours), _variables(theirs)
    assert [v[:3] for v in mine] == [v[:3] for v in reference]
    for (name, *_, value), (*_, expected) in zip(mine, reference):
        np.testing.assert_array_equal(value, expected, err_msg=name)
    np.testing.assert_allclose(ours(X), theirs(X), rtol=1e-5, atol=1e-5)
    for layer, keras_layer in zip(ours.layers[1].layers + ours.layers[2].layers,
                                  theirs.layers[1].layers + theirs.layers[2].layers):
        assert layer.dtype_policy.name == keras_layer.dtype_policy.name
        assert layer.is_awq_calibrated and not hasattr(layer, "_kernel")
        np.testing.assert_array_equal(layer.kernel, keras_layer.kernel)
    # The search did not settle on plain rounding everywhere.
    assert any((np.asarray(layer.awq_scales) != 1).any() for layer in ours.layers[1].layers)


MATRIX_CASES = {
    "per_channel": dict(group_size=-1),
    "groups": dict(group_size=2),
    "ragged_groups": dict(group_size=4, num_grid_points=5),
}


@pytest.mark.parametrize("options", MATRIX_CASES.values(), ids=MATRIX_CASES.keys())
def test_awq_matrix_matches_keras(options):
    """The scale search and quantization of one matrix, against Keras's own functions (a
    dead channel and a dominant one included)."""
    awq = pytest.importorskip("keras.src.quantizers.awq")
    from neokeras.quantizers import awq as ours

    rng = np.random.default_rng(4)
    weights = rng.normal(size=(5, 6)).astype("float32")
    magnitudes = np.array([0.1, 3.0, 0.0, 0.5, 12.0, 1.0], "float32")
    mine = ours.quantize_matrix(weights, magnitudes, **options)
    theirs = awq.awq_quantize_matrix(weights, magnitudes, **options)
    theirs = (keras.ops.cast(theirs[0], "uint8"),) + tuple(theirs[1:])
    for value, expected in zip(mine, theirs):
        assert str(value.dtype) == str(expected.dtype)
        np.testing.assert_array_equal(value, expected)
    assert (np.asarray(mine[3]) != 1).any()


def _one_block(k, group_size=2):
    rng = np.random.default_rng(2)
    embedding = k.layers.Embedding(20, 6)
    block = k.Sequential([k.layers.Dense(5)])
    model = k.Sequential([k.Input((4,), dtype="int32"), embedding, block])
    for variable in model.weights:
        variable.assign(rng.normal(size=variable.shape).astype("float32"))
    config = k.quantizers.AWQConfig(
        dataset=TOKENS, tokenizer=CharTokenizer(), num_samples=2, sequence_length=4,
        group_size=group_size, num_grid_points=4,
        quantization_layer_structure={"pre_block_layers": [embedding],
                                      "sequential_blocks": [block]})
    return model, config


def _saved(model, path, weights_only=False):
    # The structure holds the model's own layers, which neither Keras 3.15.1 nor neokeras can
    # serialize: a model is saved without it.
    for layer in model._flatten_layers():
        if getattr(layer, "quantization_config", None) is not None:
            layer.quantization_config.quantization_layer_structure = None
    model.save_weights(path) if weights_only else model.save(path)
    return path


def test_awq_files_of_neokeras_load_in_keras(tmp_path):
    model, config = _one_block(neokeras)
    with pytest.warns(UserWarning):
        model.quantize("awq", config=config)
    dense = model.layers[1].layers[0]
    assert [(v.name, str(v.dtype), tuple(v.shape)) for v in dense.weights] == [
        ("bias", "float32", (5,)), ("kernel", "uint8", (3, 6)),
        ("kernel_scale", "float32", (5, 3)), ("kernel_zero", "uint8", (5, 3)),
        ("awq_scales", "float32", (6,)), ("g_idx", "float32", (6,))]
    assert dense.dtype_policy.name == "awq/4/2_from_float32"
    expected = np.asarray(model(X[:, :4]))
    # The calibrated layer computes with its dequantized kernel, divided by the AWQ scales.
    scale, zero = np.asarray(dense.kernel_scale), np.asarray(dense.kernel_zero, "float32")
    groups = np.asarray(dense.g_idx).astype(int)
    kernel = ((np.asarray(dense.kernel, "float32") - zero[:, groups]) * scale[:, groups]).T
    kernel /= np.asarray(dense.awq_scales)[:, None]
    embedded = np.asarray(model.layers[0](X[:, :4]))
    np.testing.assert_allclose(expected, embedded @ kernel + np.asarray(dense.bias), rtol=1e-5,
                               atol=1e-5)
    path = _saved(model, str(tmp_path / "awq.keras"))
    for target in (keras, neokeras):
        loaded = target.saving.load_model(path)
        np.testing.assert_allclose(loaded(X[:, :4]), expected, rtol=1e-6, atol=1e-6)
        layer = loaded.layers[1].layers[0]
        assert layer.is_awq_calibrated
        for name in ("kernel_zero", "awq_scales", "g_idx", "quantized_kernel"):
            np.testing.assert_array_equal(getattr(layer, name), getattr(dense, name))
    weights = _saved(model, str(tmp_path / "awq.weights.h5"), weights_only=True)
    for target in (keras, neokeras):
        fresh = target.saving.load_model(path)
        for variable in fresh.weights:
            variable.assign(np.zeros(variable.shape, str(variable.dtype)))
        fresh.load_weights(weights)
        np.testing.assert_allclose(fresh(X[:, :4]), expected, rtol=1e-6, atol=1e-6)


def test_awq_files_of_keras_lack_the_zero_points(tmp_path):
    """Keras 3.15.1 writes AWQ layers without `kernel_zero` (5 entries where its own loader
    reads 6), so the weights cannot be rebuilt: neokeras says so instead of loading wrong
    values."""
    model, config = _one_block(keras)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.quantize("awq", config=config)
    path = _saved(model, str(tmp_path / "awq.keras"))
    with pytest.raises(ValueError, match="6 saved variables.*file holds 5"):
        neokeras.saving.load_model(path)


def test_an_awq_built_layer_computes_in_float_until_calibrated():
    layer = neokeras.layers.EinsumDense("abc,cde->abde", (3, 2, 2))
    layer.build((None, 3, 8))
    x = np.linspace(-1, 1, 48).reshape(2, 3, 8).astype("float32")
    expected = np.asarray(layer(x))
    layer.quantize("awq", config=neokeras.quantizers.AWQConfig(None, None, group_size=4))
    assert layer.dtype_policy.name == "awq/4/4_from_float32"
    assert [(v.name, str(v.dtype), tuple(v.shape)) for v in layer.weights] == [
        ("kernel", "float32", (8, 2, 2)), ("kernel", "uint8", (2, 8)),
        ("kernel_scale", "float32", (4, 2)), ("zero_point", "uint8", (4, 2)),
        ("awq_scales", "float32", (8,)), ("g_idx", "float32", (8,))]
    assert not layer.is_awq_calibrated
    np.testing.assert_allclose(layer(x), expected)


@pytest.mark.parametrize("change, error, kind", [
    (dict(quantization_layer_structure=None), "valid quantization structure", ValueError),
    (dict(tokenizer=None), "requires a dataset and tokenizer", ValueError),
    (dict(dataset="some text"), "must be an iterable", TypeError),
])
def test_bad_awq_calls_raise_clearly(change, error, kind):
    model, config = _one_block(neokeras)
    for name, value in change.items():
        setattr(config, name, value)
    with pytest.warns(UserWarning), pytest.raises(kind, match=error):
        model.quantize("awq", config=config)


def test_awq_needs_a_2d_or_3d_kernel():
    layer = neokeras.layers.EinsumDense("abc,cdef->abdef", (3, 2, 2, 2))
    layer.build((None, 3, 4))
    with pytest.raises(ValueError, match="only supports 2D or 3D kernels"):
        layer.quantize("awq", config=neokeras.quantizers.AWQConfig(None, None))
