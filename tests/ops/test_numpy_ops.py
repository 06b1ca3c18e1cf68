"""`neokeras.ops` NumPy-like operations against numpy."""

import numpy as np
import pytest

from neokeras import ops

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 4)).astype("float32")
Y = RNG.standard_normal((3, 4)).astype("float32")
POS = np.abs(X) + 0.1


def assert_close(actual, expected, tol=1e-5):
    np.testing.assert_allclose(np.asarray(actual), expected, rtol=tol, atol=tol)


UNARY = ["abs", "absolute", "sign", "square", "exp", "expm1", "sin", "cos", "tan", "sinh",
         "cosh", "tanh", "floor", "ceil", "negative", "arctan", "isnan", "isinf", "isfinite",
         "logical_not"]
POSITIVE = ["sqrt", "log", "log1p", "reciprocal"]
BINARY = ["add", "subtract", "multiply", "divide", "true_divide", "maximum", "minimum", "equal",
          "not_equal", "greater", "greater_equal", "less", "less_equal", "logical_and",
          "logical_or", "power", "mod", "floor_divide"]


@pytest.mark.parametrize("name", UNARY)
def test_unary(name):
    assert_close(getattr(ops, name)(X), getattr(np, name)(X))


@pytest.mark.parametrize("name", POSITIVE)
def test_unary_positive_domain(name):
    assert_close(getattr(ops, name)(POS), getattr(np, name)(POS))
    if name == "sqrt":
        assert_close(ops.rsqrt(POS), 1 / np.sqrt(POS))


@pytest.mark.parametrize("name", BINARY)
def test_binary(name):
    a, b = (POS, POS[::-1]) if name in ("power", "mod", "floor_divide") else (X, Y)
    assert_close(getattr(ops, name)(a, b), getattr(np, name)(a, b), 1e-4)


def test_binary_broadcasting_and_scalars():
    assert_close(ops.add(X, Y[0]), X + Y[0])
    assert_close(ops.multiply(X, 2.0), X * 2)
    assert_close(ops.subtract(1.0, X), 1 - X)


@pytest.mark.parametrize("name", ["sum", "mean", "max", "min", "prod", "std", "var", "all",
                                  "any"])
@pytest.mark.parametrize("axis", [None, 0, -1, (0, 1)])
def test_reductions(name, axis):
    data = X > 0 if name in ("all", "any") else X
    assert_close(getattr(ops, name)(data, axis=axis), getattr(np, name)(data, axis=axis))
    assert_close(getattr(ops, name)(data, axis=axis, keepdims=True),
          getattr(np, name)(data, axis=axis, keepdims=True))


def test_index_reductions_and_sorting():
    np.testing.assert_array_equal(ops.argmax(X, axis=1), np.argmax(X, axis=1))
    np.testing.assert_array_equal(ops.argmin(X, axis=0), np.argmin(X, axis=0))
    np.testing.assert_array_equal(ops.argmax(X), np.argmax(X))
    assert_close(ops.sort(X), np.sort(X))
    np.testing.assert_array_equal(ops.argsort(X, axis=0), np.argsort(X, axis=0))
    values, indices = ops.top_k(X, 2)
    assert_close(values, -np.sort(-X, axis=-1)[:, :2])
    np.testing.assert_array_equal(indices, np.argsort(-X, axis=-1)[:, :2])
    assert_close(ops.cumsum(X, axis=1), np.cumsum(X, axis=1))
    assert_close(ops.cumprod(X, axis=0), np.cumprod(X, axis=0))
    assert_close(ops.logsumexp(X, axis=1), np.log(np.exp(X).sum(axis=1)))
    assert int(ops.count_nonzero(np.array([0, 1, 2, 0]))) == 2


def test_linear_algebra():
    w = RNG.standard_normal((4, 5)).astype("float32")
    assert_close(ops.matmul(X, w), X @ w, 1e-4)
    assert_close(ops.dot(X, w), X @ w, 1e-4)
    assert_close(ops.tensordot(X, w, axes=1), np.tensordot(X, w, axes=1), 1e-4)
    assert_close(ops.einsum("ij,jk->ik", X, w), X @ w, 1e-4)
    assert_close(ops.outer(X[0], Y[0]), np.outer(X[0], Y[0]))
    assert_close(ops.norm(X, axis=1), np.linalg.norm(X, axis=1))
    assert_close(ops.normalize(X, axis=-1), X / np.linalg.norm(X, axis=-1, keepdims=True))
    assert_close(ops.trace(np.eye(3) * 2), 6.0)
    assert_close(ops.diag(np.array([1.0, 2.0])), np.diag([1.0, 2.0]))
    assert_close(ops.diagonal(X), np.diagonal(X))
    assert_close(ops.tril(X), np.tril(X))
    assert_close(ops.triu(X, 1), np.triu(X, 1))


