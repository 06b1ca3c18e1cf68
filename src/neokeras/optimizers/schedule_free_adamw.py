"""Schedule-free AdamW (Defazio et al., 2024): no learning-rate schedule needed."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.optimizers.optimizer import Optimizer


@keras_name("keras.optimizers.ScheduleFreeAdamW")
class ScheduleFreeAdamW(Optimizer):
    """AdamW whose iterate averaging replaces the learning-rate schedule.

    Three sequences are kept: `z` (the slot "momentum", a plain Adam-scaled SGD sequence
    starting at the initial weights), its running average `x`, and the weights the model sees,
    `y = (1 - beta_1) z + beta_1 x`, where the gradient is taken. `x` is not stored: it is
    recovered from `y` and the previous `z`.

    Args:
        learning_rate: Float, schedule or callable (default 0.0025).
        beta_1: Interpolation between `z` and `x` (default 0.9).
        beta_2: Decay of the second-moment estimate (default 0.999).
        epsilon: Small constant for numerical stability (default 1e-8).
        warmup_steps: Steps over which the learning rate ramps up linearly (default 0).
        **kwargs: See `Optimizer`.
    """

    _default_learning_rate = 0.0025

    def __init__(self, learning_rate=None, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
                 warmup_steps=0, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self.warmup_steps = warmup_steps

    def build(self, var_list):
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"])
        for z, variable in zip(self._momentums, var_list):
            z.assign(variable.value)  # `z` starts at the initial weights

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        z, v = self._momentums[index], self._velocities[index]
        step = self._local_step(variable.dtype)
        if self.warmup_steps > 0:
            learning_rate = learning_rate * ops.minimum(step / self.warmup_steps, 1.0)
        # The betas are cast to the variable's dtype before `1 - beta` is taken, as in Keras
        # (in float32, `1 - 0.999` then cancels exactly against the bias correction).
        beta_1 = ops.cast(self.beta_1, variable.dtype)
        beta_2 = ops.cast(self.beta_2, variable.dtype)
        z_old, y_old = z.value, variable.value
        v.assign(v.value + (ops.square(gradient) - v.value) * (1 - beta_2))
        bias_correction = 1 - ops.power(beta_2, step)
        z.assign(z_old - learning_rate * gradient / (ops.sqrt(v.value / bias_correction)
                                                     + self.epsilon))
        x_old = (y_old - (1 - beta_1) * z_old) / beta_1
        weight = 1.0 / step
        x_new = (1 - weight) * x_old + weight * z.value
        variable.assign((1 - beta_1) * z.value + beta_1 * x_new)

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon, "warmup_steps": self.warmup_steps}
