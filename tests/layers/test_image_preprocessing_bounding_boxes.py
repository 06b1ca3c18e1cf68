"""Bounding boxes and segmentation masks through the augmentation layers, against Keras 3.15.1.

The transformation Keras draws (`get_random_transformation`) is applied by both frameworks,
so images, boxes and masks must agree exactly where Keras's box rule is sound; where
Keras 3.15.1 has a bug (noted in the layers) the boxes are checked by hand.
"""

import copy
import warnings

import numpy as np
import pytest

import neokeras as nk

keras = pytest.importorskip("keras")

RNG = np.random.default_rng(1)
IMAGES = (RNG.random((3, 9, 11, 3)) * 255).astype("float32")
MASKS = RNG.integers(0, 3, (3, 9, 11, 1)).astype("float32")
BOXES = np.array([[[1, 2, 5, 6], [0, 0, 11, 9], [6, 1, 10, 4], [0, 0, 0, 0]],
                  [[2, 3, 4, 8], [3, 3, 9, 7], [1, 1, 2, 2], [5, 0, 11, 3]],
                  [[0, 4, 3, 9], [4, 4, 7, 6], [8, 2, 10, 8], [1, 5, 6, 8]]], "float32")
LABELS = np.array([[0, 1, 2, -1], [1, 1, 0, 2], [2, 0, 1, 1]], "int32")

# name, kwargs, box formats where Keras's rule is sound
CASES = [
    ("RandomFlip", {}, ("xyxy", "xywh", "rel_yxyx")),
    ("RandomFlip", {"mode": "horizontal"}, ("center_xywh",)),
    ("RandomFlip", {"mode": "vertical"}, ("xyxy",)),
    ("RandomTranslation", {"height_factor": 0.3, "width_factor": (-0.4, 0.2)},
     ("xyxy", "yxyx", "rel_xywh")),
    ("RandomZoom", {"height_factor": 0.3}, ("xyxy", "center_yxhw")),
    ("RandomZoom", {"height_factor": (-0.4, -0.2), "width_factor": (0.1, 0.3)}, ("xyxy",)),
    ("RandomRotation", {"factor": 0.2}, ("xyxy",)),
    ("RandomRotation", {"factor": (0.1, 0.4), "fill_mode": "constant"}, ("xyxy",)),
    ("RandomShear", {"x_factor": 0.3, "y_factor": (0.1, 0.2)}, ("xyxy", "xywh")),
    ("RandomShear", {"y_factor": 0.4}, ("rel_xyxy",)),
    ("RandomPerspective", {"factor": 0.9, "scale": 0.5}, ("xyxy",)),
    ("CenterCrop", {"height": 5, "width": 7}, ("xyxy", "yxyx")),
    ("CenterCrop", {"height": 12, "width": 8}, ("xyxy", "rel_xyxy")),
    ("Resizing", {"height": 5, "width": 7}, ("xyxy", "xywh")),
    ("Resizing", {"height": 6, "width": 6, "crop_to_aspect_ratio": True}, ("xyxy",)),
    ("Resizing", {"height": 6, "width": 4, "pad_to_aspect_ratio": True}, ("xyxy",)),
    ("RandomBrightness", {"factor": 0.3}, ("xyxy",)),
    ("RandomContrast", {"factor": 0.4}, ("xywh",)),
    ("RandomErasing", {"factor": 0.8}, ("xyxy",)),
    ("AugMix", {"seed": 3}, ("xyxy",)),
    ("Equalization", {}, ("xyxy",)),
]
PARAMS = [(name, kwargs, fmt) for name, kwargs, formats in CASES for fmt in formats]
IDS = [f"{name}-{i}-{fmt}" for i, (name, _, fmt) in enumerate(PARAMS)]


def _in_format(fmt, boxes=BOXES):
    return np.asarray(keras.utils.bounding_boxes.convert_format(
        boxes, "xyxy", fmt, height=IMAGES.shape[1], width=IMAGES.shape[2]))


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def _ours_transformation(name, transformation, shape):
    if name == "RandomCrop":
        return (*transformation, (shape[1], shape[2]))
    return transformation


