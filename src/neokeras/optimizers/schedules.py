"""Learning-rate schedules: `schedule(step) -> learning rate`, evaluated inside compiled steps.

Every schedule is written with `neokeras.ops` and no Python branching on the step, so `step` may
be a traced value and changing it never recompiles.
"""

import math

from neokeras import ops
from neokeras.api_export import keras_name


@keras_name("keras.optimizers.schedules.LearningRateSchedule")
class LearningRateSchedule:
    """Base class: subclasses implement `__call__(step)` and `get_config`."""

    def __call__(self, step):
        raise NotImplementedError(f"{type(self).__name__} must implement __call__(step).")

    def get_config(self):
        raise NotImplementedError(
            f"{type(self).__name__} must implement get_config() to be serializable.")

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _check_positive(schedule, arg, value):
    if value <= 0:
        raise ValueError(f"{schedule}({arg}=...) must be > 0. Received: {value!r}")


def _float_step(step):
    return ops.cast(step, "float32")


class _PeriodicDecay(LearningRateSchedule):
    """Shared by the schedules that decay `initial_learning_rate` by `decay_rate` per
    `decay_steps` (continuously, or in whole periods with `staircase`)."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name=None):
        _check_positive(type(self).__name__, "decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name or type(self).__name__

    def _periods(self, step):
        periods = _float_step(step) / self.decay_steps
        return ops.floor(periods) if self.staircase else periods

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


@keras_name("keras.optimizers.schedules.ExponentialDecay")
class ExponentialDecay(_PeriodicDecay):
    """`initial_learning_rate * decay_rate ^ (step / decay_steps)`.

    Args:
        initial_learning_rate: The rate at step 0.
        decay_steps: Steps per factor of `decay_rate` (> 0).
        decay_rate: The decay factor.
        staircase: If True, decay in whole periods (`floor(step / decay_steps)`).
        name: Name of the schedule.
    """

    def __call__(self, step):
        decay_rate = ops.cast(self.decay_rate, "float32")
        return self.initial_learning_rate * ops.power(decay_rate, self._periods(step))


@keras_name("keras.optimizers.schedules.PiecewiseConstantDecay")
class PiecewiseConstantDecay(LearningRateSchedule):
    """`values[0]` up to and including `boundaries[0]`, `values[1]` up to `boundaries[1]`, ...,
    `values[-1]` after the last boundary.

    Args:
        boundaries: Increasing step boundaries.
        values: One more value than boundaries.
        name: Name of the schedule.
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "PiecewiseConstantDecay: `values` must have one more entry than `boundaries`. "
                f"Received: boundaries={boundaries} ({len(boundaries)}), "
                f"values={values} ({len(values)})")
        self.boundaries = list(boundaries)
        self.values = list(values)
        self.name = name

    def __call__(self, step):
        step = ops.convert_to_tensor(step)
        # The number of boundaries strictly below the step is the index of its value.
        index = sum(ops.cast(ops.greater(step, ops.cast(b, step.dtype)), "int32")
                    for b in self.boundaries)
        return ops.take(ops.convert_to_tensor(self.values, dtype="float32"), index)

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


@keras_name("keras.optimizers.schedules.PolynomialDecay")
class PolynomialDecay(LearningRateSchedule):
    """`(initial - end) * (1 - step / decay_steps) ^ power + end`, held at `end` afterwards,
    or, with `cycle`, restarted with `decay_steps` stretched to the next multiple above `step`.

    Args:
        initial_learning_rate: The rate at step 0.
        decay_steps: Steps to reach `end_learning_rate` (> 0).
        end_learning_rate: The final rate (default 1e-4).
        power: Exponent of the polynomial (default 1.0, linear).
        cycle: Whether to cycle beyond `decay_steps`.
        name: Name of the schedule.
    """

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0,
                 cycle=False, name="PolynomialDecay"):
        _check_positive("PolynomialDecay", "decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step):
        step = _float_step(step)
        decay_steps = ops.cast(self.decay_steps, "float32")
        if self.cycle:
            multiplier = ops.where(ops.equal(step, 0), 1.0, ops.ceil(step / self.decay_steps))
            decay_steps = decay_steps * multiplier
        else:
            step = ops.minimum(step, decay_steps)
        fraction = step / decay_steps
        return ((self.initial_learning_rate - self.end_learning_rate)
                * ops.power(1 - fraction, ops.cast(self.power, "float32"))
                + self.end_learning_rate)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "end_learning_rate": self.end_learning_rate,
                "power": self.power, "cycle": self.cycle, "name": self.name}


