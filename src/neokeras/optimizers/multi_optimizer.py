"""`MultiOptimizer`: each trainable variable updated by the optimizer an `OptimizerMap` (or a
function) picks for it."""

import re
from collections.abc import MutableMapping

from neokeras.api_export import keras_name
from neokeras.optimizers.loss_scale_optimizer import LossScaleOptimizer
from neokeras.optimizers.optimizer import Optimizer


@keras_name("keras.optimizers.OptimizerMap")
class OptimizerMap(MutableMapping):
    """Maps variable paths (exactly, or by `re.fullmatch` of a pattern key) to optimizers.

    Args:
        default_optimizer: The optimizer of every variable no key matches.
        optimizer_map: Optional dict `{path or pattern: optimizer}`.

    Example:

    >>> optimizer_map = keras.optimizers.OptimizerMap(keras.optimizers.SGD())
    >>> optimizer_map["encoder/.*"] = keras.optimizers.Adam()
    >>> optimizer_map["encoder/dense/kernel"].name
    'adam'
    """

    def __init__(self, default_optimizer, optimizer_map=None):
        if not isinstance(default_optimizer, Optimizer):
            raise TypeError("OptimizerMap: default_optimizer must be a Keras Optimizer "
                            f"instance. Received: {default_optimizer!r}")
        if optimizer_map is not None and not isinstance(optimizer_map, dict):
            raise TypeError("OptimizerMap: optimizer_map must be a dictionary. "
                            f"Received: {optimizer_map!r}")
        self._default_optimizer = default_optimizer
        self._optimizer_map = optimizer_map or {}

    @property
    def default_optimizer(self):
        return self._default_optimizer

    def __getitem__(self, key):
        """The optimizer of `key`: an exact key first, else the one pattern that fully matches,
        else the default optimizer.

        Raises:
            ValueError: when several patterns match `key`.
        """
        if key in self._optimizer_map:
            return self._optimizer_map[key]
        matches = [pattern for pattern in self._optimizer_map if re.fullmatch(pattern, key)]
        if len(matches) > 1:
            raise ValueError(f"Multiple optimizers assigned to variable {key}: the patterns "
                             f"{matches} all match it.")
        return self._optimizer_map[matches[0]] if matches else self._default_optimizer

    def __setitem__(self, key, optimizer):
        if key in self._optimizer_map:
            raise ValueError(f"'{key}' already exists in the OptimizerMap with value "
                             f"{self._optimizer_map[key]}. Use each key once.")
        if not isinstance(key, str):
            raise ValueError(f"OptimizerMap: key must be a string. Received: {key!r}")
        if not isinstance(optimizer, Optimizer):
            raise ValueError("OptimizerMap: optimizer must be a Keras Optimizer instance. "
                             f"Received: {optimizer!r}")
        if isinstance(optimizer, LossScaleOptimizer):
            raise ValueError("OptimizerMap: optimizer cannot be LossScaleOptimizer.")
        if isinstance(optimizer, MultiOptimizer):
            raise ValueError("OptimizerMap: optimizer cannot be MultiOptimizer.")
        self._optimizer_map[key] = optimizer

    def __delitem__(self, key):
        del self._optimizer_map[key]

    def __len__(self):
        return len(self._optimizer_map)

    def __iter__(self):
        return iter(self._optimizer_map)

    def __call__(self, variable):
        return self[variable.path]

    def get_config(self):
        from neokeras.saving.serialization import serialize_keras_object

        return {"default_optimizer": serialize_keras_object(self._default_optimizer),
                "optimizer_map": serialize_keras_object(self._optimizer_map)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from neokeras.saving.serialization import deserialize_keras_object

        default = deserialize_keras_object(config["default_optimizer"],
                                           custom_objects=custom_objects)
        mapping = {key: deserialize_keras_object(value, custom_objects=custom_objects)
                   for key, value in (config.get("optimizer_map") or {}).items()}
        return cls(default, mapping)


@keras_name("keras.optimizers.MultiOptimizer")
class MultiOptimizer(Optimizer):
    """Delegates each trainable variable to its own optimizer.

    `optimizer_map` is an `OptimizerMap` or a function `variable -> optimizer`. The inner
    optimizers are listed in `optimizers` (those of the map first, then the default, then any
    the function returns while building); each is built on, and updates, only its variables.
    A MultiOptimizer has no learning rate of its own: reading or setting `learning_rate`
    raises, set it on the inner optimizers.

    Args:
        optimizer_map: An `OptimizerMap` or a callable returning an optimizer for a variable.
        loss_scale_factor: Loss scale, also set on every inner optimizer.
        name: Optional name.

    Example:

    >>> optimizer = keras.optimizers.MultiOptimizer(keras.optimizers.OptimizerMap(
    ...     keras.optimizers.SGD(0.1), {"encoder/.*": keras.optimizers.Adam()}))
    >>> model.compile(optimizer=optimizer, loss="mse")
    """

    def __init__(self, optimizer_map, loss_scale_factor=None, name=None):
        super().__init__(learning_rate=0.0, loss_scale_factor=loss_scale_factor, name=name)
        if not callable(optimizer_map):
            raise TypeError("MultiOptimizer: optimizer_map must be an OptimizerMap or a "
                            f"callable variable -> optimizer. Received: {optimizer_map!r}")
        self._optimizer_map = optimizer_map
        self._inner_optimizers = []
        candidates = list(optimizer_map.values()) if hasattr(optimizer_map, "values") else []
        default = getattr(optimizer_map, "default_optimizer", None)
        if default is not None:
            candidates.append(default)
        for optimizer in candidates:
            if not any(optimizer is known for known in self._inner_optimizers):
                self._add_inner(optimizer)

    def _add_inner(self, optimizer):
        optimizer.loss_scale_factor = self.loss_scale_factor
        self._inner_optimizers.append(optimizer)

    def _inner_index(self, optimizer):
        for index, known in enumerate(self._inner_optimizers):
            if known is optimizer:
                return index
        return None

    def build(self, var_list):
        if self.built:
            return
        var_list = list(var_list)
        self._var_to_optimizer_idx = {}
        for variable in var_list:
            optimizer = self._optimizer_map(variable)
            if not isinstance(optimizer, Optimizer):
                raise ValueError(f"MultiOptimizer: the optimizer for variable {variable.path!r} "
                                 f"is not an Optimizer instance. Received: {optimizer!r}")
            if isinstance(optimizer, LossScaleOptimizer):
                raise ValueError("LossScaleOptimizer cannot be used inside a MultiOptimizer "
                                 f"(variable {variable.path!r}).")
            if isinstance(optimizer, MultiOptimizer):
                raise ValueError("MultiOptimizer cannot be used inside a MultiOptimizer "
                                 f"(variable {variable.path!r}).")
            if self._inner_index(optimizer) is None:
                self._add_inner(optimizer)
            self._var_to_optimizer_idx[id(variable)] = self._inner_index(optimizer)
        for index, optimizer in enumerate(self._inner_optimizers):
            mine = self._routed(var_list, index)
            if mine:
                optimizer.build(mine)
        super().build(var_list)

    def _routed(self, variables, index):
        return [v for v in variables if self._var_to_optimizer_idx.get(id(v)) == index]

    @property
    def optimizers(self):
        """The inner optimizers."""
        return self._inner_optimizers

    @property
    def variables(self):
        """Its own iteration and learning-rate variables, then every inner optimizer's."""
        own = list(self._variables)
        for optimizer in self._inner_optimizers:
            own.extend(optimizer.variables)
        return own

    @property
    def learning_rate(self):
        raise AttributeError("Learning rate cannot be accessed on a MultiOptimizer. Access the "
                             "learning rate on the individual sub-optimizers "
                             "(`optimizer.optimizers`) instead.")

    @learning_rate.setter
    def learning_rate(self, value):
        raise AttributeError("Learning rate cannot be set on a MultiOptimizer. Set the "
                             "learning rate on the individual sub-optimizers "
                             "(`optimizer.optimizers`) instead.")

    lr = learning_rate

    @property
    def loss_scale_factor(self):
        return getattr(self, "_loss_scale_factor", None)

    @loss_scale_factor.setter
    def loss_scale_factor(self, value):
        self._loss_scale_factor = value
        for optimizer in getattr(self, "_inner_optimizers", ()):
            optimizer.loss_scale_factor = value

    @property
    def iterations(self):
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """Hands each gradient to its variable's optimizer (the inner optimizers unscale,
        clip and skip `None` gradients as they do alone), then counts one iteration."""
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(f"Optimizer '{self.name}': when passing gradients without "
                                 "variables, the optimizer must already be built; call "
                                 "optimizer.build(trainable_variables) first.")
            trainable_variables = self._trainable_variables
        trainable_variables = list(trainable_variables)
        if not self.built:
            self.build(trainable_variables)
        if len(grads) != len(self._var_to_optimizer_idx) \
                or len(grads) != len(trainable_variables):
            raise ValueError(
                "MultiOptimizer: gradients must match trainable variables one-to-one. "
                f"Received {len(grads)} gradients and {len(trainable_variables)} variables; "
                f"the optimizer was built with {len(self._var_to_optimizer_idx)} variables.")
        routed = [([], []) for _ in self._inner_optimizers]
        for grad, variable in zip(grads, trainable_variables):
            index = self._var_to_optimizer_idx.get(id(variable))
            if index is None:
                raise ValueError(f"Optimizer '{self.name}' was built for other variables and "
                                 f"received {variable.path!r}. Create a new optimizer for a new "
                                 "set of variables.")
            routed[index][0].append(grad)
            routed[index][1].append(variable)
        for optimizer, (sub_grads, sub_variables) in zip(self._inner_optimizers, routed):
            if sub_grads:
                optimizer.apply(sub_grads, sub_variables)
        self._iterations.assign(self._iterations.value + 1)

    def finalize_variable_values(self, var_list):
        var_list = list(var_list)
        for index, optimizer in enumerate(self._inner_optimizers):
            mine = self._routed(var_list, index)
            if mine:
                optimizer.finalize_variable_values(mine)

    def get_config(self):
        from neokeras.saving.serialization import serialize_keras_object

        return {"optimizer_map": serialize_keras_object(self._optimizer_map),
                "loss_scale_factor": self.loss_scale_factor, "name": self.name}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from neokeras.saving.serialization import deserialize_keras_object

        config = dict(config)
        config["optimizer_map"] = deserialize_keras_object(config["optimizer_map"],
                                                           custom_objects=custom_objects)
        return cls(**config)
