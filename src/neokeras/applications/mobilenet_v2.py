"""MobileNetV2 (Sandler et al., 2018): inverted residuals with linear bottlenecks."""

import warnings

from neokeras import config
from neokeras import layers
from neokeras.api_export import keras_name
from neokeras.applications import _common
from neokeras.applications import imagenet_utils
from neokeras.backend.common.keras_tensor import KerasTensor
from neokeras.models.functional import Functional

_URL = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/"
_SIZES = (96, 128, 160, 192, 224)
_ALPHAS = (0.35, 0.50, 0.75, 1.0, 1.3, 1.4)
# (filters, stride, expansion) of inverted residual blocks 0..16
_BLOCKS = ((16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (32, 1, 6), (64, 2, 6),
           (64, 1, 6), (64, 1, 6), (64, 1, 6), (96, 1, 6), (96, 1, 6), (96, 1, 6),
           (160, 2, 6), (160, 1, 6), (160, 1, 6), (320, 1, 6))


def _make_divisible(v, divisor, min_value=None):
    """`v` rounded to a multiple of `divisor`, never more than 10% below `v`."""
    min_value = min_value or divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


def _bn(name):
    axis = 1 if config.image_data_format() == "channels_first" else -1
    return layers.BatchNormalization(axis=axis, epsilon=1e-3, momentum=0.999, name=name)


def _inverted_res_block(inputs, expansion, stride, alpha, filters, block_id):
    axis = 1 if config.image_data_format() == "channels_first" else -1
    in_channels = inputs.shape[axis]
    pointwise_filters = _make_divisible(int(filters * alpha), 8)
    x = inputs
    prefix = f"block_{block_id}_"
    if block_id:
        x = layers.Conv2D(expansion * in_channels, kernel_size=1, padding="same",
                          use_bias=False, activation=None, name=f"{prefix}expand")(x)
        x = _bn(f"{prefix}expand_BN")(x)
        x = layers.ReLU(6.0, name=f"{prefix}expand_relu")(x)
    else:
        prefix = "expanded_conv_"
    if stride == 2:
        x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, 3), name=f"{prefix}pad")(x)
    x = layers.DepthwiseConv2D(kernel_size=3, strides=stride, activation=None, use_bias=False,
                               padding="same" if stride == 1 else "valid",
                               name=f"{prefix}depthwise")(x)
    x = _bn(f"{prefix}depthwise_BN")(x)
    x = layers.ReLU(6.0, name=f"{prefix}depthwise_relu")(x)
    x = layers.Conv2D(pointwise_filters, kernel_size=1, padding="same", use_bias=False,
                      activation=None, name=f"{prefix}project")(x)
    x = _bn(f"{prefix}project_BN")(x)
    if in_channels == pointwise_filters and stride == 1:
        return layers.Add(name=f"{prefix}add")([inputs, x])
    return x


def _spatial(shape, batched=False):
    first = (2 if batched else 1) if config.image_data_format() == "channels_first" else \
        (1 if batched else 0)
    return shape[first], shape[first + 1]


def check_input_tensor(input_tensor, input_shape, model_name):
    """`input_tensor` and `input_shape`, when both are given, must agree (Keras's check)."""
    if input_tensor is None:
        return
    if not isinstance(input_tensor, KerasTensor):
        raise ValueError(f"{model_name}: `input_tensor` must be a symbolic tensor. "
                         f"Received: {type(input_tensor).__name__}")
    if input_shape is not None:
        channels_first = config.image_data_format() == "channels_first"
        tensor_dim = input_tensor.shape[1] if channels_first else input_tensor.shape[2]
        if tensor_dim != input_shape[1]:
            raise ValueError(f"{model_name}: `input_shape` {tuple(input_shape)} does not match "
                             f"`input_tensor` of shape {tuple(input_tensor.shape)}.")


@keras_name("keras.applications.mobilenet_v2.MobileNetV2", "keras.applications.MobileNetV2")
def MobileNetV2(input_shape=None, alpha=1.0, include_top=True, weights="imagenet",
                input_tensor=None, pooling=None, classes=1000, classifier_activation="softmax",
                name=None):
    """Instantiates the MobileNetV2 architecture.

    Args:
        input_shape: Optional shape tuple (at least 32x32); default `(224, 224, 3)`.
        alpha: Width multiplier (ImageNet weights exist for 0.35, 0.5, 0.75, 1.0, 1.3, 1.4).
        include_top: Whether to include the classifier.
        weights: `None`, `"imagenet"` or the path to a weights file.
        input_tensor: Optional symbolic tensor to use as image input.
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"` global pooling.
        classes: Number of classes, with `include_top=True` and no pretrained weights.
        classifier_activation: Activation of the top layer (`None` returns logits).
        name: Name of the model (default `mobilenetv2_<alpha>_<rows>`).

    Returns:
        A `Model`.
    """
    model_name = name or "MobileNetV2"
    _common.check_weights(weights, include_top, classes, model_name)
    check_input_tensor(input_tensor, input_shape, model_name)
    default_size = 224
    if input_shape is not None:
        rows, cols = _spatial(input_shape)
    elif input_tensor is not None:
        rows, cols = _spatial(input_tensor.shape, batched=True)
    else:
        rows = cols = None
    if rows == cols and rows in _SIZES:
        default_size = rows
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, default_size=default_size, min_size=32,
        data_format=config.image_data_format(), require_flatten=include_top)
    rows, cols = _spatial(input_shape)
    if weights == "imagenet":
        if alpha not in _ALPHAS:
            raise ValueError(f"{model_name}: ImageNet weights exist for alpha in {_ALPHAS} only. "
                             f"Received: alpha={alpha}")
        if rows != cols or rows not in _SIZES:
            rows = 224
            warnings.warn("`input_shape` is undefined, not square, or its size is not one of "
                          "96, 128, 160, 192, 224: the weights for 224x224 inputs are loaded.",
                          stacklevel=2)
    img_input = _common.image_input(input_tensor, input_shape, model_name)
    x = layers.Conv2D(_make_divisible(32 * alpha, 8), kernel_size=3, strides=(2, 2),
                      padding="same", use_bias=False, name="Conv1")(img_input)
    x = _bn("bn_Conv1")(x)
    x = layers.ReLU(6.0, name="Conv1_relu")(x)
    for block_id, (filters, stride, expansion) in enumerate(_BLOCKS):
        x = _inverted_res_block(x, filters=filters, alpha=alpha, stride=stride,
                                expansion=expansion, block_id=block_id)
    last_filters = _make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = layers.Conv2D(last_filters, kernel_size=1, use_bias=False, name="Conv_1")(x)
    x = _bn("Conv_1_bn")(x)
    x = layers.ReLU(6.0, name="out_relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _common.global_pool(x, pooling)
    if name is None:
        name = f"mobilenetv2_{alpha:0.2f}_{rows}"
    model = Functional(_common.source_inputs(input_tensor, img_input), x, name=name)
    fname = (f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{float(alpha)}_{rows}"
             f"{'' if include_top else '_no_top'}.h5")
    return _common.load_weights(model, weights, fname, _URL + fname)


@keras_name("keras.applications.mobilenet_v2.preprocess_input")
def preprocess_input(x, data_format=None):
    """Scales pixels from [0, 255] to [-1, 1] ("tf" mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


@keras_name("keras.applications.mobilenet_v2.decode_predictions")
def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions; see `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
