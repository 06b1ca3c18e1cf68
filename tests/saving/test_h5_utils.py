"""Guarded HDF5 reads: compressed (gzip, shuffle) chunked datasets are inflated here exactly."""

import h5py
import numpy as np
import pytest

from neokeras.saving import h5_utils


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "float16"])
@pytest.mark.parametrize("filters", [{"compression": "gzip"}, {"shuffle": True},
                                     {"compression": "gzip", "shuffle": True,
                                      "compression_opts": 9}])
@pytest.mark.parametrize("shape, chunks", [((7, 5), (3, 2)), ((10,), (4,)), ((4, 4), (4, 4)),
                                           ((2, 3, 5), (1, 2, 5))])
def test_filtered_chunked_datasets_read_exactly(tmp_path, dtype, filters, shape, chunks):
    values = (np.random.default_rng(0).normal(size=shape) * 100).astype(dtype)
    with h5py.File(tmp_path / "f.h5", "w") as f:
        f.create_dataset("d", data=values, chunks=chunks, **filters)
    with h5py.File(tmp_path / "f.h5", "r") as f:
        read = h5_utils.read_dataset(f["d"], shape, "test")
    assert read.dtype == values.dtype
    np.testing.assert_array_equal(read, values)


def test_unwritten_chunks_read_as_the_fill_value(tmp_path):
    with h5py.File(tmp_path / "f.h5", "w") as f:
        dataset = f.create_dataset("d", shape=(6,), dtype="float32", chunks=(2,),
                                   compression="gzip", fillvalue=1.5)
        dataset[0:2] = [3.0, 4.0]
    with h5py.File(tmp_path / "f.h5", "r") as f:
        np.testing.assert_array_equal(h5_utils.read_dataset(f["d"], (6,), "test"),
                                      [3.0, 4.0, 1.5, 1.5, 1.5, 1.5])


@pytest.mark.parametrize("filters, name", [({"compression": "lzf"}, "lzf"),
                                           ({"fletcher32": True}, "fletcher32"),
                                           ({"scaleoffset": 0}, "scale-offset")])
def test_other_filters_are_refused_before_reading(tmp_path, filters, name):
    with h5py.File(tmp_path / "f.h5", "w") as f:
        f.create_dataset("d", data=np.arange(8, dtype="int32"), chunks=(4,), **filters)
    with h5py.File(tmp_path / "f.h5", "r") as f:
        with pytest.raises(h5_utils.UnsafeFileError, match=rf"filter\(s\) \['{name}'\]"):
            h5_utils.read_dataset(f["d"], (8,), "test")
