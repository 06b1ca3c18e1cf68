"""The model, data and comparison shared by the tf.data and torch adapter tests: a dataset
must train exactly as the same numbers given as arrays."""

import numpy as np

from neokeras import layers, optimizers, utils
from neokeras.models import Sequential


def binary_data(n=100, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    y = (x[:, :1] - x[:, 1:2] > 0).astype("float32")
    return x, y


def small_model():
    utils.set_random_seed(7)
    model = Sequential([layers.Dense(8, activation="relu", input_shape=(4,)),
                        layers.Dense(1, activation="sigmoid")])
    model.compile(optimizers.Adam(0.05), "binary_crossentropy", metrics=["accuracy"])
    return model


def assert_same_training(model, history, ref, ref_history):
    for key in ref_history.history:
        np.testing.assert_allclose(history.history[key], ref_history.history[key], rtol=1e-6,
                                   err_msg=key)
    for a, b in zip(model.get_weights(), ref.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
