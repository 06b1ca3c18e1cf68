"""Keras 3's stateless JAX API, exactly: the keras.io guides "Customizing what happens in fit()
with JAX" and "Writing a training loop from scratch in JAX" run unchanged (`import neokeras as
keras`; small random data instead of MNIST and no `tf.data`), plus the pieces they rely on."""

import jax
import numpy as np

import neokeras as keras


# ---------------------------------------------------------------- "Customizing fit() with JAX"
class CustomModel(keras.Model):
    def compute_loss_and_updates(
        self,
        trainable_variables,
        non_trainable_variables,
        metrics_variables,
        x,
        y,
        sample_weight,
        training=False,
    ):
        y_pred, non_trainable_variables = self.stateless_call(
            trainable_variables,
            non_trainable_variables,
            x,
            training=training,
        )
        loss, (
            trainable_variables,
            non_trainable_variables,
            metrics_variables,
        ) = self.stateless_compute_loss(
            trainable_variables,
            non_trainable_variables,
            metrics_variables,
            x=x,
            y=y,
            y_pred=y_pred,
            sample_weight=sample_weight,
            training=training,
        )
        return loss, (y_pred, non_trainable_variables, metrics_variables)

    def train_step(self, state, data):
        (
            trainable_variables,
            non_trainable_variables,
            optimizer_variables,
            metrics_variables,
        ) = state
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)

        # Get the gradient function.
        grad_fn = jax.value_and_grad(self.compute_loss_and_updates, has_aux=True)

        # Compute the gradients.
        (loss, (y_pred, non_trainable_variables, metrics_variables)), grads = grad_fn(
            trainable_variables,
            non_trainable_variables,
            metrics_variables,
            x,
            y,
            sample_weight,
            training=True,
        )

        # Update trainable variables and optimizer variables.
        trainable_variables, optimizer_variables = self.optimizer.stateless_apply(
            optimizer_variables, grads, trainable_variables
        )

        # Update metrics.
        new_metrics_vars = []
        logs = {}
        for metric in self.metrics:
            this_metric_vars = metrics_variables[
                len(new_metrics_vars) : len(new_metrics_vars) + len(metric.variables)
            ]
            if metric.name == "loss":
                this_metric_vars = metric.stateless_update_state(
                    this_metric_vars, loss, sample_weight=sample_weight
                )
            else:
                this_metric_vars = metric.stateless_update_state(
                    this_metric_vars, y, y_pred, sample_weight=sample_weight
                )
            logs[metric.name] = metric.stateless_result(this_metric_vars)
            new_metrics_vars += this_metric_vars

        # Return metric logs and updated state variables.
        state = (
            trainable_variables,
            non_trainable_variables,
            optimizer_variables,
            new_metrics_vars,
        )
        return logs, state


def test_guide_first_simple_example():
    inputs = keras.Input(shape=(32,))
    outputs = keras.layers.Dense(1)(inputs)
    model = CustomModel(inputs, outputs)
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])

    x = np.random.random((1000, 32))
    y = np.random.random((1000, 1))
    history = model.fit(x, y, epochs=3, verbose=0)
    losses = history.history["loss"]
    assert set(history.history) == {"loss", "mae"}
    assert losses[-1] < losses[0]
    # The logs are the metrics' running values: evaluate on the trained weights agrees with
    # a numpy computation.
    pred = model.predict(x, verbose=0)
    np.testing.assert_allclose(model.evaluate(x, y, verbose=0)[0],
                               np.mean((pred - y) ** 2), rtol=1e-4)


