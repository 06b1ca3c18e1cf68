"""Initializers: statistics on large shapes, seeded repeatability, shapes, config round trips."""

import math
import os

import numpy as np
import pytest

from neokeras import initializers
from neokeras.saving.serialization import deserialize_keras_object, serialize_keras_object

SHAPE = (300, 500)
FAN_IN, FAN_OUT = SHAPE
TRUNC_STD = 0.87962566103423978  # std of a unit normal truncated to [-2, 2]


def draw(init, shape=SHAPE):
    out = np.asarray(init(shape))
    assert out.shape == tuple(shape) and out.dtype == np.float32
    return out


# name -> (expected std, bound or None for unbounded, is_uniform)
VARIANCE_SCALING = {
    "glorot_uniform": (math.sqrt(2 / (FAN_IN + FAN_OUT)), math.sqrt(6 / (FAN_IN + FAN_OUT)), True),
    "glorot_normal": (math.sqrt(2 / (FAN_IN + FAN_OUT)),
                      2 * math.sqrt(2 / (FAN_IN + FAN_OUT)) / TRUNC_STD, False),
    "he_normal": (math.sqrt(2 / FAN_IN), 2 * math.sqrt(2 / FAN_IN) / TRUNC_STD, False),
    "he_uniform": (math.sqrt(2 / FAN_IN), math.sqrt(6 / FAN_IN), True),
    "lecun_normal": (math.sqrt(1 / FAN_IN), 2 * math.sqrt(1 / FAN_IN) / TRUNC_STD, False),
    "lecun_uniform": (math.sqrt(1 / FAN_IN), math.sqrt(3 / FAN_IN), True),
    "variance_scaling": (math.sqrt(1 / FAN_IN), 2 * math.sqrt(1 / FAN_IN) / TRUNC_STD, False),
}


@pytest.mark.parametrize("name", sorted(VARIANCE_SCALING))
def test_variance_scaling_statistics(name):
    std, bound, uniform = VARIANCE_SCALING[name]
    values = draw(initializers.get(name))
    assert abs(values.mean()) < 0.02 * std * 10 / math.sqrt(10)
    assert values.std() == pytest.approx(std, rel=0.02)
    assert np.abs(values).max() <= bound * (1 + 1e-6)
    if uniform:  # a uniform sample reaches close to its bound
        assert np.abs(values).max() > 0.99 * bound


def test_random_normal_uniform_truncated_statistics():
    v = draw(initializers.RandomNormal(mean=1.0, stddev=0.5))
    assert v.mean() == pytest.approx(1.0, abs=0.01) and v.std() == pytest.approx(0.5, rel=0.02)
    v = draw(initializers.get("random_normal"))
    assert v.std() == pytest.approx(0.05, rel=0.02)
    v = draw(initializers.RandomUniform(minval=-2.0, maxval=4.0))
    assert v.min() >= -2.0 and v.max() < 4.0 and v.mean() == pytest.approx(1.0, abs=0.02)
    assert v.std() == pytest.approx(6 / math.sqrt(12), rel=0.02)
    v = draw(initializers.get("random_uniform"))
    assert v.min() >= -0.05 and v.max() < 0.05
    v = draw(initializers.TruncatedNormal(mean=0.0, stddev=1.0))
    assert np.abs(v).max() <= 2.0 and v.std() == pytest.approx(TRUNC_STD, rel=0.02)


def test_deterministic_initializers():
    np.testing.assert_array_equal(draw(initializers.get("zeros"), (2, 3)), np.zeros((2, 3)))
    np.testing.assert_array_equal(draw(initializers.get("ones"), (4,)), np.ones(4))
    np.testing.assert_array_equal(draw(initializers.Constant(2.5), (2, 2)), np.full((2, 2), 2.5))
    np.testing.assert_array_equal(draw(initializers.get("identity"), (3, 4)), np.eye(3, 4))
    np.testing.assert_array_equal(draw(initializers.Identity(gain=2.0), (3, 3)), 2 * np.eye(3))
    assert str(initializers.get("zeros")((2,), dtype="int32").dtype) == "int32"


