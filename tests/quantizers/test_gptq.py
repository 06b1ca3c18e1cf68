"""`model.quantize("gptq", config=GPTQConfig(...))` against real Keras 3.15.1: the same model,
weights and calibration data give the same quantized variables (names, dtypes, shapes,
values), the same outputs, and `.keras` files that load on the other side.

Keras 3.15.1 streams the calibration inputs into the Hessians by patching `layer.call`, but a
GPTQ-built Dense runs `quantized_call`, so its Hessians stay zero (GPTQ degrades to rounding
to nearest). The oracle is Keras with that hook on `quantized_call`: its own Hessian update,
damping, column loop, grouping and activation order then run on the real inputs.
"""


import numpy as np
import pytest

import neokeras
from keras_calibration import CharTokenizer, hook_quantized_call

keras = pytest.importorskip("keras")
gptq_core = pytest.importorskip("keras.src.quantizers.gptq_core")


def _streaming_keras_hessians(layers, gptq_objects):
    return hook_quantized_call(keras, layers, gptq_objects,
                               lambda state, inputs: state.update_hessian_with_batch(inputs))


@pytest.fixture
def keras_streams_inputs(monkeypatch):
    monkeypatch.setattr(gptq_core, "stream_hessians", _streaming_keras_hessians)


def _model(k):
    rng = np.random.default_rng(0)
    embedding = k.layers.Embedding(20, 16)
    first = k.Sequential([k.layers.Dense(24, activation="relu"), k.layers.Dense(16)])
    second = k.Sequential([k.layers.Dense(20, use_bias=False), k.layers.Dense(16)])
    model = k.Sequential([k.Input((8,), dtype="int32"), embedding, first, second])
    for variable in model.weights:
        variable.assign(rng.normal(size=variable.shape).astype("float32") * 0.5)
    return model, {"pre_block_layers": [embedding], "sequential_blocks": [first, second]}


TOKENS = [np.arange(60) % 20, (np.arange(50) * 7) % 20]
TEXT = ["the quick brown fox", "jumps over the lazy dog"]


def _quantized(k, dataset=TOKENS, **options):
    model, structure = _model(k)
    config = k.quantizers.GPTQConfig(dataset=dataset, tokenizer=CharTokenizer(), num_samples=5,
                                     sequence_length=8, quantization_layer_structure=structure,
                                     **options)
    with pytest.warns(UserWarning):  # InputLayer / Embedding have no GPTQ
        model.quantize("gptq", config=config)
    return model


def _variables(model):
    return [("/".join(v.path.split("/")[-2:]), str(v.dtype), tuple(v.shape), np.asarray(v))
            for v in model.weights]


X = (np.arange(16).reshape(2, 8) * 3) % 20

CASES = {
    "defaults_text": dict(dataset=TEXT),
    "groups_symmetric": dict(group_size=8, symmetric=True),
    "act_order_8bit_per_row": dict(weight_bits=8, group_size=-1, activation_order=True),
    "act_order_3bit_groups": dict(weight_bits=3, group_size=8, activation_order=True),
}


@pytest.mark.slow  # Keras's GPTQ runs op by op: tens of seconds on a shared CPU
@pytest.mark.parametrize("options", CASES.values(), ids=CASES.keys())
def test_gptq_matches_keras(options, keras_streams_inputs):
    ours, theirs = _quantized(neokeras, **options), _quantized(keras, **options)
    mine, reference = _variables(ours), _variables(theirs)
    assert [v[:3] for v in mine] == [v[:3] for v in reference]
    for (name, *_, value), (*_, expected) in zip(mine, reference):
        np.testing.assert_array_equal(value, expected, err_msg=name)
    # Only the float32 summation order differs.
    np.testing.assert_allclose(ours(X), theirs(X), rtol=1e-5, atol=1e-4)
    dense = ours.layers[1].layers[0]
    assert dense.dtype_policy.name == ours.layers[1].layers[0].quantization_config \
        .dtype_policy_string() + "_from_float32"
    assert not hasattr(dense, "_kernel") and dense.is_gptq_calibrated


def test_gptq_quantizes_with_the_hessian():
    """The correction must change the result away from plain rounding of the weights."""
    model, _ = _model(neokeras)
    float_kernel = np.asarray(model.layers[1].layers[1].kernel)
    quantized = _quantized(neokeras, group_size=-1, weight_bits=4)
    layer = quantized.layers[1].layers[1]
    scale, zero = np.asarray(layer.kernel_scale), np.asarray(layer.kernel_zero).astype("float32")
    rounded = np.clip(np.round(float_kernel.T / scale + zero), 0, 15)
    assert (np.asarray(layer.kernel) != rounded).any()
    error = np.abs(quantized(X) - model(X)).max() / np.abs(model(X)).max()
    assert error < 0.25


def _saved(model, path):
    # The structure holds the model's own layers: neither Keras 3.15.1 nor neokeras can
    # serialize it, so a model is saved without it (or gets it from an override of
    # `get_quantization_layer_structure`).
    for layer in model._flatten_layers():
        if getattr(layer, "quantization_config", None) is not None:
            layer.quantization_config.quantization_layer_structure = None
    model.save(path)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("target", [keras, neokeras], ids=["keras", "neokeras"])
def test_gptq_files_of_neokeras_load(target, tmp_path):
    model = _quantized(neokeras, group_size=8)
    loaded = target.saving.load_model(_saved(model, str(tmp_path / "gptq.keras")))
    np.testing.assert_allclose(loaded(X), model(X), rtol=1e-5, atol=1e-4)
    assert [v[:3] for v in _variables(loaded)] == [v[:3] for v in _variables(model)]
    for (name, *_, value), (*_, expected) in zip(_variables(loaded), _variables(model)):
        np.testing.assert_array_equal(value, expected, err_msg=name)


