"""Writes tests/data/preprocessing/: outputs of real Keras 3.15.1's TensorFlow-backed layers.

Keras 3's Hashing, HashedCrossing, StringLookup, IntegerLookup and TextVectorization need
TensorFlow even on the JAX backend (they compute with tf ops and hand back arrays), so their
golden values come from a throwaway venv with `tensorflow` and `keras==3.15.1`:

    KERAS_BACKEND=tensorflow /path/to/tfenv/bin/python tools/gen_preprocessing_goldens.py

It also saves `.keras` archives holding adapted vocabularies, which the tests load.
"""

import json
import os
import random

import numpy as np

import keras
import tensorflow as tf

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "preprocessing")


def plain(x):
    x = np.asarray(x)
    if x.dtype.kind in "SO":
        return [v.decode() if isinstance(v, bytes) else v for v in x.ravel().tolist()] \
            if x.ndim <= 1 else [plain(row) for row in x]
    return x.tolist()


def strings():
    rng = random.Random(0)
    alphabet = "abcdefghijklmnopqrstuvwxyzABC 0123456789éü€"
    out = ["", "a", "apple", "banana", "cat dog"]
    for n in range(1, 140, 3):
        out.append("".join(rng.choice(alphabet) for _ in range(n)))
    return out


def hashes():
    s = strings()
    big = 2**63 - 1
    return {
        "strings": s,
        "fast": plain(tf.strings.to_hash_bucket_fast(s, big)),
        "strong_133_137": plain(tf.strings.to_hash_bucket_strong(s, big, key=[133, 137])),
        "strong_0_1": plain(tf.strings.to_hash_bucket_strong(s, big, key=[0, 1])),
    }


def run_layer(make, inputs, adapt=None):
    layer = make()
    if adapt is not None:
        layer.adapt(adapt)
    out = layer(inputs)
    result = {"output": plain(out), "dtype": str(np.asarray(out).dtype),
              "input": [plain(x) for x in inputs] if isinstance(inputs, tuple) else plain(inputs),
              "input_is_tuple": isinstance(inputs, tuple),
              "adapt": None if adapt is None else plain(adapt)}
    if hasattr(layer, "get_vocabulary"):
        result["vocabulary"] = plain(layer.get_vocabulary())
    config = layer.get_config()
    result["config"] = json.loads(json.dumps(config, default=lambda o: plain(o)))
    return result


