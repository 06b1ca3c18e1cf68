"""`set_random_seed`: separate processes train bit-identically, and models get Keras's initial
weights."""

import os
import subprocess
import sys

import numpy as np
import pytest


SCRIPT = r"""
import hashlib, json, sys
import numpy as np
import neokeras
from neokeras import layers
neokeras.utils.set_random_seed(int(sys.argv[1]))
x = np.random.normal(size=(64, 5)).astype("float32")
y = (x.sum(1, keepdims=True) > 0).astype("float32")
model = neokeras.Sequential([layers.Dense(16, activation="relu", input_shape=(5,)),
                             layers.Dropout(0.5), layers.Dense(1, activation="sigmoid")])
model.compile("adam", "binary_crossentropy")
history = model.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=True)
digest = hashlib.sha256(b"".join(w.tobytes() for w in model.get_weights())).hexdigest()
print(json.dumps({"weights": digest, "loss": history.history["loss"]}))
"""


def _run(seed):
    env = dict(os.environ, JAX_PLATFORMS="cpu")
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(seed)], capture_output=True,
                            text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_two_processes_with_the_same_seed_are_bit_identical():
    first, second = _run(5), _run(5)
    assert first == second


# Models built after `set_random_seed(s)` get Keras 3-on-JAX's initial weights: unseeded
# initializers and seed generators draw their seeds from Python's `random` in Keras's order,
# and the draws are Keras's.
def _dense_mlp(K, L):
    return K.Sequential([K.Input((8,)), L.Dense(16, activation="relu"), L.Dropout(0.1),
                         L.Dense(4, kernel_initializer="he_uniform",
                                 bias_initializer="random_normal")])


def _conv(K, L):
    return K.Sequential([K.Input((8, 8, 3)), L.Conv2D(4, 3), L.BatchNormalization(),
                         L.SeparableConv2D(2, 3, depthwise_initializer="lecun_normal"),
                         L.Flatten(), L.Dense(3, kernel_initializer="truncated_normal")])


def _recurrent(K, L):
    return K.Sequential([K.Input((5, 3)), L.Bidirectional(L.SimpleRNN(4, return_sequences=True)),
                         L.LSTM(6, return_sequences=True, dropout=0.1), L.GRU(4), L.Dense(2)])


def _embedding(K, L):
    return K.Sequential([K.Input((5,), dtype="int32"), L.Embedding(30, 6),
                         L.GlobalAveragePooling1D(), L.Dense(2, kernel_initializer="orthogonal")])


def _attention(K, L):
    x = K.Input((5, 8))
    y = L.MultiHeadAttention(2, 4, dropout=0.1)(x, x)
    y = L.LayerNormalization()(y + x)
    y = L.GroupQueryAttention(4, 4, 2)(y, y)
    y = L.EinsumDense("abc,cd->abd", (5, 6))(y)
    return K.Model(x, y)


@pytest.mark.parametrize("build", [_dense_mlp, _conv, _recurrent, _embedding, _attention])
def test_models_built_after_set_random_seed_have_keras_weights(build):
    keras = pytest.importorskip("keras")
    import neokeras

    weights = []
    for K in (keras, neokeras):
        K.utils.set_random_seed(7)
        weights.append({v.path: np.asarray(v.value) for v in build(K, K.layers).weights})
    theirs, ours = weights
    assert sorted(ours) == sorted(theirs)
    for path, value in theirs.items():
        np.testing.assert_array_equal(ours[path], value, err_msg=path)
