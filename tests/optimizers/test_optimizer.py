"""The Optimizer base: lookup, arguments, learning rate, state, EMA, accumulation, fit."""

import numpy as np
import pytest

import neokeras
from neokeras import optimizers
from optimizer_oracle import keras_module


def _var(value, name="w"):
    return neokeras.backend.Variable(np.asarray(value, "float32"), name=name)


# ---------------------------------------------------------------------- lookup and arguments
def test_get_by_lower_case_name():
    for name, cls in optimizers.ALL_OPTIMIZERS.items():
        assert type(optimizers.get(name)) is cls
        assert type(optimizers.get(cls.__name__)) is cls
    opt = optimizers.Adam()
    assert optimizers.get(opt) is opt


def test_get_unknown_name_lists_valid_ones():
    with pytest.raises(ValueError, match=r"Unknown optimizer 'adamm'.*'adam'.*'adamw'.*'sgd'"):
        optimizers.get("adamm")
    with pytest.raises(TypeError, match="optimizer identifier"):
        optimizers.get(3)


def test_unknown_kwarg_raises_naming_it():
    with pytest.raises(TypeError, match=r"Adam\(\) got unexpected keyword .*\['bta_1'\]"):
        optimizers.Adam(bta_1=0.9)


def test_lr_and_learning_rate_together_raise():
    with pytest.raises(ValueError, match="not both"):
        optimizers.SGD(lr=0.1, learning_rate=0.2)


