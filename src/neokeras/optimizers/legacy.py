"""`keras.optimizers.legacy`: tf-keras 2's name for its optimizers, kept working.

Keras 3 keeps these names but raises when one is created; Keras 2 programs (tf-keras 2.11+
wrote `keras.optimizers.legacy.Adam(lr=1e-3)` for speed on Apple silicon and for older
checkpoints) then stop. neokeras's optimizers accept the Keras 2 arguments (`lr`, `decay`), so
each legacy name is the optimizer of the same name.
"""

from neokeras.optimizers.adadelta import Adadelta
from neokeras.optimizers.adagrad import Adagrad
from neokeras.optimizers.adam import Adam
from neokeras.optimizers.adamax import Adamax
from neokeras.optimizers.ftrl import Ftrl
from neokeras.optimizers.nadam import Nadam
from neokeras.optimizers.optimizer import Optimizer
from neokeras.optimizers.rmsprop import RMSprop
from neokeras.optimizers.sgd import SGD

__all__ = ["Adadelta", "Adagrad", "Adam", "Adamax", "Ftrl", "Nadam", "Optimizer", "RMSprop",
           "SGD"]
