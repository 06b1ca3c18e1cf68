"""`keras.optimizers.legacy`: the names exist, as in Keras 3.15.1, but creating one raises.

Keras 3 dropped the TensorFlow-era optimizers this namespace held; its optimizers take their
place. neokeras's optimizers also accept the Keras 2 arguments (`lr`, `decay`), so a Keras 2
program changes `keras.optimizers.legacy.Adam` to `keras.optimizers.Adam` and nothing else.
"""


class _LegacyOptimizer:
    """Stands for a removed Keras 2 optimizer; raises `ImportError` when created, as Keras 3."""

    def __init__(self, *args, **kwargs):
        raise ImportError(
            "`keras.optimizers.legacy` is not supported in Keras 3 (nor in neokeras, which "
            "follows it). Use the optimizer of the same name in `keras.optimizers` (e.g. "
            "`keras.optimizers.Adam`); it also accepts the Keras 2 arguments `lr` and `decay`.")


Adagrad = Adam = Ftrl = RMSprop = SGD = Optimizer = _LegacyOptimizer
