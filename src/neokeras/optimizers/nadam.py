"""Nadam: Adam with Nesterov momentum (Dozat, 2016), with the momentum schedule Keras uses."""

from neokeras import backend
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.optimizers.optimizer import Optimizer


@keras_name("keras.optimizers.Nadam")
class Nadam(Optimizer):
    """Adam whose first moment looks one step ahead; the momentum at step `t` is
    `mu_t = beta_1 * (1 - 0.5 * 0.96^t)` and their running product is kept in a variable.

    Args:
        learning_rate: Float, schedule or callable (default 0.001).
        beta_1: Decay of the first moment (default 0.9).
        beta_2: Decay of the second moment (default 0.999).
        epsilon: Small constant for numerical stability (default 1e-7).
        **kwargs: See `Optimizer`.
    """

    def __init__(self, learning_rate=None, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name=None,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

    def build(self, var_list):
        var_list = list(var_list)
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"])
        dtype = var_list[0].dtype if var_list else backend.standardize_dtype(None)
        self._u_product = self.add_variable((), initializer="ones", dtype=dtype,
                                            name="u_product")

    def _momentum_at(self, step):
        return self.beta_1 * (1.0 - 0.5 * ops.power(0.96, step))

    def _update_steps(self, grads, variables, learning_rate):
        # The product of momenta is shared by all variables: advance it once per step.
        dtype = self._u_product.dtype
        decay = 1.0 - 0.5 * ops.power(0.96, self._local_step(dtype))
        self._u_product.assign(self._u_product.value * self.beta_1 * decay)
        super()._update_steps(grads, variables, learning_rate)

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        index = self._get_variable_index(variable)
        step = self._local_step(dtype)
        u_t = self._momentum_at(step)
        u_next = self._momentum_at(self._local_step(dtype, offset=2))
        u_product = ops.cast(self._u_product.value, dtype)
        u_product_next = u_product * u_next
        # The betas are rounded to the variable dtype before `1 - beta`, as Keras does here.
        beta_1, beta_2 = ops.cast(self.beta_1, dtype), ops.cast(self.beta_2, dtype)
        beta_2_power = ops.power(beta_2, step)

        def update(gradient, value, m, v):
            m = m + (gradient - m) * (1 - beta_1)
            v = v + (ops.square(gradient) - v) * (1 - beta_2)
            m_hat = u_next * m / (1 - u_product_next) + (1 - u_t) * gradient / (1 - u_product)
            v_hat = v / (1 - beta_2_power)
            return value - m_hat * learning_rate / (ops.sqrt(v_hat) + self.epsilon), m, v

        self._assign_elementwise(update, gradient,
                                 [variable, self._momentums[index], self._velocities[index]])

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}
