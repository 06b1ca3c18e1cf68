"""Lion: sign of an interpolated momentum (Chen et al., 2023)."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.optimizers.optimizer import Optimizer


@keras_name("keras.optimizers.Lion")
class Lion(Optimizer):
    """`w -= lr * sign(b1 m + (1-b1) g); m = b2 m + (1-b2) g`.

    Args:
        learning_rate: Float, schedule or callable (default 0.001).
        beta_1: Interpolation factor of the update direction, in (0, 1] (default 0.9).
        beta_2: Decay of the momentum (default 0.99).
        **kwargs: See `Optimizer`.
    """

    def __init__(self, learning_rate=None, beta_1=0.9, beta_2=0.99, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if not 0 < beta_1 <= 1:
            raise ValueError(f"Lion(beta_1=...) must be in (0, 1]; beta_1=0 degenerates to "
                             f"sign SGD. Received: {beta_1!r}")
        self.beta_1, self.beta_2 = beta_1, beta_2

    def build(self, var_list):
        super().build(var_list)
        self._momentums = self.add_optimizer_variables(var_list, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        def update(gradient, value, m):
            direction = ops.sign(m * self.beta_1 + gradient * (1.0 - self.beta_1))
            return (value - learning_rate * direction,
                    m * self.beta_2 + gradient * (1.0 - self.beta_2))

        self._assign_elementwise(update, gradient,
                                 [variable, self._momentums[self._get_variable_index(variable)]])

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2}
