"""Core JAX backend pieces: Variable storage, conversion, casting, shape inference."""

import builtins
import os

import jax
import jax.numpy as jnp
import numpy as np

from neokeras import config
from neokeras.backend.common.keras_tensor import KerasTensor
from neokeras.backend.common.stateless_scope import StatelessScope
from neokeras.backend.common.symbolic_scope import SymbolicScope
from neokeras.backend.common.variables import KerasVariable

__all__ = [
    "Variable", "convert_to_tensor", "convert_to_numpy", "is_tensor", "cast", "shape",
    "standardize_dtype", "compute_output_spec", "stop_gradient", "is_tracer", "device_put",
    "eager_scope", "dtype", "saturate_cast",
]

SUPPORTS_SPARSE_TENSORS = False


class Variable(KerasVariable):
    """A variable whose value is a `jax.Array`."""

    def _convert_to_tensor(self, value, dtype=None):
        layout = self._layout
        if layout is None:
            return convert_to_tensor(value, dtype=dtype)
        from neokeras.backend.jax import distribution

        sharding = getattr(layout, "backend_layout", layout)
        return distribution.place(value, dtype, sharding)

    def _to_numpy(self, value):
        return np.asarray(value)


def _register_variable_as_array_argument():
    """A variable handed to a compiled function (`jax.jit(step)(model.trainable_variables)`,
    as Keras's JAX guides do) is passed as its value: JAX abstracts it like the array it holds
    and transfers that array. It stays a leaf of pytrees (`tree_map` sees the variable), as in
    Keras. Current JAX no longer accepts `__jax_array__` there, hence the handlers."""
    from jax._src import core as jax_core
    from jax._src import dtypes as jax_dtypes
    from jax._src.interpreters import pxla

    jax_core.pytype_aval_mappings[Variable] = lambda v: jax_core.shaped_abstractify(v._value)
    jax_dtypes.canonicalize_value_handlers[Variable] = lambda v: v._value

    def shard(variables, shardings, layouts, copy_semantics):
        values = [v._value for v in variables]
        handler = pxla.shard_arg_handlers[type(values[0])]
        return handler(values, shardings, layouts, copy_semantics)

    pxla.shard_arg_handlers[Variable] = shard


_register_variable_as_array_argument()


def standardize_dtype(dtype):
    """Dtype name as a string (`"float32"`), `None` meaning `floatx()`."""
    if dtype is None:
        return config.floatx()
    if hasattr(dtype, "name"):
        return dtype.name
    return np.dtype(dtype).name if not isinstance(dtype, str) else dtype


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """Converts arrays, lists, scalars and Variables to a `jax.Array` (float64 input -> floatx)."""
    if sparse or ragged:
        raise ValueError("convert_to_tensor: sparse and ragged tensors are not supported by the "
                         f"JAX backend. Received: sparse={sparse}, ragged={ragged}")
    if isinstance(x, KerasVariable):
        x = x.value
    if isinstance(x, jax.Array):
        if dtype is not None and x.dtype != dtype:
            x = x.astype(dtype)
        return x
    if isinstance(x, jax.core.Tracer):
        return x if dtype is None else x.astype(dtype)
    array = np.asarray(x)
    if dtype is None:
        if array.dtype == np.float64:
            dtype = config.floatx()
        elif array.dtype == np.int64:
            dtype = "int32"
    if dtype is not None and array.dtype != dtype:
        array = array.astype(standardize_dtype(dtype))
    # device_put moves host data without compiling anything (jnp.asarray compiles a small
    # program per new shape in current JAX).
    return jax.device_put(array)


def convert_to_numpy(x):
    if isinstance(x, KerasVariable):
        x = x.value
    return np.asarray(x)


def is_tensor(x):
    return isinstance(x, jax.Array)


def is_tracer(x):
    """True for values being traced by `jit`/`grad` (no concrete value yet)."""
    return isinstance(x, jax.core.Tracer)


def in_tracing_scope():
    """True while a function is being traced (`jit`, `grad`, `eval_shape`)."""
    return isinstance(jnp.zeros(()), jax.core.Tracer)


def remat(f):
    """`jax.checkpoint`: recompute `f`'s intermediates in the backward pass."""
    return jax.checkpoint(f)


def device_scope(device_name):
    """A context placing new arrays on `device_name` (`"cpu:0"`, `"gpu:1"` or a jax.Device)."""
    if isinstance(device_name, str):
        kind, _, index = device_name.lower().partition(":")
        try:
            device = jax.devices(kind)[int(index or 0)]
        except (RuntimeError, IndexError, ValueError) as e:
            raise ValueError(f"Unknown device {device_name!r}. Available: {jax.devices()}.") from e
    elif isinstance(device_name, jax.Device):
        device = device_name
    else:
        raise ValueError("device: expected a string like 'gpu:0' or a jax.Device. "
                         f"Received: device_name={device_name!r}")
    return jax.default_device(device)


def is_sparse(x):
    """True for a `jax.experimental.sparse` array (BCOO/BCSR)."""
    from jax.experimental import sparse

    return isinstance(x, sparse.JAXSparse)


def debug_print(fmt, *args, summarize=3):
    """Prints from eager and compiled code alike (`jax.debug.print`)."""
    del summarize  # jax prints whole arrays
    jax.debug.print(fmt, *args)


