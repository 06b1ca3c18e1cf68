"""Unique object names (`dense`, `dense_1`, ...) and snake_case conversion."""

import collections
import re

_NAME_COUNTS = collections.defaultdict(int)


def to_snake_case(name):
    """`"BatchNormalization"` -> `"batch_normalization"`, `"Conv2D"` -> `"conv2d"`."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub(r"([a-z])([A-Z])", r"\1_\2", name)
    return name.lower()


def uniquify(base):
    """Returns `base` the first time, then `base_1`, `base_2`, ..."""
    count = _NAME_COUNTS[base]
    _NAME_COUNTS[base] += 1
    return base if count == 0 else f"{base}_{count}"


def next_uid(prefix=""):
    """Counts calls per prefix: 1, 2, 3, ... (shares the counters of `uniquify`)."""
    _NAME_COUNTS[prefix] += 1
    return _NAME_COUNTS[prefix]


def reset_names():
    """Forgets every name handed out (part of `clear_session`)."""
    _NAME_COUNTS.clear()
