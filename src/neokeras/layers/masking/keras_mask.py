"""The mask attached to a tensor, kept in a side table keyed by the tensor object.

Arrays and tracers do not accept new attributes, so a mask produced by a layer (e.g.
`Embedding(mask_zero=True)`) is recorded here against its output, and the next layer's call looks
it up. Entries live as long as the tensor: a weak reference drops them when it is collected.
"""

import weakref

from neokeras.utils import tree

_MASKS = {}


def set_keras_mask(x, mask):
    """Attaches `mask` to tensor `x` (None removes it)."""
    key = id(x)
    if mask is None:
        _MASKS.pop(key, None)
        return
    try:
        ref = weakref.ref(x, lambda _, key=key: _MASKS.pop(key, None))
    except TypeError:  # Python scalars and the like cannot carry a mask.
        return
    _MASKS[key] = (ref, mask)


def get_keras_mask(x):
    """The mask attached to `x`, or None."""
    entry = _MASKS.get(id(x))
    if entry is None or entry[0]() is not x:
        return None
    return entry[1]


def get_structure_mask(inputs):
    """Masks of a structure of tensors (same structure), or None when none has a mask."""
    if inputs is None:
        return None
    masks = tree.map_structure(get_keras_mask, inputs)
    if all(m is None for m in tree.flatten(masks)):
        return None
    return masks
