"""The keras.io guide "Writing a training loop from scratch in JAX", unchanged but for the data:
small random arrays in batches instead of MNIST in `tf.data`. Variables, lists of variables and
metrics go straight into `jax.jit` functions as the guide does.

One line differs: the guide's `jax.numpy.sum(losses)` over the Python list `stateless_call`
returns; current JAX rejects lists there (real Keras 3.15.1 fails on it identically), so it
reads `jax.numpy.sum(jax.numpy.array(losses))`."""

import jax
import numpy as np

import neokeras as keras


def get_model():
    inputs = keras.Input(shape=(784,), name="digits")
    x1 = keras.layers.Dense(64, activation="relu")(inputs)
    x2 = keras.layers.Dense(64, activation="relu")(x1)
    outputs = keras.layers.Dense(10, name="predictions")(x2)
    model = keras.Model(inputs=inputs, outputs=outputs)
    return model


def _dataset(n=256, batch_size=32, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, 784)).astype("float32")
    labels = (x[:, :10].argmax(axis=1))  # learnable: the brightest of the first 10 pixels
    y = keras.utils.to_categorical(labels, 10)

    class Batch:  # stands in for the tf.data elements the guide converts with `.numpy()`
        def __init__(self, value):
            self.value = value

        def numpy(self):
            return self.value

    return [(Batch(x[i:i + batch_size]), Batch(y[i:i + batch_size]))
            for i in range(0, n, batch_size)]


def test_guide_end_to_end_and_metrics():
    model = get_model()
    batch_size = 32
    train_dataset = _dataset(batch_size=batch_size)
    val_dataset = _dataset(n=64, batch_size=batch_size, seed=1)

    # Instantiate a loss function.
    loss_fn = keras.losses.CategoricalCrossentropy(from_logits=True)

    # Instantiate an optimizer.
    optimizer = keras.optimizers.Adam(learning_rate=1e-3)

    def compute_loss_and_updates(trainable_variables, non_trainable_variables, x, y):
        y_pred, non_trainable_variables = model.stateless_call(
            trainable_variables, non_trainable_variables, x
        )
        loss = loss_fn(y, y_pred)
        return loss, non_trainable_variables

    grad_fn = jax.value_and_grad(compute_loss_and_updates, has_aux=True)

    @jax.jit
    def train_step(state, data):
        trainable_variables, non_trainable_variables, optimizer_variables = state
        x, y = data
        (loss, non_trainable_variables), grads = grad_fn(
            trainable_variables, non_trainable_variables, x, y
        )
        trainable_variables, optimizer_variables = optimizer.stateless_apply(
            optimizer_variables, grads, trainable_variables
        )
        # Return updated state
        return loss, (
            trainable_variables,
            non_trainable_variables,
            optimizer_variables,
        )

    # Build optimizer variables.
    optimizer.build(model.trainable_variables)

    trainable_variables = model.trainable_variables
    non_trainable_variables = model.non_trainable_variables
    optimizer_variables = optimizer.variables
    state = trainable_variables, non_trainable_variables, optimizer_variables

    # Training loop
    losses = []
    for epoch in range(3):
        for step, data in enumerate(train_dataset):
            data = (data[0].numpy(), data[1].numpy())
            loss, state = train_step(state, data)
            losses.append(float(loss))
    assert np.mean(losses[-8:]) < np.mean(losses[:8])

    trainable_variables, non_trainable_variables, optimizer_variables = state
    for variable, value in zip(model.trainable_variables, trainable_variables):
        variable.assign(value)
    for variable, value in zip(model.non_trainable_variables, non_trainable_variables):
        variable.assign(value)
    np.testing.assert_allclose(model.trainable_variables[0].numpy(),
                               np.asarray(trainable_variables[0]))

    # ---------------------------------------------------- low-level handling of metrics
    model = get_model()
    optimizer = keras.optimizers.Adam(learning_rate=1e-3)
    loss_fn = keras.losses.CategoricalCrossentropy(from_logits=True)
    train_acc_metric = keras.metrics.CategoricalAccuracy()
    val_acc_metric = keras.metrics.CategoricalAccuracy()

    def compute_loss_and_updates(
        trainable_variables, non_trainable_variables, metric_variables, x, y
    ):
        y_pred, non_trainable_variables = model.stateless_call(
            trainable_variables, non_trainable_variables, x
        )
        loss = loss_fn(y, y_pred)
        metric_variables = train_acc_metric.stateless_update_state(
            metric_variables, y, y_pred
        )
        return loss, (non_trainable_variables, metric_variables)

    grad_fn = jax.value_and_grad(compute_loss_and_updates, has_aux=True)

    @jax.jit
    def train_step(state, data):
        (
            trainable_variables,
            non_trainable_variables,
            optimizer_variables,
            metric_variables,
        ) = state
        x, y = data
        (loss, (non_trainable_variables, metric_variables)), grads = grad_fn(
            trainable_variables, non_trainable_variables, metric_variables, x, y
        )
        trainable_variables, optimizer_variables = optimizer.stateless_apply(
            optimizer_variables, grads, trainable_variables
        )
        # Return updated state
        return loss, (
            trainable_variables,
            non_trainable_variables,
            optimizer_variables,
            metric_variables,
        )

    @jax.jit
    def eval_step(state, data):
        trainable_variables, non_trainable_variables, metric_variables = state
        x, y = data
        y_pred, non_trainable_variables = model.stateless_call(
            trainable_variables, non_trainable_variables, x
        )
        loss = loss_fn(y, y_pred)
        metric_variables = val_acc_metric.stateless_update_state(
            metric_variables, y, y_pred
        )
        return loss, (
            trainable_variables,
            non_trainable_variables,
            metric_variables,
        )

    # Build optimizer variables.
    optimizer.build(model.trainable_variables)

    trainable_variables = model.trainable_variables
    non_trainable_variables = model.non_trainable_variables
    optimizer_variables = optimizer.variables
    metric_variables = train_acc_metric.variables
    state = (
        trainable_variables,
        non_trainable_variables,
        optimizer_variables,
        metric_variables,
    )

    # Training loop
    for step, data in enumerate(train_dataset):
        data = (data[0].numpy(), data[1].numpy())
        loss, state = train_step(state, data)
        # Log every 100 batches.
        if step % 100 == 0:
            _, _, _, metric_variables = state
            for variable, value in zip(train_acc_metric.variables, metric_variables):
                variable.assign(value)
            assert 0.0 <= float(train_acc_metric.result()) <= 1.0

    metric_variables = val_acc_metric.variables
    (
        trainable_variables,
        non_trainable_variables,
        optimizer_variables,
        metric_variables,
    ) = state
    state = trainable_variables, non_trainable_variables, metric_variables

    # Eval loop
    for step, data in enumerate(val_dataset):
        data = (data[0].numpy(), data[1].numpy())
        loss, state = eval_step(state, data)
    # The guide carries the training metric's variables into the eval state; the accuracy
    # after the eval loop counts every training and validation sample.
    _, _, metric_variables = state
    for variable, value in zip(val_acc_metric.variables, metric_variables):
        variable.assign(value)
    assert float(val_acc_metric.count.numpy()) == 256 + 64


