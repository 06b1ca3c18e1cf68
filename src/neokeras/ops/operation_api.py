"""`keras.Operation` (a computation usable eagerly and on symbolic tensors) and `keras.Function`
(a callable graph from symbolic inputs to outputs)."""

from neokeras import backend
from neokeras.api_export import keras_name
from neokeras.backend.common import naming
from neokeras.backend.common.keras_tensor import KerasTensor
from neokeras.layers.layer import Layer
from neokeras.utils import tree


@keras_name("keras.Operation")
class Operation:
    """Base class of computations: subclasses implement `call` (on arrays) and may implement
    `compute_output_spec` (on `KerasTensor`s; by default `call` is traced abstractly).

    Calling an operation on arrays runs `call`; on symbolic tensors it records a node of the
    functional graph, so operations compose into models like layers do.

    Example:

    >>> class AddOne(keras.Operation):
    ...     def call(self, x):
    ...         return x + 1
    >>> AddOne()(np.zeros(2))
    """

    def __init__(self, name=None):
        if name is not None and (not isinstance(name, str) or "/" in name):
            raise ValueError(f"Operation: `name` must be a string without '/'. Received: {name!r}")
        self.name = name or naming.uniquify(naming.to_snake_case(type(self).__name__))

    def __call__(self, *args, **kwargs):
        if any(isinstance(x, KerasTensor) for x in tree.flatten((args, kwargs))):
            return self.symbolic_call(*args, **kwargs)
        return self.call(*args, **kwargs)

    def symbolic_call(self, *args, **kwargs):
        """Records the call on symbolic tensors and returns its symbolic outputs."""
        return _OperationNode(self)(*args, **kwargs)

    def call(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must implement call().")

    def compute_output_spec(self, *args, **kwargs):
        """`KerasTensor`s describing the outputs, by abstract evaluation of `call`."""
        return backend.compute_output_spec(self.call, *args, **kwargs)

    def get_config(self):
        return {"name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<Operation name={self.name}>"


class _OperationNode(Layer):
    """Carries an `Operation` into a functional graph as a node."""

    def __init__(self, operation):
        super().__init__(name=operation.name)
        self.operation = operation
        self.built = True

    def call(self, *args, **kwargs):
        return self.operation.call(*args, **kwargs)

    def _convert_inputs(self, inputs):
        return inputs  # operations keep their operands' dtypes

    def _symbolic_outputs(self, *args, **kwargs):
        return self.operation.compute_output_spec(*args, **kwargs)


@keras_name("keras.Function")
class Function:
    """A callable graph of layers and operations from symbolic `inputs` to `outputs`.

    Args:
        inputs: Symbolic input tensor(s) (`keras.Input`), a list or dict of them.
        outputs: Symbolic tensor(s) computed from `inputs`.
        name: Optional name.

    Example:

    >>> x = keras.Input((3,))
    >>> f = keras.Function(x, keras.ops.sum(x * 2, axis=-1))
    >>> f(np.ones((2, 3)))
    """

    def __init__(self, inputs, outputs, name=None):
        from neokeras.models.functional import Functional

        self.name = name or naming.uniquify("function")
        self._inputs_struct, self._outputs_struct = inputs, outputs
        self._graph = Functional(inputs, outputs, name=self.name)

    @property
    def inputs(self):
        return tree.flatten(self._inputs_struct)

    @property
    def outputs(self):
        return tree.flatten(self._outputs_struct)

    @property
    def operations(self):
        """The layers and operations of the graph, in execution order."""
        return self._graph.layers

    def __call__(self, inputs):
        return self._graph(inputs)

    def compute_output_spec(self, inputs):
        return self._graph.compute_output_spec(inputs)