@keras_name("keras.optimizers.schedules.InverseTimeDecay")
class InverseTimeDecay(_PeriodicDecay):
    """`initial_learning_rate / (1 + decay_rate * step / decay_steps)`.

    Args:
        initial_learning_rate: The rate at step 0.
        decay_steps: Steps per unit of decay (> 0).
        decay_rate: The decay rate.
        staircase: If True, decay in whole periods.
        name: Name of the schedule.
    """

    def __call__(self, step):
        return self.initial_learning_rate / (1 + self.decay_rate * self._periods(step))


def _cosine(fraction):
    return 0.5 * (1.0 + ops.cos(math.pi * fraction))


@keras_name("keras.optimizers.schedules.CosineDecay")
class CosineDecay(LearningRateSchedule):
    """Cosine decay from `initial_learning_rate` (or, after a linear warmup to it, from
    `warmup_target`) down to `alpha` times that rate over `decay_steps`.

    Args:
        initial_learning_rate: The rate at step 0.
        decay_steps: Length of the decay (> 0).
        alpha: Final rate as a fraction of the decayed-from rate (default 0).
        name: Name of the schedule.
        warmup_target: If set, warm up linearly to this rate over `warmup_steps` first.
        warmup_steps: Length of the warmup (default 0).
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):
        _check_positive("CosineDecay", "decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def _decayed(self, step, start):
        fraction = step / self.decay_steps
        return start * ((1 - self.alpha) * _cosine(fraction) + self.alpha)

    def __call__(self, step):
        step = _float_step(step)
        if self.warmup_target is None:
            return self._decayed(ops.minimum(step, float(self.decay_steps)),
                                 self.initial_learning_rate)
        warmup_steps = float(self.warmup_steps)
        step = ops.minimum(step, float(self.decay_steps) + warmup_steps)
        warming = ops.less(step, warmup_steps)
        # A safe divisor keeps the unused branch finite when warmup_steps is 0.
        warmup = (self.warmup_target - self.initial_learning_rate) \
            * (step / max(warmup_steps, 1.0)) + self.initial_learning_rate
        decay = self._decayed(step - warmup_steps, self.warmup_target)
        return ops.where(warming, warmup, decay)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "alpha": self.alpha, "name": self.name,
                "warmup_target": self.warmup_target, "warmup_steps": self.warmup_steps}


@keras_name("keras.optimizers.schedules.CosineDecayRestarts")
class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): periods of `first_decay_steps * t_mul^i` steps,
    the i-th restarting from `initial_learning_rate * m_mul^i`.

    Args:
        initial_learning_rate: The rate at step 0.
        first_decay_steps: Length of the first period (> 0).
        t_mul: Growth factor of the period lengths (default 2.0).
        m_mul: Factor of the restart rate per period (default 1.0).
        alpha: Final rate of each period as a fraction of its start (default 0).
        name: Name of the schedule.
    """

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0,
                 alpha=0.0, name="SGDRDecay"):
        _check_positive("CosineDecayRestarts", "first_decay_steps", first_decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step):
        fraction = _float_step(step) / self.first_decay_steps
        if self._t_mul == 1.0:
            restart = ops.floor(fraction)
            fraction = fraction - restart
        else:
            # Period i starts after (t_mul^i - 1) / (t_mul - 1) first-period lengths.
            t_mul = ops.cast(self._t_mul, "float32")
            restart = ops.floor(ops.log(1.0 - fraction * (1.0 - t_mul)) / ops.log(t_mul))
            elapsed = (1.0 - ops.power(t_mul, restart)) / (1.0 - t_mul)
            fraction = (fraction - elapsed) / ops.power(t_mul, restart)
        restart_scale = ops.power(ops.cast(self._m_mul, "float32"), restart)
        decayed = (1 - self.alpha) * restart_scale * _cosine(fraction) + self.alpha
        return self.initial_learning_rate * decayed

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "first_decay_steps": self.first_decay_steps, "t_mul": self._t_mul,
                "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}


def serialize(schedule):
    """The Keras JSON dict of a schedule."""
    from neokeras.saving.serialization import serialize_keras_object

    return serialize_keras_object(schedule)


def deserialize(config, custom_objects=None):
    """A schedule from its Keras JSON dict."""
    from neokeras.saving.serialization import deserialize_keras_object

    classes = {cls.__name__: cls for cls in (
        ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay,
        CosineDecay, CosineDecayRestarts)}
    return deserialize_keras_object(config, module_objects=classes, custom_objects=custom_objects)
