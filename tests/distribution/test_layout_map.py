"""`LayoutMap`: regex keys on variable paths, checked against real Keras 3.15.1."""

import pytest

from neokeras import distribution as dist

KEYS = {".*dense.*kernel": (None, "model"), ".*dense.*bias": ("model",),
        ".*conv2d.*kernel": (None, None, None, "model"), "exact/path": ("model", None)}
PATHS = ["dense_1/kernel", "dense_1/bias", "my_model/conv2d_123/kernel", "my_model/conv3d_1/bias",
         "exact/path", "xdense/kernel_2", "dense/kernel"]


def _fill(module):
    mesh = module.DeviceMesh((2,), ["model"], module.list_devices()[:2])
    layout_map = module.LayoutMap(mesh)
    for key, axes in KEYS.items():
        layout_map[key] = axes
    return layout_map


def _lookup(layout_map, path):
    try:
        layout = layout_map[path]
    except ValueError:
        return "ValueError"
    return None if layout is None else layout.axes


@pytest.mark.parametrize("path", PATHS)
def test_lookup_matches_keras(path):
    keras = pytest.importorskip("keras")
    assert _lookup(_fill(dist), path) == _lookup(_fill(keras.distribution), path)


def test_ambiguous_path_and_duplicate_key_raise():
    layout_map = _fill(dist)
    layout_map[".*kernel"] = (None, None)
    with pytest.raises(ValueError, match="matches several keys"):
        layout_map["dense_1/kernel"]
    with pytest.raises(ValueError, match="already set"):
        layout_map["exact/path"] = (None, None)
    with pytest.raises(ValueError, match="TensorLayouts or tuples"):
        layout_map["other"] = "model"


def test_mapping_protocol_and_mesh_filled_in():
    layout_map = _fill(dist)
    assert list(layout_map) == list(KEYS) and len(layout_map) == 4
    assert layout_map.get("nothing/here") is None
    assert layout_map["exact/path"].device_mesh is layout_map.device_mesh
    del layout_map["exact/path"]
    assert "exact/path" not in list(layout_map) and len(layout_map) == 3
