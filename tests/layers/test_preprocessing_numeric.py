"""Discretization and CategoryEncoding against real Keras 3.15.1 on JAX (live oracle)."""

import numpy as np
import pytest

import neokeras as nk

keras = pytest.importorskip("keras")

RNG = np.random.default_rng(0)
DATA = RNG.normal(size=(200, 3)).astype("float32")


@pytest.mark.parametrize("kwargs", [dict(num_bins=4), dict(num_bins=5, epsilon=0.1),
                                    dict(num_bins=3, output_mode="multi_hot"),
                                    dict(num_bins=3, output_mode="one_hot"),
                                    dict(num_bins=3, output_mode="count"),
                                    dict(bin_boundaries=[-1.0, 0.0, 0.5])])
def test_discretization_adapt_and_call_equal_keras(kwargs):
    ours, theirs = nk.layers.Discretization(**kwargs), keras.layers.Discretization(**kwargs)
    if "num_bins" in kwargs:
        ours.adapt([DATA[:120], DATA[120:]])  # batches merge their summaries as in Keras
        # Keras's adapt() needs TensorFlow for its tf.data check; its state methods do not.
        theirs.update_state(DATA[:120])
        theirs.update_state(DATA[120:])
        theirs.finalize_state()
        np.testing.assert_allclose(ours.bin_boundaries, theirs.bin_boundaries, rtol=1e-6)
    x = DATA[:6]
    np.testing.assert_array_equal(np.asarray(ours(x)), np.asarray(theirs(x)))
    assert ours.compute_output_shape((None, 3)) == theirs.compute_output_shape((None, 3))
    config = ours.get_config()
    assert config == {**theirs.get_config(), "name": config["name"]}
    assert nk.layers.Discretization.from_config(config).get_config() == config


def test_discretization_in_a_compiled_model():
    layer = nk.layers.Discretization(bin_boundaries=[0.0, 1.0])
    model = nk.Sequential([nk.Input((3,)), layer])
    np.testing.assert_array_equal(model.predict(np.array([[-1.0, 0.5, 2.0]]), verbose=0),
                                  [[0, 1, 2]])


@pytest.mark.parametrize("mode", ["one_hot", "multi_hot", "count"])
@pytest.mark.parametrize("shape", [(4,), (4, 1), (4, 3), ()])
def test_category_encoding_equals_keras(mode, shape):
    if mode == "one_hot" and len(shape) == 2 and shape[-1] != 1:
        pytest.skip("one_hot needs one index per sample")
    x = RNG.integers(0, 5, size=shape)
    ours = nk.layers.CategoryEncoding(num_tokens=5, output_mode=mode)
    theirs = keras.layers.CategoryEncoding(num_tokens=5, output_mode=mode)
    np.testing.assert_array_equal(np.asarray(ours(x)), np.asarray(theirs(x)))
    if mode == "count" and len(shape) == 2:
        w = RNG.random(shape).astype("float32")
        np.testing.assert_allclose(np.asarray(ours(x, count_weights=w)),
                                   np.asarray(theirs(x, count_weights=w)), rtol=1e-6)
    config = ours.get_config()
    assert config == {**theirs.get_config(), "name": config["name"]}
    inp = nk.Input(shape[1:], dtype="int32") if shape else None
    if inp is not None:
        assert nk.Model(inp, ours(inp)).output_shape == theirs.compute_output_shape((None,) + shape[1:])


def test_category_encoding_errors():
    with pytest.raises(ValueError, match="num_tokens"):
        nk.layers.CategoryEncoding()
    with pytest.raises(ValueError, match="count_weights"):
        nk.layers.CategoryEncoding(3)(np.array([[1]]), count_weights=np.ones((1, 1)))
