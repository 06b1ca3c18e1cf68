"""`utils.bounding_boxes` against Keras 3.15.1 on the same boxes."""

import numpy as np
import pytest

from neokeras.utils import bounding_boxes as ours
from neokeras.utils.bounding_boxes.converters import SUPPORTED_FORMATS

keras = pytest.importorskip("keras")
theirs = keras.utils.bounding_boxes
RNG = np.random.default_rng(0)


def _boxes(shape):
    xy = RNG.uniform(0, 40, shape[:-1] + (2,))
    wh = RNG.uniform(1, 30, shape[:-1] + (2,))
    return np.concatenate([xy, xy + wh], axis=-1).astype("float32")


def assert_close(a, b, atol=1e-4):
    if isinstance(b, dict):
        for key in b:
            assert_close(a[key], b[key], atol)
        return
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), atol=atol, rtol=1e-5)


PAIRS = ([(f, "xyxy") for f in SUPPORTED_FORMATS] + [("xyxy", f) for f in SUPPORTED_FORMATS]
         + [("rel_xywh", "rel_yxyx"), ("center_yxhw", "rel_center_xywh"), ("yxyx", "xywh")])


@pytest.mark.parametrize("source, target", PAIRS)
def test_convert_format(source, target):
    boxes = _boxes((2, 3, 4))
    kwargs = {"height": 50, "width": 80}
    assert_close(ours.convert_format(boxes, source, target, **kwargs),
           theirs.convert_format(boxes, source, target, **kwargs))


def test_convert_dict_and_errors():
    boxes = {"boxes": _boxes((3, 4)), "labels": np.arange(3)}
    out = ours.convert_format(dict(boxes), "xyxy", "xywh")
    assert_close(out["boxes"], theirs.convert_format(dict(boxes), "xyxy", "xywh")["boxes"])
    with pytest.raises(ValueError, match="height and width"):
        ours.convert_format(_boxes((2, 4)), "xyxy", "rel_xyxy")
    with pytest.raises(ValueError, match="formats"):
        ours.convert_format(_boxes((2, 4)), "xyxy", "cxcywh")
    with pytest.raises(ValueError, match="last dimension of 4"):
        ours.convert_format(np.zeros((2, 3)), "xyxy", "xywh")


@pytest.mark.parametrize("fmt, size", [("xyxy", (30, 45)), ("rel_xyxy", (None, None))])
def test_clip_to_image_size(fmt, size):
    boxes = _boxes((2, 4, 4)) - 10
    if fmt == "rel_xyxy":
        boxes = boxes / 40
    data = {"boxes": boxes, "labels": np.arange(8).reshape(2, 4)}
    assert_close(ours.clip_to_image_size(dict(data), *size, bounding_box_format=fmt),
           theirs.clip_to_image_size(dict(data), *size, bounding_box_format=fmt))


def test_crop_pad_affine():
    boxes = _boxes((2, 3, 4))
    assert_close(ours.crop(boxes, 5, 7, 30, 25), theirs.crop(boxes, 5, 7, 30, 25))
    assert_close(ours.pad(boxes, 5, 7), theirs.pad(boxes, 5, 7))
    args = [np.array([10.0, -25.0]), np.array([0.1, -0.05]), np.array([0.0, 0.2]),
            np.array([1.1, 0.8]), np.array([5.0, 0.0]), np.array([0.0, -8.0]), 60, 70]
    assert_close(ours.affine_transform(boxes, *args), theirs.affine_transform(boxes, *args), 1e-3)
    assert_close(ours.affine_transform(boxes, *args, center_x=0.3, center_y=0.6),
           theirs.affine_transform(boxes, *args, center_x=0.3, center_y=0.6), 1e-3)


@pytest.mark.parametrize("encoding", ["center_yxhw", "center_xywh"])
@pytest.mark.parametrize("variance", [None, [0.1, 0.1, 0.2, 0.2]])
def test_encode_decode(encoding, variance):
    anchors, boxes = _boxes((5, 4)), _boxes((5, 4))
    deltas = ours.encode_box_to_deltas(anchors, boxes, "xyxy", "xyxy", encoding, variance)
    assert_close(deltas, theirs.encode_box_to_deltas(anchors, boxes, "xyxy", "xyxy", encoding, variance))
    decoded = ours.decode_deltas_to_boxes(anchors, deltas, "xyxy", "xywh", encoding, variance)
    assert_close(decoded, theirs.decode_deltas_to_boxes(anchors, np.asarray(deltas), "xyxy", "xywh",
                                                  encoding, variance))
    levels = ours.decode_deltas_to_boxes({"p3": anchors}, {"p3": deltas}, "xyxy", "xyxy",
                                         encoding, variance)
    assert_close(levels["p3"], boxes, 1e-3)
    with pytest.raises(ValueError, match="length 4"):
        ours.encode_box_to_deltas(anchors, boxes, "xyxy", "xyxy", variance=[1.0, 2.0])


@pytest.mark.parametrize("shapes", [((4, 4), (6, 4)), ((2, 4, 4), (2, 5, 4)), ((2, 4, 4), (5, 4))])
@pytest.mark.parametrize("fmt", ["xyxy", "yxyx", "center_xywh", "rel_xyxy"])
def test_compute_iou(shapes, fmt):
    b1, b2 = _boxes(shapes[0]), _boxes(shapes[1])
    b1[..., 0, :] = -1  # a padding box
    kwargs = {"image_shape": (50, 60, 3)} if fmt.startswith("rel") else {}
    assert_close(ours.compute_iou(b1, b2, fmt, **kwargs), theirs.compute_iou(b1, b2, fmt, **kwargs))
    masked = ours.compute_iou(b1, b2, fmt, use_masking=True, mask_val=-5, **kwargs)
    if len(shapes[0]) == len(shapes[1]):  # Keras's masking fails on mixed ranks
        assert_close(masked, theirs.compute_iou(b1, b2, fmt, use_masking=True, mask_val=-5, **kwargs))
    assert np.all(np.asarray(masked)[..., 0, :] == -5)


@pytest.mark.parametrize("fmt", ["xyxy", "xywh"])
def test_compute_ciou(fmt):
    b1, b2 = _boxes((3, 5, 4)), _boxes((3, 5, 4))
    assert_close(ours.compute_ciou(b1, b2, fmt), theirs.compute_ciou(b1, b2, fmt))
    with pytest.raises(ValueError, match="relative"):
        ours.compute_ciou(b1, b2, "rel_xyxy")
