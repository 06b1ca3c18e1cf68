"""The Keras 2 backend functions (`import keras.backend as K`) against numpy and Keras 2
semantics."""

import numpy as np
import pytest

import neokeras.backend as K

RNG = np.random.default_rng(0)
A = RNG.standard_normal((3, 4)).astype("float32")
B = RNG.standard_normal((3, 4)).astype("float32")


def assert_close(actual, expected, tol=1e-5):
    np.testing.assert_allclose(np.asarray(actual), expected, rtol=tol, atol=tol)


@pytest.mark.parametrize("name,ref", [
    ("abs", np.abs), ("exp", np.exp), ("square", np.square), ("sign", np.sign),
    ("tanh", np.tanh), ("sigmoid", lambda x: 1 / (1 + np.exp(-x))),
    ("softplus", lambda x: np.log1p(np.exp(x))), ("softsign", lambda x: x / (1 + np.abs(x))),
    ("elu", lambda x: np.where(x > 0, x, np.expm1(x))), ("relu", lambda x: np.maximum(x, 0)),
    ("flatten", np.ravel), ("zeros_like", np.zeros_like), ("ones_like", np.ones_like),
])
def test_elementwise(name, ref):
    assert_close(getattr(K, name)(A), ref(A))


def test_log_and_sqrt():
    x = np.abs(A) + 0.1
    assert_close(K.log(x), np.log(x))
    assert_close(K.sqrt(x), np.sqrt(x))
    # Keras 2 clips the argument of sqrt at 0, so negative inputs give 0 (not nan).
    assert_close(K.sqrt(np.array([-4.0, 0.0, 9.0], "float32")), [0.0, 0.0, 3.0])


def test_round_is_half_to_even():
    assert_close(K.round(np.array([0.5, 1.5, 2.5, -0.5, -1.5, 0.4], "float32")),
          [0.0, 2.0, 2.0, -0.0, -2.0, 0.0])


@pytest.mark.parametrize("name", ["equal", "not_equal", "greater", "greater_equal", "less",
                                  "less_equal", "maximum", "minimum"])
def test_binary_elementwise(name):
    b = np.where(RNG.random(A.shape) < 0.3, A, B)  # some equal entries
    np.testing.assert_array_equal(np.asarray(getattr(K, name)(A, b)), getattr(np, name)(A, b))


@pytest.mark.parametrize("name", ["max", "min", "mean", "sum", "prod", "std", "var"])
@pytest.mark.parametrize("axis,keepdims", [(None, False), (0, False), (-1, True), ([0, 1], False),
                                           (1, True)])
def test_reductions(name, axis, keepdims):
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    expected = getattr(np, name)(A, axis=np_axis, keepdims=keepdims)
    assert_close(getattr(K, name)(A, axis=axis, keepdims=keepdims), expected)


def test_std_var_are_population_statistics():
    x = np.array([1.0, 2.0, 3.0, 4.0], "float32")
    assert_close(K.var(x), 1.25)
    assert_close(K.std(x), np.sqrt(1.25))


def test_all_any_cast_to_bool():
    x = np.array([[1.0, 0.0], [2.0, 3.0]], "float32")
    np.testing.assert_array_equal(np.asarray(K.all(x, axis=1)), [False, True])
    np.testing.assert_array_equal(np.asarray(K.any(x, axis=0)), [True, True])
    assert not bool(K.all(x)) and bool(K.any(x))


def test_argmax_argmin_default_last_axis():
    np.testing.assert_array_equal(np.asarray(K.argmax(A)), np.argmax(A, axis=-1))
    np.testing.assert_array_equal(np.asarray(K.argmin(A)), np.argmin(A, axis=-1))
    np.testing.assert_array_equal(np.asarray(K.argmax(A, axis=0)), np.argmax(A, axis=0))


def test_cast_and_constant():
    out = K.cast(np.array([1.7, -1.7]), "int32")
    assert str(out.dtype) == "int32"
    np.testing.assert_array_equal(np.asarray(out), [1, -1])
    c = K.constant(2.0, shape=(2, 3))
    assert str(c.dtype) == "float32" and c.shape == (2, 3)
    assert_close(c, np.full((2, 3), 2.0))
    assert str(K.constant([1, 2], dtype="int32").dtype) == "int32"


