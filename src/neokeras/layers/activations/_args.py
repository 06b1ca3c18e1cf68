"""Argument checks shared by the activation layers."""

import numbers


def non_negative_number(layer_name, arg, value, allow_none=False):
    """`value` as a Python float (numpy scalars accepted); None only if `allow_none`."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or value < 0:
        expected = "a number >= 0" + (" or None" if allow_none else "")
        raise ValueError(f"{layer_name}({arg}=...) must be {expected}. Received: {arg}={value!r}")
    return float(value)
