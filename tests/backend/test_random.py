"""`neokeras.backend.random`: distributions, seeds and `SeedGenerator` state."""

import numpy as np
import pytest

from neokeras import backend
from neokeras.backend import SeedGenerator
from neokeras.backend import random


def test_distributions_statistics():
    n = np.asarray(random.normal((20000,), mean=-1.0, stddev=3.0, seed=1))
    assert abs(n.mean() + 1.0) < 0.1 and abs(n.std() - 3.0) < 0.05
    t = np.asarray(random.truncated_normal((20000,), mean=2.0, stddev=0.5, seed=2))
    assert t.min() >= 1.0 and t.max() <= 3.0 and abs(t.mean() - 2.0) < 0.01
    u = np.asarray(random.uniform((20000,), minval=2.0, maxval=5.0, seed=3))
    assert u.min() >= 2.0 and u.max() < 5.0 and abs(u.mean() - 3.5) < 0.05
    r = np.asarray(random.randint((20000,), 0, 4, seed=4))
    assert set(np.unique(r)) == {0, 1, 2, 3} and str(r.dtype) == "int32"
    b = np.asarray(random.bernoulli(0.3, (20000,), seed=5))
    assert abs(b.mean() - 0.3) < 0.02
    p = np.asarray(random.permutation(10, seed=6))
    assert sorted(p.tolist()) == list(range(10))
    logits = np.log(np.array([[0.1, 0.9], [0.8, 0.2]], "float32"))
    c = np.asarray(random.categorical(logits, 5000, seed=7))
    assert c.shape == (2, 5000)
    np.testing.assert_allclose(c.mean(axis=1), [0.9, 0.2], atol=0.03)


@pytest.mark.parametrize("fn", [random.normal, random.uniform, random.truncated_normal])
def test_int_seed_repeats_and_dtype(fn):
    a, b = fn((4, 3), seed=11), fn((4, 3), seed=11)
    np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    assert not np.array_equal(np.asarray(a), np.asarray(fn((4, 3), seed=12)))
    assert str(a.dtype) == "float32"
    assert str(fn((2,), seed=1, dtype="float16").dtype) == "float16"


def test_seed_generator_advances_and_is_repeatable():
    gen = SeedGenerator(42)
    first = np.asarray(random.normal((3,), seed=gen))
    second = np.asarray(random.normal((3,), seed=gen))
    assert not np.array_equal(first, second)
    again = SeedGenerator(42)
    np.testing.assert_array_equal(np.asarray(random.normal((3,), seed=again)), first)


def test_global_stream_reset_by_set_random_seed():
    import neokeras

    neokeras.utils.set_random_seed(5)
    a = np.asarray(random.uniform((4,)))
    b = np.asarray(random.uniform((4,)))
    assert not np.array_equal(a, b)
    neokeras.utils.set_random_seed(5)
    np.testing.assert_array_equal(np.asarray(random.uniform((4,))), a)


def test_dropout_expectation_and_dtype():
    x = np.full((300, 300), 2.0, "float32")
    out = np.asarray(random.dropout(x, 0.2, seed=1))
    assert out.dtype == np.float32
    assert abs(out.mean() - 2.0) < 0.03
    np.testing.assert_allclose(np.unique(out), [0.0, 2.5], rtol=1e-6)


def test_variable_value_assign_and_numpy():
    v = backend.Variable(np.array([1.0, 2.0], "float32"), name="v")
    assert v.shape == (2,) and str(v.dtype) == "float32" and v.name == "v"
    v.assign(np.array([3.0, 4.0]))
    np.testing.assert_array_equal(v.numpy(), [3.0, 4.0])
    np.testing.assert_array_equal(np.asarray(v + 1.0), [4.0, 5.0])
