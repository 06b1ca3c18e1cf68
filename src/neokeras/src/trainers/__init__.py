"""`keras.src.trainers` (compatibility mirror): the trainer base that `Model` builds on."""

from neokeras.models import Model as _Model

# Keras's models derive from `keras.src.trainers.trainer.Trainer`; in neokeras that role is
# played by Model's training methods, so code that checks `isinstance(x, Trainer)` gets Model.
Trainer = _Model
__all__ = ["Trainer"]
