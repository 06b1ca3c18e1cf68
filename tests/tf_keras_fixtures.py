"""tf-keras 2.21's behaviour for the tf-keras-only names, recorded by
tools/gen_tf_keras_names_fixtures.py (tf-keras is not installed where the tests run)."""

import functools
import json
import pathlib

PATH = pathlib.Path(__file__).parent / "data" / "tf_keras_names.json"


@functools.lru_cache(maxsize=None)
def load():
    return json.loads(PATH.read_text())