@pytest.mark.parametrize("shape", [(20, 20), (30, 10), (10, 30), (3, 3, 4, 8)])
def test_orthogonal(shape):
    q = draw(initializers.Orthogonal(gain=1.5, seed=3), shape).reshape(-1, shape[-1])
    if q.shape[0] >= q.shape[1]:
        np.testing.assert_allclose(q.T @ q, 2.25 * np.eye(q.shape[1]), atol=1e-4)
    else:
        np.testing.assert_allclose(q @ q.T, 2.25 * np.eye(q.shape[0]), atol=1e-4)


ALL_NAMES = ["glorot_uniform", "glorot_normal", "he_normal", "he_uniform", "lecun_normal",
             "lecun_uniform", "random_normal", "random_uniform", "truncated_normal",
             "variance_scaling", "orthogonal", "identity", "constant", "ones", "zeros"]
RANDOM_NAMES = [n for n in ALL_NAMES if n not in ("identity", "constant", "ones", "zeros")]


@pytest.mark.parametrize("name", RANDOM_NAMES)
def test_seeded_repeatability(name):
    cls = type(initializers.get(name))
    a, b = draw(cls(seed=7), (6, 5)), draw(cls(seed=7), (6, 5))
    np.testing.assert_array_equal(a, b)
    init = cls(seed=7)
    np.testing.assert_array_equal(draw(init, (6, 5)), draw(init, (6, 5)))
    assert not np.array_equal(a, draw(cls(seed=8), (6, 5)))
    # Unseeded (Keras 3): the instance draws its seed from Python's `random` when created, so
    # its calls agree, two instances differ, and `random.seed` makes them repeatable.
    unseeded = cls()
    assert unseeded.get_config()["seed"] is None
    np.testing.assert_array_equal(draw(unseeded, (6, 5)), draw(unseeded, (6, 5)))
    assert not np.array_equal(draw(unseeded, (6, 5)), draw(cls(), (6, 5)))
    import random

    random.seed(99)
    again = draw(cls(), (6, 5))
    random.seed(99)
    np.testing.assert_array_equal(again, draw(cls(), (6, 5)))


@pytest.mark.parametrize("name", RANDOM_NAMES)
def test_unseeded_seed_is_drawn_as_keras_draws_it(name):
    keras = pytest.importorskip("keras")
    import random

    random.seed(3)
    theirs = keras.initializers.get(name)
    random.seed(3)
    assert initializers.get(name).seed == theirs.seed


@pytest.mark.parametrize("name", ALL_NAMES)
def test_name_class_and_config_round_trip(name):
    init = initializers.get(name)
    cls_name = type(init).__name__
    assert isinstance(init, getattr(initializers, cls_name))
    assert type(initializers.get(cls_name)) is type(init)
    config = serialize_keras_object(init)
    assert config["module"] == "keras.initializers" and config["class_name"] == cls_name
    clone = deserialize_keras_object(config)
    assert type(clone) is type(init) and clone.get_config() == init.get_config()
    assert type(initializers.deserialize(config)) is type(init)
    assert type(initializers.get(config)) is type(init)


def test_config_values_round_trip():
    init = initializers.VarianceScaling(scale=2.0, mode="fan_out", distribution="uniform", seed=5)
    clone = initializers.deserialize(initializers.serialize(init))
    assert (clone.scale, clone.mode, clone.distribution, clone.seed) == (2.0, "fan_out",
                                                                       "uniform", 5)
    np.testing.assert_array_equal(draw(clone, (4, 4)), draw(init, (4, 4)))
    r = initializers.deserialize(initializers.serialize(initializers.RandomNormal(0.5, 2.0, 1)))
    assert (r.mean, r.stddev, r.seed) == (0.5, 2.0, 1)
    assert initializers.deserialize(initializers.serialize(initializers.Constant(3.0))).value == 3.0


@pytest.mark.parametrize("name", ALL_NAMES)
def test_real_keras_configs_load(name):
    os.environ.setdefault("KERAS_BACKEND", "jax")
    keras = pytest.importorskip("keras")
    # keras.initializers.get("constant") itself fails in Keras 3.15 (no default value).
    theirs_obj = keras.initializers.Constant(2.0) if name == "constant" else \
        keras.initializers.get(name)
    theirs = keras.initializers.serialize(theirs_obj)
    ours = initializers.deserialize(theirs)
    assert type(ours).__name__ == theirs["class_name"]
    assert set(ours.get_config()) >= set(theirs["config"])
    if name == "constant":
        assert ours.value == 2.0


