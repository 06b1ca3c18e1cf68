"""Convolution ops and layers: numpy references, finite differences, and real Keras 3."""

import numpy as np
import pytest

import neokeras
from neokeras import layers
from neokeras import ops
from neokeras.testing import check_layer

RNG = np.random.default_rng(42)


def _randn(*shape):
    return RNG.standard_normal(shape).astype("float32")


def _numpy_conv2d(x, kernel, strides, dilation, groups):
    """Direct 'valid' 2D cross-correlation, channels_last, grouped, with loops."""
    batch, rows, cols, _ = x.shape
    kh, kw, cin_g, filters = kernel.shape
    eh, ew = (kh - 1) * dilation[0] + 1, (kw - 1) * dilation[1] + 1
    out_rows = (rows - eh) // strides[0] + 1
    out_cols = (cols - ew) // strides[1] + 1
    fpg = filters // groups
    out = np.zeros((batch, out_rows, out_cols, filters), np.float64)
    for i in range(out_rows):
        for j in range(out_cols):
            patch = x[:, i * strides[0]:i * strides[0] + eh:dilation[0],
                      j * strides[1]:j * strides[1] + ew:dilation[1], :]
            for f in range(filters):
                g = f // fpg
                out[:, i, j, f] = np.sum(patch[..., g * cin_g:(g + 1) * cin_g]
                                         * kernel[..., f], axis=(1, 2, 3))
    return out


# ---------------------------------------------------------------- ops


@pytest.mark.parametrize("strides,dilation,groups", [((1, 1), (1, 1), 1), ((2, 1), (1, 1), 2),
                                                     ((1, 1), (2, 3), 1), ((3, 2), (1, 1), 4)])
