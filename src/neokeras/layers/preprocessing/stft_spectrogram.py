"""`STFTSpectrogram`: short-time Fourier transform as a (trainable) convolution."""

import math
import warnings

from neokeras import config as config_module
from neokeras import initializers
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.input_spec import InputSpec
from neokeras.layers.layer import Layer
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    standardize_data_format)

_MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")


def _arctan2(y, x):
    """atan2 from `ops.arctan` (quadrant-corrected)."""
    pi = math.pi
    base = ops.arctan(y / ops.where(x == 0, ops.ones_like(x), x))
    out = ops.where(x > 0, base, ops.where(y >= 0, base + pi, base - pi))
    return ops.where(x == 0, ops.sign(y) * (pi / 2), out)


@keras_name("keras.layers.STFTSpectrogram")
class STFTSpectrogram(Layer):
    """Spectrogram of signals `(batch, time, channels)` by convolution with DFT kernels.

    The kernels (`real_kernel`, `imag_kernel`) start as the windowed DFT and can be trained.

    Args:
        mode: "log" (default), "magnitude", "psd", "real", "imag", "angle" or "stft".
        frame_length: Window length in samples.
        frame_step: Hop in samples (default `frame_length // 2`).
        fft_length: DFT size (default: next power of 2 of `frame_length`).
        window: Window name (SciPy), array, or None.
        periodic: Periodic rather than symmetric window.
        scaling: "density" (default), "spectrum" or None.
        padding: "valid" (default) or "same".
        expand_dims: Output `(batch, time, freq, channels)` rather than merging channels.
        data_format: "channels_last" (default) or "channels_first".
    """

    def __init__(self, mode="log", frame_length=256, frame_step=None, fft_length=None,
                 window="hann", periodic=False, scaling="density", padding="valid",
                 expand_dims=False, data_format=None, **kwargs):
        if frame_step is not None and not 1 <= frame_step <= frame_length:
            raise ValueError("STFTSpectrogram: frame_step must be in [1, frame_length]. "
                             f"Received: frame_step={frame_step}, frame_length={frame_length}")
        if fft_length is not None and fft_length < frame_length:
            raise ValueError("STFTSpectrogram: fft_length must be >= frame_length. "
                             f"Received: fft_length={fft_length}, frame_length={frame_length}")
        if fft_length is not None and (fft_length & -fft_length) != fft_length:
            warnings.warn(f"STFTSpectrogram: fft_length={fft_length} is not a power of 2; "
                          "powers of 2 are faster.", stacklevel=2)
        if mode not in _MODES:
            raise ValueError(f"STFTSpectrogram(mode=...) must be one of {_MODES}. "
                             f"Received: mode={mode!r}")
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError("STFTSpectrogram(scaling=...) must be None, 'density' or "
                             f"'spectrum'. Received: scaling={scaling!r}")
        if padding not in ("valid", "same"):
            raise ValueError(f"STFTSpectrogram(padding=...) must be 'valid' or 'same'. "
                             f"Received: padding={padding!r}")
        super().__init__(**kwargs)
        if isinstance(window, str):
            initializers.STFT(window=window)  # fails early on an unknown window name
        self.mode = mode
        self.frame_length = frame_length
        self.frame_step = frame_step
        self._frame_step = frame_step or frame_length // 2
        self.fft_length = fft_length
        self._fft_length = fft_length or 2 ** int(math.ceil(math.log2(frame_length)))
        self.window = window
        self.periodic = periodic
        self.scaling = scaling
        self.padding = padding
        self.expand_dims = expand_dims
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=3)

    def build(self, input_shape):
        shape = (self.frame_length, 1, self._fft_length // 2 + 1)
        for side in ("real", "imag"):
            if self.mode != {"real": "imag", "imag": "real"}[side]:
                setattr(self, f"{side}_kernel", self.add_weight(
                    name=f"{side}_kernel", shape=shape, initializer=initializers.STFT(
                        side, self.window, self.scaling, self.periodic)))

    def _conv(self, inputs, kernel):
        if self.data_format == "channels_last":
            _, time, channels = inputs.shape
            x = ops.reshape(ops.transpose(inputs, (0, 2, 1)), (-1, time, 1))
        else:
            _, channels, time = inputs.shape
            x = ops.reshape(inputs, (-1, 1, time))
        out = ops.conv(x, ops.cast(kernel, x.dtype), strides=self._frame_step,
                       padding=self.padding, data_format=self.data_format)
        if self.data_format == "channels_last":
            out = ops.transpose(out, (0, 2, 1))
        return ops.reshape(out, (-1, channels) + tuple(out.shape[1:]))  # (b, c, freq, time)

    def _layout(self, outputs):
        _, channels, freq, time = outputs.shape
        if self.data_format == "channels_last":
            if self.expand_dims:
                return ops.transpose(outputs, (0, 3, 2, 1))
            return ops.transpose(ops.reshape(outputs, (-1, channels * freq, time)), (0, 2, 1))
        if self.expand_dims:
            return ops.transpose(outputs, (0, 1, 3, 2))
        return ops.reshape(outputs, (-1, channels * freq, time))

    def call(self, inputs):
        if str(inputs.dtype) not in ("float16", "float32", "float64", "bfloat16"):
            raise TypeError(f"STFTSpectrogram expects float inputs. Received dtype "
                            f"{inputs.dtype}.")
        real = self._conv(inputs, self.real_kernel) if self.mode != "imag" else None
        imag = self._conv(inputs, self.imag_kernel) if self.mode != "real" else None
        if self.mode == "real":
            return self._layout(real)
        if self.mode == "imag":
            return self._layout(imag)
        if self.mode == "angle":
            return self._layout(_arctan2(imag, real))
        if self.mode == "stft":
            return self._layout(ops.concatenate([real, imag], axis=2))
        power = ops.square(real) + ops.square(imag)
        if self.mode == "psd":
            return self._layout(power + ops.pad(power[:, :, 1:-1, :],
                                                ((0, 0), (0, 0), (1, 1), (0, 0))))
        eps = config_module.epsilon()
        magnitude = self._layout(ops.sqrt(ops.maximum(power, eps)))
        if self.mode == "magnitude":
            return magnitude
        return ops.log(ops.maximum(magnitude, eps))

    def get_config(self):
        return {**super().get_config(), "mode": self.mode, "frame_length": self.frame_length,
                "frame_step": self.frame_step, "fft_length": self.fft_length,
                "window": self.window, "periodic": self.periodic, "scaling": self.scaling,
                "padding": self.padding, "data_format": self.data_format,
                "expand_dims": self.expand_dims}
