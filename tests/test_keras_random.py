"""`neokeras.random` against real Keras 3 (same seed -> same numbers), plus use under `jax.jit`."""

import numpy as np
import pytest

import neokeras
from neokeras import random

keras = pytest.importorskip("keras")

LOGITS = np.log(np.array([[0.2, 0.8], [0.5, 0.5], [0.9, 0.1]], "float32"))
X = np.arange(24, dtype="float32").reshape(4, 6)

# (function name, args, kwargs): each is drawn with the same int seed in both libraries.
CASES = [
    ("normal", ((3, 4),), {}),
    ("normal", ((5,),), {"mean": 2.0, "stddev": 0.5, "dtype": "float16"}),
    ("uniform", ((3, 2),), {"minval": -1.0, "maxval": 3.0}),
    ("uniform", ((4,),), {"dtype": "bfloat16"}),
    ("truncated_normal", ((6,),), {"mean": 1.0, "stddev": 2.0}),
    ("randint", ((10,), 0, 7), {}),
    ("randint", ((3,), -5, 5), {"dtype": "int16"}),
    ("categorical", (LOGITS, 6), {}),
    ("dropout", (X, 0.4), {}),
    ("dropout", (X, 0.5), {"noise_shape": (1, None)}),
    ("dropout", (X, 0.0), {}),
    ("dropout", (X, 1.0), {}),
    ("shuffle", (X,), {}),
    ("shuffle", (X,), {"axis": 1}),
    ("gamma", ((5,), 2.5), {}),
    ("binomial", ((4,), 10, 0.3), {}),
    ("binomial", ((2,), [5, 20], [0.5, 0.1]), {}),
    ("beta", ((5,), 2.0, 3.0), {}),
]


@pytest.mark.parametrize("name,args,kwargs", CASES, ids=lambda c: str(c)[:40])
def test_same_seed_same_numbers_as_keras(name, args, kwargs):
    ours = getattr(random, name)(*args, seed=1234, **kwargs)
    theirs = getattr(keras.random, name)(*args, seed=1234, **kwargs)
    assert str(ours.dtype) == str(theirs.dtype)
    assert tuple(ours.shape) == tuple(theirs.shape)
    # Equal up to one float32 rounding (XLA may turn `x / keep_prob` into a multiplication).
    np.testing.assert_allclose(np.asarray(ours, "float64"), np.asarray(theirs, "float64"),
                               rtol=2e-7, atol=0)


def test_seed_generator_stream_matches_keras():
    ours, theirs = random.SeedGenerator(5), keras.random.SeedGenerator(5)
    for _ in range(3):
        np.testing.assert_array_equal(random.uniform((3,), seed=ours),
                                      keras.random.uniform((3,), seed=theirs))
    np.testing.assert_array_equal(ours.state.numpy(), np.asarray(theirs.state.value))
    assert ours.get_config() == {"seed": 5, "name": ours.name}
    clone = random.SeedGenerator.from_config({"seed": 5, "name": "clone"})
    np.testing.assert_array_equal(random.normal((2,), seed=clone),
                                  keras.random.normal((2,), seed=keras.random.SeedGenerator(5)))


@pytest.mark.parametrize("name,args,mean,var", [
    ("gamma", ((20000,), 3.0), 3.0, 3.0),
    ("beta", ((20000,), 2.0, 5.0), 2 / 7, 10 / (49 * 8)),
    ("binomial", ((20000,), 10, 0.25), 2.5, 1.875),
    ("truncated_normal", ((20000,),), 0.0, 0.7737),
])
def test_distribution_moments(name, args, mean, var):
    sample = np.asarray(getattr(random, name)(*args, seed=3), "float64")
    assert abs(sample.mean() - mean) < 0.03 * max(1.0, mean)
    assert abs(sample.var() - var) < 0.05 * max(var, 0.02)


def test_global_stream_is_reset_by_set_random_seed():
    neokeras.utils.set_random_seed(9)
    a, b = random.normal((3,)), random.normal((3,))
    assert not np.array_equal(a, b)
    neokeras.utils.set_random_seed(9)
    np.testing.assert_array_equal(random.normal((3,)), a)


def test_jit_with_seed_generator_in_stateless_scope():
    import jax

    gen = random.SeedGenerator(7)

    @jax.jit
    def noisy(state, x):
        with neokeras.StatelessScope([(gen.state, state)]) as scope:
            y = random.dropout(x, 0.5, seed=gen) + random.normal(x.shape, seed=gen)
        return y, scope.get_current_value(gen.state)

    state0 = gen.state.value
    y1, state1 = noisy(state0, X)
    y2, state2 = noisy(state1, X)
    assert not np.array_equal(y1, y2)
    again, _ = noisy(state0, X)
    np.testing.assert_array_equal(y1, again)  # reproducible from the same state
    np.testing.assert_array_equal(np.asarray(state2), [7, 4])
    # The generator itself was never written with a traced value, so eager use still works.
    np.testing.assert_array_equal(gen.state.numpy(), [7, 0])
    eager = random.dropout(X, 0.5, seed=random.SeedGenerator(7))
    np.testing.assert_allclose(
        eager, keras.random.dropout(X, 0.5, seed=keras.random.SeedGenerator(7)), rtol=2e-7)