def test_input_output_axes_define_fans():
    init = initializers.VarianceScaling(scale=1.0, mode="fan_in", distribution="uniform",
                                        input_axes=[0, 1], output_axes=[2])
    v = draw(init, (40, 50, 30))
    assert np.abs(v).max() <= math.sqrt(3 / 2000) * (1 + 1e-6)
    assert np.abs(v).max() > 0.99 * math.sqrt(3 / 2000)


def test_conv_kernel_fans_use_receptive_field():
    v = draw(initializers.HeUniform(seed=1), (3, 3, 16, 32))
    limit = math.sqrt(6 / (3 * 3 * 16))
    assert np.abs(v).max() <= limit and np.abs(v).max() > 0.98 * limit


def test_dense_default_kernel_initializer_is_glorot_uniform():
    from neokeras import layers

    dense = layers.Dense(3)
    assert isinstance(dense.kernel_initializer, initializers.GlorotUniform)
    assert isinstance(dense.bias_initializer, initializers.Zeros)
    dense.build((None, 400))
    k = dense.kernel.numpy()
    assert np.abs(k).max() <= math.sqrt(6 / 403)


def test_errors():
    with pytest.raises(ValueError, match=r"Unknown initializer 'glorot_unifrom'.*glorot_uniform"):
        initializers.get("glorot_unifrom")
    with pytest.raises(ValueError, match="seed"):
        initializers.RandomNormal(seed="a")
    with pytest.raises(ValueError, match="2D"):
        initializers.Identity()((2, 2, 2))
    with pytest.raises(ValueError, match="2 dimensions"):
        initializers.Orthogonal()((4,))
    with pytest.raises(ValueError, match="scale"):
        initializers.VarianceScaling(scale=0)
    with pytest.raises(ValueError, match="mode"):
        initializers.VarianceScaling(mode="fan_sum")
    with pytest.raises(ValueError, match="distribution"):
        initializers.VarianceScaling(distribution="cauchy")


def test_callable_and_class_identifiers():
    def custom(shape, dtype=None):
        return np.full(shape, 4.0, dtype or "float32")

    assert initializers.get(custom) is custom
    assert isinstance(initializers.get(initializers.HeNormal), initializers.HeNormal)
    assert initializers.get(None) is None


@pytest.mark.parametrize("alias,cls", [("uniform", "RandomUniform"), ("normal", "RandomNormal"),
                                       ("one", "Ones"), ("zero", "Zeros")])
def test_keras_aliases(alias, cls):
    assert type(initializers.get(alias)).__name__ == cls


@pytest.mark.parametrize("alias,cls,kwargs,shape", [
    ("IdentityInitializer", "Identity", {"gain": 2.0}, (3, 4)),
    ("OrthogonalInitializer", "Orthogonal", {"gain": 0.5, "seed": 3}, (4, 3)),
    ("stft", "STFT", {"side": "imag", "window": "hann", "scaling": "density"}, (6, 1, 8)),
])
def test_keras3_alias_names_are_the_same_classes_as_in_keras(alias, cls, kwargs, shape):
    keras = pytest.importorskip("keras")
    ours = getattr(initializers, alias)
    assert ours is getattr(initializers, cls)
    assert getattr(keras.initializers, alias) is getattr(keras.initializers, cls)
    values = np.asarray(ours(**kwargs)(shape))
    if cls == "Orthogonal":  # seeded draws are not Keras's numbers here: check orthogonality
        np.testing.assert_allclose(values.T @ values, 0.25 * np.eye(3), atol=1e-5)
    else:
        np.testing.assert_allclose(
            values, np.asarray(getattr(keras.initializers, alias)(**kwargs)(shape)),
            rtol=1e-5, atol=1e-6)
    mine = initializers.serialize(ours(**kwargs))
    theirs = keras.initializers.serialize(getattr(keras.initializers, alias)(**kwargs))
    # (Keras 3.15.1's Identity leaves `gain` out of its config; ours keeps it.)
    assert mine == {**theirs, "config": {**theirs["config"], **mine["config"]}}
    assert theirs["class_name"] == cls


