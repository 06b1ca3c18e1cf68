"""ResNet-RS 50 to 420 (Bello et al., 2021), as tf-keras 2 builds them.

Keras 3 dropped these models; the layers, names and weight order here are tf-keras's, so its
published ImageNet files load. Each depth has ImageNet weights trained at one or more image
sizes: `weights="imagenet-i<size>"` picks one, `"imagenet"` the largest.
"""

import os

from neokeras import config
from neokeras import initializers
from neokeras import layers
from neokeras.api_export import keras_name
from neokeras.applications import _common
from neokeras.applications import imagenet_utils
from neokeras.backend.common import naming
from neokeras.models.functional import Functional

_URL = "https://storage.googleapis.com/tensorflow/keras-applications/resnet_rs/"
# MD5 hashes of tf-keras's weight files.
_HASHES = {
    "resnet-rs-101-i160.h5": "544b3434d00efc199d66e9058c7f3379",
    "resnet-rs-101-i160_notop.h5": "82d5b90c5ce9d710da639d6216d0f979",
    "resnet-rs-101-i192.h5": "eb285be29ab42cf4835ff20a5e3b5d23",
    "resnet-rs-101-i192_notop.h5": "f9a0f6b85faa9c3db2b6e233c4eebb5b",
    "resnet-rs-152-i192.h5": "8d72a301ed8a6f11a47c4ced4396e338",
    "resnet-rs-152-i192_notop.h5": "5fbf7ac2155cb4d5a6180ee9e3aa8704",
    "resnet-rs-152-i224.h5": "31a46a92ab21b84193d0d71dd8c3d03b",
    "resnet-rs-152-i224_notop.h5": "dc8b2cba2005552eafa3167f00dc2133",
    "resnet-rs-152-i256.h5": "ba6271b99bdeb4e7a9b15c05964ef4ad",
    "resnet-rs-152-i256_notop.h5": "fa79794252dbe47c89130f65349d654a",
    "resnet-rs-200-i256.h5": "a76930b741884e09ce90fa7450747d5f",
    "resnet-rs-200-i256_notop.h5": "bbdb3994718dfc0d1cd45d7eff3f3d9c",
    "resnet-rs-270-i256.h5": "20d575825ba26176b03cb51012a367a8",
    "resnet-rs-270-i256_notop.h5": "2c42ecb22e35f3e23d2f70babce0a2aa",
    "resnet-rs-350-i256.h5": "f4a039dc3c421321b7fc240494574a68",
    "resnet-rs-350-i256_notop.h5": "6e44b55025bbdff8f51692a023143d66",
    "resnet-rs-350-i320.h5": "7ccb858cc738305e8ceb3c0140bee393",
    "resnet-rs-350-i320_notop.h5": "ab0c1f9079d2f85a9facbd2c88aa6079",
    "resnet-rs-420-i320.h5": "ae0eb9bed39e64fc8d7e0db4018dc7e8",
    "resnet-rs-420-i320_notop.h5": "fe6217c32be8305b1889657172b98884",
    "resnet-rs-50-i160.h5": "69d9d925319f00a8bdd4af23c04e4102",
    "resnet-rs-50-i160_notop.h5": "90daa68cd26c95aa6c5d25451e095529",
}
DEPTH_TO_WEIGHT_VARIANTS = {50: [160], 101: [160, 192], 152: [192, 224, 256], 200: [256],
                            270: [256], 350: [256, 320], 420: [320]}
# Bottleneck blocks per group; the groups have 64, 128, 256 and 512 filters.
_REPEATS = {50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3), 200: (3, 24, 36, 3),
            270: (4, 29, 53, 4), 350: (4, 36, 72, 4), 420: (4, 44, 87, 4)}
BLOCK_ARGS = {depth: [{"input_filters": filters, "num_repeats": n}
                      for filters, n in zip((64, 128, 256, 512), repeats)]
              for depth, repeats in _REPEATS.items()}
CONV_KERNEL_INITIALIZER = {"class_name": "VarianceScaling",
                           "config": {"scale": 2.0, "mode": "fan_out",
                                      "distribution": "truncated_normal"}}


def _kernel_initializer():
    return initializers.get(CONV_KERNEL_INITIALIZER)


def _bn_axis():
    return 3 if config.image_data_format() == "channels_last" else 1


