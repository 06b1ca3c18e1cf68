"""Recurrent layers: harness checks, outputs against real Keras 3, gradients, state, masks."""

import numpy as np
import pytest

import neokeras as keras
from neokeras.testing import check_layer
from neokeras import layers


def _x(shape=(2, 5, 3), seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def _real_keras():
    pytest.importorskip("keras")
    import keras as real

    return real


def _as_tuple(y):
    return tuple(y) if isinstance(y, (list, tuple)) else (y,)


def _compare_with_keras(ours, theirs, x, **call_kwargs):
    """Copies our weights into the Keras layer and compares every output."""
    y_ours = _as_tuple(ours(x, **call_kwargs))
    theirs(x, **call_kwargs)
    theirs.set_weights(ours.get_weights())
    y_theirs = _as_tuple(theirs(x, **call_kwargs))
    assert len(y_ours) == len(y_theirs)
    for a, b in zip(y_ours, y_theirs):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-5)
    return y_ours


@pytest.mark.parametrize("cls,kwargs,trainable", [
    (layers.SimpleRNN, {"units": 4}, 3),
    (layers.LSTM, {"units": 4, "return_sequences": True}, 3),
    (layers.GRU, {"units": 4, "reset_after": False}, 3),
])
def test_harness(cls, kwargs, trainable):
    out_shape = (2, 5, 4) if kwargs.get("return_sequences") else (2, 4)
    check_layer(cls, kwargs, input_shape=(2, 5, 3),
                              expected_output_shape=out_shape, expected_trainable=trainable,
                              expected_non_trainable=0)


def test_harness_generic_rnn_and_wrappers():
    check_layer(layers.RNN, {"cell": layers.GRUCell(3), "return_sequences": True},
                              input_shape=(2, 4, 3), expected_output_shape=(2, 4, 3),
                              expected_trainable=3, check_training=False)
    check_layer(layers.Bidirectional, {"layer": layers.LSTM(3)},
                              input_shape=(2, 4, 3), expected_output_shape=(2, 6),
                              expected_trainable=6, check_training=False)
    check_layer(layers.TimeDistributed, {"layer": layers.Dense(2)},
                              input_shape=(2, 4, 3), expected_output_shape=(2, 4, 2),
                              expected_trainable=2)


@pytest.mark.parametrize("name,kwargs", [
    ("SimpleRNN", {}),
    ("LSTM", {}),
    ("GRU", {}),
    ("GRU", {"reset_after": False}),
])
@pytest.mark.parametrize("flags", [
    {},
    {"return_sequences": True, "return_state": True},
    {"go_backwards": True, "return_sequences": True},
])
def test_matches_keras(name, kwargs, flags):
    real = _real_keras()
    ours = getattr(layers, name)(4, **kwargs, **flags)
    theirs = getattr(real.layers, name)(4, **kwargs, **flags)
    outputs = _compare_with_keras(ours, theirs, _x())
    n_states = 2 if name == "LSTM" else 1
    assert len(outputs) == (1 + n_states if flags.get("return_state") else 1)


def test_weight_names_order_and_shapes_match_keras_layout():
    lstm = layers.LSTM(4)
    lstm(_x())
    assert [v.name for v in lstm.weights] == ["kernel", "recurrent_kernel", "bias"]
    assert [v.shape for v in lstm.weights] == [(3, 16), (4, 16), (16,)]
    assert lstm.cell.name == "lstm_cell" and lstm.weights[0] is lstm.cell.kernel
    # unit_forget_bias: the forget block (second quarter) starts at 1, the rest at 0.
    np.testing.assert_array_equal(lstm.cell.bias.numpy(), np.repeat([0, 1, 0, 0], 4))
    gru = layers.GRU(4)
    gru(_x())
    assert [v.shape for v in gru.weights] == [(3, 12), (4, 12), (2, 12)]


