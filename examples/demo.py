"""`make demo`: the Keras life cycle on a real task, offline.

Defines an MLP, compiles it, fits it on scikit-learn's bundled 8x8 digits with a Keras-style
progress bar, evaluates it on held-out digits and predicts a few samples.
"""

import time

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import neokeras as keras
from neokeras.layers import Dense, Dropout


def main():
    keras.utils.set_random_seed(0)
    digits = load_digits()
    x = (digits.data / 16.0).astype("float32")
    y = keras.utils.to_categorical(digits.target, 10)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, random_state=0)

    # 1. Define
    model = keras.Sequential([
        Dense(128, activation="relu", input_shape=(64,)),
        Dropout(0.2),
        Dense(64, activation="relu"),
        Dense(10, activation="softmax"),
    ])
    model.summary()

    # 2. Compile
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])

    # 3. Fit
    start = time.perf_counter()
    history = model.fit(x_train, y_train, batch_size=32, epochs=15, validation_split=0.1)
    seconds = time.perf_counter() - start

    # 4. Evaluate
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"\nTrained {len(history.epoch)} epochs in {seconds:.2f}s "
          f"(first-epoch compilation included).")
    print(f"Test loss: {loss:.4f}   test accuracy: {accuracy:.2%} on {len(x_test)} held-out digits")

    # 5. Predict
    predictions = model.predict(x_test[:8], verbose=0)
    print("Predicted:", np.argmax(predictions, axis=1).tolist())
    print("Actual:   ", np.argmax(y_test[:8], axis=1).tolist())


if __name__ == "__main__":
    main()
