"""Ops of every group used on `Input`s build functional models that run, save their config
with Keras's op modules, and reload."""

import json

import numpy as np

import neokeras as keras
from neokeras import ops


def test_ops_of_every_group_in_a_functional_model():
    images = keras.Input((6, 8, 3), name="images")
    resized = ops.image.resize(images, (3, 4), interpolation="bicubic")   # image
    gray = ops.image.rgb_to_grayscale(resized)
    flat = ops.numpy.reshape(gray, (-1, 12))                               # numpy
    gated = ops.nn.glu(ops.numpy.concatenate([flat, flat], axis=-1))       # nn
    norms = ops.linalg.norm(gated, axis=-1, keepdims=True)                 # linalg
    top, _ = ops.top_k(gated, 2)                                           # math
    out = ops.concatenate([top, norms, ops.cumsum(norms, axis=0)], axis=-1)
    model = keras.Model(images, out)
    assert model.output_shape == (None, 4)

    data = np.random.default_rng(0).uniform(size=(5, 6, 8, 3)).astype("float32")
    eager_gray = ops.image.rgb_to_grayscale(ops.image.resize(data, (3, 4),
                                                              interpolation="bicubic"))
    eager_flat = ops.reshape(eager_gray, (-1, 12))
    eager_gated = ops.glu(ops.concatenate([eager_flat, eager_flat], axis=-1))
    eager_norms = ops.norm(eager_gated, axis=-1, keepdims=True)
    expected = np.concatenate([np.asarray(ops.top_k(eager_gated, 2)[0]), eager_norms,
                               np.cumsum(eager_norms, axis=0)], axis=-1)
    np.testing.assert_allclose(model.predict(data, verbose=0), expected, rtol=1e-5, atol=1e-6)

    config = json.loads(json.dumps(model.get_config()))
    modules = {entry["config"]["name"].rstrip("_0123456789"): entry["module"]
               for entry in config["layers"][1:]}
    assert modules["resize"] == "keras.src.ops.image"
    assert modules["glu"] == "keras.src.ops.nn"
    assert modules["norm"] == "keras.src.ops.linalg"
    assert modules["top_k"] == "keras.src.ops.math"
    clone = keras.Model.from_config(config)
    np.testing.assert_allclose(clone.predict(data, verbose=0), expected, rtol=1e-5, atol=1e-6)


def test_data_dependent_shapes_are_unknown():
    x = keras.Input((4,))
    rows, cols = ops.nonzero(x > 0)
    assert rows.shape == (None,) and cols.shape == (None,)
    assert str(rows.dtype) == "int32"
