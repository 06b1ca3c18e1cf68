"""`keras.optimizers.experimental`: tf-keras 2.9–2.10's name for the optimizers that became
the default in 2.11; each is the optimizer of the same name."""

from neokeras.optimizers.adadelta import Adadelta
from neokeras.optimizers.adafactor import Adafactor
from neokeras.optimizers.adagrad import Adagrad
from neokeras.optimizers.adam import Adam
from neokeras.optimizers.adamax import Adamax
from neokeras.optimizers.adamw import AdamW
from neokeras.optimizers.ftrl import Ftrl
from neokeras.optimizers.nadam import Nadam
from neokeras.optimizers.optimizer import Optimizer
from neokeras.optimizers.rmsprop import RMSprop
from neokeras.optimizers.sgd import SGD

__all__ = ["Adadelta", "Adafactor", "Adagrad", "Adam", "Adamax", "AdamW", "Ftrl", "Nadam",
           "Optimizer", "RMSprop", "SGD"]