# Seeded initializers give Keras 3-on-JAX's values exactly: same keys, same `jax.random`
# draws (taken from a flat draw of a power-of-two size, see backend.random.initial_normal).
KERAS_VALUE_CASES = [
    ("RandomNormal", {"mean": 0.3, "stddev": 0.7}), ("RandomUniform", {"minval": -2.0, "maxval": 0.5}),
    ("TruncatedNormal", {"mean": -0.1, "stddev": 2.0}), ("GlorotUniform", {}),
    ("GlorotNormal", {}), ("HeUniform", {}), ("HeNormal", {}), ("LecunUniform", {}),
    ("LecunNormal", {}),
    ("VarianceScaling", {"scale": 0.3, "mode": "fan_out", "distribution": "untruncated_normal"}),
    ("VarianceScaling", {"scale": 2.5, "mode": "fan_avg", "distribution": "uniform"}),
    ("VarianceScaling", {"scale": 1.5, "mode": "fan_in", "distribution": "truncated_normal"}),
    ("Orthogonal", {"gain": 1.5}),
]


@pytest.mark.parametrize("name,kwargs", KERAS_VALUE_CASES)
@pytest.mark.parametrize("shape,dtype", [((7,), "float32"), ((12, 40), "float32"),
                                         ((3, 3, 5, 6), "float32"), ((300, 2), "bfloat16"),
                                         ((5, 9), "float16")])
def test_seeded_values_equal_keras(name, kwargs, shape, dtype):
    keras = pytest.importorskip("keras")
    if name == "Orthogonal" and (len(shape) < 2 or dtype != "float32"):
        pytest.skip("Keras's Orthogonal needs 2 dims and fails for 16-bit floats (no QR)")
    seed = 1000 + len(KERAS_VALUE_CASES) * len(shape)
    theirs = np.asarray(getattr(keras.initializers, name)(seed=seed, **kwargs)(shape, dtype=dtype))
    ours = np.asarray(getattr(initializers, name)(seed=seed, **kwargs)(shape, dtype=dtype))
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("name", ["RandomNormal", "RandomUniform", "TruncatedNormal"])
def test_values_under_tracing_equal_keras_under_tracing(name):
    # Inside a traced function the draw is staged as in Keras (XLA may then fold the scaling
    # into the draw, one ulp away from the eager values, for both).
    import jax

    keras = pytest.importorskip("keras")
    theirs = getattr(keras.initializers, name)(seed=5)
    ours = getattr(initializers, name)(seed=5)
    np.testing.assert_array_equal(np.asarray(jax.jit(lambda: ours((3, 70)))()),
                                  np.asarray(jax.jit(lambda: theirs((3, 70)))()))


@pytest.mark.parametrize("size", [1, 255, 256, 257, 1000])
def test_values_do_not_depend_on_the_flat_draw_size(size):
    # Sizes on both sides of a flat-draw boundary (256) give Keras's values.
    keras = pytest.importorskip("keras")
    theirs = np.asarray(keras.random.truncated_normal((size,), seed=3))
    ours = np.asarray(initializers.TruncatedNormal(0.0, 1.0, seed=3)((size,)))
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("name", ["RandomNormal", "TruncatedNormal", "HeUniform", "Orthogonal"])
def test_seed_generator_seed_gives_keras_values_and_config(name):
    # A SeedGenerator seed advances on each call (new values each time), as in Keras.
    keras = pytest.importorskip("keras")
    from neokeras import random

    theirs = getattr(keras.initializers, name)(seed=keras.random.SeedGenerator(11))
    ours = getattr(initializers, name)(seed=random.SeedGenerator(11))
    for _ in range(2):
        np.testing.assert_array_equal(np.asarray(ours((4, 6))), np.asarray(theirs((4, 6))))
    config = initializers.serialize(ours)
    assert config == keras.initializers.serialize(theirs)
    copy = initializers.deserialize(config)
    np.testing.assert_array_equal(np.asarray(copy((4, 6))),
                                  np.asarray(keras.initializers.deserialize(config)((4, 6))))
