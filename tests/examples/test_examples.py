"""The programs in examples/ run and do what they print (shortened training)."""

import importlib.util
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _load(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_keras2_classic_program_learns_iris_and_reloads_h5():
    accuracy, same = _load("keras2_classic").main(epochs=40)
    assert accuracy >= 0.85
    assert same


def test_keras3_functional_program_learns_and_reloads_keras_archive():
    accuracy, same = _load("keras3_functional").main(epochs=20)
    assert accuracy >= 0.85
    assert same


def test_transfer_learning_freezes_then_fine_tunes_an_application_offline():
    head_accuracy, tuned_accuracy, base_unchanged, base_changed = \
        _load("transfer_learning").main()
    assert base_unchanged and base_changed
    # "not blue" for every image scores 2/3; the frozen pretrained features do better
    assert head_accuracy >= 0.75
    assert tuned_accuracy >= 0.75


def test_distributed_training_runs_on_eight_simulated_devices():
    # A subprocess: the 8 simulated devices must be set before JAX starts.
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("XLA_FLAGS", None)
    done = subprocess.run([sys.executable, str(EXAMPLES / "distributed_training.py"),
                           "--epochs=3"], env=env, capture_output=True, text=True, timeout=600)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULTS ")]
    assert lines, f"the example failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    results = json.loads(lines[-1][len("RESULTS "):])
    assert "8 devices" in done.stdout
    assert set(results) == {"data_parallel", "model_parallel", "fsdp"}
    # The same model, seed and global batches: the three layouts train alike.
    reference = results["data_parallel"]["loss"]
    assert reference[-1] < reference[0]
    for result in results.values():
        assert result["kernel_shape"] == [16, 64]
        assert all(abs(a - b) < 1e-4 for a, b in zip(result["loss"], reference))
        assert result["reload_max_difference"] < 1e-5
    assert results["data_parallel"]["kernel_shard_shape"] == [16, 64]  # replicated
    assert results["model_parallel"]["kernel_shard_shape"] == [16, 32]  # 2 "model" shards
    assert results["fsdp"]["kernel_shard_shape"] == [16, 8]  # 8 shards