def test_jit_accepts_a_raw_seed_array():
    import jax

    @jax.jit
    def draw(seed):
        return random.normal((4,), seed=seed)

    np.testing.assert_array_equal(draw(np.array([11, 0], "uint32")), random.normal((4,), seed=11))


def test_tracing_errors_instead_of_leaking():
    import jax

    gen = random.SeedGenerator(1)
    with pytest.raises(ValueError, match="StatelessScope"):
        jax.jit(lambda x: random.dropout(x, 0.5, seed=gen))(X)
    np.testing.assert_array_equal(gen.state.numpy(), [1, 0])
    with pytest.raises(ValueError, match="seed=None inside a traced function"):
        jax.jit(lambda x: random.dropout(x, 0.5))(X)


@pytest.mark.parametrize("call,match", [
    (lambda: random.uniform((2,), dtype="int32"), "floating point `dtype`"),
    (lambda: random.normal((2,), dtype="int32"), "floating point `dtype`"),
    (lambda: random.randint((2,), 0, 3, dtype="float32"), "integer `dtype`"),
    (lambda: random.categorical(np.zeros(3), 2), "2-D"),
    (lambda: random.dropout(X, 1.5), r"rate` must be in \[0, 1\]"),
    (lambda: random.normal((2,), seed="a"), "SeedGenerator"),
    (lambda: random.SeedGenerator(seed=1.5), "int or None"),
])
def test_bad_arguments(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def _noisy_layer(lib, output_shape=True):
    """A layer whose `call` draws with seed=None (as keras-tuner's `RandAugment` does)."""

    class Noisy(lib.layers.Layer):
        def call(self, x):
            return x + lib.random.uniform(lib.ops.shape(x))

    class NoisyWithShape(Noisy):
        def compute_output_shape(self, shape):
            return shape

    return NoisyWithShape() if output_shape else Noisy()


def _noisy_subclassed_model(lib):
    class Noisy(lib.Model):
        def call(self, x):
            return x * lib.random.uniform(lib.ops.shape(x))

    return Noisy()


def _noisy_model(lib, **compile_kwargs):
    inputs = lib.Input((6,))
    model = lib.Model(inputs, _noisy_layer(lib)(inputs))
    model.compile(loss="mse", **compile_kwargs)
    return model


# Where an unseeded draw is accepted: op by op (eager calls, `model(x)`, run_eagerly or
# non-jit predict) and where a layer's own `compute_output_shape` spares the trace; refused
# where `call` is traced (symbolic output inference without it, jit-compiled predict/fit).
UNSEEDED_CASES = {
    "layer(x)": lambda lib: _noisy_layer(lib)(X),
    "symbolic call": lambda lib: _noisy_layer(lib, output_shape=False)(lib.Input((6,))),
    "symbolic call, compute_output_shape": lambda lib: _noisy_layer(lib)(lib.Input((6,))),
    "model(x)": lambda lib: _noisy_model(lib)(X),
    "model(x, training=True)": lambda lib: _noisy_model(lib)(X, training=True),
    "Sequential(x)": lambda lib: lib.Sequential([lib.Input((6,)), _noisy_layer(lib)])(X),
    "nested model(x)": lambda lib: lib.Sequential([lib.Input((6,)), _noisy_model(lib)])(X),
    "subclassed model(x)": lambda lib: _noisy_subclassed_model(lib)(X),
    "predict": lambda lib: _noisy_model(lib).predict(X, verbose=0),
    "predict, run_eagerly": lambda lib: _noisy_model(lib, run_eagerly=True).predict(X, verbose=0),
    "predict, jit_compile=False":
        lambda lib: _noisy_model(lib, jit_compile=False).predict(X, verbose=0),
    "fit": lambda lib: _noisy_model(lib).fit(X, X, verbose=0),
    "jax.jit": lambda lib: __import__("jax").jit(lambda x: x + lib.random.uniform((6,)))(X),
}


def _outcome(case, lib):
    try:
        UNSEEDED_CASES[case](lib)
    except ValueError as e:
        assert "seed" in str(e)
        return "refused"
    return "runs"


@pytest.mark.parametrize("case", list(UNSEEDED_CASES))
def test_unseeded_draws_accepted_where_keras_accepts_them(case):
    assert _outcome(case, neokeras) == _outcome(case, keras)


def test_model_call_with_unseeded_draws_draws_anew_each_call():
    model = _noisy_model(neokeras)
    first, second = np.asarray(model(X)), np.asarray(model(X))
    assert first.shape == X.shape and not np.allclose(first, second)
    assert np.all((first >= X) & (first < X + 1))
    with pytest.raises(ValueError, match="seed=None inside a traced function"):
        model.predict(X, verbose=0)
