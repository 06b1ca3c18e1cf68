"""`Model.get_state_tree` / `set_state_tree` against Keras 3.15.1: the same nested layout
(what Orbax checkpoints store), and values that round-trip."""

import numpy as np
import pytest

import neokeras

keras = pytest.importorskip("keras")

_X = np.random.default_rng(0).random((16, 3)).astype("float32")
_Y = _X.sum(axis=1, keepdims=True)


def _functional(k):
    inputs = k.Input((3,))
    hidden = k.layers.BatchNormalization(name="bn")(k.layers.Dense(4, name="d1")(inputs))
    return k.Model(inputs, k.layers.Dense(1, name="d2")(hidden), name="net")


def _sequential(k):
    return k.Sequential([k.Input((3,)), k.layers.Dense(4, name="d1"),
                         k.layers.Dense(1, name="d2")], name="seq")


def _trained(k, build):
    model = build(k)
    model.compile(k.optimizers.Adam(0.01), "mse", metrics=["mae", k.metrics.AUC(name="auc")])
    model.fit(_X, _Y, epochs=1, batch_size=8, verbose=0)
    return model


def _layout(tree):
    if isinstance(tree, dict):
        return {key: _layout(value) for key, value in tree.items()}
    return tuple(tree.shape), str(tree.dtype)


@pytest.mark.parametrize("build", [_functional, _sequential], ids=["functional", "sequential"])
@pytest.mark.parametrize("value_format", ["backend_tensor", "numpy_array"])
def test_state_tree_layout_matches_keras(build, value_format):
    ours = _trained(neokeras, build).get_state_tree(value_format)
    assert _layout(ours) == _layout(_trained(keras, build).get_state_tree(value_format))
    leaf = ours["trainable_variables"]["d1"]["kernel"] if build is _functional \
        else ours["trainable_variables"]["seq"]["d1"]["kernel"]
    assert isinstance(leaf, np.ndarray) == (value_format == "numpy_array")


def test_set_state_tree_assigns_every_group_and_ignores_unknown_paths():
    source = _trained(neokeras, _functional)
    neokeras.backend.clear_session()  # the second optimizer is "adam" too, as the paths say
    target = _trained(neokeras, _functional)
    tree = source.get_state_tree("numpy_array")
    tree["trainable_variables"]["not_a_layer"] = {"kernel": np.zeros(3)}
    target.set_state_tree(tree)
    ours = target.get_state_tree("numpy_array")
    expected = source.get_state_tree("numpy_array")
    for group in expected:
        flat_ours = neokeras.tree.flatten(ours[group])
        flat_expected = neokeras.tree.flatten(expected[group])
        assert len(flat_ours) == len(flat_expected) > 0
        for a, b in zip(flat_ours, flat_expected):
            np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(target.predict(_X, verbose=0), source.predict(_X, verbose=0))


def test_state_tree_errors():
    model = _trained(neokeras, _functional)
    with pytest.raises(ValueError, match="value_format"):
        model.get_state_tree("list")
    with pytest.raises(ValueError, match="unknown variable group 'weights'"):
        model.set_state_tree({"weights": {}})
