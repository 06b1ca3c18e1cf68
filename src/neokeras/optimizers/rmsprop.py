"""RMSprop: divides the gradient by a running root mean square of recent gradients."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.optimizers.optimizer import Optimizer


@keras_name("keras.optimizers.RMSprop")
class RMSprop(Optimizer):
    """`ms = rho * ms + (1 - rho) * g^2; w -= lr * g / sqrt(ms + epsilon)`.

    Args:
        learning_rate: Float, schedule or callable (default 0.001).
        rho: Discount of the running mean square (default 0.9).
        momentum: If > 0, momentum applied to the scaled update.
        epsilon: Small constant for numerical stability (default 1e-7).
        centered: If True, normalize by the estimated variance (subtract the mean gradient).
        **kwargs: See `Optimizer`.
    """

    def __init__(self, learning_rate=None, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False,
                 name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.rho, self.momentum, self.epsilon = rho, momentum, epsilon
        self.centered = bool(centered)

    def build(self, var_list):
        super().build(var_list)
        self._velocities = self.add_optimizer_variables(var_list, "velocity")
        self._momentums = (self.add_optimizer_variables(var_list, "momentum")
                           if self.momentum > 0 else [])
        self._average_gradients = (self.add_optimizer_variables(var_list, "average_gradient")
                                   if self.centered else [])

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        slots = [self._velocities[index]]
        if self.centered:
            slots.append(self._average_gradients[index])
        if self.momentum > 0:
            slots.append(self._momentums[index])

        def update(gradient, value, velocity, *rest):
            rest = list(rest)
            velocity = self.rho * velocity + (1 - self.rho) * ops.square(gradient)
            new_slots = [velocity]
            if self.centered:
                average = self.rho * rest.pop(0) + (1 - self.rho) * gradient
                new_slots.append(average)
                denominator = velocity - ops.square(average) + self.epsilon
            else:
                denominator = velocity + self.epsilon
            increment = learning_rate * gradient / ops.sqrt(denominator)
            if self.momentum > 0:
                increment = self.momentum * rest.pop(0) + increment
                new_slots.append(increment)
            return (value - increment, *new_slots)

        self._assign_elementwise(update, gradient, [variable, *slots])

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "momentum": self.momentum,
                "epsilon": self.epsilon, "centered": self.centered}
