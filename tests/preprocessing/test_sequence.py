"""`preprocessing.sequence` against tf-keras 2.21 outputs (tools/gen_preprocessing_fixtures.py)."""

import json
import pathlib
import random

import numpy as np
import pytest

from neokeras import layers, models
from neokeras.preprocessing import sequence

FIXTURES = json.loads((pathlib.Path(__file__).parent / "data" / "sequence.json").read_text())
DATA = np.arange(60, dtype="float32").reshape(30, 2)
TARGETS = np.arange(30) * 10


@pytest.mark.parametrize("case", FIXTURES["timeseries"], ids=lambda c: json.dumps(c["kwargs"]))
def test_timeseries_generator(case):
    np.random.seed(5)
    gen = sequence.TimeseriesGenerator(DATA, TARGETS, **case["kwargs"])
    assert len(gen) == case["len"]
    for i in range(len(gen)):
        x, y = gen[i]
        np.testing.assert_array_equal(x, case["x"][i])
        np.testing.assert_array_equal(y, case["y"][i])
    if case["config"] is not None:
        assert json.loads(gen.to_json())["config"] == case["config"]


def test_timeseries_generator_feeds_fit():
    gen = sequence.TimeseriesGenerator(DATA, TARGETS.astype("float32"), length=4, batch_size=8)
    model = models.Sequential([layers.Input((4, 2)), layers.Flatten(), layers.Dense(1)])
    model.compile("sgd", "mse")
    assert len(model.fit(gen, epochs=1, verbose=0).history["loss"]) == 1


def test_timeseries_generator_errors():
    with pytest.raises(ValueError, match="same length"):
        sequence.TimeseriesGenerator(DATA, TARGETS[:3], length=2)
    with pytest.raises(ValueError, match="end_index"):
        sequence.TimeseriesGenerator(DATA, TARGETS, length=40)


@pytest.mark.parametrize("size", ["1", "10", "100"])
def test_make_sampling_table(size):
    np.testing.assert_allclose(sequence.make_sampling_table(int(size)),
                               FIXTURES["sampling_table"][size], rtol=1e-12)


@pytest.mark.parametrize("case", FIXTURES["skipgrams"], ids=lambda c: json.dumps(c["kwargs"]))
def test_skipgrams(case):
    kwargs = dict(case["kwargs"])
    if kwargs.pop("sampling_table"):
        kwargs["sampling_table"] = sequence.make_sampling_table(10, sampling_factor=0.3)
    random.seed(42)
    couples, labels = sequence.skipgrams([1, 5, 0, 3, 3, 7, 2, 9, 0, 4, 6, 1], 10, **kwargs)
    assert couples == case["couples"]
    assert labels == case["labels"]
