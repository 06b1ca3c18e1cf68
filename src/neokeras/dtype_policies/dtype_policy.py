"""Dtype policies: the dtype a layer computes in and the dtype its variables are stored in.

`"mixed_float16"` and `"mixed_bfloat16"` compute in the low precision and keep float32
variables (mixed precision); a plain dtype name uses that dtype for both.
"""

from neokeras import backend
from neokeras import config
from neokeras.api_export import keras_name


_DTYPES = {"float16", "bfloat16", "float32", "float64", "int8", "int16", "int32", "int64",
           "uint8", "uint16", "uint32", "uint64", "bool", "complex64", "complex128",
           "float8_e4m3fn", "float8_e5m2", "string"}
_DTYPE_ALIASES = {"float": "float32", "double": "float64", "half": "float16", "int": "int64"}


@keras_name("keras.DTypePolicy", "keras.dtype_policies.DTypePolicy",
            "keras.mixed_precision.DTypePolicy", "keras.mixed_precision.Policy")
class DTypePolicy:
    """A layer's dtype policy.

    Args:
        name: `"mixed_float16"`, `"mixed_bfloat16"` or a float dtype name (`"float32"`);
            None takes the global policy (`keras.config.dtype_policy()`).

    Example:

    >>> keras.config.set_dtype_policy("mixed_float16")
    >>> layer = keras.layers.Dense(10)
    >>> layer.compute_dtype, layer.variable_dtype
    ('float16', 'float32')
    """

    def __init__(self, name=None):
        if name is None:
            name = dtype_policy().name
        self._name = name
        self._compute_dtype, self._variable_dtype = self._parse_name(name)
        self._quantization_mode = None

    def _parse_name(self, name):
        if not isinstance(name, str):
            raise TypeError("DTypePolicy: `name` must be a string such as 'mixed_float16'. "
                            f"Received: name={name!r} (of type {type(name).__name__})")
        if name == "mixed_float16":
            return "float16", "float32"
        if name == "mixed_bfloat16":
            return "bfloat16", "float32"
        dtype = _DTYPE_ALIASES.get(name, name)
        if dtype not in _DTYPES:
            raise ValueError(
                f"Cannot convert {name!r} to a DTypePolicy. Valid policies are "
                "'mixed_float16', 'mixed_bfloat16' and dtype names such as 'float32'."
            )
        return dtype, dtype

    @property
    def variable_dtype(self):
        """The dtype the layer's variables are created in."""
        return self._variable_dtype

    @property
    def compute_dtype(self):
        """The dtype the layer computes in (inputs and variables are cast to it)."""
        return self._compute_dtype

    @property
    def name(self):
        return self._name

    @property
    def quantization_mode(self):
        """None: float policies are not quantized."""
        return self._quantization_mode

    def convert_input(self, x, autocast, dtype):
        """Casts float `x` to `dtype` when `autocast`; other inputs are returned unchanged."""
        from neokeras import ops

        dtype = backend.standardize_dtype(dtype)
        if backend.is_keras_tensor(x) or backend.is_tensor(x) or hasattr(x, "__array__"):
            if not backend.is_keras_tensor(x) and not backend.is_tensor(x):
                x = backend.convert_to_tensor(x)
            x_dtype = backend.standardize_dtype(x.dtype)
            if autocast and "float" in x_dtype and x_dtype != dtype:
                x = ops.cast(x, dtype)
        return x

    def get_config(self):
        return {"name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f'<DTypePolicy "{self._name}">'

    def __eq__(self, other):
        return type(other) in (DTypePolicy, FloatDTypePolicy) and self._name == other._name

    def __hash__(self):
        return hash(self._name)


@keras_name("keras.FloatDTypePolicy", "keras.dtype_policies.FloatDTypePolicy")
class FloatDTypePolicy(DTypePolicy):
    """Another name of `DTypePolicy` (float policies), kept for compatibility."""


_GLOBAL = {"policy": None}


@keras_name("keras.config.set_dtype_policy", "keras.mixed_precision.set_dtype_policy",
            "keras.mixed_precision.set_global_policy")
def set_dtype_policy(policy):
    """Sets the default dtype policy of layers created afterwards.

    Args:
        policy: A policy name (`"mixed_float16"`, `"mixed_bfloat16"`, `"float32"`, ...) or a
            `DTypePolicy`.
    """
    if isinstance(policy, str):
        policy = DTypePolicy(policy)
    if not isinstance(policy, DTypePolicy):
        raise ValueError(
            "set_dtype_policy expects a policy name (such as 'mixed_float16') or a "
            f"DTypePolicy. Received: policy={policy!r} (of type {type(policy).__name__})"
        )
    _GLOBAL["policy"] = policy


@keras_name("keras.config.dtype_policy", "keras.mixed_precision.dtype_policy",
            "keras.mixed_precision.global_policy")
def dtype_policy():
    """The default dtype policy (a `DTypePolicy` named after `floatx()` unless set)."""
    if _GLOBAL["policy"] is None:
        # Not stored: until a policy is set, the default follows `set_floatx`.
        return DTypePolicy(config.floatx())
    return _GLOBAL["policy"]


def reset_dtype_policy():
    """Forgets the global policy (the next `dtype_policy()` follows `floatx()` again)."""
    _GLOBAL["policy"] = None
