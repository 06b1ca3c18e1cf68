"""Keras 2 `K` functions about placeholders, `K.function`, the learning phase, variables and
counters (tf-keras 2 semantics; numeric functions are in test_keras2_backend_fixtures.py)."""

import numpy as np
import pytest

import neokeras
import neokeras.backend as K


def test_placeholder_and_function_run_a_graph():
    x = K.placeholder(shape=(None, 3))
    assert K.int_shape(x) == (None, 3) and K.dtype(x) == "float32"
    dense = neokeras.layers.Dense(2, kernel_initializer="ones")
    y = dense(x)
    f = K.function([x], [y, x * 2.0])
    out_y, out_x2 = f([np.ones((4, 3), "float32")])
    np.testing.assert_allclose(out_y, np.full((4, 2), 3.0))
    np.testing.assert_allclose(out_x2, np.full((4, 3), 2.0))
    single = K.function(x, y)
    assert isinstance(single(np.ones((1, 3), "float32")), np.ndarray)
    with pytest.raises(ValueError, match="expected 1 input"):
        f([np.ones((1, 3)), np.ones((1, 3))])
    assert K.placeholder(ndim=3).shape == (None, None, None)


def test_function_reads_intermediate_layer_outputs():
    inputs = neokeras.Input((3,))
    first = neokeras.layers.Dense(4, activation="relu")
    hidden_tensor = first(inputs)
    model = neokeras.Model(inputs, neokeras.layers.Dense(1)(hidden_tensor))
    hidden = K.function([model.inputs[0]], [hidden_tensor])
    data = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    np.testing.assert_allclose(hidden([data])[0], first(data), rtol=1e-6)


def test_learning_phase_drives_in_train_phase_and_layers():
    assert K.learning_phase() == 0
    assert K.in_train_phase(1.0, 2.0) == 2.0
    with K.learning_phase_scope(1):
        assert K.learning_phase() == 1
        assert K.in_train_phase(lambda: "train", lambda: "test") == "train"
        drop = neokeras.layers.Dropout(0.5, seed=1)
        out = np.asarray(drop(np.ones((200, 10), "float32")))
        assert (out == 0).any()  # training behaviour without training=True
    assert K.learning_phase() == 0
    np.testing.assert_array_equal(
        K.in_train_phase(np.ones(3), np.zeros(3), training=np.array([True, False, True])),
        [1.0, 0.0, 1.0])
    assert K.in_test_phase("a", "b", training=0) == "a"
    with pytest.warns(DeprecationWarning):
        K.set_learning_phase(1)
    try:
        assert K.learning_phase() == 1
    finally:
        K.keras2_graph._LEARNING_PHASE["value"] = None  # back to "not set" for other tests
    with pytest.raises(ValueError, match="0 or 1"):
        with K.learning_phase_scope(2):
            pass


def test_variable_updates_return_the_variable():
    v = K.variable(np.array([1.0, 2.0]))
    assert K.update(v, np.array([3.0, 4.0])) is v
    K.update_add(v, np.array([1.0, 1.0]))
    K.update_sub(v, np.array([0.5, 0.5]))
    np.testing.assert_allclose(K.get_value(v), [3.5, 4.5])
    K.moving_average_update(v, np.array([0.0, 0.0]), 0.9)
    np.testing.assert_allclose(K.eval(v), [3.15, 4.05], rtol=1e-6)
    with pytest.raises(TypeError, match="Variable"):
        K.update(np.ones(2), np.ones(2))
    assert K.count_params(v) == 2


def test_random_variables_and_bernoulli():
    v = K.random_normal_variable((2000,), 1.0, 2.0, seed=1)
    assert abs(float(np.mean(K.eval(v))) - 1.0) < 0.15
    u = K.random_uniform_variable((2000,), -1.0, 3.0, seed=2)
    values = K.eval(u)
    assert values.min() >= -1.0 and values.max() < 3.0
    b = np.asarray(K.random_bernoulli((5000,), p=0.3, seed=3))
    assert set(np.unique(b)) == {0.0, 1.0} and abs(b.mean() - 0.3) < 0.03
    with pytest.warns(DeprecationWarning):
        K.random_binomial((3,), p=0.5, seed=1)
    t = np.asarray(K.truncated_normal((5000,), 0.0, 1.0, seed=4))
    assert np.abs(t).max() <= 2.0


def test_uids_names_and_scopes():
    K.reset_uids()
    assert [K.get_uid("thing"), K.get_uid("thing"), K.get_uid("other")] == [1, 2, 1]
    K.reset_uids()
    assert K.get_uid("thing") == 1
    with K.name_scope("block"):
        v = neokeras.Variable(1.0, name="scale")
    assert v.path == "block/scale"


def test_print_tensor_returns_its_input(capfd):
    x = np.array([1.0, 2.0], "float32")
    out = K.print_tensor(x, message="x = ")
    np.testing.assert_array_equal(out, x)
    assert "x = [1. 2.]" in capfd.readouterr().out


def test_sparse_helpers():
    from jax.experimental import sparse

    dense = np.array([[0.0, 1.0], [2.0, 0.0]], "float32")
    sp = sparse.BCOO.fromdense(dense)
    assert K.is_sparse(sp) and not K.is_sparse(dense)
    np.testing.assert_array_equal(K.to_dense(sp), dense)
    assert K.to_dense(dense) is dense


def test_cast_to_floatx_keeps_numpy():
    out = K.cast_to_floatx(np.arange(3))
    assert isinstance(out, np.ndarray) and out.dtype == np.float32


def test_function_rejects_graph_mode_updates():
    x = K.placeholder(shape=(None, 2))
    with pytest.raises(ValueError, match="updates"):
        K.function([x], [x], updates=[(K.variable(0.0), 1.0)])
