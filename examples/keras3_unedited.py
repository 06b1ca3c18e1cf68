"""A Keras 3 program, exactly as written for Keras 3 (it says `import keras`).

Run it on neokeras without editing it:

    .venv/bin/python -m neokeras run examples/keras3_unedited.py OUTPUT_DIR
"""

import os
import sys

import keras
import numpy as np
from keras import layers, ops
from sklearn.datasets import load_digits

digits = load_digits()
x = (digits.images / 16.0).astype("float32")[..., None]
y = digits.target

inputs = keras.Input(shape=(8, 8, 1))
h = layers.Conv2D(16, 3, activation="relu", padding="same")(inputs)
h = layers.MaxPooling2D(2)(h)
h = layers.Flatten()(h)
h = ops.relu(layers.Dense(32)(h))
outputs = layers.Dense(10, activation="softmax")(h)
model = keras.Model(inputs, outputs)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-3),
              loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x[:1500], y[:1500], batch_size=64, epochs=8, verbose=0)
_, accuracy = model.evaluate(x[1500:], y[1500:], verbose=0)

path = os.path.join(sys.argv[1] if len(sys.argv) > 1 else ".", "digits.keras")
model.save(path)
restored = keras.models.load_model(path)
same = np.allclose(restored.predict(x[:8], verbose=0), model.predict(x[:8], verbose=0), atol=1e-6)
print(f"keras {keras.__version__}: test accuracy {accuracy:.3f}, reloaded predictions equal: {same}")
