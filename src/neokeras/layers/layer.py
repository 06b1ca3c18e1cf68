"""`Layer`: the base class of every layer and model.

A layer stores configuration in `__init__`, creates its variables in `build(input_shape)` and
computes in `call`. Calling it on arrays runs `call`; calling it on symbolic `KerasTensor`s infers
output shapes by abstract evaluation and records a node of the functional graph.
"""

import contextlib
import inspect
import numbers
import threading

import numpy as np

from neokeras import backend
from neokeras import config
from neokeras import initializers as initializers_module
from neokeras.api_export import keras_name
from neokeras.backend import keras2_graph
from neokeras.backend.common import naming
from neokeras.backend.common import remat
from neokeras.backend.common.name_scope import current_path
from neokeras.backend.common.name_scope import name_scope
from neokeras.backend.common.keras_tensor import KerasTensor
from neokeras.backend.common.seed_generator import SeedGenerator
from neokeras.backend.common.stateless_scope import StatelessScope
from neokeras.backend.common.variables import AutocastScope
from neokeras.backend.common.variables import KerasVariable
from neokeras.distribution import distributions
from neokeras.layers.input_spec import InputSpec
from neokeras.layers.layer_nodes import LayerNodesMixin
from neokeras.layers.masking import keras_mask
from neokeras import tree as public_tree
from neokeras.utils import tree
from neokeras.utils.traceback_utils import filter_traceback

_CALL_CONTEXT = threading.local()

# Bumped whenever a layer gains a sublayer, variable or seed generator, or is (un)frozen, so
# that caches of variable lists (the trainer's) know to look again.
_STRUCTURE_VERSION = [0]


def structure_version():
    """A counter that changes whenever any layer's set of variables may have changed."""
    return _STRUCTURE_VERSION[0]


def _structure_changed():
    _STRUCTURE_VERSION[0] += 1

# Keyword arguments every layer accepts (Keras 2 and Keras 3 spellings).
_BASE_KWARGS = {"input_shape", "input_dim", "batch_size", "batch_input_shape", "input_length",
                "weights", "autocast"}


def _dtype_policy(dtype):
    """A layer's `DTypePolicy` from None (the global policy), a name, a policy, a dtype object
    or a serialized policy dict (Keras 3 `DTypePolicy` or tf-keras `Policy`)."""
    from neokeras import dtype_policies

    if dtype is None or isinstance(dtype, (str, dtype_policies.DTypePolicy)):
        return dtype_policies.get(dtype)
    if isinstance(dtype, dict) and dtype.get("class_name") in (
            "QuantizedDTypePolicy", "QuantizedFloat8DTypePolicy", "Int4DTypePolicy",
            "GPTQDTypePolicy", "AWQDTypePolicy", "DTypePolicyMap"):
        return dtype_policies.deserialize(dtype)
    if isinstance(dtype, dict):
        name = dtype.get("config", {}).get("name") if "config" in dtype else dtype.get("name")
        return dtype_policies.DTypePolicy(name or config.floatx())
    if hasattr(dtype, "name"):
        return dtype_policies.DTypePolicy(str(dtype.name))
    return dtype_policies.DTypePolicy(backend.standardize_dtype(dtype))


class _CallContext:
    def __init__(self, training):
        self.training = training


def _current_call_context():
    return getattr(_CALL_CONTEXT, "context", None)


