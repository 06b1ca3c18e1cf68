"""`neokeras.tree`: utilities for nested structures (`keras.tree`)."""

from neokeras.tree.tree_api import MAP_TO_NONE  # noqa: F401
from neokeras.tree.tree_api import assert_same_paths  # noqa: F401
from neokeras.tree.tree_api import assert_same_structure  # noqa: F401
from neokeras.tree.tree_api import flatten  # noqa: F401
from neokeras.tree.tree_api import flatten_with_path  # noqa: F401
from neokeras.tree.tree_api import is_nested  # noqa: F401
from neokeras.tree.tree_api import lists_to_tuples  # noqa: F401
from neokeras.tree.tree_api import map_shape_structure  # noqa: F401
from neokeras.tree.tree_api import map_structure  # noqa: F401
from neokeras.tree.tree_api import map_structure_up_to  # noqa: F401
from neokeras.tree.tree_api import pack_sequence_as  # noqa: F401
from neokeras.tree.tree_api import traverse  # noqa: F401
