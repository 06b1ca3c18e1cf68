"""The epoch loop: one compiled train program and one test program per `fit`, the last partial
batch padded and masked, and results equal to real Keras 3's (which runs the short batch as
it is)."""

import numpy as np
import pytest

import neokeras

RNG = np.random.default_rng(0)


def _pair(build, loss, metrics, optimizer=lambda lib: lib.optimizers.SGD(learning_rate=0.1)):
    """The same model, with the same initial weights, in neokeras and in real Keras 3."""
    keras = pytest.importorskip("keras")
    ours, theirs = build(neokeras), build(keras)
    theirs.set_weights(ours.get_weights())
    ours.compile(optimizer(neokeras), loss, metrics=metrics)
    theirs.compile(optimizer(keras), loss, metrics=metrics)
    return ours, theirs


def _mlp(lib):
    return lib.Sequential([lib.Input((5,)), lib.layers.Dense(8, activation="relu"),
                           lib.layers.Dense(3, activation="softmax")])


def _assert_same_training(ours, theirs, x, y, **kwargs):
    h1 = ours.fit(x, y, verbose=0, shuffle=False, **kwargs).history
    h2 = theirs.fit(x, y, verbose=0, shuffle=False, **kwargs).history
    assert sorted(h1) == sorted(h2)
    for key in h1:
        np.testing.assert_allclose(h1[key], h2[key], rtol=2e-5, atol=1e-6, err_msg=key)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=2e-5, atol=1e-6)


def test_26_samples_at_batch_8_compile_one_train_and_one_test_program():
    x = RNG.standard_normal((26, 5)).astype("float32")
    y = RNG.integers(0, 3, 26)
    weights = np.linspace(0.5, 2.0, 26).astype("float32")
    ours, theirs = _pair(_mlp, "sparse_categorical_crossentropy",
                         ["accuracy", "sparse_categorical_crossentropy"])
    _assert_same_training(ours, theirs, x, y, batch_size=8, epochs=3, sample_weight=weights,
                          validation_data=(x[:13], y[:13]))
    assert ours.compile_count == {"train": 1, "test": 1}
    ours.fit(x, y, batch_size=8, epochs=2, verbose=0, sample_weight=weights,
             validation_data=(x[:13], y[:13]))
    ours.evaluate(x[:13], y[:13], batch_size=8, verbose=0)
    assert ours.compile_count == {"train": 1, "test": 1}


@pytest.mark.parametrize("loss", ["mse", "mae", "categorical_crossentropy"])
def test_padded_last_batch_trains_as_the_short_batch_does(loss):
    x = RNG.standard_normal((21, 5)).astype("float32")
    y = np.eye(3, dtype="float32")[RNG.integers(0, 3, 21)]
    ours, theirs = _pair(_mlp, loss, ["mae"])
    _assert_same_training(ours, theirs, x, y, batch_size=4, epochs=2)
    assert ours.compile_count == {"train": 1}


def test_sequence_outputs_mask_the_padding_rows_of_every_timestep():
    def build(lib):
        return lib.Sequential([lib.Input((4, 2)), lib.layers.Dense(3)])

    x = RNG.standard_normal((10, 4, 2)).astype("float32")
    y = RNG.standard_normal((10, 4, 3)).astype("float32")
    ours, theirs = _pair(build, "mse", ["mae"])
    _assert_same_training(ours, theirs, x, y, batch_size=4, epochs=2)
    assert ours.compile_count == {"train": 1}


def test_batch_statistics_are_not_padded():
    """BatchNormalization's moving statistics would see the padding rows: the short batch
    compiles its own program instead, and the result is Keras's."""

    def build(lib):
        return lib.Sequential([lib.Input((5,)), lib.layers.Dense(4),
                               lib.layers.BatchNormalization(), lib.layers.Dense(1)])

    x = RNG.standard_normal((10, 5)).astype("float32")
    y = RNG.standard_normal((10, 1)).astype("float32")
    ours, theirs = _pair(build, "mse", None)
    _assert_same_training(ours, theirs, x, y, batch_size=4, epochs=2)
    assert ours.compile_count == {"train": 2}


def test_a_loss_reducing_over_the_batch_is_not_padded():
    def batch_mean_loss(y_true, y_pred):
        return neokeras.ops.mean(neokeras.ops.square(y_true - y_pred))

    x = RNG.standard_normal((10, 5)).astype("float32")
    y = np.eye(3, dtype="float32")[RNG.integers(0, 3, 10)]
    ours, theirs = _pair(_mlp, batch_mean_loss, None)
    _assert_same_training(ours, theirs, x, y, batch_size=4, epochs=1)
    assert ours.compile_count == {"train": 2}


def test_generator_batches_share_one_program_with_the_padded_last_one():
    x = RNG.standard_normal((20, 5)).astype("float32")
    y = RNG.integers(0, 3, 20)

    def batches():
        while True:
            for i in range(0, 20, 8):
                yield x[i:i + 8], y[i:i + 8]

    ours, theirs = _pair(_mlp, "sparse_categorical_crossentropy", ["accuracy"])
    h1 = ours.fit(batches(), steps_per_epoch=3, epochs=2, verbose=0).history
    h2 = theirs.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False).history
    for key in h2:
        np.testing.assert_allclose(h1[key], h2[key], rtol=2e-5, err_msg=key)
    assert ours.compile_count == {"train": 1}