def test_clip_and_keras2_max_below_min():
    assert_close(K.clip(A, -0.5, 0.5), np.clip(A, -0.5, 0.5))
    assert_close(K.clip(A, None, 0.5), np.minimum(A, 0.5))
    # Keras 2 raises max_value to min_value when it is smaller.
    assert_close(K.clip(A, 0.5, 0.1), np.full(A.shape, 0.5))


def test_concatenate_stack_expand_squeeze():
    assert_close(K.concatenate([A, B]), np.concatenate([A, B], axis=-1))
    assert_close(K.concatenate([A, B], axis=0), np.concatenate([A, B], axis=0))
    assert_close(K.stack([A, B]), np.stack([A, B]))
    assert_close(K.stack([A, B], axis=1), np.stack([A, B], axis=1))
    assert K.expand_dims(A).shape == (3, 4, 1)
    assert K.expand_dims(A, 0).shape == (1, 3, 4)
    assert K.squeeze(np.zeros((3, 1, 4)), 1).shape == (3, 4)


def test_dot_follows_numpy_for_nd():
    x3 = RNG.standard_normal((2, 3, 4)).astype("float32")
    w = RNG.standard_normal((4, 5)).astype("float32")
    assert_close(K.dot(A, w), A @ w)
    assert_close(K.dot(x3, w), np.dot(x3, w))
    y3 = RNG.standard_normal((6, 4, 5)).astype("float32")
    out = K.dot(A, y3)  # (3, 4) . (6, 4, 5) -> (3, 6, 5), Keras 2 / numpy semantics
    assert out.shape == (3, 6, 5)
    assert_close(out, np.dot(A, y3), 1e-4)


def test_batch_dot_keras2_shapes_and_values():
    x = RNG.standard_normal((4, 5)).astype("float32")
    y = RNG.standard_normal((4, 5)).astype("float32")
    out = K.batch_dot(x, y, axes=1)
    assert out.shape == (4, 1)
    assert_close(out, np.sum(x * y, axis=1, keepdims=True))
    assert K.batch_dot(x, y).shape == (4, 1)
    # The Keras 2 docstring example.
    assert_close(K.batch_dot(np.array([[1.0, 2], [3, 4]]), np.array([[5.0, 6], [7, 8]]), axes=1),
          [[17.0], [53.0]])
    a = RNG.standard_normal((3, 20, 1)).astype("float32")
    b = RNG.standard_normal((3, 30, 20)).astype("float32")
    out = K.batch_dot(a, b, axes=(1, 2))
    assert out.shape == (3, 1, 30)
    assert_close(out, np.einsum("bik,bji->bkj", a, b), 1e-4)
    m = RNG.standard_normal((3, 4, 5)).astype("float32")
    n = RNG.standard_normal((3, 5, 6)).astype("float32")
    assert_close(K.batch_dot(m, n), m @ n, 1e-4)  # default: batched matmul
    v = RNG.standard_normal((3, 5)).astype("float32")
    out = K.batch_dot(m, v)
    assert out.shape == (3, 4)
    assert_close(out, np.einsum("bij,bj->bi", m, v), 1e-4)
    with pytest.raises(ValueError, match="batch axis"):
        K.batch_dot(m, n, axes=(0, 1))


def test_shape_functions():
    x = np.zeros((2, 3, 4), "float32")
    assert K.int_shape(x) == (2, 3, 4)
    assert tuple(K.shape(x)) == (2, 3, 4)
    assert K.ndim(x) == 3
    v = K.variable(np.zeros((5, 2)))
    assert K.int_shape(v) == (5, 2) and K.ndim(v) == 2
    import neokeras

    t = neokeras.Input(shape=(7,))
    assert K.int_shape(t) == (None, 7)
    assert K.is_keras_tensor(t) and not K.is_keras_tensor(x)


def test_reshape_permute_transpose_flatten():
    x = np.arange(24, dtype="float32").reshape(2, 3, 4)
    assert_close(K.reshape(x, (4, 6)), x.reshape(4, 6))
    assert_close(K.reshape(x, (-1, 12)), x.reshape(-1, 12))
    assert_close(K.permute_dimensions(x, (2, 0, 1)), x.transpose(2, 0, 1))
    assert_close(K.transpose(A), A.T)
    assert_close(K.batch_flatten(x), x.reshape(2, 12))
    assert_close(K.flatten(x), x.ravel())


