"""`import neokeras` stays lean (user pain #13): no optional dependency is imported by importing
the package, touching the usual names, or a small compile/fit/predict/summary; each scenario
runs in a fresh interpreter."""

import json
import os
import subprocess
import sys

import pytest

import neokeras

# Optional or foreign packages that must load only when a feature that needs them is used.
_HEAVY = ("h5py", "sklearn", "scipy", "pandas", "rich", "tensorflow", "torch", "PIL",
          "matplotlib", "cv2")

_SCENARIOS = {
    "import": "import neokeras",
    "names": "import neokeras as keras\nkeras.layers.Dense\nkeras.Sequential\nkeras.Model\n"
             "keras.ops.add\nkeras.optimizers.Adam\nkeras.losses.MeanSquaredError\n"
             "keras.callbacks.EarlyStopping\nkeras.utils.to_categorical",
    "train": "import numpy as np\nimport neokeras as keras\n"
             "m = keras.Sequential([keras.layers.Input((3,)), keras.layers.Dense(2)])\n"
             "m.compile('adam', 'mse', metrics=['mae'])\n"
             "m.fit(np.ones((4, 3)), np.ones((4, 2)), epochs=1, verbose=2)\n"
             "m.evaluate(np.ones((4, 3)), np.ones((4, 2)), verbose=0)\n"
             "m.predict(np.ones((4, 3)), verbose=0)\nm.summary()",
}


def _imported_after(code):
    src = os.path.dirname(os.path.dirname(os.path.abspath(neokeras.__file__)))
    env = dict(os.environ, PYTHONPATH=src + os.pathsep + os.environ.get("PYTHONPATH", ""))
    probe = (f"{code}\nimport json, sys\n"
             f"print(json.dumps([m for m in {list(_HEAVY)!r} if m in sys.modules]))")
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                            text=True, timeout=300, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("scenario", sorted(_SCENARIOS))
def test_no_optional_dependency_is_imported(scenario):
    assert _imported_after(_SCENARIOS[scenario]) == []


def test_the_check_sees_an_imported_package():
    # The probe is real: a package that is installed and imported shows up.
    pytest.importorskip("h5py")
    assert _imported_after("import neokeras\nimport h5py") == ["h5py"]
