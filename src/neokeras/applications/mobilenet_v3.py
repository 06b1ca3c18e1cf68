"""MobileNetV3 Small and Large (Howard et al., 2019)."""

import warnings

from neokeras import config
from neokeras import layers
from neokeras.api_export import keras_name
from neokeras.applications import _common
from neokeras.applications import imagenet_utils
from neokeras.applications.mobilenet_v2 import _make_divisible
from neokeras.applications.mobilenet_v2 import check_input_tensor
from neokeras.models.functional import Functional

_URL = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v3/"
# (with top, without top) MD5 hashes of Keras's weight files.
_HASHES = {
    "large_224_0.75_float": ("765b44a33ad4005b3ac83185abf1d0eb",
                             "40af19a13ebea4e2ee0c676887f69a2e"),
    "large_224_1.0_float": ("59e551e166be033d707958cf9e29a6a7",
                            "07fb09a5933dd0c8eaafa16978110389"),
    "large_minimalistic_224_1.0_float": ("675e7b876c45c57e9e63e6d90a36599c",
                                         "ec5221f64a2f6d1ef965a614bdae7973"),
    "small_224_0.75_float": ("cb65d4e5be93758266aa0a7f2c6708b7",
                             "ebdb5cc8e0b497cd13a7c275d475c819"),
    "small_224_1.0_float": ("8768d4c2e7dee89b9d02b2d03d65d862",
                            "d3e8ec802a04aa4fc771ee12a9a9b836"),
    "small_minimalistic_224_1.0_float": ("99cd97fb2fcdad2bf028eb838de69e37",
                                         "cde8136e733e811080d9fcd8a252f7e4"),
}
# Inverted residual blocks: (expansion, filters, kernel, stride, squeeze-excite, activation);
# kernel "k", se True and activation "act" take the variant's (minimalistic or not) choice.
_SMALL = ((1, 16, 3, 2, True, "relu"), (72 / 16, 24, 3, 2, False, "relu"),
          (88 / 24, 24, 3, 1, False, "relu"), (4, 40, "k", 2, True, "act"),
          (6, 40, "k", 1, True, "act"), (6, 40, "k", 1, True, "act"), (3, 48, "k", 1, True, "act"),
          (3, 48, "k", 1, True, "act"), (6, 96, "k", 2, True, "act"), (6, 96, "k", 1, True, "act"),
          (6, 96, "k", 1, True, "act"))
_LARGE = ((1, 16, 3, 1, False, "relu"), (4, 24, 3, 2, False, "relu"),
          (3, 24, 3, 1, False, "relu"), (3, 40, "k", 2, True, "relu"),
          (3, 40, "k", 1, True, "relu"), (3, 40, "k", 1, True, "relu"),
          (6, 80, 3, 2, False, "act"), (2.5, 80, 3, 1, False, "act"), (2.3, 80, 3, 1, False, "act"),
          (2.3, 80, 3, 1, False, "act"), (6, 112, 3, 1, True, "act"), (6, 112, 3, 1, True, "act"),
          (6, 160, "k", 2, True, "act"), (6, 160, "k", 1, True, "act"),
          (6, 160, "k", 1, True, "act"))


def _depth(v):
    return _make_divisible(v, 8)


def _relu(x):
    return layers.ReLU()(x)


def _hard_sigmoid(x):
    return layers.ReLU(6.0)(x + 3.0) * (1.0 / 6.0)


def _hard_swish(x):
    return layers.Activation("hard_swish")(x)


def _channel_axis():
    return 1 if config.image_data_format() == "channels_first" else -1


def _bn(name):
    return layers.BatchNormalization(axis=_channel_axis(), epsilon=1e-3, momentum=0.999,
                                     name=name)


def _se_block(inputs, filters, se_ratio, prefix):
    x = layers.GlobalAveragePooling2D(keepdims=True, name=f"{prefix}squeeze_excite_avg_pool")(
        inputs)
    x = layers.Conv2D(_depth(filters * se_ratio), kernel_size=1, padding="same",
                      name=f"{prefix}squeeze_excite_conv")(x)
    x = layers.ReLU(name=f"{prefix}squeeze_excite_relu")(x)
    x = layers.Conv2D(filters, kernel_size=1, padding="same",
                      name=f"{prefix}squeeze_excite_conv_1")(x)
    x = _hard_sigmoid(x)
    return layers.Multiply(name=f"{prefix}squeeze_excite_mul")([inputs, x])


