"""EfficientNet B0 to B7 (Tan & Le, 2019): compound-scaled mobile inverted bottlenecks."""

import math

from neokeras import config
from neokeras import layers
from neokeras.api_export import keras_name
from neokeras.applications import _common
from neokeras.applications import imagenet_utils
from neokeras.models.functional import Functional

_URL = "https://storage.googleapis.com/keras-applications/"
# (with top, without top) MD5 hashes of Keras's weight files.
_HASHES = {
    "b0": ("902e53a9f72be733fc0bcb005b3ebbac", "50bc09e76180e00e4465e1a485ddc09d"),
    "b1": ("1d254153d4ab51201f1646940f018540", "74c4e6b3e1f6a1eea24c589628592432"),
    "b2": ("b15cce36ff4dcbd00b6dd88e7857a6ad", "111f8e2ac8aa800a7a99e3239f7bfb39"),
    "b3": ("ffd1fdc53d0ce67064dc6a9c7960ede0", "af6d107764bb5b1abb91932881670226"),
    "b4": ("18c95ad55216b8f92d7e70b3a046e2fc", "ebc24e6d6c33eaebbd558eafbeedf1ba"),
    "b5": ("ace28f2a6363774853a83a0b21b9421a", "38879255a25d3c92d5e44e04ae6cec6f"),
    "b6": ("165f6e37dce68623721b423839de8be5", "9ecce42647a20130c1f39a5d4cb75743"),
    "b7": ("8c03f828fec3ef71311cd463b6759d99", "cbcfe4450ddf6f3ad90b1b398090fe4a"),
}
_FIELDS = ("kernel_size", "repeats", "filters_in", "filters_out", "expand_ratio", "id_skip",
           "strides", "se_ratio")
DEFAULT_BLOCKS_ARGS = [dict(zip(_FIELDS, row)) for row in (
    (3, 1, 32, 16, 1, True, 1, 0.25), (3, 2, 16, 24, 6, True, 2, 0.25),
    (5, 2, 24, 40, 6, True, 2, 0.25), (3, 3, 40, 80, 6, True, 2, 0.25),
    (5, 3, 80, 112, 6, True, 1, 0.25), (5, 4, 112, 192, 6, True, 2, 0.25),
    (3, 1, 192, 320, 6, True, 1, 0.25))]
CONV_KERNEL_INITIALIZER = {"class_name": "VarianceScaling",
                           "config": {"scale": 2.0, "mode": "fan_out",
                                      "distribution": "truncated_normal"}}
DENSE_KERNEL_INITIALIZER = {"class_name": "VarianceScaling",
                            "config": {"scale": 1.0 / 3.0, "mode": "fan_out",
                                       "distribution": "uniform"}}
# The ImageNet weights store the standard deviations where the variances belong; the extra
# rescaling below (as in Keras) corrects for it.
IMAGENET_STDDEV_RGB = [0.229, 0.224, 0.225]


def _bn_axis():
    return 3 if config.image_data_format() == "channels_last" else 1


