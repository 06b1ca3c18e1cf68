"""The compiled training loop of `fit` (backend/jax/trainer.py): weights are updated in place."""

import re

import jax
import numpy as np
import pytest

import neokeras as keras


def _loop_copies(hlo):
    """Shapes of the non-scalar copies outside the program's entry computation (that is, in the
    loop over steps and what it calls): each one runs on every step."""
    copies, computation = [], None
    for line in hlo.splitlines():
        head = re.match(r"^(ENTRY )?%\S+ ", line)
        if head and line.rstrip().endswith("{"):
            computation = "entry" if head.group(1) else "nested"
        elif computation == "nested":
            copy = re.search(r"= (\S+) copy\(", line)
            if copy and not re.match(r"[a-z0-9]+\[\]", copy.group(1)):
                copies.append(copy.group(1))
    return copies


@pytest.mark.skipif(jax.default_backend() != "cpu", reason="XLA:CPU's copy insertion")
def test_fused_steps_update_weights_in_place():
    # The second and third kernels are read by the backward pass (input gradients) before Adam
    # writes their new values; XLA:CPU's default copy insertion copied both on every step.
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(4, activation="softmax")])
    model.compile(keras.optimizers.Adam(), "sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    x, y = rng.random((64, 8), dtype=np.float32), rng.integers(0, 4, 64)
    seen = {}
    model.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)
    key = ("chunk", "train", False)
    chunk = model._functions[key]

    def spy(*args):
        seen["args"] = jax.tree_util.tree_map(
            lambda a: jax.ShapeDtypeStruct(a.shape, a.dtype), args)
        return chunk(*args)

    model._functions[key] = spy
    model.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)
    assert seen["args"][2].shape[0] > 1  # several steps per compiled call: a loop
    hlo = chunk.lower(*seen["args"]).compile().as_text()
    assert "while" in hlo
    assert _loop_copies(hlo) == []
