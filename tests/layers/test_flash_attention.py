"""The flash-attention switch (`keras.config.enable/disable_flash_attention`, the layers'
`flash_attention` argument, `ops.dot_product_attention(flash_attention=...)`) on a machine
without cuDNN, against real Keras 3.15.1: which path runs and which errors are raised."""

import jax
import numpy as np
import pytest

import neokeras
from neokeras import config

keras = pytest.importorskip("keras")

pytestmark = pytest.mark.skipif(jax.devices()[0].platform == "gpu",
                                reason="checks the behaviour on a machine without cuDNN")

RNG = np.random.default_rng(5)
Q = RNG.normal(size=(2, 3, 2, 4)).astype("float32")
X = RNG.normal(size=(2, 3, 4)).astype("float32")


@pytest.fixture
def switch():
    yield
    config.enable_flash_attention()
    keras.config.enable_flash_attention()


def _outcome(fn):
    try:
        return "ok", np.asarray(fn())
    except Exception as error:  # the type and message are what is compared
        return type(error).__name__, str(error)


@pytest.mark.parametrize("flash", [None, False, True])
def test_dot_product_attention_choice_matches_keras(flash):
    ours = _outcome(lambda: neokeras.ops.dot_product_attention(Q, Q, Q, flash_attention=flash))
    theirs = _outcome(lambda: keras.ops.dot_product_attention(Q, Q, Q, flash_attention=flash))
    assert ours[0] == theirs[0]
    if ours[0] == "ok":
        np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-5, atol=1e-6)
    else:
        assert "cuDNN is not detected" in ours[1] and "cuDNN is not detected" in theirs[1]


def _layer(namespace, kind, **kwargs):
    if kind == "mha":
        return namespace.layers.MultiHeadAttention(2, 4, **kwargs)
    return namespace.layers.GroupQueryAttention(4, 2, 1, **kwargs)


@pytest.mark.parametrize("kind", ["mha", "gqa"])
@pytest.mark.parametrize("flash, dropout, disabled", [
    (None, 0.0, False), (None, 0.2, False), (True, 0.2, False), (True, 0.0, False),
    (None, 0.2, True), (True, 0.0, True), (False, 0.0, False)])
def test_layer_choice_and_errors_match_keras(kind, flash, dropout, disabled, switch):
    results = []
    for namespace in (neokeras, keras):
        if disabled:
            namespace.config.disable_flash_attention()
        try:
            layer = _layer(namespace, kind, flash_attention=flash, dropout=dropout)
        except ValueError as error:
            results.append(("init", "Dropout is not supported" in str(error)))
            continue
        record = [bool(layer._flash_attention), layer._flash_attention is None,
                  "flash_attention" in layer.get_config()]
        status, detail = _outcome(lambda: layer(X, X))
        record.append(status)
        if status != "ok":
            record.append("cuDNN is not detected" in detail)
        if layer._flash_attention:
            with pytest.raises(ValueError, match="Returning attention scores is not supported"):
                layer(X, X, return_attention_scores=True)
        results.append(tuple(record))
        if disabled:
            assert namespace.config.is_flash_attention_enabled() is False
    assert results[0] == results[1]


def test_flash_attention_off_the_fused_path_computes_as_keras():
    # Two attention axes: Keras (and neokeras) compute the weights explicitly even with
    # flash_attention=True, so nothing is refused.
    x = RNG.normal(size=(2, 3, 2, 4)).astype("float32")
    theirs = keras.layers.MultiHeadAttention(2, 4, attention_axes=(1, 2), flash_attention=True)
    ours = neokeras.layers.MultiHeadAttention(2, 4, attention_axes=(1, 2), flash_attention=True)
    expected = np.asarray(theirs(x, x))
    ours(x, x)
    ours.set_weights(theirs.get_weights())
    np.testing.assert_allclose(np.asarray(ours(x, x)), expected, rtol=1e-5, atol=1e-6)