def _conv(x, filters, kernel_size, strides, name):
    """A bias-free convolution; strided ones pad explicitly, independently of the input size."""
    if strides > 1:
        total = kernel_size - 1
        pad = (total // 2, total - total // 2)
        x = layers.ZeroPadding2D(padding=(pad, pad))(x)
    return layers.Conv2D(filters=filters, kernel_size=kernel_size, strides=strides,
                         padding="same" if strides == 1 else "valid", use_bias=False,
                         kernel_initializer=_kernel_initializer(), name=name)(x)


def _bn(x, bn_momentum, bn_epsilon, name):
    return layers.BatchNormalization(axis=_bn_axis(), momentum=bn_momentum, epsilon=bn_epsilon,
                                     name=name)(x)


def _stem(x, bn_momentum, bn_epsilon, activation):
    """ResNet-D stem: four 3x3 convolutions, the last strided in place of a max pool."""
    name = f"stem_{naming.next_uid('stem_')}"
    for i, (filters, strides) in enumerate(((32, 2), (32, 1), (64, 1), (64, 2)), start=1):
        x = _conv(x, filters, 3, strides, f"{name}_stem_conv_{i}")
        x = _bn(x, bn_momentum, bn_epsilon, f"{name}_stem_batch_norm_{i}")
        x = layers.Activation(activation, name=f"{name}_stem_act_{i}")(x)
    return x


def _squeeze_excite(inputs, in_filters, se_ratio, name):
    x = layers.GlobalAveragePooling2D(name=f"{name}_se_squeeze")(inputs)
    channels = x.shape[-1]
    shape = (channels, 1, 1) if _bn_axis() == 1 else (1, 1, channels)
    x = layers.Reshape(shape, name=f"{name}_se_reshape")(x)
    x = layers.Conv2D(max(1, int(in_filters * 4 * se_ratio)), [1, 1], strides=[1, 1],
                      kernel_initializer=_kernel_initializer(), padding="same",
                      activation="relu", name=f"{name}_se_reduce")(x)
    x = layers.Conv2D(4 * in_filters, [1, 1], strides=[1, 1],
                      kernel_initializer=_kernel_initializer(), padding="same",
                      activation="sigmoid", name=f"{name}_se_expand")(x)
    return layers.multiply([inputs, x], name=f"{name}_se_excite")


def _bottleneck(inputs, filters, strides, use_projection, bn_momentum, bn_epsilon, activation,
                se_ratio, survival_probability, name):
    """1x1, 3x3 (strided), 1x1 (x4 filters) convolutions, squeeze-excite and the shortcut."""
    shortcut = inputs
    if use_projection:
        if strides == 2:
            shortcut = layers.AveragePooling2D(pool_size=(2, 2), strides=(2, 2), padding="same",
                                               name=f"{name}_projection_pooling")(inputs)
            shortcut = _conv(shortcut, filters * 4, 1, 1, f"{name}_projection_conv")
        else:
            shortcut = _conv(inputs, filters * 4, 1, strides, f"{name}_projection_conv")
        shortcut = _bn(shortcut, bn_momentum, bn_epsilon, f"{name}_projection_batch_norm")
    x = _conv(inputs, filters, 1, 1, f"{name}_conv_1")
    # tf-keras's name has no underscore here; kept so weight files match by name.
    x = _bn(x, bn_momentum, bn_epsilon, f"{name}batch_norm_1")
    x = layers.Activation(activation, name=f"{name}_act_1")(x)
    x = _conv(x, filters, 3, strides, f"{name}_conv_2")
    x = _bn(x, bn_momentum, bn_epsilon, f"{name}_batch_norm_2")
    x = layers.Activation(activation, name=f"{name}_act_2")(x)
    x = _conv(x, filters * 4, 1, 1, f"{name}_conv_3")
    x = _bn(x, bn_momentum, bn_epsilon, f"{name}_batch_norm_3")
    if 0 < se_ratio < 1:
        x = _squeeze_excite(x, filters, se_ratio, f"{name}_se")
    if survival_probability:
        # tf-keras passes the drop rate under this name; kept for identical models.
        x = layers.Dropout(survival_probability, noise_shape=(None, 1, 1, 1),
                           name=f"{name}_drop")(x)
    x = layers.Add()([x, shortcut])
    return layers.Activation(activation, name=f"{name}_output_act")(x)


def ResNetRS(depth, input_shape=None, bn_momentum=0.0, bn_epsilon=1e-5, activation="relu",
             se_ratio=0.25, dropout_rate=0.25, drop_connect_rate=0.2, include_top=True,
             block_args=None, model_name="resnet-rs", pooling=None, weights="imagenet",
             input_tensor=None, classes=1000, classifier_activation="softmax",
             include_preprocessing=True):
    """A ResNet-RS of `depth` (50, 101, 152, 200, 270, 350 or 420), or of `block_args`."""
    if depth not in DEPTH_TO_WEIGHT_VARIANTS:
        raise ValueError(f"ResNetRS: `depth` must be one of {sorted(DEPTH_TO_WEIGHT_VARIANTS)}. "
                         f"Received: depth={depth!r}")
    sizes = DEPTH_TO_WEIGHT_VARIANTS[depth]
    if weights == "imagenet":
        weights = f"imagenet-i{max(sizes)}"
    allowed = [f"imagenet-i{size}" for size in sizes]
    if not (weights in allowed or weights is None or (
            isinstance(weights, (str, os.PathLike)) and os.path.exists(weights))):
        raise ValueError(f"{model_name}: `weights` must be None (random initialization), "
                         f"'imagenet' (the largest of {allowed}), one of {allowed}, or the path "
                         f"to an existing weights file. Received: weights={weights!r}")
    if weights in allowed and include_top and classes != 1000:
        raise ValueError(f"{model_name}: with weights={weights!r} and include_top=True, "
                         f"`classes` must be 1000. Received: classes={classes}")
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, default_size=224, min_size=32, data_format=config.image_data_format(),
        require_flatten=include_top, weights=weights)
    img_input = _common.image_input(input_tensor, input_shape, model_name)
    bn_axis = _bn_axis()

    x = img_input
    if include_preprocessing:
        x = layers.Rescaling(scale=1.0 / 255)(x)
        if input_shape[bn_axis - 1] == 3:
            x = layers.Normalization(mean=[0.485, 0.456, 0.406],
                                     variance=[0.229 ** 2, 0.224 ** 2, 0.225 ** 2],
                                     axis=bn_axis)(x)
    x = _stem(x, bn_momentum, bn_epsilon, activation)

    block_args = BLOCK_ARGS[depth] if block_args is None else block_args
    for i, args in enumerate(block_args):
        survival_probability = drop_connect_rate * float(i + 2) / (len(block_args) + 1)
        name = f"BlockGroup{i + 2}_"
        for j in range(args["num_repeats"]):
            x = _bottleneck(x, args["input_filters"], 2 if i > 0 and j == 0 else 1, j == 0,
                            bn_momentum, bn_epsilon, activation, se_ratio,
                            survival_probability, f"{name}_block_{j}_")

    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _common.global_pool(x, pooling, "avg_pool", "max_pool")
    model = Functional(_common.source_inputs(input_tensor, img_input), x, name=model_name)
    if weights in allowed:
        fname = f"{model_name}-{weights.split('-')[-1]}{'' if include_top else '_notop'}.h5"
        if fname not in _HASHES:
            raise ValueError(f"{model_name}: there are no ImageNet weights for this model "
                             "name; keep the default to load them.")
        return _common.load_weights(model, "imagenet", fname, _URL + fname, _HASHES[fname])
    return _common.load_weights(model, weights)