def test_initial_state_and_masking_match_keras():
    real = _real_keras()
    x = _x((3, 6, 3))
    mask = np.ones((3, 6), bool)
    mask[0, 4:] = False
    mask[2, 1:] = False
    h0, c0 = _x((3, 4), 1), _x((3, 4), 2)
    ours = layers.LSTM(4, return_sequences=True, return_state=True)
    theirs = real.layers.LSTM(4, return_sequences=True, return_state=True)
    y, h, c = _compare_with_keras(ours, theirs, x, initial_state=[h0, c0], mask=mask)
    # Masked steps repeat the last real output, and the state freezes there.
    np.testing.assert_allclose(np.asarray(y)[0, 4:], np.repeat(np.asarray(y)[0, 3:4], 2, 0))
    np.testing.assert_allclose(np.asarray(h)[2], np.asarray(y)[2, 0], rtol=1e-6)
    gru = layers.GRU(4, go_backwards=True, zero_output_for_mask=True, return_sequences=True)
    gru_k = real.layers.GRU(4, go_backwards=True, zero_output_for_mask=True,
                            return_sequences=True)
    _compare_with_keras(gru, gru_k, x, mask=mask)


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
def test_bidirectional_matches_keras(merge_mode):
    real = _real_keras()
    ours = layers.Bidirectional(layers.GRU(3, return_sequences=True), merge_mode=merge_mode)
    theirs = real.layers.Bidirectional(real.layers.GRU(3, return_sequences=True),
                                       merge_mode=merge_mode)
    _compare_with_keras(ours, theirs, _x())
    assert ours.forward_layer.name.startswith("forward_gru")
    assert ours.backward_layer.go_backwards and not ours.forward_layer.go_backwards


def test_bidirectional_return_state_matches_keras():
    real = _real_keras()
    ours = layers.Bidirectional(layers.LSTM(3, return_state=True))
    theirs = real.layers.Bidirectional(real.layers.LSTM(3, return_state=True))
    outputs = _compare_with_keras(ours, theirs, _x())
    assert [o.shape for o in outputs] == [(2, 6)] + [(2, 3)] * 4


def test_time_distributed_applies_layer_per_step():
    dense = layers.Dense(2)
    wrapper = layers.TimeDistributed(dense)
    x = _x((2, 4, 3))
    y = np.asarray(wrapper(x))
    expected = x @ dense.kernel.numpy() + dense.bias.numpy()
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("in_fit", [False, True])
def test_time_distributed_batch_norm_trains_per_step_as_keras(in_fit):
    # Keras 3 calls the layer once per timestep: each step is normalized with its own batch
    # statistics and the moving averages take one update per step.
    real = _real_keras()
    x = _x((4, 3, 5), 2) * np.array([1.0, 5.0, 10.0], "float32")[None, :, None]
    results = []
    for lib in (keras, real):
        wrapper = lib.layers.TimeDistributed(lib.layers.BatchNormalization(momentum=0.5))
        if in_fit:
            model = lib.Sequential([lib.Input((3, 5)), wrapper])
            model.compile(optimizer="sgd", loss="mse")
            model.fit(x, x, epochs=1, batch_size=4, shuffle=False, verbose=0)
            out = model.predict(x, verbose=0)
        else:
            out = wrapper(x, training=True)
        results.append([np.asarray(out)] + [np.asarray(v) for v in wrapper.layer.weights])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5)
    if not in_fit:  # every step standardized on its own
        np.testing.assert_allclose(results[0][0].std(axis=0), 1.0, atol=5e-3)


def test_lstm_cell_gradient_matches_finite_differences():
    import jax  # Tests may use jax for autodiff; the library itself goes through ops.

    cell = layers.LSTMCell(3)
    x, h, c = _x((2, 4), 0), _x((2, 3), 1), _x((2, 3), 2)
    cell(x, [h, c])
    values = [w.value for w in cell.trainable_variables]

    def loss(kernel):
        (out, (_, c1)), _ = cell.stateless_call([kernel] + values[1:], [], x, [h, c])
        return (out ** 2).sum() + c1.sum()

    grad = np.asarray(jax.grad(loss)(values[0]))
    loss = jax.jit(loss)
    kernel = np.asarray(values[0], np.float64)
    eps = 1e-2
    numeric = np.zeros_like(kernel)
    for index in np.ndindex(*kernel.shape):
        plus, minus = kernel.copy(), kernel.copy()
        plus[index] += eps
        minus[index] -= eps
        numeric[index] = (float(loss(plus.astype("float32")))
                          - float(loss(minus.astype("float32")))) / (2 * eps)
    np.testing.assert_allclose(grad, numeric, rtol=1e-2, atol=1e-3)


