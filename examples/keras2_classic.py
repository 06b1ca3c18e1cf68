"""A Keras 2 program as people wrote it, run unchanged except for the import line.

Keras 2 spellings throughout: `input_dim`, `SGD(lr=..., decay=...)`, `K.*` in a custom metric,
`fit_generator`, `nb_epoch`, and a legacy `.h5` file saved and loaded back.
"""

import os
import sys
import tempfile

import numpy as np
from sklearn.datasets import load_iris

import neokeras as keras
import neokeras.backend as K
from neokeras.layers import Activation, Dense, Dropout
from neokeras.models import Sequential, load_model
from neokeras.optimizers import SGD
from neokeras.utils import to_categorical


def mean_pred(y_true, y_pred):
    return K.mean(y_pred)


def batches(x, y, batch_size):
    while True:
        for i in range(0, len(x), batch_size):
            yield x[i:i + batch_size], y[i:i + batch_size]


def main(epochs=60):
    keras.utils.set_random_seed(1)
    iris = load_iris()
    x = (iris.data - iris.data.mean(axis=0)) / iris.data.std(axis=0)
    y = to_categorical(iris.target, 3)
    order = np.random.RandomState(0).permutation(len(x))
    x, y = x[order], y[order]
    x_train, y_train, x_test, y_test = x[:120], y[:120], x[120:], y[120:]

    model = Sequential()
    model.add(Dense(16, input_dim=4))
    model.add(Activation("relu"))
    model.add(Dropout(0.1))
    model.add(Dense(3, activation="softmax"))
    model.compile(optimizer=SGD(lr=0.05, decay=1e-4, momentum=0.9, nesterov=True),
                  loss="categorical_crossentropy", metrics=["accuracy", mean_pred])
    model.fit(x_train, y_train, batch_size=16, nb_epoch=epochs // 2, verbose=0)
    model.fit_generator(batches(x_train, y_train, 16), steps_per_epoch=8,
                        epochs=epochs // 2, verbose=0)
    loss, accuracy, _ = model.evaluate(x_test, y_test, verbose=0)
    print(f"iris test accuracy: {accuracy:.2%}")

    path = os.path.join(tempfile.mkdtemp(), "iris.h5")
    model.save(path)
    restored = load_model(path, custom_objects={"mean_pred": mean_pred})
    same = np.allclose(restored.predict(x_test, verbose=0), model.predict(x_test, verbose=0))
    print(f"reloaded from {os.path.basename(path)}: identical predictions = {same}")
    return accuracy, same


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 60)
