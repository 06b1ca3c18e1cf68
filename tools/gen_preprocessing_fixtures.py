"""tf-keras 2.21 outputs of `keras.preprocessing.{text,sequence,image}` on fixed inputs and seeds.

Called by tools/gen_data_fixtures.py (see there for how to run it). The inputs are stored with
the outputs (texts) or rebuilt by the tests from the same seeds (images: `images()`).
"""

import json
import os
import pathlib
import random

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
TREE = ROOT / "tests" / "utils" / "data" / "tree" / "images"

TEXTS = ["The cat sat on the mat.", "The dog ate my homework!", "Cats and dogs, cats & DOGS?",
         "", "a b c a b a\tnew-line\nend", "Übermäßig schöne Wörter; the end"]
NEW_TEXTS = ["the cat and the unknown bird", "homework homework mat", "zzz"]
TOKENIZERS = [{}, {"num_words": 5}, {"num_words": 6, "oov_token": "<unk>"}, {"char_level": True},
              {"lower": False, "filters": "", "split": " "}, {"oov_token": "?"}]
WORD_SEQUENCES = [{}, {"lower": False}, {"filters": "aeiou", "split": "t"}, {"split": ","}]

TIMESERIES = [{"length": 3}, {"length": 4, "sampling_rate": 2, "stride": 3, "batch_size": 5},
              {"length": 2, "start_index": 4, "end_index": 20, "reverse": True, "batch_size": 3},
              {"length": 5, "shuffle": True, "batch_size": 4}]
SKIPGRAMS = [{}, {"window_size": 2, "negative_samples": 0.5, "seed": 3},
             {"categorical": True, "shuffle": False}, {"sampling_table": True, "seed": 1}]

GENERATORS = [
    {"rotation_range": 30},
    {"width_shift_range": 0.2, "height_shift_range": 2, "fill_mode": "constant", "cval": 7.0},
    {"width_shift_range": [-2, 1, 3], "height_shift_range": [0.1, 0.3]},
    {"shear_range": 20, "zoom_range": 0.3, "fill_mode": "reflect"},
    {"zoom_range": [0.7, 1.2], "horizontal_flip": True, "vertical_flip": True, "fill_mode": "wrap"},
    {"channel_shift_range": 40.0, "brightness_range": [0.5, 1.5]},
    {"rescale": 1 / 255.0, "samplewise_center": True, "samplewise_std_normalization": True},
    {"featurewise_center": True, "featurewise_std_normalization": True, "rotation_range": 10},
    {"zca_whitening": True},
    {"rotation_range": 15, "data_format": "channels_first", "interpolation_order": 0},
]


def images(shape=(6, 8, 9, 3), seed=0):
    return np.random.default_rng(seed).uniform(0, 255, shape).astype("float32")


def text_fixtures():
    from tf_keras.preprocessing import text

    out = {"texts": TEXTS, "new_texts": NEW_TEXTS, "tokenizers": [], "word_sequences": [],
           "hashing": []}
    for kwargs in TOKENIZERS:
        tok = text.Tokenizer(**kwargs)
        tok.fit_on_texts(TEXTS)
        seqs = tok.texts_to_sequences(NEW_TEXTS + TEXTS)
        config = json.loads(tok.to_json())["config"]
        out["tokenizers"].append({
            "kwargs": kwargs, "word_index": tok.word_index,
            "word_counts": list(tok.word_counts.items()), "document_count": tok.document_count,
            "index_docs": {str(k): v for k, v in tok.index_docs.items()},
            "sequences": seqs, "texts": tok.sequences_to_texts(seqs),
            "matrices": {mode: tok.texts_to_matrix(NEW_TEXTS + TEXTS, mode=mode).tolist()
                         for mode in ("binary", "count", "tfidf", "freq")},
            "json": tok.to_json(), "config_keys": sorted(config)})
    for kwargs in WORD_SEQUENCES:
        out["word_sequences"].append({"kwargs": kwargs, "words": [
            text.text_to_word_sequence(t, **kwargs) for t in TEXTS]})
    for n in (3, 10, 1000):
        out["hashing"].append({"n": n, "md5": [text.hashing_trick(t, n, hash_function="md5")
                                               for t in TEXTS]})
    return out


def sequence_fixtures():
    from tf_keras.preprocessing import sequence

    out = {"timeseries": [], "skipgrams": [], "sampling_table": {}}
    data = np.arange(60, dtype="float32").reshape(30, 2)
    targets = np.arange(30) * 10
    for kwargs in TIMESERIES:
        np.random.seed(5)
        gen = sequence.TimeseriesGenerator(data, targets, **kwargs)
        batches = [gen[i] for i in range(len(gen))]
        out["timeseries"].append({"kwargs": kwargs, "len": len(gen),
                                  "x": [b[0].tolist() for b in batches],
                                  "y": [b[1].tolist() for b in batches],
                                  "config": json.loads(gen.to_json())["config"]
                                  if not kwargs.get("shuffle") else None})
    for size in (1, 10, 100):
        out["sampling_table"][str(size)] = sequence.make_sampling_table(size).tolist()
    words = [1, 5, 0, 3, 3, 7, 2, 9, 0, 4, 6, 1]
    for kwargs in SKIPGRAMS:
        kwargs = dict(kwargs)
        if kwargs.get("sampling_table"):
            kwargs["sampling_table"] = sequence.make_sampling_table(10, sampling_factor=0.3)
        random.seed(42)
        couples, labels = sequence.skipgrams(words, 10, **kwargs)
        saved = {k: v for k, v in kwargs.items() if k != "sampling_table"}
        saved["sampling_table"] = "sampling_table" in kwargs
        out["skipgrams"].append({"kwargs": saved, "couples": couples, "labels": labels})
    return out


