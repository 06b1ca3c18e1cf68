"""`FeatureSpace`: one object that preprocesses, crosses and encodes a dict of tabular features.

Each feature has a preprocessing layer (normalization, lookup, hashing, discretization, ...);
`adapt` fits them on data, `__call__` encodes a dict of arrays eagerly (for a data pipeline),
and `get_inputs`/`get_encoded_features` give the same computation as symbolic tensors (to build
a model that takes raw features).
"""

import itertools

import numpy as np

from neokeras import layers, ops
from neokeras.api_export import keras_name
from neokeras.layers import Layer
from neokeras.saving import serialization

_COUNTER = itertools.count(1)


def _auto_name(prefix):
    return f"{prefix}_{next(_COUNTER)}"


@keras_name("keras.src.layers.preprocessing.feature_space.Cross")
class Cross:
    """A crossing of features, hashed into `crossing_dim` bins."""

    def __init__(self, feature_names, crossing_dim, output_mode="one_hot"):
        if output_mode not in ("int", "one_hot"):
            raise ValueError("Cross: output_mode must be 'int' or 'one_hot'. "
                             f"Received: output_mode={output_mode!r}")
        self.feature_names = tuple(feature_names)
        self.crossing_dim = crossing_dim
        self.output_mode = output_mode

    @property
    def name(self):
        return "_X_".join(self.feature_names)

    def get_config(self):
        return {"feature_names": self.feature_names, "crossing_dim": self.crossing_dim,
                "output_mode": self.output_mode}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@keras_name("keras.src.layers.preprocessing.feature_space.Feature")
class Feature:
    """One input feature: its dtype, preprocessing layer and output mode."""

    def __init__(self, dtype, preprocessor, output_mode):
        if output_mode not in ("int", "one_hot", "float"):
            raise ValueError("Feature: output_mode must be 'int', 'one_hot' or 'float'. "
                             f"Received: output_mode={output_mode!r}")
        self.dtype = dtype
        if isinstance(preprocessor, dict):
            preprocessor = serialization.deserialize_keras_object(preprocessor)
        self.preprocessor = preprocessor
        self.output_mode = output_mode

    def get_config(self):
        return {"dtype": self.dtype,
                "preprocessor": serialization.serialize_keras_object(self.preprocessor),
                "output_mode": self.output_mode}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@keras_name("keras.src.layers.preprocessing.feature_space.TFDIdentity")
class _Identity(Layer):
    def call(self, x):
        return x


