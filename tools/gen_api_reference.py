"""Writes the reference list of a Keras distribution's public names, one `namespace.name` a line.

Run where the reference Keras is installed (Keras 3.15.1 is a test dependency; tf-keras 2.21 needs
TensorFlow, so run it in a throwaway environment):

    .venv/bin/python tools/gen_api_reference.py keras > tests/api_reference/keras_3_15_1.txt
    python tools/gen_api_reference.py tf_keras > tests/api_reference/tf_keras_2_21.txt

Names are written with the root spelled `keras` either way. Modules are listed as names of their
parent and walked; private names (leading underscore) and the `src` tree are skipped.
"""

import importlib
import sys
import types


def public_names(root_name):
    root = importlib.import_module(root_name)
    seen_modules = set()
    names = set()

    def walk(module, public_path):
        if id(module) in seen_modules:
            return
        seen_modules.add(id(module))
        for attr in sorted(dir(module)):
            if attr.startswith("_") or attr == "src":
                continue
            try:
                value = getattr(module, attr)
            except Exception:  # a lazy module that fails to import still names a public path
                names.add(f"{public_path}.{attr}")
                continue
            if isinstance(value, types.ModuleType):
                module_name = getattr(value, "__name__", "")
                # Only namespaces of this distribution; re-exported third-party modules are not API.
                if not module_name.startswith(root_name + ".") or ".src." in module_name + ".":
                    continue
                names.add(f"{public_path}.{attr}")
                walk(value, f"{public_path}.{attr}")
            else:
                names.add(f"{public_path}.{attr}")

    walk(root, "keras")
    return sorted(names)


if __name__ == "__main__":
    print("\n".join(public_names(sys.argv[1] if len(sys.argv) > 1 else "keras")))
