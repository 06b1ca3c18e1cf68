"""`image/text/audio_dataset_from_directory` and `timeseries_dataset_from_array` against Keras.

The expected outputs were produced by Keras 3.15.1 (TensorFlow backend) on the files under
data/tree by tools/gen_data_fixtures.py.
"""

import json
import os
import pathlib
import shutil
import wave

import numpy as np
import pytest

from neokeras import layers, models, utils

DATA = pathlib.Path(__file__).parent / "data"
TREE = DATA / "tree"
META = json.loads((DATA / "directory_datasets.json").read_text())
ARRAYS = np.load(DATA / "directory_datasets.npz")


def _rel(paths, base):
    return [os.path.relpath(p, base) for p in paths]


def _collect(ds):
    xs, ys = [], []
    for batch in ds:
        if isinstance(batch, tuple):
            xs.append(batch[0])
            ys.append(batch[1])
        else:
            xs.append(batch)
    return xs, ys


def _kwargs(case):
    return {k: tuple(v) if k == "image_size" and isinstance(v, list) else v
            for k, v in case.items()}


@pytest.mark.parametrize("k", range(len(META["image"])))
def test_image_dataset_matches_keras(k):
    entry = META["image"][k]
    kwargs = {"image_size": (10, 12), "batch_size": 5, **_kwargs(entry["kwargs"]),
              "shuffle": False, "verbose": False}
    ds = utils.image_dataset_from_directory(TREE / "images", **kwargs)
    assert ds.class_names == entry["class_names"]
    assert _rel(ds.file_paths, TREE / "images") == entry["file_paths"]
    xs, ys = _collect(ds)
    x = np.concatenate(xs)
    expected = ARRAYS[f"image{k}_x"]
    assert x.shape == expected.shape and x.dtype == expected.dtype
    np.testing.assert_allclose(x, expected, atol=1e-3, rtol=1e-5)
    if f"image{k}_y" in ARRAYS:
        y = np.concatenate(ys)
        assert y.dtype == ARRAYS[f"image{k}_y"].dtype
        np.testing.assert_array_equal(y, ARRAYS[f"image{k}_y"])
    else:
        assert ys == []


@pytest.mark.parametrize("k", range(len(META["split"])))
def test_shuffle_seed_and_subsets_match_keras(k):
    entry = META["split"][k]
    result = utils.image_dataset_from_directory(TREE / "images", image_size=(4, 4),
                                                verbose=False, **entry["kwargs"])
    parts = result if isinstance(result, list) else [result]
    assert [_rel(p.file_paths, TREE / "images") for p in parts] == entry["file_paths"]
    assert parts[0].class_names == entry["class_names"]


def test_labels_follow_files_through_the_shuffle():
    ds = utils.image_dataset_from_directory(TREE / "images", image_size=(4, 4), seed=9,
                                            batch_size=4, verbose=False)
    order = ds._order
    labels = np.concatenate(_collect(ds)[1])
    names = [ds.file_paths[i].split(os.sep)[-2] if "nested" not in ds.file_paths[i] else "owls"
             for i in order]
    assert [ds.class_names[i] for i in labels] == names


def test_epochs_reshuffle_with_the_seed():
    def epochs(seed):
        ds = utils.image_dataset_from_directory(TREE / "images", image_size=(4, 4), seed=seed,
                                                batch_size=3, verbose=False)
        return [np.concatenate(_collect(ds)[0]) for _ in range(2)]

    a, b = epochs(1), epochs(1)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], a[1])
    np.testing.assert_array_equal(np.sort(a[0].ravel()), np.sort(a[1].ravel()))


@pytest.mark.parametrize("k", range(len(META["text"])))
def test_text_dataset_matches_keras(k):
    entry = META["text"][k]
    kwargs = {"shuffle": "seed" in entry["kwargs"], "verbose": False, "batch_size": 4,
              **entry["kwargs"]}
    result = utils.text_dataset_from_directory(TREE / "texts", **kwargs)
    parts = result if isinstance(result, list) else [result]
    assert [_rel(p.file_paths, TREE / "texts") for p in parts] == entry["file_paths"]
    assert parts[0].class_names == entry["class_names"]
    if "texts" in entry:
        xs, ys = _collect(parts[0])
        assert np.concatenate(xs).tolist() == entry["texts"]
        assert np.concatenate(ys).tolist() == entry["labels"]


@pytest.mark.parametrize("k", range(len(META["audio"])))
def test_audio_dataset_matches_keras(k):
    entry = META["audio"][k]
    ds = utils.audio_dataset_from_directory(TREE / "audio", shuffle=False, batch_size=3,
                                            verbose=False, **entry["kwargs"])
    assert ds.class_names == entry["class_names"]
    xs, ys = _collect(ds)
    assert len(xs) == entry["batches"]
    for b, (x, y) in enumerate(zip(xs, ys)):
        expected = ARRAYS[f"audio{k}_b{b}_x"]
        assert x.shape == expected.shape and x.dtype == expected.dtype
        np.testing.assert_allclose(x, expected, atol=1e-6)
        np.testing.assert_array_equal(y, ARRAYS[f"audio{k}_b{b}_y"])


