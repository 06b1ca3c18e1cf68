"""Crossentropy, KL-divergence, Poisson and hinge metrics: means of the loss functions."""

from neokeras import losses
from neokeras.api_export import keras_name
from neokeras.metrics.reduction_metrics import MeanMetricWrapper


@keras_name("keras.metrics.BinaryCrossentropy")
class BinaryCrossentropy(MeanMetricWrapper):
    """Mean binary crossentropy.

    Args:
        from_logits: Whether predictions are logits.
        label_smoothing: Float in [0, 1].
    """

    _direction = "down"

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0):
        super().__init__(losses.binary_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing)


@keras_name("keras.metrics.CategoricalCrossentropy")
class CategoricalCrossentropy(MeanMetricWrapper):
    """Mean categorical crossentropy for one-hot targets.

    Args:
        from_logits: Whether predictions are logits.
        label_smoothing: Float in [0, 1].
        axis: The class axis.
    """

    _direction = "down"

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0, axis=-1):
        super().__init__(losses.categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


@keras_name("keras.metrics.SparseCategoricalCrossentropy")
class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """Mean categorical crossentropy for integer targets.

    Args:
        from_logits: Whether predictions are logits.
        axis: The class axis.
    """

    _direction = "down"

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False,
                 axis=-1):
        super().__init__(losses.sparse_categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, axis=axis)


@keras_name("keras.metrics.KLDivergence")
class KLDivergence(MeanMetricWrapper):
    """Mean Kullback-Leibler divergence."""

    _direction = "down"

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(losses.kl_divergence, name=name, dtype=dtype)


@keras_name("keras.metrics.Poisson")
class Poisson(MeanMetricWrapper):
    """Mean Poisson loss."""

    _direction = "down"

    def __init__(self, name="poisson", dtype=None):
        super().__init__(losses.poisson, name=name, dtype=dtype)


@keras_name("keras.metrics.Hinge")
class Hinge(MeanMetricWrapper):
    """Mean hinge loss."""

    _direction = "down"

    def __init__(self, name="hinge", dtype=None):
        super().__init__(losses.hinge, name=name, dtype=dtype)


@keras_name("keras.metrics.SquaredHinge")
class SquaredHinge(MeanMetricWrapper):
    """Mean squared hinge loss."""

    _direction = "down"

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(losses.squared_hinge, name=name, dtype=dtype)


@keras_name("keras.metrics.CategoricalHinge")
class CategoricalHinge(MeanMetricWrapper):
    """Mean categorical hinge loss."""

    _direction = "down"

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(losses.categorical_hinge, name=name, dtype=dtype)