@keras_name("keras.layers.Layer")
class Layer(LayerNodesMixin):
    """Base class for layers.

    Args:
        trainable: Whether the layer's variables are updated by training.
        name: The layer's name; unique automatic names (`dense`, `dense_1`, ...) otherwise.
        dtype: The dtype of the layer's variables and computations (default `floatx()`).
        input_shape: Keras 2 style first-layer shape, without the batch dimension.
        input_dim: Shorthand for `input_shape=(input_dim,)`.
        batch_size: Fixed batch size, used with `input_shape`.
        batch_input_shape: Full input shape including the batch dimension.
        activity_regularizer: Regularizer applied to the layer's output.
    """

    # False for layers that compute on the host (string lookups): models holding one run eagerly.
    supports_jit = True
    # Set when the layer's scope is first opened (build or call); see `_open_name_scope`.
    _parent_path = None
    _path = None
    # True while a user layer's own `compute_output_shape` gives its symbolic output.
    _stating_output_shape = False

    def __new__(cls, *args, **kwargs):
        instance = super().__new__(cls)
        # Remember the constructor arguments so that custom layers get a `get_config` for free.
        try:
            signature = inspect.signature(cls.__init__)
            bound = signature.bind(None, *args, **kwargs)
            arguments = dict(bound.arguments)
            arguments.pop(next(iter(arguments)))  # self
            for parameter in signature.parameters.values():
                if parameter.kind is inspect.Parameter.VAR_KEYWORD:  # `**kwargs`, `**kw`, ...
                    arguments.update(arguments.pop(parameter.name, {}))
            instance._init_arguments = arguments
        except TypeError:
            instance._init_arguments = None
        return instance

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        build = cls.__dict__.get("build")
        if build is not None and not getattr(build, "_marks_built", False):
            # A direct `layer.build(shape)` must leave the layer built (as in Keras), or the
            # first call would build it again and replace weights set in between.
            def build_and_mark(self, *args, **kwargs):
                with self._open_name_scope():
                    self._path = current_path()
                    result = build(self, *args, **kwargs)
                if self._build_shapes is None and args:
                    self._build_shapes = args[0]
                self.built = True
                if self._initial_weights is not None:  # Keras 2 `weights=[...]` argument
                    weights, self._initial_weights = self._initial_weights, None
                    self.set_weights(weights)
                return result

            build_and_mark._marks_built = True
            build_and_mark.__doc__ = build.__doc__
            build_and_mark.__name__ = build.__name__
            cls.build = build_and_mark

    def __init__(self, *, trainable=True, name=None, dtype=None, activity_regularizer=None,
                 **kwargs):
        unknown = set(kwargs) - _BASE_KWARGS
        if unknown:
            raise TypeError(
                f"{type(self).__name__}() got unexpected keyword argument(s) {sorted(unknown)}."
            )
        if name is not None and not isinstance(name, str):
            raise TypeError(f"Layer name must be a string. Received: name={name!r}")
        self.name = name or naming.uniquify(naming.to_snake_case(type(self).__name__))
        self._trainable = bool(trainable)
        self._dtype_policy = _dtype_policy(dtype)
        self._autocast = bool(kwargs.get("autocast", True))
        self._remat_mode = remat.current_remat_mode()
        self.built = False
        self.input_spec = None
        self.supports_masking = False
        self._trainable_variables = []
        self._non_trainable_variables = []
        self._tracked_layers = []
        self._seed_generators = []
        self._losses = []
        self._inbound_nodes = []
        self._outbound_nodes = []
        self._build_shapes = None
        self._initial_weights = kwargs.get("weights")
        from neokeras import regularizers

        self.activity_regularizer = regularizers.get(activity_regularizer)
        self._batch_input_shape = self._first_layer_shape(kwargs)
        call_params = inspect.signature(self.call).parameters
        self._call_has_training_arg = "training" in call_params
        default = call_params["training"].default if self._call_has_training_arg else None
        self._call_training_default = None if default is inspect.Parameter.empty else default
        self._call_has_mask_arg = "mask" in call_params

    def _first_layer_shape(self, kwargs):
        """The full input shape implied by `input_shape`/`input_dim`/`batch_*`, or None."""
        if kwargs.get("batch_input_shape") is not None:
            return tuple(kwargs["batch_input_shape"])
        shape = kwargs.get("input_shape")
        if shape is None and kwargs.get("input_dim") is not None:
            shape = (kwargs["input_dim"],)
            if kwargs.get("input_length") is not None:
                shape = (kwargs["input_length"],)
        if shape is None:
            return None
        if isinstance(shape, numbers.Integral):
            shape = (shape,)
        return (kwargs.get("batch_size"),) + tuple(shape)

    # ------------------------------------------------------------------ attributes and tracking
    def __setattr__(self, name, value):
        tracked = self.__dict__.get("_tracked_layers")
        if tracked is not None and not name.startswith("_"):
            # Lists and dicts stay tracked when layers are appended or set in them later.
            if type(value) is list:
                value = _TrackedList(value, owner=self)
            elif type(value) is dict:
                value = _TrackedDict(value, owner=self)
        if tracked is not None and not name.startswith("__"):
            self._track(value)
        object.__setattr__(self, name, value)

    def _track(self, value):
        if isinstance(value, Layer):
            if value is not self and all(value is not t for t in self._tracked_layers):
                self._tracked_layers.append(value)
                _structure_changed()
        elif isinstance(value, KerasVariable):
            if all(value is not v for v in self._trainable_variables + self._non_trainable_variables):
                target = self._trainable_variables if value.trainable else self._non_trainable_variables
                target.append(value)
                _structure_changed()
        elif isinstance(value, SeedGenerator):
            if all(value is not s for s in self._seed_generators):
                self._seed_generators.append(value)
                _structure_changed()
        elif isinstance(value, (list, tuple)):
            for item in value:
                self._track(item)
        elif isinstance(value, dict):
            for item in value.values():
                self._track(item)

    @property
    def dtype(self):
        """The dtype of the layer's variables (`variable_dtype`)."""
        return self.variable_dtype

    @property
    def dtype_policy(self):
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value):
        from neokeras.dtype_policies import DTypePolicyMap

        policy = _dtype_policy(value)
        if isinstance(self._dtype_policy, DTypePolicyMap) and self.path \
                and not isinstance(policy, DTypePolicyMap):
            if self.path in self._dtype_policy:
                del self._dtype_policy[self.path]
            self._dtype_policy[self.path] = policy
        else:
            self._dtype_policy = policy
        if policy.quantization_mode is not None and self.built \
                and not getattr(self, "_is_quantized", False):
            if policy.quantization_mode in ("gptq", "awq"):
                raise ValueError(
                    f"Implicitly enabling {policy.quantization_mode.upper()} quantization by "
                    f"setting `dtype_policy` to '{policy.name}' is not supported: it needs "
                    "calibration data. Use `.quantize(mode, config=...)` instead.")
            self.quantize(policy.quantization_mode)

    @property
    def path(self):
        """The layer's path: the scopes it was built in and its name (`"block/dense"`;
        `None` before it is built). The key `DTypePolicyMap` looks it up by."""
        return self._path

    def _open_name_scope(self):
        """The layer's variable scope; the path it is first opened under stays its parent."""
        if self._parent_path is None:
            self._parent_path = current_path()
        return name_scope(self.name, caller=self)

    @property
    def _effective_dtype_policy(self):
        """The layer's own policy, looked up by path when its policy is a `DTypePolicyMap`
        (whose default policy holds until the layer is built and has a path)."""
        from neokeras.dtype_policies import DTypePolicyMap

        if isinstance(self._dtype_policy, DTypePolicyMap) and self.path:
            return self._dtype_policy[self.path]
        return self._dtype_policy

    @property
    def compute_dtype(self):
        """The dtype the layer computes in; float inputs and variables are cast to it."""
        return self._effective_dtype_policy.compute_dtype

    @property
    def variable_dtype(self):
        return self._effective_dtype_policy.variable_dtype

    @property
    def quantization_mode(self):
        """The layer's quantization mode (`"int8"`, `"int4"`, ...), None if not quantized."""
        return self._effective_dtype_policy.quantization_mode

    def quantize(self, mode=None, type_check=True, config=None):
        """Quantizes the layer's weights (`"int8"`, `"int4"`, `"float8"`); layers that
        support it override this."""
        raise NotImplementedError(
            f"Layer {type(self).__name__} does not have a `quantize` method implemented.")

    def quantized_call(self, *args, **kwargs):
        """The forward pass of a quantized layer (layers supporting quantization define it)."""
        raise NotImplementedError(
            f"Layer {type(self).__name__} does not have a `quantized_call` method implemented.")

    def _forward(self):
        return self.quantized_call if self.quantization_mode is not None else self.call

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        _structure_changed()
        for layer in self._tracked_layers:
            layer.trainable = value

    @property
    def layers(self):
        """The tracked sublayers. Keras 3 layers have no `layers` attribute of their own, so a
        subclass may assign one (`self.layers = [...]`); it is then returned as assigned, and
        the layers in it are tracked."""
        if "_assigned_layers" in self.__dict__:
            return self.__dict__["_assigned_layers"]
        return list(self._tracked_layers)

    @layers.setter
    def layers(self, value):
        # `__setattr__` has already wrapped a list and tracked what it holds.
        self.__dict__["_assigned_layers"] = value

    def _flatten_layers(self, include_self=True):
        """This layer and every layer under it, depth first, each once."""
        seen, result = set(), []

        def visit(layer):
            if id(layer) in seen:
                return
            seen.add(id(layer))
            result.append(layer)
            for child in layer._tracked_layers:
                visit(child)

        visit(self)
        return result if include_self else result[1:]

    # ------------------------------------------------------------------ variables
    def add_weight(self, *args, **kwargs):
        """Creates a variable owned by this layer.

        Args (Keras 3 order): shape, initializer, dtype, trainable, autocast, regularizer,
            constraint, aggregation, overwrite_with_gradient, name. A first positional string
            is read in the Keras 2 order: name, shape, dtype, initializer, regularizer,
            trainable, constraint, use_resource, synchronization, aggregation. TensorFlow's
            placement options (`use_resource`, `synchronization`, `partitioner`,
            `caching_device`, `experimental_autocast`) are accepted and have no effect here.

        Returns:
            The new `Variable`.
        """
        if args and isinstance(args[0], str):
            order = ("name", "shape", "dtype", "initializer", "regularizer", "trainable",
                     "constraint", "use_resource", "synchronization", "aggregation")
        else:
            order = ("shape", "initializer", "dtype", "trainable", "autocast", "regularizer",
                     "constraint", "aggregation", "overwrite_with_gradient", "name")
        if len(args) > len(order):
            raise TypeError(f"add_weight() takes at most {len(order)} positional arguments.")
        for key, value in zip(order, args):
            if key in kwargs:
                raise TypeError(f"add_weight() got multiple values for argument '{key}'.")
            kwargs[key] = value
        return self._add_weight(**kwargs)

    def _add_weight(self, shape=None, initializer=None, dtype=None, trainable=True,
                    autocast=True, regularizer=None, constraint=None, aggregation=None,
                    overwrite_with_gradient=False, name=None, use_resource=None,
                    synchronization=None, experimental_autocast=None, partitioner=None,
                    caching_device=None):
        from neokeras import constraints, regularizers

        shape = () if shape is None else tuple(int(d) for d in shape)
        dtype = backend.standardize_dtype(dtype or self.variable_dtype)
        if initializer is None:
            initializer = "glorot_uniform" if "float" in dtype else "zeros"
        initializer = initializers_module.get(initializer)
        trainable = True if trainable is None else bool(trainable)
        name = name or f"variable_{len(self._trainable_variables) + len(self._non_trainable_variables)}"
        with name_scope(self.name, caller=self):
            variable = backend.Variable(initializer, shape=shape, dtype=dtype,
                                        trainable=trainable, autocast=autocast, name=name)
        # The optimizer replaces such a variable by its "gradient" instead of applying it
        # (float8 scales and histories are computed in the backward pass).
        variable.overwrite_with_gradient = bool(overwrite_with_gradient)
        variable.regularizer = regularizers.get(regularizer)
        variable.constraint = constraints.get(constraint)
        (self._trainable_variables if trainable else self._non_trainable_variables).append(variable)
        _structure_changed()
        return variable

    @property
    def trainable_variables(self):
        if not self._trainable:
            return []
        result = [v for v in self._trainable_variables if v.trainable]
        for layer in self._tracked_layers:
            result.extend(layer.trainable_variables)
        return _unique(result)

    @property
    def non_trainable_variables(self):
        """Non-trainable weights, frozen trainable ones, and random-state variables."""
        # A variable made non-trainable after creation (`v.trainable = False`) counts here.
        frozen = [v for v in self._trainable_variables if not (self._trainable and v.trainable)]
        result = frozen + list(self._non_trainable_variables)
        result.extend(s.state for s in self._seed_generators)
        for layer in self._tracked_layers:
            if self._trainable:
                result.extend(layer.non_trainable_variables)
            else:
                result.extend(layer.trainable_variables_ignoring_freeze())
                result.extend(layer.non_trainable_variables)
        return _unique(result)

    def trainable_variables_ignoring_freeze(self):
        result = list(self._trainable_variables)
        for layer in self._tracked_layers:
            result.extend(layer.trainable_variables_ignoring_freeze())
        return result

    @property
    def variables(self):
        return _unique(self.trainable_variables + self.non_trainable_variables)

    @property
    def weights(self):
        """Own trainable then own non-trainable weights, then each sublayer's (Keras 3 order)."""
        result = self._trainable_variables + self._non_trainable_variables
        for layer in self._tracked_layers:
            result = result + layer.weights
        return _unique(result)

    @property
    def trainable_weights(self):
        return self.trainable_variables

    @property
    def non_trainable_weights(self):
        states = {id(s.state) for layer in self._flatten_layers() for s in layer._seed_generators}
        return [v for v in self.non_trainable_variables if id(v) not in states]

    def get_weights(self):
        """The layer's weights as a list of numpy arrays, in `weights` order."""
        return [np.asarray(v.numpy()) for v in self.weights]

    def set_weights(self, weights):
        """Sets the weights from a list of arrays in `weights` order (shapes must match)."""
        own = self.weights
        if len(weights) != len(own):
            raise ValueError(
                f"Layer '{self.name}' expects {len(own)} weight arrays, "
                f"but set_weights received {len(weights)}."
            )
        for variable, value in zip(own, weights):
            value = np.asarray(value)
            if tuple(value.shape) != variable.shape:
                raise ValueError(
                    f"Layer '{self.name}' weight '{variable.path}' has shape {variable.shape}, "
                    f"but set_weights received an array of shape {value.shape}."
                )
        for variable, value in zip(own, weights):
            variable.assign(np.asarray(value))

    def count_params(self):
        """Total number of scalars in the layer's weights."""
        if not self.built:
            raise ValueError(
                f"Layer '{self.name}' has no weights yet: it is built on its first call. "
                "Call it on data or give the model an input shape first."
            )
        return int(sum(int(np.prod(v.shape)) for v in self.weights))

    # ------------------------------------------------------------------ losses
    @property
    def losses(self):
        """Regularization losses of this layer and its sublayers, plus losses from `add_loss`."""
        result = []
        for layer in self._flatten_layers():
            result.extend(layer._losses)
            for variable in layer._trainable_variables + layer._non_trainable_variables:
                regularizer = getattr(variable, "regularizer", None)
                if regularizer is not None:
                    result.append(regularizer(variable.value))
        return result

    def add_loss(self, loss):
        """Adds a scalar loss term (e.g. computed in `call`) to the training loss."""
        self._losses.append(loss)

    def _pop_added_losses(self):
        """Removes and returns the `add_loss` values of this layer and its sublayers."""
        added = [loss for layer in self._flatten_layers() for loss in layer._losses]
        self._clear_losses()
        return added

    def _clear_losses(self):
        for layer in self._flatten_layers():
            layer._losses = []

    # ------------------------------------------------------------------ build and call
    def build(self, input_shape):
        """Creates the layer's variables for inputs of `input_shape` (default: none)."""
        self.built = True

    def call(self, inputs, *args, **kwargs):
        raise NotImplementedError(f"Layer {type(self).__name__} does not implement call().")

    def compute_output_shape(self, input_shape):
        """The output shape(s) for inputs of `input_shape` (a shape, or a list of shapes)."""
        shapes = _tuplify(list(input_shape) if isinstance(input_shape, tuple) else input_shape)
        if isinstance(shapes, list):
            specs = [KerasTensor(s, dtype=self.compute_dtype) for s in shapes]
        else:
            specs = KerasTensor(shapes, dtype=self.compute_dtype)
        spec = self.compute_output_spec(specs)
        return tree.map_structure(lambda t: t.shape, spec)

    def compute_output_spec(self, *args, **kwargs):
        """The output `KerasTensor`(s) for the given symbolic inputs, by abstract evaluation."""
        if not self.built and args:
            shapes = tree.map_structure(_known_shape, args[0])
            self._build_shapes = shapes
            self._build_in_scope(shapes)
        if args and _defines_own_output_shape(type(self)) and not self._stating_output_shape:
            self._stating_output_shape = True  # a `super().compute_output_shape` call traces
            try:
                return self._spec_from_output_shape(args[0])
            except Exception:  # noqa: BLE001 - Keras 2 layers' shape methods often assume known
                pass  # sizes (None * 2) or other arguments; tracing `call` still answers then
            finally:
                self._stating_output_shape = False
        return backend.compute_output_spec(self._plain_call, *args, **kwargs)

    def _spec_from_output_shape(self, inputs):
        # As Keras: a user layer that states its output shape is not traced to find it (its
        # `call` may need concrete sizes, e.g. slicing a fixed-size table by the input length).
        shapes = tree.map_structure(lambda x: tuple(x.shape), inputs)
        output_shape = self.compute_output_shape(shapes)
        if isinstance(output_shape, list) and all(
                d is None or isinstance(d, (int, np.integer)) for d in output_shape):
            output_shape = tuple(output_shape)
        return public_tree.map_shape_structure(
            lambda shape: KerasTensor(shape, dtype=self.compute_dtype), output_shape)

    def _plain_call(self, *args, **kwargs):
        return self._forward()(*args, **kwargs)

    def _build_in_scope(self, shapes):
        # Variables are created eagerly, never as tracers, even when first called under `jit`.
        with self._open_name_scope(), _no_stateless_scope(), backend.impl.eager_scope():
            self._path = current_path()
            self.build(shapes)
        self.built = True

    def _maybe_build(self, inputs):
        if self.built:
            return
        shapes = tree.map_structure(_known_shape, inputs)
        self._build_shapes = shapes
        self._build_in_scope(shapes)
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def _convert_inputs(self, inputs):
        def convert(x):
            if isinstance(x, (KerasTensor, type(None))):
                return x
            if isinstance(x, np.ndarray) and x.dtype.kind in "USO":
                return x  # strings stay on the host, for the layers that handle them
            x = backend.convert_to_tensor(x)
            if "float" in str(x.dtype) and str(x.dtype) != self.compute_dtype:
                x = x.astype(self.compute_dtype)
            return x

        return tree.map_structure(convert, inputs)

    def _autocast_scope(self):
        """Reads float variables in the compute dtype during `call` (mixed precision)."""
        policy = self._effective_dtype_policy
        if self._autocast and policy.compute_dtype != policy.variable_dtype:
            return AutocastScope(policy.compute_dtype)
        return contextlib.nullcontext()

    @filter_traceback
    def __call__(self, *args, **kwargs):
        if not args:  # the inputs given by name: `call`'s first argument (or `inputs`)
            first = next((p.name for p in inspect.signature(self.call).parameters.values()
                          if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)), "inputs")
            name = first if first in kwargs else "inputs" if "inputs" in kwargs else None
            if name is None:
                raise TypeError(f"Layer '{self.name}' was called without inputs.")
            args = (kwargs.pop(name),)
        # As in Keras, the layer's variables, and those of the layers it builds or calls,
        # get paths under its scope (`"block/dense/kernel"`).
        with self._open_name_scope():
            if any(isinstance(x, KerasTensor) for x in tree.flatten((args, kwargs))):
                return self._symbolic_call(*args, **kwargs)
            return self._eager_call(*args, **kwargs)

    def _eager_call(self, *args, **kwargs):
        inputs = self._convert_inputs(args[0])
        args = (inputs,) + args[1:]
        self._maybe_build(inputs)
        self._check_input_spec(inputs)
        outer = _current_call_context()
        # As Keras 3: a `training` passed here (even None), else an outer call's (not None),
        # else Keras 2's K.set_learning_phase, else the default of this layer's `call`; so an
        # augmentation layer (default True) augments in `model(x)` but not in `predict`.
        training = kwargs.get("training")
        if "training" not in kwargs and outer is not None:
            training = outer.training
        if training is None:
            training = keras2_graph.global_learning_phase()
        if training is None and "training" not in kwargs:
            training = self._call_training_default
        if self._call_has_training_arg:
            kwargs["training"] = training
        else:
            kwargs.pop("training", None)
        previous_mask = self._previous_mask(inputs, kwargs)
        if outer is None:
            self._clear_losses()
        _CALL_CONTEXT.context = _CallContext(training)
        try:
            call = remat.rematerialized_call(self, self._forward(), args, kwargs)
            with self._autocast_scope():
                outputs = call(*args, **kwargs)
        finally:
            _CALL_CONTEXT.context = outer
        outputs = self._distribute_outputs(outputs)
        if self.activity_regularizer is not None:
            for output in tree.flatten(outputs):
                self.add_loss(self.activity_regularizer(output) / output.shape[0])
        if (self.supports_masking and previous_mask is not None) or self._overrides_compute_mask():
            self._set_output_masks(outputs, self.compute_mask(inputs, previous_mask))
        return outputs

    def _distribute_outputs(self, outputs):
        """Under a `keras.distribution` whose layout map has a key matching `"{path}/output"`,
        the outputs laid out that way (a sharding constraint inside compiled steps)."""
        current = distributions.distribution()
        if current is None:
            return outputs
        layout = current.get_tensor_layout(f"{current_path()}/output")
        if layout is None:
            return outputs
        return tree.map_structure(lambda x: distributions.distribute_tensor(x, layout), outputs)

    # ------------------------------------------------------------------ masking
    def compute_mask(self, inputs, previous_mask):
        """The mask of the outputs: the input mask if the layer supports masking, else None."""
        return previous_mask if self.supports_masking else None

    def _overrides_compute_mask(self):
        return type(self).compute_mask is not Layer.compute_mask

    def _previous_mask(self, inputs, kwargs):
        """Fills `kwargs["mask"]` from the inputs' attached masks; returns the input mask."""
        mask = kwargs.get("mask")
        if mask is None:
            mask = keras_mask.get_structure_mask(inputs)
        if self._call_has_mask_arg:
            if mask is not None:
                kwargs["mask"] = mask
        else:
            kwargs.pop("mask", None)
        return mask

    @staticmethod
    def _set_output_masks(outputs, masks):
        if masks is None:
            return
        flat_masks = tree.flatten(masks)
        for i, output in enumerate(tree.flatten(outputs)):
            mask = flat_masks[i] if i < len(flat_masks) else None
            if mask is not None and keras_mask.get_keras_mask(output) is None:
                keras_mask.set_keras_mask(output, mask)

    def _check_input_spec(self, inputs):
        if self.input_spec is None:
            return
        specs = self.input_spec if isinstance(self.input_spec, (list, tuple)) else [self.input_spec]
        flat = tree.flatten(inputs)
        for spec, x in zip(specs, flat):
            if spec is not None:
                origin = ""
                if self._build_shapes is not None:
                    origin = (f" The layer was built for inputs of shape {self._build_shapes}; "
                              "did the number of input features change?")
                spec.check(self, tuple(x.shape), origin)

    def _symbolic_call(self, *args, **kwargs):
        from neokeras.layers.node import Node

        outputs = self._symbolic_outputs(*args, **kwargs)
        Node(self, args, self._node_kwargs(args, kwargs), outputs)
        return outputs

    def _node_kwargs(self, args, kwargs):
        """The keyword arguments Keras 3 records in the graph (and `config.json`) for a call.

        A call on a single tensor of the layer's compute dtype without keyword arguments also
        records what Keras fills in: `training` (the `call` default, when not None) and `mask`
        (the input's mask, or None). A mask computed outside the graph (no history, where Keras
        records an op node such as `NotEqual`) is left out.
        """
        first = args[0] if len(args) == 1 else None
        if kwargs or not isinstance(first, KerasTensor) or \
                backend.standardize_dtype(first.dtype) != self.compute_dtype:
            return kwargs
        recorded = {}
        if self._call_has_training_arg and self._call_training_default is not None:
            recorded["training"] = self._call_training_default
        if self._call_has_mask_arg:
            mask = keras_mask.get_keras_mask(first)
            if mask is None or getattr(mask, "_keras_history", None) is not None:
                recorded["mask"] = mask
        return recorded

    def _symbolic_outputs(self, *args, **kwargs):
        """The output `KerasTensor`s (with masks) of a call on symbolic inputs; no graph node
        is recorded."""
        inputs = args[0]
        if not self.built:
            shapes = tree.map_structure(_known_shape, inputs)
            self._build_shapes = shapes
            self._build_in_scope(shapes)
        self._check_input_spec(inputs)
        call_kwargs = dict(kwargs)
        if not self._call_has_training_arg:
            call_kwargs.pop("training", None)
        previous_mask = self._previous_mask(inputs, call_kwargs)
        # A layer that cannot be traced (string inputs) gives its own compute_output_spec.
        outputs = self.compute_output_spec(*args, **call_kwargs)
        if self._overrides_compute_mask():
            self._set_output_masks(outputs, backend.compute_output_spec(
                self.compute_mask, inputs, previous_mask))
        elif self.supports_masking and previous_mask is not None:
            self._set_output_masks(outputs, previous_mask)
        return outputs

    def stateless_call(self, trainable_variables, non_trainable_variables, *args,
                       return_losses=False, **kwargs):
        """Runs `call` with the given variable values; returns `(outputs, non_trainable_values)`.

        Nothing is mutated: updates made during the call (moving statistics, random state)
        are returned as the new non-trainable values.
        """
        mapping = list(zip(self.trainable_variables, trainable_variables))
        mapping += list(zip(self.non_trainable_variables, non_trainable_variables))
        with StatelessScope(mapping) as scope:
            outputs = self(*args, **kwargs)
            losses = self.losses if return_losses else None
        new_non_trainable = [scope.current_value(v) for v in self.non_trainable_variables]
        if return_losses:
            return outputs, new_non_trainable, losses
        return outputs, new_non_trainable

    # ------------------------------------------------------------------ serialization
    def get_config(self):
        """The constructor arguments as a JSON-able dict (`from_config` inverts it)."""
        from neokeras import dtype_policies

        config_ = {"name": self.name, "trainable": self.trainable,
                   "dtype": dtype_policies.serialize(self._dtype_policy)}
        if type(self).get_config is Layer.get_config:
            config_.update(self._constructor_arguments())
        return config_

    def _constructor_arguments(self):
        """The recorded constructor arguments, for classes that do not define `get_config`."""
        arguments = self._init_arguments or {}
        auto = {k: v for k, v in arguments.items() if _is_json_like(v)}
        if len(auto) != len(arguments):
            skipped = sorted(set(arguments) - set(auto))
            raise NotImplementedError(
                f"Layer {type(self).__name__} has constructor arguments {skipped} that are "
                "not plain values; implement get_config() to serialize it."
            )
        return auto

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def get_build_config(self):
        if self._build_shapes is None:
            return None
        return {"input_shape": self._build_shapes}

    def build_from_config(self, build_config):
        if build_config and build_config.get("input_shape") is not None and not self.built:
            shape = build_config["input_shape"]
            self._build_shapes = _tuplify(shape)
            self.build(self._build_shapes)
            self.built = True

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


