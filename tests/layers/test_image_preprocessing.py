"""Image preprocessing and augmentation layers against real Keras 3.15.1 on JAX.

Keras's random draws come from its own seed streams, so exact equality is checked where
the output is deterministic given the parameters: the transformation Keras draws
(`get_random_transformation`) is applied by both layers (`transform_images`). Our own draws
are checked for inference identity, seeded determinism and value ranges.
"""

import inspect
import json
import random
import warnings

import numpy as np
import pytest

import neokeras as nk

keras = pytest.importorskip("keras")

RNG = np.random.default_rng(0)
IMAGES = (RNG.random((3, 9, 11, 3)) * 255).astype("float32")

# name, kwargs, whether the output equals the input in inference, shape in training
CASES = [
    ("RandomFlip", {}, True),
    ("RandomFlip", {"mode": "horizontal"}, True),
    ("RandomFlip", {"mode": "vertical", "data_format": "channels_first"}, True),
    ("RandomRotation", {"factor": 0.2}, True),
    ("RandomRotation", {"factor": (-0.3, 0.1), "fill_mode": "constant", "fill_value": 7.0,
                        "interpolation": "nearest"}, True),
    ("RandomRotation", {"factor": 0.2, "fill_mode": "wrap",
                        "data_format": "channels_first"}, True),
    ("RandomTranslation", {"height_factor": 0.2, "width_factor": (-0.3, 0.1)}, True),
    ("RandomTranslation", {"height_factor": 0.2, "width_factor": 0.2, "fill_mode": "nearest"},
     True),
    ("RandomZoom", {"height_factor": 0.3}, True),
    ("RandomZoom", {"height_factor": (-0.3, -0.1), "width_factor": 0.2,
                    "fill_mode": "constant"}, True),
    ("RandomCrop", {"height": 5, "width": 6, "seed": 3}, True),
    ("RandomCrop", {"height": 12, "width": 6, "seed": 3}, True),
    ("RandomContrast", {"factor": 0.5}, True),
    ("RandomContrast", {"factor": (0.2, 0.6), "value_range": (0, 1)}, True),
    ("RandomBrightness", {"factor": 0.3}, True),
    ("RandomBrightness", {"factor": (-0.2, 0.5), "value_range": (0, 1)}, True),
    ("Resizing", {"height": 5, "width": 7}, False),
    ("Resizing", {"height": 6, "width": 6, "crop_to_aspect_ratio": True}, False),
    ("Resizing", {"height": 6, "width": 4, "pad_to_aspect_ratio": True, "fill_value": 3.0},
     False),
    ("Resizing", {"height": 4, "width": 4, "interpolation": "nearest", "antialias": True},
     False),
    ("CenterCrop", {"height": 5, "width": 7}, False),
    ("CenterCrop", {"height": 12, "width": 8}, False),
    ("RandomGrayscale", {"factor": 0.7}, True),
    ("RandomGrayscale", {"factor": 1.0, "data_format": "channels_first"}, True),
    ("RandomInvert", {"factor": 0.6}, True),
    ("Solarization", {"addition_factor": 0.3, "threshold_factor": (0.2, 0.8)}, True),
    ("Solarization", {"threshold_factor": 0.5, "value_range": (0, 1)}, True),
    ("RandomPosterization", {"factor": (1, 5)}, True),
    ("RandomPosterization", {"factor": 3, "value_range": (0, 1)}, True),
    ("AutoContrast", {}, False),
    ("AutoContrast", {"value_range": (0, 1)}, False),
    ("RandomHue", {"factor": 0.4}, True),
    ("RandomHue", {"factor": (0.1, 0.9), "value_range": (0, 1),
                   "data_format": "channels_first"}, True),
    ("RandomSaturation", {"factor": 0.8}, True),
    ("RandomSaturation", {"factor": (0.2, 0.6), "value_range": (0, 1)}, True),
    ("RandomColorDegeneration", {"factor": 0.7}, True),
    ("RandomSharpness", {"factor": (0.1, 0.9)}, True),
    ("RandomSharpness", {"factor": 0.5, "data_format": "channels_first"}, True),
    ("Equalization", {}, True),
    ("Equalization", {"value_range": (0, 1), "bins": 32}, True),
    ("RandomShear", {"x_factor": 0.3, "y_factor": (0.1, 0.2)}, True),
    ("RandomShear", {"y_factor": 0.4, "fill_mode": "constant",
                     "data_format": "channels_first"}, True),
    ("MixUp", {"alpha": 0.4}, True),
    ("CutMix", {"factor": 0.8}, True),
    ("RandomErasing", {"factor": 0.7}, True),
    ("RandomErasing", {"scale": (0.1, 0.4), "fill_value": 9.0}, True),
    ("RandomErasing", {"fill_value": 4.0, "data_format": "channels_first"}, True),
    ("RandomGaussianBlur", {"factor": 0.8, "sigma": (0.2, 0.9)}, True),
    ("RandomGaussianBlur", {"kernel_size": (3, 5), "data_format": "channels_first"}, True),
    ("RandAugment", {"num_ops": 3, "factor": 0.4, "seed": 2}, True),
    ("RandomPerspective", {"factor": 0.8, "scale": 0.5}, True),
    ("RandomPerspective", {"interpolation": "nearest", "fill_value": 5.0,
                           "data_format": "channels_first"}, True),
    ("AugMix", {"num_chains": 2, "chain_depth": 2, "seed": 4}, True),
    ("AugMix", {"all_ops": False, "alpha": 0.5, "factor": (0.1, 0.4)}, True),
]
IDS = [f"{name}-{i}" for i, (name, _, _) in enumerate(CASES)]


