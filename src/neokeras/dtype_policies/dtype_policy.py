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
        name = "DTypePolicy" if type(self) is FloatDTypePolicy else type(self).__name__
        return f'<{name} "{self._name}">'

    def __eq__(self, other):
        if type(self) in (DTypePolicy, FloatDTypePolicy):
            if type(other) not in (DTypePolicy, FloatDTypePolicy):
                return False
        elif type(other) is not type(self):
            return False
        return self._name == other._name

    def __hash__(self):
        return hash(self._name)


@keras_name("keras.FloatDTypePolicy", "keras.dtype_policies.FloatDTypePolicy")
class FloatDTypePolicy(DTypePolicy):
    """Another name of `DTypePolicy` (float policies), kept for compatibility."""


@keras_name("keras.dtype_policies.QuantizedDTypePolicy")
class QuantizedDTypePolicy(DTypePolicy):
    """The policy of a quantized layer: `"<mode>_from_<source>"`, e.g. `"int8_from_float32"`.

    Args:
        mode: The quantization mode (`"int8"`, `"int4"`, `"float8"`, `"gptq"`, `"awq"`).
        source_name: The float policy the layer computes in (None: the global policy).
    """

    def __init__(self, mode, source_name=None):
        from neokeras.quantizers.quantization_config import QUANTIZATION_MODES

        if source_name is None:
            source_name = dtype_policy().name
        self._compute_dtype, self._variable_dtype = self._parse_name(source_name)
        if mode not in QUANTIZATION_MODES:
            raise ValueError(f"Invalid quantization mode. Expected one of {QUANTIZATION_MODES}. "
                             f"Received: mode={mode}")
        if self._compute_dtype == "float16" and mode == "int8":
            raise ValueError(f"Quantization mode='{mode}' doesn't work well with "
                             "compute_dtype='float16'.")
        self._name = f"{mode}_from_{source_name}"
        self._source_name = source_name
        self._quantization_mode = mode

    def __eq__(self, other):
        if not super().__eq__(other):
            return False
        return (self._quantization_mode == other._quantization_mode
                and self._source_name == other._source_name)

    def __hash__(self):
        return hash(self._name)

    def get_config(self):
        return {"mode": self._quantization_mode, "source_name": self._source_name}


@keras_name("keras.dtype_policies.QuantizedFloat8DTypePolicy")
class QuantizedFloat8DTypePolicy(QuantizedDTypePolicy):
    """The policy of a float8 layer; `amax_history_length` is the length of the window of
    absolute maxima used to choose the scales (default 1024)."""

    default_amax_history_length = 1024

    def __init__(self, mode, source_name=None, amax_history_length=1024):
        super().__init__(mode=mode, source_name=source_name)
        if not isinstance(amax_history_length, int):
            raise TypeError("`amax_history_length` must be an integer. "
                            f"Received: amax_history_length={amax_history_length}")
        self._amax_history_length = amax_history_length

    @property
    def amax_history_length(self):
        """The length of the amax history window."""
        return self._amax_history_length

    def __eq__(self, other):
        return super().__eq__(other) and self._amax_history_length == other._amax_history_length

    def __hash__(self):
        return hash(self._name)

    def get_config(self):
        return {**super().get_config(), "amax_history_length": self.amax_history_length}


def _split_mode(cls_name, mode, expected, count):
    parts = mode.split("/") if isinstance(mode, str) else []
    base = expected.strip("'").split("/")[0]
    if len(parts) != count or parts[0] != base:
        raise ValueError(f"Invalid mode for {cls_name}. Expected format {expected}, "
                         f"but got '{mode}'.")
    try:
        return [int(p) for p in parts[1:]]
    except ValueError:
        raise ValueError(f"Invalid mode for {cls_name}. The numbers in {expected} must be "
                         f"integers, but got '{mode}'.") from None


def _check_group(value, what, mode):
    if value < -1 or value == 0:
        raise ValueError(f"Invalid {what} in mode. Supported values are -1 or a positive "
                         f"integer, but got {value} from '{mode}'.")


