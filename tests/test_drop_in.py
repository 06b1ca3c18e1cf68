"""The drop-in: `import keras` resolves to neokeras only after an explicit opt-in.

Each case runs in a fresh interpreter, since the import system is process-wide state.
"""

import os
import pathlib
import subprocess
import sys
import textwrap

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


def run_python(code, *args, cwd=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, *args] if not code else
                          [sys.executable, "-c", textwrap.dedent(code), *args],
                          capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


def test_without_opt_in_import_keras_is_real_keras():
    pytest.importorskip("keras")
    result = run_python("""
        import neokeras, keras
        assert not keras.__name__.startswith("neo") and "neokeras" not in keras.__file__
        assert keras.layers.Dense is not neokeras.layers.Dense
        print("real", keras.__version__)
        """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("real 3.")


def test_install_as_keras_maps_every_keras_module_to_neokeras():
    result = run_python("""
        import neokeras
        neokeras.install_as_keras()
        neokeras.install_as_keras()  # a second call is harmless
        import keras
        import keras.layers
        import keras.backend as K
        from keras.layers import Dense
        from keras.models import Sequential
        from keras.src.saving import saving_lib
        from keras.src import ops as src_ops
        assert Dense is neokeras.layers.Dense and keras.layers is neokeras.layers
        assert Sequential is neokeras.models.Sequential and keras.Model is neokeras.Model
        assert K.mean is neokeras.backend.mean
        assert src_ops.matmul is neokeras.ops.matmul
        assert keras.__version__ == keras.version() == "3.15.1"
        assert neokeras.__version__ != keras.__version__
        star = {}
        exec("from keras import *", star)  # keras-tuner's backend module does this
        assert star["layers"] is neokeras.layers and star["Model"] is neokeras.Model
        assert star["applications"] is neokeras.applications  # loaded on first use
        assert star["version"]() == "3.15.1" and "__version__" not in star
        try:
            import keras.no_such_module
        except ModuleNotFoundError:
            pass
        else:
            raise AssertionError("a missing module must not import")
        print("ok")
        """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_install_after_real_keras_was_imported_is_an_error():
    pytest.importorskip("keras")
    result = run_python("""
        import keras, neokeras
        try:
            neokeras.install_as_keras()
        except RuntimeError as error:
            print(error)
        """)
    assert result.returncode == 0, result.stderr
    assert "must run before `keras` is imported" in result.stdout


def test_keras_src_saving_lib_round_trips_a_model(tmp_path):
    result = run_python(f"""
        import neokeras
        neokeras.install_as_keras()
        import numpy as np
        import keras
        from keras.src.saving.saving_lib import load_model, save_model
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        path = {str(tmp_path / "m.keras")!r}
        save_model(model, path)
        x = np.ones((1, 3), "float32")
        np.testing.assert_allclose(load_model(path).predict(x, verbose=0), model.predict(x, verbose=0))
        print("ok")
        """)
    assert result.returncode == 0, result.stderr


def test_run_passes_arguments_and_runs_as_main(tmp_path):
    script = tmp_path / "prog.py"
    script.write_text("import sys, keras\n"
                      "if __name__ == '__main__':\n"
                      "    print(type(keras.layers.Dense(1)).__module__, sys.argv[1:])\n")
    result = run_python(None, "-m", "neokeras", "run", str(script), "a", "--b")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "neokeras.layers.core.dense ['a', '--b']"


def test_run_without_a_script_prints_usage():
    result = run_python(None, "-m", "neokeras", "run", "no_such_script.py")
    assert result.returncode == 2
    assert "no such script" in result.stderr and "usage" in result.stderr


@pytest.mark.parametrize("example, expected", [
    ("keras2_unedited.py", "accuracy"),
    ("keras3_unedited.py", "reloaded predictions equal: True"),
])
def test_unedited_keras_programs_run(example, expected, tmp_path):
    result = run_python(None, "-m", "neokeras", "run", str(ROOT / "examples" / example),
                        str(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout
    accuracy = float(result.stdout.split("accuracy")[1].split()[0].strip(","))
    assert accuracy > 0.8