def _images(kwargs):
    if kwargs.get("data_format") == "channels_first":
        return np.ascontiguousarray(np.moveaxis(IMAGES, -1, 1))
    return IMAGES


def _plain(config):
    return json.loads(json.dumps(config))


@pytest.mark.parametrize("name,kwargs,identity", CASES, ids=IDS)
def test_same_transformation_gives_keras_output(name, kwargs, identity):
    x = _images(kwargs)
    ours, theirs = getattr(nk.layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)
    for data in (x, x[0]):
        with warnings.catch_warnings():  # Keras's own int64 requests warn on JAX
            warnings.simplefilter("ignore")
            transformation = theirs.get_random_transformation(data, training=True)
        # A single image is transformed as a batch of one (Keras's transform_single_image).
        batch = data if data.ndim == 4 else data[None]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = np.asarray(theirs.transform_images(batch, transformation, training=True))
        got = np.asarray(ours.transform_images(nk.ops.convert_to_tensor(batch), transformation,
                                               training=True))
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-3)
    assert ours.compute_output_shape(x.shape) == tuple(theirs.compute_output_shape(x.shape))
    config = ours.get_config()
    expected_config = {**theirs.get_config(), "name": config["name"]}
    if name == "RandomCrop":
        assert config["seed"] == kwargs["seed"]
    assert _plain(config) == _plain(expected_config)
    clone = type(ours).from_config(config)
    assert _plain(clone.get_config()) == _plain(config)


@pytest.mark.parametrize("name,kwargs,identity", CASES, ids=IDS)
def test_inference_identity_training_shape_and_seeded_determinism(name, kwargs, identity):
    x = _images(kwargs)
    layer = getattr(nk.layers, name)(**kwargs)
    keras_layer = getattr(keras.layers, name)(**kwargs)
    inference = np.asarray(layer(x, training=False))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        keras_inference = np.asarray(keras_layer(x, training=False))
        keras_trained = np.asarray(keras_layer(x, training=True))
    np.testing.assert_allclose(inference, keras_inference, rtol=1e-5, atol=1e-3)
    if identity:
        np.testing.assert_array_equal(inference, x)
    trained = np.asarray(layer(x, training=True))
    assert trained.shape == keras_trained.shape
    assert np.isfinite(trained).all()
    if "seed" in inspect.signature(getattr(nk.layers, name).__init__).parameters:
        seeded = dict(kwargs, seed=11)
        random.seed(0)  # AugMix picks its chains with Python's random module, as Keras does
        a = np.asarray(getattr(nk.layers, name)(**seeded)(x, training=True))
        random.seed(0)
        b = np.asarray(getattr(nk.layers, name)(**seeded)(x, training=True))
        np.testing.assert_array_equal(a, b)


def test_random_draws_cover_the_factor_range():
    layer = nk.layers.RandomBrightness(factor=(-0.2, 0.5), seed=1)
    deltas = np.concatenate([np.asarray(layer.get_random_transformation(
        IMAGES, training=True)["rgb_delta"]).ravel() for _ in range(200)]) / 255.0
    assert deltas.min() >= -0.2 and deltas.max() <= 0.5
    assert deltas.min() < -0.15 and deltas.max() > 0.45
    flips = nk.layers.RandomFlip(seed=2)
    share = np.mean([np.asarray(flips.get_random_transformation(IMAGES)["flips"]).mean()
                     for _ in range(100)])
    assert 0.4 < share < 0.6


