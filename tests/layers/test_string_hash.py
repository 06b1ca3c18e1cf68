"""FarmHash Fingerprint64 and SipHash-2-4 against TensorFlow's hash ops (goldens made by
tools/gen_preprocessing_goldens.py with real TensorFlow)."""

import json
import os

import pytest

from neokeras.layers.preprocessing import string_hash

GOLDENS = os.path.join(os.path.dirname(__file__), "..", "data", "preprocessing",
                       "keras_goldens.json")
with open(GOLDENS) as _f:
    HASHES = json.load(_f)["hashes"]
BIG = 2**63 - 1


@pytest.mark.parametrize("kind,key", [("fast", None), ("strong_133_137", (133, 137)),
                                      ("strong_0_1", (0, 1))])
def test_hashes_equal_tensorflow_for_every_length(kind, key):
    # Lengths 0..137 bytes cover every FarmHash branch (<=16, <=32, <=64, the 64-byte loop).
    for text, expected in zip(HASHES["strings"], HASHES[kind]):
        data = text.encode("utf-8")
        h = string_hash.fingerprint64(data) if key is None else string_hash.siphash64(data, key)
        assert h % BIG == expected, (kind, len(data))


def test_numbers_hash_through_their_decimal_text():
    assert string_hash.as_hash_bytes(-12) == b"-12"
    assert string_hash.as_hash_bytes(2.9) == b"2"  # floats are truncated to int64 first
    buckets = string_hash.hash_to_buckets([["7", 7]], 1000)
    assert buckets[0, 0] == buckets[0, 1]
