"""`SeedGenerator`: random state held in a variable, so draws advance inside compiled steps too."""

import random as _py_random

import numpy as np

from neokeras.api_export import keras_name
from neokeras.backend.common import naming
from neokeras.backend.common.name_scope import name_scope
from neokeras.backend.common.stateless_scope import current_stateless_scope


@keras_name("keras.random.SeedGenerator")
class SeedGenerator:
    """A stream of seeds for random functions; its state is a non-trainable variable.

    An int `seed=` gives the same numbers on every call; pass a `SeedGenerator` to get new
    numbers on each call. Inside a traced function (`jax.jit`), run the draws in a
    `StatelessScope` that maps `generator.state` to a traced value and read the advanced state
    back with `scope.get_current_value(generator.state)`, as for any variable.

    Args:
        seed: Int initial seed; None draws one from Python's `random`
            (made repeatable by `keras.utils.set_random_seed`).
        name: Optional name.

    Example:

    >>> gen = SeedGenerator(seed=42)
    >>> a = keras.random.normal((2, 3), seed=gen)
    >>> b = keras.random.normal((2, 3), seed=gen)  # different numbers from `a`
    """

    def __init__(self, seed=None, name=None, **kwargs):
        from neokeras import backend

        kwargs.pop("backend", None)
        if kwargs:
            raise ValueError(f"SeedGenerator: unrecognized keyword arguments: {kwargs}")
        self.name = name or naming.uniquify("seed_generator")
        self._initial_seed = seed
        if seed is None:
            seed = make_default_seed()
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise ValueError(f"SeedGenerator(seed=...) must be an int or None. Received: seed={seed!r}")
        with name_scope(self.name, caller=self):
            self.state = backend.Variable(backend.random.seed_data(seed), dtype="uint32",
                                          trainable=False, name="seed_generator_state")

    def next(self, ordered=True):
        """Returns the current seed and advances the state.

        Args:
            ordered: True steps the counter (`[s, n] -> [s, n + 1]`); False jumps to a
                pseudo-random next state (used by the global generator).
        """
        from neokeras import backend
        from neokeras import ops

        seed = self.state.value
        if ordered:
            new_state = ops.add(seed, np.array([0, 1], "uint32"))
        else:
            new_state = ops.mod(ops.multiply(ops.add(seed, np.uint32(1)), np.uint32(5387)),
                                np.uint32(933199))
        if backend.is_tracer(new_state) and not backend.is_tracer(self.state._value) \
                and current_stateless_scope() is None:
            raise ValueError(
                f"SeedGenerator '{self.name}' was drawn from inside a traced function (jax.jit) "
                "outside a StatelessScope: its new state would leak out of the trace. Run the "
                "draws in `with StatelessScope([(gen.state, state)]) as scope:`, return "
                "`scope.get_current_value(gen.state)` and feed it to the next call."
            )
        self.state.assign(new_state)
        return seed

    def get_config(self):
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def make_default_seed():
    return _py_random.randint(1, int(1e9))


# The global stream's generator is made on first use, so that `set_random_seed` creates no
# array: a multi-process program may seed before `keras.distribution.initialize`.
_GLOBAL = {"generator": None, "seed": None}


def global_seed_generator():
    if _GLOBAL["generator"] is None:
        _GLOBAL["generator"] = SeedGenerator(_GLOBAL["seed"], name="global_seed_generator")
    return _GLOBAL["generator"]


def has_global_seed():
    """Whether the global stream is seeded (`set_random_seed`) or was drawn from already."""
    return _GLOBAL["seed"] is not None or _GLOBAL["generator"] is not None


def reset_global_seed_generator(seed=None):
    _GLOBAL["generator"] = None
    _GLOBAL["seed"] = seed


class UnseededDrawInTraceError(ValueError):
    """A `seed=None` draw inside a traced function, where the global stream cannot advance."""


def draw_seed(seed):
    """Raw key data for `seed` (int, `SeedGenerator`, or None for the global stream)."""
    from neokeras import backend

    if isinstance(seed, SeedGenerator):
        return seed.next()
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        return backend.random.seed_data(seed)
    if seed is None:
        if _tracing():
            raise UnseededDrawInTraceError(
                "A random function was called with seed=None inside a traced function "
                "(jax.jit): the global seed generator cannot advance there, so the numbers "
                "would be frozen at trace time. Pass `seed=` a SeedGenerator attached to your "
                "layer or model (`self.seed_generator = keras.random.SeedGenerator(1337)`)."
            )
        return global_seed_generator().next(ordered=False)
    raise ValueError(
        f"`seed` must be an int, a SeedGenerator or None. Received: seed={seed!r} "
        f"(of type {type(seed).__name__})"
    )


def _tracing():
    from neokeras import backend

    return backend.in_tracing_scope()
