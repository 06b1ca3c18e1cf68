"""`python -m neokeras run script.py [args...]`: runs an unedited Keras program on neokeras.

The script runs as `__main__` with `sys.argv` set to `[script.py, args...]`, after
`neokeras.install_as_keras()`, so its `import keras` (and `keras.*`) resolve to neokeras.
"""

import os
import runpy
import sys

USAGE = "usage: python -m neokeras run SCRIPT.py [ARGS...]"


def main(argv):
    if len(argv) < 2 or argv[0] != "run":
        print(USAGE, file=sys.stderr)
        return 2
    script = argv[1]
    if not os.path.isfile(script):
        print(f"neokeras run: no such script: {script!r}\n{USAGE}", file=sys.stderr)
        return 2
    from neokeras.drop_in import install_as_keras

    install_as_keras()
    sys.argv = argv[1:]
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    runpy.run_path(script, run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