def cast(x, dtype):
    return convert_to_tensor(x).astype(dtype)


def shape(x):
    return tuple(x.shape)


def dtype(x):
    """The standardized dtype name of `x` (`"float32"`)."""
    return standardize_dtype(getattr(x, "dtype", None) or convert_to_tensor(x).dtype)


def saturate_cast(x, dtype):
    """Casts to `dtype`, clipping values to its range first (no wrap-around or inf)."""
    x = convert_to_tensor(x)
    target = jnp.dtype(standardize_dtype(dtype))
    if target == jnp.bool_ or jnp.issubdtype(target, jnp.complexfloating):
        return x.astype(target)
    info = jnp.finfo(target) if jnp.issubdtype(target, jnp.floating) else jnp.iinfo(target)
    low, high = info.min, info.max
    if jnp.issubdtype(x.dtype, jnp.integer):
        source = jnp.iinfo(x.dtype)
        low, high = builtins.max(int(low), int(source.min)), builtins.min(int(high), int(source.max))
    elif jnp.issubdtype(x.dtype, jnp.floating):
        # The largest values of x's float type that still fit the target range.
        low = np.asarray(low, np.float64)
        high = np.asarray(high, np.float64)
        low_x, high_x = np.asarray(low, x.dtype), np.asarray(high, x.dtype)
        if float(high_x) > float(high):
            high_x = np.nextafter(high_x, np.asarray(0, x.dtype))
        if float(low_x) < float(low):
            low_x = np.nextafter(low_x, np.asarray(0, x.dtype))
        low, high = low_x, high_x
    else:
        return x.astype(target)
    return jnp.clip(x, low, high).astype(target)


def stop_gradient(variable):
    return jax.lax.stop_gradient(convert_to_tensor(variable))


def device_put(x):
    return jax.device_put(x)


_PROBE_SIZES = (83, 89)
_SYMBOLIC_SIZE = []


def _symbolic_size():
    if not _SYMBOLIC_SIZE:
        from jax import export

        _SYMBOLIC_SIZE.extend(export.symbolic_shape("unknown_dim"))
    return _SYMBOLIC_SIZE[0]


def compute_output_spec(fn, *args, **kwargs):
    """Infers output shapes and dtypes of `fn` on `KerasTensor` arguments without computing.

    Unknown (None) dimensions are traced once as one symbolic size; output dimensions that
    depend on it are unknown too. Where `fn` cannot run on a symbolic size (it needs the size
    as a Python int), they are traced with two different sizes instead, and output dimensions
    that change between the two are unknown. Variable assignments made by `fn` are discarded.
    """

    is_symbolic = lambda x: isinstance(x, KerasTensor)  # noqa: E731
    leaves, treedef = jax.tree_util.tree_flatten((args, kwargs), is_leaf=is_symbolic)
    # Only symbolic tensors and arrays are traced; every other leaf (ints, slices, strings)
    # is closed over as a static value.
    traced = [i for i, x in enumerate(leaves) if is_symbolic(x) or isinstance(x, jax.Array)
              or hasattr(x, "shape") and hasattr(x, "dtype")]

    def run(size):
        structs = [jax.ShapeDtypeStruct(tuple(size if d is None else d for d in leaves[i].shape),
                                        leaves[i].dtype) for i in traced]

        def pure(*values):
            filled = list(leaves)
            for i, value in zip(traced, values):
                filled[i] = value
            a, k = jax.tree_util.tree_unflatten(treedef, filled)
            with StatelessScope():
                return fn(*a, **k)

        return jax.eval_shape(pure, *structs)

    has_unknown = any(is_symbolic(x) and None in x.shape for x in leaves)
    with SymbolicScope():
        if has_unknown:
            try:
                # One trace: a dimension that depends on the symbol is not an int.
                out = run(_symbolic_size())
                return jax.tree_util.tree_map(
                    lambda a: KerasTensor(tuple(d if isinstance(d, int) else None
                                                for d in a.shape), dtype=str(a.dtype)), out)
            except Exception:  # noqa: BLE001  (e.g. shape arithmetic in Python: probe twice)
                pass
        first = run(_PROBE_SIZES[0])
        second = run(_PROBE_SIZES[1]) if has_unknown else first

    def merge(a, b):
        dims = tuple(da if da == db else None for da, db in zip(a.shape, b.shape))
        return KerasTensor(dims, dtype=str(a.dtype))

    return jax.tree_util.tree_map(merge, first, second)


def eager_scope():
    """A context in which operations on concrete values run eagerly even during tracing
    (used to create variables when a layer is first built inside a traced call)."""
    return jax.ensure_compile_time_eval()


def hoists_rnn_input_projection():
    """Whether the built-in RNN layers compute the input projection of all timesteps in one
    matrix product before their loop. Not on CPU, where XLA runs the whole step inside the
    loop faster (LSTM(64) on 100 steps: about 1.3x forward and backward, benchmarks/RESULTS.md);
    `NEOKERAS_RNN_HOIST=1` (or `0`) forces the choice."""
    forced = os.environ.get("NEOKERAS_RNN_HOIST", "")
    if forced in ("0", "1"):
        return forced == "1"
    return jax.default_backend() != "cpu"