def test_training_data_moves_to_the_device_once_per_fit_validation_data_streams(monkeypatch):
    moved = []
    original = neokeras.backend.trainer.to_device
    monkeypatch.setattr(neokeras.backend.trainer, "to_device",
                        lambda tree: moved.append(1) or original(tree))
    model = _mlp(neokeras)
    model.compile("sgd", "sparse_categorical_crossentropy")
    x = RNG.standard_normal((12, 5)).astype("float32")
    y = RNG.integers(0, 3, 12)
    model.fit(x, y, batch_size=4, epochs=4, verbose=0, validation_data=(x, y))
    # The validation rows go with each compiled call, so its program fits any data length.
    assert len(moved) == 1


@pytest.mark.parametrize("n_val, n_test", [(13, 26), (16, 13), (26, 3)])
def test_validation_and_evaluate_of_any_length_share_one_test_program(n_val, n_test):
    x = RNG.standard_normal((40, 5)).astype("float32")
    y = RNG.integers(0, 3, 40)
    ours, theirs = _pair(_mlp, "sparse_categorical_crossentropy", ["accuracy"])
    _assert_same_training(ours, theirs, x[:26], y[:26], batch_size=8, epochs=2,
                          validation_data=(x[26:26 + n_val], y[26:26 + n_val]))
    results = [m.evaluate(x[:n_test], y[:n_test], batch_size=8, verbose=0)
               for m in (ours, theirs)]
    np.testing.assert_allclose(results[0], results[1], rtol=2e-5, atol=1e-6)
    # A test set smaller than one batch is one batch of its own size: a program of its own.
    assert ours.compile_count == {"train": 1, "test": 1 if n_test >= 8 else 2}


def _convnet(lib):
    return lib.Sequential([lib.Input((6, 6, 1)), lib.layers.Conv2D(2, 3, activation="relu"),
                           lib.layers.MaxPooling2D(), lib.layers.Flatten(),
                           lib.layers.Dense(3, activation="softmax")])


def _record_steps_per_call(monkeypatch):
    """A list that receives the number of steps of every compiled chunk call from now on."""
    from neokeras.trainers import epoch_loop

    steps_per_call = []
    run_epoch = epoch_loop.run_epoch

    def spy(model, chunks, chunk_function, *rest):
        def counted(values, data, indices, *more):
            steps_per_call.append(indices.shape[0])
            return chunk_function(values, data, indices, *more)

        return run_epoch(model, chunks, counted, *rest)

    monkeypatch.setattr(epoch_loop, "run_epoch", spy)
    return steps_per_call


@pytest.mark.parametrize("build, x_shape, fused", [(_mlp, (5,), True),
                                                   (_convnet, (6, 6, 1), False)])
def test_steps_fuse_into_one_call_unless_xla_cpu_runs_them_slower_in_a_loop(
        monkeypatch, build, x_shape, fused):
    # XLA:CPU lowers a convolution inside a loop single-threaded (benchmarks/bench_conv_step.py),
    # so a model with one trains one step per compiled call; results stay Keras's.
    import jax

    steps_per_call = _record_steps_per_call(monkeypatch)
    x = RNG.standard_normal((40,) + x_shape).astype("float32")
    y = RNG.integers(0, 3, 40)
    ours, theirs = _pair(build, "sparse_categorical_crossentropy", ["accuracy"])
    _assert_same_training(ours, theirs, x, y, batch_size=4, epochs=2)
    on_cpu = jax.default_backend() == "cpu"
    assert set(steps_per_call) == ({10} if fused or not on_cpu else {1})


class _Model:
    def __init__(self, steps_per_execution=1):
        self.steps_per_execution = steps_per_execution


@pytest.mark.parametrize("steps, kwargs, spe, expected", [
    (40, {}, 1, 16),  # a progress bar: at least 16 steps, about eight calls per epoch
    (400, {}, 1, 50),
    (10, {}, 1, 10),  # never more than the epoch
    (40, {"shows_progress": False}, 1, 40),  # nothing shown per step: at least 64
    (100, {"shows_progress": False}, 1, 64),
    (1000, {"shows_progress": False}, 1, 125),
    (40, {"per_batch": True, "shows_progress": False}, 1, 1),  # a callback needs every batch
    (40, {"fuses": False, "shows_progress": False}, 1, 1),
    (40, {"shows_progress": False}, 8, 8),  # the user's steps_per_execution
    (5, {}, 8, 5),
    (5, {"bucketed": True}, 8, 8),
    (40, {"bucketed": True}, 1, 16),  # powers of two, not capped by the epoch
    (400, {"bucketed": True}, 1, 64),
    (40, {"bucketed": True, "shows_progress": False}, 1, 64),
])
def test_steps_per_compiled_call(steps, kwargs, spe, expected):
    from neokeras.trainers import epoch_loop

    kwargs = {"per_batch": False, **kwargs}
    per_batch = kwargs.pop("per_batch")
    assert epoch_loop.chunk_size(_Model(spe), steps, per_batch, **kwargs) == expected


@pytest.mark.parametrize("verbose, steps_per_call", [(0, {64}), (2, {64}), (1, {16})])
def test_fit_without_a_progress_bar_makes_fewer_longer_calls(monkeypatch, verbose,
                                                             steps_per_call):
    seen = _record_steps_per_call(monkeypatch)
    model = _mlp(neokeras)
    model.compile("sgd", "sparse_categorical_crossentropy")
    x = RNG.standard_normal((320, 5)).astype("float32")
    model.fit(x, RNG.integers(0, 3, 320), batch_size=4, verbose=verbose)  # 80 steps
    assert set(seen) == steps_per_call
    assert len(seen) == -(-80 // next(iter(steps_per_call)))
