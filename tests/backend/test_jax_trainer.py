"""The compiled training loop of `fit` (backend/jax/trainer.py): weights are updated in place,
and on CPU a model without convolutions runs its products in Eigen, with its kernels' input
gradients from materialized transposes (`matmul_lowering`)."""

import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import neokeras as keras
from neokeras.backend.jax import trainer


def _loop_copies(hlo):
    """Shapes of the non-scalar copies outside the program's entry computation (that is, in the
    loop over steps and what it calls): each one runs on every step. A copy of a transpose is
    the materialized kernel transpose of `matmul_lowering` (wanted), not a copy of a weight."""
    copies, computation = [], None
    for line in hlo.splitlines():
        head = re.match(r"^(ENTRY )?%\S+ ", line)
        if head and line.rstrip().endswith("{"):
            computation = "entry" if head.group(1) else "nested"
        elif computation == "nested":
            copy = re.search(r"= (\S+) copy\((?!%transpose)", line)
            if copy and not re.match(r"[a-z0-9]+\[\]", copy.group(1)):
                copies.append(copy.group(1))
    return copies


def _training_program(model, x, y, batch_size=8):
    """The optimized HLO of `model`'s compiled training chunk, as `fit` calls it, and how many
    steps that call runs."""
    model.compile(keras.optimizers.Adam(), "sparse_categorical_crossentropy")
    model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0, shuffle=False)
    key = ("chunk", "train", False)
    chunk, seen = model._functions[key], {}

    def spy(*args):
        seen["args"] = jax.tree_util.tree_map(
            lambda a: jax.ShapeDtypeStruct(a.shape, a.dtype), args)
        return chunk(*args)

    model._functions[key] = spy
    model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0, shuffle=False)
    return chunk.lower(*seen["args"]).compile().as_text(), seen["args"][2].shape[0]


def _mlp():
    return keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                             keras.layers.Dense(16, activation="relu"),
                             keras.layers.Dense(4, activation="softmax")])


def _data(shape):
    rng = np.random.default_rng(0)
    return rng.random((64,) + shape, dtype=np.float32), rng.integers(0, 4, 64)


def _transposes(hlo):
    return sorted(re.findall(r"= (f32\[[\d,]+\])\{0,1\} transpose\(", hlo))


@pytest.mark.skipif(jax.default_backend() != "cpu", reason="XLA:CPU's copy insertion")
def test_fused_steps_update_weights_in_place():
    # The second and third kernels are read by the backward pass (input gradients) before Adam
    # writes their new values; XLA:CPU's default copy insertion copied both on every step.
    hlo, steps = _training_program(_mlp(), *_data((8,)))
    assert steps > 1  # several steps per compiled call: a loop
    assert "while" in hlo
    assert _loop_copies(hlo) == []


@pytest.mark.skipif(jax.default_backend() != "cpu", reason="XLA:CPU's product libraries")
def test_dense_steps_use_eigen_with_materialized_kernel_transposes():
    hlo, _ = _training_program(_mlp(), *_data((8,)))
    assert "ynn_fusion" not in hlo  # every product in Eigen
    # The input gradients of the second and third layers (not the first: its input is data).
    assert _transposes(hlo) == ["f32[16,16]", "f32[4,16]"]


@pytest.mark.skipif(jax.default_backend() != "cpu", reason="XLA:CPU's product libraries")
def test_larger_dense_steps_multiply_no_transposed_operand():
    # 16x64x64 products: both backward products of each layer from materialized transposes of
    # batch-sized arrays, in Eigen's plain form (the lhs contracts its columns, the rhs its rows).
    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(64, activation="relu"),
                              keras.layers.Dense(64, activation="softmax")])
    hlo, _ = _training_program(model, *_data((64,)), batch_size=16)
    contractions = re.findall(
        r" dot\(.*lhs_contracting_dims=\{(\d)\}, rhs_contracting_dims=\{(\d)\}", hlo)
    assert contractions == [("1", "0")] * 5  # two forward, two kernel and one input gradient
    assert "f32[64,64]{0,1} transpose(" not in hlo  # no kernel is copied


@pytest.mark.skipif(jax.default_backend() != "cpu", reason="XLA:CPU's product libraries")
def test_convolutional_steps_keep_the_default_products():
    model = keras.Sequential([keras.Input((6, 6, 1)), keras.layers.Conv2D(2, 3),
                              keras.layers.Flatten(), keras.layers.Dense(4)])
    hlo, _ = _training_program(model, *_data((6, 6, 1)))
    assert _transposes(hlo) == []  # the Dense kernel's input gradient is not materialized


@pytest.mark.skipif(jax.default_backend() != "cpu", reason="XLA:CPU's libraries")
def test_dense_step_options_keep_products_in_eigen_and_reductions_in_ynnpack():
    # A long sum (the LSTM benchmark's bias gradient) without YNNPACK becomes a slow
    # `reduce-window`; the products are Eigen's plain `dot`s, not YNNPACK fusions.
    x, w = jnp.ones((6400, 256)), jnp.ones((256, 64))
    hlo = jax.jit(lambda x, w: (x @ w, jnp.sum(x, axis=0)),
                  compiler_options=trainer._CPU_EIGEN_OPTIONS).lower(x, w).compile().as_text()
    assert "reduce-window" not in hlo
    assert re.search(r"= f32\[6400,64\]\{1,0\} dot\(", hlo)
