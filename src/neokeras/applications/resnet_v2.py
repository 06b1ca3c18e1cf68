"""ResNet V2 (He et al., 2016): pre-activation residual networks."""

from neokeras.api_export import keras_name
from neokeras.applications import imagenet_utils
from neokeras.applications import resnet


def _v2_stacks(blocks):
    def stack_fn(x):
        x = resnet.stack_residual_blocks_v2(x, 64, blocks[0], name="conv2")
        x = resnet.stack_residual_blocks_v2(x, 128, blocks[1], name="conv3")
        x = resnet.stack_residual_blocks_v2(x, 256, blocks[2], name="conv4")
        return resnet.stack_residual_blocks_v2(x, 512, blocks[3], stride1=1, name="conv5")
    return stack_fn


@keras_name("keras.applications.ResNet50V2", "keras.applications.resnet_v2.ResNet50V2")
def ResNet50V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
               pooling=None, classes=1000, classifier_activation="softmax", name="resnet50v2"):
    return resnet.build(_v2_stacks((3, 4, 6, 3)), True, True, include_top, weights,
                        input_tensor, input_shape, pooling, classes, classifier_activation,
                        name, "resnet50v2")


@keras_name("keras.applications.ResNet101V2", "keras.applications.resnet_v2.ResNet101V2")
def ResNet101V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="resnet101v2"):
    return resnet.build(_v2_stacks((3, 4, 23, 3)), True, True, include_top, weights,
                        input_tensor, input_shape, pooling, classes, classifier_activation,
                        name, "resnet101v2")


@keras_name("keras.applications.ResNet152V2", "keras.applications.resnet_v2.ResNet152V2")
def ResNet152V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="resnet152v2"):
    return resnet.build(_v2_stacks((3, 8, 36, 3)), True, True, include_top, weights,
                        input_tensor, input_shape, pooling, classes, classifier_activation,
                        name, "resnet152v2")


for _fn, _depth in ((ResNet50V2, 50), (ResNet101V2, 101), (ResNet152V2, 152)):
    _fn.__doc__ = f"Instantiates the ResNet{_depth}V2 architecture.\n" + resnet.ARGS_DOC


@keras_name("keras.applications.resnet_v2.preprocess_input")
def preprocess_input(x, data_format=None):
    """Scales pixels from [0, 255] to [-1, 1] ("tf" mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


@keras_name("keras.applications.resnet_v2.decode_predictions")
def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions; see `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
