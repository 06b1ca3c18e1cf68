"""Keras 2's rule for `trainable`: the flags a model is compiled with are the ones it trains with.

Classic GAN code relies on it: the discriminator is compiled, then frozen and stacked under the
generator in a second compiled model. Training the discriminator still updates it, training
the stacked model does not, and `layer.trainable` (and `trainable_weights`) show the current
flags outside training. `compile` records every layer's flag; `fit`, `evaluate` and the
`*_on_batch` methods run with the recorded flags and restore the current ones afterwards.
"""

import contextlib

from neokeras.layers.layer import _structure_changed


def record(model):
    """The trainability flags of `model` and of every layer under it, as compiled now."""
    return [(layer, layer._trainable) for layer in model._flatten_layers()]


@contextlib.contextmanager
def applied(model):
    """Runs the block with the flags recorded at the model's last `compile`."""
    recorded = getattr(model, "_compiled_trainability", None)
    if not recorded:
        yield
        return
    current = [(layer, layer._trainable) for layer, _ in recorded]
    differs = any(flag != now for (_, flag), (_, now) in zip(recorded, current))
    for layer, flag in recorded:
        layer._trainable = flag
    if differs:  # variable lists cached under the other flags must be walked again
        _structure_changed()
    try:
        yield
    finally:
        for layer, flag in current:
            layer._trainable = flag
        if differs:
            _structure_changed()
