"""Every example of the seed text (/work/shared/seed/keras-overview.txt), run as written with
`keras` meaning neokeras: only the import lines are changed."""

import numpy as np
import pytest

import neokeras


def test_empty_sequential_is_valid():
    from neokeras.models import Sequential

    model = Sequential()
    assert model.layers == []


def test_add_and_list_construction():
    from neokeras.layers import Dense
    from neokeras.models import Sequential

    model1 = Sequential()
    model1.add(Dense(5, input_dim=2))
    model1.add(Dense(1))
    assert len(model1.layers) == 2  # input layer is not counted
    layers = [Dense(5, input_dim=2), Dense(1)]
    model2 = Sequential(layers)
    assert len(model2.layers) == 2


def test_input_shape_forms():
    from neokeras.layers import Dense
    from neokeras.models import Sequential

    model1 = Sequential()
    model1.add(Dense(32, input_shape=(784,)))
    assert model1.input_shape == (None, 784)
    model2 = Sequential()
    model2.add(Dense(32, input_dim=784))
    assert model2.input_shape == (None, 784)
    model3 = Sequential()
    model3.add(Dense(32, batch_size=32, input_shape=(6, 8)))
    # The seed reads `assert model3.input_shape == (32, 6, 8))`: the extra parenthesis is a
    # typo (a SyntaxError in any Python); the intended statement is tested.
    assert model3.input_shape == (32, 6, 8)
    assert model3.output_shape == (32, 6, 32)


def test_activation_layer_and_argument():
    import neokeras.backend as K
    from neokeras.layers import Activation, Dense
    from neokeras.models import Sequential

    model1 = Sequential()
    model1.add(Dense(64, input_shape=(32,), activation='tanh'))
    model2 = Sequential()
    model2.add(Dense(64, input_shape=(32,)))
    model2.add(Activation('tanh'))
    assert len(model1.layers) == 1
    assert len(model2.layers) == 2
    assert model1.layers[0].activation == model2.layers[1].activation
    model3 = Sequential()
    model3.add(Dense(64, input_shape=(32,), activation=K.tanh))
    # "functionally the same": same outputs with the same weights.
    model2.layers[0].set_weights(model1.layers[0].get_weights())
    model3.layers[0].set_weights(model1.layers[0].get_weights())
    x = np.random.default_rng(0).standard_normal((4, 32)).astype("float32")
    np.testing.assert_allclose(model2.predict(x, verbose=0), model1.predict(x, verbose=0),
                               rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(model3.predict(x, verbose=0), model1.predict(x, verbose=0),
                               rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", ["softmax", "softplus", "softsign", "linear", "tanh", "sigmoid",
                                  "hard_sigmoid", "elu", "relu", "selu"])
def test_standard_activations_by_name(name):
    from neokeras.layers import Activation, Dense

    fn = neokeras.activations.get(name)
    assert fn is getattr(neokeras.activations, name)
    assert Activation(name).activation is fn
    assert Dense(2, activation=name).activation is fn
    out = np.asarray(fn(np.array([[-1.0, 0.0, 2.0]], "float32")))
    assert out.shape == (1, 3) and np.all(np.isfinite(out))


def test_selu_is_scale_times_elu():
    x = np.linspace(-3, 3, 13).astype("float32")
    acts = neokeras.activations
    expected = acts.SELU_SCALE * np.asarray(acts.elu(x, alpha=acts.SELU_ALPHA))
    np.testing.assert_allclose(np.asarray(acts.selu(x)), expected, rtol=1e-6, atol=1e-6)
    # "Use with lecun_normal initialization and AlphaDropout dropout."
    neokeras.layers.Dense(4, activation="selu", kernel_initializer="lecun_normal")
    neokeras.layers.AlphaDropout(0.1)


@pytest.mark.parametrize("name,cls", [("sgd", "SGD"), ("adam", "Adam"), ("rmsprop", "RMSprop")])
def test_common_optimizers_by_name(name, cls):
    assert type(neokeras.optimizers.get(name)).__name__ == cls


