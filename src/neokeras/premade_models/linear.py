"""`LinearModel`: `y = activation(bias + sum_i x_i @ W_i)` over one or several inputs (tf-keras)."""

from neokeras import activations
from neokeras import initializers
from neokeras import regularizers
from neokeras.api_export import keras_name
from neokeras.layers.core.dense import Dense
from neokeras.layers.layer import Layer
from neokeras.models.model import Model


def _is_shape(value):
    return isinstance(value, (tuple, list)) and all(d is None or isinstance(d, int)
                                                   for d in value)


@keras_name("keras.experimental.LinearModel")
class LinearModel(Model):
    """Linear model for regression and classification (tf-keras's premade model).

    Each input (an array, a list of arrays, or a dict of arrays, taken in sorted key order) gets
    its own bias-free `Dense` kernel; the outputs are summed, the bias added, and the activation
    applied.

    Args:
        units: Positive int, output dimension.
        activation: Activation name or callable. `None` means linear.
        use_bias: Whether to add a bias (intercept).
        kernel_initializer: Initializer of the kernels (default zeros).
        bias_initializer: Initializer of the bias.
        kernel_regularizer: Regularizer of the kernels.
        bias_regularizer: Regularizer of the bias.

    Example:

    >>> model = keras.experimental.LinearModel()
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> model.fit(x, y, epochs=3)
    """

    def __init__(self, units=1, activation=None, use_bias=True, kernel_initializer="zeros",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 **kwargs):
        super().__init__(**kwargs)
        if isinstance(units, bool) or not isinstance(units, int) or units <= 0:
            raise ValueError(f"LinearModel(units=...) must be a positive int. "
                             f"Received: units={units!r}")
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)

    def _dense(self, name=None):
        return Dense(self.units, use_bias=False, kernel_initializer=self.kernel_initializer,
                     kernel_regularizer=self.kernel_regularizer, name=name)

    def build(self, input_shape):
        if isinstance(input_shape, dict):
            self._input_names = sorted(input_shape)
            shapes = [input_shape[name] for name in self._input_names]
            self.dense_layers = [self._dense(name) for name in self._input_names]
        elif isinstance(input_shape, (tuple, list)) and not _is_shape(input_shape):
            self._input_names = None
            shapes = list(input_shape)
            self.dense_layers = [self._dense() for _ in shapes]
        else:
            self._input_names = None
            shapes = [input_shape]
            self.dense_layers = [self._dense()]
        for layer, shape in zip(self.dense_layers, shapes):
            layer.build(tuple(shape))
        self.bias = self.add_weight(name="bias", shape=(self.units,),
                                    initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer) if self.use_bias else None
        self.built = True

    def call(self, inputs):
        if isinstance(inputs, dict):
            missing = set(self._input_names or ()) - set(inputs)
            if self._input_names is None or missing:
                raise ValueError(
                    "LinearModel: the `inputs` dict does not match the inputs the model was "
                    f"built for. Expected keys: {self._input_names}, received keys: "
                    f"{sorted(inputs)}, missing: {sorted(missing)}")
            inputs = [inputs[name] for name in self._input_names]
        elif not isinstance(inputs, (tuple, list)):
            inputs = [inputs]
        if len(inputs) != len(self.dense_layers):
            raise ValueError(f"LinearModel was built for {len(self.dense_layers)} input(s) but "
                             f"received {len(inputs)}.")
        result = None
        for x, layer in zip(inputs, self.dense_layers):
            output = layer(x)
            result = output if result is None else result + output
        if self.bias is not None:
            result = result + self.bias
        return self.activation(result) if self.activation is not None else result

    # tf-keras lists a model's sublayer weights before its own: the kernels, then the bias.
    # Kept, so `get_weights`/`set_weights` and weight files line up with tf-keras's.
    def _kernels_first(self, variables):
        own = {id(v) for v in self._trainable_variables + self._non_trainable_variables}
        return [v for v in variables if id(v) not in own] + [v for v in variables
                                                              if id(v) in own]

    @property
    def weights(self):
        return self._kernels_first(super().weights)

    @property
    def trainable_variables(self):
        return self._kernels_first(super().trainable_variables)

    def get_config(self):
        return {**Layer.get_config(self), "units": self.units,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return cls(**config)
