"""`preprocessing.image` (ImageDataGenerator, iterators, transforms) against tf-keras 2.21.

Expected arrays were made by tools/gen_preprocessing_fixtures.py with the same inputs and seeds.
"""

import json
import os
import pathlib
import warnings

import numpy as np
import pytest

from neokeras import layers, models
from neokeras.preprocessing import image

pytest.importorskip("scipy")
pytest.importorskip("PIL")

DATA = pathlib.Path(__file__).parent / "data"
META = json.loads((DATA / "image.json").read_text())
ARRAYS = np.load(DATA / "image.npz")
TREE = pathlib.Path(__file__).parents[1] / "utils" / "data" / "tree" / "images"


def _images(shape=(6, 8, 9, 3), seed=0):
    return np.random.default_rng(seed).uniform(0, 255, shape).astype("float32")


def assert_close(actual, key, atol=1e-3):
    expected = ARRAYS[key]
    actual = np.asarray(actual)
    assert actual.shape == expected.shape, key
    np.testing.assert_allclose(actual, expected, atol=atol, rtol=1e-4, err_msg=key)


def _generator(kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the zca/featurewise notices
        return image.ImageDataGenerator(**kwargs)


@pytest.mark.parametrize("k", range(len(META["generators"])))
def test_flow_matches_tf_keras(k):
    kwargs = META["generators"][k]
    gen = _generator(kwargs)
    x = _images()
    data = x.transpose(0, 3, 1, 2) if kwargs.get("data_format") == "channels_first" else x
    if f"gen{k}_mean" in ARRAYS or f"gen{k}_zca_whitening_matrix" in ARRAYS:
        gen.fit(data, augment=bool(kwargs.get("rotation_range")), rounds=2, seed=4)
        for stat in ("mean", "std", "zca_whitening_matrix"):
            if f"gen{k}_{stat}" in ARRAYS:
                assert_close(getattr(gen, stat), f"gen{k}_{stat}", atol=1e-2)
    it = gen.flow(data, np.arange(6) % 2, batch_size=4, seed=11, shuffle=True)
    for b in range(3):
        bx, by = next(it)
        assert_close(bx, f"gen{k}_b{b}_x", atol=2e-2 if "zca_whitening" in kwargs else 1e-3)
        np.testing.assert_array_equal(by, ARRAYS[f"gen{k}_b{b}_y"])
    np.random.seed(2)
    assert_close(gen.random_transform(data[0].copy()), f"gen{k}_random_transform",
           atol=2e-2 if "zca_whitening" in kwargs else 1e-3)


def test_transform_functions_match_tf_keras():
    x = _images()
    one = x[0].transpose(2, 0, 1)
    np.random.seed(7)
    assert_close(image.random_rotation(one, 40), "fn_rotation")
    assert_close(image.random_shift(one, 0.2, 0.3, fill_mode="constant"), "fn_shift")
    assert_close(image.random_shear(one, 25), "fn_shear")
    assert_close(image.random_zoom(one, (0.5, 1.5)), "fn_zoom")
    assert_close(image.random_channel_shift(one, 30.0), "fn_channel_shift")
    assert_close(image.random_brightness(x[0], (0.3, 1.7)), "fn_brightness")
    assert_close(image.apply_affine_transform(x[0], theta=12, tx=1.5, ty=-2, shear=8, zx=0.9, zy=1.1,
                                        row_axis=0, col_axis=1, channel_axis=2, order=3),
           "fn_affine")
    assert_close(image.apply_brightness_shift(x[0] * 2 - 100, 1.3, False), "fn_brightness_noscale",
           atol=1e-2)


@pytest.mark.parametrize("k", range(len(META["directory"])))
def test_flow_from_directory_matches_tf_keras(k, capsys):
    case = META["directory"][k]
    kwargs = {key: tuple(v) if key == "target_size" else v for key, v in case["kwargs"].items()}
    gen = image.ImageDataGenerator(rotation_range=20, horizontal_flip=True,
                                   validation_split=0.3, rescale=1 / 255.0)
    it = gen.flow_from_directory(str(TREE), batch_size=5, **kwargs)
    assert it.filenames == case["filenames"]
    assert it.class_indices == case["class_indices"]
    assert it.classes.tolist() == case["classes"]
    assert len(it) == case["len"]
    assert "Found" in capsys.readouterr().out
    for b in range(len(it)):
        batch = it[b]
        batch = batch if isinstance(batch, tuple) else (batch,)
        for part, value in enumerate(batch):
            assert_close(value, f"dir{k}_b{b}_{part}")


@pytest.mark.parametrize("k", range(len(META["dataframe"])))
def test_flow_from_dataframe_matches_tf_keras(k):
    pd = pytest.importorskip("pandas")
    case = META["dataframe"][k]
    frame = pd.read_csv(DATA / "frame.csv")
    kwargs = {key: tuple(v) if key == "target_size" else v for key, v in case["kwargs"].items()}
    gen = image.ImageDataGenerator(zoom_range=0.2, validation_split=0.25)
    with pytest.warns(UserWarning, match="invalid image filename"):
        it = gen.flow_from_dataframe(frame, str(TREE), batch_size=4, **kwargs)
    assert it.filenames == case["filenames"] and len(it) == case["len"]
    if case["class_indices"] is not None:
        assert it.class_indices == case["class_indices"]
    for b in range(len(it)):
        for part, value in enumerate(it[b]):
            assert_close(value, f"df{k}_b{b}_{part}")


def test_flow_feeds_fit():
    gen = image.ImageDataGenerator(rotation_range=10, rescale=1 / 255.0)
    x, y = _images((16, 8, 9, 3)), np.eye(2)[np.arange(16) % 2]
    model = models.Sequential([layers.Input((8, 9, 3)), layers.Flatten(),
                               layers.Dense(2, activation="softmax")])
    model.compile("adam", "categorical_crossentropy")
    history = model.fit(gen.flow(x, y, batch_size=4, seed=1), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_flow_subset_and_extra_inputs():
    gen = image.ImageDataGenerator(validation_split=0.5)
    x, y = _images(), np.array([0, 1, 0, 1, 0, 1])
    extra = np.arange(6.0)
    it = gen.flow((x, extra), y, batch_size=3, shuffle=False, subset="training")
    (bx, bextra), by = it[0]
    np.testing.assert_array_equal(bextra, [3.0, 4.0, 5.0])
    np.testing.assert_array_equal(by, [1, 0, 1])
    with pytest.raises(ValueError, match="different classes"):
        gen.flow(x, np.array([0, 0, 0, 1, 1, 1]), subset="training")


def test_save_to_dir(tmp_path):
    gen = image.ImageDataGenerator()
    it = gen.flow(_images(), batch_size=2, shuffle=False, save_to_dir=str(tmp_path),
                  save_prefix="aug", save_format="png")
    it[0]
    saved = sorted(os.listdir(tmp_path))
    assert len(saved) == 2 and all(name.startswith("aug_") for name in saved)


@pytest.mark.parametrize("call, match", [
    (lambda: image.ImageDataGenerator(zoom_range=(1, 2, 3)), "zoom_range"),
    (lambda: image.ImageDataGenerator(brightness_range=0.5), "brightness_range"),
    (lambda: image.ImageDataGenerator(validation_split=1.5), "validation_split"),
    (lambda: image.ImageDataGenerator(data_format="nhwc"), "data_format"),
    (lambda: image.ImageDataGenerator().flow(np.zeros((2, 3, 3))), "rank-4"),
    (lambda: image.ImageDataGenerator().flow(np.zeros((2, 3, 3, 1)), np.zeros(3)), "same length"),
    (lambda: image.ImageDataGenerator().fit(np.zeros((3, 3, 1))), "rank-4"),
    (lambda: image.ImageDataGenerator().flow_from_directory("/no/such/dir"), "does not exist"),
    (lambda: image.apply_affine_transform(np.zeros((2, 2)), theta=3), "3D"),
])
def test_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()
