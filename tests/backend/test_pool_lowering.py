"""Max pooling as strided slices (on CPU): values and gradients equal
the native `reduce_window` pooling's, ties (the gradient goes to the first maximum) included."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from neokeras import ops
from neokeras.backend.jax import pool_lowering

RNG = np.random.default_rng(0)

# (input shape, pool size, padding, data format, strides)
CASES = [
    ((2, 9, 3), 2, "valid", "channels_last"),
    ((2, 9, 3), 3, "same", "channels_last"),
    ((2, 7, 7, 3), 2, "valid", "channels_last"),
    ((2, 7, 7, 3), 2, "same", "channels_last"),
    ((2, 8, 9, 2), (2, 3), "valid", "channels_last"),
    ((2, 3, 7, 5), (3, 2), "same", "channels_first"),
    ((1, 5, 6, 4, 2), 2, "same", "channels_last"),
    ((2, 6, 4, 4), (1, 2), "valid", "channels_last"),
]
CASES = [case + (None,) for case in CASES] + [  # overlapping and gapped windows
    ((2, 9, 8, 3), 3, "valid", "channels_last", 2),
    ((2, 9, 8, 3), 3, "same", "channels_last", 2),
    ((2, 3, 8, 7), (3, 2), "same", "channels_first", (1, 2)),
    ((2, 10, 2), 2, "valid", "channels_last", 3),
    ((1, 5, 6, 4, 2), 3, "same", "channels_last", (2, 1, 2)),
]


def _pool(lowering, monkeypatch, x, pool_size, padding, data_format, strides=None):
    monkeypatch.setenv("NEOKERAS_MAX_POOL_LOWERING", lowering)
    return ops.max_pool(x, pool_size, strides, padding=padding, data_format=data_format)


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("shape, pool_size, padding, data_format, strides", CASES)
def test_slices_match_native_values_and_gradients(monkeypatch, shape, pool_size, padding,
                                                  data_format, strides, ties):
    # With ties (values from {0, 1, 2}, most windows hold repeated maxima) the gradient must
    # go to the same single position as the native select-and-scatter's.
    x = (RNG.integers(0, 3, shape) if ties else RNG.standard_normal(shape)).astype("float32")
    results = {}
    for lowering in ("native", "slices"):
        def loss(x, lowering=lowering):
            out = _pool(lowering, monkeypatch, x, pool_size, padding, data_format, strides)
            weights = jnp.linspace(-1.0, 2.0, out.size).reshape(out.shape)
            return jnp.sum(out * weights), out

        (_, out), grad = jax.value_and_grad(loss, has_aux=True)(x)
        results[lowering] = (out, grad)
    for a, b in zip(results["native"], results["slices"]):
        assert a.shape == b.shape
        np.testing.assert_array_equal(np.asarray(b), np.asarray(a))


def test_nan_windows_stay_nan(monkeypatch):
    x = np.ones((1, 4, 4, 1), "float32")
    x[0, 1, 2, 0] = np.nan
    out = np.asarray(_pool("slices", monkeypatch, x, 2, "valid", "channels_last"))
    assert np.isnan(out[0, 0, 1, 0]) and not np.isnan(np.delete(out.ravel(), 1)).any()


def test_forward_mode_derivative(monkeypatch):
    x = RNG.standard_normal((1, 4, 4, 2)).astype("float32")
    tangent = RNG.standard_normal(x.shape).astype("float32")
    outs = [jax.jvp(lambda x, lo=lo: _pool(lo, monkeypatch, x, 2, "valid", "channels_last"),
                    (x,), (tangent,))[1] for lo in ("native", "slices")]
    np.testing.assert_array_equal(np.asarray(outs[1]), np.asarray(outs[0]))


@pytest.mark.parametrize("dtype, pool_size, strides, expected", [
    ("float32", 2, None, True),
    ("float32", 3, 2, True),  # overlapping windows
    ("int32", 2, None, False),
    ("float32", 5, None, False),  # 25 positions: too many slices
])
def test_which_pools_use_slices(monkeypatch, dtype, pool_size, strides, expected):
    monkeypatch.delenv("NEOKERAS_MAX_POOL_LOWERING", raising=False)
    monkeypatch.setattr(jax, "default_backend", lambda: "cpu")
    window = (1, pool_size, pool_size, 1)
    step = window if strides is None else (1, strides, strides, 1)
    x = jnp.zeros((1, 6, 6, 1), dtype)
    assert pool_lowering.use_slices(x, window, step) is expected
    monkeypatch.setenv("NEOKERAS_MAX_POOL_LOWERING", "native")
    assert pool_lowering.use_slices(x, window, step) is False
