"""`MelSpectrogram`: mel-scaled (log) power spectrogram of audio signals."""

import math

import numpy as np

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer

_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def _hertz_to_mel(hertz):
    return _MEL_HIGH_FREQUENCY_Q * np.log(1.0 + hertz / _MEL_BREAK_FREQUENCY_HERTZ)


def _window(window, length):
    if window is None:
        return np.ones(length)
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(f'MelSpectrogram: a window name must be "hann" or "hamming". '
                             f"Received: window={window!r}")
        n = np.arange(length)
        # SciPy's default (periodic) windows.
        a = 0.5 if window == "hann" else 0.54
        return a - (1 - a) * np.cos(2 * math.pi * n / length)
    window = np.asarray(window, dtype="float64")
    if window.shape != (length,):
        raise ValueError(f"MelSpectrogram: the window must have shape ({length},). "
                         f"Received shape {window.shape}.")
    return window


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """(real, imag) STFT of the last axis: `(..., frames, fft_length // 2 + 1)` each.

    Equals Keras's `ops.stft`; the DFT is a matrix product, so it runs anywhere `ops` does.
    """
    if center:
        widths = [(0, 0)] * (len(x.shape) - 1) + [(fft_length // 2, fft_length // 2)]
        x = ops.pad(x, widths, mode="reflect")
    left = (fft_length - sequence_length) // 2
    win = np.pad(_window(window, sequence_length), (left, fft_length - sequence_length - left))
    frames = (x.shape[-1] - fft_length) // sequence_stride + 1
    index = np.arange(frames)[:, None] * sequence_stride + np.arange(fft_length)[None, :]
    segments = ops.take(x, ops.convert_to_tensor(index.astype("int32")), axis=-1)
    bins = fft_length // 2 + 1
    angles = 2 * math.pi * np.outer(np.arange(fft_length), np.arange(bins)) / fft_length
    dtype = str(x.dtype)
    cos = ops.convert_to_tensor((win[:, None] * np.cos(angles)).astype(dtype))
    sin = ops.convert_to_tensor((-win[:, None] * np.sin(angles)).astype(dtype))
    return ops.matmul(segments, cos), ops.matmul(segments, sin)


def linear_to_mel_weight_matrix(num_mel_bins, num_spectrogram_bins, sampling_rate,
                                lower_edge_hertz, upper_edge_hertz):
    """Triangular mel filters, `(num_spectrogram_bins, num_mel_bins)` (TensorFlow's)."""
    nyquist = sampling_rate / 2.0
    linear = np.linspace(0.0, nyquist, num_spectrogram_bins, dtype="float32")[1:]
    bins_mel = _hertz_to_mel(linear)[:, None]
    edges = np.linspace(_hertz_to_mel(np.float32(lower_edge_hertz)),
                        _hertz_to_mel(np.float32(upper_edge_hertz)), num_mel_bins + 2,
                        dtype="float32")
    lower, center, upper = edges[:-2][None], edges[1:-1][None], edges[2:][None]
    lower_slopes = (bins_mel - lower) / (center - lower)
    upper_slopes = (upper - bins_mel) / (upper - center)
    weights = np.maximum(0.0, np.minimum(lower_slopes, upper_slopes))
    return np.pad(weights, ((1, 0), (0, 0))).astype("float32")


@keras_name("keras.layers.MelSpectrogram")
class MelSpectrogram(Layer):
    """Mel spectrogram of signals `(batch, samples)` (or one signal), as `(..., mels, frames)`.

    Args:
        fft_length: DFT size.
        sequence_stride: Hop between frames.
        sequence_length: Window length (default `fft_length`).
        window: "hann" (default), "hamming", an array, or None.
        sampling_rate: Samples per second.
        num_mel_bins: Number of mel bands.
        min_freq, max_freq: Frequency range of the bands (max default: Nyquist).
        power_to_db: Convert to decibels (clipped to `top_db` below the maximum).
        top_db: Dynamic range kept by `power_to_db`.
        mag_exp: Exponent of the magnitude (2: power).
        min_power: Floor before the logarithm.
        ref_power: Power mapped to 0 dB.
    """

    def __init__(self, fft_length=2048, sequence_stride=512, sequence_length=None,
                 window="hann", sampling_rate=16000, num_mel_bins=128, min_freq=20.0,
                 max_freq=None, power_to_db=True, top_db=80.0, mag_exp=2.0, min_power=1e-10,
                 ref_power=1.0, **kwargs):
        self.fft_length = fft_length
        self.sequence_stride = sequence_stride
        self.sequence_length = sequence_length or fft_length
        if self.fft_length < self.sequence_length:
            raise ValueError("MelSpectrogram: fft_length must be >= sequence_length. "
                             f"Received: sequence_length={self.sequence_length}, "
                             f"fft_length={self.fft_length}")
        self.window = window
        self.sampling_rate = sampling_rate
        self.num_mel_bins = num_mel_bins
        self.min_freq = min_freq
        self.max_freq = max_freq or int(sampling_rate / 2)
        self.power_to_db = power_to_db
        self.top_db = top_db
        self.mag_exp = mag_exp
        self.min_power = min_power
        self.ref_power = ref_power
        super().__init__(**kwargs)
        self.built = True

    def call(self, inputs):
        dtype = self.compute_dtype if self.compute_dtype in ("float32", "float64") else "float32"
        x = ops.cast(inputs, dtype)
        real, imag = stft(x, self.sequence_length, self.sequence_stride, self.fft_length,
                          self.window, center=True)
        spectrum = ops.power(ops.sqrt(ops.square(real) + ops.square(imag)), self.mag_exp)
        matrix = linear_to_mel_weight_matrix(self.num_mel_bins, spectrum.shape[-1],
                                             self.sampling_rate, self.min_freq, self.max_freq)
        out = ops.tensordot(spectrum, ops.convert_to_tensor(matrix.astype(dtype)), axes=1)
        if self.power_to_db:
            out = 10.0 * ops.log(ops.maximum(out, self.min_power)) / math.log(10.0)
            out = out - 10.0 * math.log10(max(abs(self.ref_power), self.min_power))
            out = ops.maximum(out, ops.max(out) - self.top_db)
        return ops.cast(ops.swapaxes(out, -1, -2), self.compute_dtype)

    def compute_output_shape(self, input_shape):
        frames = lambda n: None if n is None else (n + self.sequence_stride + 1) // self.sequence_stride  # noqa: E731,E501
        if len(input_shape) == 1:
            return (self.num_mel_bins, frames(input_shape[0]))
        return (input_shape[0], self.num_mel_bins, frames(input_shape[1]))

    def get_config(self):
        return {**super().get_config(), "fft_length": self.fft_length,
                "sequence_stride": self.sequence_stride,
                "sequence_length": self.sequence_length, "window": self.window,
                "sampling_rate": self.sampling_rate, "num_mel_bins": self.num_mel_bins,
                "min_freq": self.min_freq, "max_freq": self.max_freq,
                "power_to_db": self.power_to_db, "top_db": self.top_db,
                "mag_exp": self.mag_exp, "min_power": self.min_power,
                "ref_power": self.ref_power}
