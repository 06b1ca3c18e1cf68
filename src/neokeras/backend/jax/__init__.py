"""The JAX backend: arrays, random numbers, variables and the compiled training steps."""

from neokeras.backend.jax.core import *  # noqa: F401,F403  (the backend's whole surface)
from neokeras.backend.jax.nn import *  # noqa: F401,F403
from neokeras.backend.jax.numpy import *  # noqa: F401,F403
from neokeras.backend.jax import control_flow  # noqa: F401
from neokeras.backend.jax import conv  # noqa: F401
from neokeras.backend.jax import image  # noqa: F401
from neokeras.backend.jax import indexing  # noqa: F401
from neokeras.backend.jax import linalg  # noqa: F401
from neokeras.backend.jax import math  # noqa: F401
from neokeras.backend.jax import random  # noqa: F401
from neokeras.backend.jax import rnn  # noqa: F401
from neokeras.backend.jax import host_callback  # noqa: F401
from neokeras.backend.jax import sharded_io  # noqa: F401
from neokeras.backend.jax import export  # noqa: F401
from neokeras.backend.jax import sharpness_aware  # noqa: F401
from neokeras.backend.jax import trainer  # noqa: F401
from neokeras.backend.jax import update_blocks  # noqa: F401
from neokeras.backend.jax import distribution  # noqa: F401
from neokeras.backend.jax.eager import eager_step  # noqa: F401
from neokeras.backend.jax import compilation_cache

compilation_cache.enable()