@pytest.mark.parametrize("name", ["mean_squared_error", "binary_crossentropy",
                                  "categorical_crossentropy"])
def test_common_losses_by_name(name):
    assert neokeras.losses.get(name) is getattr(neokeras.losses, name)


def test_compile_with_default_sgd():
    from neokeras import losses, optimizers
    from neokeras.layers import Dense
    from neokeras.models import Sequential

    model = Sequential()
    model.add(Dense(32, input_shape=(784,)))
    sgd = optimizers.SGD()  # uses default values
    model.compile(optimizer=sgd, loss=losses.mean_squared_error)
    assert model.optimizer is sgd
    assert model.loss is losses.mean_squared_error


def test_compile_with_keras2_sgd_arguments():
    from neokeras import losses, optimizers
    from neokeras.layers import Dense
    from neokeras.models import Sequential

    model = Sequential()
    model.add(Dense(32, input_shape=(784,)))
    sgd = optimizers.SGD(lr=0.02, decay=1e-6, momentum=0.9, nesterov=True)
    model.compile(
        optimizer=sgd,
        loss=losses.mean_squared_error,
        metrics=['accuracy']
    )
    assert np.isclose(float(np.asarray(sgd.learning_rate)), 0.02)
    assert sgd.momentum == 0.9 and sgd.nesterov is True


def _seed_model_with_custom_metric():
    import neokeras.backend as K
    from neokeras import losses, optimizers
    from neokeras.layers import Dense
    from neokeras.models import Sequential

    model = Sequential()
    model.add(Dense(32, input_shape=(784,)))

    def mean_pred(y_true, y_pred):
        return K.mean(y_pred)

    sgd = optimizers.SGD(lr=0.02, decay=1e-6, momentum=0.9, nesterov=True)
    model.compile(
        optimizer=sgd,
        loss=losses.mean_squared_error,
        metrics=['accuracy', mean_pred]
    )
    return model


def test_fit_evaluate_predict_snippets():
    model = _seed_model_with_custom_metric()
    rng = np.random.default_rng(0)
    x_train = rng.standard_normal((30, 784)).astype("float32") * 0.05
    y_train = rng.integers(0, 2, (30, 32)).astype("float32")
    history = model.fit(x_train, y_train, batch_size=10, epochs=3, verbose=0)
    assert set(history.history) == {"loss", "accuracy", "mean_pred"}
    assert all(len(v) == 3 for v in history.history.values())
    assert history.history["loss"][-1] < history.history["loss"][0]

    x_test, y_test = x_train[:10], y_train[:10]
    values = model.evaluate(x_test, y_test, verbose=0)
    assert isinstance(values, list) and len(values) == 3  # loss + all metrics

    my_x = x_train[:7]
    predictions = model.predict(my_x, verbose=0)
    assert isinstance(predictions, np.ndarray) and predictions.shape == (7, 32)
    # mean_pred is exactly the mean of the predictions.
    logs = model.evaluate(my_x, y_train[:7], batch_size=7, verbose=0, return_dict=True)
    np.testing.assert_allclose(logs["mean_pred"], predictions.mean(), rtol=1e-5, atol=1e-6)


def test_evaluate_unpacks_loss_and_accuracy():
    from neokeras import losses, optimizers
    from neokeras.layers import Dense
    from neokeras.models import Sequential

    model = Sequential()
    model.add(Dense(1, input_shape=(4,), activation="sigmoid"))
    model.compile(optimizer=optimizers.SGD(), loss=losses.binary_crossentropy,
                  metrics=['accuracy'])
    rng = np.random.default_rng(1)
    x_test = rng.standard_normal((20, 4)).astype("float32")
    y_test = (x_test[:, :1] > 0).astype("float32")
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    p = model.predict(x_test, verbose=0)
    np.testing.assert_allclose(accuracy, np.mean((p > 0.5) == y_test), rtol=1e-6)
    eps = 1e-7
    pc = np.clip(p, eps, 1 - eps)
    expected = -np.mean(y_test * np.log(pc) + (1 - y_test) * np.log(1 - pc))
    np.testing.assert_allclose(loss, expected, rtol=1e-4)
