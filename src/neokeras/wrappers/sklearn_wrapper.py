"""scikit-learn estimators around a compiled Keras model: classifier, regressor, transformer.

Each takes `model`, a compiled `Model` (cloned, compile included, at every `fit`) or a callable
`model(X=..., y=..., **model_kwargs)` that returns a compiled model for the data it is given
(`y` as the model sees it: one-hot columns for a classifier, a column for a regressor). They are
ordinary scikit-learn estimators: `get_params`/`set_params`, `clone`, pipelines, grid searches.

scikit-learn is an optional dependency: it is imported with this module, and an estimator built
without it raises ImportError.
"""

import numpy as np

from neokeras.api_export import keras_name

try:
    import sklearn
    import sklearn.preprocessing
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin
except ImportError:  # the classes exist; building one says what is missing
    sklearn = None

    class BaseEstimator:
        pass

    class ClassifierMixin:
        pass

    class RegressorMixin:
        pass

    class TransformerMixin:
        pass


def _validate(estimator, *args, **kwargs):
    """scikit-learn's input validation (`validate_data` from 1.6, the estimator method before):
    arrays of numbers, `n_features_in_`/`feature_names_in_` set on fit and checked after."""
    try:
        from sklearn.utils.validation import validate_data
    except ImportError:
        return estimator._validate_data(*args, **kwargs)
    return validate_data(estimator, *args, **kwargs)


def _target_type(y):
    from sklearn.utils.multiclass import type_of_target

    kind = type_of_target(y)
    if kind == "unknown":
        raise ValueError(f"Unknown label type for data: {y!r}")
    return kind