def test_gather_rows():
    idx = np.array([2, 0, 2])
    assert_close(K.gather(A, idx), A[idx])


def test_pow_cumsum_cumprod():
    x = np.abs(A) + 0.5
    assert_close(K.pow(x, 3), x**3, 1e-4)
    assert_close(K.cumsum(A), np.cumsum(A, axis=0))
    assert_close(K.cumsum(A, axis=1), np.cumsum(A, axis=1))
    assert_close(K.cumprod(x, axis=1), np.cumprod(x, axis=1), 1e-4)


def test_hard_sigmoid_is_keras3_relu6_form():
    # Keras 3 definition relu6(x + 3) / 6 (Keras 2 used clip(0.2 x + 0.5, 0, 1)); we follow Keras 3.
    x = np.array([-4.0, -3.0, -1.0, 0.0, 1.5, 3.0, 5.0], "float32")
    assert_close(K.hard_sigmoid(x), np.clip(x + 3, 0, 6) / 6)


def test_keras2_relu_options():
    x = np.array([-2.0, -0.5, 0.0, 0.5, 1.0, 3.0, 8.0], "float32")
    assert_close(K.relu(x), np.maximum(x, 0))
    assert_close(K.relu(x, alpha=0.1), np.where(x > 0, x, 0.1 * x))
    assert_close(K.relu(x, max_value=2.0), np.clip(x, 0, 2))
    assert_close(K.relu(x, threshold=1.0), np.where(x > 1.0, x, 0.0))
    assert_close(K.relu(x, alpha=0.5, max_value=6.0, threshold=1.0),
          np.where(x > 1.0, np.minimum(x, 6.0), 0.5 * (x - 1.0)))


def test_softmax_elu_l2_normalize():
    e = np.exp(A - A.max(axis=-1, keepdims=True))
    assert_close(K.softmax(A), e / e.sum(axis=-1, keepdims=True))
    e0 = np.exp(A - A.max(axis=0, keepdims=True))
    assert_close(K.softmax(A, axis=0), e0 / e0.sum(axis=0, keepdims=True))
    assert_close(K.elu(A, alpha=0.5), np.where(A > 0, A, 0.5 * np.expm1(A)))
    assert_close(K.l2_normalize(A, axis=-1), A / np.linalg.norm(A, axis=-1, keepdims=True))
    assert_close(K.l2_normalize(A), A / np.linalg.norm(A))
    assert_close(K.l2_normalize(np.zeros((2, 2), "float32"), axis=1), np.zeros((2, 2)))


def test_creation_functions():
    for fn in (K.ones, K.zeros):
        out = fn((2, 3))
        assert out.shape == (2, 3) and str(out.dtype) == "float32"
    assert_close(K.ones((2,)), [1.0, 1.0])
    assert_close(K.zeros((2,)), [0.0, 0.0])
    assert_close(K.eye(3), np.eye(3))
    assert_close(K.eye((2, 3)), np.eye(2, 3))
    assert str(K.ones((2,), dtype="int32").dtype) == "int32"


def test_variable_get_set_value():
    v = K.variable(np.array([[1, 2], [3, 4]]), name="w")
    assert str(v.dtype) == "float32"
    np.testing.assert_array_equal(K.get_value(v), [[1, 2], [3, 4]])
    assert isinstance(K.get_value(v), np.ndarray)
    K.set_value(v, np.array([[5, 6], [7, 8]]))
    np.testing.assert_array_equal(K.get_value(v), [[5, 6], [7, 8]])
    K.batch_set_value([(v, np.zeros((2, 2)))])
    np.testing.assert_array_equal(K.batch_get_value([v])[0], np.zeros((2, 2)))
    np.testing.assert_array_equal(K.eval(v), np.zeros((2, 2)))
    assert_close(K.sum(v * 1.0 + 1.0), 4.0)
    with pytest.raises(ValueError, match="shape"):
        K.set_value(v, np.zeros((3, 2)))
    with pytest.raises(TypeError, match="Variable"):
        K.set_value(np.zeros(2), np.ones(2))


