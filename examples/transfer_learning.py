"""Transfer learning with keras.applications: a frozen pretrained base and a new head, then
fine-tuning of the whole network with a low learning rate (the Keras guide's recipe).

With weights="imagenet" the base would load Keras's ImageNet weights (downloaded once into
~/.keras/models). To run offline, this example makes its own "pretrained" weights: it trains
a MobileNet (weights=None) on a synthetic source task (which color, red, green or blue, a
square has) and saves the base's weights; the transfer model then loads them with
weights=<file> and learns a new, related task (is the square blue or not?).
"""

import os
import sys
import tempfile

import numpy as np

import neokeras as keras
from neokeras import layers

SHAPE = (32, 32, 3)


def make_images(n, rng, size=32):
    """Noisy images with a red, green or blue square; returns the images and the colors."""
    colors = rng.integers(0, 3, n)
    images = rng.uniform(0, 60, (n, size, size, 3)).astype("float32")
    for image, color in zip(images, colors):
        side = rng.integers(6, 16)
        row, col = rng.integers(0, size - side, 2)
        image[row:row + side, col:col + side, color] += 190.0
    return images, colors


def pretrain_base(path, x, colors, epochs):
    """Stands in for ImageNet pretraining: fits a MobileNet base on the color task."""
    base = keras.applications.MobileNet(input_shape=SHAPE, alpha=0.25, include_top=False,
                                        weights=None)
    for layer in base.layers:  # a short run: let the batch norm statistics settle faster
        if isinstance(layer, layers.BatchNormalization):
            layer.momentum = 0.9
    inputs = keras.Input(SHAPE)
    x_in = keras.applications.mobilenet.preprocess_input(inputs)
    outputs = layers.Dense(3, activation="softmax")(layers.GlobalAveragePooling2D()(base(x_in)))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(3e-3),
                  loss="sparse_categorical_crossentropy")
    model.fit(x, colors, batch_size=16, epochs=epochs, verbose=0)
    base.save_weights(path)


def main(pretrain_epochs=4, head_epochs=4, fine_tune_epochs=2):
    keras.utils.set_random_seed(3)
    rng = np.random.default_rng(0)
    x_train, colors = make_images(512, rng)
    x_val, val_colors = make_images(128, rng)
    y_train, y_val = (colors == 2).astype("float32"), (val_colors == 2).astype("float32")
    path = os.path.join(tempfile.mkdtemp(), "mobilenet_base.weights.h5")
    pretrain_base(path, x_train, colors, pretrain_epochs)

    base = keras.applications.MobileNet(input_shape=SHAPE, alpha=0.25, include_top=False,
                                        weights=path)
    base.trainable = False  # 1. freeze the pretrained features

    inputs = keras.Input(shape=SHAPE)
    x = keras.applications.mobilenet.preprocess_input(inputs)
    x = base(x, training=False)  # keep batch norm in inference mode, also when fine-tuning
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.2)(x)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    model = keras.Model(inputs, outputs)

    # 2. train the new head only
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="binary_crossentropy",
                  metrics=["accuracy"])
    frozen = [w.numpy().copy() for w in base.weights]
    model.fit(x_train, y_train, batch_size=32, epochs=head_epochs, verbose=0)
    base_unchanged = all(np.array_equal(a, w.numpy()) for a, w in zip(frozen, base.weights))
    head_accuracy = model.evaluate(x_val, y_val, verbose=0)[1]
    print(f"head only: validation accuracy {head_accuracy:.2%} (base unchanged: {base_unchanged})")

    # 3. unfreeze and fine-tune everything with a low learning rate (recompile to apply)
    base.trainable = True
    model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="binary_crossentropy",
                  metrics=["accuracy"])
    model.fit(x_train, y_train, batch_size=32, epochs=fine_tune_epochs, verbose=0)
    base_changed = any(not np.array_equal(a, w.numpy()) for a, w in zip(frozen, base.weights))
    tuned_accuracy = model.evaluate(x_val, y_val, verbose=0)[1]
    print(f"fine-tuned: validation accuracy {tuned_accuracy:.2%} (base changed: {base_changed})")
    return head_accuracy, tuned_accuracy, base_unchanged, base_changed


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:4]))