def test_stateful_carries_state_and_resets():
    x = _x((2, 3, 3))
    layer = layers.SimpleRNN(4, stateful=True)
    reference = layers.SimpleRNN(4)
    first = np.asarray(layer(x))
    reference(x)
    reference.set_weights(layer.get_weights())
    assert len(layer.weights) == 3 and len(layer.non_trainable_weights) == 0
    # Two stateful calls on halves equal one call on the whole sequence.
    layer.reset_states()
    layer(x[:, :2])
    second_half = np.asarray(layer(x[:, 2:]))
    np.testing.assert_allclose(second_half, np.asarray(reference(x)), rtol=1e-5, atol=1e-6)
    layer.reset_states()
    np.testing.assert_allclose(np.asarray(layer(x)), first, rtol=1e-6)
    assert not np.allclose(np.asarray(layer(x)), first)


def test_stateful_needs_fixed_batch_size():
    with pytest.raises(ValueError, match="stateful.*batch size"):
        layers.LSTM(2, stateful=True)(keras.Input((3, 2)))


def test_stateful_state_updates_inside_compiled_fit():
    model = keras.Sequential([keras.Input(batch_shape=(2, 3, 3)),
                              layers.LSTM(2, stateful=True), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    lstm = model.layers[0]
    model.fit(_x((2, 3, 3)), np.zeros((2, 1), "float32"), epochs=1, verbose=0, batch_size=2)
    assert np.abs(lstm.states[0].numpy()).sum() > 0
    lstm.reset_states()
    assert np.abs(lstm.states[0].numpy()).sum() == 0


def test_dropout_only_in_training_and_config_round_trip():
    layer = layers.GRU(4, dropout=0.5, recurrent_dropout=0.5, seed=1)
    x = _x()
    inference = np.asarray(layer(x))
    np.testing.assert_allclose(np.asarray(layer(x)), inference)
    assert not np.allclose(np.asarray(layer(x, training=True)), inference)
    config = layer.get_config()
    assert config["dropout"] == 0.5 and config["reset_after"] is True
    assert layers.GRU.from_config(config).get_config() == config


def test_config_keys_match_keras():
    real = _real_keras()
    for name in ("SimpleRNN", "LSTM", "GRU"):
        ours = getattr(layers, name)(3).get_config()
        theirs = getattr(real.layers, name)(3).get_config()
        assert set(ours) == set(theirs), name
    cell = layers.LSTMCell(3).get_config()
    assert set(cell) == set(real.layers.LSTMCell(3).get_config())


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="units"):
        layers.LSTM(0)
    with pytest.raises(ValueError, match="dropout"):
        layers.GRU(2, dropout=1.5)
    with pytest.raises(ValueError, match="merge_mode"):
        layers.Bidirectional(layers.LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match="timesteps"):
        layers.LSTM(2)(np.ones((2, 3), "float32"))


class _RunningSum(layers.Layer):
    """A custom cell with no weights: the state accumulates the inputs."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def call(self, inputs, states):
        total = states[0] + inputs
        return total * 2, [total]


def test_generic_rnn_runs_a_custom_cell():
    x = _x((2, 4, 3))
    layer = layers.RNN(_RunningSum(3), return_sequences=True, return_state=True)
    outputs, total = layer(x)
    np.testing.assert_allclose(np.asarray(outputs), 2 * np.cumsum(x, axis=1), rtol=1e-5)
    np.testing.assert_allclose(np.asarray(total), x.sum(axis=1), rtol=1e-5)


def test_recurrent_dropout_trains_inside_compiled_fit():
    model = keras.Sequential([keras.Input((5, 3)),
                              layers.LSTM(4, dropout=0.3, recurrent_dropout=0.3, seed=3),
                              layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    x, y = _x((16, 5, 3)), _x((16, 1), 1)
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=5, batch_size=8, verbose=0)
    assert model.evaluate(x, y, verbose=0) < before
    # Inference is deterministic (no dropout).
    np.testing.assert_allclose(model.predict(x, verbose=0), model.predict(x, verbose=0))


def _per_step_twin(layer_cls, cell_cls):
    """The same layer whose cell runs its whole `call` at every step (the formulation before
    the input projection was moved out of the loop)."""

    class PerStepCell(cell_cls):
        def call(self, inputs, states, training=False):
            return super().call(inputs, states, training=training)

    def make(units, **kwargs):
        layer = layer_cls(units, **kwargs)
        config = layer.cell.get_config()
        layer.cell = PerStepCell(**config)
        return layer

    return make


_SPLIT_CASES = [
    ("SimpleRNN", {}),
    ("LSTM", {}),
    ("GRU", {}),
    ("GRU", {"reset_after": False}),
]


@pytest.mark.parametrize("name,kwargs", _SPLIT_CASES)
@pytest.mark.parametrize("flags", [
    {"return_sequences": True},
    {"go_backwards": True, "return_state": True},
    {"unroll": True, "return_sequences": True},
    {"dropout": 0.3, "recurrent_dropout": 0.4, "seed": 3, "return_sequences": True},
])
def test_input_projection_out_of_the_loop_matches_per_step_cells(monkeypatch, name, kwargs,
                                                                flags):
    # Values and gradients (weights and inputs, masked steps included) of the hoisted projection
    # against the same weights run through the cell's own call at every step.
    import jax

    monkeypatch.setenv("NEOKERAS_RNN_HOIST", "1")

    layer_cls = getattr(layers, name)
    ours = layer_cls(4, **kwargs, **flags)
    twin = _per_step_twin(layer_cls, type(ours.cell))(4, **kwargs, **flags)
    x = _x((3, 6, 5))
    mask = np.ones((3, 6), bool)
    mask[1, 4:] = False
    mask[2, :2] = False
    training = "dropout" in flags
    ours(x, mask=mask)
    twin(x, mask=mask)
    twin.set_weights(ours.get_weights())
    assert not twin.cell._splits_steps() and ours.cell._splits_steps()

    def loss(layer):
        def f(weights, x):
            out, _ = layer.stateless_call(weights, [v.value for v in layer.non_trainable_variables],
                                          x, mask=mask, training=training)
            out = _as_tuple(out)
            return sum((o * np.linspace(-1, 1, o.shape[-1])).sum() + (o ** 2).sum() for o in out)

        return f

    weights = [v.value for v in ours.trainable_variables]
    value, grads = jax.value_and_grad(loss(ours), argnums=(0, 1))(weights, x)
    twin_value, twin_grads = jax.value_and_grad(loss(twin), argnums=(0, 1))(weights, x)
    np.testing.assert_allclose(value, twin_value, rtol=1e-6, atol=1e-5)
    for a, b in zip(jax.tree_util.tree_leaves(grads), jax.tree_util.tree_leaves(twin_grads)):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name,kwargs,recurrent_products", [
    ("SimpleRNN", {}, 1), ("LSTM", {}, 1), ("GRU", {}, 1), ("GRU", {"reset_after": False}, 2)])
@pytest.mark.parametrize("hoist", ["1", "0"])
def test_the_loop_keeps_only_the_recurrent_products(monkeypatch, name, kwargs,
                                                     recurrent_products, hoist):
    # Hoisted (the default off CPU), the loop body has only the recurrent products; on CPU the
    # whole step stays in the loop (XLA:CPU runs it faster), one more product per step.
    import jax
    import jax.extend.core

    monkeypatch.setenv("NEOKERAS_RNN_HOIST", hoist)
    monkeypatch.setenv("NEOKERAS_RNN_FUSED", "0")  # the LSTM's whole-sequence op: tested below

    layer = getattr(layers, name)(4, **kwargs)
    x = _x((2, 7, 3))
    layer(x)
    weights = [v.value for v in layer.trainable_variables]
    jaxpr = jax.make_jaxpr(lambda w, x: layer.stateless_call(w, [], x)[0])(weights, x).jaxpr

    def dots(eqns):
        return sum(e.primitive.name == "dot_general" for e in eqns)

    def scans(eqns):
        for e in eqns:
            if e.primitive.name == "scan":
                yield e
            for sub in jax.extend.core.jaxprs_in_params(e.params):
                yield from scans(sub.eqns)

    (scan,) = scans(jaxpr.eqns)
    body = scan.params["jaxpr"].jaxpr

    def all_dots(jaxpr):
        return dots(jaxpr.eqns) + sum(all_dots(sub) for e in jaxpr.eqns
                                      for sub in jax.extend.core.jaxprs_in_params(e.params))

    assert all_dots(body) == recurrent_products + (hoist == "0")
    unrolled = getattr(layers, name)(4, unroll=True, **kwargs)
    unrolled(x)
    unrolled_jaxpr = jax.make_jaxpr(
        lambda w, x: unrolled.stateless_call(w, [], x)[0])(weights, x).jaxpr
    assert not list(scans(unrolled_jaxpr.eqns))  # unroll=True writes the steps out


def _jaxpr_primitives(jaxpr):
    import jax.extend.core

    for e in jaxpr.eqns:
        yield e.primitive.name
        for sub in jax.extend.core.jaxprs_in_params(e.params):
            yield from _jaxpr_primitives(sub)


@pytest.mark.parametrize("flags", [
    {},
    {"return_sequences": True},
    {"go_backwards": True, "return_state": True},
    {"return_sequences": True, "return_state": True, "initial_state": True},
    {"use_bias": False, "unit_forget_bias": False},
    {"dropout": 0.3, "seed": 3, "return_sequences": True},
])
def test_fused_lstm_matches_the_scan(monkeypatch, flags):
    # The whole-sequence LSTM with its hand-written backward pass (the default on CPU) against
    # the cell's scan: values (with and without differentiation, which record different
    # arrays in the loop) and gradients of weights, inputs and initial states.
    import jax

    flags = dict(flags)
    with_initial_state = flags.pop("initial_state", False)
    training = "dropout" in flags
    x = _x((3, 6, 5))
    initial = [_x((3, 4), seed=1), _x((3, 4), seed=2)] if with_initial_state else None
    layer = layers.LSTM(4, **flags)
    layer(x)
    weights = [v.value for v in layer.trainable_variables]

    def make_loss():  # a new function each time: JAX caches traces by function
        def loss(weights, x, initial):
            kwargs = {"initial_state": initial} if initial is not None else {}
            out, _ = layer.stateless_call(
                weights, [v.value for v in layer.non_trainable_variables], x,
                training=training, **kwargs)
            return sum((o * np.linspace(-1, 1, o.shape[-1])).sum() + (o ** 2).sum()
                       for o in _as_tuple(out))

        return loss

    results = {}
    for fused in ("1", "0"):
        monkeypatch.setenv("NEOKERAS_RNN_FUSED", fused)
        loss = make_loss()
        jaxpr = jax.make_jaxpr(loss)(weights, x, initial).jaxpr
        assert ("custom_vjp_call" in set(_jaxpr_primitives(jaxpr))) == (fused == "1")
        results[fused] = (jax.value_and_grad(loss, argnums=(0, 1, 2))(weights, x, initial),
                          jax.jit(make_loss())(weights, x, initial))
    ((value, grads), primal), ((plain_value, plain_grads), plain_primal) = (results["1"],
                                                                           results["0"])
    np.testing.assert_allclose(value, plain_value, rtol=1e-6, atol=1e-5)
    np.testing.assert_allclose(primal, plain_primal, rtol=1e-6, atol=1e-5)
    assert len(jax.tree_util.tree_leaves(grads)) == 4 + 2 * with_initial_state - (
        not layer.use_bias)
    for a, b in zip(jax.tree_util.tree_leaves(grads), jax.tree_util.tree_leaves(plain_grads)):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("kwargs,call_kwargs", [
    ({"recurrent_dropout": 0.3, "seed": 1}, {"training": True}),
    ({"activation": "relu"}, {}),
    ({"recurrent_activation": "hard_sigmoid"}, {}),
    ({"unroll": True}, {}),
    ({"dtype": "mixed_bfloat16"}, {}),
    ({}, {"mask": np.array([[True] * 6, [True] * 4 + [False] * 2])}),
])
def test_lstm_runs_its_scan_where_the_fused_sequence_does_not_apply(monkeypatch, kwargs,
                                                                    call_kwargs):
    import jax

    monkeypatch.setenv("NEOKERAS_RNN_FUSED", "1")
    layer = layers.LSTM(4, **kwargs)
    x = _x((2, 6, 3))
    layer(x)
    weights = [v.value for v in layer.trainable_variables]
    jaxpr = jax.make_jaxpr(lambda w, x: layer.stateless_call(
        w, [v.value for v in layer.non_trainable_variables], x, **call_kwargs)[0])(weights, x)
    assert "custom_vjp_call" not in set(_jaxpr_primitives(jaxpr.jaxpr))
