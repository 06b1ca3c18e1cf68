"""The backend: selects the array library and exposes the Keras 2 `keras.backend` API ("K").

The backend is chosen with the environment variable `NEOKERAS_BACKEND` (or `KERAS_BACKEND`);
`"jax"` is the default and, for now, the only one.
"""

import importlib

from neokeras import config

_SUPPORTED = ("jax",)
if config.backend() not in _SUPPORTED:
    raise ValueError(
        f"Unknown backend {config.backend()!r} (from NEOKERAS_BACKEND/KERAS_BACKEND). "
        f"Supported backends: {_SUPPORTED}."
    )

impl = importlib.import_module(f"neokeras.backend.{config.backend()}")

Variable = impl.Variable
random = impl.random
trainer = impl.trainer
convert_to_tensor = impl.convert_to_tensor
convert_to_numpy = impl.convert_to_numpy
is_tensor = impl.is_tensor
is_tracer = impl.is_tracer
in_tracing_scope = impl.core.in_tracing_scope
standardize_dtype = impl.standardize_dtype
compute_output_spec = impl.compute_output_spec
compile_seconds = impl.compilation_cache.compile_seconds
enable_compilation_cache = impl.compilation_cache.enable_compilation_cache
disable_compilation_cache = impl.compilation_cache.disable_compilation_cache
is_compilation_cache_enabled = impl.compilation_cache.is_compilation_cache_enabled
hoists_rnn_input_projection = impl.core.hoists_rnn_input_projection
update_block_rows = impl.update_blocks.block_rows
update_block_offset = impl.update_blocks.block_offset
rnn_ops = impl.rnn
call_on_host = impl.host_callback.call_on_host



def is_float_dtype(dtype):
    """Whether `dtype` is a floating-point dtype (`float16`, `bfloat16`, `float32`, ...)."""
    return standardize_dtype(dtype).startswith(("float", "bfloat"))


def is_int_dtype(dtype):
    """Whether `dtype` is a signed or unsigned integer dtype."""
    return standardize_dtype(dtype).startswith(("int", "uint"))


from neokeras.backend.common.dtypes import result_type  # noqa: E402,F401
from neokeras.backend.common.keras_tensor import KerasTensor, is_keras_tensor  # noqa: E402
from neokeras.backend.common.stateless_scope import StatelessScope  # noqa: E402
from neokeras.backend.common.seed_generator import SeedGenerator  # noqa: E402
from neokeras.backend.keras2_api import *  # noqa: E402,F401,F403
from neokeras.backend.keras2_nn import *  # noqa: E402,F401,F403
from neokeras.backend.keras2_graph import *  # noqa: E402,F401,F403
from neokeras.backend.keras2_gradients import gradients  # noqa: E402,F401
