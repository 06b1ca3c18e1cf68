"""`fit` on `image_dataset_from_directory` output vs the same images as in-memory arrays.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_image_dataset.py \
        [--images 3000] [--model cnn|mlp]

Writes N small PNG images (32x32 RGB, 10 classes) to a temporary directory, trains the same
small CNN (or MLP) on (a) the dataset read from the files and (b) the decoded arrays, and prints the
steps per second of epochs 2-4 (epoch 1 compiles). The directory dataset is read from disk
every epoch (no `.cache()`), with its default worker threads decoding ahead. On a loaded
shared machine the fastest epoch is the steadier figure (slow epochs are other processes). Two more rows
separate the data pipeline from the trainer's per-batch path: the dataset with `.cache()`
(files decoded once) and a `PyDataset` returning ready-made batches.
"""

import argparse
import os
import statistics
import tempfile
import time

import numpy as np


def write_images(root, n, classes=10, size=32):
    from PIL import Image

    rng = np.random.default_rng(0)
    for c in range(classes):
        os.makedirs(os.path.join(root, f"class_{c}"), exist_ok=True)
    for i in range(n):
        pixels = rng.integers(0, 256, (size, size, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(os.path.join(root, f"class_{i % classes}", f"{i:05d}.png"))


def model(keras, kind):
    if kind == "cnn":
        body = [keras.layers.Conv2D(16, 3, activation="relu"), keras.layers.MaxPooling2D(),
                keras.layers.Conv2D(32, 3, activation="relu"), keras.layers.MaxPooling2D(),
                keras.layers.Flatten()]
    else:
        body = [keras.layers.Flatten(), keras.layers.Dense(256, activation="relu")]
    m = keras.Sequential([keras.layers.Input((32, 32, 3)), keras.layers.Rescaling(1 / 255.0),
                          *body, keras.layers.Dense(10, activation="softmax")])
    m.compile("adam", "sparse_categorical_crossentropy")
    return m


class EpochTimer:
    def __init__(self):
        self.times = []

    def __call__(self, keras):
        timer = self

        class Callback(keras.callbacks.Callback):
            def on_epoch_begin(self, epoch, logs=None):
                self.start = time.perf_counter()

            def on_epoch_end(self, epoch, logs=None):
                timer.times.append(time.perf_counter() - self.start)

        return Callback()


def run(args):
    import neokeras as keras

    with tempfile.TemporaryDirectory() as root:
        write_images(root, args.images)
        ds = keras.utils.image_dataset_from_directory(root, image_size=(32, 32), batch_size=32,
                                                      seed=1, verbose=False)
        x = np.concatenate([b[0] for b in ds])
        y = np.concatenate([b[1] for b in ds])
        steps = len(ds)
        results = {}
        batches = [ds[i] for i in range(len(ds))]

        class Precomputed(keras.utils.PyDataset):
            def __len__(self):
                return len(batches)

            def __getitem__(self, i):
                return batches[i]

        cases = (("arrays", (x, y)), ("image_dataset_from_directory", (ds,)),
                 ("... .cache()", (ds.cache(),)),
                 ("PyDataset of ready batches", (Precomputed(),)))
        for name, fit_args in cases:
            keras.utils.set_random_seed(0)
            timer = EpochTimer()
            kwargs = {"batch_size": 32} if name == "arrays" else {}
            model(keras, args.model).fit(*fit_args, epochs=args.epochs, verbose=0,
                             callbacks=[timer(keras)], **kwargs)
            results[name] = (steps / statistics.median(timer.times[1:]),
                             steps / min(timer.times[1:]))
            print(name, "epoch times (s):", " ".join(f"{t:.2f}" for t in timer.times))
    print(f"{args.model}: {args.images} images 32x32x3, batch 32, {steps} steps/epoch, "
          f"epochs 2-{args.epochs}: steps/s of the median and of the fastest epoch")
    for name, (median, best) in results.items():
        print(f"  {name:30s} {median:8.1f} {best:8.1f} steps/s")
    for i, kind in enumerate(("median", "fastest")):
        ratio = results["image_dataset_from_directory"][i] / results["arrays"][i]
        print(f"  directory dataset / arrays ({kind} epoch): {ratio:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=3000)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--model", choices=["cnn", "mlp"], default="cnn")
    run(parser.parse_args())
