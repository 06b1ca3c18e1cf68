"""Adam: adaptive moment estimation (Kingma & Ba, 2014)."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.optimizers.optimizer import Optimizer


@keras_name("keras.optimizers.Adam")
class Adam(Optimizer):
    """Adam with the bias correction folded into the step size, as Keras computes it:
    `lr_t = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)`, `w -= lr_t * m / (sqrt(v) + epsilon)`.

    Args:
        learning_rate: Float, schedule or callable (default 0.001).
        beta_1: Decay of the first-moment estimate (default 0.9).
        beta_2: Decay of the second-moment estimate (default 0.999).
        epsilon: Small constant for numerical stability (default 1e-7).
        amsgrad: Whether to use the AMSGrad variant (max of past second moments).
        **kwargs: See `Optimizer`.
    """

    def __init__(self, learning_rate=None, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self.amsgrad = bool(amsgrad)
        self._step_sizes = None  # during an update: the step size of each dtype

    def build(self, var_list):
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"])
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(var_list, "velocity_hat")

    def _update_steps(self, grads, variables, learning_rate):
        # The step size is the same for every variable of a dtype: computed once per update
        # instead of once per variable (a ninth of a small model's traced training step).
        self._step_sizes = {}
        try:
            super()._update_steps(grads, variables, learning_rate)
        finally:
            self._step_sizes = None

    def _step_size(self, dtype, learning_rate):
        """`lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)` for variables of `dtype`."""
        cache = self._step_sizes
        if cache is not None and dtype in cache:
            return cache[dtype]
        step = self._local_step(dtype)
        beta_1_power = ops.power(ops.cast(self.beta_1, dtype), step)
        beta_2_power = ops.power(ops.cast(self.beta_2, dtype), step)
        alpha = learning_rate * ops.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        if cache is not None:
            cache[dtype] = alpha
        return alpha

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        alpha = self._step_size(variable.dtype, learning_rate)
        slots = [self._momentums[index], self._velocities[index]]
        if self.amsgrad:
            slots.append(self._velocity_hats[index])

        def update(gradient, value, m, v, v_hat=None):
            m = m + (gradient - m) * (1 - self.beta_1)
            v = v + (ops.square(gradient) - v) * (1 - self.beta_2)
            if v_hat is None:
                return value - m * alpha / (ops.sqrt(v) + self.epsilon), m, v
            v_hat = ops.maximum(v_hat, v)
            return value - m * alpha / (ops.sqrt(v_hat) + self.epsilon), m, v, v_hat

        self._assign_elementwise(update, gradient, [variable, *slots])

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon, "amsgrad": self.amsgrad}
