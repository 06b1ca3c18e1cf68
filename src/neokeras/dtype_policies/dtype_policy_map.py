"""`DTypePolicyMap`: per-layer dtype policies, looked up by layer path."""

import re
from collections.abc import MutableMapping

from neokeras.api_export import keras_name
from neokeras.dtype_policies.dtype_policy import DTypePolicy
from neokeras.dtype_policies.dtype_policy import QuantizedDTypePolicy


@keras_name("keras.dtype_policies.DTypePolicyMap")
class DTypePolicyMap(DTypePolicy, MutableMapping):
    """A dict from layer paths (or regular expressions over them) to `DTypePolicy`s.

    A key matches a path exactly, or else as a pattern with `re.fullmatch`; a path matching
    several patterns is an error, and a path matching none gets `default_policy`.

    Args:
        default_policy: The policy of unmatched paths (None: the global policy).
        policy_map: Optional initial `{key: DTypePolicy}` dict.

    Example:

    >>> policy_map = DTypePolicyMap(default_policy="float32")
    >>> policy_map["encoder/.*"] = "bfloat16"
    >>> policy_map["encoder/dense"].name
    'bfloat16'
    """

    def __init__(self, default_policy=None, policy_map=None):
        from neokeras import dtype_policies

        if isinstance(default_policy, DTypePolicyMap):
            raise ValueError("`default_policy` cannot be a `DTypePolicyMap`.")
        if policy_map is not None and not isinstance(policy_map, dict):
            raise TypeError("If specified, `policy_map` must be a dict. "
                            f"Received: policy_map={policy_map} of type {type(policy_map)}")
        self._default_policy_arg = default_policy
        self._default_policy = dtype_policies.get(default_policy)
        self._policy_map = policy_map or {}

    @property
    def name(self):
        return f"map_{self.default_policy._name}"

    @property
    def default_policy(self):
        """The policy of paths that no key matches."""
        from neokeras import dtype_policies

        return dtype_policies.get(self._default_policy)

    @property
    def variable_dtype(self):
        return self.default_policy.variable_dtype

    @property
    def compute_dtype(self):
        return self.default_policy.compute_dtype

    @property
    def quantization_mode(self):
        return self.default_policy.quantization_mode

    def __getitem__(self, key):
        if key in self._policy_map:
            return self._policy_map[key]
        matches = [pattern for pattern in self._policy_map if re.fullmatch(pattern, key)]
        if len(matches) > 1:
            raise ValueError(f"Path '{key}' matches multiple dtype policy specification keys: "
                             f"{matches}. Please make sure each path only matches at most one "
                             "dtype policy specification key in the DTypePolicyMap.")
        if matches:
            return self._policy_map[matches[0]]
        return self.default_policy

    def __setitem__(self, key, policy):
        from neokeras import dtype_policies

        if key in self._policy_map:
            raise ValueError(f"{key} already exist in the DTypePolicyMap with value "
                             f"{self._policy_map[key]}. Please make sure to not use duplicated "
                             "keys.")
        try:
            policy = dtype_policies.get(policy)
        except Exception:
            raise ValueError("Cannot interpret the assigned value by `keras.dtype_policies.get`. "
                             f"Received: {policy} of type {type(policy)}") from None
        self._policy_map[key] = policy

    def __delitem__(self, key):
        return self._policy_map.pop(key)

    def __contains__(self, key):
        return key in self._policy_map

    def __len__(self):
        return len(self._policy_map)

    def __iter__(self):
        return iter(self._policy_map)

    def __eq__(self, other):
        return self is other

    def __hash__(self):
        return id(self)

    def get_config(self):
        from neokeras.saving.serialization import serialize_keras_object

        if self._default_policy_arg is None:
            # Keras leaves the source out of the entries when the default follows the global
            # policy, so the map is rebuilt against the policy active when it is loaded.
            for policy in self._policy_map.values():
                policy._name = None
                if isinstance(policy, QuantizedDTypePolicy):
                    policy._source_name = None
        return {"default_policy": self._default_policy_arg,
                "policy_map": serialize_keras_object(self._policy_map)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from neokeras.saving.serialization import deserialize_keras_object

        config = dict(config)
        config["policy_map"] = {
            key: deserialize_keras_object(value, custom_objects=custom_objects)
            for key, value in (config.get("policy_map") or {}).items()}
        return cls(**config)

    def __repr__(self):
        default = self._default_policy.name if self._default_policy is not None else None
        mapping = [(k, v.name) for k, v in self._policy_map.items()]
        return (f"<DTypePolicyMap at {hex(id(self))} default_policy={default}, "
                f"mapping={mapping}>")