@pytest.mark.slow
def test_gptq_files_of_keras_lack_the_zero_points(tmp_path):
    """Keras 3.15.1 writes GPTQ layers without `kernel_zero` (4 entries where its own loader
    reads 5), so the weights cannot be rebuilt: neokeras says so instead of loading wrong
    values."""
    path = _saved(_quantized(keras, group_size=8), str(tmp_path / "gptq.keras"))
    with pytest.raises(ValueError, match="5 saved variables.*file holds 4"):
        neokeras.saving.load_model(path)


def test_a_gptq_built_layer_computes_in_float_until_calibrated():
    layer = neokeras.layers.Dense(3)
    layer.build((None, 4))
    x = np.ones((2, 4), "float32")
    expected = np.asarray(layer(x))
    layer.quantize("gptq", config=neokeras.quantizers.GPTQConfig(None, None, group_size=2))
    assert layer.dtype_policy.name == "gptq/4/2_from_float32"
    assert [(v.name, str(v.dtype), tuple(v.shape)) for v in layer.weights] == [
        ("kernel", "float32", (4, 3)), ("bias", "float32", (3,)), ("kernel", "uint8", (2, 4)),
        ("kernel_scale", "float32", (3, 2)), ("kernel_zero", "uint8", (3, 2)),
        ("g_idx", "float32", (4,))]
    np.testing.assert_allclose(layer(x), expected)


@pytest.mark.parametrize("change, error, kind", [
    (dict(quantization_layer_structure=None), "valid quantization structure", ValueError),
    (dict(tokenizer=None), "requires a dataset and a tokenizer", ValueError),
    (dict(dataset="some text"), "must be an iterable", TypeError),
    (dict(dataset=[]), "dataset is empty", ValueError),
])
def test_bad_gptq_calls_raise_clearly(change, error, kind):
    model, structure = _model(neokeras)
    arguments = dict(dataset=TOKENS, tokenizer=CharTokenizer(), num_samples=2, sequence_length=8,
                     quantization_layer_structure=structure)
    arguments.update(change)
    config = neokeras.quantizers.GPTQConfig(**arguments)
    with pytest.warns(UserWarning), pytest.raises(kind, match=error):
        model.quantize("gptq", config=config)


def _einsum_model(k):
    """A block of two 3D EinsumDense layers: an attention-like projection `(in, heads, dim)`
    and its output `(heads, dim, out)` (Keras picks the matrix split by the longest axis)."""
    rng = np.random.default_rng(5)
    embedding = k.layers.Embedding(20, 16)
    block = k.Sequential([
        k.layers.EinsumDense("abc,cde->abde", (8, 2, 5), bias_axes="de"),
        k.layers.EinsumDense("abcd,cde->abe", (8, 16))])
    model = k.Sequential([k.Input((8,), dtype="int32"), embedding, block])
    for variable in model.weights:
        variable.assign(rng.normal(size=variable.shape).astype("float32") * 0.5)
    return model, {"pre_block_layers": [embedding], "sequential_blocks": [block]}


def _einsum_quantized(k, **options):
    model, structure = _einsum_model(k)
    options = {"num_samples": 3, **options}
    config = k.quantizers.GPTQConfig(dataset=TOKENS, tokenizer=CharTokenizer(), sequence_length=8,
                                     quantization_layer_structure=structure, **options)
    with pytest.warns(UserWarning):
        model.quantize("gptq", config=config)
    return model


EINSUM_CASES = {
    "groups": dict(group_size=8),
    "act_order_8bit_per_row": dict(weight_bits=8, group_size=-1, activation_order=True),
}


@pytest.mark.slow
@pytest.mark.parametrize("options", EINSUM_CASES.values(), ids=EINSUM_CASES.keys())
def test_gptq_einsum_matches_keras(options, keras_streams_inputs):
    ours, theirs = _einsum_quantized(neokeras, **options), _einsum_quantized(keras, **options)
    mine, reference = _variables(ours), _variables(theirs)
    assert [v[:3] for v in mine] == [v[:3] for v in reference]
    for (name, *_, value), (*_, expected) in zip(mine, reference):
        np.testing.assert_array_equal(value, expected, err_msg=name)
    np.testing.assert_allclose(ours(X), theirs(X), rtol=1e-5, atol=1e-4)
    for layer, keras_layer in zip(ours.layers[1].layers, theirs.layers[1].layers):
        np.testing.assert_array_equal(layer.kernel, keras_layer.kernel)
        assert layer.gptq_unpacked_column_size == keras_layer.gptq_unpacked_column_size


def test_gptq_einsum_files_load_in_keras(tmp_path):
    model = _einsum_quantized(neokeras, group_size=4, num_samples=1)
    projection = model.layers[1].layers[0]
    assert [(v.name, str(v.dtype), tuple(v.shape)) for v in projection.weights] == [
        ("bias", "float32", (2, 5)), ("kernel", "uint8", (5, 16)),
        ("kernel_scale", "float32", (10, 4)), ("zero_point", "uint8", (10, 4)),
        ("g_idx", "float32", (16,))]
    expected = np.asarray(model(X))
    path = _saved(model, str(tmp_path / "gptq.keras"))
    assert model.layers[1].layers[0].get_config()["gptq_unpacked_column_size"] == 10
    for target in (keras, neokeras):
        loaded = target.saving.load_model(path)
        np.testing.assert_allclose(loaded(X), expected, rtol=1e-6, atol=1e-6)
        for layer, original in zip(loaded.layers[1].layers, model.layers[1].layers):
            assert layer.is_gptq_calibrated
            np.testing.assert_array_equal(layer.kernel, original.kernel)
