"""`set_random_seed` makes separate processes train bit-identically."""

import os
import subprocess
import sys


SCRIPT = r"""
import hashlib, json, sys
import numpy as np
import neokeras
from neokeras import layers
neokeras.utils.set_random_seed(int(sys.argv[1]))
x = np.random.normal(size=(64, 5)).astype("float32")
y = (x.sum(1, keepdims=True) > 0).astype("float32")
model = neokeras.Sequential([layers.Dense(16, activation="relu", input_shape=(5,)),
                             layers.Dropout(0.5), layers.Dense(1, activation="sigmoid")])
model.compile("adam", "binary_crossentropy")
history = model.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=True)
digest = hashlib.sha256(b"".join(w.tobytes() for w in model.get_weights())).hexdigest()
print(json.dumps({"weights": digest, "loss": history.history["loss"]}))
"""


def _run(seed):
    env = dict(os.environ, JAX_PLATFORMS="cpu")
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(seed)], capture_output=True,
                            text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_two_processes_with_the_same_seed_are_bit_identical():
    first, second = _run(5), _run(5)
    assert first == second
