"""Layers against real Keras 3.15.1: one table of cases, three checks per case.

For each case both frameworks build the same layer, get identical (non-default) weights and run
on identical inputs, in inference and, where the layer differs, training mode. Then a model using
the layer is saved as `.keras` by each framework and loaded by the other.
"""

import os

import numpy as np
import pytest

import neokeras as nk

os.environ.setdefault("KERAS_BACKEND", "jax")


def case(cls_name, kwargs, shapes, call=None, training=False, dtype="float32", rtol=1e-5,
         id=None, low=None):
    """One row: `shapes` is one full input shape or a list of them (several inputs)."""
    return pytest.param(cls_name, kwargs, shapes, call or {}, training, dtype, rtol, low,
                        id=id or f"{cls_name}-{'-'.join(f'{k}={v}' for k, v in kwargs.items())}")


CASES = [
    case("ReLU", {}, (2, 5)),
    case("ReLU", dict(max_value=6.0), (2, 5)),
    case("ReLU", dict(max_value=1.5, negative_slope=0.2, threshold=0.3), (2, 3, 4)),
    case("ReLU", dict(negative_slope=0.1, threshold=0.5), (2, 5)),
    case("LeakyReLU", {}, (2, 5)),
    case("LeakyReLU", dict(negative_slope=0.05), (2, 3, 4)),
    case("PReLU", {}, (2, 3, 4)),
    case("PReLU", dict(shared_axes=[1, 2]), (2, 3, 4, 2)),
    case("ELU", {}, (2, 5)),
    case("ELU", dict(alpha=0.5), (2, 5)),
    case("Softmax", {}, (2, 5)),
    case("Softmax", dict(axis=1), (2, 4, 3)),
    case("Softmax", dict(axis=[1, 2]), (2, 4, 3)),
    case("Identity", {}, (2, 3)),
    case("RMSNormalization", {}, (2, 5)),
    case("RMSNormalization", dict(axis=[1, 2], epsilon=1e-3), (2, 3, 4)),
    case("AdaptiveAveragePooling1D", dict(output_size=3), (2, 7, 3)),
    case("AdaptiveMaxPooling1D", dict(output_size=4), (2, 9, 2)),
    case("AdaptiveAveragePooling2D", dict(output_size=(2, 3)), (2, 5, 7, 2)),
    case("AdaptiveMaxPooling2D", dict(output_size=3, data_format="channels_first"), (2, 2, 7, 5)),
    case("AdaptiveAveragePooling3D", dict(output_size=(2, 2, 3)), (1, 5, 4, 7, 2)),
    case("AdaptiveMaxPooling3D", dict(output_size=2), (1, 3, 5, 4, 2)),
    case("EinsumDense", dict(equation="ab,bc->ac", output_shape=4, bias_axes="c"), (2, 3)),
    case("EinsumDense", dict(equation="abc,cde->abde", output_shape=(5, 3, 2), bias_axes="de",
                             activation="tanh"), (2, 5, 4)),
    case("EinsumDense", dict(equation="...b,bc->...c", output_shape=4, bias_axes="c"),
         (2, 3, 5)),
    case("EinsumDense", dict(equation="ab...,bc->ac...", output_shape=4, bias_axes="c"),
         (2, 3, 5)),
    case("EinsumDense", dict(equation="abc,cd->abd", output_shape=(None, 6)), (2, 3, 4)),
    case("Dense", dict(units=3, lora_rank=2), (2, 4), id="Dense-lora"),
    case("EinsumDense", dict(equation="abc,cde->abde", output_shape=(None, 3, 2), lora_rank=2,
                             lora_alpha=4), (2, 5, 4), id="EinsumDense-lora"),
    case("Embedding", dict(input_dim=7, output_dim=3, lora_rank=2), (2, 5), dtype="int32",
         low=7, id="Embedding-lora"),
    case("ReversibleEmbedding", dict(input_dim=7, output_dim=3), (2, 5), dtype="int32", low=7),
    case("ReversibleEmbedding", dict(input_dim=7, output_dim=3, tie_weights=False), (2, 5),
         dtype="int32", low=7),
    case("ReversibleEmbedding", dict(input_dim=7, output_dim=3, logit_soft_cap=2.0), (2, 4, 3),
         call=dict(reverse=True), id="ReversibleEmbedding-reverse"),
    case("ReversibleEmbedding", dict(input_dim=7, output_dim=3, tie_weights=False), (2, 3),
         call=dict(reverse=True), id="ReversibleEmbedding-reverse-untied"),
    case("GroupQueryAttention", dict(head_dim=2, num_query_heads=4, num_key_value_heads=2),
         [(2, 4, 3), (2, 5, 3)]),
    case("GroupQueryAttention", dict(head_dim=2, num_query_heads=2, num_key_value_heads=1,
                                     use_gate=True, sliding_window=2, use_bias=False),
         [(2, 4, 3), (2, 4, 3)], call=dict(use_causal_mask=True)),
    case("MultiHeadAttention", dict(num_heads=2, key_dim=3, use_gate=True),
         [(2, 4, 3), (2, 5, 3)], id="MultiHeadAttention-gate"),
    case("MultiHeadAttention", dict(num_heads=2, key_dim=2, sliding_window=2),
         [(2, 5, 3), (2, 5, 3)], call=dict(return_attention_scores=True),
         id="MultiHeadAttention-sliding"),
    case("SpectralNormalization", dict(layer="dense"), (3, 4), training=True),
    case("SpectralNormalization", dict(layer="conv", power_iterations=3), (2, 5, 5, 2),
         training=True),
    case("SimpleRNN", dict(units=3, unroll=True), (2, 4, 2), id="SimpleRNN-unroll"),
    case("RNN", dict(cell="stacked"), (2, 4, 3)),
    case("RNN", dict(cell="stacked", return_state=True, return_sequences=True), (2, 4, 3),
         id="RNN-stacked-states"),
    case("Pipeline", dict(layers="pipe"), (2, 4)),
    case("BatchNormalization", dict(renorm=True, momentum=0.8, renorm_momentum=0.7),
         (6, 3), training=True, id="BatchNormalization-renorm"),
    case("BatchNormalization", dict(renorm=True, renorm_clipping={"rmax": 1.1, "rmin": 0.9,
                                                                  "dmax": 0.05}, axis=1),
         (6, 3, 2), training=True, id="BatchNormalization-renorm-clipped"),
    case("ConvLSTM1D", dict(filters=2, kernel_size=3), (2, 3, 6, 2)),
    case("ConvLSTM2D", dict(filters=3, kernel_size=(2, 3), padding="same", strides=2,
                            return_sequences=True), (2, 3, 5, 6, 2)),
    case("ConvLSTM2D", dict(filters=2, kernel_size=2, data_format="channels_first",
                            return_state=True, use_bias=False), (1, 2, 3, 4, 4)),
    case("ConvLSTM3D", dict(filters=2, kernel_size=2, dilation_rate=2, go_backwards=True),
         (1, 2, 5, 5, 5, 1)),
]

