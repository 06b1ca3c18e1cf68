"""Prints neokeras's share of each reference list's public names, per namespace.

    .venv/bin/python tools/api_coverage.py            # the shares
    .venv/bin/python tools/api_coverage.py --write-missing keras3
        # rewrites tests/api_reference/keras3/missing/*.txt from what is absent now
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests"))

from api_reference import surface  # noqa: E402


def write_missing(reference):
    excluded = surface.listed(reference, "excluded")
    by_namespace = {}
    for name in surface.reference_names(reference):
        if name not in excluded and not surface.resolve(name):
            by_namespace.setdefault(surface.namespace_of(name), []).append(name)
    folder = surface.HERE / reference / "missing"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    for namespace, names in by_namespace.items():
        (folder / f"{namespace}.txt").write_text("\n".join(names) + "\n")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--write-missing":
        write_missing(sys.argv[2])
        return
    for reference in surface.REFERENCES:
        counts, share = surface.coverage(reference)
        if not counts:
            continue
        print(f"{reference}: {share:.1%} of {sum(t for _, t in counts.values())} public names")
        for namespace, (present, total) in sorted(counts.items()):
            print(f"  {namespace:20s} {present:4d} / {total:4d}")


if __name__ == "__main__":
    main()
