"""Adafactor: factored second moments for matrices (Shazeer & Stern, 2018)."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.optimizers.optimizer import Optimizer


@keras_name("keras.optimizers.Adafactor")
class Adafactor(Optimizer):
    """Keeps row and column means of squared gradients for variables of rank >= 2 (over the
    last two axes) instead of a full second moment; updates are clipped by their RMS and
    scaled by the variable's RMS.

    Args:
        learning_rate: Float, schedule or callable (default 0.001).
        beta_2_decay: Exponent of the second-moment decay `1 - t^beta_2_decay` (default -0.8).
        epsilon_1: Added to squared gradients (default 1e-30).
        epsilon_2: Lower bound of the variable RMS in the step size (default 1e-3).
        clip_threshold: Threshold of the update RMS clipping (default 1.0).
        relative_step: Cap the step at `1 / sqrt(t)` (default True).
        **kwargs: See `Optimizer`.
    """

    def __init__(self, learning_rate=None, beta_2_decay=-0.8, epsilon_1=1e-30, epsilon_2=1e-3,
                 clip_threshold=1.0, relative_step=True, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, var_list):
        super().build(var_list)
        self._r, self._c, self._v = [], [], []
        for var in var_list:
            if len(var.shape) < 2:
                # Keras keeps int32 scalar placeholders here, so saved variable lists line up.
                self._r.append(self.add_variable((), dtype="int32", name=var.name))
                self._c.append(self.add_variable((), dtype="int32", name=var.name))
            else:
                self._r.append(self.add_variable(var.shape[:-1], dtype=var.dtype, name=var.name))
                self._c.append(self.add_variable(var.shape[:-2] + var.shape[-1:], dtype=var.dtype,
                                                 name=var.name))
            self._v.append(self.add_variable_from_reference(var, "velocity"))

    @staticmethod
    def _rms(x):
        return ops.sqrt(ops.mean(ops.square(x)))

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        r, c, v = self._r[index], self._c[index], self._v[index]
        step = self._local_step(variable.dtype)
        rho = ops.minimum(learning_rate, 1 / ops.sqrt(step))
        alpha = ops.maximum(self.epsilon_2, self._rms(variable.value)) * rho
        squared = ops.square(gradient) + self.epsilon_1
        beta_2 = 1 - ops.power(step, self.beta_2_decay)
        if len(variable.shape) >= 2:
            r.assign(beta_2 * r.value + (1 - beta_2) * ops.mean(squared, axis=-1))
            c.assign(beta_2 * c.value + (1 - beta_2) * ops.mean(squared, axis=-2))
            row_share = r.value / ops.mean(r.value, axis=-1, keepdims=True)
            v.assign(ops.expand_dims(row_share, -1) * ops.expand_dims(c.value, -2))
        else:
            v.assign(beta_2 * v.value + (1 - beta_2) * squared)
        update = gradient / ops.sqrt(v.value)
        update = update / ops.maximum(1.0, self._rms(update) / self.clip_threshold)
        variable.assign(variable.value - alpha * update)

    def get_config(self):
        return {**super().get_config(), "beta_2_decay": self.beta_2_decay,
                "epsilon_1": self.epsilon_1, "epsilon_2": self.epsilon_2,
                "clip_threshold": self.clip_threshold, "relative_step": self.relative_step}
