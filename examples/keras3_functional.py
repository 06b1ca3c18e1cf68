"""A Keras 3 program: functional API with two inputs and two outputs, `keras.ops` in the
graph, `learning_rate=`, and a `.keras` archive saved and loaded back."""

import os
import sys
import tempfile

import numpy as np

import neokeras as keras
from neokeras import layers, ops


def main(epochs=30):
    keras.utils.set_random_seed(2)
    rng = np.random.default_rng(0)
    n = 512
    a = rng.standard_normal((n, 6)).astype("float32")
    b = rng.standard_normal((n, 4)).astype("float32")
    total = a.sum(axis=1, keepdims=True) + 2 * b.sum(axis=1, keepdims=True)
    is_positive = (total > 0).astype("float32")

    input_a = keras.Input(shape=(6,), name="a")
    input_b = keras.Input(shape=(4,), name="b")
    x = layers.Concatenate()([layers.Dense(16, activation="relu")(input_a),
                              layers.Dense(16, activation="relu")(input_b)])
    x = x + ops.mean(x, axis=-1, keepdims=True)  # an op recorded in the graph
    regression = layers.Dense(1, name="total")(x)
    classification = layers.Dense(1, activation="sigmoid", name="positive")(x)
    model = keras.Model(inputs={"a": input_a, "b": input_b},
                        outputs={"total": regression, "positive": classification})
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-3),
                  loss={"total": "mse", "positive": "binary_crossentropy"},
                  loss_weights={"total": 0.1, "positive": 1.0},
                  metrics={"positive": ["accuracy"]})
    history = model.fit({"a": a, "b": b}, {"total": total, "positive": is_positive},
                        batch_size=32, epochs=epochs, validation_split=0.2, verbose=0)
    accuracy = history.history["val_positive_accuracy"][-1]
    print(f"validation accuracy of the sign output: {accuracy:.2%}")

    path = os.path.join(tempfile.mkdtemp(), "two_heads.keras")
    model.save(path)
    restored = keras.models.load_model(path)
    same = np.allclose(restored.predict({"a": a[:8], "b": b[:8]}, verbose=0)["total"],
                       model.predict({"a": a[:8], "b": b[:8]}, verbose=0)["total"])
    print(f"reloaded from {os.path.basename(path)}: identical predictions = {same}")
    return accuracy, same


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
