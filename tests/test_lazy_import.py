"""Lazy loading (`neokeras/lazy.py`): `import neokeras` leaves the heavy subpackages unimported,
touching a name imports its module, every lazy name resolves, and every registered serialization
name resolves from a fresh process through `registry_index.py`."""

import importlib
import json
import os
import subprocess
import sys

import pytest

import neokeras
from neokeras import api_export
from neokeras.registry_index import MODULES

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.dirname(os.path.dirname(os.path.abspath(neokeras.__file__)))

# (a name a program touches, a module that must be absent after `import neokeras` and present
# after touching the name)
_TOUCHES = [
    ("neokeras.layers.Dense", "neokeras.layers.core.dense"),
    ("neokeras.layers.RandomFlip", "neokeras.layers.preprocessing.image_preprocessing.random_flip"),
    ("neokeras.layers.MultiHeadAttention", "neokeras.layers.attention.multi_head_attention"),
    ("neokeras.layers.LSTM", "neokeras.layers.rnn.lstm"),
    ("neokeras.Layer", "neokeras.layers.layer"),
    ("neokeras.Sequential", "neokeras.models.sequential"),
    ("neokeras.Model", "neokeras.trainers.trainer"),
    ("neokeras.optimizers.Adam", "neokeras.optimizers.adam"),
    ("neokeras.losses.MeanSquaredError", "neokeras.losses.losses"),
    ("neokeras.metrics.AUC", "neokeras.metrics.confusion_metrics"),
    ("neokeras.callbacks.EarlyStopping", "neokeras.callbacks.early_stopping"),
    ("neokeras.utils.to_categorical", "neokeras.utils.numerical_utils"),
    ("neokeras.utils.bounding_boxes", "neokeras.utils.bounding_boxes.converters"),
    ("neokeras.saving.load_model", "neokeras.saving.saving_lib"),
    ("neokeras.distillation.Distiller", "neokeras.distillation.distiller"),
    ("neokeras.models.experimental", "neokeras.models.sharpness_aware_minimization"),
    ("neokeras.quantizers.Quantizer", "neokeras.quantizers.quantizers"),
    ("neokeras.export.ExportArchive", "neokeras.export.saved_model"),
    ("neokeras.datasets.mnist", "neokeras.datasets.mnist"),
    ("neokeras.distribution.DataParallel", "neokeras.distribution.distributions"),
    ("neokeras.mixed_precision.LossScaleOptimizer", "neokeras.mixed_precision"),
    ("neokeras.applications.ResNet50", "neokeras.applications.resnet"),
    ("neokeras.legacy", "neokeras.legacy"),
    ("neokeras.visualization", "neokeras.visualization"),
]


def _run(code):
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_import_leaves_heavy_subpackages_unimported_and_a_touch_imports_them():
    code = (f"import json, sys\nimport neokeras\ntouches = {_TOUCHES!r}\n"
            "before = [m for _, m in touches if m in sys.modules]\n"
            "after = []\n"
            "for expression, module in touches:\n"
            "    eval(expression)\n"
            "    after.append(module in sys.modules)\n"
            "print(json.dumps([before, after]))")
    before, after = _run(code)
    assert before == []
    assert after == [True] * len(_TOUCHES), [t for t, ok in zip(_TOUCHES, after) if not ok]


@pytest.mark.parametrize("spelling", [
    "from neokeras.layers import RandomFlip as name",
    "from neokeras import Sequential as name",
    "import neokeras.layers as layers; name = layers.StringLookup",
    "import neokeras.backend as K; name = K.gradients",
    "from neokeras.layers import *; name = Dense",
    "from neokeras.utils import FeatureSpace as name",
])
def test_every_import_spelling_reaches_a_lazy_name(spelling):
    assert _run(f"{spelling}\nimport json\nprint(json.dumps(callable(name)))")


@pytest.mark.parametrize("package", ["neokeras", "neokeras.layers", "neokeras.models",
                                     "neokeras.saving", "neokeras.utils"])
