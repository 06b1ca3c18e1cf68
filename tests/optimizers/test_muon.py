"""Muon against real Keras 3: trajectories on the same variables and gradients, slot routing,
config, and fit histories of the same model."""

import numpy as np
import pytest

import neokeras
from neokeras import optimizers
from optimizer_oracle import assert_trajectories_close
from optimizer_oracle import keras_module

# A wide and a tall matrix (Muon steps; the tall one is transposed for Newton-Schulz), a vector
# and a 3-D kernel (AdamW steps), and a matrix whose path names an embedding.
SHAPES = {"wide": (2, 3), "tall": (4, 2), "bias": (3,), "conv": (2, 2, 3),
          "my_embedding_table": (3, 2)}


def _initial():
    rng = np.random.default_rng(7)
    return {name: rng.normal(size=shape).astype("float32") for name, shape in SHAPES.items()}


def _gradients(steps=4):
    rng = np.random.default_rng(11)
    return [{name: (rng.normal(size=shape) * (1 + t)).astype("float32")
             for name, shape in SHAPES.items()} for t in range(steps)]


def _trajectory(module, optimizer, stateless=False):
    initial = _initial()
    if module is neokeras:
        variables = [module.backend.Variable(v, name=n, path=n)
                     for n, v in initial.items()]
    else:  # Keras derives the path from the name
        variables = [module.Variable(v, name=n) for n, v in initial.items()]
    trajectory = []
    if stateless:
        optimizer.build(variables)
        values = [v.value for v in variables]
        state = [v.value for v in optimizer.variables]
        for grads in _gradients():
            values, state = optimizer.stateless_apply(state, list(grads.values()), values)
            trajectory.append([np.asarray(v) for v in values])
        return trajectory, optimizer
    for grads in _gradients():
        optimizer.apply_gradients(zip(grads.values(), variables))
        trajectory.append([np.asarray(v.numpy()).copy() for v in variables])
    return trajectory, optimizer


CASES = [
    {},
    {"learning_rate": 0.05},
    {"learning_rate": 0.05, "nesterov": False, "momentum": 0.8},
    {"learning_rate": 0.05, "rms_rate": None, "ns_steps": 3},
    {"learning_rate": 0.05, "weight_decay": None, "adam_weight_decay": 0.1},
    {"learning_rate": 0.05, "weight_decay": 0.2, "adam_weight_decay": None},
    {"learning_rate": 0.05, "exclude_layers": ["wid"], "adam_lr_ratio": 0.1},
    {"learning_rate": 0.05, "exclude_embeddings": False, "epsilon": 1e-3,
     "adam_beta_1": 0.5, "adam_beta_2": 0.9},
    {"learning_rate": 0.05, "muon_a": 2.0, "muon_b": -1.5, "muon_c": 0.5},
    {"learning_rate": 0.05, "global_clipnorm": 1.0},
    {"learning_rate": 0.05, "gradient_accumulation_steps": 2},
    {"learning_rate": 0.05, "use_ema": True, "ema_overwrite_frequency": 3},
]


def _names(path_list):
    return [p.rpartition("/")[2] for p in path_list]


@pytest.mark.parametrize("kwargs", CASES, ids=lambda k: "-".join(k) or "defaults")
def test_trajectory_matches_keras(kwargs):
    keras = keras_module()
    expected, theirs = _trajectory(keras, keras.optimizers.Muon(**kwargs))
    ours, mine = _trajectory(neokeras, optimizers.Muon(**kwargs))
    assert_trajectories_close(ours, expected, rtol=2e-5, atol=2e-6)
    # Same slots, in the same order (the file order), with the same values.
    assert _names([v.path for v in mine.variables]) == _names([v.path for v in theirs.variables])
    for a, b in zip(mine.variables, theirs.variables):
        np.testing.assert_allclose(np.asarray(a.numpy()), np.asarray(b.numpy()), rtol=2e-5,
                                   atol=2e-6, err_msg=a.path)