# Arguments that are layers are built fresh for each framework.
_SUBLAYERS = {
    "dense": lambda lib: lib.layers.Dense(3),
    "conv": lambda lib: lib.layers.Conv2D(3, 2),
    "pipe": lambda lib: [lib.layers.Dense(3), lib.layers.ReLU(max_value=0.5),
                         lib.layers.Dense(2)],
    "stacked": lambda lib: [lib.layers.LSTMCell(4), lib.layers.GRUCell(2),
                            lib.layers.SimpleRNNCell(3)],
}


def _make(lib, cls_name, kwargs):
    kwargs = {k: _SUBLAYERS[v](lib) if isinstance(v, str) and v in _SUBLAYERS else v
              for k, v in kwargs.items()}
    return getattr(lib.layers, cls_name)(**kwargs)


def _inputs(shapes, dtype, low, seed=0):
    rng = np.random.default_rng(seed)
    shapes = shapes if isinstance(shapes, list) else [shapes]
    if "int" in dtype:
        xs = [rng.integers(0, low or 5, size=s).astype(dtype) for s in shapes]
    else:
        xs = [rng.standard_normal(s).astype(dtype) for s in shapes]
    return xs if len(xs) > 1 else xs[0]


def _call(layer, x, **kwargs):
    """Several inputs go as positional arguments to attention layers, as a list otherwise."""
    if isinstance(x, list) and "Attention" in type(layer).__name__:
        return layer(*x, **kwargs)
    return layer(x, **kwargs)


