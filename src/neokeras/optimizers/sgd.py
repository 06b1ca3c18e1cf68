"""Stochastic gradient descent with optional (Nesterov) momentum."""

from neokeras.api_export import keras_name
from neokeras.optimizers.optimizer import Optimizer


@keras_name("keras.optimizers.SGD")
class SGD(Optimizer):
    """Gradient descent: `v = momentum * v - lr * g; w += v` (or `w += momentum * v - lr * g`
    with Nesterov momentum); plain `w -= lr * g` when `momentum` is 0.

    Args:
        learning_rate: Float, schedule or callable (default 0.01).
        momentum: Float in [0, 1] (default 0).
        nesterov: Whether to use Nesterov momentum.
        **kwargs: See `Optimizer` (clipping, weight decay, EMA, Keras 2 `lr` and `decay`).
    """

    _default_learning_rate = 0.01

    def __init__(self, learning_rate=None, momentum=0.0, nesterov=False, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) \
                or not 0 <= momentum <= 1:
            raise ValueError(f"SGD(momentum=...) must be a float in [0, 1]. Received: {momentum!r}")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)

    def build(self, var_list):
        super().build(var_list)
        self.momentums = self.add_optimizer_variables(var_list, "momentum") if self.momentum else []

    def update_step(self, gradient, variable, learning_rate):
        if not self.momentum:
            variable.assign(variable.value - gradient * learning_rate)
            return
        velocity = self.momentums[self._get_variable_index(variable)]

        def update(gradient, value, velocity):
            velocity = velocity * self.momentum - gradient * learning_rate
            if self.nesterov:
                return value + (velocity * self.momentum - gradient * learning_rate), velocity
            return value + velocity, velocity

        self._assign_elementwise(update, gradient, [variable, velocity])

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
