"""`JaxLayer` and `FlaxLayer`: a pure JAX function, or a Flax module, as a trainable layer.

The wrapped function's parameters become the layer's trainable variables and its state the
non-trainable ones, so `fit` trains them like any other weights. Arrays reach the function as
JAX arrays (this is the JAX backend), so the function can use `jax.numpy` freely.
"""

import numbers
import inspect
from collections.abc import Mapping

import numpy as np

from neokeras import backend
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.layers.layer import Layer
from neokeras.utils import tree


def _argument_names(fn, fn_name, allowed, owner):
    names = list(inspect.signature(fn).parameters)
    if "inputs" not in names:
        raise ValueError(f"{owner}: `{fn_name}` must take an `inputs` argument. "
                         f"Received a function with arguments {names}.")
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise ValueError(f"{owner}: unsupported argument(s) {unknown} in `{fn_name}`; the "
                         f"supported arguments are {sorted(allowed)}.")
    return names


def _is_array(value):
    return backend.is_tensor(value) or isinstance(value, (np.ndarray, np.generic))


@keras_name("keras.layers.JaxLayer")
class JaxLayer(Layer):
    """Wraps a pure JAX function `call_fn` (and its initializer `init_fn`) as a layer.

    `call_fn` takes, by name, some of `params`, `state`, `rng`, `inputs` (required) and
    `training`; it returns the outputs, or `(outputs, new_state)` when it takes `state`.
    `init_fn` takes some of `rng`, `inputs` (required) and `training` and returns the
    initial `params`, or `(params, state)`. Arrays in `params` become trainable variables,
    arrays in `state` non-trainable ones; other leaves are kept as configuration.

    Args:
        call_fn: The function computing the outputs.
        init_fn: The function creating the initial parameters (called at build on dummy
            inputs of the input shape, `None` sizes as 1). Not needed if `params`/`state`
            are given.
        params: Initial parameters (a pytree of arrays), instead of `init_fn`.
        state: Initial state (a pytree of arrays), instead of `init_fn`.
        seed: Seed of the `rng` keys given to `init_fn` and, in training, to `call_fn`.
    """

    def __init__(self, call_fn, init_fn=None, params=None, state=None, seed=None,
                 native_serialization_platforms=None, **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        if not callable(call_fn):
            raise ValueError(f"{owner}(call_fn=...) must be a function. Received: {call_fn!r}")
        self.call_fn = call_fn
        self.init_fn = init_fn
        self.seed = seed
        self.call_fn_arguments = _argument_names(
            call_fn, "call_fn", {"params", "state", "rng", "inputs", "training"}, owner)
        self.call_fn_has_state = "state" in self.call_fn_arguments
        self.init_fn_arguments = None
        if init_fn is not None:
            self.init_fn_arguments = _argument_names(
                init_fn, "init_fn", {"rng", "inputs", "training"}, owner)
        if init_fn is None and params is None and state is None and (
                "params" in self.call_fn_arguments or self.call_fn_has_state):
            raise ValueError(f"{owner}: `call_fn` takes `params` or `state`, so give `init_fn`, "
                             "`params` or `state`.")
        self.seed_generator = SeedGenerator(seed)
        self._native_platforms = native_serialization_platforms
        self._params, self._state = None, None
        if params is not None or state is not None:
            self._set_values(params, state)
            self.built = True

    @property
    def params(self):
        """The parameters: the structure given or made by `init_fn`, arrays as variables."""
        return self._params

    @property
    def state(self):
        """The state: the structure given or made by `init_fn`, arrays as variables."""
        return self._state

    def _variables(self, values, trainable):
        def create(value):
            if _is_array(value) or isinstance(value, (bool, int, float)):
                value = np.asarray(value)
                dtype = None if value.dtype.kind == "f" else str(value.dtype)
                return self.add_weight(shape=value.shape, initializer=lambda shape, dtype=None,
                                       v=value: v.astype(dtype or v.dtype), dtype=dtype,
                                       trainable=trainable)
            return value

        if values is None:
            return None
        # Variables are created in sorted-key order, as `jax.tree_util` walks the structure.
        return tree.pack_sequence_as(values, [create(v) for v in tree.flatten(values)])

    def _set_values(self, params, state):
        self._params = self._variables(params, trainable=True)
        self._state = self._variables(state, trainable=False)

    def _init_rng(self):
        return self.seed_generator.next()

    def _call_rng(self, training):
        return self.seed_generator.next() if training else None

    def build(self, input_shape):
        if self._params is not None or self._state is not None:
            return
        def dummy(shape):
            return np.ones([1 if d is None else d for d in shape], "float32")

        inputs = dummy(input_shape) if _is_shape(input_shape) else [
            dummy(shape) for shape in input_shape]
        arguments = {"rng": lambda: self._init_rng(), "inputs": lambda: inputs,
                     "training": lambda: True}
        result = self.init_fn(*[arguments[name]() for name in self.init_fn_arguments])
        params, state = result if self.call_fn_has_state else (result, None)
        self._set_values(params, state)

    def call(self, inputs, training=False):
        def values(structure):
            return tree.map_structure(
                lambda v: v.value if hasattr(v, "assign") else v, structure)

        arguments = {"params": lambda: values(self._params), "state": lambda: values(self._state),
                     "rng": lambda: self._call_rng(training), "inputs": lambda: inputs,
                     "training": lambda: bool(training)}
        result = self.call_fn(*[arguments[name]() for name in self.call_fn_arguments])
        if not self.call_fn_has_state:
            return result
        outputs, new_state = result
        variables = [v for v in tree.flatten(self._state) if hasattr(v, "assign")]
        new_values = tree.flatten(new_state)
        if len(variables) != len(new_values):
            raise ValueError(f"{type(self).__name__} '{self.name}': `call_fn` returned a state "
                             f"with {len(new_values)} arrays, but the initial state has "
                             f"{len(variables)}.")
        for variable, value in zip(variables, new_values):
            variable.assign(value)
        return outputs

    def get_config(self):
        from neokeras.saving.serialization import serialize_keras_object

        return {**super().get_config(), "call_fn": serialize_keras_object(self.call_fn),
                "init_fn": serialize_keras_object(self.init_fn),
                "native_serialization_platforms": self._native_platforms}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from neokeras.saving.serialization import deserialize_keras_object

        config = dict(config)
        for key in ("call_fn", "init_fn"):
            config[key] = deserialize_keras_object(config.get(key),
                                                   custom_objects=custom_objects)
        return cls(**config)


def _is_shape(value):
    return isinstance(value, (list, tuple)) and all(
        d is None or isinstance(d, numbers.Integral) for d in value)


@keras_name("keras.layers.FlaxLayer")
class FlaxLayer(JaxLayer):
    """Wraps a Flax (linen) module as a layer.

    The module's `"params"` collection becomes trainable variables and its other collections
    (e.g. `"batch_stats"`) non-trainable ones, updated by each call. A `training` argument of
    the module's method is passed through; in training the module gets a `"dropout"` rng.

    Args:
        module: A `flax.linen.Module` instance.
        method: The method to call (default `__call__`), or its name.
        variables: Initial variables (as `module.init` returns), instead of initializing.
    """

    def __init__(self, module, method=None, variables=None, **kwargs):
        from flax.linen import DenyList  # optional dependency, needed only here

        self.module = module
        self.method = getattr(module, method) if isinstance(method, str) else method
        mutable = DenyList(["params"])
        has_training = "training" in inspect.signature(
            self.method or module.__call__).parameters
        extra = (lambda training: {"training": training}) if has_training else (lambda t: {})

        def call_fn(params, state, rng, inputs, training):
            outputs, new_state = module.apply(_merge(params, state), inputs, rngs=rng,
                                              method=self.method, mutable=mutable,
                                              **extra(training))
            return outputs, _plain(new_state)

        def init_fn(rng, inputs, training):
            return _split(module.init(rng, inputs, method=self.method, **extra(training)))

        params, state = _split(variables) if variables is not None else (None, None)
        kwargs.pop("call_fn", None)
        kwargs.pop("init_fn", None)
        super().__init__(call_fn=call_fn, init_fn=init_fn, params=params, state=state, **kwargs)

    def _init_rng(self):
        return {"params": self.seed_generator.next(), "dropout": self.seed_generator.next()}

    def _call_rng(self, training):
        return {"dropout": self.seed_generator.next()} if training else {}

    def get_config(self):
        from neokeras.saving.serialization import serialize_keras_object

        config = super().get_config()
        config.pop("call_fn")
        config.pop("init_fn")
        method = self.method
        if getattr(method, "__self__", None) is self.module:
            method = method.__name__
        return {**config, "module": serialize_keras_object(self.module),
                "method": serialize_keras_object(method)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from neokeras.saving.serialization import deserialize_keras_object

        config = dict(config)
        config["module"] = deserialize_keras_object(config["module"],
                                                    custom_objects=custom_objects)
        method = config.get("method")
        if method is not None and not isinstance(method, str):
            config["method"] = deserialize_keras_object(method, custom_objects=custom_objects)
        return cls(**config)


def _plain(value):
    """Nested mappings (Flax's FrozenDict included) as plain dicts."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _split(variables):
    """Flax variables as `(params, state)`: the `"params"` collection, and the rest."""
    variables = _plain(variables)
    if "params" not in variables:
        return {}, variables
    state = {k: v for k, v in variables.items() if k != "params"}
    return {"params": variables["params"]}, state


def _merge(params, state):
    return {**(params or {}), **(state or {})}
