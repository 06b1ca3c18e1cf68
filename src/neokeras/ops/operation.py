"""Ops called on symbolic tensors: each call becomes a node of the functional graph.

`ops.add(x, 1.0)` or `x + 1.0` on a `KerasTensor` cannot compute anything; instead an `OpLayer`
that runs the op is called on the symbolic arguments, which records a node like any layer call
(Keras 3 calls these objects Operations). Positional arguments stay call arguments of the node;
keyword arguments that are plain values become the op's config, as Keras writes them.
"""

from neokeras.backend.common import naming
from neokeras.backend.common.keras_tensor import KerasTensor
from neokeras.layers.layer import Layer
from neokeras.layers.layer import _is_json_like
from neokeras.utils import tree

# Keras writes op nodes with the module of its `Operation` classes (not a public module).
_KERAS_OP_MODULES = {"core": "keras.src.ops.core", "numpy": "keras.src.ops.numpy",
                     "nn": "keras.src.ops.nn", "math": "keras.src.ops.math",
                     "linalg": "keras.src.ops.linalg", "image": "keras.src.ops.image",
                     "einops": "keras.src.ops.einops"}


def _get_item(x, key):
    if isinstance(key, list):  # a tuple key comes back from JSON as a list
        key = tuple(key)
    return x[key]


_EXTRA_OPS = {"get_item": _get_item}


def _indices_spec(x, *rest, **kwargs):
    """Spec of `nonzero(x)` / `where(x)`: one index vector of unknown length per dimension."""
    if rest or any(v is not None for v in kwargs.values()):
        return None
    return tuple(KerasTensor((None,), dtype="int32") for _ in x.shape)


# Ops whose output shapes depend on values: their specs cannot come from abstract evaluation.
_DATA_DEPENDENT_SPECS = {"nonzero": _indices_spec, "where": _indices_spec}


def _op_function(op_name, family=None):
    from neokeras import ops

    fn = (_EXTRA_OPS.get(op_name) or ops.family_function(family, op_name)
          or getattr(ops, op_name, None))
    if fn is None or not callable(fn):
        raise ValueError(f"Unknown op {op_name!r}: neokeras.ops has no such function.")
    return fn


class OpLayer(Layer):
    """One `neokeras.ops` function applied as a node of a functional model.

    Args:
        op_name: Name of the op in `neokeras.ops` (e.g. `"mean"`).
        op_kwargs: Keyword arguments of the op (e.g. `{"axis": 1}`).
        op_family: Backend module the op comes from (`"numpy"`, `"nn"`, `"core"`), for the
            Keras module name written to configs.
        name: Node name (default: the op name, made unique).
    """

    def __init__(self, op_name, op_kwargs=None, op_family="numpy", name=None):
        super().__init__(name=name or naming.uniquify(op_name))
        self.op_name = op_name
        self.op_kwargs = dict(op_kwargs or {})
        self.op_family = op_family
        self._fn = _op_function(op_name, op_family)
        self.built = True

    def call(self, *args, **kwargs):
        return self._fn(*args, **{**self.op_kwargs, **kwargs})

    def _symbolic_outputs(self, *args, **kwargs):
        from neokeras import backend

        # Only the symbolic tensors are traced; constants (numbers, slices) are closed over.
        tensors = []
        tree.map_structure(lambda v: tensors.append(v) if isinstance(v, KerasTensor) else None,
                           (args, kwargs))

        def run(*values):
            fill = iter(values)
            a, k = tree.map_structure(lambda v: next(fill) if isinstance(v, KerasTensor) else v,
                                      (args, kwargs))
            return self.call(*a, **k)

        spec = _DATA_DEPENDENT_SPECS.get(self.op_name)
        outputs = spec(*args, **kwargs) if spec else None
        if outputs is None:
            outputs = backend.compute_output_spec(run, *tensors)
        return outputs

    def _convert_inputs(self, inputs):
        # Operands keep their own dtypes (ops decide promotion), unlike a layer's float cast.
        return inputs

    def keras_identity(self):
        """`(module, class_name)` Keras uses for this op in a functional config."""
        class_name = "".join(part.capitalize() for part in self.op_name.split("_"))
        return _KERAS_OP_MODULES.get(self.op_family, "keras.src.ops.numpy"), class_name

    def get_config(self):
        unserializable = sorted(k for k, v in self.op_kwargs.items() if not _is_json_like(v))
        if unserializable:
            raise NotImplementedError(
                f"Op node '{self.name}' (ops.{self.op_name}) has keyword arguments "
                f"{unserializable} that are not plain values, so the model cannot be saved. "
                "Wrap the computation in a custom layer with a get_config() instead.")
        return {"name": self.name, **self.op_kwargs}

    @classmethod
    def from_keras_config(cls, class_name, config, module=None):
        """Rebuilds an op node from Keras's `{"class_name": "Mean", "config": {...}}`."""
        from neokeras.saving.serialization import in_safe_mode

        config = dict(config)
        name = config.pop("name", None)
        op_name = naming.to_snake_case(class_name)
        if op_name in _UNBOUNDED_OPS and in_safe_mode():
            raise ValueError(
                f"The config holds an op node '{name}' (ops.{op_name}), which runs a function "
                "an unbounded number of times; it is refused while loading in safe mode. Pass "
                "safe_mode=False only if you trust the file.")
        family = next((f for f, m in _KERAS_OP_MODULES.items() if m == module), "numpy")
        return cls(op_name, config, op_family=family, name=name)


# Control flow that calls functions from the config a data-dependent number of times.
_UNBOUNDED_OPS = frozenset({"fori_loop", "while_loop", "scan", "associative_scan", "map",
                            "vectorized_map", "switch", "cond", "custom_gradient"})


def contains_keras_tensor(values):
    for value in values:
        if isinstance(value, KerasTensor):
            return True
        if isinstance(value, (list, tuple)) and contains_keras_tensor(value):
            return True
        if isinstance(value, dict) and contains_keras_tensor(value.values()):
            return True
    return False


def symbolic_op(op_name, op_family, args, kwargs):
    """Records `ops.<op_name>(*args, **kwargs)` on symbolic tensors as a graph node."""
    if op_name == "shape":
        return args[0].shape
    if op_name == "dtype":
        return args[0].dtype
    if op_name == "ndim":
        return len(args[0].shape)
    if op_name == "convert_to_tensor" and isinstance(args[0], KerasTensor):
        return args[0]
    static = {k: v for k, v in kwargs.items()
              if not contains_keras_tensor([v]) and _is_json_like(v)}
    dynamic = {k: v for k, v in kwargs.items() if k not in static}
    layer = OpLayer(op_name, static, op_family=op_family)
    return layer(*args, **dynamic)
