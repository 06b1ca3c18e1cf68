"""`pad_sequences`: makes a list of variable-length sequences one rectangular array."""

import numpy as np


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre",
                  value=0.0):
    """Pads (or truncates) sequences to the same length.

    Args:
        sequences: List of sequences (lists or arrays; items may be scalars or arrays of a
            common shape).
        maxlen: Length of the result; the longest sequence's length when None.
        dtype: Dtype of the result (`"object"` or a string dtype keeps strings).
        padding: `"pre"` or `"post"`: pad before or after each sequence.
        truncating: `"pre"` or `"post"`: drop values from the start or the end of sequences
            longer than `maxlen`.
        value: Padding value.

    Returns:
        An array of shape `(len(sequences), maxlen) + item_shape`.
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError("pad_sequences: `sequences` must be a list of sequences. "
                         f"Received: {type(sequences).__name__}")
    for name, option in (("padding", padding), ("truncating", truncating)):
        if option not in ("pre", "post"):
            raise ValueError(f"pad_sequences: {name} must be 'pre' or 'post'. "
                             f"Received: {name}={option!r}")
    lengths, item_shape = [], None
    for index, sequence in enumerate(sequences):
        if not hasattr(sequence, "__len__"):
            raise ValueError(f"pad_sequences: sequence {index} is not a sequence (it has no "
                             f"length). Received: {sequence!r}")
        lengths.append(len(sequence))
        if item_shape is None and len(sequence):
            item_shape = np.asarray(sequence).shape[1:]
    item_shape = item_shape or ()
    if maxlen is None:
        maxlen = max(lengths, default=0)
    is_text = np.issubdtype(np.dtype(dtype), np.str_) or np.dtype(dtype) == object
    if isinstance(value, str) and not is_text:
        raise ValueError(f"pad_sequences: value={value!r} is a string but dtype={dtype!r} is "
                         "not; pass dtype=object or a string dtype.")
    result = np.full((len(sequences), maxlen) + tuple(item_shape), value, dtype=dtype)
    for index, sequence in enumerate(sequences):
        if not len(sequence) or maxlen == 0:
            continue
        kept = sequence[-maxlen:] if truncating == "pre" else sequence[:maxlen]
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != tuple(item_shape):
            raise ValueError(f"pad_sequences: sequence {index} has items of shape "
                             f"{kept.shape[1:]}, others have {tuple(item_shape)}.")
        if padding == "post":
            result[index, :len(kept)] = kept
        else:
            result[index, maxlen - len(kept):] = kept
    return result
