"""Nested structures (`keras.tree`): lists, tuples, namedtuples, dicts and deques of leaves.

The rules are Keras's (its optree flavour): `None` is a leaf; dicts and defaultdicts are walked
in sorted-key order (insertion order when keys do not sort) and rebuilt with their own key
order; OrderedDicts and deques keep their order; subclasses of list and dict are leaves, as are
strings and arrays.
"""

import collections
import warnings

from neokeras.api_export import keras_name


@keras_name("keras.tree.MAP_TO_NONE")
class MAP_TO_NONE:
    """Returned by a `traverse` function to put `None` in the output at that place."""


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


_NODE_TYPES = (list, tuple, dict, collections.OrderedDict, collections.defaultdict,
               collections.deque)


def _is_node(x):
    return type(x) in _NODE_TYPES or _is_namedtuple(x)


def _keys(node):
    """The child keys of a node, in flattening order."""
    if isinstance(node, dict):
        if type(node) is collections.OrderedDict:
            return list(node)
        try:
            return sorted(node)
        except TypeError:
            return list(node)
    return list(range(len(node)))


def _children(node):
    return [node[k] for k in _keys(node)] if isinstance(node, dict) else list(node)


def _rebuild(node, children):
    """A node of the same type as `node` holding `children` (given in flattening order)."""
    if isinstance(node, dict):
        by_key = dict(zip(_keys(node), children))
        items = [(k, by_key[k]) for k in node]
        if type(node) is collections.defaultdict:
            return collections.defaultdict(node.default_factory, items)
        return type(node)(items)
    if _is_namedtuple(node):
        return type(node)(*children)
    if type(node) is collections.deque:
        return collections.deque(children, maxlen=node.maxlen)
    return type(node)(children)