def block(inputs, activation="swish", drop_rate=0.0, name="", filters_in=32, filters_out=16,
          kernel_size=3, strides=1, expand_ratio=1, se_ratio=0.0, id_skip=True):
    """Mobile inverted bottleneck: expand, depthwise conv, squeeze-excite, project."""
    bn_axis = _bn_axis()
    filters = filters_in * expand_ratio
    if expand_ratio != 1:
        x = layers.Conv2D(filters, 1, padding="same", use_bias=False,
                          kernel_initializer=CONV_KERNEL_INITIALIZER,
                          name=f"{name}expand_conv")(inputs)
        x = layers.BatchNormalization(axis=bn_axis, name=f"{name}expand_bn")(x)
        x = layers.Activation(activation, name=f"{name}expand_activation")(x)
    else:
        x = inputs
    if strides == 2:
        x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, kernel_size),
                                 name=f"{name}dwconv_pad")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=strides,
                               padding="valid" if strides == 2 else "same", use_bias=False,
                               depthwise_initializer=CONV_KERNEL_INITIALIZER,
                               name=f"{name}dwconv")(x)
    x = layers.BatchNormalization(axis=bn_axis, name=f"{name}bn")(x)
    x = layers.Activation(activation, name=f"{name}activation")(x)
    if 0 < se_ratio <= 1:
        x = squeeze_excite(x, filters, max(1, int(filters_in * se_ratio)), activation, name)
    x = layers.Conv2D(filters_out, 1, padding="same", use_bias=False,
                      kernel_initializer=CONV_KERNEL_INITIALIZER, name=f"{name}project_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, name=f"{name}project_bn")(x)
    if id_skip and strides == 1 and filters_in == filters_out:
        if drop_rate > 0:
            x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
        x = layers.add([x, inputs], name=f"{name}add")
    return x


def squeeze_excite(x, filters, filters_se, activation, name):
    """Channel gating: global pool, reduce, expand to a sigmoid gate, multiply."""
    se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
    se_shape = (1, 1, filters) if _bn_axis() == 3 else (filters, 1, 1)
    se = layers.Reshape(se_shape, name=f"{name}se_reshape")(se)
    se = layers.Conv2D(filters_se, 1, padding="same", activation=activation,
                       kernel_initializer=CONV_KERNEL_INITIALIZER, name=f"{name}se_reduce")(se)
    se = layers.Conv2D(filters, 1, padding="same", activation="sigmoid",
                       kernel_initializer=CONV_KERNEL_INITIALIZER, name=f"{name}se_expand")(se)
    return layers.multiply([x, se], name=f"{name}se_excite")


def EfficientNet(width_coefficient, depth_coefficient, default_size, dropout_rate=0.2,
                 drop_connect_rate=0.2, depth_divisor=8, activation="swish",
                 blocks_args="default", name="efficientnet", include_top=True,
                 weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
                 classes=1000, classifier_activation="softmax", weights_name=None):
    """An EfficientNet scaled by `width_coefficient` (filters) and `depth_coefficient` (repeats)."""
    if blocks_args == "default":
        blocks_args = DEFAULT_BLOCKS_ARGS
    _common.check_weights(weights, include_top, classes, name)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, default_size=default_size, min_size=32,
        data_format=config.image_data_format(), require_flatten=include_top)
    img_input = _common.image_input(input_tensor, input_shape, name)
    bn_axis = _bn_axis()

    def round_filters(filters):
        filters *= width_coefficient
        new_filters = max(depth_divisor,
                          int(filters + depth_divisor / 2) // depth_divisor * depth_divisor)
        return int(new_filters + depth_divisor if new_filters < 0.9 * filters else new_filters)

    def round_repeats(repeats):
        return int(math.ceil(depth_coefficient * repeats))

    x = layers.Rescaling(1.0 / 255.0)(img_input)
    x = layers.Normalization(axis=bn_axis)(x)
    if weights == "imagenet":
        x = layers.Rescaling([1.0 / math.sqrt(s) for s in IMAGENET_STDDEV_RGB])(x)
    x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, 3), name="stem_conv_pad")(x)
    x = layers.Conv2D(round_filters(32), 3, strides=2, padding="valid", use_bias=False,
                      kernel_initializer=CONV_KERNEL_INITIALIZER, name="stem_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, name="stem_bn")(x)
    x = layers.Activation(activation, name="stem_activation")(x)

    total = float(sum(round_repeats(args["repeats"]) for args in blocks_args))
    b = 0
    for i, args in enumerate(blocks_args):
        if args["repeats"] <= 0:
            raise ValueError(f"{name}: every block needs repeats > 0. "
                             f"Received: repeats={args['repeats']}")
        args = dict(args, filters_in=round_filters(args["filters_in"]),
                    filters_out=round_filters(args["filters_out"]))
        for j in range(round_repeats(args.pop("repeats"))):
            if j > 0:
                args["strides"] = 1
                args["filters_in"] = args["filters_out"]
            x = block(x, activation, drop_connect_rate * b / total,
                      name=f"block{i + 1}{chr(j + 97)}_", **args)
            b += 1

    x = layers.Conv2D(round_filters(1280), 1, padding="same", use_bias=False,
                      kernel_initializer=CONV_KERNEL_INITIALIZER, name="top_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, name="top_bn")(x)
    x = layers.Activation(activation, name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation,
                         kernel_initializer=DENSE_KERNEL_INITIALIZER, name="predictions")(x)
    else:
        x = _common.global_pool(x, pooling, "avg_pool", "max_pool")
    model = Functional(_common.source_inputs(input_tensor, img_input), x, name=name)
    if weights == "imagenet" and weights_name not in _HASHES:
        raise ValueError(f"{name}: there are no ImageNet weights for this configuration.")
    fname = f"efficientnet{weights_name}{'.h5' if include_top else '_notop.h5'}"
    file_hash = _HASHES.get(weights_name, (None, None))[0 if include_top else 1]
    return _common.load_weights(model, weights, fname, _URL + fname, file_hash)


_DOC = """Instantiates the {name} architecture.

    The model rescales and normalizes its inputs itself: feed images with values in [0, 255].

    Args:
        include_top: Whether to include the classifier.
        weights: `None`, `"imagenet"` or the path to a weights file.
        input_tensor: Optional symbolic tensor to use as image input.
        input_shape: Optional shape tuple (at least 32x32); default `({size}, {size}, 3)`.
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"` global pooling.
        classes: Number of classes, with `include_top=True` and no pretrained weights.
        classifier_activation: Activation of the top layer (`None` returns logits).
        name: Name of the model.

    Returns:
        A `Model`.
"""


def _variant(suffix, width, depth, size, dropout):
    def constructor(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                    pooling=None, classes=1000, classifier_activation="softmax",
                    name=f"efficientnet{suffix}"):
        return EfficientNet(width, depth, size, dropout, name=name, include_top=include_top,
                            weights=weights, input_tensor=input_tensor, input_shape=input_shape,
                            pooling=pooling, classes=classes,
                            classifier_activation=classifier_activation, weights_name=suffix)

    public = f"EfficientNet{suffix.upper()}"
    constructor.__name__ = constructor.__qualname__ = public
    constructor.__doc__ = _DOC.format(name=public, size=size)
    return keras_name(f"keras.applications.efficientnet.{public}",
                      f"keras.applications.{public}")(constructor)


EfficientNetB0 = _variant("b0", 1.0, 1.0, 224, 0.2)
EfficientNetB1 = _variant("b1", 1.0, 1.1, 240, 0.2)
EfficientNetB2 = _variant("b2", 1.1, 1.2, 260, 0.3)
EfficientNetB3 = _variant("b3", 1.2, 1.4, 300, 0.3)
EfficientNetB4 = _variant("b4", 1.4, 1.8, 380, 0.4)
EfficientNetB5 = _variant("b5", 1.6, 2.2, 456, 0.4)
EfficientNetB6 = _variant("b6", 1.8, 2.6, 528, 0.5)
EfficientNetB7 = _variant("b7", 2.0, 3.1, 600, 0.5)


@keras_name("keras.applications.efficientnet.preprocess_input")
def preprocess_input(x, data_format=None):
    """Returns `x` unchanged: EfficientNet models rescale and normalize inputs themselves.

    Args:
        x: Images with values in [0, 255].
        data_format: Ignored; kept for API compatibility.
    """
    return x


@keras_name("keras.applications.efficientnet.decode_predictions")
def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions; see `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
