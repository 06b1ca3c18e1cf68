"""Hostile files, part II: every case loads in a child process limited to 1 GiB of data and
20 s per call, and ends in a clear Python error naming what was refused (never a crash, a hang,
a MemoryError or an internal error)."""

import re
from pathlib import Path

import pytest

import hostile_files as hf
from isolated import Worker

LAMBDA_FIXTURE = Path(__file__).parent / "fixtures" / "keras2_lambda.h5"
LIMIT = r"exceeds the loading limit of .*set_load_limits\(max_bytes=\.\.\.\)"


@pytest.fixture(scope="module")
def worker():
    worker = Worker()
    yield worker
    worker.close()


@pytest.fixture(scope="module")
def tmp(tmp_path_factory):
    return tmp_path_factory.mktemp("hostile")


CASES = [
    # (builder, loader, exception type, message pattern)
    (hf.huge_units, "load_model", "LoadLimitError", r"variable 'dense/kernel' \(shape \(3, 1000000000000\).*" + LIMIT),
    (hf.huge_input_dim_json, "model_from_json", "LoadLimitError", r"variable 's/emb/embeddings' \(shape \(1073741824, 64\)"),
    (hf.op_zeros_without_tensors, "load_model", "ValueError", r"Layer 'op': node 0 .* reads no tensor"),
    (hf.op_arange_huge, "model_from_json", "ValueError", r"reads no tensor"),
    (hf.numpy_dtype_trick, "model_from_json", "ValueError", r"array dtype '\(100000,100000\)f8'"),
    (hf.fori_loop, "load_model", "ValueError", r"ops.fori_loop.*refused .* safe mode"),
    (hf.missing_output_node, "load_model", "ValueError", r"output_layers name node 5 of layer 'd'"),
    (hf.deep_config, "load_model", "LoadLimitError", r"config.json' is nested (too deeply|more than 64 levels)"),
    (hf.long_config, "load_model", "LoadLimitError", r"config.json' holds more than 2000000 values"),
    (hf.duplicate_keys, "load_model", "ValueError", r"config.json' is not valid JSON \(duplicate key 'class_name'"),
    (hf.list_config, "load_model", "ValueError", r"config.json does not describe a model .*got list"),
    (hf.duplicate_member, "load_model", "UnsafeFileError", r"two members named 'config.json'"),
    (hf.zip_lies_small, "load_model", "ValueError", r"model.weights.h5|HDF5"),
    (hf.zip_lies_large, "load_model", "UnsafeFileError|LoadLimitError", r"model.weights.h5"),
    (hf.h5_chunk_bomb, "load_weights", "UnsafeFileError", r"compressed chunk of '/layers/dense/vars/0' is larger"),
    (hf.h5_chunk_bomb_small, "load_weights", "UnsafeFileError", r"inflates beyond its declared size"),
    (hf.h5_scale_offset, "load_weights", "UnsafeFileError", r"filter\(s\) \['scale-offset'\]"),
    (hf.h5_huge_declared_shape, "load_weights", "ValueError", r"shape \(1099511627776, 1048576\)"),
    (hf.npz_huge_shape, "restore_backup", "ValueError", r"v0|shape \(1048576, 1048576\) in the backup"),
]


@pytest.mark.parametrize("build, kind, error, pattern", CASES,
                         ids=[case[0].__name__ for case in CASES])
def test_hostile_file_is_refused_cleanly(worker, tmp, build, kind, error, pattern):
    answer = worker.call(kind, build(tmp))
    assert answer["outcome"] == "error", answer
    assert answer["type"] in error.split("|"), answer
    assert re.search(pattern, answer["message"], re.S), answer["message"]


def test_keras2_lambda_with_bytecode_is_refused_naming_safe_mode(worker, tmp):
    for kind, path in (("load_model", LAMBDA_FIXTURE),
                       ("model_from_json", hf.keras2_lambda_json(tmp, LAMBDA_FIXTURE))):
        answer = worker.call(kind, path)
        assert answer["outcome"] == "error" and answer["type"] == "ValueError", answer
        assert "bytecode" in answer["message"] and "safe_mode=False" in answer["message"]


INSPECTED = [hf.h5_path_explosion, hf.h5_hardlink_cycle, hf.deep_config, hf.list_config,
             hf.duplicate_keys, hf.zip_lies_small, hf.zip_lies_large, hf.huge_units,
             hf.h5_chunk_bomb, hf.h5_scale_offset]


@pytest.mark.parametrize("build", INSPECTED, ids=[b.__name__ for b in INSPECTED])
def test_inspector_is_bounded(worker, tmp, build):
    answer = worker.call("inspect", build(tmp))
    assert answer["outcome"] in ("ok", "error"), answer
    if answer["outcome"] == "error":
        assert answer["type"] in ("ValueError", "UnsafeFileError", "LoadLimitError"), answer


def test_hard_link_cycle_still_loads_weights(worker, tmp):
    assert worker.call("load_weights", hf.h5_hardlink_cycle(tmp)) == {"outcome": "ok"}


@pytest.mark.slow
def test_4000_layer_chain_listed_last_first_loads(worker, tmp):
    answer = worker.call("model_from_json", hf.long_chain_reversed(tmp, 4000), timeout=120)
    assert answer == {"outcome": "ok"}


def test_1000_layer_chain_listed_last_first_loads(worker, tmp):
    answer = worker.call("model_from_json", hf.long_chain_reversed(tmp, 1000), timeout=60)
    assert answer == {"outcome": "ok"}
