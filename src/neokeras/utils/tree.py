"""Minimal nested-structure helpers (lists, tuples and dicts of leaves), backend independent."""


def is_nested(x):
    return isinstance(x, (list, tuple, dict))


def flatten(structure):
    """Leaves in order (dicts by sorted key, as JAX does). `None` counts as a leaf."""
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in flatten(structure[key])]
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def map_structure(fn, structure):
    """Applies `fn` to every leaf, keeping the nesting."""
    if isinstance(structure, dict):
        return {key: map_structure(fn, value) for key, value in structure.items()}
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):
        return type(structure)(*[map_structure(fn, item) for item in structure])
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_structure(fn, item) for item in structure)
    return fn(structure)


def pack_sequence_as(structure, flat):
    """Rebuilds `structure` with the leaves taken in order from `flat`."""
    iterator = iter(flat)

    def take(_):
        return next(iterator)

    return map_structure(take, structure)
