"""`Optimizer`: a stateful shell (hyperparameters, `iterations`, slots) around a pure update.

Subclasses implement `build(var_list)` (create slot variables) and
`update_step(gradient, variable, learning_rate)` (assign the new values; an elementwise update
goes through `_assign_elementwise`, which the backend may run by blocks of a large variable).
`stateless_apply` runs the same code on arrays inside compiled steps: a `StatelessScope` maps
every variable to its traced value and records the assignments.

Variables are kept in the order Keras saves them: `iteration`, `learning_rate` (float rates
only), then the EMA averages and gradient accumulators (when enabled), then the subclass slots.
"""

import re
import warnings

import numpy as np

from neokeras import backend
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend.common import naming
from neokeras.backend.common.stateless_scope import StatelessScope
from neokeras.backend.common.variables import KerasVariable


@keras_name("keras.optimizers.Optimizer", "keras.Optimizer")
class Optimizer:
    """Base class of optimizers.

    Args:
        learning_rate: A float, a `LearningRateSchedule`, or a callable of no arguments.
        weight_decay: Decoupled weight decay: before each update,
            `w -= w * weight_decay * learning_rate`.
        clipnorm: Clip each gradient to this L2 norm.
        clipvalue: Clip each gradient elementwise to `[-clipvalue, clipvalue]`.
        global_clipnorm: Clip all gradients together to this global L2 norm.
        use_ema: Keep an exponential moving average of the trained variables.
        ema_momentum: Momentum of that average (default 0.99).
        ema_overwrite_frequency: Every this many steps, overwrite the variables with their
            average (None: only `finalize_variable_values` does it).
        loss_scale_factor: The loss is multiplied by it (`scale_loss`) and the gradients divided.
        gradient_accumulation_steps: Update only every this many steps, with the mean gradient.
        name: Optimizer name (default: the snake-cased class name, made unique).
        lr: Keras 2 spelling of `learning_rate`.
        decay: Keras 2 time-based decay: the rate used at step `t` (counting from 0) is
            `learning_rate / (1 + decay * t)`.
    """

    _default_learning_rate = 0.001

    def __init__(self, learning_rate=None, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, lr=None, decay=0.0, **kwargs):
        cls_name = type(self).__name__
        if kwargs:
            raise TypeError(
                f"{cls_name}() got unexpected keyword argument(s) {sorted(kwargs)}. "
                "Arguments are the Keras ones (learning_rate, clipnorm, ...), plus the Keras 2 "
                "spellings lr and decay.")
        if lr is not None:
            if learning_rate is not None:
                raise ValueError(
                    f"{cls_name}: pass `learning_rate` or its Keras 2 alias `lr`, not both. "
                    f"Received: learning_rate={learning_rate}, lr={lr}")
            learning_rate = lr
        if learning_rate is None:
            learning_rate = self._default_learning_rate
        if clipnorm is not None and global_clipnorm is not None:
            raise ValueError(
                f"{cls_name}: pass at most one of clipnorm and global_clipnorm. "
                f"Received: clipnorm={clipnorm}, global_clipnorm={global_clipnorm}")
        if not isinstance(decay, (int, float)) or decay < 0:
            raise ValueError(
                f"{cls_name}(decay=...) must be a non-negative float. Received: {decay!r}")
        if gradient_accumulation_steps is not None and (
                not isinstance(gradient_accumulation_steps, int)
                or gradient_accumulation_steps < 2):
            raise ValueError(
                f"{cls_name}(gradient_accumulation_steps=...) must be an integer >= 2. "
                f"Received: {gradient_accumulation_steps!r}")
        if use_ema:
            if not 0 <= ema_momentum <= 1:
                raise ValueError(f"{cls_name}(ema_momentum=...) must be in [0, 1]. "
                                 f"Received: {ema_momentum!r}")
            if ema_overwrite_frequency is not None and (
                    not isinstance(ema_overwrite_frequency, int) or ema_overwrite_frequency < 1):
                raise ValueError(f"{cls_name}(ema_overwrite_frequency=...) must be an integer "
                                 f">= 1 or None. Received: {ema_overwrite_frequency!r}")
        self.name = name or naming.uniquify(naming.to_snake_case(cls_name))
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = bool(use_ema)
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.decay = float(decay)
        self.built = False
        self._variables = []
        self._block_offset = None  # during an update: where blocks of large variables start
        self._trainable_variables = []
        self._var_index = {}
        self._exclude_ids = set()
        self._exclude_pattern = None
        self._iterations = self._make_variable(0, "iteration", "int32")
        self._learning_rate = self._learning_rate_from(learning_rate, cls_name)

    def _learning_rate_from(self, learning_rate, cls_name):
        from neokeras.optimizers.schedules import LearningRateSchedule

        if isinstance(learning_rate, LearningRateSchedule) or callable(learning_rate):
            return learning_rate
        if isinstance(learning_rate, bool) or not isinstance(learning_rate,
                                                             (int, float, np.number)):
            raise ValueError(
                f"{cls_name}(learning_rate=...) must be a float, a LearningRateSchedule or a "
                f"callable. Received: {learning_rate!r}")
        if learning_rate < 0:
            raise ValueError(
                f"{cls_name}(learning_rate=...) must be >= 0. Received: {learning_rate}")
        return self._make_variable(float(learning_rate), "learning_rate",
                                   backend.standardize_dtype(None))

    def _make_variable(self, value, name, dtype):
        variable = backend.Variable(np.asarray(value, dtype=dtype), trainable=False, name=name,
                                    path=f"{self.name}/{name}")
        self._variables.append(variable)
        return variable

    # ------------------------------------------------------------------ state
    @property
    def variables(self):
        """All optimizer variables, in the order Keras saves them."""
        return list(self._variables)

    @property
    def iterations(self):
        """The step counter (optimizer updates, i.e. divided by `gradient_accumulation_steps`)."""
        if self.gradient_accumulation_steps:
            return ops.floor_divide(self._iterations.value, self.gradient_accumulation_steps)
        return self._iterations

    def _step_value(self):
        """The current update count as an array (before this step's increment)."""
        iterations = self.iterations
        return iterations.value if isinstance(iterations, KerasVariable) else iterations

    def _local_step(self, dtype, offset=1):
        """`iterations + offset` cast to `dtype` (the 1-based step of bias corrections)."""
        return ops.cast(self._step_value() + offset, dtype)

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="none", name=None,
                     layout=None):
        """Creates and tracks an optimizer variable (not trainable); `layout` places it on a
        device mesh (see `keras.distribution`)."""
        from neokeras import initializers

        del aggregation  # single-replica state; kept for Keras signature compatibility
        variable = backend.Variable(initializers.get(initializer), shape=tuple(shape),
                                    dtype=dtype, trainable=False, name=name,
                                    path=f"{self.name}/{name}", layout=layout)
        self._variables.append(variable)
        return variable

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """A slot shaped like `reference_variable`, named `{its path with _}_{name}`, laid out
        as it is under a distribution."""
        slot_name = f"{reference_variable.path.replace('/', '_')}_{name or 'var'}"
        return self.add_variable(reference_variable.shape, initializer=initializer,
                                 dtype=reference_variable.dtype, name=slot_name,
                                 layout=getattr(reference_variable, "_layout", None))

    def add_optimizer_variables(self, var_list, name, initializer="zeros"):
        """Slots for each variable. With a list of names (and optionally of initializers), the
        slots are interleaved per variable as Keras creates them, and a tuple of lists returned."""
        if isinstance(name, str):
            return [self.add_variable_from_reference(v, name, initializer) for v in var_list]
        initializers = initializer if isinstance(initializer, (list, tuple)) \
            else [initializer] * len(name)
        if len(initializers) != len(name):
            raise ValueError(f"Optimizer '{self.name}': {len(name)} names but "
                             f"{len(initializers)} initializers.")
        slots = tuple([] for _ in name)
        for v in var_list:
            for i, (slot_name, init) in enumerate(zip(name, initializers)):
                slots[i].append(self.add_variable_from_reference(v, slot_name, init))
        return slots

    def build(self, var_list):
        """Creates the variables for `var_list` (subclasses extend this, calling it first)."""
        var_list = list(var_list)
        if self.use_ema:
            self._model_variables_moving_average = self.add_optimizer_variables(var_list,
                                                                                "average")
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = self.add_optimizer_variables(var_list,
                                                                       "gradient_accumulator")
        self._trainable_variables = var_list
        self._var_index = {id(v): i for i, v in enumerate(var_list)}
        self.built = True

    def _get_variable_index(self, variable):
        return self._var_index[id(variable)]

    def _check_variables_are_known(self, variables):
        for v in variables:
            if id(v) not in self._var_index:
                raise ValueError(
                    f"Optimizer '{self.name}' was built for other variables and received "
                    f"{v!r}. Create a new optimizer for a new set of variables.")

    # Keras-style helpers for custom optimizers.
    def assign(self, variable, value):
        variable.assign(value)

    def assign_add(self, variable, value):
        variable.assign(variable.value + value)

    def assign_sub(self, variable, value):
        variable.assign(variable.value - value)

    # ------------------------------------------------------------------ learning rate
    @property
    def learning_rate(self):
        """The learning-rate variable (float rates), or the schedule's value at this step."""
        if isinstance(self._learning_rate, KerasVariable):
            return self._learning_rate
        return self._get_current_learning_rate(apply_decay=False)

    @learning_rate.setter
    def learning_rate(self, value):
        from neokeras.optimizers.schedules import LearningRateSchedule

        if isinstance(value, LearningRateSchedule) or callable(value):
            if isinstance(self._learning_rate, KerasVariable):
                self._variables.remove(self._learning_rate)
            self._learning_rate = value
        elif isinstance(self._learning_rate, KerasVariable):
            self._learning_rate.assign(np.asarray(value, dtype=self._learning_rate.dtype))
        else:
            raise TypeError(
                f"Optimizer '{self.name}' was created with a schedule or callable learning rate, "
                "so a float cannot be set; create it with a float learning_rate to change it.")

    lr = learning_rate

    def _get_current_learning_rate(self, apply_decay=True):
        from neokeras.optimizers.schedules import LearningRateSchedule

        if isinstance(self._learning_rate, KerasVariable):
            lr = self._learning_rate.value
        elif isinstance(self._learning_rate, LearningRateSchedule):
            lr = self._learning_rate(self._iterations.value)
        else:
            lr = self._learning_rate()
        if apply_decay and self.decay:
            step = ops.cast(self._iterations.value, "float32")
            lr = lr / (1.0 + self.decay * step)
        return lr

    # ------------------------------------------------------------------ weight decay
    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Exempts variables from weight decay (call before the optimizer is built).

        Args:
            var_list: Variables to exempt.
            var_names: Strings; a variable whose name contains any of them is exempt.
        """
        if self.built:
            raise ValueError(f"Optimizer '{self.name}': exclude_from_weight_decay() must be "
                             "called before the optimizer is built.")
        self._exclude_ids = {id(v) for v in var_list or ()}
        self._exclude_pattern = re.compile("|".join(map(re.escape, var_names))) \
            if var_names else None

    def _use_weight_decay(self, variable):
        if id(variable) in self._exclude_ids:
            return False
        return self._exclude_pattern is None or not self._exclude_pattern.search(variable.name)

    def _apply_weight_decay(self, variables, learning_rate):
        if self.weight_decay is None:
            return
        for variable in variables:
            if self._use_weight_decay(variable):
                lr = ops.cast(learning_rate, variable.dtype)
                variable.assign(variable.value - variable.value * self.weight_decay * lr)

    # ------------------------------------------------------------------ applying gradients
    def apply_gradients(self, grads_and_vars):
        """Applies `[(gradient, variable), ...]`; returns the iteration variable."""
        grads_and_vars = list(grads_and_vars)
        self.apply([g for g, _ in grads_and_vars], [v for _, v in grads_and_vars])
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """Updates `trainable_variables` (default: those it was built with) from `grads`."""
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(f"Optimizer '{self.name}' must be built (optimizer.build(vars)) "
                                 "or given the variables to update.")
            trainable_variables = self._trainable_variables
        trainable_variables = list(trainable_variables)
        if len(grads) != len(trainable_variables):
            raise ValueError(
                f"Optimizer '{self.name}' received {len(grads)} gradients for "
                f"{len(trainable_variables)} variables.")
        if not self.built:
            self.build(trainable_variables)
        self._check_variables_are_known(trainable_variables)
        grads, trainable_variables = self._filter_empty_gradients(grads, trainable_variables)
        grads, trainable_variables = self._overwrite_with_gradients(grads, trainable_variables)
        if not grads:
            self._iterations.assign(self._iterations.value + 1)
            return
        grads = [ops.cast(g, v.dtype) for g, v in zip(grads, trainable_variables)]
        if self.loss_scale_factor is not None:
            grads = [g / self.loss_scale_factor for g in grads]
        if self.gradient_accumulation_steps:
            self._apply_accumulated(grads, trainable_variables)
        else:
            self._apply_update(grads, trainable_variables)
        if self.use_ema:
            self._update_moving_average()
        for variable in trainable_variables:
            constraint = getattr(variable, "constraint", None)
            if constraint is not None:
                variable.assign(constraint(variable.value))
        self._iterations.assign(self._iterations.value + 1)

    def _filter_empty_gradients(self, grads, variables):
        kept = [(g, v) for g, v in zip(grads, variables) if g is not None]
        if not kept:
            raise ValueError(f"Optimizer '{self.name}': no gradients provided for any variable.")
        if len(kept) < len(grads):
            missing = [v.path for g, v in zip(grads, variables) if g is None]
            warnings.warn(f"Gradients do not exist for variables {missing} when minimizing the "
                          "loss.", stacklevel=3)
        return [g for g, _ in kept], [v for _, v in kept]

    def _overwrite_with_gradients(self, grads, variables):
        """Assigns their gradient to variables marked `overwrite_with_gradient` (float8 scales
        and histories, whose backward pass computes their next value); returns the other pairs.

        With gradient accumulation, as Keras does, the elementwise maximum of the values over
        the accumulation window is written at the window's last step (and kept until then).
        """
        kept_grads, kept_variables = [], []
        for grad, variable in zip(grads, variables):
            if not getattr(variable, "overwrite_with_gradient", False):
                kept_grads.append(grad)
                kept_variables.append(variable)
            elif self.gradient_accumulation_steps:
                is_update = ops.equal(
                    (self._iterations.value + 1) % self.gradient_accumulation_steps, 0)
                accumulator = self._accumulated_gradients[self._get_variable_index(variable)]
                peak = ops.maximum(grad, accumulator.value)
                accumulator.assign(ops.where(is_update, ops.zeros_like(peak), peak))
                variable.assign(ops.where(is_update, peak, variable.value))
            else:
                variable.assign(grad)
        return kept_grads, kept_variables

    def _apply_update(self, grads, variables):
        grads = self._clip_gradients(grads)
        learning_rate = self._get_current_learning_rate()
        self._apply_weight_decay(variables, learning_rate)
        self._update_steps(grads, variables, learning_rate)

    def _update_steps(self, grads, variables, learning_rate):
        """Runs `update_step` for each pair; a hook for per-step state shared by all variables."""
        self._block_offset = backend.update_block_offset(grads)
        try:
            for grad, variable in zip(grads, variables):
                self.update_step(grad, variable, ops.cast(learning_rate, variable.dtype))
        finally:
            self._block_offset = None

    def _apply_accumulated(self, grads, variables):
        # Branch-free, so it traces: the update is always computed and kept only on every
        # `gradient_accumulation_steps`-th call; in between, the gradients are summed.
        steps = self.gradient_accumulation_steps
        is_update = ops.equal((self._iterations.value + 1) % steps, 0)
        accumulators = [self._accumulated_gradients[self._get_variable_index(v)]
                        for v in variables]
        old_variables = [v.value for v in variables]
        old_state = [v.value for v in self._variables]
        sums = [g + a.value for g, a in zip(grads, accumulators)]
        new_accumulators = [ops.where(is_update, ops.zeros_like(s), s) for s in sums]
        grads = [ops.where(is_update, s / steps, g) for s, g in zip(sums, grads)]
        self._apply_update(grads, variables)
        for variable, old in zip(variables, old_variables):
            variable.assign(ops.where(is_update, variable.value, old))
        for variable, old in zip(self._variables, old_state):
            variable.assign(ops.where(is_update, variable.value, old))
        for accumulator, value in zip(accumulators, new_accumulators):
            accumulator.assign(value)

    def _update_moving_average(self):
        step = self._step_value()
        for variable, average in zip(self._trainable_variables,
                                     self._model_variables_moving_average):
            momentum = ops.cast(ops.not_equal(step, 0), variable.dtype) * self.ema_momentum
            average.assign(momentum * average.value + (1 - momentum) * variable.value)
        if self.ema_overwrite_frequency:
            overwrite = ops.equal((step + 1) % self.ema_overwrite_frequency, 0)
            for variable, average in zip(self._trainable_variables,
                                         self._model_variables_moving_average):
                variable.assign(ops.where(overwrite, average.value, variable.value))

    def finalize_variable_values(self, var_list):
        """With `use_ema`, replaces the values of `var_list` by their moving averages."""
        if not self.use_ema:
            return
        var_list = list(var_list)
        if len(var_list) != len(self._model_variables_moving_average):
            raise ValueError(
                f"Optimizer '{self.name}' holds {len(self._model_variables_moving_average)} "
                f"moving averages but received {len(var_list)} variables.")
        for variable, average in zip(var_list, self._model_variables_moving_average):
            variable.assign(average.value)

    def set_weights(self, weights):
        """Assigns `weights` (arrays, in the order of `variables`) to the optimizer's variables.

        Raises:
            ValueError: if the optimizer is not built, or for a wrong count or shape.
        """
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet been built. "
                "Please call `optimizer.build(trainable_variables)` to create the optimizer "
                "weights before calling `set_weights()`.")
        variables = self.variables
        weights = list(weights)
        if len(weights) != len(variables):
            raise ValueError(f"Optimizer '{self.name}' has {len(variables)} variables, "
                             f"set_weights() received {len(weights)} arrays.")
        for variable, weight in zip(variables, weights):
            weight = np.asarray(weight)
            if tuple(variable.shape) != weight.shape:
                raise ValueError(
                    f"Optimizer variable {variable.path} has shape {tuple(variable.shape)} not "
                    f"compatible with provided weight shape {weight.shape}.")
        for variable, weight in zip(variables, weights):
            variable.assign(np.asarray(weight, dtype=variable.dtype))

    def scale_loss(self, loss):
        """Multiplies the loss by `loss_scale_factor` (gradients are divided back in `apply`)."""
        return loss if self.loss_scale_factor is None else loss * self.loss_scale_factor

    def _clip_gradients(self, grads):
        if self.clipvalue is not None:
            grads = [ops.clip(g, -self.clipvalue, self.clipvalue) for g in grads]
        if self.clipnorm:
            grads = [g * self.clipnorm / ops.maximum(_l2_norm(g), self.clipnorm) for g in grads]
        if self.global_clipnorm:
            norm = ops.sqrt(sum(ops.sum(ops.square(g)) for g in grads))
            scale = self.global_clipnorm / ops.maximum(norm, self.global_clipnorm)
            grads = [g * scale for g in grads]
        return grads

    def update_step(self, gradient, variable, learning_rate):
        """Assigns the new value of `variable` (and of its slots) for one gradient."""
        raise NotImplementedError(f"{type(self).__name__} must implement update_step().")

    def _assign_elementwise(self, update, gradient, variables):
        """Assigns to `variables` (the trained variable and slots of its shape) the arrays that
        `update(gradient, *values)` returns, an elementwise function of their current values.
        During an update where the backend asks for it (`backend.update_block_rows`: large
        variables in XLA:CPU training loops) it runs one block of rows at a time; the values
        are the same."""
        values = [variable.value for variable in variables]
        shape = tuple(values[0].shape)
        rows = backend.update_block_rows(shape)
        if rows is None or self._block_offset is None or tuple(gradient.shape) != shape:
            new_values = update(gradient, *values)
        else:
            new_values = _update_by_blocks(update, gradient, values, rows, self._block_offset)
        for variable, value in zip(variables, new_values):
            variable.assign(value)

    def stateless_apply(self, optimizer_variables, grads, trainable_variables):
        """Pure `apply` on arrays: returns `(new_trainable_values, new_optimizer_values)`.

        Args:
            optimizer_variables: Values of `self.variables`, in order.
            grads: Gradients, one per variable the optimizer was built with.
            trainable_variables: Values of those variables, in order.
        """
        if not self.built:
            raise ValueError(f"Optimizer '{self.name}' must be built before stateless_apply "
                             "(call optimizer.build(trainable_variables)).")
        own_variables = self.variables
        if len(optimizer_variables) != len(own_variables):
            raise ValueError(
                f"Optimizer '{self.name}': stateless_apply expects {len(own_variables)} "
                f"optimizer values, received {len(optimizer_variables)}.")
        if len(trainable_variables) != len(self._trainable_variables):
            raise ValueError(
                f"Optimizer '{self.name}': stateless_apply expects "
                f"{len(self._trainable_variables)} trainable values, received "
                f"{len(trainable_variables)}.")
        mapping = list(zip(own_variables, optimizer_variables))
        mapping += list(zip(self._trainable_variables, trainable_variables))
        with StatelessScope(mapping) as scope:
            self.apply(grads)
        return ([scope.current_value(v) for v in self._trainable_variables],
                [scope.current_value(v) for v in own_variables])

    # ------------------------------------------------------------------ serialization
    def get_config(self):
        from neokeras.saving.serialization import serialize_keras_object

        if isinstance(self._learning_rate, KerasVariable):
            learning_rate = float(self._learning_rate.numpy())
        else:
            learning_rate = serialize_keras_object(self._learning_rate)
        config = {"name": self.name, "learning_rate": learning_rate,
                  "weight_decay": self.weight_decay, "clipnorm": self.clipnorm,
                  "global_clipnorm": self.global_clipnorm, "clipvalue": self.clipvalue,
                  "use_ema": self.use_ema, "ema_momentum": self.ema_momentum,
                  "ema_overwrite_frequency": self.ema_overwrite_frequency,
                  "loss_scale_factor": self.loss_scale_factor,
                  "gradient_accumulation_steps": self.gradient_accumulation_steps}
        if self.decay:
            config["decay"] = self.decay
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = {k: v for k, v in config.items() if k not in _KERAS2_CONFIG_ONLY}
        if isinstance(config.get("learning_rate"), dict):
            from neokeras.saving.serialization import deserialize_keras_object

            config["learning_rate"] = deserialize_keras_object(config["learning_rate"],
                                                               custom_objects=custom_objects)
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


# Keys that tf.keras 2.11+ wrote into optimizer configs and that have no effect here.
_KERAS2_CONFIG_ONLY = ("is_legacy_optimizer", "jit_compile")


def _l2_norm(g):
    return ops.sqrt(ops.sum(ops.square(g)))


def _update_by_blocks(update, gradient, values, rows, offset):
    """`update(gradient, *values)` computed `rows` rows at a time, from row `offset` (a zero the
    compiler cannot see through, `backend.update_block_offset`): the whole blocks in a loop (one
    compiled body however many blocks), the rows left over after it."""
    shape = tuple(gradient.shape)

    def updated_block(start, size, values):
        corner = (start,) + (0,) * (len(shape) - 1)
        sizes = (size,) + shape[1:]
        blocks = update(ops.slice(gradient, corner, sizes),
                        *[ops.slice(value, corner, sizes) for value in values])
        return [ops.slice_update(value, corner, block) for value, block in zip(values, blocks)]

    whole_blocks, left_over = divmod(shape[0], rows)
    values = ops.fori_loop(
        0, whole_blocks, lambda i, values: updated_block(offset + i * rows, rows, values), values)
    if left_over:
        values = updated_block(offset + whole_blocks * rows, left_over, values)
    return values