def _randomize(layer):
    """Non-default weights (so a wrongly-ordered or ignored weight shows)."""
    rng = np.random.default_rng(7)
    for w in layer.weights:
        if "int" in str(w.dtype):
            continue
        w.assign(rng.uniform(0.3, 1.2, w.shape).astype(str(w.dtype)))


def _pair(real, cls_name, kwargs, x):
    ours, theirs = _make(nk, cls_name, kwargs), _make(real, cls_name, kwargs)
    _call(ours, x)
    _call(theirs, x)
    _randomize(ours)
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    theirs.set_weights(ours.get_weights())
    return ours, theirs


def assert_close(a, b, rtol):
    for u, v in zip(nk.utils.tree.flatten(a), nk.utils.tree.flatten(b)):
        np.testing.assert_allclose(np.asarray(u), np.asarray(v), rtol=rtol, atol=rtol)


@pytest.fixture
def real():
    return pytest.importorskip("keras")


@pytest.mark.parametrize("cls_name,kwargs,shapes,call,training,dtype,rtol,low", CASES)
def test_outputs_match_keras(real, cls_name, kwargs, shapes, call, training, dtype, rtol, low):
    x = _inputs(shapes, dtype, low)
    ours, theirs = _pair(real, cls_name, kwargs, x)
    assert_close(_call(ours, x, **call), _call(theirs, x, **call), rtol)
    if training:
        # Training-mode randomness differs between frameworks; deterministic layers only here.
        assert_close(_call(ours, x, training=True, **call), _call(theirs, x, training=True, **call),
               rtol)
        assert_close([w.numpy() for w in ours.weights], [w.numpy() for w in theirs.weights], rtol)


@pytest.mark.parametrize("cls_name,kwargs,shapes,call,training,dtype,rtol,low", CASES)
def test_config_is_read_by_keras_and_back(real, cls_name, kwargs, shapes, call, training, dtype,
                                         rtol, low):
    ours = _make(nk, cls_name, kwargs)
    theirs = real.layers.deserialize(nk.layers.serialize(ours))
    back = nk.layers.deserialize(real.layers.serialize(theirs))
    assert back.get_config() == ours.get_config()


def _model(lib, cls_name, kwargs, shapes, dtype, call):
    shapes = shapes if isinstance(shapes, list) else [shapes]
    inputs = [lib.Input(batch_shape=(None,) + tuple(s[1:]), dtype=dtype) for s in shapes]
    outputs = _call(_make(lib, cls_name, kwargs), inputs if len(inputs) > 1 else inputs[0],
                    **call)
    return lib.Model(inputs, outputs)


@pytest.mark.parametrize("cls_name,kwargs,shapes,call,training,dtype,rtol,low", CASES)
def test_keras_files_cross_both_ways(real, tmp_path, cls_name, kwargs, shapes, call, training,
                                     dtype, rtol, low):
    x = _inputs(shapes, dtype, low, seed=1)
    ours = _model(nk, cls_name, kwargs, shapes, dtype, call)
    _randomize(ours)
    ours.save(tmp_path / "ours.keras")
    loaded = real.saving.load_model(tmp_path / "ours.keras")
    assert_close(loaded.predict(x, verbose=0), ours.predict(x, verbose=0), rtol)

    theirs = _model(real, cls_name, kwargs, shapes, dtype, call)
    theirs.set_weights([np.asarray(w) * 0.9 for w in theirs.get_weights()])
    theirs.save(tmp_path / "theirs.keras")
    loaded = nk.models.load_model(tmp_path / "theirs.keras")
    assert_close(loaded.predict(x, verbose=0), theirs.predict(x, verbose=0), rtol)
