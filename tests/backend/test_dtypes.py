"""`result_type` (Keras's dtype promotion) against `keras.backend.result_type`."""

import itertools

import pytest

from neokeras.backend.common.dtypes import result_type

keras = pytest.importorskip("keras")

DTYPES = ["bool", "uint8", "uint16", "uint32", "int8", "int16", "int32", "int64", "bfloat16",
          "float16", "float32", "float64", int, float, "complex64"]


def _outcome(fn, *dtypes):
    try:
        return fn(*dtypes)
    except ValueError:
        return "error"


@pytest.mark.parametrize("arity", [1, 2, 3])
def test_every_combination_matches_keras(arity):
    different = [combo for combo in itertools.product(DTYPES, repeat=arity)
                 if _outcome(result_type, *combo) != _outcome(keras.backend.result_type, *combo)]
    assert different == []


def test_examples():
    assert result_type("bfloat16", float) == "bfloat16"
    assert result_type("int8", int) == "int8"
    assert result_type("int32", "float16") == "float16"
    assert result_type("uint8", "int8") == "int16"
    assert result_type("int64", "float64") == "float32"  # narrowed to 32 bits, as on JAX
    assert result_type() == "float32"
    with pytest.raises(ValueError, match="float8"):
        result_type("float8_e4m3fn", "float32")