@pytest.mark.parametrize("name,kwargs,fmt", PARAMS, ids=IDS)
def test_same_transformation_moves_boxes_as_keras(name, kwargs, fmt):
    kwargs = dict(kwargs, bounding_box_format=fmt)
    ours, theirs = getattr(nk.layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)
    boxes = {"boxes": _in_format(fmt), "labels": LABELS}
    data = {"images": IMAGES, "bounding_boxes": copy.deepcopy(boxes)}
    transformation = _quiet(theirs.get_random_transformation, data, training=True)
    expected = _quiet(theirs.transform_bounding_boxes, copy.deepcopy(boxes), transformation,
                      training=True)
    got = ours.transform_bounding_boxes(
        {k: nk.ops.convert_to_tensor(v) for k, v in boxes.items()}, transformation,
        training=True)
    np.testing.assert_allclose(np.asarray(got["boxes"]), np.asarray(expected["boxes"]),
                               rtol=1e-5, atol=1e-4)
    np.testing.assert_array_equal(np.asarray(got["labels"]), np.asarray(expected["labels"]))
    # Masks move with the same transformation as Keras's.
    want = _quiet(theirs.transform_segmentation_masks, MASKS, transformation, training=True)
    mine = ours.transform_segmentation_masks(nk.ops.convert_to_tensor(MASKS), transformation,
                                             training=True)
    np.testing.assert_allclose(np.asarray(mine), np.asarray(want), atol=1e-4)
    config = ours.get_config()
    assert config["bounding_box_format"] == fmt
    assert config == {**config, **{k: v for k, v in theirs.get_config().items()
                                   if k in ("bounding_box_format", "data_format")}}


CALL_CASES = [("RandomFlip", {"seed": 4}), ("RandomZoom", {"height_factor": 0.3, "seed": 4}),
              ("RandomTranslation", {"height_factor": 0.2, "width_factor": 0.2, "seed": 4}),
              ("Resizing", {"height": 5, "width": 7}), ("CenterCrop", {"height": 5, "width": 7})]


@pytest.mark.parametrize("name,kwargs", CALL_CASES)
def test_call_moves_images_boxes_and_masks_together(name, kwargs):
    layer = getattr(nk.layers, name)(bounding_box_format="xyxy", **kwargs)
    data = {"images": IMAGES, "segmentation_masks": MASKS,
            "bounding_boxes": {"boxes": BOXES, "labels": LABELS}}
    out = layer(data, training=True)
    assert set(out) == set(data) and data["bounding_boxes"]["boxes"] is BOXES  # not mutated
    boxes = np.asarray(out["bounding_boxes"]["boxes"])
    h, w = np.asarray(out["images"]).shape[1:3]
    assert boxes.shape == BOXES.shape and (boxes >= 0).all()
    assert (boxes[..., 0::2] <= w).all() and (boxes[..., 1::2] <= h).all()
    # One image (rank 3) goes through as a batch of one.
    single = layer({"images": IMAGES[0], "bounding_boxes": {"boxes": BOXES[0],
                                                            "labels": LABELS[0]}})
    assert np.asarray(single["bounding_boxes"]["boxes"]).shape == BOXES[0].shape
    assert np.asarray(single["bounding_boxes"]["labels"]).shape == LABELS[0].shape
    if name.startswith("Random"):
        same = layer(data, training=False)
        np.testing.assert_array_equal(np.asarray(same["bounding_boxes"]["boxes"]), BOXES)


def test_flip_moves_a_box_to_the_mirrored_place():
    layer = nk.layers.RandomFlip("horizontal", bounding_box_format="xyxy")
    flips = {"flips": np.array([True, False])[:, None, None, None], "input_shape": (2, 4, 10, 1)}
    out = layer.transform_bounding_boxes({"boxes": np.array([[[1., 0, 3, 2]]] * 2),
                                          "labels": np.zeros((2, 1), "int32")}, flips)
    np.testing.assert_allclose(np.asarray(out["boxes"]), [[[7, 0, 9, 2]], [[1, 0, 3, 2]]])


