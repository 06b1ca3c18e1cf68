"""`WideDeepModel`: a linear model and a DNN trained jointly on the sum of their outputs."""

from neokeras import activations
from neokeras import optimizers
from neokeras import tree
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer
from neokeras.models.model import Model
from neokeras.optimizers.optimizer import Optimizer

_NO_SINGLE_RATE = ("WideDeepModel was compiled with two optimizers: read or set the learning "
                   "rate of model.optimizer[0] (linear model) or model.optimizer[1] (DNN).")


class _PairedOptimizers(Optimizer):
    """The `[linear_optimizer, dnn_optimizer]` of `compile`: each updates its sub-model's
    variables. Indexable like the list tf-keras keeps in `model.optimizer`."""

    def __init__(self, linear_optimizer, dnn_optimizer, linear_model):
        super().__init__(learning_rate=0.0, name="wide_deep_optimizers")
        self._variables = []  # the step counters and learning rates are the pair's own
        self._pair = (linear_optimizer, dnn_optimizer)
        self._linear_model = linear_model

    def __getitem__(self, index):
        return self._pair[index]

    def __len__(self):
        return 2

    def __iter__(self):
        return iter(self._pair)

    @property
    def iterations(self):
        # Both take one step per batch.
        return self._pair[0].iterations

    @property
    def learning_rate(self):
        raise AttributeError(_NO_SINGLE_RATE)

    @learning_rate.setter
    def learning_rate(self, value):
        raise AttributeError(_NO_SINGLE_RATE)

    def _split(self, grads, variables):
        linear_ids = {id(v) for v in self._linear_model.trainable_variables}
        parts = ([], [], [], [])
        for g, v in zip(grads, variables):
            offset = 0 if id(v) in linear_ids else 2
            parts[offset].append(g)
            parts[offset + 1].append(v)
        return parts

    def build(self, var_list):
        linear_ids = {id(v) for v in self._linear_model.trainable_variables}
        self._pair[0].build([v for v in var_list if id(v) in linear_ids])
        self._pair[1].build([v for v in var_list if id(v) not in linear_ids])
        self._trainable_variables = list(var_list)
        self._variables = self._pair[0].variables + self._pair[1].variables
        self.built = True

    def apply(self, grads, trainable_variables=None):
        if trainable_variables is None:
            trainable_variables = self._trainable_variables
        if not self.built:
            self.build(list(trainable_variables))
        linear_grads, linear_vars, dnn_grads, dnn_vars = self._split(grads, trainable_variables)
        if linear_vars:
            self._pair[0].apply(linear_grads, linear_vars)
        if dnn_vars:
            self._pair[1].apply(dnn_grads, dnn_vars)

    def get_config(self):
        from neokeras.saving.serialization import serialize_keras_object

        return {"name": self.name, "optimizers": [serialize_keras_object(o) for o in self._pair]}


@keras_name("keras.experimental.WideDeepModel")
class WideDeepModel(Model):
    """Wide & Deep model: `activation(linear_model(x_linear) + dnn_model(x_dnn))` (tf-keras).

    Called on `[linear_inputs, dnn_inputs]`, or on one input fed to both. Compiled with a list of
    two optimizers, the first trains the linear model and the second the DNN; with one
    optimizer, it trains both.

    Args:
        linear_model: A `LinearModel` (or any model) whose output matches the DNN's.
        dnn_model: A `Model` whose output matches the linear model's.
        activation: Activation applied to the sum; `None` keeps it linear.

    Example:

    >>> model = keras.experimental.WideDeepModel(
    ...     keras.experimental.LinearModel(),
    ...     keras.Sequential([keras.layers.Dense(64), keras.layers.Dense(1)]))
    >>> model.compile(optimizer=["sgd", "adam"], loss="mse")
    >>> model.fit([linear_inputs, dnn_inputs], y, epochs=3)
    """

    def __init__(self, linear_model, dnn_model, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.linear_model = linear_model
        self.dnn_model = dnn_model
        self.activation = activations.get(activation)

    def call(self, inputs, training=None):
        if isinstance(inputs, (tuple, list)) and len(inputs) == 2:
            linear_inputs, dnn_inputs = inputs
        else:
            linear_inputs = dnn_inputs = inputs
        linear_output = self.linear_model(linear_inputs)
        dnn_output = self.dnn_model(dnn_inputs, training=training)
        output = tree.map_structure(lambda a, b: a + b, linear_output, dnn_output)
        if self.activation is not None:
            return tree.map_structure(self.activation, output)
        return output

    def compile(self, optimizer="rmsprop", *args, **kwargs):
        """As `Model.compile`; `optimizer` may also be `[linear_optimizer, dnn_optimizer]`."""
        if not isinstance(optimizer, (tuple, list)):
            return super().compile(optimizer, *args, **kwargs)
        if len(optimizer) != 2:
            raise ValueError("WideDeepModel.compile: a list of optimizers must hold two, one for "
                             f"the linear model and one for the DNN. Received {len(optimizer)}: "
                             f"{optimizer!r}")
        pair = [optimizers.get(optimizer[0]), optimizers.get(optimizer[1])]
        super().compile(_PairedOptimizers(*pair, self.linear_model), *args, **kwargs)
        # Saved as the list, so a loaded model is compiled with the same two optimizers.
        self._compile_config["optimizer"] = pair

    def get_config(self):
        from neokeras.saving.serialization import serialize_keras_object

        return {**Layer.get_config(self),
                "linear_model": serialize_keras_object(self.linear_model),
                "dnn_model": serialize_keras_object(self.dnn_model),
                "activation": activations.serialize(self.activation)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from neokeras.saving.serialization import deserialize_keras_object

        config = dict(config)
        linear_model = deserialize_keras_object(config.pop("linear_model"),
                                                custom_objects=custom_objects)
        dnn_model = deserialize_keras_object(config.pop("dnn_model"),
                                             custom_objects=custom_objects)
        activation = activations.deserialize(config.pop("activation", None))
        return cls(linear_model=linear_model, dnn_model=dnn_model, activation=activation,
                   **config)
