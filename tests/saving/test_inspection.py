"""`neokeras.saving.inspect` and `python -m neokeras.saving`."""

import subprocess
import sys

import neokeras as nk
from neokeras.saving.__main__ import main

from conftest import make_mlp


def test_inspect_keras_archive_lists_everything(tmp_path):
    class Twice(nk.layers.Layer):
        def call(self, x):
            return x * 2

    nk.saving.register_keras_serializable(package="insp")(Twice)
    model = nk.Sequential([nk.layers.Input((3,)), nk.layers.Dense(4, name="d"), Twice(name="t")])
    model.save(tmp_path / "m.keras")
    lines = []
    info = nk.saving.inspect(tmp_path / "m.keras", print_fn=lines.append)
    text = "\n".join(lines)
    assert info["format"].startswith("keras") and info["keras_version"]
    assert ("d", "Dense", None, "keras.layers") in info["layers"]
    assert info["custom_objects"] == ["insp>Twice"]
    assert info["weights"]["layers/dense/vars/0"] == (3, 4)
    assert "t (insp>Twice)" in text and "Custom objects needed: insp>Twice" in text
    # Nothing was built: inspecting does not need the custom class to be registered.
    from neokeras.saving import object_registration

    object_registration._GLOBAL_CUSTOM_OBJECTS.pop("insp>Twice")
    assert nk.saving.inspect(tmp_path / "m.keras", print_fn=lambda s: None)["custom_objects"] \
        == ["insp>Twice"]


def test_inspect_legacy_files(tmp_path):
    model = make_mlp()
    model.save(tmp_path / "m.h5")
    model.save_weights(tmp_path / "w.h5")
    info = nk.saving.inspect(tmp_path / "m.h5", print_fn=lambda s: None)
    assert info["format"].startswith("h5 (legacy Keras HDF5 model)") and info["compiled"]
    assert [entry[1] for entry in info["layers"]] == ["InputLayer", "Dense", "Dense"]
    assert info["weights"]["model_weights/dense/dense/kernel:0"] == (3, 4)
    info = nk.saving.inspect(tmp_path / "w.h5", print_fn=lambda s: None)
    assert info["format"] == "h5 (legacy Keras weights)"
    assert [entry[0] for entry in info["layers"]] == ["dense", "dense_1"]


def test_cli(tmp_path, capsys):
    make_mlp(compile=False).save_weights(tmp_path / "w.weights.h5")
    assert main([str(tmp_path / "w.weights.h5")]) == 0
    out = capsys.readouterr().out
    assert "weights.h5 (Keras 3 weights)" in out and "layers/dense_1/vars/0: (4, 2)" in out
    (tmp_path / "junk").write_bytes(b"nope")
    assert main([str(tmp_path / "junk")]) == 1
    assert "neither a .keras archive" in capsys.readouterr().err
    assert main([]) == 2


def test_cli_entry_point_runs_as_module(tmp_path):
    make_mlp(compile=False).save(tmp_path / "m.keras")
    result = subprocess.run([sys.executable, "-m", "neokeras.saving", str(tmp_path / "m.keras")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Model class: Sequential" in result.stdout