def test_conv_matches_numpy_loops(strides, dilation, groups):
    x = _randn(2, 9, 10, 4)
    kernel = _randn(3, 2, 4 // groups, 4)
    got = ops.conv(x, kernel, strides=strides, dilation_rate=dilation)
    np.testing.assert_allclose(np.asarray(got), _numpy_conv2d(x, kernel, strides, dilation,
                                                              groups), rtol=1e-4, atol=1e-4)


def test_conv_same_padding_and_channels_first_agree_with_channels_last():
    x = _randn(1, 7, 6, 3)
    kernel = _randn(3, 3, 3, 2)
    last = np.asarray(ops.conv(x, kernel, strides=2, padding="same"))
    assert last.shape == (1, 4, 3, 2)  # ceil(7 / 2), ceil(6 / 2)
    # "same" pads (out - 1) * stride + k - n zeros, the extra one at the end: rows get 1 + 1
    # (top-left output sees rows 0:2 against kernel rows 1:), columns 0 + 1 (columns 0:3).
    np.testing.assert_allclose(last[0, 0, 0], np.einsum("ijc,ijcf->f", x[0, :2, :3],
                                                        kernel[1:, :]), rtol=1e-5, atol=1e-5)
    first = ops.conv(np.moveaxis(x, -1, 1), kernel, strides=2, padding="same",
                     data_format="channels_first")
    np.testing.assert_allclose(np.moveaxis(np.asarray(first), 1, -1), last, rtol=1e-5,
                               atol=1e-5)


def test_conv_transpose_is_the_adjoint_of_conv():
    # <conv(x, k), y> == <x, conv_transpose(y, k)> for the same geometry ("valid", stride 2).
    x = _randn(2, 9, 8, 3)
    kernel = _randn(3, 3, 3, 5)
    y = _randn(2, 4, 3, 5)
    forward = np.asarray(ops.conv(x, kernel, strides=2))
    assert forward.shape == y.shape
    # conv_transpose's kernel is (spatial, out_channels, in_channels): the same array.
    back = np.asarray(ops.conv_transpose(y, kernel, strides=2, output_padding=(0, 1)))
    assert back.shape == x.shape
    np.testing.assert_allclose(np.sum(forward * y), np.sum(x * back), rtol=1e-4)


def test_depthwise_and_separable_conv_match_per_channel_numpy():
    x = _randn(2, 6, 5, 3)
    dk = _randn(3, 2, 3, 2)
    out = np.asarray(ops.depthwise_conv(x, dk))
    assert out.shape == (2, 4, 4, 6)
    for c in range(3):
        for m in range(2):
            ref = _numpy_conv2d(x[..., c:c + 1], dk[:, :, c:c + 1, m:m + 1], (1, 1), (1, 1), 1)
            np.testing.assert_allclose(out[..., c * 2 + m], ref[..., 0], rtol=1e-4, atol=1e-4)
    pk = _randn(1, 1, 6, 4)
    sep = np.asarray(ops.separable_conv(x, dk, pk))
    np.testing.assert_allclose(sep, np.einsum("brcm,mf->brcf", out, pk[0, 0]), rtol=1e-4,
                               atol=1e-4)


def test_pooling_ops_match_numpy():
    x = _randn(2, 6, 4, 3)
    windows = x.reshape(2, 3, 2, 2, 2, 3)
    np.testing.assert_allclose(np.asarray(ops.max_pool(x, 2)), windows.max(axis=(2, 4)))
    np.testing.assert_allclose(np.asarray(ops.average_pool(x, 2)), windows.mean(axis=(2, 4)),
                               rtol=1e-6)
    # "same" average pooling divides by the number of real inputs in each window: 4 columns
    # in windows of 3 get one padded column on each side, so the last window holds columns 2:4.
    y = np.asarray(ops.average_pool(x, (3, 3), strides=(3, 3), padding="same"))
    assert y.shape == (2, 2, 2, 3)
    np.testing.assert_allclose(y[:, 1, 1], x[:, 3:6, 2:4].mean(axis=(1, 2)), rtol=1e-5)


@pytest.mark.parametrize("name", ["conv", "conv_transpose", "depthwise_conv", "max_pool",
                                  "average_pool"])
def test_op_gradients_match_finite_differences(name):
    x = RNG.standard_normal((1, 5, 5, 2))
    kernel = RNG.standard_normal((2, 2, 2, 2))
    fns = {
        "conv": lambda x_, k_: ops.conv(x_, k_, strides=2, padding="same"),
        "conv_transpose": lambda x_, k_: ops.conv_transpose(x_, k_, strides=2, padding="same"),
        "depthwise_conv": lambda x_, k_: ops.depthwise_conv(x_, k_, dilation_rate=2),
        "max_pool": lambda x_, k_: ops.max_pool(x_, 2, 1) * k_[0, 0, 0, 0],
        "average_pool": lambda x_, k_: ops.average_pool(x_, 3, 2, "same") * k_[0, 0, 0, 0],
    }
    from jax import test_util

    test_util.check_grads(fns[name], (x, kernel), order=1, modes=["rev"], atol=1e-2,
                          rtol=1e-2, eps=1e-3)


def test_op_errors_are_clear():
    with pytest.raises(ValueError, match="multiple of the kernel's input channels"):
        ops.conv(_randn(1, 4, 4, 3), _randn(2, 2, 2, 1))
    with pytest.raises(ValueError, match="padding must be 'valid' or 'same'"):
        ops.conv(_randn(1, 4, 4, 3), _randn(2, 2, 3, 1), padding="full")
    with pytest.raises(ValueError, match="strides"):
        ops.max_pool(_randn(1, 4, 4, 3), 2, strides=(1, 1, 1))


# ---------------------------------------------------------------- layers: harness


@pytest.mark.parametrize("cls,kwargs,input_shape,output_shape,n_weights", [
    (layers.Conv1D, dict(filters=4, kernel_size=3, padding="causal"), (2, 6, 3), (2, 6, 4), 2),
    (layers.Conv2D, dict(filters=4, kernel_size=3, strides=2, groups=2, use_bias=False),
     (2, 7, 7, 2), (2, 3, 3, 4), 1),
    (layers.Conv3D, dict(filters=2, kernel_size=2, padding="same"), (1, 3, 3, 3, 2),
     (1, 3, 3, 3, 2), 2),
    (layers.Conv1DTranspose, dict(filters=2, kernel_size=3, strides=2), (2, 4, 3), (2, 9, 2), 2),
    (layers.Conv2DTranspose, dict(filters=3, kernel_size=3, strides=2, padding="same"),
     (2, 3, 4, 2), (2, 6, 8, 3), 2),
    (layers.DepthwiseConv2D, dict(kernel_size=3, depth_multiplier=2), (2, 5, 5, 3),
     (2, 3, 3, 6), 2),
    (layers.SeparableConv2D, dict(filters=4, kernel_size=2, padding="same"), (2, 4, 4, 3),
     (2, 4, 4, 4), 3),
])
def test_check_layer(cls, kwargs, input_shape, output_shape, n_weights):
    check_layer(cls, kwargs, input_shape=input_shape, expected_output_shape=output_shape,
                expected_trainable=n_weights, expected_non_trainable=0)


def test_cheap_layers_pass_the_harness_without_training():
    check_layer(layers.Conv3DTranspose, dict(filters=2, kernel_size=2, strides=2),
                input_shape=(1, 2, 2, 2, 3), expected_output_shape=(1, 4, 4, 4, 2),
                check_training=False)
    check_layer(layers.DepthwiseConv1D, dict(kernel_size=3, padding="same"),
                input_shape=(2, 5, 3), expected_output_shape=(2, 5, 3), check_training=False)
    check_layer(layers.SeparableConv1D, dict(filters=2, kernel_size=3, strides=2),
                input_shape=(2, 7, 3), expected_output_shape=(2, 3, 2), check_training=False)


# ---------------------------------------------------------------- layers: behaviour


def test_weight_names_shapes_and_order():
    conv = layers.Conv2D(5, (3, 2))
    conv(np.zeros((1, 6, 6, 4), "float32"))
    assert [(v.name, v.shape) for v in conv.weights] == [("kernel", (3, 2, 4, 5)),
                                                         ("bias", (5,))]
    sep = layers.SeparableConv2D(5, 3, depth_multiplier=2)
    sep(np.zeros((1, 6, 6, 4), "float32"))
    assert [(v.name, v.shape) for v in sep.weights] == [
        ("depthwise_kernel", (3, 3, 4, 2)), ("pointwise_kernel", (1, 1, 8, 5)), ("bias", (5,))]
    tr = layers.Conv2DTranspose(5, 3)
    tr(np.zeros((1, 6, 6, 4), "float32"))
    assert tr.kernel.shape == (3, 3, 5, 4)


def test_causal_conv1d_never_looks_ahead():
    conv = layers.Conv1D(2, 3, padding="causal", dilation_rate=2)
    x = _randn(1, 10, 3)
    base = np.asarray(conv(x))
    changed = x.copy()
    changed[:, 6:] += 1.0
    out = np.asarray(conv(changed))
    np.testing.assert_allclose(out[:, :6], base[:, :6])
    assert not np.allclose(out[:, 6:], base[:, 6:])


def test_channels_first_layer_equals_channels_last_layer():
    x = _randn(2, 6, 5, 3)
    last = layers.Conv2D(4, 3, padding="same", activation="relu")
    first = layers.Conv2D(4, 3, padding="same", activation="relu", data_format="channels_first")
    y_last = last(x)
    first(np.moveaxis(x, -1, 1))
    first.set_weights(last.get_weights())
    np.testing.assert_allclose(np.moveaxis(np.asarray(first(np.moveaxis(x, -1, 1))), 1, -1),
                               np.asarray(y_last), rtol=1e-5, atol=1e-5)


def test_config_holds_every_argument_and_round_trips():
    conv = layers.Conv2D(8, 3, strides=(2, 1), padding="SAME", groups=2,
                         kernel_regularizer="l2", name="c")
    config = conv.get_config()
    assert config["kernel_size"] == (3, 3) and config["strides"] == (2, 1)
    assert config["padding"] == "same" and config["data_format"] == "channels_last"
    assert config["groups"] == 2 and config["kernel_regularizer"] is not None
    clone = layers.Conv2D.from_config(config)
    assert clone.get_config() == config


def test_bad_arguments_name_the_layer_and_value():
    with pytest.raises(ValueError, match=r"Conv2D: `filters` must be a positive int.*0"):
        layers.Conv2D(0, 3)
    with pytest.raises(ValueError, match=r"Conv1D: `padding` must be one of.*'full'"):
        layers.Conv1D(2, 3, padding="full")
    with pytest.raises(ValueError, match="causal"):
        layers.Conv2D(2, 3, padding="causal")
    with pytest.raises(ValueError, match="kernel_size"):
        layers.Conv2D(2, (3, 3, 3))
    with pytest.raises(ValueError, match="cannot be combined with dilation_rate"):
        layers.Conv2D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="divisible by `groups`"):
        layers.Conv2D(3, 3, groups=2)
    with pytest.raises(ValueError, match="divisible by groups=2"):
        layers.Conv2D(4, 1, groups=2)(np.zeros((1, 3, 3, 3), "float32"))
    with pytest.raises(ValueError, match="output_padding"):
        layers.Conv2DTranspose(2, 3, strides=2, output_padding=2)
    conv = layers.Conv2D(2, 1)
    conv(np.zeros((1, 3, 3, 3), "float32"))
    with pytest.raises(ValueError, match="expects input with"):
        conv(np.zeros((1, 3, 3, 4), "float32"))


