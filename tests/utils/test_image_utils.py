"""Image files and arrays: load/save/convert against real Keras; resize against Keras (JAX)."""

import io

import numpy as np
import pytest

from neokeras.utils import image_utils

keras = pytest.importorskip("keras")
Image = pytest.importorskip("PIL.Image")
RNG = np.random.default_rng(3)


@pytest.fixture
def png(tmp_path):
    path = tmp_path / "x.png"
    Image.fromarray(RNG.integers(0, 256, (13, 21, 3), dtype=np.uint8)).save(path)
    return path


@pytest.mark.parametrize("kwargs", [
    {}, {"color_mode": "grayscale"}, {"color_mode": "rgba"},
    {"target_size": (7, 9)}, {"target_size": (7, 9), "interpolation": "bilinear"},
    {"target_size": (10, 10), "interpolation": "lanczos", "keep_aspect_ratio": True},
    {"target_size": (5, 12), "interpolation": "bicubic", "keep_aspect_ratio": True},
])
def test_load_img_matches_keras(png, kwargs):
    ours = image_utils.load_img(png, **kwargs)
    theirs = keras.utils.load_img(str(png), **kwargs)
    assert ours.mode == theirs.mode and ours.size == theirs.size
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))
    from_bytes = image_utils.load_img(io.BytesIO(png.read_bytes()), **kwargs)
    np.testing.assert_array_equal(np.asarray(from_bytes), np.asarray(theirs))


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("shape", [(5, 6, 3), (5, 6, 1), (5, 6, 4), (5, 6)])
def test_array_conversions_match_keras(data_format, shape):
    x = RNG.uniform(-3, 900, shape).astype("float32")
    if len(shape) == 2:
        img = Image.fromarray(x.astype("uint8"))
        np.testing.assert_array_equal(image_utils.img_to_array(img, data_format),
                                      keras.utils.img_to_array(img, data_format))
        return
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 0)
    for scale in (True, False):
        ours = image_utils.array_to_img(x, data_format, scale=scale)
        theirs = keras.utils.array_to_img(x, data_format, scale=scale)
        assert ours.mode == theirs.mode
        np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))
    back = image_utils.img_to_array(ours, data_format, dtype="float64")
    np.testing.assert_array_equal(back, keras.utils.img_to_array(theirs, data_format, "float64"))


@pytest.mark.parametrize("name", ["a.png", "a.jpg", "a.bmp"])
def test_save_img_round_trip(tmp_path, name):
    x = RNG.integers(0, 256, (6, 7, 3)).astype("float32")
    image_utils.save_img(tmp_path / name, x, scale=False)
    keras.utils.save_img(str(tmp_path / f"k_{name}"), x, scale=False)
    np.testing.assert_array_equal(np.asarray(Image.open(tmp_path / name)),
                                  np.asarray(Image.open(tmp_path / f"k_{name}")))


def test_save_rgba_as_jpeg_warns(tmp_path):
    with pytest.warns(UserWarning, match="alpha"):
        image_utils.save_img(tmp_path / "a.jpg", np.ones((4, 4, 4)))


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest", "lanczos3", "lanczos5"])
@pytest.mark.parametrize("shape, size", [((13, 21, 3), (8, 8)), ((2, 9, 5, 1), (12, 20)),
                                         ((4, 4, 2), (4, 4))])
def test_smart_resize_matches_keras(interpolation, shape, size):
    x = RNG.uniform(0, 255, shape).astype("float32")
    ours = image_utils.smart_resize(x, size, interpolation=interpolation)
    theirs = keras.preprocessing.image.smart_resize(x, size, interpolation=interpolation)
    np.testing.assert_allclose(ours, np.asarray(theirs), atol=2e-3, rtol=1e-5)


def test_corrupt_file_is_named(tmp_path):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"garbage")
    with pytest.raises(ValueError, match="bad.png"):
        image_utils.load_img(bad)


@pytest.mark.parametrize("call, match", [
    (lambda: image_utils.load_img(io.BytesIO(b""), color_mode="cmyk"), "color_mode"),
    (lambda: image_utils.array_to_img(np.zeros((2, 2))), "rank 3"),
    (lambda: image_utils.array_to_img(np.zeros((2, 2, 2))), "channels"),
    (lambda: image_utils.img_to_array(np.zeros((2, 2, 2, 2))), "rank 2 or 3"),
    (lambda: image_utils.smart_resize(np.zeros((2, 2)), (1, 1)), "batch"),
])
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
