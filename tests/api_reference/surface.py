"""Reading the committed reference lists of Keras's public names and resolving them in neokeras.

A reference name is written `keras.<namespace>.<name>`; in neokeras it is
`neokeras.<namespace>.<name>`, reached by attribute access or, for modules, by import.
"""

import importlib
import pathlib
import types

HERE = pathlib.Path(__file__).parent
REFERENCES = {"keras3": "keras_3_15_1.txt", "tf_keras": "tf_keras_2_21.txt"}


def reference_names(reference):
    path = HERE / REFERENCES[reference]
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text().splitlines() if line.strip()]


def namespace_of(name):
    """`keras.layers.Dense` -> `layers`; top-level names (`keras.Model`) -> `top`."""
    parts = name.split(".")
    return parts[1] if len(parts) > 2 else "top"


def listed(reference, kind):
    """Names in `<reference>/<kind>/<namespace>.txt` files (kind: `missing` or `excluded`).

    Lines may carry a `# comment`; an excluded name must say why.
    """
    names = {}
    for path in sorted((HERE / reference / kind).glob("*.txt")):
        for line in path.read_text().splitlines():
            name, _, why = line.partition("#")
            if name.strip():
                names[name.strip()] = why.strip()
    return names


def resolve(name):
    """Returns True when neokeras has the public name `name` (spelled `keras.a.b`)."""
    parts = name.split(".")[1:]
    obj = importlib.import_module("neokeras")
    for part in parts:
        if hasattr(obj, part):
            obj = getattr(obj, part)
            continue
        if isinstance(obj, types.ModuleType):
            try:
                obj = importlib.import_module(f"{obj.__name__}.{part}")
                continue
            except ImportError:
                return False
        return False
    return True


def coverage(reference):
    """Per-namespace (present, total) counts and the overall share."""
    counts = {}
    for name in reference_names(reference):
        present, total = counts.get(namespace_of(name), (0, 0))
        counts[namespace_of(name)] = (present + resolve(name), total + 1)
    present = sum(p for p, _ in counts.values())
    total = sum(t for _, t in counts.values())
    return counts, present / max(total, 1)