def test_every_listed_lazy_name_resolves(package):
    module = importlib.import_module(package)
    assert set(module.__all__) <= set(dir(module))
    missing = [n for n in module.__all__ if getattr(module, n, None) is None]
    assert missing == []
    with pytest.raises(AttributeError, match="no attribute 'NoSuchName'"):
        module.NoSuchName  # noqa: B018


def test_every_registered_name_resolves_from_a_fresh_process():
    # Nothing but `import neokeras` before the lookups: each name must come through the index.
    code = ("import json\nimport neokeras\nfrom neokeras import api_export\n"
            "from neokeras.registry_index import MODULES\n"
            "names = [n for names in MODULES.values() for n in names]\n"
            "print(json.dumps([n for n in names if api_export.get_registered_object(n) is None]))")
    assert _run(code) == []


def test_serialized_names_resolve_from_a_fresh_process():
    # The user-facing paths: a Keras 3 config, a Keras 2 config, losses, metrics, optimizers and
    # activations by string, and a custom object scope, each before its module is imported.
    code = """
import json, sys
import neokeras as keras
out = {}
layer = keras.saving.deserialize_keras_object(
    {"module": "keras.layers", "class_name": "RandomFlip", "config": {"mode": "vertical"},
     "registered_name": None})
out["keras3"] = [type(layer).__name__, layer.mode]
out["keras2"] = type(keras.layers.deserialize(
    {"class_name": "GRU", "config": {"units": 2}})).__name__
out["loss"] = type(keras.losses.get("Huber")).__name__
out["metric"] = type(keras.metrics.get("AUC")).__name__
out["optimizer"] = type(keras.optimizers.deserialize(
    {"class_name": "Lamb", "config": {}})).__name__
out["activation"] = keras.activations.get("gelu").__name__
class Mine(keras.layers.Layer):
    pass
with keras.saving.custom_object_scope({"Mine": Mine}):
    out["scope"] = type(keras.saving.deserialize_keras_object(
        {"class_name": "Mine", "config": {}})).__name__
out["registered"] = keras.utils.get_registered_object("Mine", {"Mine": Mine}) is Mine
print(json.dumps(out))
"""
    assert _run(code) == {"keras3": ["RandomFlip", "vertical"], "keras2": "GRU", "loss": "Huber",
                          "metric": "AUC", "optimizer": "Lamb", "activation": "gelu",
                          "scope": "Mine", "registered": True}


def test_registry_index_is_up_to_date():
    # Regenerates the index in a fresh process (it imports every module) and compares.
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    result = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "gen_registry_index.py"),
                             "--check"], env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]


def test_index_names_the_registering_module():
    # Every name this process has registered so far sits in the index under its module.
    indexed = {name: module for module, names in MODULES.items() for name in names}
    seen = dict(api_export._NAME_TO_MODULE)
    assert seen and {name: indexed.get(name) for name in seen} == seen


@pytest.mark.slow
def test_every_module_imports_when_it_is_the_first_one_touched():
    # Lazy loading lets any module be the first imported after the foundation, so an import
    # cycle that the old fixed import order hid would now surface: import each module first, in
    # a child forked from a process that has only run `import neokeras`.
    code = """
import importlib, json, os, pkgutil, warnings
import neokeras
names = []
def walk(path, prefix):  # the module tree, from the files (importing nothing)
    for info in pkgutil.iter_modules(path, prefix):
        names.append(info.name)
        if info.ispkg:
            walk([os.path.join(path[0], info.name.rpartition(".")[2])], info.name + ".")
walk(neokeras.__path__, "neokeras.")
failed = []
for name in names:
    pid = os.fork()
    if pid == 0:
        try:
            warnings.simplefilter("error")
            importlib.import_module(name)
        except BaseException:
            os._exit(1)
        os._exit(0)
    if os.waitpid(pid, 0)[1]:
        failed.append(name)
print(json.dumps([len(names), failed]))
"""
    count, failed = _run(code)
    assert count > 300 and failed == []
