"""`python -m neokeras.saving PATH...`: print what model or weights files contain."""

import sys

from neokeras.saving.inspection import inspect


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help"):
        print("usage: python -m neokeras.saving PATH [PATH ...]\n"
              "Prints the format, Keras version, layers, weight shapes and custom objects of "
              ".keras, .h5 and .weights.h5 files without building a model.")
        return 0 if args else 2
    status = 0
    for path in args:
        try:
            inspect(path)
        except (OSError, ValueError) as error:
            print(f"{path}: error: {error}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