def test_augmentation_layers_train_in_a_compiled_model():
    model = nk.Sequential([
        nk.Input((9, 11, 3)), nk.layers.RandomFlip(seed=1), nk.layers.RandomRotation(0.1, seed=2),
        nk.layers.RandomZoom(0.1, seed=3), nk.layers.RandomContrast(0.2, seed=4),
        nk.layers.Resizing(6, 6), nk.layers.Flatten(), nk.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    y = RNG.random((3, 2)).astype("float32")
    state_before = [np.asarray(v.numpy()) for v in model.non_trainable_variables]
    history = model.fit(IMAGES / 255.0, y, epochs=2, batch_size=3, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    state_after = [np.asarray(v.numpy()) for v in model.non_trainable_variables]
    # The seed generators advanced inside the compiled step.
    assert any(not np.array_equal(a, b) for a, b in zip(state_before, state_after))
    out = model.predict(IMAGES / 255.0, verbose=0)
    np.testing.assert_array_equal(out, model.predict(IMAGES / 255.0, verbose=0))


def test_bad_arguments_fail_early():
    with pytest.raises(ValueError, match="factor"):
        nk.layers.RandomRotation(factor=(0.1, 0.2, 0.3))
    with pytest.raises(NotImplementedError, match="fill_mode"):
        nk.layers.RandomZoom(0.1, fill_mode="bogus")
    with pytest.raises(ValueError, match="mode"):
        nk.layers.RandomFlip(mode="diagonal")
    with pytest.raises(ValueError, match="rank 3"):
        nk.layers.RandomFlip()(np.zeros((2, 3)))


def test_random_color_jitter_matches_its_steps_and_keras_config():
    kwargs = {"brightness_factor": 0.2, "contrast_factor": 0.3, "saturation_factor": 0.4,
              "hue_factor": 0.1, "seed": 5}
    ours = nk.layers.RandomColorJitter(**kwargs)
    theirs = keras.layers.RandomColorJitter(**kwargs)
    config = ours.get_config()
    assert _plain(config) == _plain({**theirs.get_config(), "name": config["name"]})
    np.testing.assert_array_equal(np.asarray(ours(IMAGES, training=False)), IMAGES)
    out = np.asarray(ours(IMAGES, training=True))
    assert out.shape == IMAGES.shape and out.min() >= 0 and out.max() <= 255
    again = np.asarray(nk.layers.RandomColorJitter(**kwargs)(IMAGES, training=True))
    np.testing.assert_array_equal(out, again)


def test_mixing_layers_mix_labels_with_the_image_weights():
    labels = np.eye(3, dtype="float32")
    for layer in (nk.layers.MixUp(seed=3), nk.layers.CutMix(seed=3)):
        out = layer({"images": IMAGES, "labels": labels}, training=True)
        mixed = np.asarray(out["labels"])
        np.testing.assert_allclose(mixed.sum(axis=1), 1.0, rtol=1e-5)
        assert np.asarray(out["images"]).shape == IMAGES.shape
        same = layer({"images": IMAGES, "labels": labels}, training=False)
        np.testing.assert_array_equal(np.asarray(same["labels"]), labels)


@pytest.mark.parametrize("name,axis", [("RandomHeight", 1), ("RandomWidth", 2)])
def test_keras2_random_height_and_width(name, axis):
    cls = getattr(nk.layers, name)
    assert getattr(nk.layers.experimental.preprocessing, name) is cls
    layer = cls(factor=(-0.5, 0.4), seed=3)
    np.testing.assert_array_equal(np.asarray(layer(IMAGES, training=False)), IMAGES)
    sizes = {np.asarray(layer(IMAGES, training=True)).shape[axis] for _ in range(8)}
    base = IMAGES.shape[axis]
    assert len(sizes) > 1 and all(int(base * 0.5) <= s <= int(base * 1.4) for s in sizes)
    # A tf-keras 2.21 config (with its rng_type key) loads.
    config = {"name": "r", "trainable": True, "dtype": "float32", "rng_type": "stateful",
              "factor": 0.3, "interpolation": "bilinear", "seed": 1}
    assert cls.from_config(config).get_config()["factor"] == 0.3
    flip = nk.layers.RandomFlip.from_config({"name": "f", "mode": "horizontal", "seed": None,
                                            "rng_type": "stateful"})
    assert flip.mode == "horizontal"
    with pytest.raises(ValueError, match="factor"):
        cls(factor=(-1.5, 0.2))


def test_keras2_preprocessing_layer_base_adapts_in_batches():
    class Mean(nk.layers.experimental.preprocessing.PreprocessingLayer):
        def reset_state(self):
            self.total, self.count = 0.0, 0

        def update_state(self, data):
            self.total += float(np.sum(data))
            self.count += int(np.size(data))

        def call(self, x):
            return x - self.total / self.count

    layer = Mean()
    assert not layer.is_adapted
    layer.adapt(np.arange(100.0), batch_size=7)
    assert layer.is_adapted and layer.count == 100
    np.testing.assert_allclose(np.asarray(layer(np.array([49.5]))), [0.0])


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_random_erasing_per_channel_fill(data_format):
    # (Keras 3.15.1 itself fails on a per-channel fill_value; the fill is checked directly.)
    x = np.zeros((2, 3, 8, 8), "float32") if data_format == "channels_first" else \
        np.zeros((2, 8, 8, 3), "float32")
    layer = nk.layers.RandomErasing(factor=(1.0, 1.0), fill_value=(10.0, 20.0, 30.0),
                                    scale=(0.3, 0.3),
                                    data_format=data_format, seed=1)
    out = np.asarray(layer(x, training=True))
    values = set(np.unique(np.moveaxis(out, 1, -1) if data_format == "channels_first"
                           else out).tolist())
    assert values <= {0.0, 10.0, 20.0, 30.0} and len(values) == 4
