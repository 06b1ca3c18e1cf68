"""`Lambda`: wraps an arbitrary function of tensors as a layer."""

import base64
import inspect
import marshal
import types

from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer
from neokeras.utils import tree


def _dump_lambda(fn):
    """Keras's `__lambda__` encoding: base64 of the marshalled bytecode, defaults, closure."""
    closure = [cell.cell_contents for cell in fn.__closure__] if fn.__closure__ else None
    return {"class_name": "__lambda__",
            "config": {"code": base64.encodebytes(marshal.dumps(fn.__code__)).decode("ascii"),
                       "defaults": list(fn.__defaults__) if fn.__defaults__ else None,
                       "closure": closure}}


def _from_keras2(config, safe_mode):
    """Keras 2 wrote `function` as `[bytecode, defaults, closure]` (`function_type: "lambda"`)
    or a name (`"function"`, with the module to import it from); the same for `output_shape`
    and `mask`. Bytecode becomes a `__lambda__` entry (refused in safe mode); names resolve
    through registered and custom objects only, never by importing the module."""
    for key in ("function", "output_shape", "mask"):
        kind = config.pop(f"{key}_type" if key != "function" else "function_type", None)
        module = config.pop(f"{key}_module" if key != "function" else "module", None)
        value = config.get(key)
        if kind == "lambda" and value is not None:
            if safe_mode:
                raise ValueError(
                    f"Lambda layer '{config.get('name')}' (a Keras 2 file) stores Python "
                    f"bytecode for its {key}; loading it would run arbitrary code, so it is "
                    "refused. Pass safe_mode=False (to load_model, model_from_json or "
                    "from_config) only if you trust the file.")
            code, defaults, closure = (list(value) + [None, None])[:3] \
                if isinstance(value, (list, tuple)) else (value, None, None)
            config[key] = {"class_name": "__lambda__", "config": {
                "code": code, "defaults": defaults, "closure": closure}}
        elif kind == "function" and isinstance(value, str):
            config[key] = {"module": module, "class_name": "function", "config": value,
                           "registered_name": "function"}
    return config


def _load_lambda(config):
    # Keras writes {"code", "defaults", "closure"}; some writers store the code as "value".
    code = config.get("code", config.get("value"))
    if isinstance(code, (list, tuple)):
        code = code[0]
    code = marshal.loads(base64.b64decode(code.encode("ascii")))
    defaults = tuple(config["defaults"]) if config.get("defaults") else None
    closure = tuple(types.CellType(v) for v in config["closure"]) if config.get("closure") \
        else None
    return types.FunctionType(code, globals(), code.co_name, defaults, closure)


@keras_name("keras.layers.Lambda")
class Lambda(Layer):
    """Applies `function` to the inputs: `Lambda(lambda x: x ** 2)`.

    A lambda or local function is saved as Python bytecode (Keras's `__lambda__` entry), which
    only the same Python version can load; loading it runs code, so `load_model` and
    `from_config` refuse it unless called with `safe_mode=False` on a file you trust. Named
    functions are saved by name and must be registered (or given in `custom_objects`) to load.
    Prefer a small `Layer` subclass for anything you want to save.

    Args:
        function: Callable of the input tensor(s) (and optionally `mask`, `training`).
        output_shape: Output shape without the batch axis, or a function of the input shape;
            inferred by tracing when omitted.
        mask: Optional output mask (tensor or function of `(inputs, mask)`).
        arguments: Optional dict of extra keyword arguments for `function`.
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(
                f"Lambda: `function` must be callable. Received: {function!r} of type "
                f"{type(function).__name__}")
        self.function = function
        self._output_shape = output_shape
        self.mask = mask
        self.arguments = dict(arguments or {})
        self.supports_masking = mask is not None
        params = inspect.signature(function).parameters
        self._fn_takes = {name for name in ("mask", "training") if name in params}
        self.built = True

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if "mask" in self._fn_takes:
            kwargs["mask"] = mask
        if "training" in self._fn_takes:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        batch = tree.flatten(input_shape)[0]
        return (batch,) + tuple(self._output_shape)

    @staticmethod
    def _serialize_function(fn):
        from neokeras.saving.serialization import serialize_keras_object

        if isinstance(fn, types.LambdaType) and fn.__name__ == "<lambda>":
            return getattr(fn, "_keras_lambda_config", None) or _dump_lambda(fn)
        return serialize_keras_object(fn)

    def get_config(self):
        from neokeras.saving.serialization import serialize_keras_object

        config = {**super().get_config(), "function": self._serialize_function(self.function),
                  "arguments": serialize_keras_object(self.arguments)}
        if self._output_shape is not None:
            config["output_shape"] = (self._serialize_function(self._output_shape)
                                      if callable(self._output_shape)
                                      else list(self._output_shape))
        if self.mask is not None:
            config["mask"] = (self._serialize_function(self.mask) if callable(self.mask)
                              else serialize_keras_object(self.mask))
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        from neokeras.saving.serialization import deserialize_keras_object, in_safe_mode

        safe_mode = in_safe_mode() if safe_mode is None else safe_mode
        config = _from_keras2(dict(config), safe_mode)

        def load(value):
            if isinstance(value, dict) and value.get("class_name") == "__lambda__":
                if safe_mode:
                    raise ValueError(
                        f"Lambda layer '{config.get('name')}' stores Python bytecode; loading "
                        "it would run arbitrary code, so it is refused. Pass safe_mode=False "
                        "(to load_model or from_config) only if you trust the file.")
                fn = _load_lambda(value["config"])
                # Re-marshalling loaded bytecode need not give the same bytes: keep the original.
                fn._keras_lambda_config = value
                return fn
            if isinstance(value, dict) and "class_name" in value:
                return deserialize_keras_object(value, custom_objects=custom_objects,
                                                safe_mode=safe_mode)
            return value

        config["function"] = load(config["function"])
        if "output_shape" in config:
            config["output_shape"] = load(config["output_shape"])
        if "mask" in config:
            config["mask"] = load(config["mask"])
        config["arguments"] = {k: load(v) for k, v in (config.get("arguments") or {}).items()}
        return cls(**config)