def test_learning_rate_schedule_matches_keras():
    keras = keras_module()
    expected, _ = _trajectory(keras, keras.optimizers.Muon(
        keras.optimizers.schedules.ExponentialDecay(0.1, 1, 0.5)))
    ours, _ = _trajectory(neokeras, optimizers.Muon(
        optimizers.schedules.ExponentialDecay(0.1, 1, 0.5)))
    assert_trajectories_close(ours, expected, rtol=2e-5, atol=2e-6)


def test_stateless_apply_matches_eager():
    eager, _ = _trajectory(neokeras, optimizers.Muon(learning_rate=0.05))
    stateless, _ = _trajectory(neokeras, optimizers.Muon(learning_rate=0.05), stateless=True)
    assert_trajectories_close(stateless, eager)


def test_slots_route_variables():
    muon = optimizers.Muon(exclude_layers=["tall"])
    variables = [neokeras.backend.Variable(v, path=n) for n, v in _initial().items()]
    muon.build(variables)
    adam = [v.path for v, slot in zip(variables, muon.adam_velocities) if slot is not None]
    assert adam == ["tall", "bias", "conv", "my_embedding_table"]
    assert all(m is not None for m in muon.momentums)


def test_newton_schulz_orthogonalizes():
    muon = optimizers.Muon()
    x = np.random.default_rng(0).normal(size=(3, 5)).astype("float32")
    y = np.asarray(muon.zeropower_via_newtonschulz5(x, 10))
    # The quintic iteration brings the singular values into roughly [0.7, 1.2].
    singular = np.linalg.svd(y, compute_uv=False)
    assert np.all((singular > 0.6) & (singular < 1.25)), singular
    np.testing.assert_allclose(np.asarray(muon.zeropower_via_newtonschulz5(x.T, 10)), y.T,
                               rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        muon.zeropower_via_newtonschulz5(np.ones(3, "float32"), 5)


def test_config_matches_keras_and_round_trips():
    keras = keras_module()
    kwargs = {"learning_rate": 0.02, "exclude_layers": ["head"], "rms_rate": None, "name": "m"}
    config = optimizers.Muon(**kwargs).get_config()
    assert config == keras.optimizers.Muon(**kwargs).get_config()
    assert optimizers.Muon.from_config(config).get_config() == config
    ours = optimizers.deserialize(keras.optimizers.serialize(keras.optimizers.Muon(**kwargs)))
    assert isinstance(ours, optimizers.Muon) and ours.get_config() == config
    assert isinstance(optimizers.get("muon"), optimizers.Muon)


@pytest.mark.parametrize("kwargs, match", [
    ({"ns_steps": 2.5}, "ns_steps"),
    ({"exclude_layers": "dense"}, "exclude_layers"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        optimizers.Muon(**kwargs)


def _model(module):
    inputs = module.Input((4,), dtype="int32")
    x = module.layers.Embedding(10, 3, name="embed")(inputs)
    x = module.layers.Flatten()(x)
    x = module.layers.Dense(5, activation="tanh", name="hidden")(x)
    outputs = module.layers.Dense(2, name="head")(x)
    return module.Model(inputs, outputs)


def test_fit_history_matches_keras():
    keras = keras_module()
    rng = np.random.default_rng(3)
    x = rng.integers(0, 10, size=(32, 4)).astype("int32")
    y = rng.normal(size=(32, 2)).astype("float32")
    theirs, ours = _model(keras), _model(neokeras)
    ours.set_weights(theirs.get_weights())
    kwargs = {"learning_rate": 0.01, "exclude_layers": ["head"]}
    histories = []
    for model, module in ((theirs, keras), (ours, neokeras)):
        model.compile(module.optimizers.Muon(**kwargs), "mse")
        histories.append(model.fit(x, y, batch_size=8, epochs=3, shuffle=False,
                                   verbose=0).history["loss"])
    np.testing.assert_allclose(histories[1], histories[0], rtol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