def test_random_crop_boxes_follow_the_pixels():
    # (Keras 3.15.1 swaps the offsets; with equal offsets and inner boxes it agrees.)
    kwargs = {"height": 5, "width": 6, "bounding_box_format": "xyxy"}
    ours, theirs = nk.layers.RandomCrop(**kwargs), keras.layers.RandomCrop(**kwargs)
    boxes = {"boxes": np.array([[[3, 3, 5, 6], [2, 4, 7, 5]]], "float32"),
             "labels": np.array([[1, 2]], "int32")}
    expected = _quiet(theirs.transform_bounding_boxes, copy.deepcopy(boxes), (2, 2))
    got = ours.transform_bounding_boxes(boxes, (2, 2, (9, 11)))
    np.testing.assert_allclose(np.asarray(got["boxes"]), np.asarray(expected["boxes"]))
    # Offsets (top=1, left=3): a box is shifted by (3, 1) and clipped to the 5x6 crop.
    got = ours.transform_bounding_boxes({"boxes": np.array([[[4., 2, 10, 4], [0, 0, 2, 9]]]),
                                         "labels": np.array([[1, 2]])}, (1, 3, (9, 11)))
    np.testing.assert_allclose(np.asarray(got["boxes"]), [[[1, 1, 6, 3], [0, 0, 0, 5]]])
    np.testing.assert_array_equal(np.asarray(got["labels"]), [[1, -1]])
    # The pixels agree: a one-pixel box marks where the crop puts that pixel.
    image = np.zeros((1, 9, 11, 1), "float32")
    image[0, 6, 8] = 1.0
    crop = nk.layers.RandomCrop(5, 6, seed=3, bounding_box_format="xyxy")
    out = crop({"images": image, "bounding_boxes": {"boxes": np.array([[[8., 6, 9, 7]]]),
                                                    "labels": np.array([[0]])}})
    y, x = np.argwhere(np.asarray(out["images"])[0, ..., 0] == 1.0)[0]
    x1, y1 = np.asarray(out["bounding_boxes"]["boxes"])[0, 0, :2]
    assert (x1, y1) == (x, y)


def test_mix_up_boxes_gain_the_partner_boxes():
    layer = nk.layers.MixUp(bounding_box_format="xyxy")
    transformation = {"permutation_order": np.array([2, 0, 1]), "mix_weight": np.ones(3)}
    out = layer.transform_bounding_boxes({"boxes": BOXES, "labels": LABELS}, transformation)
    theirs = keras.layers.MixUp(bounding_box_format="xyxy")
    expected = _quiet(theirs.transform_bounding_boxes,
                      {"boxes": BOXES, "labels": LABELS}, transformation)
    np.testing.assert_array_equal(np.asarray(out["boxes"]), np.asarray(expected["boxes"]))
    np.testing.assert_array_equal(np.asarray(out["labels"]),
                                  np.concatenate([LABELS, LABELS[[2, 0, 1]]], axis=1))


def test_rand_augment_boxes_follow_the_chosen_steps():
    layer = nk.layers.RandAugment(num_ops=2, factor=0.3, seed=5, bounding_box_format="xyxy")
    data = {"images": IMAGES, "bounding_boxes": {"boxes": BOXES, "labels": LABELS}}
    transformation = layer.get_random_transformation(data)
    out = layer.transform_bounding_boxes({"boxes": BOXES, "labels": LABELS}, transformation)
    expected = {"boxes": BOXES, "labels": LABELS}
    names = list(transformation["transforms"])
    for i in np.asarray(transformation["layer_idxes"]):
        step = getattr(layer, names[i])
        expected = step.transform_bounding_boxes(expected, transformation["transforms"][names[i]])
    np.testing.assert_allclose(np.asarray(out["boxes"]), np.asarray(expected["boxes"]),
                               atol=1e-5)


