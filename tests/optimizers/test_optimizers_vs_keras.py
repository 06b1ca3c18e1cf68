"""Every optimizer against real Keras 3: same initial variables, same gradients, 5 steps."""

import numpy as np
import pytest

import neokeras
from neokeras import optimizers
from optimizer_oracle import assert_trajectories_close
from optimizer_oracle import keras_module
from optimizer_oracle import neokeras_variables
from optimizer_oracle import run_keras
from optimizer_oracle import run_neokeras

CASES = [
    ("SGD", {}),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9}),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"learning_rate": 0.1, "clipnorm": 1.0}),
    ("SGD", {"learning_rate": 0.1, "clipvalue": 0.5}),
    ("SGD", {"learning_rate": 0.1, "global_clipnorm": 1.5}),
    ("SGD", {"learning_rate": 0.1, "weight_decay": 0.05}),
    ("SGD", {"learning_rate": 0.05, "momentum": 0.5, "use_ema": True, "ema_momentum": 0.9}),
    ("SGD", {"learning_rate": 0.05, "use_ema": True, "ema_momentum": 0.8,
             "ema_overwrite_frequency": 2}),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9, "gradient_accumulation_steps": 2}),
    ("Adam", {"learning_rate": 0.01}),
    ("Adam", {"learning_rate": 0.01, "amsgrad": True}),
    ("Adam", {"learning_rate": 0.01, "global_clipnorm": 2.0, "weight_decay": 0.1}),
    ("Adam", {"learning_rate": 0.01, "gradient_accumulation_steps": 3, "use_ema": True}),
    ("AdamW", {"learning_rate": 0.01}),
    ("AdamW", {"learning_rate": 0.01, "weight_decay": 0.1, "amsgrad": True}),
    ("RMSprop", {"learning_rate": 0.01}),
    ("RMSprop", {"learning_rate": 0.01, "momentum": 0.8}),
    ("RMSprop", {"learning_rate": 0.01, "centered": True}),
    ("RMSprop", {"learning_rate": 0.01, "momentum": 0.5, "centered": True, "rho": 0.8}),
    ("Adagrad", {"learning_rate": 0.1}),
    ("Adagrad", {"learning_rate": 0.1, "initial_accumulator_value": 0.5, "clipnorm": 0.7}),
    ("Adadelta", {"learning_rate": 1.0}),
    ("Adadelta", {"learning_rate": 0.5, "rho": 0.8, "epsilon": 1e-5}),
    ("Adamax", {"learning_rate": 0.01}),
    ("Adamax", {"learning_rate": 0.01, "clipvalue": 1.0}),
    ("Nadam", {"learning_rate": 0.01}),
    ("Nadam", {"learning_rate": 0.01, "gradient_accumulation_steps": 2}),
    ("Ftrl", {"learning_rate": 0.1}),
    ("Ftrl", {"learning_rate": 0.1, "l1_regularization_strength": 0.05,
              "l2_regularization_strength": 0.02, "l2_shrinkage_regularization_strength": 0.01,
              "beta": 0.1, "learning_rate_power": -0.7}),
    ("Lion", {"learning_rate": 0.01}),
    ("Lion", {"learning_rate": 0.01, "beta_1": 0.5, "weight_decay": 0.2}),
    ("Adafactor", {"learning_rate": 0.1}),
    ("Adafactor", {"learning_rate": 0.5, "clip_threshold": 0.5, "beta_2_decay": -0.5}),
    ("Lamb", {"learning_rate": 0.01}),
    ("Lamb", {"learning_rate": 0.05, "beta_1": 0.5, "weight_decay": 0.1, "clipnorm": 1.0}),
    ("ScheduleFreeAdamW", {}),
    ("ScheduleFreeAdamW", {"learning_rate": 0.05, "beta_1": 0.8, "warmup_steps": 3,
                           "weight_decay": 0.05}),
    ("ScheduleFreeAdamW", {"learning_rate": 0.05, "gradient_accumulation_steps": 2}),
]


def _case_id(case):
    name, kwargs = case
    return name + "".join(f"-{k}" for k in kwargs)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_trajectory_matches_keras(case):
    name, kwargs = case
    expected = run_keras(lambda keras: getattr(keras.optimizers, name)(**kwargs))
    ours = run_neokeras(getattr(optimizers, name)(**kwargs))
    assert_trajectories_close(ours, expected)


@pytest.mark.parametrize("name", ["SGD", "Adam", "Nadam", "Adafactor", "Lamb",
                                  "ScheduleFreeAdamW"])
def test_stateless_apply_matches_keras(name):
    kwargs = {"learning_rate": 0.05, "use_ema": True, "ema_overwrite_frequency": 3}
    expected = run_keras(lambda keras: getattr(keras.optimizers, name)(**kwargs))
    ours = run_neokeras(getattr(optimizers, name)(**kwargs), stateless=True)
    assert_trajectories_close(ours, expected)


def _schedules(module):
    s = module.optimizers.schedules
    return [
        s.ExponentialDecay(0.1, decay_steps=2, decay_rate=0.5),
        s.ExponentialDecay(0.1, decay_steps=2, decay_rate=0.5, staircase=True),
        s.PiecewiseConstantDecay([1, 3], [0.1, 0.05, 0.01]),
        s.PolynomialDecay(0.1, decay_steps=4, end_learning_rate=0.01, power=2.0),
        s.PolynomialDecay(0.1, decay_steps=2, cycle=True),
        s.InverseTimeDecay(0.1, decay_steps=2, decay_rate=0.5, staircase=True),
        s.CosineDecay(0.1, decay_steps=4, alpha=0.1),
        s.CosineDecay(0.0, decay_steps=3, warmup_target=0.2, warmup_steps=2),
        s.CosineDecayRestarts(0.1, first_decay_steps=2, t_mul=2.0, m_mul=0.5, alpha=0.05),
        s.CosineDecayRestarts(0.1, first_decay_steps=2, t_mul=1.0),
    ]