@keras_name("keras.utils.FeatureSpace")
class FeatureSpace(Layer):
    """Preprocesses and encodes a dict of structured features into model inputs.

    Example:
        feature_space = FeatureSpace(
            features={"age": "float_normalized", "city": "string_categorical",
                      "zip": FeatureSpace.integer_hashed(num_bins=100)},
            crosses=[FeatureSpace.cross(("city", "zip"), crossing_dim=64)],
            output_mode="concat")
        feature_space.adapt({"age": ages, "city": cities, "zip": zips})
        encoded = feature_space({"age": ages, "city": cities, "zip": zips})

    Args:
        features: Dict `name -> Feature` or one of `"float"`, `"float_rescaled"`,
            `"float_normalized"`, `"float_discretized"`, `"integer_categorical"`,
            `"string_categorical"`, `"integer_hashed"`, `"string_hashed"`.
        output_mode: `"concat"` (one float matrix) or `"dict"` (one entry per feature).
        crosses: Features to cross: `FeatureSpace.cross(...)` objects or tuples of names.
        crossing_dim: Bins of crosses given as tuples.
        hashing_dim: Bins of the `"*_hashed"` shorthand features.
        num_discretization_bins: Bins of the `"float_discretized"` shorthand.
        name: Layer name.
    """

    @classmethod
    def cross(cls, feature_names, crossing_dim, output_mode="one_hot"):
        return Cross(feature_names, crossing_dim, output_mode=output_mode)

    @classmethod
    def feature(cls, dtype, preprocessor, output_mode):
        return Feature(dtype, preprocessor, output_mode)

    @classmethod
    def float(cls, name=None):
        name = name or _auto_name("float")
        return Feature("float32", _Identity(name=f"{name}_preprocessor"), "float")

    @classmethod
    def float_rescaled(cls, scale=1.0, offset=0.0, name=None):
        name = name or _auto_name("float_rescaled")
        return Feature("float32", layers.Rescaling(scale=scale, offset=offset,
                                                   name=f"{name}_preprocessor"), "float")

    @classmethod
    def float_normalized(cls, name=None):
        name = name or _auto_name("float_normalized")
        return Feature("float32", layers.Normalization(axis=-1, name=f"{name}_preprocessor"),
                       "float")

    @classmethod
    def float_discretized(cls, num_bins, bin_boundaries=None, output_mode="one_hot", name=None):
        name = name or _auto_name("float_discretized")
        return Feature("float32", layers.Discretization(num_bins=num_bins,
                                                        bin_boundaries=bin_boundaries,
                                                        name=f"{name}_preprocessor"), output_mode)

    @classmethod
    def integer_categorical(cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot",
                            name=None):
        name = name or _auto_name("integer_categorical")
        return Feature("int32", layers.IntegerLookup(name=f"{name}_preprocessor",
                                                     max_tokens=max_tokens,
                                                     num_oov_indices=num_oov_indices),
                       output_mode)

    @classmethod
    def string_categorical(cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot",
                           name=None):
        name = name or _auto_name("string_categorical")
        return Feature("string", layers.StringLookup(name=f"{name}_preprocessor",
                                                     max_tokens=max_tokens,
                                                     num_oov_indices=num_oov_indices),
                       output_mode)

    @classmethod
    def string_hashed(cls, num_bins, output_mode="one_hot", name=None):
        name = name or _auto_name("string_hashed")
        return Feature("string", layers.Hashing(name=f"{name}_preprocessor", num_bins=num_bins),
                       output_mode)

    @classmethod
    def integer_hashed(cls, num_bins, output_mode="one_hot", name=None):
        name = name or _auto_name("integer_hashed")
        return Feature("int32", layers.Hashing(name=f"{name}_preprocessor", num_bins=num_bins),
                       output_mode)

    def __init__(self, features, output_mode="concat", crosses=None, crossing_dim=32,
                 hashing_dim=32, num_discretization_bins=32, name=None):
        super().__init__(name=name)
        if not features:
            raise ValueError("FeatureSpace: `features` cannot be None or empty.")
        if output_mode not in ("dict", "concat"):
            raise ValueError("FeatureSpace: output_mode must be 'dict' or 'concat'. "
                             f"Received: output_mode={output_mode!r}")
        self.crossing_dim = crossing_dim
        self.hashing_dim = hashing_dim
        self.num_discretization_bins = num_discretization_bins
        self.output_mode = output_mode
        self.features = {key: self._standardize_feature(key, value)
                         for key, value in features.items()}
        self.crosses = []
        for cross in crosses or []:
            if isinstance(cross, dict):
                cross = Cross.from_config(cross.get("config", cross))
            if not isinstance(cross, Cross):
                if not crossing_dim:
                    raise ValueError("FeatureSpace: crosses given as names need crossing_dim.")
                unknown = [k for k in cross if k not in self.features]
                if unknown:
                    raise ValueError(f"FeatureSpace: crosses refer to unknown features {unknown}; "
                                     f"the features are {sorted(self.features)}.")
                cross = Cross(cross, crossing_dim=crossing_dim)
            self.crosses.append(cross)
        self.crosses_by_name = {cross.name: cross for cross in self.crosses}
        self.inputs = {key: layers.Input(shape=(1,), dtype=feature.dtype, name=key)
                       for key, feature in self.features.items()}
        self.preprocessors = {key: feature.preprocessor for key, feature in self.features.items()}
        self.crossers = {cross.name: layers.HashedCrossing(cross.crossing_dim, name=cross.name)
                         for cross in self.crosses}
        self.one_hot_encoders = {}
        self.encoded_features = None
        self._is_adapted = False
        self._sublayers_built = False
        self._names = None

    def _standardize_feature(self, name, feature):
        if isinstance(feature, Feature):
            return feature
        if isinstance(feature, dict):
            return Feature.from_config(feature.get("config", feature))
        makers = {
            "float": lambda: self.float(name=name),
            "float_normalized": lambda: self.float_normalized(name=name),
            "float_rescaled": lambda: self.float_rescaled(name=name),
            "float_discretized": lambda: self.float_discretized(
                self.num_discretization_bins, name=name),
            "integer_categorical": lambda: self.integer_categorical(name=name),
            "string_categorical": lambda: self.string_categorical(name=name),
            "integer_hashed": lambda: self.integer_hashed(self.hashing_dim, name=name),
            "string_hashed": lambda: self.string_hashed(self.hashing_dim, name=name),
        }
        if feature not in makers:
            raise ValueError(f"FeatureSpace: invalid feature type {feature!r} for {name!r}; "
                             f"expected a Feature or one of {sorted(makers)}.")
        return makers[feature]()

    def _adaptable(self):
        names = []
        for key, preprocessor in self.preprocessors.items():
            if isinstance(preprocessor, layers.Normalization) and \
                    getattr(preprocessor, "input_mean", None) is not None:
                continue
            if hasattr(preprocessor, "adapt"):
                names.append(key)
        return names

    def adapt(self, dataset):
        """Fits the preprocessors (normalization statistics, vocabularies, bins) on data.

        Args:
            dataset: A dict of arrays/lists (one sample per row), or an iterable of such dicts
                (batches), e.g. a dataset mapped to its features.
        """
        if isinstance(dataset, dict):
            columns = {k: np.asarray(v) if not isinstance(v, list) else _as_array(v)
                       for k, v in dataset.items()}
        elif hasattr(dataset, "__iter__") and not isinstance(dataset, (str, bytes)):
            batches = [b for b in dataset]
            if not batches or not all(isinstance(b, dict) for b in batches):
                raise ValueError("FeatureSpace.adapt: the dataset must yield dicts of features.")
            columns = {k: np.concatenate([np.atleast_1d(_as_array(b[k])) for b in batches])
                       for k in batches[0]}
        else:
            raise ValueError("FeatureSpace.adapt expects a dict of arrays/lists or an iterable "
                             f"of such dicts. Received {type(dataset).__name__}.")
        for key in self._adaptable():
            if key not in columns:
                raise ValueError(f"FeatureSpace.adapt: the data has no feature {key!r}; it has "
                                 f"{sorted(columns)}.")
            values = columns[key]
            if values.ndim <= 1:
                values = values.reshape(-1, 1)
            self.preprocessors[key].adapt(values)
        self._is_adapted = True
        self.get_encoded_features()
        self.built = True
        self._sublayers_built = True

    def get_inputs(self):
        """The dict of symbolic `Input`s, one per feature."""
        self._check_if_built()
        return self.inputs

    def get_encoded_features(self):
        """The encoded features as symbolic tensors (concatenated or a dict)."""
        self._check_if_adapted()
        if self.encoded_features is None:
            preprocessed = self._preprocess(self.inputs)
            self.encoded_features = self._merge(preprocessed, self._cross(preprocessed))
        return self.encoded_features

    def _preprocess(self, features):
        return {key: self.preprocessors[key](features[key]) for key in features}

    def _cross(self, features):
        return {cross.name: self.crossers[cross.name]([features[k] for k in cross.feature_names])
                for cross in self.crosses}

    def _merge(self, preprocessed, crossed):
        if self._names is None:
            self._names = sorted(preprocessed) + sorted(crossed)
        values = {**preprocessed, **crossed}
        outputs = {}
        for key in self._names:
            feature = values[key]
            spec = self.features.get(key) or self.crosses_by_name[key]
            if not self._sublayers_built and spec.output_mode == "one_hot":
                self.one_hot_encoders[key] = self._one_hot_encoder(key, feature)
            if key in self.one_hot_encoders:
                feature = self.one_hot_encoders[key](feature)
            if self.output_mode == "concat":
                dtype = str(getattr(feature, "dtype", "float32"))
                if "int" in dtype or dtype in ("string", "object"):
                    raise ValueError(f"FeatureSpace: cannot concatenate feature {key!r}: it is not "
                                     f"encoded (dtype {dtype}). Use output_mode='dict' or a "
                                     "one_hot/float output_mode for it.")
            outputs[key] = feature
        if self.output_mode == "dict":
            return outputs
        return ops.concatenate([ops.cast(outputs[k], "float32") for k in self._names], axis=-1)

    def _one_hot_encoder(self, key, feature):
        dtype = str(feature.dtype)
        if "int" not in dtype:
            raise ValueError(f"FeatureSpace: feature {key!r} has output_mode='one_hot', so its "
                             f"preprocessor must return integers; it returns {dtype}.")
        preprocessor = self.preprocessors.get(key) or self.crossers.get(key)
        if isinstance(preprocessor, (layers.IntegerLookup, layers.StringLookup)):
            cardinality = preprocessor.vocabulary_size()
        elif isinstance(preprocessor, layers.CategoryEncoding):
            cardinality = preprocessor.num_tokens
        elif isinstance(preprocessor, (layers.Discretization, layers.Hashing,
                                       layers.HashedCrossing)):
            cardinality = preprocessor.num_bins
        else:
            raise ValueError(f"FeatureSpace: feature {key!r} has output_mode='one_hot' but the "
                             "size of its output space is unknown; use output_mode='int'.")
        return layers.CategoryEncoding(num_tokens=cardinality, output_mode="multi_hot")

    def _check_if_adapted(self):
        if not self._is_adapted:
            if self._adaptable():
                raise ValueError("FeatureSpace: call `.adapt(data)` before using it.")
            self._is_adapted = True

    def _check_if_built(self):
        if not self._sublayers_built:
            self._check_if_adapted()
            self.get_encoded_features()
            self._sublayers_built = True

    def __call__(self, data):
        """Encodes a dict of features (one sample, or a batch) eagerly."""
        self._check_if_built()
        if not isinstance(data, dict):
            raise ValueError("FeatureSpace can only be called on a dict of features. Received "
                             f"{type(data).__name__}.")
        missing = sorted(set(self.features) - set(data))
        if missing:
            raise ValueError(f"FeatureSpace: the data lacks the features {missing}.")
        single = False
        columns = {}
        for key in self.features:
            x = _as_array(data[key])
            if x.ndim == 0:
                x, single = x.reshape(1, 1), True
            elif x.ndim == 1:
                x = x[:, None]
            columns[key] = x
        preprocessed = self._preprocess(columns)
        merged = self._merge(preprocessed, self._cross(preprocessed))
        if single:
            if self.output_mode == "concat":
                return merged[0]
            return {k: v[0] if len(v.shape) == 2 and v.shape[0] == 1 else v
                    for k, v in merged.items()}
        return merged

    def get_config(self):
        return {"features": {k: {"class_name": "Feature", "config": f.get_config()}
                             for k, f in self.features.items()},
                "output_mode": self.output_mode,
                "crosses": [{"class_name": "Cross", "config": c.get_config()}
                            for c in self.crosses],
                "crossing_dim": self.crossing_dim, "hashing_dim": self.hashing_dim,
                "num_discretization_bins": self.num_discretization_bins}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _as_array(values):
    """numpy array of the values; strings become an object array (as the lookups expect)."""
    if hasattr(values, "numpy") and not isinstance(values, np.ndarray):
        values = values.numpy()
    array = np.asarray(values)
    if array.dtype.kind in ("U", "S"):
        out = np.empty(array.shape, dtype=object)
        out[...] = array.astype(str) if array.dtype.kind == "U" else np.char.decode(array)
        return out
    return array
