"""`Optimizer`: a stateful shell (hyperparameters, `iterations`, slots) around a pure update.

Subclasses implement `build(var_list)` (create slot variables) and
`update_step(gradient, variable, learning_rate)` (assign the new value). `stateless_apply` runs
the same code on arrays inside compiled steps.
"""

from neokeras import backend
from neokeras import ops
from neokeras.backend.common import naming
from neokeras.backend.common.stateless_scope import StatelessScope
from neokeras.backend.common.variables import KerasVariable


class Optimizer:
    """Base class of optimizers.

    Args:
        learning_rate: A float, a `LearningRateSchedule`, or a callable of no arguments.
        weight_decay: Decoupled weight decay rate applied before each update.
        clipnorm: Clip each gradient to this norm.
        clipvalue: Clip each gradient elementwise to `[-clipvalue, clipvalue]`.
        global_clipnorm: Clip all gradients together to this global norm.
        name: Optimizer name.
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
                f"Arguments are the Keras ones (learning_rate, clipnorm, ...), plus the Keras 2 "
                "spellings lr and decay.")
        if lr is not None:
            if learning_rate is not None:
                raise ValueError(
                    f"{cls_name}: pass `learning_rate` or its Keras 2 alias `lr`, not both.")
            learning_rate = lr
        if learning_rate is None:
            learning_rate = self._default_learning_rate
        if sum(x is not None for x in (clipnorm, global_clipnorm)) > 1:
            raise ValueError(f"{cls_name}: pass at most one of clipnorm and global_clipnorm.")
        if decay is None or decay < 0:
            raise ValueError(f"{cls_name}(decay=...) must be a non-negative float. Received: {decay}")
        unsupported = {"use_ema": use_ema, "ema_overwrite_frequency": ema_overwrite_frequency,
                       "loss_scale_factor": loss_scale_factor,
                       "gradient_accumulation_steps": gradient_accumulation_steps}
        self._check_unsupported(unsupported)
        self.name = name or naming.to_snake_case(cls_name)
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.decay = float(decay)
        self.built = False
        self._variables = []
        self._trainable_variables = []
        self._var_index = {}
        self.iterations = self._make_variable(0, "iteration", "int32")
        if callable(learning_rate):
            self._learning_rate = learning_rate
        else:
            if learning_rate <= 0 if isinstance(learning_rate, (int, float)) else False:
                raise ValueError(f"{cls_name}(learning_rate=...) must be positive. "
                                 f"Received: {learning_rate}")
            self._learning_rate = self._make_variable(float(learning_rate), "learning_rate",
                                                      backend.standardize_dtype(None))

    def _check_unsupported(self, values):
        defaults = {"use_ema": False}
        for key, value in values.items():
            if value not in (None, defaults.get(key)):
                raise NotImplementedError(f"{type(self).__name__}({key}=...) is not supported yet.")

    def _make_variable(self, value, name, dtype):
        import numpy as np

        variable = backend.Variable(np.asarray(value, dtype=dtype), trainable=False, name=name,
                                    path=f"{self.name}/{name}")
        self._variables.append(variable)
        return variable

    # ------------------------------------------------------------------ state
    @property
    def variables(self):
        """`[iteration, learning_rate, slots...]`, the order Keras saves them in."""
        return list(self._variables)

    def add_variable(self, shape, initializer="zeros", dtype=None, name=None):
        from neokeras import initializers

        variable = backend.Variable(initializers.get(initializer), shape=tuple(shape),
                                    dtype=dtype, trainable=False, name=name,
                                    path=f"{self.name}/{name}")
        self._variables.append(variable)
        return variable

    def add_variable_from_reference(self, reference_variable, name, initializer="zeros"):
        """A slot variable shaped like `reference_variable`, named after its path."""
        slot_name = f"{reference_variable.path.replace('/', '_')}_{name}"
        return self.add_variable(reference_variable.shape, initializer=initializer,
                                 dtype=reference_variable.dtype, name=slot_name)

    def add_optimizer_variables(self, var_list, names):
        """Slots for each variable; several names are interleaved per variable as Keras does."""
        if isinstance(names, str):
            return [self.add_variable_from_reference(v, names) for v in var_list]
        slots = [[] for _ in names]
        for v in var_list:
            for i, name in enumerate(names):
                slots[i].append(self.add_variable_from_reference(v, name))
        return slots

    def build(self, var_list):
        """Creates the slot variables for `var_list` (subclasses extend this)."""
        self._trainable_variables = list(var_list)
        self._var_index = {id(v): i for i, v in enumerate(var_list)}
        self.built = True

    def _index(self, variable):
        return self._var_index[id(variable)]

    # ------------------------------------------------------------------ learning rate
    @property
    def learning_rate(self):
        """The current learning rate (a schedule is evaluated at `iterations`)."""
        return self._get_current_learning_rate(apply_decay=False)

    @learning_rate.setter
    def learning_rate(self, value):
        if isinstance(self._learning_rate, KerasVariable) and not callable(value):
            self._learning_rate.assign(float(value))
        else:
            self._learning_rate = value

    lr = learning_rate

    def _get_current_learning_rate(self, apply_decay=True):
        from neokeras.optimizers.schedules import LearningRateSchedule

        if isinstance(self._learning_rate, KerasVariable):
            lr = self._learning_rate.value
        elif isinstance(self._learning_rate, LearningRateSchedule):
            lr = self._learning_rate(self.iterations.value)
        else:
            lr = self._learning_rate()
        if apply_decay and self.decay:
            step = ops.cast(self.iterations.value, "float32")
            lr = lr / (1.0 + self.decay * step)
        return lr

    # ------------------------------------------------------------------ applying gradients
    def apply_gradients(self, grads_and_vars):
        """Applies `[(gradient, variable), ...]`; returns the new iteration count."""
        grads_and_vars = list(grads_and_vars)
        grads = [g for g, _ in grads_and_vars]
        variables = [v for _, v in grads_and_vars]
        return self.apply(grads, variables)

    def apply(self, grads, trainable_variables=None):
        """Updates `trainable_variables` (default: those it was built with) from `grads`."""
        if trainable_variables is None:
            if not self.built:
                raise ValueError(f"Optimizer '{self.name}' must be built or given variables.")
            trainable_variables = self._trainable_variables
        trainable_variables = list(trainable_variables)
        grads = list(grads)
        if len(grads) != len(trainable_variables):
            raise ValueError(
                f"Optimizer '{self.name}' received {len(grads)} gradients for "
                f"{len(trainable_variables)} variables.")
        if not self.built:
            self.build(trainable_variables)
        pairs = [(g, v) for g, v in zip(grads, trainable_variables) if g is not None]
        grads = self._clip_gradients([g for g, _ in pairs])
        learning_rate = self._get_current_learning_rate()
        for grad, variable in zip(grads, [v for _, v in pairs]):
            grad = ops.cast(grad, variable.dtype)
            if self.weight_decay:
                variable.assign(variable.value - variable.value * self.weight_decay * learning_rate)
            self.update_step(grad, variable, ops.cast(learning_rate, variable.dtype))
            constraint = getattr(variable, "constraint", None)
            if constraint is not None:
                variable.assign(constraint(variable.value))
        self.iterations.assign(self.iterations.value + 1)
        return self.iterations.value

    def _clip_gradients(self, grads):
        if self.clipvalue is not None:
            grads = [ops.clip(g, -self.clipvalue, self.clipvalue) for g in grads]
        if self.clipnorm is not None:
            grads = [_clip_by_norm(g, self.clipnorm) for g in grads]
        if self.global_clipnorm is not None:
            total = ops.sqrt(sum(ops.sum(ops.square(g)) for g in grads))
            scale = ops.minimum(1.0, self.global_clipnorm / ops.maximum(total, 1e-12))
            grads = [g * scale for g in grads]
        return grads

    def update_step(self, gradient, variable, learning_rate):
        raise NotImplementedError

    def stateless_apply(self, optimizer_variables, grads, trainable_variables):
        """Pure `apply`: returns `(new_trainable_values, new_optimizer_values)`."""
        mapping = list(zip(self._variables, optimizer_variables))
        mapping += list(zip(self._trainable_variables, trainable_variables))
        with StatelessScope(mapping) as scope:
            self.apply(grads, self._trainable_variables)
        return ([scope.current_value(v) for v in self._trainable_variables],
                [scope.current_value(v) for v in self._variables])

    # ------------------------------------------------------------------ serialization
    def get_config(self):
        from neokeras.optimizers.schedules import serialize as serialize_schedule

        if isinstance(self._learning_rate, KerasVariable):
            learning_rate = float(self._learning_rate.numpy())
        else:
            learning_rate = serialize_schedule(self._learning_rate)
        config = {"name": self.name, "learning_rate": learning_rate,
                  "weight_decay": self.weight_decay, "clipnorm": self.clipnorm,
                  "global_clipnorm": self.global_clipnorm, "clipvalue": self.clipvalue,
                  "use_ema": self.use_ema, "ema_momentum": self.ema_momentum,
                  "ema_overwrite_frequency": None, "loss_scale_factor": None,
                  "gradient_accumulation_steps": None}
        if self.decay:
            config["decay"] = self.decay
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            from neokeras.optimizers.schedules import deserialize as deserialize_schedule

            config["learning_rate"] = deserialize_schedule(config["learning_rate"])
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


def _clip_by_norm(g, clipnorm):
    norm = ops.sqrt(ops.sum(ops.square(g)))
    return ops.where(norm > clipnorm, g * clipnorm / ops.maximum(norm, 1e-12), g)