@pytest.mark.parametrize("max_number,single", [(2, False), (6, False), (3, True)])
def test_max_num_bounding_boxes_matches_keras(max_number, single):
    kwargs = {"max_number": max_number, "bounding_box_format": "xyxy"}
    ours, theirs = nk.layers.MaxNumBoundingBoxes(**kwargs), keras.layers.MaxNumBoundingBoxes(
        **kwargs)
    images, boxes, labels = (IMAGES[0], BOXES[0], LABELS[0]) if single else (IMAGES, BOXES,
                                                                                LABELS)
    data = {"images": images, "bounding_boxes": {"boxes": boxes, "labels": labels}}
    expected = _quiet(theirs, copy.deepcopy(data))
    got = ours(data)
    for key in ("boxes", "labels"):
        np.testing.assert_array_equal(np.asarray(got["bounding_boxes"][key]),
                                      np.asarray(expected["bounding_boxes"][key]))
    np.testing.assert_array_equal(np.asarray(got["images"]), images)
    config = ours.get_config()
    assert config == {**theirs.get_config(), "name": config["name"], "fill_value": -1}
    assert nk.layers.MaxNumBoundingBoxes.from_config(config).get_config() == config
    shape = ours.compute_output_shape({"images": images.shape, "bounding_boxes": {
        "boxes": (3, 4, 4), "labels": (3, 4)}})
    assert shape["bounding_boxes"] == {"boxes": (3, max_number, 4), "labels": (3, max_number)}


def test_ragged_box_lists_are_padded():
    layer = nk.layers.MaxNumBoundingBoxes(3, bounding_box_format="xyxy")
    out = layer({"images": IMAGES[:2], "bounding_boxes": {
        "boxes": [[[1, 1, 2, 2]], [[0, 0, 1, 1], [2, 2, 3, 3]]], "labels": [[4], [5, 6]]}})
    np.testing.assert_array_equal(np.asarray(out["bounding_boxes"]["labels"]),
                                  [[4, -1, -1], [5, 6, -1]])
    np.testing.assert_array_equal(np.asarray(out["bounding_boxes"]["boxes"])[0, 1], [0, 0, 0, 0])


def test_bounding_box_errors_are_clear():
    data = {"images": IMAGES, "bounding_boxes": {"boxes": BOXES, "labels": LABELS}}
    with pytest.raises(ValueError, match="bounding_box_format"):
        nk.layers.RandomFlip()(data)
    with pytest.raises(ValueError, match="'boxes' and 'labels'"):
        nk.layers.RandomFlip(bounding_box_format="xyxy")(
            {"images": IMAGES, "bounding_boxes": {"boxes": BOXES}})
    with pytest.raises(NotImplementedError, match="CutMix"):
        nk.layers.CutMix(bounding_box_format="xyxy")(data)
    with pytest.raises(ValueError, match="max_number"):
        nk.layers.MaxNumBoundingBoxes(0)


def test_keras_files_keep_box_formats_both_ways(tmp_path):
    def layers(lib):
        return [lib.Input((9, 11, 3)), lib.layers.RandomFlip(bounding_box_format="xywh"),
                lib.layers.MaxNumBoundingBoxes(3, bounding_box_format="xywh")]

    nk.Sequential(layers(nk)).save(tmp_path / "ours.keras")
    loaded = _quiet(keras.saving.load_model, tmp_path / "ours.keras")
    assert [getattr(layer, "bounding_box_format", None) for layer in loaded.layers] == [
        "xywh", "xywh"]
    assert loaded.layers[1].max_number == 3
    _quiet(keras.Sequential(layers(keras)).save, tmp_path / "theirs.keras")
    model = nk.saving.load_model(tmp_path / "theirs.keras")
    assert [layer.bounding_box_format for layer in model.layers] == ["xywh", "xywh"]
    np.testing.assert_array_equal(np.asarray(model.predict(IMAGES, verbose=0)), IMAGES)
