"""keras.visualization against Keras 3.15.1: the drawn arrays are equal, and the galleries
saved with matplotlib's Agg backend are the same pictures."""

import warnings

import numpy as np
import pytest

import neokeras as nk

keras = pytest.importorskip("keras")

RNG = np.random.default_rng(5)
IMAGES = (RNG.random((4, 40, 48, 3)) * 255).astype("float32")
BOXES = {"boxes": np.array([[[2, 3, 20, 30], [25, 5, 45, 15]], [[0, 0, 47, 39], [5, 25, 9, 35]],
                            [[10, 10, 12, 12], [1, 1, 2, 2]], [[30, 20, 40, 38], [0, 0, 0, 0]]],
                           "float32"),
         "labels": np.array([[0, 1], [1, -1], [2, 0], [1, -1]], "int32")}
MASKS = RNG.integers(-1, 4, (4, 40, 48, 1)).astype("int32")


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


@pytest.mark.parametrize("kwargs", [
    {},
    {"class_mapping": {0: "cat", 1: "dog"}, "color": (255, 0, 0), "line_thickness": 1},
    {"class_mapping": {0: "a", 1: "b", 2: "c"}, "font_scale": 0.5, "text_thickness": 2},
])
@pytest.mark.parametrize("fmt,scale", [("xyxy", 1.0), ("rel_xywh", 1 / 255.0)])
def test_draw_bounding_boxes_matches_keras(kwargs, fmt, scale):
    pytest.importorskip("cv2")
    boxes = dict(BOXES, boxes=np.asarray(keras.utils.bounding_boxes.convert_format(
        BOXES["boxes"], "xyxy", fmt, height=40, width=48)))
    if "class_mapping" in kwargs:
        boxes["confidences"] = RNG.random((4, 2)).astype("float32")
    images = IMAGES * scale
    expected = _quiet(keras.visualization.draw_bounding_boxes, images, dict(boxes), fmt,
                      **kwargs)
    got = nk.visualization.draw_bounding_boxes(images, dict(boxes), fmt, **kwargs)
    assert got.dtype == np.uint8
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("kwargs", [
    {}, {"num_classes": 4, "alpha": 0.3}, {"num_classes": 3, "blend": False},
    {"num_classes": 2, "color_mapping": {0: (255, 0, 0), 1: (0, 0, 255)}, "ignore_index": 0},
])
def test_draw_segmentation_masks_matches_keras(kwargs):
    expected = np.asarray(_quiet(keras.visualization.draw_segmentation_masks, IMAGES, MASKS,
                                 **kwargs))
    got = np.asarray(nk.visualization.draw_segmentation_masks(IMAGES, MASKS, **kwargs))
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)
    first = np.moveaxis(IMAGES, -1, 1), np.moveaxis(MASKS, -1, 1)
    np.testing.assert_array_equal(np.asarray(nk.visualization.draw_segmentation_masks(
        *first, data_format="channels_first", **kwargs)), expected)


def test_draw_errors_are_clear():
    with pytest.raises(TypeError, match="integer"):
        nk.visualization.draw_segmentation_masks(IMAGES, MASKS.astype("float32"))
    with pytest.raises(ValueError, match="rank 4"):
        nk.visualization.draw_segmentation_masks(IMAGES[0], MASKS[0])
    pytest.importorskip("cv2")
    with pytest.raises(ValueError, match="'boxes' and 'labels'"):
        nk.visualization.draw_bounding_boxes(IMAGES, {"boxes": BOXES["boxes"]}, "xyxy")


def _png(fn, path, *args, **kwargs):
    import matplotlib.image

    _quiet(fn, *args, path=str(path), **kwargs)
    return matplotlib.image.imread(str(path))


@pytest.mark.parametrize("name,args,kwargs", [
    ("plot_image_gallery", (IMAGES,), {"y_true": np.array([0, 1, 1, 0]),
                                       "label_map": {0: "cat", 1: "dog"}}),
    ("plot_image_gallery", (IMAGES / 255.0,), {"value_range": (0, 1), "rows": 1, "cols": 3}),
    ("plot_bounding_box_gallery", (IMAGES, "xyxy"), {"y_true": BOXES, "y_pred": BOXES,
                                                     "class_mapping": {0: "a", 1: "b"},
                                                     "legend": True}),
    ("plot_segmentation_mask_gallery", (IMAGES, 4), {"y_true": MASKS, "y_pred": MASKS[::-1]}),
])
def test_galleries_are_the_same_pictures_as_keras(tmp_path, name, args, kwargs):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    if name == "plot_bounding_box_gallery":
        pytest.importorskip("cv2")
    expected = _png(getattr(keras.visualization, name), tmp_path / "theirs.png", *args,
                    **kwargs)
    got = _png(getattr(nk.visualization, name), tmp_path / "ours.png", *args, **kwargs)
    np.testing.assert_array_equal(got, expected)
    with pytest.raises(ValueError, match="path"):
        getattr(nk.visualization, name)(*args, path=str(tmp_path / "x.png"), show=True,
                                        **kwargs)
