"""`neokeras.wrappers`: scikit-learn estimators around Keras models (needs scikit-learn)."""

from neokeras.wrappers.sklearn_wrapper import SKLearnClassifier  # noqa: F401
from neokeras.wrappers.sklearn_wrapper import SKLearnRegressor  # noqa: F401
from neokeras.wrappers.sklearn_wrapper import SKLearnTransformer  # noqa: F401
