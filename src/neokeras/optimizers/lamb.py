"""Lamb: Adam with a layer-wise trust ratio (You et al., 2019), for large batches."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.optimizers.optimizer import Optimizer


@keras_name("keras.optimizers.Lamb")
class Lamb(Optimizer):
    """Adam's bias-corrected direction `u = m_hat / (sqrt(v_hat) + epsilon)`, scaled per
    variable by the trust ratio `||w|| / ||u||` (1 when either norm is 0): `w -= ratio * lr * u`.

    Args:
        learning_rate: Float, schedule or callable (default 0.001).
        beta_1: Decay of the first-moment estimate (default 0.9).
        beta_2: Decay of the second-moment estimate (default 0.999).
        epsilon: Small constant for numerical stability (default 1e-7).
        **kwargs: See `Optimizer`.
    """

    def __init__(self, learning_rate=None, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name=None,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

    def build(self, var_list):
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"])

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        m, v = self._momentums[index], self._velocities[index]
        step = self._local_step(variable.dtype)
        m.assign(m.value + (gradient - m.value) * (1 - self.beta_1))
        v.assign(v.value + (ops.square(gradient) - v.value) * (1 - self.beta_2))
        m_hat = m.value / (1.0 - ops.power(ops.cast(self.beta_1, variable.dtype), step))
        v_hat = v.value / (1.0 - ops.power(ops.cast(self.beta_2, variable.dtype), step))
        update = m_hat / (ops.sqrt(v_hat) + self.epsilon)
        w_norm = ops.sqrt(ops.sum(ops.square(variable.value)))
        u_norm = ops.sqrt(ops.sum(ops.square(update)))
        ratio = ops.where(ops.logical_and(w_norm > 0, u_norm > 0), w_norm / u_norm, 1.0)
        variable.assign(variable.value - ratio * learning_rate * update)

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}