def cases():
    L = keras.layers
    s2 = np.array([["a", "b", "c"], ["d", "a", "x"]])
    ints = np.array([[1, 2, 3], [40, -5, 0]])
    words = np.array(["the cat", "the dog", "a cat", "the bird", "dog dog", "cat", "bird"])
    out = {}
    out["hashing_str_7"] = run_layer(lambda: L.Hashing(7), s2)
    out["hashing_int_7"] = run_layer(lambda: L.Hashing(7), ints)
    out["hashing_float_5"] = run_layer(lambda: L.Hashing(5), np.array([[1.7, -2.2], [3.0, 0.0]]))
    out["hashing_mask"] = run_layer(lambda: L.Hashing(5, mask_value="a"), s2)
    out["hashing_salt"] = run_layer(lambda: L.Hashing(11, salt=[133, 137]), s2)
    out["hashing_salt_int"] = run_layer(lambda: L.Hashing(11, salt=42), ints)
    out["hashing_one_hot"] = run_layer(lambda: L.Hashing(4, output_mode="one_hot"),
                                       np.array(["a", "b", "q"]))
    out["hashing_multi_hot"] = run_layer(lambda: L.Hashing(4, output_mode="multi_hot"), s2)
    out["hashing_count"] = run_layer(lambda: L.Hashing(4, output_mode="count"), s2)
    a = np.array(["A", "B", "A", "B", "A", "zz"])
    b = np.array([101, 101, 101, 102, 102, 7])
    for name, layer in [("crossing_5", lambda: L.HashedCrossing(5)),
                        ("crossing_big", lambda: L.HashedCrossing(2**40)),
                        ("crossing_one_hot", lambda: L.HashedCrossing(5, output_mode="one_hot"))]:
        out[name] = run_layer(layer, (a, b))
    out["crossing_str_str"] = run_layer(lambda: L.HashedCrossing(2**40),
                                        (np.array([["x"], ["y"]]), np.array([["u"], ["v"]])))
    out["crossing_int_int"] = run_layer(lambda: L.HashedCrossing(2**40),
                                        (np.array([1, 2, -3]), np.array([4, 5, 6])))

    vocab_data = np.array([["a", "b", "c", "a"], ["a", "b", "d", "e"], ["b", "e", "f", "a"]])
    q = np.array([["a", "b", "z"], ["f", "", "c"]])
    sl = {
        "sl_default": dict(),
        "sl_max4": dict(max_tokens=4),
        "sl_oov0": dict(num_oov_indices=0, vocabulary=["a", "b", "c", "f", ""]),
        "sl_oov3": dict(num_oov_indices=3),
        "sl_mask": dict(mask_token=""),
        "sl_multi_hot": dict(output_mode="multi_hot"),
        "sl_count": dict(output_mode="count"),
        "sl_one_hot": dict(output_mode="one_hot"),
        "sl_tf_idf": dict(output_mode="tf_idf"),
        "sl_pad": dict(output_mode="multi_hot", max_tokens=10, pad_to_max_tokens=True),
        "sl_vocab": dict(vocabulary=["b", "a", "q"]),
        "sl_salt": dict(num_oov_indices=2, salt=[5, 6], vocabulary=["a"]),
    }
    for name, kwargs in sl.items():
        adapt = None if "vocabulary" in kwargs else vocab_data
        inp = np.array(["a", "b", "z", "f"]) if kwargs.get("output_mode") == "one_hot" else q
        if name == "sl_oov0":
            inp = np.array([["a", "b"], ["f", ""]])
        out[name] = run_layer(lambda: L.StringLookup(**kwargs), inp, adapt)
    out["sl_invert"] = run_layer(lambda: L.StringLookup(invert=True, vocabulary=["x", "y"]),
                                 np.array([[0, 1, 2], [2, 9, 1]]))
    out["sl_invert_mask"] = run_layer(
        lambda: L.StringLookup(invert=True, mask_token="", vocabulary=["x", "y"]),
        np.array([[0, 1, 2], [3, 9, 1]]))
    ivocab = np.array([[12, 1138, 42, 12], [42, 1000, 36, 12], [7, 7, 7, 42]])
    iq = np.array([[12, 1138, 5], [42, -1, 7]])
    il = {
        "il_default": dict(),
        "il_max4": dict(max_tokens=4),
        "il_oov2": dict(num_oov_indices=2),
        "il_oov2_farm": dict(num_oov_indices=2, oov_method="farmhash"),
        "il_mask": dict(mask_token=0),
        "il_multi_hot": dict(output_mode="multi_hot"),
        "il_count": dict(output_mode="count"),
        "il_tf_idf": dict(output_mode="tf_idf"),
        "il_vocab": dict(vocabulary=[42, 7, 3]),
    }
    for name, kwargs in il.items():
        adapt = None if "vocabulary" in kwargs else ivocab
        out[name] = run_layer(lambda: L.IntegerLookup(**kwargs), iq, adapt)
    out["il_invert"] = run_layer(lambda: L.IntegerLookup(invert=True, vocabulary=[42, 7]),
                                 np.array([[0, 1, 2], [2, 9, 1]]))

    text = np.array(["The Cat sat, on the MAT!", "the dog; the  cat.", "A bird... a BIRD",
                     "Über-cool café", ""])
    tq = np.array(["the cat and the bird", "dog, MAT? zebra", "café"])
    tv = {
        "tv_default": dict(),
        "tv_seq6": dict(output_sequence_length=6),
        "tv_seq2": dict(output_sequence_length=2),
        "tv_max5": dict(max_tokens=5),
        "tv_lower": dict(standardize="lower"),
        "tv_strip": dict(standardize="strip_punctuation"),
        "tv_none": dict(standardize=None),
        "tv_char": dict(split="character", output_sequence_length=8),
        "tv_bigram": dict(ngrams=2),
        "tv_ngram_tuple": dict(ngrams=(1, 3), max_tokens=12),
        "tv_multi_hot": dict(output_mode="multi_hot"),
        "tv_count": dict(output_mode="count"),
        "tv_tf_idf": dict(output_mode="tf_idf"),
        "tv_pad": dict(output_mode="count", max_tokens=20, pad_to_max_tokens=True),
        "tv_vocab": dict(vocabulary=["cat", "the", "bird"]),
    }
    for name, kwargs in tv.items():
        adapt = None if "vocabulary" in kwargs else text
        out[name] = run_layer(lambda: L.TextVectorization(**kwargs), tq, adapt)
    out["tv_nosplit"] = run_layer(lambda: L.TextVectorization(split=None),
                                  np.array([["the cat"], ["dog"]]), np.array(["the cat", "dog"]))
    return out


def archives():
    L = keras.layers
    text = np.array(["The Cat sat, on the MAT!", "the dog; the  cat.", "A bird... a BIRD"])
    files = {}

    tv = L.TextVectorization(output_mode="tf_idf", max_tokens=8)
    tv.adapt(text)
    inp = keras.Input(shape=(), dtype="string")
    model = keras.Model(inp, tv(inp))
    model.save(os.path.join(OUT, "text_vectorization_tf_idf.keras"))
    files["text_vectorization_tf_idf"] = plain(model(np.array(["the cat", "a bird dog"])))

    sl = L.StringLookup(output_mode="int")
    sl.adapt(np.array(["b", "a", "b", "c", "b", "a"]))
    inp = keras.Input(shape=(3,), dtype="string")
    model = keras.Model(inp, L.Embedding(6, 2)(sl(inp)))
    model.save(os.path.join(OUT, "string_lookup_embedding.keras"))
    files["string_lookup_embedding"] = plain(model(np.array([["a", "b", "zz"]])))

    il = L.IntegerLookup()
    il.adapt(np.array([5, 5, 9, 9, 9, 100]))
    inp = keras.Input(shape=(2,), dtype="int64")
    model = keras.Model(inp, il(inp))
    model.save(os.path.join(OUT, "integer_lookup.keras"))
    files["integer_lookup"] = plain(model(np.array([[9, 5], [100, 3]])))

    disc = L.Discretization(num_bins=4)
    disc.adapt(np.arange(20.0))
    inp = keras.Input(shape=(3,))
    model = keras.Model(inp, disc(inp))
    model.save(os.path.join(OUT, "discretization.keras"))
    files["discretization"] = plain(model(np.array([[0.0, 7.5, 19.0]])))
    return files


def main():
    os.makedirs(OUT, exist_ok=True)
    data = {"keras_version": keras.__version__, "tensorflow_version": tf.__version__,
            "hashes": hashes(), "layers": cases(), "archives": archives()}
    with open(os.path.join(OUT, "keras_goldens.json"), "w") as f:
        json.dump(data, f, indent=None, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