def test_random_normal_uniform_statistics_and_seeds():
    n = K.random_normal((20000,), mean=1.0, stddev=2.0, seed=3)
    assert abs(float(np.mean(n)) - 1.0) < 0.05 and abs(float(np.std(n)) - 2.0) < 0.05
    np.testing.assert_array_equal(np.asarray(n),
                                  np.asarray(K.random_normal((20000,), 1.0, 2.0, seed=3)))
    u = np.asarray(K.random_uniform((20000,), minval=-1.0, maxval=3.0, seed=4))
    assert u.min() >= -1.0 and u.max() < 3.0 and abs(u.mean() - 1.0) < 0.05
    a, b = K.random_uniform((5,)), K.random_uniform((5,))
    assert not np.array_equal(np.asarray(a), np.asarray(b))


def test_switch():
    cond = A > 0
    assert_close(K.switch(cond, A, -A), np.abs(A))
    assert_close(K.switch(True, lambda: 1.0, lambda: 2.0), 1.0)
    assert_close(K.switch(np.array(False), lambda: np.ones(2), lambda: np.zeros(2)), [0.0, 0.0])


def test_dropout_rate_and_scaling():
    x = np.ones((200, 100), "float32")
    out = np.asarray(K.dropout(x, 0.25, seed=1))
    kept = out != 0
    assert abs(kept.mean() - 0.75) < 0.02
    assert_close(out[kept], np.full(kept.sum(), 1 / 0.75))
    mask = np.asarray(K.dropout(x, 0.5, noise_shape=(200, 1), seed=2)) != 0
    assert np.all(mask == mask[:, :1])


def test_crossentropies_keras2_argument_order():
    eps = 1e-7
    p = np.array([[0.9, 0.1], [0.3, 0.7]], "float32")
    t = np.array([[1.0, 0.0], [0.0, 1.0]], "float32")
    assert_close(K.binary_crossentropy(t, p),
          -(t * np.log(np.clip(p, eps, 1 - eps)) + (1 - t) * np.log(np.clip(1 - p, eps, 1))))
    logits = np.array([[2.0, -1.0], [0.5, 0.5]], "float32")
    sig = 1 / (1 + np.exp(-logits))
    assert_close(K.binary_crossentropy(t, logits, from_logits=True),
          -(t * np.log(sig) + (1 - t) * np.log(1 - sig)))
    assert_close(K.categorical_crossentropy(t, p), -np.log([0.9, 0.7]))
    # Unnormalized probabilities are rescaled to sum to one (Keras 2).
    assert_close(K.categorical_crossentropy(t, 2 * p), -np.log([0.9, 0.7]))
    sm = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    assert_close(K.categorical_crossentropy(t, logits, from_logits=True),
          -np.log(sm[[0, 1], [0, 1]]))
    assert_close(K.sparse_categorical_crossentropy(np.array([0, 1]), p), -np.log([0.9, 0.7]))
    assert_close(K.sparse_categorical_crossentropy(np.array([[1], [0]]), p), -np.log([0.1, 0.3]))


def test_config_functions():
    assert K.epsilon() == 1e-7
    K.set_epsilon(1e-5)
    try:
        assert K.epsilon() == 1e-5
    finally:
        K.set_epsilon(1e-7)
    assert K.floatx() == "float32"
    K.set_floatx("float16")
    try:
        assert K.floatx() == "float16"
        assert str(K.zeros((1,)).dtype) == "float16"
    finally:
        K.set_floatx("float32")
    with pytest.raises(ValueError):
        K.set_floatx("float7")
    assert K.backend() == "jax"
    assert K.image_data_format() == "channels_last"


@pytest.mark.parametrize("kwargs", [{}, {"free_memory": False}])
def test_clear_session_resets_names(kwargs):
    import neokeras

    neokeras.layers.Dense(1)
    assert neokeras.layers.Dense(1).name == "dense_1"
    K.clear_session(**kwargs)
    assert neokeras.layers.Dense(1).name == "dense"


def test_functions_work_inside_a_model():
    """K functions are traceable: used in a custom metric and an activation under jit."""
    import neokeras

    model = neokeras.Sequential([neokeras.layers.Dense(3, input_dim=2, activation=K.softsign)])

    def max_abs(y_true, y_pred):
        return K.max(K.abs(y_pred - y_true), axis=-1)

    model.compile("sgd", "mse", metrics=[max_abs])
    x = np.ones((4, 2), "float32")
    logs = model.evaluate(x, np.zeros((4, 3), "float32"), verbose=0, return_dict=True)
    p = model.predict(x, verbose=0)
    assert_close(logs["max_abs"], np.abs(p).max(axis=-1).mean())
