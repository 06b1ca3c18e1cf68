"""Argument checks shared by the convolution and pooling layers."""

import numbers


def normalize_tuple(value, rank, name, owner, allow_zero=False):
    """An int or a sequence of `rank` ints as a tuple of `rank` ints (positive unless allowed 0)."""
    values = (value,) * rank if isinstance(value, numbers.Integral) else value
    try:
        values = tuple(values)
    except TypeError:
        values = None
    lowest = 0 if allow_zero else 1
    if (values is None or len(values) != rank
            or any(isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < lowest
                   for v in values)):
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{owner}: `{name}` must be a {kind} int or a tuple of {rank} {kind} "
                         f"ints. Received: {name}={value!r}")
    return tuple(int(v) for v in values)


def normalize_padding(padding, owner, allowed=("valid", "same")):
    value = padding.lower() if isinstance(padding, str) else padding
    if value not in allowed:
        raise ValueError(f"{owner}: `padding` must be one of {allowed}. "
                         f"Received: padding={padding!r}")
    return value


def normalize_data_format(data_format, owner):
    if data_format is None:
        from neokeras import config

        return config.image_data_format()
    value = data_format.lower() if isinstance(data_format, str) else data_format
    if value not in ("channels_last", "channels_first"):
        raise ValueError(f"{owner}: `data_format` must be 'channels_last' or 'channels_first'. "
                         f"Received: data_format={data_format!r}")
    return value
