"""tf-keras's premade models (`keras.experimental.LinearModel`, `WideDeepModel`)."""

from neokeras.premade_models.linear import LinearModel  # noqa: F401
from neokeras.premade_models.wide_deep import WideDeepModel  # noqa: F401