def _inverted_res_block(x, expansion, filters, kernel_size, stride, se_ratio, activation,
                        block_id):
    shortcut = x
    prefix = "expanded_conv_"
    infilters = x.shape[_channel_axis()]
    if block_id:
        prefix = f"expanded_conv_{block_id}_"
        x = layers.Conv2D(_depth(infilters * expansion), kernel_size=1, padding="same",
                          use_bias=False, name=f"{prefix}expand")(x)
        x = _bn(f"{prefix}expand_bn")(x)
        x = activation(x)
    if stride == 2:
        x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, kernel_size),
                                 name=f"{prefix}depthwise_pad")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=stride,
                               padding="same" if stride == 1 else "valid", use_bias=False,
                               name=f"{prefix}depthwise")(x)
    x = _bn(f"{prefix}depthwise_bn")(x)
    x = activation(x)
    if se_ratio:
        x = _se_block(x, _depth(infilters * expansion), se_ratio, prefix)
    x = layers.Conv2D(filters, kernel_size=1, padding="same", use_bias=False,
                      name=f"{prefix}project")(x)
    x = _bn(f"{prefix}project_bn")(x)
    if stride == 1 and infilters == filters:
        x = layers.Add(name=f"{prefix}add")([shortcut, x])
    return x


def _input_shape(input_shape, input_tensor):
    channels_last = config.image_data_format() == "channels_last"
    if input_shape is None and input_tensor is not None:
        # Keras swaps rows and columns here; kept so that shapes match its models.
        if channels_last:
            rows, cols = input_tensor.shape[1], input_tensor.shape[2]
            return (cols, rows, 3)
        rows, cols = input_tensor.shape[2], input_tensor.shape[3]
        return (3, cols, rows)
    if input_shape is None:
        return (None, None, 3) if channels_last else (3, None, None)
    return tuple(input_shape)