class _TrackedList(list):
    """A list attribute of a layer: layers and variables added to it later are tracked too."""

    def __init__(self, items=(), owner=None):
        super().__init__(items)
        self._owner = owner

    def _track(self, item):
        if self._owner is not None:
            self._owner._track(item)

    def append(self, item):
        self._track(item)
        super().append(item)

    def extend(self, items):
        items = list(items)
        self._track(items)
        super().extend(items)

    def insert(self, index, item):
        self._track(item)
        super().insert(index, item)

    def __setitem__(self, index, item):
        self._track(item)
        super().__setitem__(index, item)

    def __iadd__(self, items):
        self.extend(items)
        return self


class _TrackedDict(dict):
    """A dict attribute of a layer: layers and variables set in it later are tracked too."""

    def __init__(self, items=(), owner=None):
        super().__init__(items)
        self._owner = owner

    def _track(self, item):
        if self._owner is not None:
            self._owner._track(item)

    def __setitem__(self, key, item):
        self._track(item)
        super().__setitem__(key, item)

    def update(self, *args, **kwargs):
        items = dict(*args, **kwargs)
        self._track(items)
        super().update(items)

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]


def _unique(variables):
    seen, result = set(), []
    for v in variables:
        if id(v) not in seen:
            seen.add(id(v))
            result.append(v)
    return result


