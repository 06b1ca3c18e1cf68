"""EinsumDense shapes and errors, and LoRA on Dense, EinsumDense and Embedding.

Outputs against real Keras 3 (LoRA included) are in test_keras_oracle.py.
"""

import numpy as np
import pytest

import neokeras as nk
from neokeras import layers
from neokeras.layers.core.einsum_dense import einsum_shapes
from neokeras.testing import check_layer


@pytest.mark.parametrize("equation,bias_axes,input_shape,output_shape,expected", [
    ("ab,bc->ac", "c", (None, 3), (4,), ([3, 4], [4], (None, 4))),
    ("abc,cde->abde", "de", (None, 5, 4), (5, 3, 2), ([4, 3, 2], [3, 2], (None, 5, 3, 2))),
    ("abc,cde->abde", "e", (None, 5, 4), (None, 3, 2), ([4, 3, 2], [2], (None, 5, 3, 2))),
    ("...b,bc->...c", "c", (None, 7, 3), (4,), ([3, 4], [4], (None, 7, 4))),
    ("ab...,bc->ac...", "c", (None, 3, 5), (4,), ([3, 4], [4, 1], (None, 4, 5))),
    ("abc,dc->abd", None, (None, 2, 3), (2, 6), ([6, 3], None, (None, 2, 6))),
])
def test_einsum_shapes(equation, bias_axes, input_shape, output_shape, expected):
    kernel, bias, out, _, _ = einsum_shapes(equation, bias_axes, input_shape, output_shape)
    assert (kernel, bias, out) == expected


@pytest.mark.parametrize("equation,output_shape,input_shape,match", [
    ("ab->ac", 4, (2, 3), "invalid einsum equation"),
    ("ab,bc->ac", (4, 5), (2, 3), r"output_shape \(4, 5\) does not fit"),
    ("abc,cd->abd", (5, 4), (2, 3, 4), "sizes differ at shared dimension 'b'"),
    ("ab,bc->acd", (4, 2), (2, 3), "output dimension 'd'"),
    ("ab,bcx->ac", 4, (2, 3), "kernel dimension 'x'"),
])
def test_einsum_errors_name_the_problem(equation, output_shape, input_shape, match):
    with pytest.raises(ValueError, match=match):
        layers.EinsumDense(equation, output_shape)(np.zeros(input_shape, "float32"))


def test_einsum_dense_harness_and_experimental_alias():
    check_layer(layers.EinsumDense, dict(equation="abc,cde->abde", output_shape=(3, 3, 2),
                                         bias_axes="e"),
                input_shape=(2, 3, 4), expected_output_shape=(2, 3, 3, 2), expected_trainable=2)
    assert nk.layers.experimental.EinsumDense is layers.EinsumDense


def test_einsum_kernel_initializer_uses_contracted_axes_as_fans():
    layer = layers.EinsumDense("ab,bcd->acd", (64, 64),
                               kernel_initializer=nk.initializers.VarianceScaling(
                                   1.0, "fan_in", "uniform", seed=1))
    layer(np.zeros((1, 16), "float32"))
    # fan_in is 16 (axis b), not 16 * 64 as the convolution rule would say.
    assert np.abs(layer.kernel.numpy()).max() == pytest.approx(np.sqrt(3 / 16), rel=0.05)


@pytest.mark.parametrize("make,x", [
    (lambda: layers.Dense(3), np.ones((4, 5), "float32")),
    (lambda: layers.EinsumDense("abc,cd->abd", (None, 3), bias_axes="d"),
     np.ones((4, 2, 5), "float32")),
    (lambda: layers.Embedding(9, 3), np.arange(8).reshape(4, 2)),
], ids=["Dense", "EinsumDense", "Embedding"])
def test_enable_lora_freezes_the_matrix_and_trains_the_factors(make, x):
    layer = make()
    before = np.asarray(layer(x))
    main = layer.weights[0]
    layer.enable_lora(2)
    assert not main.trainable
    names = [v.name for v in layer.trainable_weights]
    prefix = "lora_embeddings" if isinstance(layer, layers.Embedding) else "lora_kernel"
    assert names[-2:] == [f"{prefix}_a", f"{prefix}_b"] and main.name not in names
    assert main.name in [v.name for v in layer.non_trainable_weights]
    # B starts at zero: enabling LoRA leaves outputs unchanged.
    np.testing.assert_allclose(np.asarray(layer(x)), before, rtol=1e-6)
    model = nk.Sequential([layer])
    model.compile(optimizer=nk.optimizers.SGD(0.1), loss="mse")
    y = np.asarray(before) + 1.0
    frozen = main.numpy().copy()
    model.fit(x, y, epochs=2, verbose=0)
    np.testing.assert_array_equal(main.numpy(), frozen)
    assert np.abs(getattr(layer, f"{prefix}_b").numpy()).sum() > 0
    with pytest.raises(ValueError, match="LoRA is already enabled"):
        layer.enable_lora(2)


def test_lora_save_merges_the_update(tmp_path):
    x = np.random.default_rng(0).standard_normal((3, 4)).astype("float32")
    model = nk.Sequential([nk.Input((4,)), layers.Dense(2, lora_rank=2, lora_alpha=4)])
    dense = model.layers[0]
    dense.lora_kernel_b.assign(np.full((2, 2), 0.5, "float32"))
    expected = model.predict(x, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = nk.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-6)
    # The merged matrix went to the kernel; the factors restart from zero.
    np.testing.assert_allclose(loaded.layers[0].lora_kernel_b.numpy(), 0.0)
    assert loaded.layers[0].get_config()["lora_rank"] == 2


def test_lora_needs_a_built_layer_and_no_constraint():
    with pytest.raises(ValueError, match="needs a built layer"):
        layers.Dense(2).enable_lora(2)
    layer = layers.Dense(2, kernel_constraint="non_neg")
    layer(np.ones((1, 3), "float32"))
    with pytest.raises(ValueError, match="constraint"):
        layer.enable_lora(2)
