"""LoRA on int8/int4 (and float8) quantized Dense, EinsumDense and Embedding, against real
Keras 3.15.1: the same layers, quantized and adapted the same way (LoRA enabled before or after
quantizing), give the same variables, outputs, trainable variables after a few `fit` steps,
and files holding the merged matrix re-quantized, which load on both sides."""

import warnings

import numpy as np
import pytest

import neokeras
from neokeras import quantizers

keras = pytest.importorskip("keras")

RNG = np.random.default_rng(11)


def _int4(block_size):
    return lambda q: q.Int4QuantizationConfig(block_size=block_size)


# name: (layer factory, input spec, mode, config factory, LoRA enabled before quantizing)
CASES = {
    "dense_int8": (lambda k: k.layers.Dense(6, activation="relu"), (8, 5), "int8", None,
                   False),
    "dense_int8_lora_first": (lambda k: k.layers.Dense(6), (8, 5), "int8", None, True),
    "dense_int4_groups": (lambda k: k.layers.Dense(6), (8, 5), "int4", _int4(2), False),
    "dense_int4_per_channel_lora_first": (lambda k: k.layers.Dense(7), (8, 5), "int4",
                                          _int4(-1), True),
    "einsum_3d_int8": (lambda k: k.layers.EinsumDense("abc,cde->abde", (3, 2, 4),
                                                      bias_axes="de"), (8, 3, 5), "int8", None,
                       False),
    "einsum_3d_int4_groups": (lambda k: k.layers.EinsumDense("abc,cde->abde", (3, 2, 4)),
                              (8, 3, 5), "int4", _int4(2), False),
    "einsum_heads_int4_per_channel": (lambda k: k.layers.EinsumDense("abc,cd->abd", (3, 4)),
                                      (8, 3, 5), "int4", _int4(-1), True),
    "embedding_int8": (lambda k: k.layers.Embedding(9, 5), "ids", "int8", None, False),
    "embedding_int4_groups": (lambda k: k.layers.Embedding(9, 6), "ids", "int4", _int4(2),
                              True),
    "embedding_int4_per_channel": (lambda k: k.layers.Embedding(9, 5), "ids", "int4",
                                   _int4(None), False),
}


def _inputs(spec):
    if spec == "ids":
        return RNG.integers(0, 9, size=(8, 4)).astype("int32")
    return RNG.normal(size=spec).astype("float32")


def _pair(case):
    """Keras and neokeras layers with the same float weights, quantized, LoRA enabled and
    the factors set to the same (nonzero) values."""
    make, spec, mode, config, lora_first = CASES[case]
    x = _inputs(spec)
    theirs, ours = make(keras), make(neokeras)
    theirs.build(x.shape)
    ours.build(x.shape)
    ours.set_weights([np.asarray(v) for v in theirs.get_weights()])
    for k, layer in ((keras, theirs), (neokeras, ours)):
        if lora_first:
            layer.enable_lora(2, lora_alpha=3)
        layer.quantize(mode, config=config(k.quantizers) if config else None)
        if not lora_first:
            layer.enable_lora(2, lora_alpha=3)
    for factor in theirs.trainable_weights[-2:]:
        factor.assign(RNG.normal(size=factor.shape).astype("float32") * 0.3)
    ours.set_weights([np.asarray(v) for v in theirs.get_weights()])
    return theirs, ours, x


def _described(layer):
    return [(v.name, str(v.dtype), tuple(v.shape), v.trainable) for v in layer.weights]


@pytest.mark.parametrize("case", sorted(CASES))
def test_lora_on_quantized_layer_matches_keras(case):
    theirs, ours, x = _pair(case)
    assert _described(ours) == _described(theirs)
    np.testing.assert_allclose(ours(x), theirs(x), rtol=1e-5, atol=1e-5)
    main = "embeddings" if hasattr(theirs, "input_dim") else "kernel"
    np.testing.assert_allclose(getattr(ours, main), getattr(theirs, main), rtol=1e-6, atol=1e-6)
    assert ours.get_config()["lora_rank"] == 2 and ours.get_config()["lora_alpha"] == 3


def _fitted(k, layer, x):
    model = k.Sequential([layer])
    target = np.asarray(layer(x)) * 0.5 + 0.1
    model.compile(optimizer=k.optimizers.SGD(0.05), loss="mse")
    model.fit(x, target, batch_size=4, epochs=2, shuffle=False, verbose=0)
    return model


@pytest.mark.parametrize("case", ["dense_int8", "dense_int4_groups", "einsum_3d_int8",
                                  "einsum_heads_int4_per_channel", "embedding_int4_groups"])
def test_fit_trains_the_factors_as_keras(case):
    theirs, ours, x = _pair(case)
    frozen = [np.asarray(v).copy() for v in ours.non_trainable_weights]
    _fitted(keras, theirs, x), _fitted(neokeras, ours, x)
    assert [v.name for v in ours.trainable_weights] == [v.name for v in theirs.trainable_weights]
    for mine, reference in zip(ours.trainable_weights, theirs.trainable_weights):
        np.testing.assert_allclose(mine, reference, rtol=1e-4, atol=1e-5, err_msg=mine.name)
    for before, after in zip(frozen, ours.non_trainable_weights):
        np.testing.assert_array_equal(after, before)
    np.testing.assert_allclose(ours(x), theirs(x), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("case", ["dense_int8", "dense_int4_per_channel_lora_first",
                                  "einsum_3d_int4_groups", "embedding_int8"])
def test_files_hold_the_merged_matrix_requantized(case, tmp_path):
    theirs, ours, x = _pair(case)
    paths = {}
    for name, layer in (("keras", theirs), ("neokeras", ours)):
        k = keras if name == "keras" else neokeras
        model = k.Sequential([k.Input(x.shape[1:], dtype=x.dtype), layer])
        paths[name] = str(tmp_path / f"{name}.keras")
        model.save(paths[name])
    expected = None
    for source in ("keras", "neokeras"):
        for target in (keras, neokeras):
            loaded = target.saving.load_model(paths[source]).layers[0]
            if expected is None:
                expected = [np.asarray(v) for v in loaded.weights], np.asarray(loaded(x))
            # The same re-quantized matrix, scales and zero points; factors back to zero.
            for value, reference in zip(loaded.weights, expected[0]):
                np.testing.assert_allclose(value, reference, rtol=1e-6, atol=1e-6)
            assert all(not np.asarray(f).any() for f in loaded.trainable_weights[-2:])
            np.testing.assert_allclose(loaded(x), expected[1], rtol=1e-5, atol=1e-5)


def test_float8_and_calibrated_modes_refuse_lora_clearly():
    layer = neokeras.layers.Dense(3)
    layer.build((None, 4))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        layer.quantize("float8")
    layer.enable_lora(2)
    with pytest.raises(NotImplementedError, match="float8.*LoRA"):
        layer(np.ones((2, 4), "float32"))
    for mode, config in (("gptq", quantizers.GPTQConfig(None, None)),
                         ("awq", quantizers.AWQConfig(None, None))):
        built = neokeras.layers.Dense(3)
        built.build((None, 4))
        built.quantize(mode, config=config)
        with pytest.raises(NotImplementedError, match=f"not supported with {mode.upper()}"):
            built.enable_lora(2)
        adapted = neokeras.layers.Dense(3)
        adapted.build((None, 4))
        adapted.enable_lora(2)
        with pytest.raises(ValueError, match="LoRA enabled is not supported"):
            adapted.quantize(mode, config=config)