def test_shape_manipulation():
    x = np.arange(24, dtype="float32").reshape(2, 3, 4)
    assert_close(ops.reshape(x, (4, -1)), x.reshape(4, -1))
    assert_close(ops.reshape(x, (None, 12)), x.reshape(-1, 12))
    assert_close(ops.transpose(x), x.T)
    assert_close(ops.transpose(x, (1, 0, 2)), x.transpose(1, 0, 2))
    assert_close(ops.swapaxes(x, 0, 2), np.swapaxes(x, 0, 2))
    assert_close(ops.moveaxis(x, 0, -1), np.moveaxis(x, 0, -1))
    assert ops.expand_dims(x, 1).shape == (2, 1, 3, 4)
    assert ops.squeeze(np.zeros((1, 3, 1))).shape == (3,)
    assert_close(ops.concatenate([x, x], axis=1), np.concatenate([x, x], axis=1))
    assert_close(ops.stack([X, Y], axis=-1), np.stack([X, Y], axis=-1))
    parts = ops.unstack(X, axis=1)
    assert len(parts) == 4
    assert_close(parts[2], X[:, 2])
    for got, want in zip(ops.split(x, 3, axis=1), np.split(x, 3, axis=1)):
        assert_close(got, want)
    assert_close(ops.tile(X, (2, 1)), np.tile(X, (2, 1)))
    assert_close(ops.repeat(X, 2, axis=0), np.repeat(X, 2, axis=0))
    assert_close(ops.broadcast_to(X[0], (2, 4)), np.broadcast_to(X[0], (2, 4)))
    assert_close(ops.flip(X, axis=1), np.flip(X, axis=1))
    assert_close(ops.roll(X, 1, axis=0), np.roll(X, 1, axis=0))
    assert_close(ops.pad(X, ((1, 0), (0, 2))), np.pad(X, ((1, 0), (0, 2))))
    assert_close(ops.pad(X, ((1, 1), (1, 1)), mode="reflect"), np.pad(X, 1, mode="reflect"))
    assert int(ops.size(x)) == 24


def test_indexing_and_selection():
    idx = np.array([[0, 2], [1, 1], [3, 0]])
    assert_close(ops.take(X, np.array([2, 0]), axis=0), X[[2, 0]])
    assert_close(ops.take_along_axis(X, idx, axis=1), np.take_along_axis(X, idx, axis=1))
    assert_close(ops.where(X > 0, X, 0.0), np.where(X > 0, X, 0.0))
    assert_close(ops.clip(X, -0.5, 0.5), np.clip(X, -0.5, 0.5))
    assert_close(ops.nan_to_num(np.array([np.nan, 1.0], "float32")), [0.0, 1.0])
    assert_close(ops.segment_sum(np.array([1.0, 2.0, 3.0]), np.array([0, 0, 1]), num_segments=2),
          [3.0, 3.0])


def test_creation():
    assert_close(ops.zeros((2, 3)), np.zeros((2, 3)))
    assert_close(ops.ones((2,)), np.ones(2))
    assert_close(ops.full((2,), 7.0), [7.0, 7.0])
    assert_close(ops.full_like(X, 3.0), np.full_like(X, 3.0))
    assert_close(ops.eye(3, 4, k=1), np.eye(3, 4, k=1))
    assert_close(ops.arange(1, 7, 2), np.arange(1, 7, 2))
    assert_close(ops.linspace(0, 1, 5), np.linspace(0, 1, 5))
    assert str(ops.zeros((1,)).dtype) == "float32"
    assert str(ops.eye(2).dtype) == "float32"


def test_float64_numpy_input_becomes_floatx_and_int64_becomes_int32():
    assert str(ops.convert_to_tensor(np.zeros(2)).dtype) == "float32"
    assert str(ops.convert_to_tensor(np.zeros(2, "int64")).dtype) == "int32"
    assert str(ops.cast(np.zeros(2), "int32").dtype) == "int32"
    assert isinstance(ops.convert_to_numpy(ops.ones(2)), np.ndarray)


def test_round_half_to_even_and_decimals():
    assert_close(ops.round(np.array([0.5, 1.5, 2.5], "float32")), [0.0, 2.0, 2.0])
    assert_close(ops.round(np.array([1.234, 5.678], "float32"), 1), [1.2, 5.7])


def test_erf_matches_series():
    import math

    x = np.linspace(-2, 2, 9).astype("float32")
    assert_close(ops.erf(x), [math.erf(v) for v in x], 1e-6)
