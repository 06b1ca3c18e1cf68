"""Smoke test of the seed's first example (the full seed suite lives in tests/test_seed.py)."""

from neokeras.layers import Dense
from neokeras.models import Sequential


def test_sequential_from_add_counts_layers():
    model1 = Sequential()
    model1.add(Dense(5, input_dim=2))
    model1.add(Dense(1))
    assert len(model1.layers) == 2
    assert model1.input_shape == (None, 2)
    assert model1.output_shape == (None, 1)
