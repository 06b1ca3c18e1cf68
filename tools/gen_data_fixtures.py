"""Writes the data-pipeline fixtures that tests compare neokeras against (no TensorFlow in CI).

Run where TensorFlow 2.21, Keras 3.15.1 (TensorFlow backend), tf-keras 2.21, Pillow and scipy
are installed:

    KERAS_BACKEND=tensorflow /tmp/tfenv/bin/python tools/gen_data_fixtures.py

It creates small input files (images, texts, WAV clips) under tests/utils/data/tree/ from a
fixed seed, runs Keras's own functions on them, and stores the outputs next to them:
- tests/utils/data/directory_datasets.npz (+ .json): `*_dataset_from_directory` and
  `timeseries_dataset_from_array` of Keras 3;
- tests/utils/data/feature_space.json: `keras.utils.FeatureSpace` of Keras 3;
- tests/preprocessing/data/*.json / *.npz: tf-keras's `preprocessing.text`,
  `preprocessing.sequence` and `preprocessing.image` on fixed inputs and seeds.
"""

import json
import os
import pathlib
import shutil
import sys
import wave

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
UTILS_DATA = ROOT / "tests" / "utils" / "data"
PREP_DATA = ROOT / "tests" / "preprocessing" / "data"


def make_tree():
    """Class folders of images, texts and WAV clips (deterministic)."""
    from PIL import Image

    tree = UTILS_DATA / "tree"
    shutil.rmtree(tree, ignore_errors=True)
    rng = np.random.default_rng(20261201)
    shapes = [(12, 17), (20, 9), (16, 16), (7, 25)]
    for c, name in enumerate(["cats", "dogs", "owls"]):
        folder = tree / "images" / name
        folder.mkdir(parents=True)
        for i in range(4 + c):
            h, w = shapes[(i + c) % len(shapes)]
            kind = (i + c) % 4
            if kind == 0:
                img = Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8), "RGB")
            elif kind == 1:
                img = Image.fromarray(rng.integers(0, 256, (h, w), dtype=np.uint8), "L")
            elif kind == 2:
                img = Image.fromarray(rng.integers(0, 256, (h, w, 4), dtype=np.uint8), "RGBA")
            else:
                img = Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8), "RGB")
            img.save(folder / f"img_{i:02d}.png")
        (folder / "notes.md").write_text("not an image")
    sub = tree / "images" / "owls" / "nested"
    sub.mkdir()
    Image.fromarray(rng.integers(0, 256, (10, 10, 3), dtype=np.uint8)).save(sub / "deep.png")
    words = "the quick brown fox jumps over lazy dog keras jax data".split()
    for c, name in enumerate(["neg", "pos"]):
        folder = tree / "texts" / name
        folder.mkdir(parents=True)
        for i in range(5):
            text = " ".join(rng.choice(words, 3 + i + c))
            (folder / f"t{i}.txt").write_text(text + " é")
    for c, name in enumerate(["no", "yes"]):
        folder = tree / "audio" / name
        folder.mkdir(parents=True)
        for i in range(3):
            samples = rng.integers(-30000, 30000, (50 + 13 * i + c, 1 + (c == 1 and i == 2)),
                                   dtype=np.int16)
            with wave.open(str(folder / f"a{i}.wav"), "wb") as f:
                f.setnchannels(samples.shape[1])
                f.setsampwidth(2)
                f.setframerate(8000)
                f.writeframes(samples.tobytes())
    return tree


