"""How `fit` uses optimizer features that need the training loop: loss scaling and EMA."""

import numpy as np

import neokeras as keras


def _model(optimizer):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, kernel_initializer="ones")])
    model.compile(optimizer=optimizer, loss="mse")
    return model


def test_loss_scale_factor_does_not_change_the_update():
    x = np.arange(12, dtype="float32").reshape(4, 3) / 10
    y = np.ones((4, 1), "float32")
    plain = _model(keras.optimizers.SGD(0.1))
    scaled = _model(keras.optimizers.SGD(0.1, loss_scale_factor=128.0))
    h1 = plain.fit(x, y, batch_size=4, epochs=2, verbose=0, shuffle=False)
    h2 = scaled.fit(x, y, batch_size=4, epochs=2, verbose=0, shuffle=False)
    np.testing.assert_allclose(scaled.get_weights()[0], plain.get_weights()[0], rtol=1e-5)
    # The logged loss is the unscaled one.
    np.testing.assert_allclose(h2.history["loss"], h1.history["loss"], rtol=1e-5)


def test_use_ema_replaces_weights_by_their_average_at_the_end_of_fit():
    x = np.arange(12, dtype="float32").reshape(4, 3) / 10
    y = np.ones((4, 1), "float32")
    model = _model(keras.optimizers.SGD(0.1, use_ema=True, ema_momentum=0.5))
    model.fit(x, y, batch_size=4, epochs=3, verbose=0, shuffle=False)
    averages = [np.asarray(v) for v in model.optimizer._model_variables_moving_average]
    np.testing.assert_allclose(model.get_weights()[0], averages[0], rtol=1e-6)
    raw = _model(keras.optimizers.SGD(0.1))
    raw.fit(x, y, batch_size=4, epochs=3, verbose=0, shuffle=False)
    assert not np.allclose(raw.get_weights()[0], model.get_weights()[0])


def test_unknown_loss_or_metric_name_fails_at_compile():
    import pytest

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="Unknown loss 'mse_x'.*mean_squared_error"):
        model.compile(optimizer="sgd", loss="mse_x")
    with pytest.raises(ValueError, match="Unknown metric 'acuracy'"):
        model.compile(optimizer="sgd", loss="mse", metrics=["acuracy"])
