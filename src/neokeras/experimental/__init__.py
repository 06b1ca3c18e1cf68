"""`keras.experimental` of tf-keras 2: the premade linear and wide & deep models, and the cosine
learning-rate schedules (the same classes as in `keras.optimizers.schedules`)."""

from neokeras.optimizers.schedules import CosineDecay  # noqa: F401
from neokeras.optimizers.schedules import CosineDecayRestarts  # noqa: F401
from neokeras.premade_models import LinearModel  # noqa: F401
from neokeras.premade_models import WideDeepModel  # noqa: F401