@pytest.mark.parametrize("kwargs, match", [
    ({"learning_rate": "fast"}, "learning_rate"),
    ({"learning_rate": -1.0}, "learning_rate"),
    ({"clipnorm": 1.0, "global_clipnorm": 1.0}, "at most one"),
    ({"decay": -0.1}, "decay"),
    ({"gradient_accumulation_steps": 1}, "gradient_accumulation_steps"),
    ({"use_ema": True, "ema_momentum": 1.5}, "ema_momentum"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        optimizers.RMSprop(**kwargs)


# ---------------------------------------------------------------------- serialization
@pytest.mark.parametrize("name", sorted(optimizers.ALL_OPTIMIZERS))
def test_config_round_trip(name):
    opt = optimizers.get(name)
    config = opt.get_config()
    clone = type(opt).from_config(config)
    assert clone.get_config() == config
    restored = optimizers.deserialize(optimizers.serialize(opt))
    assert type(restored) is type(opt) and restored.get_config() == config
    assert optimizers.serialize(opt)["module"] == "keras.optimizers"


def test_schedule_learning_rate_round_trips():
    schedule = optimizers.schedules.CosineDecay(0.1, decay_steps=10, warmup_target=0.2,
                                                warmup_steps=3)
    opt = optimizers.Adam(learning_rate=schedule, clipvalue=0.5)
    data = optimizers.serialize(opt)
    assert data["config"]["learning_rate"]["module"] == "keras.optimizers.schedules"
    restored = optimizers.deserialize(data)
    assert isinstance(restored._learning_rate, optimizers.schedules.CosineDecay)
    assert restored.get_config() == opt.get_config()
    assert [v.name for v in restored.variables] == ["iteration"]  # no learning-rate variable


def test_deserializes_keras_serialized_optimizer():
    keras = keras_module()
    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, 5, 0.5)
    data = keras.optimizers.serialize(keras.optimizers.Nadam(learning_rate=schedule, beta_1=0.8))
    opt = optimizers.deserialize(data)
    assert isinstance(opt, optimizers.Nadam) and opt.beta_1 == 0.8
    assert float(opt.learning_rate) == pytest.approx(0.1)


def test_keras2_legacy_dict_and_case_insensitive_class_name():
    opt = optimizers.deserialize({"class_name": "adam", "config": {"lr": 0.5}})
    assert isinstance(opt, optimizers.Adam) and float(opt.learning_rate) == 0.5
    # As tf.keras 2.11+ wrote it into .h5 files.
    config = {"name": "Adam", "weight_decay": None, "clipnorm": None, "global_clipnorm": None,
              "clipvalue": None, "use_ema": False, "ema_momentum": 0.99,
              "ema_overwrite_frequency": None, "jit_compile": True, "is_legacy_optimizer": False,
              "learning_rate": 0.002, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07,
              "amsgrad": False}
    opt = optimizers.deserialize({"class_name": "Adam", "config": config})
    assert opt.name == "Adam" and float(opt.learning_rate) == pytest.approx(0.002)


# ---------------------------------------------------------------------- learning rate
def test_learning_rate_is_a_settable_variable():
    opt = optimizers.SGD(learning_rate=0.1)
    w = _var([1.0])
    opt.apply([np.array([1.0], "float32")], [w])
    opt.learning_rate = 0.5
    assert float(opt.learning_rate) == 0.5
    opt.apply([np.array([1.0], "float32")], [w])
    assert float(w.numpy()[0]) == pytest.approx(1.0 - 0.1 - 0.5)
    neokeras.backend.set_value(opt.lr, 0.25)
    assert opt.get_config()["learning_rate"] == 0.25


def test_schedule_and_callable_learning_rates():
    schedule = optimizers.schedules.ExponentialDecay(1.0, decay_steps=1, decay_rate=0.5)
    opt = optimizers.SGD(learning_rate=schedule)
    w = _var([0.0])
    for _ in range(3):
        opt.apply([np.array([1.0], "float32")], [w])
    assert float(w.numpy()[0]) == pytest.approx(-(1.0 + 0.5 + 0.25))
    assert float(opt.learning_rate) == pytest.approx(0.125)
    with pytest.raises(TypeError, match="schedule"):
        opt.learning_rate = 0.1
    callable_opt = optimizers.SGD(learning_rate=lambda: 0.3)
    v = _var([0.0])
    callable_opt.apply([np.array([1.0], "float32")], [v])
    assert float(v.numpy()[0]) == pytest.approx(-0.3)


def test_weight_decay_exclusion_by_name_and_variable():
    a, b, c = _var([1.0], "kernel"), _var([1.0], "bias"), _var([1.0], "gamma")
    opt = optimizers.SGD(learning_rate=0.1, weight_decay=0.5)
    opt.exclude_from_weight_decay(var_list=[c], var_names=["bias"])
    zero = np.zeros(1, "float32")
    opt.apply([zero, zero, zero], [a, b, c])
    assert [float(v.numpy()[0]) for v in (a, b, c)] == pytest.approx([0.95, 1.0, 1.0])
    with pytest.raises(ValueError, match="before the optimizer is built"):
        opt.exclude_from_weight_decay(var_names=["kernel"])


# ---------------------------------------------------------------------- apply and state
def test_iterations_and_unknown_variable():
    opt = optimizers.Adam()
    w = _var([1.0])
    assert int(opt.apply_gradients([(np.ones(1, "float32"), w)]).numpy()) == 1
    assert int(opt.iterations.numpy()) == 1
    with pytest.raises(ValueError, match="built for other variables"):
        opt.apply([np.ones(1, "float32")], [_var([2.0])])
    with pytest.raises(ValueError, match="2 gradients for 1 variables"):
        opt.apply([np.ones(1, "float32")] * 2)


def test_none_gradient_is_skipped_with_a_warning():
    opt = optimizers.SGD(learning_rate=0.1)
    a, b = _var([1.0], "a"), _var([1.0], "b")
    with pytest.warns(UserWarning, match="Gradients do not exist for variables"):
        opt.apply([np.ones(1, "float32"), None], [a, b])
    assert float(a.numpy()[0]) == pytest.approx(0.9) and float(b.numpy()[0]) == 1.0
    with pytest.raises(ValueError, match="no gradients"):
        opt.apply([None, None], [a, b])


def test_constraint_applied_after_update():
    w = _var([1.0])
    w.constraint = lambda x: neokeras.ops.clip(x, 0.5, 2.0)
    optimizers.SGD(learning_rate=1.0).apply([np.ones(1, "float32")], [w])
    assert float(w.numpy()[0]) == 0.5


def test_stateless_apply_is_pure_and_checks_lengths():
    opt = optimizers.Adam(learning_rate=0.1)
    w = _var([1.0])
    opt.build([w])
    state = [v.value for v in opt.variables]
    new_w, new_state = opt.stateless_apply(state, [np.ones(1, "float32")], [w.value])
    assert float(w.numpy()[0]) == 1.0 and int(opt.iterations.numpy()) == 0
    assert float(np.asarray(new_w[0])[0]) == pytest.approx(0.9, rel=1e-5)
    assert int(np.asarray(new_state[0])) == 1
    with pytest.raises(ValueError, match="expects 4 optimizer values"):
        opt.stateless_apply(state[:2], [np.ones(1, "float32")], [w.value])
    with pytest.raises(ValueError, match="must be built"):
        optimizers.SGD().stateless_apply([], [], [])


def test_gradient_accumulation_updates_every_k_steps_with_mean():
    opt = optimizers.SGD(learning_rate=0.1, gradient_accumulation_steps=3)
    w = _var([0.0])
    history = []
    for g in [1.0, 2.0, 6.0, 1.0]:
        opt.apply([np.array([g], "float32")], [w])
        history.append(float(w.numpy()[0]))
    assert history == pytest.approx([0.0, 0.0, -0.3, -0.3])
    assert int(opt.iterations) == 1 and int(opt._iterations.numpy()) == 4
    accumulator = opt.variables[2]
    assert accumulator.name == "w_gradient_accumulator" and float(accumulator.numpy()[0]) == 1.0


def test_ema_and_finalize():
    opt = optimizers.SGD(learning_rate=1.0, use_ema=True, ema_momentum=0.5)
    w = _var([0.0])
    for _ in range(3):
        opt.apply([np.array([-1.0], "float32")], [w])  # w = 1, 2, 3
    # average: 1 (first step copies), then 0.5 * 1 + 0.5 * 2 = 1.5, then 2.25
    assert float(opt.variables[2].numpy()[0]) == pytest.approx(2.25)
    opt.finalize_variable_values([w])
    assert float(w.numpy()[0]) == pytest.approx(2.25)


def test_loss_scale_factor_divides_gradients():
    opt = optimizers.SGD(learning_rate=0.1, loss_scale_factor=128.0)
    w = _var([1.0])
    opt.apply([np.array([128.0], "float32")], [w])
    assert float(w.numpy()[0]) == pytest.approx(0.9)
    assert float(opt.scale_loss(2.0)) == 256.0


# ---------------------------------------------------------------------- inside fit
def test_changing_learning_rate_between_fits_does_not_recompile():
    x = np.linspace(-1, 1, 16, dtype="float32").reshape(8, 2)
    y = x.sum(axis=1, keepdims=True) * 3.0
    model = neokeras.Sequential([neokeras.layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer=optimizers.SGD(learning_rate=0.1), loss="mse")
    model.fit(x, y, epochs=1, batch_size=8, verbose=0, shuffle=False)
    counts = model.compile_count
    before = [w.copy() for w in model.get_weights()]
    model.optimizer.learning_rate = 0.0
    model.fit(x, y, epochs=1, batch_size=8, verbose=0, shuffle=False)
    for w, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(w, b)
    model.optimizer.learning_rate = 0.1
    model.fit(x, y, epochs=1, batch_size=8, verbose=0, shuffle=False)
    assert not np.allclose(model.get_weights()[0], before[0])
    assert model.compile_count == counts
    assert int(model.optimizer.iterations.numpy()) == 3


def test_compiled_fit_matches_eager_apply():
    """The compiled step (stateless_apply under jit) equals eager apply for Nadam with EMA."""
    x = np.linspace(-1, 1, 12, dtype="float32").reshape(6, 2)
    y = (x[:, :1] - 2 * x[:, 1:]).astype("float32")
    model = neokeras.Sequential([neokeras.layers.Dense(1, input_shape=(2,))])
    kernel, bias = model.get_weights()
    model.compile(optimizer=optimizers.Nadam(learning_rate=0.05, use_ema=True), loss="mse")
    model.fit(x, y, epochs=3, batch_size=6, verbose=0, shuffle=False)

    opt = optimizers.Nadam(learning_rate=0.05, use_ema=True)
    k, b = _var(kernel, "kernel"), _var(bias, "bias")
    for _ in range(3):
        err = x @ k.numpy() + b.numpy() - y
        grads = [2 * x.T @ err / len(x), 2 * err.mean(axis=0)]
        opt.apply([g.astype("float32") for g in grads], [k, b])
    opt.finalize_variable_values([k, b])  # fit ends with the EMA weights, as in Keras
    np.testing.assert_allclose(model.get_weights()[0], k.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model.get_weights()[1], b.numpy(), rtol=1e-5, atol=1e-6)
    for ours, ref in zip(model.optimizer.variables, opt.variables):
        np.testing.assert_allclose(np.asarray(ours.numpy()), ref.numpy(), rtol=1e-5, atol=1e-6)