@keras_name("keras.dtype_policies.Int4DTypePolicy")
class Int4DTypePolicy(QuantizedDTypePolicy):
    """Int4 policy carrying the block size: mode `"int4/<block_size>"` (-1: per channel).

    Args:
        mode: E.g. `"int4/128"`.
        source_name: The float policy, e.g. `"float32"`.
    """

    def __init__(self, mode, source_name=None):
        (block_size,) = _split_mode("Int4DTypePolicy", mode, "'int4/<block_size>'", 2)
        _check_group(block_size, "block_size", mode)
        super().__init__(mode="int4", source_name=source_name)
        self._name = f"{mode}_from_{source_name}"
        self.mode = "int4"
        self.block_size = block_size

    def __eq__(self, other):
        return super().__eq__(other) and self.block_size == other.block_size

    def __hash__(self):
        return hash(self._name)

    def get_config(self):
        return {**super().get_config(), "mode": f"int4/{self.block_size}"}


class _CalibratedDTypePolicy(QuantizedDTypePolicy):
    """Shared parsing of `"<method>/<weight_bits>/<group_size>"` policies."""

    _method = None
    _bits = ()

    def __init__(self, mode, source_name=None):
        cls_name = type(self).__name__
        weight_bits, group_size = _split_mode(
            cls_name, mode, f"'{self._method}/<weight_bits>/<group_size>'", 3)
        if weight_bits not in self._bits:
            raise ValueError(f"Invalid weight_bits in mode. Supported values are {self._bits}, "
                             f"but got {weight_bits} from '{mode}'.")
        _check_group(group_size, "group_size", mode)
        super().__init__(mode=self._method, source_name=source_name)
        self._name = f"{mode}_from_{source_name}"
        self.mode = self._method
        self.weight_bits = weight_bits
        self.group_size = group_size

    def __eq__(self, other):
        return (super().__eq__(other) and self.weight_bits == other.weight_bits
                and self.group_size == other.group_size)

    def __hash__(self):
        return hash(self._name)

    def get_config(self):
        return {**super().get_config(),
                "mode": f"{self._method}/{self.weight_bits}/{self.group_size}"}


@keras_name("keras.dtype_policies.GPTQDTypePolicy")
class GPTQDTypePolicy(_CalibratedDTypePolicy):
    """GPTQ policy: mode `"gptq/<weight_bits>/<group_size>"` (bits 2, 3, 4 or 8)."""

    _method = "gptq"
    _bits = (2, 3, 4, 8)


@keras_name("keras.dtype_policies.AWQDTypePolicy")
class AWQDTypePolicy(_CalibratedDTypePolicy):
    """AWQ policy: mode `"awq/4/<group_size>"`."""

    _method = "awq"
    _bits = (4,)


def quantized_policy_from_name(name):
    """The quantized policy named `"<mode>_from_<source>"` (e.g. `"int4/128_from_float32"`)."""
    parts = name.split("_from_")
    if len(parts) != 2:
        raise ValueError("Cannot convert `policy` into a valid pair (`mode`, `source_name`) to "
                         f"instantiate `QuantizedDTypePolicy`. Received: policy={name}")
    mode, source = parts
    if mode.startswith("int4") and "/" in mode:
        return Int4DTypePolicy(mode, source)
    if mode.startswith("gptq"):
        return GPTQDTypePolicy(mode, source)
    if mode.startswith("awq"):
        return AWQDTypePolicy(mode, source)
    if mode.startswith("float8"):
        return QuantizedFloat8DTypePolicy(mode, source)
    return QuantizedDTypePolicy(mode, source)


def is_quantized_name(name):
    from neokeras.quantizers.quantization_config import QUANTIZATION_MODES

    return isinstance(name, str) and name.startswith(QUANTIZATION_MODES)


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
        policy = quantized_policy_from_name(policy) if is_quantized_name(policy) \
            else DTypePolicy(policy)
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
