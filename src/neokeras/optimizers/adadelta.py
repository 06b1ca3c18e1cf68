"""Adadelta: step sizes from running averages of squared gradients and squared updates."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.optimizers.optimizer import Optimizer


@keras_name("keras.optimizers.Adadelta")
class Adadelta(Optimizer):
    """`E[g^2] = rho E[g^2] + (1-rho) g^2; d = -sqrt(E[d^2] + eps) / sqrt(E[g^2] + eps) * g;
    E[d^2] = rho E[d^2] + (1-rho) d^2; w += lr * d`.

    Args:
        learning_rate: Float, schedule or callable (default 0.001; Keras 2 used 1.0).
        rho: Decay of the running averages (default 0.95).
        epsilon: Small constant for numerical stability (default 1e-7).
        **kwargs: See `Optimizer`.
    """

    def __init__(self, learning_rate=None, rho=0.95, epsilon=1e-7, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.rho, self.epsilon = rho, epsilon

    def build(self, var_list):
        super().build(var_list)
        self._accumulated_grads, self._accumulated_delta_vars = self.add_optimizer_variables(
            var_list, ["accumulated_grad", "accumulated_delta_var"])

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        rho = self.rho

        def update(gradient, value, grad_avg, delta_avg):
            grad_avg = rho * grad_avg + (1 - rho) * ops.square(gradient)
            delta = -(ops.sqrt(delta_avg + self.epsilon) * gradient
                      / ops.sqrt(grad_avg + self.epsilon))
            delta_avg = rho * delta_avg + (1 - rho) * ops.square(delta)
            return value + learning_rate * delta, grad_avg, delta_avg

        self._assign_elementwise(update, gradient, [variable, self._accumulated_grads[index],
                                                    self._accumulated_delta_vars[index]])

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