def _defines_own_output_shape(cls):
    """Whether a class outside neokeras defines `compute_output_shape` (built-in layers are
    always traced, which gives their exact output dtypes)."""
    for klass in cls.__mro__:
        if "compute_output_shape" in vars(klass):
            return not klass.__module__.startswith("neokeras.")
    return False


def _known_shape(x):
    """`x`'s shape, with None for a dimension that is symbolic while shapes are inferred."""
    return tuple(d if isinstance(d, (int, np.integer)) else None for d in x.shape)


def _tuplify(shape):
    if isinstance(shape, list) and (not shape or not isinstance(shape[0], (list, tuple))):
        return tuple(shape)
    if isinstance(shape, list):
        return [_tuplify(s) for s in shape]
    return shape


def _is_json_like(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_is_json_like(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_json_like(v) for k, v in value.items())
    return False


class _no_stateless_scope:
    """Temporarily leaves any stateless scope, so variables get concrete initial values."""

    def __enter__(self):
        from neokeras.backend.common import stateless_scope

        stack = getattr(stateless_scope._STATE, "stack", None) or []
        self._saved = list(stack)
        stack.clear()

    def __exit__(self, *exc):
        from neokeras.backend.common import stateless_scope

        stack = getattr(stateless_scope._STATE, "stack", None)
        if stack is not None:
            stack.extend(self._saved)
