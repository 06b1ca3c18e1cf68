"""A classic Keras 2 program, exactly as written for Keras 2 (it says `import keras`).

Run it on neokeras without editing it:

    .venv/bin/python -m neokeras run examples/keras2_unedited.py
"""

import numpy as np
from keras import backend as K
from keras.layers import Dense, Dropout
from keras.models import Sequential
from keras.optimizers import SGD
from keras.utils import to_categorical
from sklearn.datasets import load_iris

iris = load_iris()
x_train = (iris.data - iris.data.mean(axis=0)) / iris.data.std(axis=0)
y_train = to_categorical(iris.target, num_classes=3)


def mean_pred(y_true, y_pred):
    return K.mean(y_pred)


model = Sequential()
model.add(Dense(16, input_dim=4, activation="relu"))
model.add(Dropout(0.1))
model.add(Dense(3, activation="softmax"))
sgd = SGD(lr=0.1, decay=1e-6, momentum=0.9, nesterov=True)
model.compile(loss="categorical_crossentropy", optimizer=sgd, metrics=["accuracy", mean_pred])
model.fit(x_train, y_train, nb_epoch=30, batch_size=16, verbose=0)
score = model.evaluate(x_train, y_train, batch_size=16, verbose=0)
print("loss %.3f, accuracy %.3f" % (score[0], score[1]))