def test_kernel_size_int_keras2_style_and_functional_model():
    inputs = neokeras.Input((8, 8, 1))
    x = layers.Conv2D(3, 3, activation="relu")(inputs)
    assert tuple(x.shape) == (None, 6, 6, 3)
    x = layers.Conv2DTranspose(2, 3, strides=2, padding="same")(x)
    assert tuple(x.shape) == (None, 12, 12, 2)


# ---------------------------------------------------------------- layers: real Keras 3


KERAS_CASES = [
    ("Conv1D", dict(filters=4, kernel_size=3, padding="causal", dilation_rate=2), (2, 9, 6)),
    ("Conv1D", dict(filters=6, kernel_size=2, strides=2, groups=3, data_format="channels_first"),
     (2, 6, 9)),
    ("Conv2D", dict(filters=4, kernel_size=3, strides=2, padding="same", groups=2,
                    activation="relu"), (2, 7, 7, 6)),
    ("Conv2D", dict(filters=4, kernel_size=(2, 3), dilation_rate=(2, 1),
                    data_format="channels_first"), (2, 6, 7, 7)),
    ("Conv3D", dict(filters=2, kernel_size=2, strides=(1, 2, 1), padding="same"),
     (1, 4, 5, 4, 3)),
    ("Conv1DTranspose", dict(filters=3, kernel_size=4, strides=3), (2, 4, 6)),
    ("Conv1DTranspose", dict(filters=3, kernel_size=3, strides=2, padding="same",
                             output_padding=0), (2, 4, 6)),
    ("Conv2DTranspose", dict(filters=3, kernel_size=3, strides=2, padding="same"), (2, 4, 5, 6)),
    ("Conv2DTranspose", dict(filters=3, kernel_size=(3, 4), strides=2, output_padding=1,
                             data_format="channels_first"), (2, 6, 4, 5)),
    ("Conv2DTranspose", dict(filters=2, kernel_size=2, dilation_rate=2, padding="same"),
     (1, 4, 4, 3)),
    ("Conv3DTranspose", dict(filters=2, kernel_size=3, strides=2, padding="same"),
     (1, 2, 3, 2, 3)),
    ("DepthwiseConv2D", dict(kernel_size=3, depth_multiplier=2, padding="same"), (2, 5, 5, 3)),
    ("DepthwiseConv1D", dict(kernel_size=3, dilation_rate=2, data_format="channels_first"),
     (2, 3, 9)),
    ("SeparableConv2D", dict(filters=4, kernel_size=3, depth_multiplier=2, strides=2),
     (2, 7, 7, 3)),
    ("SeparableConv1D", dict(filters=4, kernel_size=3, padding="same"), (2, 7, 3)),
]


