"""The VGG family: blocks of 3x3 convolutions and max pooling, then 3 dense layers."""

from neokeras import config
from neokeras import layers
from neokeras.applications import _common
from neokeras.applications import imagenet_utils
from neokeras.models.functional import Functional


def build(convs_per_block, include_top, weights, input_tensor, input_shape, pooling, classes,
          classifier_activation, name, top_file, notop_file):
    _common.check_weights(weights, include_top, classes, name)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, default_size=224, min_size=32, data_format=config.image_data_format(),
        require_flatten=include_top, weights=weights)
    img_input = _common.image_input(input_tensor, input_shape, name)
    x = img_input
    for block, (filters, convs) in enumerate(zip((64, 128, 256, 512, 512), convs_per_block), 1):
        for i in range(1, convs + 1):
            x = layers.Conv2D(filters, (3, 3), activation="relu", padding="same",
                              name=f"block{block}_conv{i}")(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _common.global_pool(x, pooling)
    model = Functional(_common.source_inputs(input_tensor, img_input), x, name=name)
    fname, url, file_hash = top_file if include_top else notop_file
    return _common.load_weights(model, weights, fname, url + fname, file_hash)
