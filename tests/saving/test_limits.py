"""The loading limits: the byte budget (charged before allocation), how to raise it, and the
JSON config checks."""

import json

import numpy as np
import pytest

import neokeras as nk
from neokeras.saving import limits

from conftest import make_mlp


@pytest.fixture(autouse=True)
def restore_limits():
    saved = dict(limits._settings)
    yield
    limits._settings.clear()
    limits._settings.update(saved)


def test_default_budget_is_half_the_available_memory(monkeypatch):
    monkeypatch.delenv(limits.ENV_MAX_BYTES, raising=False)
    monkeypatch.setattr(limits, "_available_memory", lambda: 8 * 2**30)
    assert nk.saving.get_load_limits()["max_bytes"] == 4 * 2**30
    monkeypatch.setenv(limits.ENV_MAX_BYTES, "12345")
    assert limits.max_bytes() == 12345
    nk.saving.set_load_limits(max_bytes=999)
    assert limits.max_bytes() == 999


def test_available_memory_respects_rlimit_data(monkeypatch):
    resource = pytest.importorskip("resource")
    monkeypatch.setattr(resource, "getrlimit", lambda which: (
        (3 * 2**30, resource.RLIM_INFINITY) if which == resource.RLIMIT_DATA
        else (resource.RLIM_INFINITY, resource.RLIM_INFINITY)))
    monkeypatch.setattr(limits, "_process_usage", lambda field: 2**30 if field == "VmData" else 0)
    assert limits._available_memory() <= 2 * 2**30


@pytest.mark.parametrize("ext", ["keras", "h5", "weights.h5"])
def test_model_over_the_budget_is_refused_before_allocating(tmp_path, ext):
    big = nk.Sequential([nk.Input((100,)), nk.layers.Dense(1000, name="wide"), nk.layers.Dense(1)])
    path = tmp_path / f"m.{ext}"
    (big.save_weights if ext == "weights.h5" else big.save)(path)
    previous = nk.saving.set_load_limits(max_bytes=200_000)
    assert previous == {"max_bytes": None}
    pattern = (r"variable '(sequential\w*/)?wide/kernel' \(shape \(100, 1000\), float32\) "
               r"needs 390.6 KiB, "
               r"which with the .* already loaded exceeds the loading limit of 195.3 KiB\. .*"
               r"set_load_limits\(max_bytes=\.\.\.\) or the environment variable "
               r"NEOKERAS_MAX_LOAD_BYTES")
    with pytest.raises(nk.saving.LoadLimitError, match=pattern):
        if ext == "weights.h5":
            nk.Sequential([nk.Input((100,)), nk.layers.Dense(1000, name="wide"),
                           nk.layers.Dense(1)]).load_weights(path)
            pytest.skip("building the model is not part of load_weights")
        nk.models.load_model(path)
    nk.saving.set_load_limits(max_bytes=None)
    loaded = nk.models.load_model(path) if ext != "weights.h5" else None
    if loaded is not None:
        np.testing.assert_array_equal(loaded.layers[0].kernel.numpy(), big.layers[0].kernel.numpy())


def test_archive_member_counts_against_the_budget(tmp_path):
    model = make_mlp(compile=False)
    model.save(tmp_path / "m.keras")
    nk.saving.set_load_limits(max_bytes=4000)  # config.json and the variables fit
    with pytest.raises(nk.saving.LoadLimitError, match="archive member 'model.weights.h5'"):
        nk.models.load_model(tmp_path / "m.keras")


def test_budget_outside_loading_is_not_applied():
    nk.saving.set_load_limits(max_bytes=10)
    assert nk.layers.Dense(100).build((None, 100)) is None  # no limit outside loaders


@pytest.mark.parametrize("text, error, match", [
    ('{"a": 1, "a": 2}', ValueError, "duplicate key 'a'"),
    ("[" * 100 + "]" * 100, limits.LoadLimitError, "nested more than 64 levels"),
    ("[" * 100_000 + "]" * 100_000, limits.LoadLimitError, "nested too deeply|more than 64"),
    (json.dumps([0] * 2_000_001), limits.LoadLimitError, "more than 2000000 values"),
    ("{not json", ValueError, "is not valid JSON"),
    (b"\xff\xfe", ValueError, "not UTF-8"),
    ("1" * 5000, ValueError, "is not valid JSON"),
])
def test_parse_json_limits(text, error, match):
    with pytest.raises(error, match=match):
        limits.parse_json(text, "the config")


def test_config_size_limit_and_model_from_json():
    nk.saving.set_load_limits(max_config_bytes=100)
    with pytest.raises(limits.LoadLimitError, match="over the limit of 100 bytes for configs"):
        nk.models.model_from_json(make_mlp(compile=False).to_json())


def test_layer_count_limit():
    nk.saving.set_load_limits(max_layers=2)
    with pytest.raises(limits.LoadLimitError, match="lists 3 layers, over the limit of 2"):
        nk.models.model_from_json(make_mlp(compile=False).to_json())


@pytest.mark.parametrize("kwargs, error", [
    ({"max_bytes": -1}, ValueError), ({"max_layers": None}, ValueError),
    ({"max_layers": 1.5}, ValueError), ({"bogus": 1}, TypeError)])
def test_set_load_limits_validates(kwargs, error):
    with pytest.raises(error):
        nk.saving.set_load_limits(**kwargs)
