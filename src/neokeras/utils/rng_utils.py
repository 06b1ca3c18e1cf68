"""`set_random_seed`: one call makes initializers, dropout and shuffling repeatable."""

import random

import numpy as np


def set_random_seed(seed):
    """Seeds Python's `random`, numpy and neokeras's global random stream.

    Args:
        seed: Int seed.
    """
    from neokeras.backend.common.seed_generator import reset_global_seed_generator

    if not isinstance(seed, (int, np.integer)):
        raise ValueError(f"set_random_seed expects an int. Received: seed={seed!r}")
    random.seed(int(seed))
    np.random.seed(int(seed) % 2**32)
    reset_global_seed_generator(int(seed))
