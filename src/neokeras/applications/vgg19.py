"""VGG19 (Simonyan & Zisserman, 2014)."""

from neokeras.api_export import keras_name
from neokeras.applications import _vgg
from neokeras.applications import imagenet_utils

_URL = "https://storage.googleapis.com/tensorflow/keras-applications/vgg19/"


@keras_name("keras.applications.vgg19.VGG19", "keras.applications.VGG19")
def VGG19(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
          pooling=None, classes=1000, classifier_activation="softmax", name="vgg19"):
    """Instantiates the VGG19 model (16 convolutions in 5 blocks, 3 dense layers).

    Args:
        include_top: Whether to include the 3 fully-connected layers at the top.
        weights: `None`, `"imagenet"` or the path to a weights file.
        input_tensor: Optional symbolic tensor to use as image input.
        input_shape: Optional shape tuple; only with `include_top=False` may it differ from
            `(224, 224, 3)` (at least 32x32).
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"` global pooling.
        classes: Number of classes, with `include_top=True` and no pretrained weights.
        classifier_activation: Activation of the top layer (`None` returns logits).
        name: Name of the model.

    Returns:
        A `Model`.
    """
    return _vgg.build((2, 2, 4, 4, 4), include_top, weights, input_tensor, input_shape,
                      pooling, classes, classifier_activation, name,
                      ("vgg19_weights_tf_dim_ordering_tf_kernels.h5", _URL,
                       "cbe5617147190e668d6c5d5026f83318"),
                      ("vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5", _URL,
                       "253f8cb515780f3b799900260a226db6"))


@keras_name("keras.applications.vgg19.preprocess_input")
def preprocess_input(x, data_format=None):
    """Converts RGB images to BGR and subtracts the ImageNet channel means ("caffe" mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


@keras_name("keras.applications.vgg19.decode_predictions")
def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions; see `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