def _same_kind(a, b):
    """Whether `b` is a node that matches `a` (same type, same keys / length)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return set(a) == set(b)
    return len(a) == len(b)


@keras_name("keras.tree.is_nested")
def is_nested(structure):
    """Whether `structure` is a list, tuple, namedtuple, dict or deque (not a leaf)."""
    return _is_node(structure)


@keras_name("keras.tree.flatten")
def flatten(structure):
    """The leaves of `structure` in a list (dicts in sorted-key order).

    >>> keras.tree.flatten({"b": [1, 2], "a": 3})
    [3, 1, 2]
    """
    if not _is_node(structure):
        return [structure]
    return [leaf for child in _children(structure) for leaf in flatten(child)]


@keras_name("keras.tree.flatten_with_path")
def flatten_with_path(structure):
    """`(path, leaf)` pairs, `path` being the tuple of keys and indices leading to the leaf."""
    if not _is_node(structure):
        return [((), structure)]
    out = []
    for key in _keys(structure):
        for path, leaf in flatten_with_path(structure[key]):
            out.append(((key,) + path, leaf))
    return out


def _paths(structure):
    return [path for path, _ in flatten_with_path(structure)]


@keras_name("keras.tree.pack_sequence_as")
def pack_sequence_as(structure, flat_sequence):
    """Builds `structure` again with its leaves taken in order from `flat_sequence`."""
    flat = list(flat_sequence)
    expected = len(flatten(structure))
    if len(flat) != expected:
        raise ValueError(
            f"pack_sequence_as: the structure has {expected} leaves but `flat_sequence` has "
            f"{len(flat)} elements. Received: structure={structure!r}"
        )
    position = iter(flat)

    def fill(node):
        if not _is_node(node):
            return next(position)
        return _rebuild(node, [fill(child) for child in _children(node)])

    return fill(structure)


def _map(func, first, rest, is_leaf, mismatch):
    if is_leaf(first):
        return func(first, *rest)
    if not _is_node(first):
        return first  # None with none_is_leaf=False
    for other in rest:
        if not _same_kind(first, other):
            raise ValueError(mismatch(first, other))
    children = [
        _map(func, child, [_children(other)[i] for other in rest], is_leaf, mismatch)
        for i, child in enumerate(_children(first))
    ]
    return _rebuild(first, children)


def _mismatch(first, other):
    return ("Structures don't have the same nested structure: expected "
            f"{type(first).__name__} {first!r}, got {type(other).__name__} {other!r}.")


@keras_name("keras.tree.map_structure")
def map_structure(func, *structures, none_is_leaf=True):
    """Applies `func` to the leaves of `structures` (all nested alike); keeps the nesting.

    Args:
        func: Callable taking one argument per structure.
        *structures: Structures with the same layout.
        none_is_leaf: When False, `None` entries are kept as `None` without calling `func`.
    """
    if not callable(func):
        raise TypeError(f"map_structure: `func` must be callable. Received: {func!r}")
    if not structures:
        raise ValueError("map_structure: must provide at least one structure.")

    def is_leaf(x):
        return not _is_node(x) and (none_is_leaf or x is not None)

    def check_leaves(*args):
        if len(args) > 1 and any(_is_node(a) or (not none_is_leaf and a is None)
                                 for a in args[1:]):
            raise ValueError("Structures don't have the same nested structure.")
        return func(*args)

    first, rest = structures[0], list(structures[1:])
    if not none_is_leaf:
        for other in rest:
            _check_nones(first, other)
    return _map(check_leaves, first, rest, is_leaf, _mismatch)


def _check_nones(a, b):
    if (a is None) != (b is None) and not (_is_node(a) or _is_node(b)):
        raise ValueError("Structures don't have the same nested structure.")


@keras_name("keras.tree.map_structure_up_to")
def map_structure_up_to(shallow_structure, func, *structures):
    """Like `map_structure`, but only down to the leaves of `shallow_structure`: `func`
    receives whatever subtrees of `structures` sit at those places."""
    if not structures:
        raise ValueError("map_structure_up_to: must provide at least one structure.")

    def call(shallow, *args):
        if shallow is None:
            raise ValueError("Structures don't have the same nested structure.")
        return func(*args)

    return _map(call, shallow_structure, list(structures), lambda x: not _is_node(x),
                _mismatch)


@keras_name("keras.tree.assert_same_structure")
def assert_same_structure(a, b, check_types=None):
    """Raises `ValueError` unless `a` and `b` are nested the same way (same container types).

    Args:
        a: A structure.
        b: A structure.
        check_types: Deprecated, has no effect.
    """
    if check_types is not None:
        warnings.warn(
            "The `check_types` argument is deprecated and no longer has any effect; for a "
            "looser check use `keras.tree.assert_same_paths()`.",
            DeprecationWarning,
            stacklevel=2,
        )

    def check(a_leaf, b_leaf):
        if _is_node(b_leaf):
            raise ValueError(_mismatch(a_leaf, b_leaf))

    _map(check, a, [b], lambda x: not _is_node(x), _mismatch)


@keras_name("keras.tree.assert_same_paths")
def assert_same_paths(a, b):
    """Raises `ValueError` unless `a` and `b` have the same leaf paths (container types may
    differ: a list and a tuple of the same length match)."""
    a_paths, b_paths = set(_paths(a)), set(_paths(b))
    if a_paths != b_paths:
        message = "`a` and `b` don't have the same paths."
        if a_paths - b_paths:
            message += f"\nPaths in `a` missing in `b`:\n{a_paths - b_paths}"
        if b_paths - a_paths:
            message += f"\nPaths in `b` missing in `a`:\n{b_paths - a_paths}"
        raise ValueError(message)


@keras_name("keras.tree.traverse")
def traverse(func, structure, top_down=True):
    """Walks `structure` depth first, letting `func` replace subtrees.

    Top-down, `func` sees each node before its children: a non-None return replaces the node
    (its children are not visited), None continues into the children. Bottom-up, `func` sees
    each node with its children already processed; None keeps the node. Return `MAP_TO_NONE`
    to put `None` in the output.
    """
    if not callable(func):
        raise TypeError(f"traverse: `func` must be callable. Received: {func!r}")

    def children_done(node):
        if not _is_node(node):
            return node
        return _rebuild(node, [traverse(func, c, top_down) for c in _children(node)])

    if top_down:
        result = func(structure)
        if result is None:
            return children_done(structure)
    else:
        done = children_done(structure)
        result = func(done)
        if result is None:
            return done
    return None if result is MAP_TO_NONE else result


@keras_name("keras.tree.lists_to_tuples")
def lists_to_tuples(structure):
    """The same structure with every list turned into a tuple."""
    return traverse(lambda x: tuple(x) if isinstance(x, list) else None, structure,
                    top_down=False)


def _is_shape(x):
    return isinstance(x, (list, tuple)) and all(isinstance(d, (int, type(None))) for d in x)


@keras_name("keras.tree.map_shape_structure")
def map_shape_structure(func, structure):
    """`map_structure` that treats shape tuples (tuples/lists of ints and None) as leaves."""
    if _is_shape(structure) or not _is_node(structure):
        return func(structure)
    return _rebuild(structure, [map_shape_structure(func, c) for c in _children(structure)])
