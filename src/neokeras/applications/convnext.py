"""ConvNeXt Tiny/Small/Base/Large/XLarge (Liu et al., 2022): a ConvNet modernized like ViTs."""

import numpy as np

from neokeras import config
from neokeras import initializers
from neokeras import layers
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.applications import _common
from neokeras.applications import imagenet_utils
from neokeras.backend import SeedGenerator
from neokeras.backend import random
from neokeras.layers.layer import Layer
from neokeras.models.functional import Functional
from neokeras.models.sequential import Sequential

_URL = "https://storage.googleapis.com/tensorflow/keras-applications/convnext/"
# (with top, without top) SHA-256 hashes of Keras's weight files.
_HASHES = {
    "convnext_tiny": ("8ae6e78ce2933352b1ef4008e6dd2f17bc40771563877d156bc6426c7cf503ff",
                      "d547c096cabd03329d7be5562c5e14798aa39ed24b474157cef5e85ab9e49ef1"),
    "convnext_small": ("ce1277d8f1ee5a0ef0e171469089c18f5233860ceaf9b168049cb9263fd7483c",
                       "6fc8009faa2f00c1c1dfce59feea9b0745eb260a7dd11bee65c8e20843da6eab"),
    "convnext_base": ("52cbb006d3dadd03f6e095a8ca1aca47aecdd75acb4bc74bce1f5c695d0086e6",
                      "40a20c5548a5e9202f69735ecc06c990e6b7c9d2de39f0361e27baeb24cb7c45"),
    "convnext_large": ("070c5ed9ed289581e477741d3b34beffa920db8cf590899d6d2c67fba2a198a6",
                       "96f02b6f0753d4f543261bc9d09bed650f24dd6bc02ddde3066135b63d23a1cd"),
    "convnext_xlarge": ("c1f5ccab661354fc3a79a10fa99af82f0fbf10ec65cb894a3ae0815f17a889ee",
                        "de3f8a54174130e0cecdc71583354753d557fcf1f4487331558e2a16ba0cfe05"),
}
MODEL_CONFIGS = {
    "tiny": {"depths": [3, 3, 9, 3], "projection_dims": [96, 192, 384, 768],
             "default_size": 224},
    "small": {"depths": [3, 3, 27, 3], "projection_dims": [96, 192, 384, 768],
              "default_size": 224},
    "base": {"depths": [3, 3, 27, 3], "projection_dims": [128, 256, 512, 1024],
             "default_size": 224},
    "large": {"depths": [3, 3, 27, 3], "projection_dims": [192, 384, 768, 1536],
              "default_size": 224},
    "xlarge": {"depths": [3, 3, 27, 3], "projection_dims": [256, 512, 1024, 2048],
               "default_size": 224},
}


@keras_name("keras.src.applications.convnext.StochasticDepth")
class StochasticDepth(Layer):
    """Drops the whole residual branch of a sample with probability `drop_path_rate` (training).

    Args:
        drop_path_rate: Probability of dropping the branch.
    """

    def __init__(self, drop_path_rate, **kwargs):
        super().__init__(**kwargs)
        self.drop_path_rate = drop_path_rate
        self.seed_generator = SeedGenerator()

    def call(self, x, training=None):
        if not training:
            return x
        keep_prob = 1 - self.drop_path_rate
        shape = (ops.shape(x)[0],) + (1,) * (len(x.shape) - 1)
        mask = ops.floor(keep_prob + random.uniform(shape, 0, 1, seed=self.seed_generator))
        return (x / keep_prob) * mask

    def get_config(self):
        return {**super().get_config(), "drop_path_rate": self.drop_path_rate}


