"""`LossScaleOptimizer`: dynamic loss scaling for float16 training.

float16 gradients underflow to zero for small values. The loss is multiplied by a large scale
before differentiation and the gradients divided by it before the update. When a step produces
non-finite gradients the update is skipped and the scale halved; after `dynamic_growth_steps`
finite steps in a row the scale doubles.
"""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.optimizers.optimizer import Optimizer


@keras_name("keras.optimizers.LossScaleOptimizer", "keras.mixed_precision.LossScaleOptimizer")
class LossScaleOptimizer(Optimizer):
    """Wraps an optimizer with dynamic loss scaling.

    `compile` wraps the optimizer automatically under the `"mixed_float16"` policy.

    Args:
        inner_optimizer: The optimizer that applies the (unscaled) gradients.
        initial_scale: The starting loss scale.
        dynamic_growth_steps: Finite steps in a row after which the scale doubles.
        dynamic: tf-keras spelling: False keeps the scale fixed at `initial_scale` (updates
            are then never skipped).
        name: Optional name.

    Example:

    >>> opt = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.1))
    >>> model.compile(optimizer=opt, loss="mse")
    """

    def __init__(self, inner_optimizer, initial_scale=2.0**15, dynamic_growth_steps=2000,
                 dynamic=True, name=None, **kwargs):
        from neokeras import optimizers

        if kwargs:
            raise TypeError(f"LossScaleOptimizer() got unexpected keyword argument(s) "
                            f"{sorted(kwargs)}.")
        inner = optimizers.get(inner_optimizer)
        if not isinstance(inner, Optimizer):
            raise ValueError("LossScaleOptimizer: `inner_optimizer` must be an Optimizer. "
                             f"Received: {inner_optimizer!r}")
        if initial_scale is None:
            initial_scale = 2.0**15
        if float(initial_scale) <= 0:
            raise ValueError(f"LossScaleOptimizer: `initial_scale` must be positive. "
                             f"Received: {initial_scale!r}")
        if dynamic_growth_steps is None:
            dynamic_growth_steps = 2000
        super().__init__(learning_rate=0.0, name=name or "loss_scale_optimizer")
        # Keras's variable list: this wrapper's (unused) `iteration` and `learning_rate`, then
        # `step_counter` and `dynamic_scale` once built, then the inner optimizer's.
        self.inner_optimizer = inner
        self.initial_scale = float(initial_scale)
        self.dynamic_growth_steps = int(dynamic_growth_steps)
        self.dynamic = bool(dynamic)
        inner.loss_scale_factor = None  # the gradients must not be scaled twice
        unbuilt = list(self._variables)
        self.step_counter = self._make_variable(0, "step_counter", "int32")
        self.dynamic_scale = self._make_variable(self.initial_scale, "dynamic_scale", "float32")
        self._variables = unbuilt  # listed from `build` on, as in Keras

    @property
    def iterations(self):
        return self.inner_optimizer.iterations

    @property
    def learning_rate(self):
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self.inner_optimizer.learning_rate = value

    @property
    def loss_scale(self):
        """tf-keras spelling of the current scale."""
        return self.dynamic_scale

    @property
    def variables(self):
        return list(self._variables) + self.inner_optimizer.variables

    def build(self, var_list):
        if not self.built:
            self._variables += [self.step_counter, self.dynamic_scale]
        self.inner_optimizer.build(var_list)
        self._trainable_variables = list(var_list)
        self.built = True

    def scale_loss(self, loss):
        scale = self.dynamic_scale.value
        return loss * ops.cast(scale, ops.convert_to_tensor(loss).dtype)

    def get_scaled_loss(self, loss):
        """tf-keras spelling of `scale_loss`."""
        return self.scale_loss(loss)

    def get_unscaled_gradients(self, grads):
        """tf-keras spelling: divides gradients by the current scale (not those of variables
        overwritten with their gradient, such as float8 scales)."""
        return self._unscaled(grads, self._trainable_variables or [None] * len(grads))

    def _unscaled(self, grads, variables):
        scale = self.dynamic_scale.value
        return [g if g is None or getattr(v, "overwrite_with_gradient", False)
                else g / ops.cast(scale, g.dtype) for g, v in zip(grads, variables)]

    def apply(self, grads, trainable_variables=None):
        if not self.built:
            if trainable_variables is None:
                raise ValueError(f"Optimizer '{self.name}' was never built: call build() first "
                                 "or give it the variables to update.")
            self.build(list(trainable_variables))
        trainable_variables = list(trainable_variables or self._trainable_variables)
        grads = self._unscaled(grads, trainable_variables)
        present = [g for g in grads if g is not None]
        finite = ops.all(ops.stack([ops.all(ops.isfinite(g)) for g in present])) if present \
            else ops.convert_to_tensor(True)
        if not self.dynamic:
            return self.inner_optimizer.apply(grads, trainable_variables)
        safe = [None if g is None else ops.where(finite, g, ops.zeros_like(g)) for g in grads]
        watched = trainable_variables + self.inner_optimizer.variables
        before = [v.value for v in watched]
        self.inner_optimizer.apply(safe, trainable_variables)
        for variable, old in zip(watched, before):
            variable.assign(ops.where(finite, variable.value, old))
        scale, counter = self.dynamic_scale.value, self.step_counter.value
        grow = ops.logical_and(finite, ops.equal(counter, self.dynamic_growth_steps - 1))
        self.dynamic_scale.assign(
            ops.where(finite, ops.where(grow, scale * 2.0, scale), scale / 2.0))
        self.step_counter.assign(ops.where(finite, ops.where(grow, 0, counter + 1), 0))

    def get_config(self):
        from neokeras.saving.serialization import serialize_keras_object

        return {"name": self.name, "inner_optimizer": serialize_keras_object(self.inner_optimizer),
                "initial_scale": self.initial_scale,
                "dynamic_growth_steps": self.dynamic_growth_steps}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from neokeras.saving.serialization import deserialize_keras_object

        config = dict(config)
        config["inner_optimizer"] = deserialize_keras_object(config["inner_optimizer"],
                                                             custom_objects=custom_objects)
        return cls(**config)
