"""RandomElasticTransform and ContrastLimitedAdaptiveHistogramEqualization against Keras 3.15.1.

CLAHE is deterministic: outputs must match Keras's. For the elastic transform, the
transformation Keras draws is applied by both layers with an int noise seed (Keras's
`[seed, 0]` key), so the displacement fields, and so the outputs, must agree.
"""

import json
import warnings

import numpy as np
import pytest

import neokeras as nk

keras = pytest.importorskip("keras")

RNG = np.random.default_rng(3)
IMAGES = (RNG.random((2, 13, 10, 3)) * 255).astype("float32")
MASKS = RNG.integers(0, 4, (2, 13, 10, 1)).astype("float32")
CLAHE = "ContrastLimitedAdaptiveHistogramEqualization"


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def _plain(config):
    return json.loads(json.dumps(config))


def _same_config(ours, theirs):
    config = ours.get_config()
    assert _plain(config) == _plain({**theirs.get_config(), "name": config["name"]})
    assert _plain(type(ours).from_config(config).get_config()) == _plain(config)


@pytest.mark.parametrize("kwargs", [
    {}, {"clip_limit": 0}, {"clip_limit": 2.0, "tile_grid_size": (3, 4)},
    {"tile_grid_size": (1, 1)}, {"value_range": (0, 1), "tile_grid_size": (2, 2)},
    {"data_format": "channels_first", "tile_grid_size": (4, 3)}])
def test_clahe_matches_keras(kwargs):
    x = IMAGES / 255.0 if kwargs.get("value_range") == (0, 1) else IMAGES
    if kwargs.get("data_format") == "channels_first":
        x = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    ours, theirs = getattr(nk.layers, CLAHE)(**kwargs), getattr(keras.layers, CLAHE)(**kwargs)
    expected = np.asarray(_quiet(theirs, x))
    for training in (True, False):
        np.testing.assert_allclose(np.asarray(ours(x, training=training)), expected,
                                   rtol=1e-5, atol=1e-3)
    np.testing.assert_allclose(np.asarray(ours(x[0])), np.asarray(_quiet(theirs, x[0])),
                               rtol=1e-5, atol=1e-3)
    _same_config(ours, theirs)


def test_clahe_flattens_the_histogram_of_a_low_contrast_image():
    x = (100 + RNG.random((1, 16, 16, 1)) * 20).astype("float32")
    out = np.asarray(getattr(nk.layers, CLAHE)(tile_grid_size=(2, 2), clip_limit=0)(x))
    assert np.ptp(out) > 5 * np.ptp(x)
    with pytest.raises(ValueError, match="tile_grid_size"):
        getattr(nk.layers, CLAHE)(tile_grid_size=(0, 2))


ELASTIC = [
    {"factor": (1.0, 1.0)},
    {"factor": (1.0, 1.0), "scale": 0.5, "fill_mode": "constant", "fill_value": 3.0},
    {"factor": (1.0, 1.0), "scale": (0.3, 0.6), "interpolation": "nearest",
     "fill_mode": "mirror"},
    {"factor": (1.0, 1.0), "fill_mode": "wrap", "data_format": "channels_first"},
    {"factor": 0.5, "value_range": (0, 1)},
]


@pytest.mark.parametrize("kwargs", ELASTIC)
def test_elastic_transform_with_keras_transformation_matches(kwargs):
    x = IMAGES / 255.0 if kwargs.get("value_range") == (0, 1) else IMAGES
    masks = MASKS
    if kwargs.get("data_format") == "channels_first":
        x, masks = (np.ascontiguousarray(np.moveaxis(v, -1, 1)) for v in (x, masks))
    ours = nk.layers.RandomElasticTransform(**kwargs)
    theirs = keras.layers.RandomElasticTransform(**kwargs)
    for seed in (7, 12):
        transformation = dict(_quiet(theirs.get_random_transformation, x, training=True),
                              seed=seed)
        expected = np.asarray(_quiet(theirs.transform_images, x, transformation))
        got = np.asarray(ours.transform_images(x, transformation))
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-3)
        expected = np.asarray(_quiet(theirs.transform_segmentation_masks, masks,
                                     transformation))
        got = np.asarray(ours.transform_segmentation_masks(masks, transformation))
        np.testing.assert_allclose(got, expected, atol=1e-4)
    _same_config(ours, theirs)


def test_elastic_transform_trains_seeded_and_is_identity_in_inference():
    layer = nk.layers.RandomElasticTransform(factor=(1.0, 1.0), scale=(0.2, 0.8), seed=5)
    np.testing.assert_array_equal(np.asarray(layer(IMAGES, training=False)), IMAGES)
    out = np.asarray(layer(IMAGES, training=True))
    assert out.shape == IMAGES.shape and not np.allclose(out, IMAGES)
    assert out.min() >= 0 and out.max() <= 255
    again = nk.layers.RandomElasticTransform(factor=(1.0, 1.0), scale=(0.2, 0.8), seed=5)
    np.testing.assert_array_equal(np.asarray(again(IMAGES, training=True)), out)
    # Images and masks move by the same field: a mask equal to the image moves with it.
    nearest = nk.layers.RandomElasticTransform(factor=(1.0, 1.0), interpolation="nearest",
                                               seed=2)
    data = nearest({"images": IMAGES[..., :1], "segmentation_masks": IMAGES[..., :1]})
    np.testing.assert_array_equal(np.asarray(data["images"]),
                                  np.asarray(data["segmentation_masks"]))
    assert not np.array_equal(np.asarray(data["images"]), IMAGES[..., :1])
    # Inside a compiled model (drawn scale traced) it trains.
    model = nk.Sequential([nk.Input((13, 10, 3)), layer, nk.layers.Flatten(),
                           nk.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(IMAGES / 255.0, np.ones((2, 1)), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    with pytest.raises(ValueError, match="scale"):
        nk.layers.RandomElasticTransform(scale=1.5)
    with pytest.raises(NotImplementedError, match="fill_mode"):
        nk.layers.RandomElasticTransform(fill_mode="bogus")


def test_keras_files_both_ways(tmp_path):
    def layers(lib):
        return [lib.Input((13, 10, 3)),
                getattr(lib.layers, CLAHE)(clip_limit=2.0, tile_grid_size=(3, 2)),
                lib.layers.RandomElasticTransform(factor=0.7, scale=(0.1, 0.5), seed=4)]

    nk.Sequential(layers(nk)).save(tmp_path / "ours.keras")
    theirs = _quiet(keras.saving.load_model, tmp_path / "ours.keras")
    _quiet(keras.Sequential(layers(keras)).save, tmp_path / "theirs.keras")
    ours = nk.saving.load_model(tmp_path / "theirs.keras")
    for a, b in zip(ours.layers, theirs.layers):
        assert _plain(a.get_config()) == _plain(b.get_config())
    # Inference: CLAHE applies, the elastic transform passes the images through.
    np.testing.assert_allclose(ours.predict(IMAGES, verbose=0),
                               np.asarray(_quiet(theirs.predict, IMAGES, verbose=0)),
                               rtol=1e-5, atol=1e-3)