IMAGE_CASES = [
    {},
    {"label_mode": "categorical", "color_mode": "grayscale", "image_size": (9, 11)},
    {"color_mode": "rgba", "image_size": 6, "interpolation": "nearest"},
    {"interpolation": "bicubic", "image_size": (14, 10)},
    {"interpolation": "area", "image_size": (5, 8)},
    {"interpolation": "lanczos3", "image_size": (13, 13)},
    {"crop_to_aspect_ratio": True, "image_size": (8, 16)},
    {"pad_to_aspect_ratio": True, "image_size": (8, 16)},
    {"class_names": ["owls", "cats"], "label_mode": "binary"},
    {"label_mode": None},
    {"data_format": "channels_first", "image_size": (6, 7)},
]
SPLIT_CASES = [
    {"seed": 3, "validation_split": 0.25, "subset": "training"},
    {"seed": 3, "validation_split": 0.25, "subset": "validation"},
    {"seed": 11, "validation_split": 0.4, "subset": "both"},
    {"seed": 5},
    {"seed": 5, "labels": [0, 1, 1, 0, 2, 2, 0, 1, 1, 0, 2, 2, 1, 0, 1, 2]},
]


def _rel(paths, base):
    return [os.path.relpath(p, base) for p in paths]


def _batches(ds):
    xs, ys = [], []
    for batch in ds:
        if isinstance(batch, tuple):
            xs.append(batch[0].numpy())
            ys.append(batch[1].numpy())
        else:
            xs.append(batch.numpy())
    return xs, ys


def directory_fixtures(tree):
    import keras

    arrays, meta = {}, {"image": [], "split": [], "text": [], "audio": [], "timeseries": []}
    base = tree / "images"
    common = {"image_size": (10, 12), "batch_size": 5}
    for k, case in enumerate(IMAGE_CASES):
        kwargs = {**common, **case, "shuffle": False, "verbose": False}
        ds = keras.utils.image_dataset_from_directory(str(base), **kwargs)
        xs, ys = _batches(ds)
        arrays[f"image{k}_x"] = np.concatenate(xs)
        if ys:
            arrays[f"image{k}_y"] = np.concatenate(ys)
        meta["image"].append({"kwargs": case, "class_names": ds.class_names,
                              "file_paths": _rel(ds.file_paths, base)})
    for k, case in enumerate(SPLIT_CASES):
        kwargs = {"image_size": (4, 4), **case, "verbose": False}
        result = keras.utils.image_dataset_from_directory(str(base), **kwargs)
        parts = result if isinstance(result, list) else [result]
        meta["split"].append({"kwargs": case, "class_names": parts[0].class_names,
                              "file_paths": [_rel(p.file_paths, base) for p in parts]})
    texts = tree / "texts"
    for k, case in enumerate([{}, {"max_length": 9, "label_mode": "binary"},
                              {"seed": 2, "validation_split": 0.3, "subset": "both"}]):
        kwargs = {"shuffle": "seed" in case, "verbose": False, "batch_size": 4, **case}
        result = keras.utils.text_dataset_from_directory(str(texts), **kwargs)
        parts = result if isinstance(result, list) else [result]
        from keras.src.utils import dataset_utils

        paths, labels, _ = dataset_utils.index_directory(
            str(texts), "inferred", (".txt",), shuffle=kwargs["shuffle"],
            seed=case.get("seed"), verbose=False)
        if case.get("subset"):
            paths = [dataset_utils.get_training_or_validation_split(
                paths, labels, case["validation_split"], s)[0]
                for s in ("training", "validation")]
        else:
            paths = [paths]
        entry = {"kwargs": case, "class_names": parts[0].class_names,
                 "file_paths": [_rel(p, texts) for p in paths]}
        if not kwargs["shuffle"]:
            xs, ys = _batches(parts[0])
            entry["texts"] = [t.decode("utf-8", "ignore") for t in np.concatenate(xs)]
            entry["labels"] = np.concatenate(ys).tolist()
        meta["text"].append(entry)
    audio = tree / "audio"
    for k, case in enumerate([{}, {"output_sequence_length": 60, "label_mode": "categorical",
                                    "class_names": ["no"]}]):
        ds = keras.utils.audio_dataset_from_directory(str(audio), shuffle=False, batch_size=3,
                                                      verbose=False, **case)
        xs, ys = _batches(ds)
        for b, (x, y) in enumerate(zip(xs, ys)):
            arrays[f"audio{k}_b{b}_x"], arrays[f"audio{k}_b{b}_y"] = x, y
        meta["audio"].append({"kwargs": case, "batches": len(xs), "class_names": ds.class_names})
    data = np.arange(100, dtype="float32").reshape(50, 2)
    targets = np.arange(50) * 10
    for k, case in enumerate([
        {"sequence_length": 5},
        {"sequence_length": 4, "sequence_stride": 3, "sampling_rate": 2, "batch_size": 4},
        {"sequence_length": 3, "start_index": 5, "end_index": 30, "batch_size": 7},
        {"sequence_length": 6, "targets": None, "sampling_rate": 3},
    ]):
        case = dict(case)
        tgt = case.pop("targets", targets)
        ds = keras.utils.timeseries_dataset_from_array(data, tgt, **case)
        xs, ys = _batches(ds)
        arrays[f"ts{k}_x"] = np.concatenate(xs)
        if ys:
            arrays[f"ts{k}_y"] = np.concatenate(ys)
        meta["timeseries"].append({"kwargs": case, "targets": tgt is not None,
                                   "batch_sizes": [len(x) for x in xs]})
    np.savez_compressed(UTILS_DATA / "directory_datasets.npz", **arrays)
    (UTILS_DATA / "directory_datasets.json").write_text(json.dumps(meta, indent=1))


