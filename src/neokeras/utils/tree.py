"""Minimal nested-structure helpers (lists, tuples and dicts of leaves), backend independent.

A scipy.sparse array is a leaf even where its class subclasses `dict` (`dok_array`,
`dok_matrix`): it is one array, never a dict of named inputs.
"""


def _is_dict(x):
    return isinstance(x, dict) and not type(x).__module__.startswith("scipy.sparse")


def is_nested(x):
    return isinstance(x, (list, tuple)) or _is_dict(x)


def flatten(structure):
    """Leaves in order (dicts by sorted key, as JAX does). `None` counts as a leaf."""
    if _is_dict(structure):
        return [leaf for key in sorted(structure) for leaf in flatten(structure[key])]
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def map_structure(fn, structure):
    """Applies `fn` to every leaf, keeping the nesting."""
    if _is_dict(structure):
        return {key: map_structure(fn, value) for key, value in structure.items()}
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):
        return type(structure)(*[map_structure(fn, item) for item in structure])
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_structure(fn, item) for item in structure)
    return fn(structure)


def pack_sequence_as(structure, flat):
    """Rebuilds `structure` with the leaves taken in order from `flat` (the inverse of
    `flatten`, so dict values are filled in sorted-key order)."""
    iterator = iter(flat)

    def fill(node):
        if _is_dict(node):
            filled = {key: fill(node[key]) for key in sorted(node)}
            return {key: filled[key] for key in node}
        if isinstance(node, tuple) and hasattr(node, "_fields"):
            return type(node)(*[fill(item) for item in node])
        if isinstance(node, (list, tuple)):
            return type(node)(fill(item) for item in node)
        return next(iterator)

    return fill(structure)
