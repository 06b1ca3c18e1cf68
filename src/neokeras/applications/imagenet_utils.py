"""ImageNet helpers shared by the applications: `preprocess_input` and `decode_predictions`."""

import json

import numpy as np

from neokeras import activations
from neokeras import config
from neokeras import ops
from neokeras.api_export import keras_name

CLASS_INDEX_URL = ("https://storage.googleapis.com/download.tensorflow.org/"
                   "data/imagenet_class_index.json")
CLASS_INDEX_HASH = "c2c37ea517e94d9795004a39431a14cb"
_class_index = None

_MEAN = {"caffe": (103.939, 116.779, 123.68), "torch": (0.485, 0.456, 0.406)}
_STD = {"torch": (0.229, 0.224, 0.225)}


@keras_name("keras.applications.imagenet_utils.preprocess_input")
def preprocess_input(x, data_format=None, mode="caffe"):
    """Preprocesses a batch of images (values in [0, 255]) the way ImageNet models expect.

    Args:
        x: A float NumPy array (modified in place when its dtype allows) or a tensor, 3D or
            4D with 3 color channels.
        data_format: `"channels_last"` or `"channels_first"`; default: the global setting.
        mode: `"caffe"` (RGB to BGR, then subtract the ImageNet channel means), `"tf"` (scale
            to [-1, 1]) or `"torch"` (scale to [0, 1], then normalize each channel with the
            ImageNet mean and standard deviation).

    Returns:
        The preprocessed array or tensor.
    """
    if mode not in ("caffe", "tf", "torch"):
        raise ValueError("preprocess_input: `mode` must be one of 'caffe', 'tf' or 'torch'. "
                         f"Received: mode={mode!r}")
    if data_format is None:
        data_format = config.image_data_format()
    elif data_format not in ("channels_first", "channels_last"):
        raise ValueError("preprocess_input: `data_format` must be 'channels_first' or "
                         f"'channels_last'. Received: data_format={data_format!r}")
    if isinstance(x, np.ndarray):
        return _preprocess_numpy(x, data_format, mode)
    return _preprocess_tensor(x, data_format, mode)


def _channel_shape(ndim, data_format):
    """Broadcast shape of a per-channel vector for a 3D or 4D image batch."""
    if data_format == "channels_last":
        return (1,) * (ndim - 1) + (3,)
    return (3, 1, 1) if ndim == 3 else (1, 3) + (1,) * (ndim - 2)


def _channel_axis(ndim, data_format):
    if data_format == "channels_last":
        return -1
    return 0 if ndim == 3 else 1


def _preprocess_numpy(x, data_format, mode):
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(config.floatx(), copy=False)
    if mode == "tf":
        x /= 127.5
        x -= 1.0
        return x
    if mode == "torch":
        x /= 255.0
    else:  # caffe: RGB -> BGR (a reversed view, so the in-place updates below still apply)
        x = np.flip(x, axis=_channel_axis(x.ndim, data_format))
    shape = _channel_shape(x.ndim, data_format)
    x -= np.asarray(_MEAN[mode], dtype=x.dtype).reshape(shape)
    if mode in _STD:
        x /= np.asarray(_STD[mode], dtype=x.dtype).reshape(shape)
    return x


def _preprocess_tensor(x, data_format, mode):
    if mode == "tf":
        return x / 127.5 - 1.0
    ndim = len(x.shape)
    if mode == "torch":
        x = x / 255.0
    else:
        x = ops.flip(x, axis=_channel_axis(ndim, data_format))
    shape = _channel_shape(ndim, data_format)
    x = x - ops.convert_to_tensor(np.reshape(_MEAN[mode], shape), dtype=x.dtype)
    if mode in _STD:
        x = x / ops.convert_to_tensor(np.reshape(_STD[mode], shape), dtype=x.dtype)
    return x


@keras_name("keras.applications.imagenet_utils.decode_predictions")
def decode_predictions(preds, top=5):
    """Turns ImageNet class probabilities into readable labels.

    The class index (`imagenet_class_index.json`) is downloaded once into `~/.keras/models`,
    the same cache Keras uses.

    Args:
        preds: Array of shape `(samples, 1000)`.
        top: How many of the best guesses to return per sample.

    Returns:
        One list per sample of `(class_name, class_description, score)` tuples, best first.
    """
    global _class_index
    preds = ops.convert_to_numpy(preds)
    if preds.ndim != 2 or preds.shape[1] != 1000:
        raise ValueError("decode_predictions expects a batch of ImageNet predictions, an array "
                         f"of shape (samples, 1000). Received shape: {preds.shape}")
    if _class_index is None:
        from neokeras.applications import _common

        path = _common.fetch("imagenet_class_index.json", CLASS_INDEX_URL, CLASS_INDEX_HASH)
        with open(path) as f:
            _class_index = json.load(f)
    results = []
    for pred in preds:
        best = np.argsort(pred)[-top:][::-1]
        results.append([tuple(_class_index[str(i)]) + (pred[i],) for i in best])
    return results


def obtain_input_shape(input_shape, default_size, min_size, data_format, require_flatten,
                       weights=None):
    """Validates a user `input_shape` (or picks the default) for an application model."""
    channels_last = data_format == "channels_last"
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        channels = input_shape[-1] if channels_last else input_shape[0]
        default_shape = ((default_size, default_size, channels) if channels_last
                         else (channels, default_size, default_size))
    else:
        default_shape = ((default_size, default_size, 3) if channels_last
                         else (3, default_size, default_size))
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and tuple(input_shape) != default_shape:
            raise ValueError("With include_top=True and weights='imagenet', `input_shape` must "
                             f"be {default_shape}. Received: input_shape={input_shape}")
        return default_shape
    if input_shape:
        input_shape = tuple(input_shape)
        if len(input_shape) != 3:
            raise ValueError("`input_shape` must be a tuple of three integers. "
                             f"Received: input_shape={input_shape}")
        channels = input_shape[-1] if channels_last else input_shape[0]
        if channels != 3 and weights == "imagenet":
            raise ValueError("ImageNet weights need 3 input channels. "
                             f"Received: input_shape={input_shape}")
        spatial = input_shape[:2] if channels_last else input_shape[1:]
        if any(d is not None and d < min_size for d in spatial):
            raise ValueError(f"Input size must be at least {min_size}x{min_size}. "
                             f"Received: input_shape={input_shape}")
    elif require_flatten:
        input_shape = default_shape
    else:
        input_shape = (None, None, 3) if channels_last else (3, None, None)
    if require_flatten and None in input_shape:
        raise ValueError("With include_top=True the input shape must be fully known. "
                         f"Received: input_shape={input_shape}")
    return input_shape


def correct_pad(inputs, kernel_size):
    """`((top, bottom), (left, right))` zero padding before a strided 'valid' convolution."""
    first = 2 if config.image_data_format() == "channels_first" else 1
    size = inputs.shape[first:first + 2]
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    adjust = (1, 1) if size[0] is None else (1 - size[0] % 2, 1 - size[1] % 2)
    half = (kernel_size[0] // 2, kernel_size[1] // 2)
    return ((half[0] - adjust[0], half[0]), (half[1] - adjust[1], half[1]))


def validate_activation(classifier_activation, weights):
    """Pretrained classifiers only support `None` or `"softmax"` as the final activation."""
    if weights is None:
        return
    fn = activations.get(classifier_activation)
    if fn not in (activations.get("softmax"), activations.get(None)):
        raise ValueError("With pretrained weights and include_top=True, only None and 'softmax' "
                         "are allowed as `classifier_activation`. "
                         f"Received: classifier_activation={classifier_activation!r}")
