"""`SwapEMAWeights` against real Keras 3.15.1 on the same weights and data."""

import numpy as np
import pytest

import neokeras

RNG = np.random.default_rng(0)
X = RNG.standard_normal((32, 4)).astype("float32")
Y = RNG.standard_normal((32, 1)).astype("float32")
VX, VY = X[:8] + 0.5, Y[:8]


def _run(k, callbacks, use_ema=True):
    model = k.Sequential([k.Input((4,)), k.layers.Dense(3, activation="tanh"), k.layers.Dense(1)])
    model.set_weights([np.full(w.shape, 0.1 * (i + 1), "float32")
                       for i, w in enumerate(model.get_weights())])
    model.compile(k.optimizers.SGD(0.1, use_ema=use_ema, ema_momentum=0.5), "mse")
    seen = []  # what a later callback (a checkpoint) sees at the end of each epoch
    record = k.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: seen.append(model.get_weights()[0].copy()))
    history = model.fit(X, Y, batch_size=8, epochs=3, shuffle=False, verbose=0,
                        validation_data=(VX, VY), callbacks=callbacks(k) + [record])
    weights = model.get_weights()
    evaluated = model.evaluate(VX, VY, verbose=0, callbacks=callbacks(k))
    after_evaluate = model.get_weights()
    return history.history, seen, weights, evaluated, after_evaluate


@pytest.mark.parametrize("swap_on_epoch", [False, True])
def test_validation_and_checkpoints_see_the_averages_as_in_keras(swap_on_epoch):
    keras = pytest.importorskip("keras")
    make = lambda k: [k.callbacks.SwapEMAWeights(swap_on_epoch=swap_on_epoch)]  # noqa: E731
    ours, theirs = _run(neokeras, make), _run(keras, make)
    for key in theirs[0]:
        np.testing.assert_allclose(ours[0][key], theirs[0][key], rtol=1e-6)
    for a, b in zip(ours[1] + ours[2] + ours[4], theirs[1] + theirs[2] + theirs[4]):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    assert ours[3] == pytest.approx(theirs[3], rel=1e-6)
    # The swap changes what validation measures, and evaluation leaves the weights as found.
    plain = _run(neokeras, lambda k: [])
    assert not np.allclose(ours[0]["val_loss"], plain[0]["val_loss"])
    if swap_on_epoch:  # a later callback sees the averages at the end of an epoch
        assert not np.allclose(ours[1][0], plain[1][0])
    else:
        np.testing.assert_array_equal(ours[1][0], plain[1][0])
    for a, b in zip(ours[2], ours[4]):
        np.testing.assert_array_equal(a, b)


def test_predict_swaps_in_and_back():
    model = neokeras.Sequential([neokeras.Input((4,)), neokeras.layers.Dense(1)])
    model.compile(neokeras.optimizers.SGD(0.1, use_ema=True, ema_momentum=0.9), "mse")
    model.fit(X, Y, batch_size=8, epochs=1, verbose=0)
    trained = model.get_weights()
    averages = [np.asarray(v) for v in model.optimizer._model_variables_moving_average]
    with_averages = model.predict(X, verbose=0, callbacks=[neokeras.callbacks.SwapEMAWeights()])
    np.testing.assert_allclose(with_averages, X @ averages[0] + averages[1], rtol=1e-5)
    for a, b in zip(model.get_weights(), trained):
        np.testing.assert_array_equal(a, b)


def test_without_use_ema_it_says_what_is_needed():
    with pytest.raises(ValueError, match="use_ema=True"):
        _run(neokeras, lambda k: [k.callbacks.SwapEMAWeights()], use_ema=False)
