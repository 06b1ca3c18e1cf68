import os
from pathlib import Path

import numpy as np
import pytest

import neokeras as nk

GOLDEN = Path(__file__).resolve().parents[2] / ".." / "shared" / "golden"


def make_mlp(compile=True, name=None):
    model = nk.Sequential([nk.layers.Input((3,)), nk.layers.Dense(4, activation="relu"),
                           nk.layers.Dense(2)], name=name)
    if compile:
        model.compile(optimizer=nk.optimizers.Adam(1e-2), loss="mse", metrics=["mae"])
    return model


def train(model, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(16, 3)).astype("float32")
    y = rng.normal(size=(16, 2)).astype("float32")
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    return x


@pytest.fixture
def real_keras():
    os.environ["KERAS_BACKEND"] = "jax"
    return pytest.importorskip("keras")


@pytest.fixture
def golden():
    if not GOLDEN.is_dir():
        pytest.skip(f"golden files not found at {GOLDEN} (shared/ must sit beside the repo root)")
    return GOLDEN