def image_fixtures(arrays):
    import pandas as pd
    from tf_keras.preprocessing import image

    meta = {"generators": [], "directory": [], "dataframe": []}
    x = images()
    y = np.arange(6) % 2
    for k, kwargs in enumerate(GENERATORS):
        gen = image.ImageDataGenerator(**kwargs)
        data = x.transpose(0, 3, 1, 2) if kwargs.get("data_format") == "channels_first" else x
        if any(kwargs.get(f) for f in ("featurewise_center", "featurewise_std_normalization",
                                       "zca_whitening")):
            gen.fit(data, augment=bool(kwargs.get("rotation_range")), rounds=2, seed=4)
            for stat in ("mean", "std", "zca_whitening_matrix"):
                if getattr(gen, stat) is not None:
                    arrays[f"gen{k}_{stat}"] = getattr(gen, stat)
        it = gen.flow(data, y, batch_size=4, seed=11, shuffle=True)
        for b in range(3):  # the 3rd batch starts epoch 2 (reshuffled)
            bx, by = next(it)
            arrays[f"gen{k}_b{b}_x"], arrays[f"gen{k}_b{b}_y"] = bx, by
        np.random.seed(2)
        arrays[f"gen{k}_random_transform"] = gen.random_transform(data[0].copy())
        meta["generators"].append(kwargs)
    np.random.seed(7)
    one = x[0].transpose(2, 0, 1)  # the functions default to channels first
    arrays["fn_rotation"] = image.random_rotation(one, 40)
    arrays["fn_shift"] = image.random_shift(one, 0.2, 0.3, fill_mode="constant")
    arrays["fn_shear"] = image.random_shear(one, 25)
    arrays["fn_zoom"] = image.random_zoom(one, (0.5, 1.5))
    arrays["fn_channel_shift"] = image.random_channel_shift(one, 30.0)
    arrays["fn_brightness"] = image.random_brightness(x[0], (0.3, 1.7))
    arrays["fn_affine"] = image.apply_affine_transform(
        x[0], theta=12, tx=1.5, ty=-2, shear=8, zx=0.9, zy=1.1, row_axis=0, col_axis=1,
        channel_axis=2, fill_mode="nearest", order=3)
    arrays["fn_brightness_noscale"] = image.apply_brightness_shift(x[0] * 2 - 100, 1.3, False)
    directory_cases = [
        {"target_size": (6, 7), "seed": 3},
        {"target_size": (5, 5), "color_mode": "grayscale", "class_mode": "sparse",
         "shuffle": False, "interpolation": "bilinear", "seed": 8},
        {"target_size": (6, 4), "class_mode": "binary", "classes": ["dogs", "cats"],
         "subset": "validation", "seed": 1, "keep_aspect_ratio": True},
        {"target_size": (6, 4), "class_mode": None, "subset": "training", "seed": 1},
        {"target_size": (4, 4), "color_mode": "rgba", "class_mode": "input", "seed": 9},
    ]
    for k, kwargs in enumerate(directory_cases):
        gen = image.ImageDataGenerator(rotation_range=20, horizontal_flip=True,
                                       validation_split=0.3, rescale=1 / 255.0)
        it = gen.flow_from_directory(str(TREE), batch_size=5, **kwargs)
        meta["directory"].append({"kwargs": kwargs, "filenames": it.filenames,
                                  "class_indices": it.class_indices,
                                  "classes": it.classes.tolist(), "len": len(it)})
        for b in range(len(it)):
            batch = it[b]
            batch = batch if isinstance(batch, tuple) else (batch,)
            for part, value in enumerate(batch):
                arrays[f"dir{k}_b{b}_{part}"] = value
    files = sorted(os.path.relpath(p, TREE) for p in TREE.glob("*/*.png"))
    frame = pd.DataFrame({"filename": files + ["missing.png"],
                          "class": [f.split("/")[0] for f in files] + ["cats"],
                          "score": np.arange(len(files) + 1, dtype="float32"),
                          "weight": np.linspace(0.5, 1.5, len(files) + 1)})
    frame.to_csv(ROOT / "tests" / "preprocessing" / "data" / "frame.csv", index=False)
    dataframe_cases = [
        {"target_size": (5, 6), "seed": 2},
        {"target_size": (5, 6), "class_mode": "raw", "y_col": "score", "shuffle": False,
         "weight_col": "weight", "seed": 6},
        {"target_size": (5, 6), "class_mode": "sparse", "classes": ["owls", "dogs"],
         "shuffle": False, "seed": 4},
        {"target_size": (5, 6), "class_mode": "categorical", "subset": "training", "seed": 5},
    ]
    for k, kwargs in enumerate(dataframe_cases):
        gen = image.ImageDataGenerator(zoom_range=0.2, validation_split=0.25)
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            it = gen.flow_from_dataframe(frame, str(TREE), batch_size=4, **kwargs)
        meta["dataframe"].append({"kwargs": kwargs, "filenames": it.filenames,
                                  "len": len(it),
                                  "class_indices": getattr(it, "class_indices", None)})
        for b in range(len(it)):
            for part, value in enumerate(it[b]):
                arrays[f"df{k}_b{b}_{part}"] = value
    return meta


def main(out_dir):
    out_dir = pathlib.Path(out_dir)
    (out_dir / "text.json").write_text(json.dumps(text_fixtures(), indent=1, ensure_ascii=False))
    (out_dir / "sequence.json").write_text(json.dumps(sequence_fixtures(), indent=1))
    arrays = {}
    meta = image_fixtures(arrays)
    (out_dir / "image.json").write_text(json.dumps(meta, indent=1))
    np.savez_compressed(out_dir / "image.npz", **arrays)
