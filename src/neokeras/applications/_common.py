"""What every application constructor shares: argument checks, the input, pooling, weights."""

import os

from neokeras import layers
from neokeras import utils
from neokeras.backend.common.keras_tensor import KerasTensor


def check_weights(weights, include_top, classes, model_name):
    """`weights` must be None, 'imagenet' or an existing file; ImageNet tops have 1000 classes."""
    if not (weights in ("imagenet", None) or (isinstance(weights, (str, os.PathLike))
                                              and os.path.exists(weights))):
        raise ValueError(f"{model_name}: `weights` must be None (random initialization), "
                         "'imagenet' (pre-training on ImageNet) or the path to an existing "
                         f"weights file. Received: weights={weights!r}")
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(f"{model_name}: with weights='imagenet' and include_top=True, "
                         f"`classes` must be 1000. Received: classes={classes}")


def image_input(input_tensor, input_shape, model_name):
    """The symbolic image tensor the network starts from."""
    if input_tensor is None:
        return layers.Input(shape=input_shape)
    if not isinstance(input_tensor, KerasTensor):
        raise ValueError(f"{model_name}: `input_tensor` must be a symbolic tensor (the output of "
                         "keras.Input or of a layer called on one). "
                         f"Received: {type(input_tensor).__name__}")
    return input_tensor


def source_inputs(input_tensor, img_input):
    """The model inputs: the `Input` tensors `input_tensor` was computed from, if given."""
    if input_tensor is None:
        return img_input
    return utils.get_source_inputs(input_tensor)


def global_pool(x, pooling, avg_name=None, max_name=None):
    """The optional global pooling of a headless model (`pooling` None, 'avg' or 'max')."""
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name=avg_name)(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name=max_name)(x)
    return x


def fetch(fname, url, file_hash):
    """Path of the cached copy of `url` in `~/.keras/models` (Keras's cache), downloaded once.

    Offline, `get_file` fails at once with a message naming the URL and the cache path.
    """
    from neokeras.utils import get_file

    return get_file(fname, url, cache_subdir="models", file_hash=file_hash)


def load_weights(model, weights, fname=None, url=None, file_hash=None):
    """Loads ImageNet weights (from Keras's URL and cache) or a user's weights file."""
    if weights == "imagenet":
        model.load_weights(fetch(fname, url, file_hash))
    elif weights is not None:
        model.load_weights(weights)
    return model
