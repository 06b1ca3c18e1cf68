"""Activations: hand-computed values, real Keras 3 as an oracle, finite-difference gradients,
and name resolution."""

import math
import os

import numpy as np
import pytest

from neokeras import activations

X = np.array([[-3.0, -1.0, -0.25, 0.3, 1.0, 2.5]], "float32")
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _softplus(x):
    return np.log1p(np.exp(x))


def _softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


_erf = np.vectorize(math.erf)
REFERENCES = {
    "softmax": _softmax,
    "softplus": _softplus,
    "softsign": lambda x: x / (1 + np.abs(x)),
    "linear": lambda x: x,
    "tanh": np.tanh,
    "sigmoid": _sigmoid,
    "hard_sigmoid": lambda x: np.clip(x + 3, 0, 6) / 6,
    "elu": lambda x: np.where(x > 0, x, np.expm1(x)),
    "relu": lambda x: np.maximum(x, 0),
    "selu": lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(x)),
    "gelu": lambda x: 0.5 * x * (1 + _erf(x / np.sqrt(2))),
    "silu": lambda x: x * _sigmoid(x),
    "swish": lambda x: x * _sigmoid(x),
    "leaky_relu": lambda x: np.where(x > 0, x, 0.2 * x),
    "relu6": lambda x: np.clip(x, 0, 6),
    "exponential": np.exp,
    "mish": lambda x: x * np.tanh(_softplus(x)),
    "log_softmax": lambda x: np.log(_softmax(x)),
}
NAMES = sorted(REFERENCES)


@pytest.mark.parametrize("name", NAMES)
def test_against_hand_computed_values(name):
    out = activations.get(name)(X)
    np.testing.assert_allclose(np.asarray(out), REFERENCES[name](X.astype("float64")),
                               rtol=1e-5, atol=1e-6)


def test_selu_constants_are_keras_constants():
    assert activations.SELU_ALPHA == pytest.approx(SELU_ALPHA, abs=0)
    assert activations.SELU_SCALE == pytest.approx(SELU_SCALE, abs=0)


def test_hand_values_spot_checks():
    f = activations
    assert float(np.asarray(f.hard_sigmoid(np.float32(0.0)))) == 0.5
    assert float(np.asarray(f.relu6(np.float32(7.0)))) == 6.0
    assert float(np.asarray(f.softsign(np.float32(1.0)))) == 0.5
    assert float(np.asarray(f.softplus(np.float32(0.0)))) == pytest.approx(math.log(2))
    np.testing.assert_allclose(np.asarray(f.softmax(np.array([0.0, math.log(3.0)]))),
                               [0.25, 0.75], rtol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_against_real_keras(name):
    os.environ.setdefault("KERAS_BACKEND", "jax")
    keras = pytest.importorskip("keras")
    ours = np.asarray(activations.get(name)(X))
    theirs = np.asarray(keras.activations.get(name)(X))
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-6)