FEATURE_DATA = {
    "age": [20.0, 35.0, 50.0, 41.0, 27.0, 63.0, 35.0, 19.0],
    "city": ["paris", "rome", "paris", "oslo", "rome", "paris", "lima", "oslo"],
    "zip": [1, 2, 2, 7, 3, 1, 1, 9],
    "score": [0.1, 0.9, 0.3, 0.5, 0.7, 0.2, 0.8, 0.4],
    "raw": [1.5, -2.0, 0.0, 3.0, 1.0, 2.0, -1.0, 0.5],
}
FEATURE_SPACES = [
    {"features": {"age": "float_normalized", "city": "string_categorical",
                  "zip": "integer_categorical", "score": "float_discretized", "raw": "float"},
     "output_mode": "concat", "num_discretization_bins": 3},
    {"features": {"age": "float_rescaled", "city": "string_hashed", "zip": "integer_hashed"},
     "crosses": [["city", "zip"]], "crossing_dim": 8, "hashing_dim": 4, "output_mode": "dict"},
]


def feature_space_fixtures():
    import keras

    out = []
    for spec in FEATURE_SPACES:
        fs = keras.utils.FeatureSpace(**spec)
        data = {k: v for k, v in FEATURE_DATA.items() if k in spec["features"]}
        fs.adapt({k: np.array(v) for k, v in data.items()})
        encoded = fs({k: np.array(v) for k, v in data.items()})
        if isinstance(encoded, dict):
            encoded = {k: np.asarray(v).tolist() for k, v in encoded.items()}
        else:
            encoded = np.asarray(encoded).tolist()
        one = fs({k: v[2] for k, v in data.items()})
        one = ({k: np.asarray(v).tolist() for k, v in one.items()} if isinstance(one, dict)
               else np.asarray(one).tolist())
        out.append({"spec": spec, "encoded": encoded, "single": one})
    (UTILS_DATA / "feature_space.json").write_text(
        json.dumps({"data": FEATURE_DATA, "cases": out}, indent=1))


def main(sections):
    UTILS_DATA.mkdir(parents=True, exist_ok=True)
    PREP_DATA.mkdir(parents=True, exist_ok=True)
    if "directories" in sections:
        directory_fixtures(make_tree())
    if "feature_space" in sections:
        feature_space_fixtures()
    if "preprocessing" in sections:
        import gen_preprocessing_fixtures

        gen_preprocessing_fixtures.main(PREP_DATA)


if __name__ == "__main__":
    sys.path.insert(0, str(pathlib.Path(__file__).parent))
    main(sys.argv[1:] or ["directories", "feature_space", "preprocessing"])