_DOC = """Instantiates the {name} architecture (tf-keras).

    The model rescales its [0, 255] inputs and normalizes them by the ImageNet mean and standard
    deviation itself (`include_preprocessing=True`), so `resnet_rs.preprocess_input` is the
    identity.

    Args:
        include_top: Whether to include the classifier.
        weights: `None`, `"imagenet"` (the weights trained at the largest size), one of
            {variants}, or the path to a weights file.
        classes: Number of classes, with `include_top=True` and no pretrained weights.
        input_shape: Optional shape tuple (at least 32x32); default `(224, 224, 3)`.
        input_tensor: Optional symbolic tensor to use as image input.
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"` global pooling.
        classifier_activation: Activation of the top layer (`None` returns logits).
        include_preprocessing: Whether the model rescales and normalizes its inputs.

    Returns:
        A `Model`.
"""


def _variant(depth, drop_connect_rate, dropout_rate):
    public = f"ResNetRS{depth}"

    def constructor(include_top=True, weights="imagenet", classes=1000, input_shape=None,
                    input_tensor=None, pooling=None, classifier_activation="softmax",
                    include_preprocessing=True):
        return ResNetRS(depth=depth, include_top=include_top,
                        drop_connect_rate=drop_connect_rate, dropout_rate=dropout_rate,
                        weights=weights, classes=classes, input_shape=input_shape,
                        input_tensor=input_tensor, pooling=pooling,
                        classifier_activation=classifier_activation,
                        model_name=f"resnet-rs-{depth}",
                        include_preprocessing=include_preprocessing)

    constructor.__name__ = constructor.__qualname__ = public
    constructor.__doc__ = _DOC.format(
        name=public, variants=", ".join(f'`"imagenet-i{s}"`'
                                        for s in DEPTH_TO_WEIGHT_VARIANTS[depth]))
    return keras_name(f"keras.applications.resnet_rs.{public}",
                      f"keras.applications.{public}")(constructor)


ResNetRS50 = _variant(50, 0.0, 0.25)
ResNetRS101 = _variant(101, 0.0, 0.25)
ResNetRS152 = _variant(152, 0.0, 0.25)
ResNetRS200 = _variant(200, 0.1, 0.25)
ResNetRS270 = _variant(270, 0.1, 0.25)
ResNetRS350 = _variant(350, 0.1, 0.4)
ResNetRS420 = _variant(420, 0.1, 0.4)


@keras_name("keras.applications.resnet_rs.preprocess_input")
def preprocess_input(x, data_format=None):
    """Returns `x` unchanged: ResNet-RS models preprocess their inputs themselves.

    Args:
        x: Images with values in [0, 255].
        data_format: Ignored; kept for API compatibility.
    """
    return x


@keras_name("keras.applications.resnet_rs.decode_predictions")
def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions; see `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