def test_relu_options_match_real_keras():
    os.environ.setdefault("KERAS_BACKEND", "jax")
    keras = pytest.importorskip("keras")
    x = np.linspace(-4, 8, 25).astype("float32")
    for kwargs in ({"negative_slope": 0.1}, {"max_value": 2.0}, {"threshold": 1.0},
                   {"negative_slope": 0.3, "max_value": 5.0, "threshold": 0.5}):
        np.testing.assert_allclose(np.asarray(activations.relu(x, **kwargs)),
                                   np.asarray(keras.activations.relu(x, **kwargs)),
                                   rtol=1e-6, atol=1e-6, err_msg=str(kwargs))
    np.testing.assert_allclose(np.asarray(activations.gelu(x, approximate=True)),
                               np.asarray(keras.activations.gelu(x, approximate=True)),
                               rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(np.asarray(activations.elu(x, alpha=0.5)),
                               np.asarray(keras.activations.elu(x, alpha=0.5)), rtol=1e-6)
    np.testing.assert_allclose(np.asarray(activations.softmax(X, axis=0)),
                               np.asarray(keras.activations.softmax(X, axis=0)), rtol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_gradient_matches_finite_differences(name):
    from jax.test_util import check_grads

    fn = activations.get(name)
    # Points away from the kinks (0 for relu-like, -3/3 for hard_sigmoid, 6 for relu6).
    x = np.array([[-2.2, -0.7, 0.4, 1.3, 2.1]], "float32")
    weights = np.array([[0.3, -1.1, 0.7, 1.9, -0.4]], "float32")  # so softmax grads are non-zero
    check_grads(lambda v: (fn(v) * weights).sum(), (x,), order=1, modes=["rev"], eps=1e-2,
                atol=2e-2, rtol=2e-2)


@pytest.mark.parametrize("name", NAMES)
def test_same_name_same_object(name):
    assert activations.get(name) is activations.get(name)
    assert activations.get(name) is getattr(activations, name)


def test_serialize_round_trip():
    for name in NAMES:
        fn = activations.get(name)
        assert activations.get(activations.serialize(fn)) is fn
    assert activations.serialize(activations.swish) == "silu"


def test_none_is_linear_and_callables_pass_through():
    assert activations.get(None) is activations.linear

    def custom(x):
        return x * 2

    assert activations.get(custom) is custom


def test_unknown_name_lists_known_ones():
    with pytest.raises(ValueError, match=r"Unknown activation 'relux'.*'relu'"):
        activations.get("relux")
    with pytest.raises(TypeError):
        activations.get(3)


# Every activation of Keras 3 with its options: values and gradients against real Keras.
ORACLE_CASES = [(name, {}) for name in NAMES] + [
    ("celu", {}), ("celu", {"alpha": 0.5}), ("glu", {}), ("glu", {"axis": 0}),
    ("hard_silu", {}), ("hard_swish", {}), ("hard_tanh", {}), ("hard_shrink", {}),
    ("hard_shrink", {"threshold": 1.2}), ("soft_shrink", {}), ("soft_shrink", {"threshold": 0.1}),
    ("tanh_shrink", {}), ("threshold", {"threshold": 0.5, "default_value": -1.0}),
    ("log_sigmoid", {}), ("sparse_sigmoid", {}), ("sparse_plus", {}), ("squareplus", {}),
    ("squareplus", {"b": 1.0}), ("sparsemax", {}), ("sparsemax", {"axis": 0}),
    ("leaky_relu", {"negative_slope": 0.05}), ("elu", {"alpha": 0.3}),
]
XO = np.array([[-3.1, -1.3, -0.45, 0.3, 1.2, 2.6], [0.7, -2.2, 1.9, -0.1, 0.55, -0.8]], "float32")


@pytest.mark.parametrize("name,kwargs", ORACLE_CASES, ids=lambda c: str(c))
def test_values_and_gradients_match_real_keras(name, kwargs):
    import jax

    os.environ.setdefault("KERAS_BACKEND", "jax")
    keras = pytest.importorskip("keras")
    ours, theirs = getattr(activations, name), getattr(keras.activations, name)
    np.testing.assert_allclose(np.asarray(ours(XO, **kwargs)), np.asarray(theirs(XO, **kwargs)),
                               rtol=1e-6, atol=1e-6)
    out_shape = np.asarray(theirs(XO, **kwargs)).shape
    w = np.linspace(-1.0, 1.5, int(np.prod(out_shape)), dtype="float32").reshape(out_shape)
    grad = lambda fn: jax.grad(lambda v: (fn(v, **kwargs) * w).sum())(XO)  # noqa: E731
    np.testing.assert_allclose(np.asarray(grad(ours)), np.asarray(grad(theirs)),
                               rtol=1e-5, atol=1e-6)


def test_every_keras_activation_resolves_by_name_and_serializes_like_keras():
    os.environ.setdefault("KERAS_BACKEND", "jax")
    keras = pytest.importorskip("keras")
    from keras.src.activations import ALL_OBJECTS_DICT

    for name, fn in ALL_OBJECTS_DICT.items():
        ours = activations.get(name)
        assert ours is getattr(activations, name)
        assert activations.serialize(ours) == keras.activations.serialize(fn)
        assert activations.deserialize(name) is ours