class _KerasEstimator(BaseEstimator):
    """What the three wrappers share: building, fitting and calling the model.

    Args:
        model: a compiled `Model`, or a callable taking `X` and `y` as keywords (plus
            `model_kwargs`) and returning a compiled `Model`.
        warm_start: whether a second `fit` keeps training the fitted model instead of
            starting from a new one.
        model_kwargs: keyword arguments for `model` when it is a callable.
        fit_kwargs: keyword arguments for `Model.fit` (`epochs`, `batch_size`, ...); those given
            to `fit` itself take precedence.

    Attributes:
        model_: the fitted `Model`.
        history_: the `History` that `Model.fit` returned.
    """

    def __init__(self, model, warm_start=False, model_kwargs=None, fit_kwargs=None):
        if sklearn is None:
            raise ImportError(f"{type(self).__name__} requires `scikit-learn` to be installed. "
                              "Run `pip install scikit-learn` to install it.")
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs

    def _more_tags(self):  # scikit-learn < 1.6
        return {"non_deterministic": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = True
        return tags

    def __sklearn_clone__(self):
        # The model itself is shared, not deep-copied: `fit` clones it anyway.
        params = self.get_params(deep=False)
        others = {k: sklearn.base.clone(v, safe=False) for k, v in params.items() if k != "model"}
        return type(self)(model=self.model, **others)

    @property
    def epoch_(self):
        """How many epochs the model has been trained (0 before `fit`)."""
        history = getattr(self, "history_", None)
        return len(history.epoch) if history is not None else 0

    def set_fit_request(self, **kwargs):
        """Says which metadata (`sample_weight=True`, an alias string, ...) `fit` asks for when
        scikit-learn's metadata routing is on (`sklearn.set_config(enable_metadata_routing=True)`).

        Returns:
            self
        """
        if not sklearn.get_config().get("enable_metadata_routing", False):
            raise RuntimeError(
                "This method is only available when metadata routing is enabled. You can enable "
                "it using sklearn.set_config(enable_metadata_routing=True).")
        from sklearn.utils.metadata_routing import MetadataRequest

        request = getattr(self, "_metadata_request", None)
        if not isinstance(request, MetadataRequest):
            request = MetadataRequest(owner=type(self).__name__)
        for param, alias in kwargs.items():
            request.fit.add_request(param=param, alias=alias)
        self._metadata_request = request
        return self

    def _build_model(self, X, y):
        from neokeras.models import Model, clone_model

        if self.warm_start and hasattr(self, "model_"):
            return self.model_
        if isinstance(self.model, Model):
            return clone_model(self.model)
        model = self.model(X=X, y=y, **(self.model_kwargs or {}))
        if not isinstance(model, Model):
            raise TypeError(f"{type(self).__name__}: `model` must be a Model or a callable "
                            f"returning one; the callable returned {type(model).__name__}.")
        return model

    def fit(self, X, y, **kwargs):
        """Fits a new model (see `warm_start`) on `X` of shape `(n_samples, n_features)` and
        `y` of shape `(n_samples,)`; `kwargs` go to `Model.fit`.

        Returns:
            self
        """
        X, y = _validate(self, X, y)
        y = self._encode_target(y, reset=True)
        model = self._build_model(X, y)
        if not model.compiled or not model.loss or not model.optimizer:
            raise RuntimeError("Given model needs to be compiled, and have a loss and an "
                               "optimizer.")
        self.history_ = model.fit(X, y, **{**(self.fit_kwargs or {}), **kwargs})
        self.model_ = model
        return self

    def _raw_output(self, X):
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        return self.model_.predict(_validate(self, X, reset=False))

    def predict(self, X):
        """The model's predictions for `X`, as targets like the `y` given to `fit`."""
        return self._decode_target(self._raw_output(X))

    def _encode_target(self, y, reset=False):
        _target_type(y)
        return y.reshape(-1, 1) if y.ndim == 1 else y

    def _decode_target(self, output):
        if output.ndim == 2 and output.shape[1] == 1:
            return output[:, 0]
        return output


@keras_name("keras.wrappers.SKLearnClassifier")
class SKLearnClassifier(ClassifierMixin, _KerasEstimator):
    """A scikit-learn classifier around a Keras model.

    The model is trained on one-hot targets (one column per class, in the order of `classes_`);
    `predict` returns the class of the largest output and `decision_function` the raw outputs.
    Binary and multiclass targets only.

    Args:
        model: a compiled `Model`, or a callable taking `X` and `y` (one-hot) as keywords (plus
            `model_kwargs`) and returning a compiled `Model`.
        warm_start: whether a second `fit` keeps training the fitted model.
        model_kwargs: keyword arguments for `model` when it is a callable.
        fit_kwargs: keyword arguments for `Model.fit`; those given to `fit` take precedence.

    Attributes:
        model_: the fitted `Model`.
        history_: the `History` of the fit.
        classes_: the class labels.

    Example:

    ```python
    def make_model(X, y, hidden=10):
        inputs = keras.Input((X.shape[1],))
        x = keras.layers.Dense(hidden, activation="relu")(inputs)
        outputs = keras.layers.Dense(y.shape[1], activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        return model

    clf = keras.wrappers.SKLearnClassifier(make_model, model_kwargs={"hidden": 20},
                                           fit_kwargs={"epochs": 5})
    clf.fit(X, y).predict(X)
    ```
    """

    def decision_function(self, X):
        """The model's raw outputs for `X`, one column per class."""
        return self._raw_output(X)

    def _encode_target(self, y, reset=False):
        kind = _target_type(y)
        if kind not in ("binary", "multiclass"):
            raise ValueError("Only binary and multiclass target types are supported. "
                             f"Target type: {kind}")
        column = y.reshape(-1, 1) if y.ndim == 1 else y
        if reset:
            self._one_hot = sklearn.preprocessing.OneHotEncoder(sparse_output=False).fit(column)
            self._target_ndim = y.ndim
            self.classes_ = np.unique(y)
            if len(self.classes_) == 1:
                raise ValueError("Classifier can't train when only one class is present.")
        return self._one_hot.transform(column)

    def _decode_target(self, output):
        labels = self._one_hot.inverse_transform(output)
        return labels[:, 0] if self._target_ndim == 1 else labels

    def _more_tags(self):  # scikit-learn < 1.6
        return {**super()._more_tags(), "poor_score": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True
        return tags


@keras_name("keras.wrappers.SKLearnRegressor")
class SKLearnRegressor(RegressorMixin, _KerasEstimator):
    """A scikit-learn regressor around a Keras model.

    The model is trained on `y` as a column (`(n_samples, 1)`); `predict` gives `(n_samples,)`
    back when the model has one output column.

    Args:
        model: a compiled `Model`, or a callable taking `X` and `y` as keywords (plus
            `model_kwargs`) and returning a compiled `Model`.
        warm_start: whether a second `fit` keeps training the fitted model.
        model_kwargs: keyword arguments for `model` when it is a callable.
        fit_kwargs: keyword arguments for `Model.fit`; those given to `fit` take precedence.

    Attributes:
        model_: the fitted `Model`.
        history_: the `History` of the fit.
    """

    def _more_tags(self):  # scikit-learn < 1.6
        return {**super()._more_tags(), "poor_score": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True
        return tags


@keras_name("keras.wrappers.SKLearnTransformer")
class SKLearnTransformer(TransformerMixin, _KerasEstimator):
    """A scikit-learn transformer around a Keras model: `transform(X)` is the fitted model's
    output (an embedding, say), e.g. a step of a `Pipeline` before another estimator.

    Args:
        model: a compiled `Model`, or a callable taking `X` and `y` as keywords (plus
            `model_kwargs`) and returning a compiled `Model`.
        warm_start: whether a second `fit` keeps training the fitted model.
        model_kwargs: keyword arguments for `model` when it is a callable.
        fit_kwargs: keyword arguments for `Model.fit`; those given to `fit` take precedence.

    Attributes:
        model_: the fitted `Model`.
        history_: the `History` of the fit.
    """

    def transform(self, X):
        """The fitted model's output for `X`, of shape `(n_samples, n_outputs)`."""
        return self._raw_output(X)

    def _more_tags(self):  # scikit-learn < 1.6
        return {**super()._more_tags(), "preserves_dtype": []}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        return tags