def test_audio_ragged():
    ds = utils.audio_dataset_from_directory(TREE / "audio", shuffle=False, batch_size=3,
                                            ragged=True, verbose=False)
    x, _ = ds[0]
    assert x.dtype == object and [a.shape for a in x] == [(50, 1), (63, 1), (76, 1)]


@pytest.mark.parametrize("k", range(len(META["timeseries"])))
def test_timeseries_matches_keras(k):
    entry = META["timeseries"][k]
    data = np.arange(100, dtype="float32").reshape(50, 2)
    targets = np.arange(50) * 10 if entry["targets"] else None
    ds = utils.timeseries_dataset_from_array(data, targets, **entry["kwargs"])
    xs, ys = _collect(ds)
    assert [len(x) for x in xs] == entry["batch_sizes"]
    np.testing.assert_array_equal(np.concatenate(xs), ARRAYS[f"ts{k}_x"])
    if entry["targets"]:
        np.testing.assert_array_equal(np.concatenate(ys), ARRAYS[f"ts{k}_y"])


def test_timeseries_shuffle_is_a_seeded_permutation():
    data = np.arange(40)
    ds = utils.timeseries_dataset_from_array(data, data, 4, batch_size=5, shuffle=True, seed=2)
    again = utils.timeseries_dataset_from_array(data, data, 4, batch_size=5, shuffle=True, seed=2)
    x, y = (np.concatenate(v) for v in _collect(ds))
    np.testing.assert_array_equal(x, np.concatenate(_collect(again)[0]))
    np.testing.assert_array_equal(x[:, 0], y)
    assert sorted(y.tolist()) == list(range(37)) and y.tolist() != list(range(37))


def test_fit_evaluate_predict_consume_the_dataset():
    ds = utils.image_dataset_from_directory(TREE / "images", image_size=(8, 8), batch_size=4,
                                            label_mode="categorical", seed=1, verbose=False)
    model = models.Sequential([layers.Input((8, 8, 3)), layers.Rescaling(1 / 255.0),
                               layers.Flatten(), layers.Dense(3, activation="softmax")])
    model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(ds, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert len(model.evaluate(ds, verbose=0)) == 2
    assert model.predict(ds.map(lambda x, y: x), verbose=0).shape == (16, 3)


def test_tf_data_style_methods():
    ds = utils.image_dataset_from_directory(TREE / "images", image_size=(4, 4), batch_size=4,
                                            seed=1, verbose=False).cache().prefetch(2)
    taken = ds.take(2)
    assert len(taken) == 2 and len(list(taken)) == 2
    mapped = ds.map(lambda x, y: (x / 255.0, y))
    x, _ = next(iter(mapped))
    assert x.max() <= 1.0
    assert len(list(ds.as_numpy_iterator())) == 4


@pytest.fixture
def tree_copy(tmp_path):
    dest = tmp_path / "images"
    shutil.copytree(TREE / "images", dest)
    return dest


def test_missing_directory_error(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        utils.image_dataset_from_directory(tmp_path / "nope")


def test_empty_class_folder_error(tree_copy):
    (tree_copy / "bats").mkdir()
    with pytest.raises(ValueError, match="class folder .*bats.* contains no files"):
        utils.image_dataset_from_directory(tree_copy, verbose=False)


def test_corrupt_image_is_named(tree_copy):
    bad = tree_copy / "cats" / "broken.png"
    bad.write_bytes(b"\x89PNG not really")
    ds = utils.image_dataset_from_directory(tree_copy, shuffle=False, batch_size=50,
                                            verbose=False)
    with pytest.raises(ValueError, match="broken.png"):
        ds[0]


def test_label_count_mismatch_error():
    with pytest.raises(ValueError, match="labels has 3 entries but 16 files"):
        utils.image_dataset_from_directory(TREE / "images", labels=[0, 1, 0], verbose=False)


@pytest.mark.parametrize("kwargs, match", [
    ({"label_mode": "sparse"}, "label_mode"),
    ({"color_mode": "cmyk"}, "color_mode"),
    ({"image_size": (1, 2, 3)}, "image_size"),
    ({"interpolation": "cubic"}, "interpolation"),
    ({"validation_split": 0.2}, "subset"),
    ({"validation_split": 0.2, "subset": "training"}, "seed"),
    ({"subset": "test", "validation_split": 0.2, "seed": 1}, "subset"),
    ({"label_mode": "binary"}, "exactly 2"),
    ({"class_names": ["cats", "zebras"]}, "class_names"),
    ({"crop_to_aspect_ratio": True, "pad_to_aspect_ratio": True}, "only one"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        utils.image_dataset_from_directory(TREE / "images", verbose=False, **kwargs)


def test_timeseries_bad_arguments():
    with pytest.raises(ValueError, match="start_index"):
        utils.timeseries_dataset_from_array(np.arange(10), None, 3, start_index=20)
    with pytest.raises(ValueError, match="sampling_rate"):
        utils.timeseries_dataset_from_array(np.arange(10), None, 3, sampling_rate=0)


def test_corrupt_wav_is_named(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "bad.wav").write_bytes(b"RIFF0000WAVE")
    with wave.open(str(tmp_path / "a" / "ok.wav"), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(8000)
        f.writeframes(b"\0\0" * 10)
    ds = utils.audio_dataset_from_directory(tmp_path, shuffle=False, verbose=False)
    with pytest.raises(ValueError, match="bad.wav"):
        ds[0]
