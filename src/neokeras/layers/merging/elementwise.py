"""Elementwise merging layers: `Add`, `Subtract`, `Multiply`, `Average`, `Maximum`, `Minimum`,
and their function forms (`layers.add([a, b])`)."""

import functools

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.merging.base_merge import Merge


def _reduce(op, inputs):
    return functools.reduce(op, inputs)


@keras_name("keras.layers.Add")
class Add(Merge):
    """Sums a list of tensors of the same (or broadcastable) shape."""

    def _merge_function(self, inputs):
        return _reduce(ops.add, inputs)


@keras_name("keras.layers.Subtract")
class Subtract(Merge):
    """Subtracts the second of exactly two tensors from the first."""

    min_inputs = max_inputs = 2

    def _merge_function(self, inputs):
        return ops.subtract(inputs[0], inputs[1])


@keras_name("keras.layers.Multiply")
class Multiply(Merge):
    """Multiplies a list of tensors elementwise."""

    def _merge_function(self, inputs):
        return _reduce(ops.multiply, inputs)


@keras_name("keras.layers.Average")
class Average(Merge):
    """Averages a list of tensors elementwise."""

    def _merge_function(self, inputs):
        return ops.divide(_reduce(ops.add, inputs), len(inputs))


@keras_name("keras.layers.Maximum")
class Maximum(Merge):
    """Elementwise maximum of a list of tensors."""

    def _merge_function(self, inputs):
        return _reduce(ops.maximum, inputs)


@keras_name("keras.layers.Minimum")
class Minimum(Merge):
    """Elementwise minimum of a list of tensors."""

    def _merge_function(self, inputs):
        return _reduce(ops.minimum, inputs)


def _functional_form(layer_cls, doc_name):
    def merge(inputs, **kwargs):
        return layer_cls(**kwargs)(inputs)

    merge.__name__ = doc_name
    merge.__doc__ = (f"Applies a `{layer_cls.__name__}` layer to `inputs` (a list of tensors).\n\n"
                     "    Args:\n        inputs: List of tensors.\n"
                     "        **kwargs: Layer arguments (e.g. `name`).\n")
    return merge


add = keras_name("keras.layers.add")(_functional_form(Add, "add"))
subtract = keras_name("keras.layers.subtract")(_functional_form(Subtract, "subtract"))
multiply = keras_name("keras.layers.multiply")(_functional_form(Multiply, "multiply"))
average = keras_name("keras.layers.average")(_functional_form(Average, "average"))
maximum = keras_name("keras.layers.maximum")(_functional_form(Maximum, "maximum"))
minimum = keras_name("keras.layers.minimum")(_functional_form(Minimum, "minimum"))
