"""Quantized dtype policies and `DTypePolicyMap`, against real Keras 3.15.1."""

import json

import pytest

from neokeras import dtype_policies

keras = pytest.importorskip("keras")

POLICY_NAMES = ["int8_from_float32", "int8_from_mixed_bfloat16", "int4_from_float32",
                "int4/128_from_float32", "int4/-1_from_mixed_bfloat16", "float8_from_float32",
                "float8_from_mixed_float16", "gptq/4/128_from_float32",
                "gptq/3/-1_from_bfloat16", "awq/4/64_from_float32"]


def _plain(value):
    return json.loads(json.dumps(value))


@pytest.mark.parametrize("name", POLICY_NAMES)
def test_policy_from_name_matches_keras(name):
    ours, theirs = dtype_policies.get(name), keras.dtype_policies.get(name)
    assert type(ours).__name__ == type(theirs).__name__
    assert (ours.name, ours.compute_dtype, ours.variable_dtype, ours.quantization_mode) == \
        (theirs.name, theirs.compute_dtype, theirs.variable_dtype, theirs.quantization_mode)
    assert repr(ours) == repr(theirs)
    assert _plain(dtype_policies.serialize(ours)) == _plain(keras.dtype_policies.serialize(theirs))
    # Each side reads the other's serialized form.
    back = dtype_policies.deserialize(_plain(keras.dtype_policies.serialize(theirs)))
    assert back == ours and type(back) is type(ours)


def test_float8_history_length_and_equality():
    policy = dtype_policies.QuantizedFloat8DTypePolicy("float8", "float32", 16)
    assert policy.amax_history_length == 16
    assert policy.get_config() == {"mode": "float8", "source_name": "float32",
                                   "amax_history_length": 16}
    assert policy != dtype_policies.QuantizedFloat8DTypePolicy("float8", "float32")
    assert policy != dtype_policies.QuantizedDTypePolicy("float8", "float32")
    assert dtype_policies.DTypePolicy("float32") == dtype_policies.FloatDTypePolicy("float32")


@pytest.mark.parametrize("make", [
    lambda d: d.QuantizedDTypePolicy("int2", "float32"),
    lambda d: d.QuantizedDTypePolicy("int8", "float16"),
    lambda d: d.Int4DTypePolicy("int4", "float32"),
    lambda d: d.Int4DTypePolicy("int4/x", "float32"),
    lambda d: d.Int4DTypePolicy("int4/0", "float32"),
    lambda d: d.GPTQDTypePolicy("gptq/5/128", "float32"),
    lambda d: d.GPTQDTypePolicy("gptq/4", "float32"),
    lambda d: d.AWQDTypePolicy("awq/8/128", "float32"),
    lambda d: d.AWQDTypePolicy("awq/4/-2", "float32"),
    lambda d: d.get("int8_float32"),
], ids=["mode", "int8_float16", "int4_no_block", "int4_text", "int4_zero", "gptq_bits",
        "gptq_parts", "awq_bits", "awq_group", "no_from"])
def test_invalid_policies_raise_value_error_as_keras(make):
    for namespace in (dtype_policies, keras.dtype_policies):
        with pytest.raises(ValueError):
            make(namespace)


def test_float8_history_length_must_be_int():
    with pytest.raises(TypeError, match="amax_history_length"):
        dtype_policies.QuantizedFloat8DTypePolicy("float8", "float32", 3.5)


def _build_map(namespace):
    policy_map = namespace.DTypePolicyMap(default_policy="float32")
    policy_map["encoder/layer_0/dense"] = "bfloat16"
    policy_map["encoder/.*"] = namespace.DTypePolicy("float16")
    policy_map["decoder"] = "int8_from_float32"
    return policy_map


LOOKUPS = ["encoder/layer_0/dense", "encoder/attention/query", "decoder", "decoder/attention",
           "other"]


@pytest.mark.parametrize("path", LOOKUPS)
def test_map_lookups_match_keras(path):
    ours, theirs = _build_map(dtype_policies)[path], _build_map(keras.dtype_policies)[path]
    assert (type(ours).__name__, ours.name) == (type(theirs).__name__, theirs.name)


def test_map_properties_errors_and_round_trip():
    policy_map, keras_map = _build_map(dtype_policies), _build_map(keras.dtype_policies)
    assert policy_map.name == keras_map.name == "map_float32"
    assert len(policy_map) == 3 and "decoder" in policy_map and "encoder" not in policy_map
    assert (policy_map.compute_dtype, policy_map.variable_dtype,
            policy_map.quantization_mode) == ("float32", "float32", None)
    with pytest.raises(ValueError, match="already exist"):
        policy_map["decoder"] = "float32"
    policy_map["encoder/attention/.*"] = "bfloat16"
    with pytest.raises(ValueError, match="matches multiple dtype policy"):
        policy_map["encoder/attention/query"]  # noqa: B018
    del policy_map["encoder/attention/.*"]
    assert _plain(dtype_policies.serialize(policy_map)) == \
        _plain(keras.dtype_policies.serialize(keras_map))
    loaded = dtype_policies.deserialize(_plain(keras.dtype_policies.serialize(keras_map)))
    assert isinstance(loaded, dtype_policies.DTypePolicyMap)
    assert [(k, loaded[k].name) for k in loaded] == [(k, keras_map[k].name) for k in keras_map]
    with pytest.raises(ValueError, match="cannot be a `DTypePolicyMap`"):
        dtype_policies.DTypePolicyMap(default_policy=policy_map)
    with pytest.raises(TypeError, match="must be a dict"):
        dtype_policies.DTypePolicyMap(policy_map=[("a", "float32")])


def test_map_without_default_serializes_entries_without_source_as_keras():
    ours = dtype_policies.DTypePolicyMap()
    theirs = keras.dtype_policies.DTypePolicyMap()
    ours["dense"] = "int8_from_float32"
    theirs["dense"] = "int8_from_float32"
    assert _plain(dtype_policies.serialize(ours)) == _plain(keras.dtype_policies.serialize(theirs))


def _policy_map_dtypes(k):
    import numpy as np

    policy_map = k.dtype_policies.DTypePolicyMap(default_policy="float32")
    policy_map["half"] = "bfloat16"
    half = k.layers.Dense(2, name="half", dtype=policy_map)
    full = k.layers.Dense(2, name="full", dtype=policy_map)
    unbuilt = (half.compute_dtype, half.dtype, full.compute_dtype)  # no path yet: the default
    output = half(np.ones((1, 3), "float32"))
    full.build((None, 3))
    return unbuilt, (half.compute_dtype, half.dtype, str(half.kernel.dtype), str(output.dtype),
                     full.compute_dtype, str(full.kernel.dtype))


def test_layer_with_policy_map_uses_its_entry_once_built_as_keras():
    from neokeras import layers

    ours = _policy_map_dtypes(__import__("neokeras"))
    assert ours == _policy_map_dtypes(keras)
    assert ours[1][:3] == ("bfloat16", "bfloat16", "bfloat16")
    assert layers.Dense(2, dtype="mixed_bfloat16").dtype == "float32"
