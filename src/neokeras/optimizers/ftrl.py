"""FTRL-Proximal (McMahan et al., 2013), with L1, L2 and L2-shrinkage regularization."""

from neokeras import initializers
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.optimizers.optimizer import Optimizer


@keras_name("keras.optimizers.Ftrl")
class Ftrl(Optimizer):
    """Follow-the-regularized-leader: the weights are the closed-form minimiser of the
    accumulated linear term plus the regularizers.

    Args:
        learning_rate: Float, schedule or callable (default 0.001).
        learning_rate_power: Exponent (<= 0) of the accumulator in the step size (default -0.5).
        initial_accumulator_value: Starting value (>= 0) of the accumulators (default 0.1).
        l1_regularization_strength: L1 strength (>= 0).
        l2_regularization_strength: L2 strength (>= 0).
        l2_shrinkage_regularization_strength: L2 penalty added to the gradient (>= 0).
        beta: Added to the L2 term as `beta / (2 * lr)` (default 0).
        **kwargs: See `Optimizer`.
    """

    def __init__(self, learning_rate=None, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 l2_shrinkage_regularization_strength=0.0, beta=0.0, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        for arg, value in (("initial_accumulator_value", initial_accumulator_value),
                           ("l1_regularization_strength", l1_regularization_strength),
                           ("l2_regularization_strength", l2_regularization_strength),
                           ("l2_shrinkage_regularization_strength",
                            l2_shrinkage_regularization_strength)):
            if value < 0:
                raise ValueError(f"Ftrl({arg}=...) must be >= 0. Received: {value!r}")
        if learning_rate_power > 0:
            raise ValueError(
                f"Ftrl(learning_rate_power=...) must be <= 0. Received: {learning_rate_power!r}")
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, var_list):
        super().build(var_list)
        self._accumulators, self._linears = self.add_optimizer_variables(
            var_list, ["accumulator", "linear"],
            initializer=[initializers.Constant(self.initial_accumulator_value), "zeros"])

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        accumulator, linear = self._accumulators[index], self._linears[index]
        power = -self.learning_rate_power
        l2 = self.l2_regularization_strength + self.beta / (2.0 * learning_rate)
        shrunk_gradient = gradient + 2 * self.l2_shrinkage_regularization_strength * variable.value
        new_accumulator = accumulator.value + ops.square(gradient)
        sigma = (ops.power(new_accumulator, power) - ops.power(accumulator.value, power)) \
            / learning_rate
        linear.assign(linear.value + (shrunk_gradient - sigma * variable.value))
        quadratic = ops.power(new_accumulator, power) / learning_rate + 2 * l2
        l1 = self.l1_regularization_strength
        variable.assign((ops.clip(linear.value, -l1, l1) - linear.value) / quadratic)
        accumulator.assign(new_accumulator)

    def get_config(self):
        return {**super().get_config(), "learning_rate_power": self.learning_rate_power,
                "initial_accumulator_value": self.initial_accumulator_value,
                "l1_regularization_strength": self.l1_regularization_strength,
                "l2_regularization_strength": self.l2_regularization_strength,
                "l2_shrinkage_regularization_strength":
                    self.l2_shrinkage_regularization_strength,
                "beta": self.beta}
