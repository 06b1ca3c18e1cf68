"""Fixtures of the application tests."""

import sys

import pytest

import neokeras
from neokeras.backend import random as neokeras_random


def _zeros_instead_of_draws(module, names, monkeypatch):
    def zeros(shape, *args, dtype=None, **kwargs):
        return neokeras.ops.zeros(tuple(int(d) for d in shape),
                                  dtype=dtype or neokeras.config.floatx())

    for name in names:
        monkeypatch.setattr(module, name, zeros)


@pytest.fixture(autouse=True)
def initial_weights_not_drawn(monkeypatch):
    """neokeras builds applications with zero initial weights instead of drawing them.

    No test here looks at initial values: they compare structure, or overwrite every weight (a
    weights file, golden values) before predicting. Drawing the Keras-exact initial values of a
    full-size model (up to 350M parameters) took most of its build time.
    """
    _zeros_instead_of_draws(
        neokeras_random, ("initial_normal", "initial_uniform", "initial_truncated_normal"),
        monkeypatch)


@pytest.fixture
def keras_initial_weights_not_drawn(monkeypatch):
    """The same for real Keras's builds (its initializers draw through its backend's
    `normal`, `uniform` and `truncated_normal`), for tests that compare structure only."""
    pytest.importorskip("keras")
    _zeros_instead_of_draws(sys.modules["keras.src.backend.jax.random"],
                            ("normal", "uniform", "truncated_normal"), monkeypatch)
