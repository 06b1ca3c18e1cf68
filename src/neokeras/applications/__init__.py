"""`neokeras.applications`: Keras's pretrained image models, layer for layer.

Each model has the layer names, order and weight shapes of Keras's, so `weights="imagenet"`
loads the files Keras publishes (cached in `~/.keras/models`, shared with Keras). RegNet and
ResNet-RS are tf-keras 2's (Keras 3 dropped them) and load tf-keras's files.
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
from neokeras.applications import regnet  # noqa: F401
from neokeras.applications import resnet  # noqa: F401
from neokeras.applications import resnet50  # noqa: F401
from neokeras.applications import resnet_rs  # noqa: F401
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
from neokeras.applications.regnet import (  # noqa: F401
    RegNetX002, RegNetX004, RegNetX006, RegNetX008, RegNetX016, RegNetX032, RegNetX040,
    RegNetX064, RegNetX080, RegNetX120, RegNetX160, RegNetX320, RegNetY002, RegNetY004,
    RegNetY006, RegNetY008, RegNetY016, RegNetY032, RegNetY040, RegNetY064, RegNetY080,
    RegNetY120, RegNetY160, RegNetY320)
from neokeras.applications.resnet import ResNet50, ResNet101, ResNet152  # noqa: F401
from neokeras.applications.resnet_rs import (  # noqa: F401
    ResNetRS50, ResNetRS101, ResNetRS152, ResNetRS200, ResNetRS270, ResNetRS350, ResNetRS420)
from neokeras.applications.resnet_v2 import ResNet50V2, ResNet101V2, ResNet152V2  # noqa: F401
from neokeras.applications.vgg16 import VGG16  # noqa: F401
from neokeras.applications.vgg19 import VGG19  # noqa: F401
from neokeras.applications.xception import Xception  # noqa: F401
