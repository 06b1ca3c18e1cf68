"""Adagrad: per-coordinate step sizes shrinking with the sum of squared gradients."""

from neokeras import initializers
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.optimizers.optimizer import Optimizer


@keras_name("keras.optimizers.Adagrad")
class Adagrad(Optimizer):
    """`acc += g^2; w -= lr * g / sqrt(acc + epsilon)`.

    Args:
        learning_rate: Float, schedule or callable (default 0.001).
        initial_accumulator_value: Starting value of the accumulators (default 0.1).
        epsilon: Small constant for numerical stability (default 1e-7).
        **kwargs: See `Optimizer`.
    """

    def __init__(self, learning_rate=None, initial_accumulator_value=0.1, epsilon=1e-7,
                 name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, var_list):
        super().build(var_list)
        self._accumulators = self.add_optimizer_variables(
            var_list, "accumulator",
            initializer=initializers.Constant(self.initial_accumulator_value))

    def update_step(self, gradient, variable, learning_rate):
        def update(gradient, value, accumulator):
            accumulator = accumulator + ops.square(gradient)
            return (value - learning_rate * gradient / ops.sqrt(accumulator + self.epsilon),
                    accumulator)

        self._assign_elementwise(
            update, gradient, [variable, self._accumulators[self._get_variable_index(variable)]])

    def get_config(self):
        return {**super().get_config(),
                "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon}
