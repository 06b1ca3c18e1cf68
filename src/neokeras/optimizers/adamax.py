"""Adamax: Adam with the infinity norm in place of the second moment."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.optimizers.optimizer import Optimizer


@keras_name("keras.optimizers.Adamax")
class Adamax(Optimizer):
    """`m = b1 m + (1-b1) g; u = max(b2 u, |g|); w -= lr * m / ((1 - b1^t) (u + epsilon))`.

    Args:
        learning_rate: Float, schedule or callable (default 0.001).
        beta_1: Decay of the first moment (default 0.9).
        beta_2: Decay of the infinity norm (default 0.999).
        epsilon: Small constant for numerical stability (default 1e-7).
        **kwargs: See `Optimizer`.
    """

    def __init__(self, learning_rate=None, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name=None,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

    def build(self, var_list):
        super().build(var_list)
        self._m, self._u = self.add_optimizer_variables(var_list, ["momentum", "norm"])

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        beta_1_power = ops.power(ops.cast(self.beta_1, variable.dtype),
                                 self._local_step(variable.dtype))

        def update(gradient, value, m, u):
            m = m + (gradient - m) * (1 - self.beta_1)
            u = ops.maximum(self.beta_2 * u, ops.abs(gradient))
            return value - learning_rate * m / ((1 - beta_1_power) * (u + self.epsilon)), m, u

        self._assign_elementwise(update, gradient, [variable, self._m[index], self._u[index]])

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}
