"""`neokeras.tree` against real Keras's `keras.tree` on a table of structures."""

import collections

import numpy as np
import pytest

from neokeras import tree

keras = pytest.importorskip("keras")

Point = collections.namedtuple("Point", "x y")

STRUCTURES = [
    1,
    None,
    "text",
    [],
    (),
    {},
    [1],
    [1, [2, (3, None)]],
    {"b": [1, 2], "a": {"z": 3, "y": (4,)}},
    collections.OrderedDict([("b", 1), ("a", 2)]),
    collections.defaultdict(list, {"b": 1, "a": 2}),
    collections.deque([1, [2, 3]]),
    Point(1, [2, {"k": 3}]),
    {1: "a", "x": "b"},
    [np.zeros(2), {"w": np.ones(1)}],
]


def _plain(x):
    """A comparable form (arrays become lists, containers keep their type)."""
    if isinstance(x, np.ndarray):
        return ("array", x.tolist())
    if isinstance(x, dict):
        return (type(x).__name__, [(k, _plain(v)) for k, v in x.items()])
    if isinstance(x, (list, tuple, collections.deque)):
        return (type(x).__name__, [_plain(v) for v in x])
    return x


@pytest.mark.parametrize("structure", STRUCTURES, ids=repr)
def test_flatten_paths_pack_and_map_match_keras(structure):
    assert tree.is_nested(structure) == keras.tree.is_nested(structure)
    assert _plain(tree.flatten(structure)) == _plain(keras.tree.flatten(structure))
    assert _plain(tree.flatten_with_path(structure)) == _plain(keras.tree.flatten_with_path(structure))
    n = len(keras.tree.flatten(structure))
    assert _plain(tree.pack_sequence_as(structure, list(range(n)))) == _plain(
        keras.tree.pack_sequence_as(structure, list(range(n))))
    fn = lambda x: ("leaf", repr(x)[:8])  # noqa: E731
    assert _plain(tree.map_structure(fn, structure)) == _plain(keras.tree.map_structure(fn, structure))
    assert _plain(tree.map_structure(fn, structure, none_is_leaf=False)) == _plain(
        keras.tree.map_structure(fn, structure, none_is_leaf=False))
    assert _plain(tree.lists_to_tuples(structure)) == _plain(keras.tree.lists_to_tuples(structure))
    assert _plain(tree.map_shape_structure(repr, structure)) == _plain(
        keras.tree.map_shape_structure(repr, structure))
    for top_down in (True, False):
        visit = lambda x: tree.MAP_TO_NONE if type(x) is int and x == 3 else None  # noqa: E731
        keras_visit = lambda x: keras.tree.MAP_TO_NONE if type(x) is int and x == 3 else None  # noqa: E731
        assert _plain(tree.traverse(visit, structure, top_down)) == _plain(
            keras.tree.traverse(keras_visit, structure, top_down))


PAIRS = [
    ([1, 2], [3, 4], True),
    ([1, 2], (1, 2), False),
    ([1, [2]], [1, 2], False),
    ({"a": 1}, {"b": 1}, False),
    ({"a": 1, "b": [2]}, {"b": [5], "a": 9}, True),
    (Point(1, 2), (1, 2), False),
    (None, None, True),
    ([None], [1], True),
]


@pytest.mark.parametrize("a,b,same", PAIRS, ids=repr)
def test_structure_checks_match_keras(a, b, same):
    def outcome(module, fn):
        try:
            fn(module)
            return "ok"
        except (ValueError, TypeError) as e:
            return type(e).__name__

    checks = [lambda m: m.assert_same_structure(a, b),
              lambda m: m.assert_same_paths(a, b),
              lambda m: m.map_structure(lambda x, y: (x, y), a, b)]
    for check in checks:
        assert outcome(tree, check) == outcome(keras.tree, check)
    assert (outcome(tree, checks[0]) == "ok") == same
    if same:
        assert _plain(tree.map_structure(lambda x, y: (x, y), a, b)) == _plain(
            keras.tree.map_structure(lambda x, y: (x, y), a, b))


def test_map_structure_up_to_passes_subtrees():
    shallow, deep = [1, {"a": 2}], [[1, 2], {"a": (3, 4)}]
    got = tree.map_structure_up_to(shallow, lambda x: len(x), deep)
    assert got == keras.tree.map_structure_up_to(shallow, lambda x: len(x), deep) == [2, {"a": 2}]
    with pytest.raises(ValueError):
        tree.map_structure_up_to([1, 2], lambda x: x, [1])


def test_errors():
    with pytest.raises(ValueError, match="3 leaves"):
        tree.pack_sequence_as([1, [2, 3]], [1, 2])
    with pytest.raises(TypeError, match="callable"):
        tree.map_structure(3, [1])
    with pytest.raises(ValueError, match="at least one"):
        tree.map_structure(lambda x: x)
    with pytest.warns(DeprecationWarning):
        tree.assert_same_structure([1], [2], check_types=True)
