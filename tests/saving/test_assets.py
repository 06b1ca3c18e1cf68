"""Layers that keep files (`save_assets`/`load_assets`) or named entries
(`save_own_variables`/`load_own_variables`) in `.keras` archives, laid out as Keras does."""

import os
import zipfile

import numpy as np
import pytest

import neokeras as nk


class VocabHolder(nk.layers.Layer):
    """Holds a word list as an asset and a named array as its own variables."""

    def __init__(self, words=(), **kwargs):
        super().__init__(**kwargs)
        self.words = list(words)
        self.scale = np.ones(2, "float32")

    def call(self, x):
        return x

    def save_assets(self, dir_path):
        with open(os.path.join(dir_path, "vocabulary.txt"), "w") as f:
            f.write("\n".join(self.words))

    def load_assets(self, dir_path):
        with open(os.path.join(dir_path, "vocabulary.txt")) as f:
            self.words = f.read().splitlines()

    def save_own_variables(self, store):
        store["scale"] = self.scale

    def load_own_variables(self, store):
        self.scale = store["scale"]


@pytest.mark.parametrize("zipped", [True, False])
def test_assets_and_named_entries_round_trip(tmp_path, zipped):
    layer = VocabHolder()
    model = nk.Sequential([nk.Input((2,)), layer])
    layer.words = ["the", "cat"]
    layer.scale = np.array([2.0, 3.0], "float32")
    path = tmp_path / ("m.keras" if zipped else "m")
    model.save(path, zipped=zipped)
    if zipped:
        with zipfile.ZipFile(path) as zf:
            assert "assets/layers/vocab_holder/vocabulary.txt" in zf.namelist()
    else:
        assert (path / "assets" / "layers" / "vocab_holder" / "vocabulary.txt").is_file()
    loaded = nk.saving.load_model(path, custom_objects={"VocabHolder": VocabHolder})
    assert loaded.layers[-1].words == ["the", "cat"]
    np.testing.assert_array_equal(loaded.layers[-1].scale, [2.0, 3.0])