@pytest.mark.parametrize("index", range(10))
def test_schedule_trajectory_matches_keras(index):
    import neokeras

    expected = run_keras(lambda keras: keras.optimizers.SGD(
        learning_rate=_schedules(keras)[index], momentum=0.5, weight_decay=0.1))
    ours = run_neokeras(optimizers.SGD(learning_rate=_schedules(neokeras)[index], momentum=0.5,
                                       weight_decay=0.1))
    assert_trajectories_close(ours, expected)


@pytest.mark.parametrize("index", range(10))
def test_schedule_values_match_keras(index):
    import neokeras

    keras = keras_module()
    theirs, ours = _schedules(keras)[index], _schedules(neokeras)[index]
    steps = np.arange(0, 12)
    np.testing.assert_allclose([float(ours(np.int32(s))) for s in steps],
                               [float(theirs(np.int32(s))) for s in steps], rtol=1e-6, atol=1e-9)
    assert ours.get_config() == theirs.get_config()


def test_exclude_from_weight_decay_matches_keras():
    def make(module):
        opt = module.optimizers.AdamW(learning_rate=0.01, weight_decay=0.5)
        opt.exclude_from_weight_decay(var_names=["b"])
        return opt

    import neokeras

    assert_trajectories_close(run_neokeras(make(neokeras)), run_keras(make))


@pytest.mark.parametrize("case", [
    ("SGD", {"momentum": 0.9}), ("Adam", {"amsgrad": True, "use_ema": True,
                                          "gradient_accumulation_steps": 2}),
    ("AdamW", {}), ("RMSprop", {"momentum": 0.5, "centered": True}), ("Adagrad", {}),
    ("Adadelta", {}), ("Adamax", {}), ("Nadam", {}), ("Ftrl", {}), ("Lion", {}),
    ("Adafactor", {}),
], ids=_case_id)
def test_variables_and_config_match_keras(case):
    name, kwargs = case
    keras = keras_module()
    keras.backend.clear_session()  # so Keras names it without a uniquifying suffix, as we do
    theirs = getattr(keras.optimizers, name)(**kwargs)
    theirs.build([keras.Variable(np.zeros((2, 3), "float32"), name="a"),
                  keras.Variable(np.zeros(3, "float32"), name="b")])
    ours = getattr(optimizers, name)(**kwargs)
    ours.build(neokeras_variables())
    describe = [(v.name, tuple(v.shape), str(v.dtype)) for v in theirs.variables]
    mine = [(v.name, tuple(v.shape), str(v.dtype)) for v in ours.variables]
    if name == "Nadam":  # Keras leaves its momentum-product variable unnamed ("variable").
        assert mine[-1] == ("u_product", (), "float32")
        mine, describe = mine[:-1], describe[:-1]
    assert mine == describe
    for v_ours, v_theirs in zip(ours.variables, theirs.variables):
        np.testing.assert_array_equal(v_ours.numpy(), np.asarray(v_theirs.numpy()))
    assert ours.name == theirs.name
    assert ours.get_config() == theirs.get_config()


@pytest.mark.parametrize("name", ["Lamb", "ScheduleFreeAdamW"])
def test_new_optimizers_round_trip_and_resolve_as_keras(name):
    keras = keras_module()
    optimizer = getattr(optimizers, name)(learning_rate=0.02, beta_1=0.7)
    config = optimizers.serialize(optimizer)
    assert config == {**keras.optimizers.serialize(
        getattr(keras.optimizers, name)(learning_rate=0.02, beta_1=0.7)), "config": {
        **config["config"], "name": config["config"]["name"]}}
    restored = optimizers.deserialize(config)
    assert type(restored) is type(optimizer) and restored.get_config() == optimizer.get_config()
    for alias in (name, name.lower()):  # Keras 3.15.1 knows "schedulefreeadamw", not "lamb"
        try:
            keras.optimizers.get(alias)
        except ValueError:
            with pytest.raises(ValueError):
                optimizers.get(alias)
        else:
            assert type(optimizers.get(alias)).__name__ == name


@pytest.mark.parametrize("namespace, name", [
    *[("legacy", n) for n in ("Adadelta", "Adagrad", "Adam", "Adamax", "Ftrl", "Nadam",
                              "Optimizer", "RMSprop", "SGD")],
    *[("experimental", n) for n in ("Adadelta", "Adafactor", "Adagrad", "Adam", "Adamax",
                                    "AdamW", "Ftrl", "Nadam", "Optimizer", "RMSprop", "SGD")]])
def test_keras2_namespaces_are_the_optimizers(namespace, name):
    # Keras 3 raises on creation; tf-keras programs used these names, so they stay working.
    assert getattr(getattr(optimizers, namespace), name) is getattr(optimizers, name)


def test_keras2_legacy_sgd_with_lr_and_decay_steps_by_hand():
    opt = optimizers.legacy.SGD(lr=0.5, decay=1.0)
    w = [neokeras.backend.Variable(np.array([1.0, 2.0], "float32"), name="w")]
    for _ in range(2):
        opt.apply_gradients([(np.array([1.0, -1.0], "float32"), w[0])])
    # Keras 2 decay: lr_t = lr / (1 + decay * iterations), iterations 0 then 1.
    np.testing.assert_allclose(np.asarray(w[0].value), [1.0 - 0.5 - 0.25, 2.0 + 0.5 + 0.25],
                               rtol=1e-6)
