"""KerasFileEditor against real Keras 3's on files both write: the weights read, the edits
saved, compare() verdicts, and edited files loading into both."""

import h5py
import numpy as np
import pytest

import neokeras
from neokeras.saving import KerasFileEditor


def _model(module, units=4, compile=True):
    inputs = module.Input((3,))
    x = module.layers.Dense(units, name="a")(inputs)
    model = module.Model(inputs, module.layers.Dense(1, name="b")(x))
    if compile:
        model.compile(module.optimizers.Adam(name="adam"), "mse")
        rng = np.random.default_rng(0)
        model.fit(rng.normal(size=(8, 3)), rng.normal(size=(8, 1)), epochs=1, verbose=0)
    return model


def _prune(tree):
    """Keras keeps an empty dict for a group whose objects hold no weights."""
    pruned = {k: _prune(v) if isinstance(v, dict) else v for k, v in tree.items()}
    return {k: v for k, v in pruned.items() if not isinstance(v, dict) or v}


def _assert_trees_equal(ours, theirs):
    assert isinstance(ours, dict) and isinstance(theirs, dict)
    assert list(ours) == list(theirs)
    for key in ours:
        if isinstance(theirs[key], dict):
            _assert_trees_equal(ours[key], theirs[key])
        else:
            np.testing.assert_array_equal(ours[key], theirs[key])
            assert np.asarray(ours[key]).dtype == np.asarray(theirs[key]).dtype


def _h5_tree(path):
    """{dataset path: array} of a weights file."""
    found = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: found.__setitem__(name, obj[()])
                     if isinstance(obj, h5py.Dataset) else None)
    return found


@pytest.fixture
def files(tmp_path, real_keras):
    """A compiled and trained model's .keras and .weights.h5 files, written by each side."""
    paths = {}
    for module, who in ((real_keras, "keras"), (neokeras, "neokeras")):
        model = _model(module)
        paths[who, "keras"] = tmp_path / f"{who}.keras"
        paths[who, "h5"] = tmp_path / f"{who}.weights.h5"
        model.save(paths[who, "keras"])
        model.save_weights(paths[who, "h5"])
    return paths


@pytest.mark.parametrize("writer", ["keras", "neokeras"])
@pytest.mark.parametrize("kind", ["keras", "h5"])
def test_reads_what_keras_reads(files, real_keras, writer, kind, capsys):
    path = str(files[writer, kind])
    theirs = real_keras.saving.KerasFileEditor(path)
    ours = KerasFileEditor(path)
    _assert_trees_equal(ours.weights_dict, _prune(theirs.weights_dict))
    assert ours.object_metadata == {k: {n: str(v) for n, v in m.items()}
                                    for k, m in theirs.object_metadata.items()}
    assert ours.config == theirs.config and ours.metadata == theirs.metadata
    assert list(ours.weights_dict) == ["layers", "optimizer"]
    assert len(ours.weights_dict["optimizer"]) == 10  # iteration, rate, 2 slots x 4 variables
    out = capsys.readouterr().out
    assert f"Keras model file '{path}'" in out


def _edit(editor):
    # By path: Keras's name lookup miscounts names that occur once at depth 2 or more.
    editor.rename_object("layers/dense_1", "head")
    editor.delete_weight("layers/dense", "1")
    editor.add_weights("layers/dense", {"1": np.full((4,), 0.5, "float32")})
    editor.delete_object("optimizer")
    editor.add_object("layers/extra", {"0": np.arange(6, dtype="float32").reshape(2, 3)})


@pytest.mark.parametrize("writer", ["keras", "neokeras"])
def test_edits_save_the_same_file_as_keras(files, real_keras, writer, tmp_path):
    source = str(files[writer, "keras"])
    theirs, ours = real_keras.saving.KerasFileEditor(source), KerasFileEditor(source)
    _edit(theirs)
    _edit(ours)
    theirs.save(str(tmp_path / "theirs.weights.h5"))
    ours.save(tmp_path / "ours.weights.h5")
    expected, got = _h5_tree(tmp_path / "theirs.weights.h5"), _h5_tree(tmp_path / "ours.weights.h5")
    assert sorted(got) == sorted(expected) == [
        "layers/dense/vars/0", "layers/dense/vars/1", "layers/extra/vars/0",
        "layers/head/vars/0", "layers/head/vars/1"]
    for key in expected:
        np.testing.assert_array_equal(got[key], expected[key])


def test_edited_file_loads_into_both(files, real_keras, tmp_path):
    """The classic use: the file of a model whose last layer changed width."""
    editor = KerasFileEditor(str(files["keras", "h5"]))
    kernel = np.linspace(-1, 1, 8, dtype="float32").reshape(4, 2)
    editor.delete_object("layers/dense_1")
    editor.delete_object("optimizer")
    editor.add_object("layers/dense_1", {"0": kernel, "1": np.zeros(2, "float32")})
    editor.save(tmp_path / "edited.weights.h5")
    loaded = []
    for module in (neokeras, real_keras):
        inputs = module.Input((3,))
        x = module.layers.Dense(4, name="a")(inputs)
        model = module.Model(inputs, module.layers.Dense(2, name="b")(x))
        model.load_weights(tmp_path / "edited.weights.h5")
        loaded.append(model.get_weights())
    np.testing.assert_array_equal(loaded[0][2], kernel)
    for a, b in zip(*loaded):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("units, errors, matches", [(4, 0, 4), (5, 3, 1)])