class ActivityRegularizationLayer(keras.layers.Layer):
    def call(self, inputs):
        self.add_loss(1e-2 * jax.numpy.sum(inputs))
        return inputs


def test_guide_losses_tracked_by_the_model():
    inputs = keras.Input(shape=(784,), name="digits")
    x = keras.layers.Dense(64, activation="relu")(inputs)
    # Insert activity regularization as a layer
    x = ActivityRegularizationLayer()(x)
    x = keras.layers.Dense(64, activation="relu")(x)
    outputs = keras.layers.Dense(10, name="predictions")(x)

    model = keras.Model(inputs=inputs, outputs=outputs)
    loss_fn = keras.losses.CategoricalCrossentropy(from_logits=True)
    train_acc_metric = keras.metrics.CategoricalAccuracy()

    def compute_loss_and_updates(
        trainable_variables, non_trainable_variables, metric_variables, x, y
    ):
        y_pred, non_trainable_variables, losses = model.stateless_call(
            trainable_variables, non_trainable_variables, x, return_losses=True
        )
        loss = loss_fn(y, y_pred)
        if losses:
            loss += jax.numpy.sum(jax.numpy.array(losses))
        metric_variables = train_acc_metric.stateless_update_state(
            metric_variables, y, y_pred
        )
        return loss, non_trainable_variables, metric_variables

    (batch_x, batch_y), = [(b[0].numpy(), b[1].numpy()) for b in _dataset(n=32)]
    loss, _, _ = jax.jit(compute_loss_and_updates)(
        model.trainable_variables, model.non_trainable_variables, train_acc_metric.variables,
        batch_x, batch_y)
    hidden = np.maximum(batch_x @ model.layers[1].kernel.numpy() + model.layers[1].bias.numpy(),
                        0)
    plain = float(loss_fn(batch_y, model(batch_x)))
    np.testing.assert_allclose(float(loss), plain + 1e-2 * hidden.sum(), rtol=1e-4)
