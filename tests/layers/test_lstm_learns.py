"""An Embedding(mask_zero=True) -> LSTM -> Dense classifier learns a small padded-text task."""

import time

import numpy as np

import neokeras as keras
from neokeras import layers


def _dataset(n, rng, vocab=12, max_len=10, trigger=1):
    """Variable-length sequences padded with 0; label 1 iff the `trigger` token occurs."""
    x = np.zeros((n, max_len), "int32")
    y = np.zeros((n, 1), "float32")
    for i in range(n):
        length = rng.integers(2, max_len + 1)
        x[i, :length] = rng.integers(2, vocab, size=length)
        if rng.random() < 0.5:
            x[i, rng.integers(0, length)] = trigger
            y[i] = 1.0
    return x, y


def test_lstm_text_classifier_learns_token_presence():
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x, y = _dataset(512, rng)
    x_test, y_test = _dataset(256, rng)
    model = keras.Sequential([
        keras.Input((None,), dtype="int32"),
        layers.Embedding(12, 8, mask_zero=True),
        layers.LSTM(16),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="binary_crossentropy",
                  metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(x, y, epochs=15, batch_size=64, verbose=0)
    elapsed = time.perf_counter() - start
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    assert accuracy > 0.95, accuracy
    # Padding is ignored: extra trailing zeros do not change predictions.
    longer = np.pad(x_test[:16], ((0, 0), (0, 5)))
    np.testing.assert_allclose(model.predict(longer, verbose=0),
                               model.predict(x_test[:16], verbose=0), rtol=1e-4, atol=1e-5)
    assert elapsed < 60, elapsed