@pytest.mark.parametrize("name,kwargs,input_shape", KERAS_CASES)
def test_matches_keras(name, kwargs, input_shape):
    keras = pytest.importorskip("keras")
    x = _randn(*input_shape)
    # The weights are overwritten below; constant initializers skip compiling random draws.
    kernels = {"Depthwise": ["depthwise"], "Separable": ["depthwise", "pointwise"]}
    for kernel in next((v for k, v in kernels.items() if name.startswith(k)), ["kernel"]):
        kwargs = {**kwargs, f"{kernel}_initializer": "ones"}
    ours, theirs = getattr(layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)
    ours(x)
    theirs(x)
    assert [v.name for v in ours.weights] == [v.path.split("/")[-1] for v in theirs.weights]
    weights = [_randn(*w.shape) for w in theirs.get_weights()]
    ours.set_weights(weights)
    theirs.set_weights(weights)
    np.testing.assert_allclose(np.asarray(ours(x)), np.asarray(theirs(x)), rtol=1e-5,
                               atol=1e-5)
    assert set(ours.get_config()) == set(theirs.get_config())


def test_keras_loads_our_config():
    keras = pytest.importorskip("keras")
    config = layers.Conv2D(4, 3, strides=2, padding="same", activation="relu").get_config()
    theirs = keras.layers.Conv2D.from_config(config)
    assert theirs.strides == (2, 2) and theirs.padding == "same" and theirs.filters == 4
