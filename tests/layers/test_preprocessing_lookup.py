"""StringLookup, IntegerLookup, TextVectorization, Hashing and HashedCrossing against real
Keras 3.15.1 (which needs TensorFlow for these layers even on JAX: the goldens and `.keras`
archives in tests/data/preprocessing were made by tools/gen_preprocessing_goldens.py)."""

import json
import os
import zipfile

import numpy as np
import pytest

import neokeras as nk

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "preprocessing")
with open(os.path.join(DATA, "keras_goldens.json")) as _f:
    GOLDENS = json.load(_f)
CLASSES = {"sl": nk.layers.StringLookup, "il": nk.layers.IntegerLookup,
           "tv": nk.layers.TextVectorization, "hashing": nk.layers.Hashing,
           "crossing": nk.layers.HashedCrossing}
SKIP_KEYS = ("name", "vocabulary_size", "trainable", "dtype")


def _make(case_name, case):
    cls = CLASSES[case_name.split("_")[0]]
    config = {k: v for k, v in case["config"].items() if k not in SKIP_KEYS}
    if isinstance(config.get("ngrams"), list):
        config["ngrams"] = tuple(config["ngrams"])
    if isinstance(case["config"].get("dtype"), str):
        config["dtype"] = case["config"]["dtype"]
    layer = cls(**config)
    if case["adapt"] is not None:
        layer.adapt(np.array(case["adapt"]))
    return layer


@pytest.mark.parametrize("case_name", sorted(GOLDENS["layers"]))
def test_outputs_vocabulary_and_config_equal_keras(case_name):
    case = GOLDENS["layers"][case_name]
    layer = _make(case_name, case)
    inputs = case["input"]
    inputs = tuple(np.array(x) for x in inputs) if case["input_is_tuple"] else np.array(inputs)
    out = np.asarray(layer(inputs))
    expected = np.asarray(case["output"])
    assert out.shape == expected.shape
    if expected.dtype.kind in "US":
        np.testing.assert_array_equal(out.astype(str), expected)
    elif case["dtype"] == "int64":
        # Without jax_enable_x64, int64 results are int32 (as real Keras on JAX returns them).
        np.testing.assert_array_equal(out, expected.astype(np.int64).astype(np.int32))
    else:
        np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-6)
    if "vocabulary" in case:
        assert layer.get_vocabulary() == case["vocabulary"]
    config = layer.get_config()
    assert set(config) == set(case["config"])
    for key, value in case["config"].items():
        if key != "name":
            assert config[key] == value, key
    clone = type(layer).from_config(config)
    # Without its assets an adapted layer's clone has no vocabulary yet (as in Keras).
    strip = lambda c: {k: v for k, v in c.items() if k != "vocabulary_size"}  # noqa: E731
    assert strip(clone.get_config()) == strip(config)


def test_lookup_errors_are_clear():
    with pytest.raises(ValueError, match="num_oov_indices=0"):
        nk.layers.StringLookup(num_oov_indices=0, vocabulary=["a"])(np.array(["b"]))
    with pytest.raises(ValueError, match="repeated"):
        nk.layers.StringLookup(vocabulary=["a", "a"])
    with pytest.raises(RuntimeError, match="set the vocabulary"):
        nk.layers.StringLookup(output_mode="multi_hot")(np.array(["a"]))
    with pytest.raises(ValueError, match="output_mode"):
        nk.layers.IntegerLookup(output_mode="bogus")
    with pytest.raises(ValueError, match="output_sequence_length"):
        nk.layers.TextVectorization(output_mode="count", output_sequence_length=3)


def test_text_vectorization_accepts_lists_scalars_and_callables():
    layer = nk.layers.TextVectorization(standardize=lambda x: np.char.upper(x), split=None)
    layer.adapt(["a", "b", "b"])
    assert layer.get_vocabulary() == ["", "[UNK]", "B", "A"]
    np.testing.assert_array_equal(np.asarray(layer(np.array([["a"], ["q"]]))), [[3], [1]])
    words = nk.layers.TextVectorization(vocabulary=["x", "y"])
    np.testing.assert_array_equal(np.asarray(words("y x z")), [3, 2, 1])
    np.testing.assert_array_equal(np.asarray(words(["y", "x x"])), [[3, 0], [2, 2]])


@pytest.mark.parametrize("name", sorted(GOLDENS["archives"]))
def test_keras_archives_load_with_their_vocabularies(name, tmp_path):
    inputs = {"text_vectorization_tf_idf": np.array(["the cat", "a bird dog"]),
              "string_lookup_embedding": np.array([["a", "b", "zz"]]),
              "integer_lookup": np.array([[9, 5], [100, 3]]),
              "discretization": np.array([[0.0, 7.5, 19.0]])}[name]
    path = os.path.join(DATA, f"{name}.keras")
    model = nk.saving.load_model(path)
    np.testing.assert_allclose(np.asarray(model(inputs)), GOLDENS["archives"][name], atol=1e-6)
    # Saved again by neokeras: the same archive members (assets where Keras puts them).
    model.save(tmp_path / "again.keras")
    with zipfile.ZipFile(path) as theirs, zipfile.ZipFile(tmp_path / "again.keras") as ours:
        assert sorted(theirs.namelist()) == sorted(ours.namelist())
        for member in theirs.namelist():
            if member.startswith("assets/"):
                assert theirs.read(member) == ours.read(member)
    again = nk.saving.load_model(tmp_path / "again.keras")
    np.testing.assert_allclose(np.asarray(again(inputs)), GOLDENS["archives"][name], atol=1e-6)


@pytest.mark.parametrize("make,inputs", [
    (lambda: nk.layers.StringLookup(num_oov_indices=2, mask_token="?"),
     np.array([["a", "?", "zz"]])),
    (lambda: nk.layers.IntegerLookup(output_mode="tf_idf"), np.array([[9, 5], [100, 3]])),
    (lambda: nk.layers.TextVectorization(output_sequence_length=4, ngrams=2),
     np.array([["the cat"], ["a bird dog"]])),
])
def test_adapted_layers_round_trip_through_keras_files(make, inputs, tmp_path):
    layer = make()
    layer.adapt(inputs.reshape(-1) if inputs.dtype.kind in "iu" else np.array(
        ["b", "a", "b", "c", "the cat sat", "a bird", "the dog"]))
    dtype = "string" if inputs.dtype.kind == "U" else "int64"
    inp = nk.Input(shape=inputs.shape[1:], dtype=dtype)
    model = nk.Model(inp, layer(inp))
    expected = np.asarray(model(inputs))
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as zf:
        assert any(n.endswith("/vocabulary.txt") for n in zf.namelist())
    loaded = nk.saving.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(np.asarray(loaded(inputs)), expected)
    assert loaded.layers[-1].get_vocabulary() == layer.get_vocabulary()