class LowLevelModel(keras.Model):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.mae_metric = keras.metrics.MeanAbsoluteError(name="mae")
        self.loss_fn = keras.losses.MeanSquaredError()

    def compute_loss_and_updates(
        self,
        trainable_variables,
        non_trainable_variables,
        x,
        y,
        sample_weight,
        training=False,
    ):
        y_pred, non_trainable_variables = self.stateless_call(
            trainable_variables,
            non_trainable_variables,
            x,
            training=training,
        )
        loss = self.loss_fn(y, y_pred, sample_weight=sample_weight)
        return loss, (y_pred, non_trainable_variables)

    def train_step(self, state, data):
        (
            trainable_variables,
            non_trainable_variables,
            optimizer_variables,
            metrics_variables,
        ) = state
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)

        # Get the gradient function.
        grad_fn = jax.value_and_grad(self.compute_loss_and_updates, has_aux=True)

        # Compute the gradients.
        (loss, (y_pred, non_trainable_variables)), grads = grad_fn(
            trainable_variables,
            non_trainable_variables,
            x,
            y,
            sample_weight,
            training=True,
        )

        # Update trainable variables and optimizer variables.
        trainable_variables, optimizer_variables = self.optimizer.stateless_apply(
            optimizer_variables, grads, trainable_variables
        )

        # Update metrics.
        loss_tracker_vars = metrics_variables[: len(self.loss_tracker.variables)]
        mae_metric_vars = metrics_variables[len(self.loss_tracker.variables) :]

        loss_tracker_vars = self.loss_tracker.stateless_update_state(
            loss_tracker_vars, loss, sample_weight=sample_weight
        )
        mae_metric_vars = self.mae_metric.stateless_update_state(
            mae_metric_vars, y, y_pred, sample_weight=sample_weight
        )

        logs = {}
        logs[self.loss_tracker.name] = self.loss_tracker.stateless_result(
            loss_tracker_vars
        )
        logs[self.mae_metric.name] = self.mae_metric.stateless_result(mae_metric_vars)

        new_metrics_vars = loss_tracker_vars + mae_metric_vars

        # Return metric logs and updated state variables.
        state = (
            trainable_variables,
            non_trainable_variables,
            optimizer_variables,
            new_metrics_vars,
        )
        return logs, state

    @property
    def metrics(self):
        # We list our `Metric` objects here so that `reset_states()` can be
        # called automatically at the start of each epoch
        # or at the start of `evaluate()`.
        return [self.loss_tracker, self.mae_metric]


def test_guide_going_lower_level():
    inputs = keras.Input(shape=(32,))
    outputs = keras.layers.Dense(1)(inputs)
    model = LowLevelModel(inputs, outputs)

    # We don't pass a loss or metrics here.
    model.compile(optimizer="adam")

    # Just use `fit` as usual -- you can use callbacks, etc.
    x = np.random.random((1000, 32))
    y = np.random.random((1000, 1))
    history = model.fit(x, y, epochs=5, verbose=0)
    assert set(history.history) == {"loss", "mae"}
    assert history.history["loss"][-1] < history.history["loss"][0]
    # The metrics were reset at each epoch: the last epoch's loss is that epoch's mean, not
    # an average over every epoch.
    assert model.loss_tracker.result() == history.history["loss"][-1]


class EvalModel(keras.Model):
    def test_step(self, state, data):
        # Unpack the data.
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        (
            trainable_variables,
            non_trainable_variables,
            metrics_variables,
        ) = state

        # Compute predictions and loss.
        y_pred, non_trainable_variables = self.stateless_call(
            trainable_variables,
            non_trainable_variables,
            x,
            training=False,
        )
        loss, (
            trainable_variables,
            non_trainable_variables,
            metrics_variables,
        ) = self.stateless_compute_loss(
            trainable_variables,
            non_trainable_variables,
            metrics_variables,
            x=x,
            y=y,
            y_pred=y_pred,
            sample_weight=sample_weight,
            training=False,
        )

        # Update metrics.
        new_metrics_vars = []
        logs = {}
        for metric in self.metrics:
            this_metric_vars = metrics_variables[
                len(new_metrics_vars) : len(new_metrics_vars) + len(metric.variables)
            ]
            if metric.name == "loss":
                this_metric_vars = metric.stateless_update_state(
                    this_metric_vars, loss, sample_weight=sample_weight
                )
            else:
                this_metric_vars = metric.stateless_update_state(
                    this_metric_vars, y, y_pred, sample_weight=sample_weight
                )
            logs[metric.name] = metric.stateless_result(this_metric_vars)
            new_metrics_vars += this_metric_vars

        # Return metric logs and updated state variables.
        state = (
            trainable_variables,
            non_trainable_variables,
            new_metrics_vars,
        )
        return logs, state


