"""`SeedGenerator`: random state held in a variable, so draws advance inside compiled steps too."""

import random as _py_random

import numpy as np

from neokeras.backend.common import naming


class SeedGenerator:
    """A stream of PRNG keys whose state is a (non-trainable) variable.

    Args:
        seed: Int seed; None draws one from Python's `random` (seeded by `set_random_seed`).
        name: Optional name.
    """

    def __init__(self, seed=None, name=None):
        from neokeras import backend

        if seed is None:
            seed = _py_random.randint(0, 2**31 - 1)
        if not isinstance(seed, (int, np.integer)):
            raise ValueError(f"SeedGenerator(seed=...) must be an int or None. Received: seed={seed!r}")
        self.name = name or naming.uniquify("seed_generator")
        self._initial_seed = int(seed)
        self.state = backend.Variable(backend.random.make_key(seed), dtype="uint32",
                                      trainable=False, name="seed_generator_state",
                                      path=f"{self.name}/seed_generator_state")

    def next(self):
        """Returns a fresh key and advances the state."""
        from neokeras import backend

        new_state, key = backend.random.split_key(self.state.value)
        self.state.assign(new_state)
        return backend.random.key_data_of(key)

    def get_config(self):
        return {"seed": self._initial_seed}


_GLOBAL = {"generator": None}


def global_seed_generator():
    if _GLOBAL["generator"] is None:
        _GLOBAL["generator"] = SeedGenerator(name="global_seed_generator")
    return _GLOBAL["generator"]


def reset_global_seed_generator(seed=None):
    _GLOBAL["generator"] = None if seed is None else SeedGenerator(seed, name="global_seed_generator")


def draw_seed(seed):
    """Raw key data for `seed` (int, `SeedGenerator`, or None for the global stream)."""
    from neokeras import backend

    if seed is None:
        return global_seed_generator().next()
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if isinstance(seed, (int, np.integer)):
        return backend.random.make_key(seed)
    raise ValueError(f"`seed` must be an int, a SeedGenerator or None. Received: seed={seed!r}")