def test_compare_with_a_model(files, real_keras, units, errors, matches, tmp_path, capsys):
    source = str(tmp_path / "plain.weights.h5")
    _model(real_keras, compile=False).save_weights(source)
    expected = real_keras.saving.KerasFileEditor(source).compare(
        _model(real_keras, units, compile=False))
    result = KerasFileEditor(source).compare(_model(neokeras, units, compile=False))
    # Keras's counts add nested objects' counts twice; the verdict is what agrees.
    assert result["status"] == expected["status"]
    assert result == {"status": "error" if errors else "success", "error_count": errors,
                      "match_count": matches}
    out = capsys.readouterr().out
    if errors:
        assert "...Weight shape mismatch for /layers/dense/0" in out
        assert "Found 3 errors: saved file is not compatible" in out
    else:
        assert "Comparison successful" in out and "Found 4 matching weights" in out


def test_edits_by_unique_name(files):
    editor = KerasFileEditor(str(files["neokeras", "h5"]))
    editor.rename_object("dense_1", "head")
    editor.add_weights("head", {"2": np.ones(1, "float32")})
    editor.delete_weight("head", "0")
    assert list(editor.weights_dict["layers"]) == ["dense", "head"]
    assert list(editor.weights_dict["layers"]["head"]) == ["1", "2"]


def test_compare_reports_missing_objects_on_both_sides(files, capsys):
    editor = KerasFileEditor(str(files["neokeras", "h5"]))
    editor.delete_object("dense")
    editor.add_object("layers/ghost", {"0": np.zeros(2, "float32")})
    model = _model(neokeras)
    result = editor.compare(model)
    assert result == {"status": "error", "error_count": 2, "match_count": 12}
    out = capsys.readouterr().out
    assert "...Object /layers/dense present in reference model, missing from saved file" in out
    assert "...Object /layers/ghost present in saved file, missing from reference model" in out


def test_nested_models_keep_their_weights(tmp_path):
    inner = neokeras.Sequential([neokeras.Input((4,)), neokeras.layers.Dense(2)], name="sub")
    inputs = neokeras.Input((3,))
    model = neokeras.Model(inputs, inner(neokeras.layers.Dense(4)(inputs)))
    model.save_weights(tmp_path / "nested.weights.h5")
    editor = KerasFileEditor(tmp_path / "nested.weights.h5")
    assert editor.weights_dict["layers"]["sequential"]["layers"]["dense"]["0"].shape == (4, 2)
    assert editor.compare(model)["status"] == "success"
    editor.save(tmp_path / "copy.weights.h5")
    copy = _h5_tree(tmp_path / "copy.weights.h5")
    assert sorted(copy) == sorted(_h5_tree(tmp_path / "nested.weights.h5"))


def test_summary_prints_the_tree_with_names(files, capsys):
    editor = KerasFileEditor(str(files["keras", "h5"]))
    capsys.readouterr()
    editor.summary()
    lines = capsys.readouterr().out.splitlines()
    assert lines[:5] == ["Weights structure", "  > layers", "  │   ├─ dense ('a')",
                         "  │   │   ├─ 0: shape=(3, 4), dtype=float32",
                         "  │   │   └─ 1: shape=(4,), dtype=float32"]
    assert "  └─ optimizer ('adam')" in lines


@pytest.mark.parametrize("call, match", [
    (lambda e: e.rename_object("dense", "layers/x"), "should be a leaf name"),
    (lambda e: e.rename_object("layers/nothing", "x"), "Path 'layers/nothing' not found"),
    (lambda e: e.delete_object("0"), "occurs more than once"),
    (lambda e: e.delete_object("nothing"), "does not appear in the model"),
    (lambda e: e.delete_weight("dense", "7"), r"Weight 7 not found in object dense. "
                                              r"Weights found: \['0', '1'\]"),
    (lambda e: e.add_weights("dense", [1]), "should be a dict"),
    (lambda e: e.add_object("layers/x", np.ones(2)), "should be a dict"),
    (lambda e: e.add_object("nowhere/x", {}), "Path 'nowhere' not found"),
    (lambda e: e.save("out.h5"), "expected a `.weights.h5` extension"),
])
def test_bad_edits(files, call, match):
    editor = KerasFileEditor(str(files["neokeras", "h5"]))
    with pytest.raises(ValueError, match=match):
        call(editor)


def test_bad_filename_and_links_refused(tmp_path):
    with pytest.raises(ValueError, match="expected a `.keras` or `.weights.h5` extension"):
        KerasFileEditor(tmp_path / "model.h5")
    path = tmp_path / "linked.weights.h5"
    with h5py.File(path, "w") as f:
        f.create_dataset("layers/dense/vars/0", data=np.ones(2))
        f["layers/dense/vars/1"] = h5py.SoftLink("/layers/dense/vars/0")
    with pytest.raises(ValueError, match="SoftLink"):
        KerasFileEditor(path)