def test_guide_providing_your_own_evaluation_step():
    inputs = keras.Input(shape=(32,))
    outputs = keras.layers.Dense(1)(inputs)
    model = EvalModel(inputs, outputs)
    model.compile(loss="mse", metrics=["mae"])

    # Evaluate with our custom test_step
    x = np.random.random((1000, 32))
    y = np.random.random((1000, 1))
    logs = model.evaluate(x, y, return_dict=True, verbose=0)
    pred = model.predict(x, verbose=0)
    # The step feeds the loss tracker each batch's mean loss with no weight: the mean of the
    # 32 batch losses (the last batch has 8 samples), as in Keras.
    batch_losses = [np.mean((pred[i:i + 32] - y[i:i + 32]) ** 2) for i in range(0, 1000, 32)]
    np.testing.assert_allclose(logs["loss"], np.mean(batch_losses), rtol=1e-4)
    np.testing.assert_allclose(logs["mae"], np.mean(np.abs(pred - y)), rtol=1e-4)


# ---------------------------------------------------------------- the pieces, with Keras's shapes
def test_builtin_compute_loss_and_updates_returns_the_documented_structure():
    inputs = keras.Input(shape=(3,))
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    model.compile("sgd", "mse", metrics=["mae"])
    x, y = np.ones((4, 3), "float32"), np.zeros((4, 2), "float32")
    model.evaluate(x, y, verbose=0)  # builds the compiled metrics
    loss, (y_pred, non_trainable, metrics_values) = model.compute_loss_and_updates(
        [v.value for v in model.trainable_variables],
        [v.value for v in model.non_trainable_variables],
        [v.value for v in model.metrics_variables], x, y, None, training=True)
    np.testing.assert_allclose(loss, np.mean(np.asarray(model(x)) ** 2), rtol=1e-5)
    assert y_pred.shape == (4, 2)
    assert non_trainable == [] and len(metrics_values) == len(model.metrics_variables)


def test_compute_loss_override_with_keras_signature_is_used_by_fit():
    class Model(keras.Model):
        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
            return keras.ops.mean(keras.ops.abs(y_pred - y)) * 0.0 + keras.ops.mean(y_pred ** 2)

    inputs = keras.Input(shape=(3,))
    model = Model(inputs, keras.layers.Dense(1)(inputs))
    model.compile(keras.optimizers.SGD(0.1), loss="mse")
    x = np.random.random((16, 3)).astype("float32")
    y = np.ones((16, 1), "float32")
    before = np.mean(model.predict(x, verbose=0) ** 2)
    history = model.fit(x, y, epochs=40, batch_size=16, verbose=0)
    pred = model.predict(x, verbose=0)
    # The override's objective (outputs toward 0) is what fit reports and trains, not the
    # compiled mse (outputs toward 1).
    np.testing.assert_allclose(model.evaluate(x, y, verbose=0), np.mean(pred ** 2), rtol=1e-5)
    assert np.mean(pred ** 2) < before and history.history["loss"][-1] < 0.5 * before


def test_metric_stateless_api():
    metric = keras.metrics.Mean()
    values = metric.stateless_update_state([v.value for v in metric.variables],
                                           np.array([1.0, 3.0], "float32"))
    np.testing.assert_allclose(metric.stateless_result(values), 2.0)
    assert float(metric.result()) == 0.0  # nothing was mutated
    reset = metric.stateless_reset_state()
    assert [float(v) for v in reset] == [0.0, 0.0]


def test_unpack_and_pack_x_y_sample_weight():
    x, y, w = np.ones(2), np.zeros(2), np.full(2, 0.5)
    assert keras.utils.unpack_x_y_sample_weight(x)[1:] == (None, None)
    assert keras.utils.unpack_x_y_sample_weight((x,))[0] is x
    assert keras.utils.unpack_x_y_sample_weight([x, y])[1] is y
    assert keras.utils.unpack_x_y_sample_weight((x, y, w))[2] is w
    assert keras.utils.pack_x_y_sample_weight(x) is x
    assert keras.utils.pack_x_y_sample_weight((x, y)) == ((x, y),)
    assert keras.utils.pack_x_y_sample_weight(x, y)[1] is y
    assert len(keras.utils.pack_x_y_sample_weight(x, y, w)) == 3
    import pytest

    with pytest.raises(ValueError, match="sample_weight"):
        keras.utils.unpack_x_y_sample_weight((x, y, w, w))
