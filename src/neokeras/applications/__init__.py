"""`neokeras.applications`: Keras's pretrained image models, layer for layer.

Each model has the layer names, order and weight shapes of Keras's, so `weights="imagenet"`
loads the files Keras publishes (cached in `~/.keras/models`, shared with Keras).
"""

from neokeras.applications import convnext  # noqa: F401
from neokeras.applications import densenet  # noqa: F401
from neokeras.applications import efficientnet  # noqa: F401
from neokeras.applications import efficientnet_v2  # noqa: F401
from neokeras.applications import imagenet_utils  # noqa: F401
from neokeras.applications import inception_resnet_v2  # noqa: F401
from neokeras.applications import inception_v3  # noqa: F401
from neokeras.applications import mobilenet  # noqa: F401
from neokeras.applications import mobilenet_v2  # noqa: F401
from neokeras.applications import mobilenet_v3  # noqa: F401
from neokeras.applications import nasnet  # noqa: F401
from neokeras.applications import resnet  # noqa: F401
from neokeras.applications import resnet50  # noqa: F401
from neokeras.applications import resnet_v2  # noqa: F401
from neokeras.applications import vgg16  # noqa: F401
from neokeras.applications import vgg19  # noqa: F401
from neokeras.applications import xception  # noqa: F401
from neokeras.applications.convnext import (  # noqa: F401
    ConvNeXtBase, ConvNeXtLarge, ConvNeXtSmall, ConvNeXtTiny, ConvNeXtXLarge)
from neokeras.applications.densenet import DenseNet121, DenseNet169, DenseNet201  # noqa: F401
from neokeras.applications.efficientnet import (  # noqa: F401
    EfficientNetB0, EfficientNetB1, EfficientNetB2, EfficientNetB3, EfficientNetB4,
    EfficientNetB5, EfficientNetB6, EfficientNetB7)
from neokeras.applications.efficientnet_v2 import (  # noqa: F401
    EfficientNetV2B0, EfficientNetV2B1, EfficientNetV2B2, EfficientNetV2B3, EfficientNetV2L,
    EfficientNetV2M, EfficientNetV2S)
from neokeras.applications.inception_resnet_v2 import InceptionResNetV2  # noqa: F401
from neokeras.applications.inception_v3 import InceptionV3  # noqa: F401
from neokeras.applications.mobilenet import MobileNet  # noqa: F401
from neokeras.applications.mobilenet_v2 import MobileNetV2  # noqa: F401
from neokeras.applications.mobilenet_v3 import MobileNetV3Large, MobileNetV3Small  # noqa: F401
from neokeras.applications.nasnet import NASNetLarge, NASNetMobile  # noqa: F401
from neokeras.applications.resnet import ResNet50, ResNet101, ResNet152  # noqa: F401
from neokeras.applications.resnet_v2 import ResNet50V2, ResNet101V2, ResNet152V2  # noqa: F401
from neokeras.applications.vgg16 import VGG16  # noqa: F401
from neokeras.applications.vgg19 import VGG19  # noqa: F401
from neokeras.applications.xception import Xception  # noqa: F401