@keras_name("keras.src.applications.convnext.LayerScale")
class LayerScale(Layer):
    """Multiplies the features by a learned per-channel scale, initialized to `init_values`.

    Args:
        init_values: Initial value of every scale.
        projection_dim: Number of channels.
    """

    def __init__(self, init_values, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.init_values = init_values
        self.projection_dim = projection_dim

    def build(self, input_shape):
        self.gamma = self.add_weight(shape=(self.projection_dim,),
                                     initializer=initializers.Constant(self.init_values),
                                     trainable=True)

    def call(self, x):
        return x * self.gamma

    def get_config(self):
        return {**super().get_config(), "init_values": self.init_values,
                "projection_dim": self.projection_dim}


def ConvNeXtBlock(projection_dim, drop_path_rate=0.0, layer_scale_init_value=1e-6, name=None):
    """Depthwise 7x7 conv, LayerNorm, MLP (x4, GELU), layer scale, residual."""

    def apply(inputs):
        x = layers.Conv2D(filters=projection_dim, kernel_size=7, padding="same",
                          groups=projection_dim, name=f"{name}_depthwise_conv")(inputs)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_layernorm")(x)
        x = layers.Dense(4 * projection_dim, name=f"{name}_pointwise_conv_1")(x)
        x = layers.Activation("gelu", name=f"{name}_gelu")(x)
        x = layers.Dense(projection_dim, name=f"{name}_pointwise_conv_2")(x)
        if layer_scale_init_value is not None:
            x = LayerScale(layer_scale_init_value, projection_dim,
                           name=f"{name}_layer_scale")(x)
        if drop_path_rate:
            branch = StochasticDepth(drop_path_rate, name=f"{name}_stochastic_depth")
        else:
            branch = layers.Activation("linear", name=f"{name}_identity")
        return inputs + branch(x)

    return apply


def ConvNeXt(depths, projection_dims, drop_path_rate=0.0, layer_scale_init_value=1e-6,
             default_size=224, name="convnext", include_preprocessing=True, include_top=True,
             weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
             classifier_activation="softmax", weights_name=None):
    """A ConvNeXt with `depths[i]` blocks of width `projection_dims[i]` in stage i."""
    if config.image_data_format() == "channels_first":
        raise ValueError(f"{name}: ConvNeXt supports only the 'channels_last' image data format.")
    _common.check_weights(weights, include_top, classes, name)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, default_size=default_size, min_size=32,
        data_format=config.image_data_format(), require_flatten=include_top)
    img_input = _common.image_input(input_tensor, input_shape, name)
    if input_tensor is not None:
        inputs = _common.source_inputs(input_tensor, img_input)[0]
    else:
        inputs = img_input
    x = img_input
    if include_preprocessing and input_shape[-1] == 3:
        x = layers.Normalization(
            mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
            variance=[(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2],
            name=f"{name}_prestem_normalization")(x)
    stages = [Sequential([
        layers.Conv2D(projection_dims[0], kernel_size=4, strides=4, name=f"{name}_stem_conv"),
        layers.LayerNormalization(epsilon=1e-6, name=f"{name}_stem_layernorm"),
    ], name=f"{name}_stem")]
    for i in range(3):
        stages.append(Sequential([
            layers.LayerNormalization(epsilon=1e-6, name=f"{name}_downsampling_layernorm_{i}"),
            layers.Conv2D(projection_dims[i + 1], kernel_size=2, strides=2,
                          name=f"{name}_downsampling_conv_{i}"),
        ], name=f"{name}_downsampling_block_{i}"))
    drop_rates = [float(r) for r in np.linspace(0.0, drop_path_rate, sum(depths))]
    cur = 0
    for i in range(4):
        x = stages[i](x)
        for j in range(depths[i]):
            x = ConvNeXtBlock(projection_dim=projection_dims[i],
                              drop_path_rate=drop_rates[cur + j],
                              layer_scale_init_value=layer_scale_init_value,
                              name=f"{name}_stage_{i}_block_{j}")(x)
        cur += depths[i]
    if include_top:
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.GlobalAveragePooling2D(name=f"{name}_head_gap")(x)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_head_layernorm")(x)
        x = layers.Dense(classes, activation=classifier_activation,
                         name=f"{name}_head_dense")(x)
    else:
        x = _common.global_pool(x, pooling)
        x = layers.LayerNormalization(epsilon=1e-6)(x)
    model = Functional(inputs=inputs, outputs=x, name=name)
    if weights == "imagenet":
        variant = weights_name.split("convnext_")[-1]
        expected = MODEL_CONFIGS[variant]
        if depths != expected["depths"] or projection_dims != expected["projection_dims"]:
            raise ValueError(f"{name}: ImageNet weights of {weights_name} need "
                             f"depths={expected['depths']} and projection_dims="
                             f"{expected['projection_dims']}. Received: depths={depths}, "
                             f"projection_dims={projection_dims}")
        if weights_name not in name:
            raise ValueError(f"{name}: with ImageNet weights the model name must contain "
                             f"{weights_name!r} (the weight file names its layers with it).")
    fname = f"{name}{'.h5' if include_top else '_notop.h5'}"
    file_hash = _HASHES.get(weights_name, (None, None))[0 if include_top else 1]
    return _common.load_weights(model, weights, fname, _URL + fname, file_hash)


_DOC = """Instantiates the {name} architecture.

    The model normalizes its inputs itself: feed images with values in [0, 255].

    Args:
        include_top: Whether to include the classifier.
        include_preprocessing: Normalize [0, 255] inputs with ImageNet statistics in the model.
        weights: `None`, `"imagenet"` or the path to a weights file.
        input_tensor: Optional symbolic tensor to use as image input.
        input_shape: Optional shape tuple (at least 32x32); default `(224, 224, 3)`.
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"` global pooling (followed
            by layer normalization).
        classes: Number of classes, with `include_top=True` and no pretrained weights.
        classifier_activation: Activation of the top layer (`None` returns logits).
        name: Name of the model.

    Returns:
        A `Model`.
"""


def _variant(public, variant):
    def constructor(include_top=True, include_preprocessing=True, weights="imagenet",
                    input_tensor=None, input_shape=None, pooling=None, classes=1000,
                    classifier_activation="softmax", name=f"convnext_{variant}"):
        cfg = MODEL_CONFIGS[variant]
        return ConvNeXt(weights_name=f"convnext_{variant}", depths=cfg["depths"],
                        projection_dims=cfg["projection_dims"], drop_path_rate=0.0,
                        layer_scale_init_value=1e-6, default_size=cfg["default_size"],
                        name=name, include_top=include_top,
                        include_preprocessing=include_preprocessing, weights=weights,
                        input_tensor=input_tensor, input_shape=input_shape, pooling=pooling,
                        classes=classes, classifier_activation=classifier_activation)

    constructor.__name__ = constructor.__qualname__ = public
    constructor.__doc__ = _DOC.format(name=public)
    return keras_name(f"keras.applications.convnext.{public}",
                      f"keras.applications.{public}")(constructor)


ConvNeXtTiny = _variant("ConvNeXtTiny", "tiny")
ConvNeXtSmall = _variant("ConvNeXtSmall", "small")
ConvNeXtBase = _variant("ConvNeXtBase", "base")
ConvNeXtLarge = _variant("ConvNeXtLarge", "large")
ConvNeXtXLarge = _variant("ConvNeXtXLarge", "xlarge")


@keras_name("keras.applications.convnext.preprocess_input")
def preprocess_input(x, data_format=None):
    """Returns `x` unchanged: ConvNeXt models normalize their inputs themselves.

    Args:
        x: Images with values in [0, 255].
        data_format: Ignored; kept for API compatibility.
    """
    return x


@keras_name("keras.applications.convnext.decode_predictions")
def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions; see `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
