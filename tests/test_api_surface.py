"""Every public name of real Keras exists in neokeras.

The reference lists (`tests/api_reference/*.txt`) are generated from real Keras by
`tools/gen_api_reference.py` and committed. Two per-namespace lists sit beside them:
- `<ref>/excluded/<ns>.txt`: names that are TensorFlow-only machinery, each with the reason;
- `<ref>/missing/<ns>.txt`: names not built yet. Work removes lines from these; a name that now
  exists must be removed (the test says so), so the lists stay true.
"""

import pytest

from api_reference import surface

CASES = [(ref, name) for ref in surface.REFERENCES for name in surface.reference_names(ref)]


@pytest.mark.parametrize("reference", sorted(surface.REFERENCES))
def test_every_reference_name_exists_or_is_listed(reference):
    names = surface.reference_names(reference)
    if not names:
        pytest.skip(f"no reference list for {reference}")
    excluded = surface.listed(reference, "excluded")
    missing = surface.listed(reference, "missing")
    assert all(why for why in excluded.values()), "every excluded name needs a reason"
    absent, stale = [], []
    for name in names:
        found = surface.resolve(name)
        if name in missing or name in excluded:
            if found and name in missing:
                stale.append(name)
        elif not found:
            absent.append(name)
    assert not absent, f"{reference}: neokeras lacks {len(absent)} public names: {absent[:40]}"
    assert not stale, f"{reference}: these now exist; remove them from the missing lists: {stale[:40]}"


@pytest.mark.parametrize("reference", sorted(surface.REFERENCES))
def test_listed_names_are_reference_names(reference):
    names = set(surface.reference_names(reference))
    if not names:
        pytest.skip(f"no reference list for {reference}")
    for kind in ("missing", "excluded"):
        unknown = set(surface.listed(reference, kind)) - names
        assert not unknown, f"{reference}/{kind} lists names real Keras does not have: {sorted(unknown)[:20]}"