def MobileNetV3(blocks, last_point_ch, input_shape=None, alpha=1.0, model_type="large",
                minimalistic=False, include_top=True, weights="imagenet", input_tensor=None,
                classes=1000, pooling=None, dropout_rate=0.2, classifier_activation="softmax",
                include_preprocessing=True, name=None):
    """A MobileNetV3 made of the inverted residual `blocks` (see `_SMALL` and `_LARGE`)."""
    _common.check_weights(weights, include_top, classes, name)
    check_input_tensor(input_tensor, input_shape, name)
    input_shape = _input_shape(input_shape, input_tensor)
    rows, cols = input_shape[0:2] if config.image_data_format() == "channels_last" \
        else input_shape[1:3]
    if rows and cols and (rows < 32 or cols < 32):
        raise ValueError(f"{name}: input size must be at least 32x32. "
                         f"Received: input_shape={input_shape}")
    if weights == "imagenet":
        if (not minimalistic and alpha not in (0.75, 1.0)) or (minimalistic and alpha != 1.0):
            raise ValueError(f"{name}: ImageNet weights exist for alpha 0.75 and 1.0 "
                             f"(minimalistic: 1.0 only). Received: alpha={alpha}, "
                             f"minimalistic={minimalistic}")
        if rows != cols or rows != 224:
            warnings.warn("`input_shape` is undefined, not square, or not 224x224: the weights "
                          "for 224x224 inputs are loaded.", stacklevel=2)
    img_input = _common.image_input(input_tensor, input_shape, name)
    if minimalistic:
        kernel, activation, se_ratio = 3, _relu, None
    else:
        kernel, activation, se_ratio = 5, _hard_swish, 0.25
    x = img_input
    if include_preprocessing:
        x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(x)
    x = layers.Conv2D(16, kernel_size=3, strides=(2, 2), padding="same", use_bias=False,
                      name="conv")(x)
    x = _bn("conv_bn")(x)
    x = activation(x)
    for block_id, (expansion, filters, k, stride, se, act) in enumerate(blocks):
        x = _inverted_res_block(x, expansion, _depth(filters * alpha),
                                kernel if k == "k" else k, stride, se_ratio if se else None,
                                activation if act == "act" else _relu, block_id)
    last_conv_ch = _depth(x.shape[_channel_axis()] * 6)
    if alpha > 1.0:
        last_point_ch = _depth(last_point_ch * alpha)
    x = layers.Conv2D(last_conv_ch, kernel_size=1, padding="same", use_bias=False,
                      name="conv_1")(x)
    x = _bn("conv_1_bn")(x)
    x = activation(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Conv2D(last_point_ch, kernel_size=1, padding="same", use_bias=True,
                          name="conv_2")(x)
        x = activation(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate)(x)
        x = layers.Conv2D(classes, kernel_size=1, padding="same", name="logits")(x)
        x = layers.Flatten()(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    else:
        x = _common.global_pool(x, pooling, "avg_pool", "max_pool")
    model = Functional(_common.source_inputs(input_tensor, img_input), x, name=name)
    key = f"{model_type}{'_minimalistic' if minimalistic else ''}_224_{alpha}_float"
    fname = f"weights_mobilenet_v3_{key}{'.h5' if include_top else '_no_top_v2.h5'}"
    file_hash = _HASHES.get(key, (None, None))[0 if include_top else 1]
    return _common.load_weights(model, weights, fname, _URL + fname, file_hash)


_DOC = """Instantiates the {name} architecture.

    Args:
        input_shape: Optional shape tuple (at least 32x32); any size by default.
        alpha: Width multiplier (ImageNet weights exist for 0.75 and 1.0).
        minimalistic: Use 3x3 kernels, ReLU and no squeeze-and-excite (a smaller, simpler net).
        include_top: Whether to include the classifier.
        weights: `None`, `"imagenet"` or the path to a weights file.
        input_tensor: Optional symbolic tensor to use as image input.
        classes: Number of classes, with `include_top=True` and no pretrained weights.
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"` global pooling.
        dropout_rate: Dropout rate before the classifier.
        classifier_activation: Activation of the top layer (`None` returns logits).
        include_preprocessing: Rescale inputs from [0, 255] to [-1, 1] inside the model.
        name: Name of the model.

    Returns:
        A `Model`.
"""


@keras_name("keras.applications.MobileNetV3Small")
def MobileNetV3Small(input_shape=None, alpha=1.0, minimalistic=False, include_top=True,
                     weights="imagenet", input_tensor=None, classes=1000, pooling=None,
                     dropout_rate=0.2, classifier_activation="softmax",
                     include_preprocessing=True, name="MobileNetV3Small"):
    return MobileNetV3(_SMALL, 1024, input_shape, alpha, "small", minimalistic, include_top,
                       weights, input_tensor, classes, pooling, dropout_rate,
                       classifier_activation, include_preprocessing, name=name)


@keras_name("keras.applications.MobileNetV3Large")
def MobileNetV3Large(input_shape=None, alpha=1.0, minimalistic=False, include_top=True,
                     weights="imagenet", input_tensor=None, classes=1000, pooling=None,
                     dropout_rate=0.2, classifier_activation="softmax",
                     include_preprocessing=True, name="MobileNetV3Large"):
    return MobileNetV3(_LARGE, 1280, input_shape, alpha, "large", minimalistic, include_top,
                       weights, input_tensor, classes, pooling, dropout_rate,
                       classifier_activation, include_preprocessing, name=name)


MobileNetV3Small.__doc__ = _DOC.format(name="MobileNetV3Small")
MobileNetV3Large.__doc__ = _DOC.format(name="MobileNetV3Large")


@keras_name("keras.applications.mobilenet_v3.preprocess_input")
def preprocess_input(x, data_format=None):
    """Returns `x` unchanged: MobileNetV3 models rescale their inputs themselves.

    Args:
        x: Images with values in [0, 255].
        data_format: Ignored; kept for API compatibility.
    """
    return x


@keras_name("keras.applications.mobilenet_v3.decode_predictions")
def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions; see `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
