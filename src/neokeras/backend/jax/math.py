"""Math ops of `keras.ops` beyond NumPy: segment reductions, top-k, FFT/STFT, special functions."""

import math

import jax
import jax.numpy as jnp
import numpy as np

from neokeras.backend.jax.numpy import _t, _to_float

__all__ = [
    "cdist", "erf", "erfc", "erfinv", "extract_sequences", "fft", "fft2", "ifft2", "in_top_k",
    "irfft", "istft", "logdet", "logsumexp", "rfft", "rsqrt", "segment_max", "segment_min",
    "segment_prod", "segment_sum", "stft", "top_k", "view_as_complex", "view_as_real",
]


def _segment(reduce, name, data, segment_ids, num_segments, sorted):
    data, segment_ids = _t(data), _t(segment_ids)
    if num_segments is None:
        if isinstance(segment_ids, jax.core.Tracer):
            raise ValueError(f"ops.{name}: `num_segments` must be given inside a traced "
                             "(jit) function, where the number of segments cannot be read "
                             "from `segment_ids`.")
        num_segments = int(jnp.max(segment_ids)) + 1 if segment_ids.size else 0
    if segment_ids.ndim != 1 or segment_ids.shape[0] != data.shape[0]:
        raise ValueError(f"ops.{name}: `segment_ids` must be 1-D with one id per row of "
                         f"`data`. Received: data.shape={data.shape}, "
                         f"segment_ids.shape={segment_ids.shape}")
    return reduce(data, segment_ids, int(num_segments), indices_are_sorted=sorted)


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    return _segment(jax.ops.segment_sum, "segment_sum", data, segment_ids, num_segments, sorted)


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    return _segment(jax.ops.segment_max, "segment_max", data, segment_ids, num_segments, sorted)


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    return _segment(jax.ops.segment_min, "segment_min", data, segment_ids, num_segments, sorted)


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    return _segment(jax.ops.segment_prod, "segment_prod", data, segment_ids, num_segments,
                    sorted)


def top_k(x, k, sorted=True):
    x = _t(x)
    if not 0 <= k <= x.shape[-1]:
        raise ValueError(f"ops.top_k: `k` must be between 0 and the size of the last axis "
                         f"({x.shape[-1]}). Received: k={k}")
    return jax.lax.top_k(x, k)


def in_top_k(targets, predictions, k):
    targets, predictions = _t(targets), _t(predictions)
    at_target = jnp.take_along_axis(predictions, targets[..., None], axis=-1)
    at_target = jnp.where(jnp.isnan(at_target), -jnp.inf, at_target)
    # A target ranks within k when fewer than k predictions are strictly larger.
    rank = 1 + jnp.sum(predictions > at_target, axis=-1)
    return rank <= k


def logsumexp(x, axis=None, keepdims=False):
    return jax.scipy.special.logsumexp(_to_float(x), axis=axis, keepdims=keepdims)


def rsqrt(x):
    return jax.lax.rsqrt(_to_float(x))


def erf(x):
    return jax.scipy.special.erf(_to_float(x))


def erfc(x):
    return jax.scipy.special.erfc(_to_float(x))


def erfinv(x):
    return jax.scipy.special.erfinv(_to_float(x))


def logdet(x):
    return jnp.linalg.slogdet(_to_float(x))[1]


def cdist(x, y):
    x, y = _t(x), _t(y)
    if x.ndim < 2 or y.ndim < 2:
        raise ValueError(f"ops.cdist inputs must have rank >= 2. Received: x.shape={x.shape}, "
                         f"y.shape={y.shape}")
    if x.shape[-1] != y.shape[-1]:
        raise ValueError("ops.cdist: the last dimensions of `x` and `y` must match. "
                         f"Received: x.shape={x.shape}, y.shape={y.shape}")
    diff = x[..., :, None, :] - y[..., None, :, :]
    return jnp.sqrt(jnp.sum(diff * diff, axis=-1))


def extract_sequences(x, sequence_length, sequence_stride):
    """Frames of `sequence_length` samples every `sequence_stride` along the last axis."""
    x = _t(x)
    count = 1 + (x.shape[-1] - sequence_length) // sequence_stride
    starts = np.arange(count) * sequence_stride
    index = starts[:, None] + np.arange(sequence_length)[None, :]
    return x[..., index]


def _complex(x, op):
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(f"ops.{op}: `x` must be a tuple (real, imag) of two tensors. "
                         f"Received: x={x!r}")
    real, imag = _t(x[0]), _t(x[1])
    if real.shape != imag.shape:
        raise ValueError(f"ops.{op}: the real and imaginary parts must have the same shape. "
                         f"Received: x[0].shape={real.shape}, x[1].shape={imag.shape}")
    if not (jnp.issubdtype(real.dtype, jnp.floating) and jnp.issubdtype(imag.dtype, jnp.floating)):
        raise ValueError(f"ops.{op}: the real and imaginary parts must be float tensors. "
                         f"Received dtypes: {real.dtype}, {imag.dtype}")
    return jax.lax.complex(real, imag)


def _split(z):
    return jnp.real(z), jnp.imag(z)


def fft(x):
    return _split(jnp.fft.fft(_complex(x, "fft")))


def fft2(x):
    return _split(jnp.fft.fft2(_complex(x, "fft2")))


def ifft2(x):
    return _split(jnp.fft.ifft2(_complex(x, "ifft2")))


def rfft(x, fft_length=None):
    return _split(jnp.fft.rfft(_to_float(x), n=fft_length, axis=-1))


def irfft(x, fft_length=None):
    return jnp.fft.irfft(_complex(x, "irfft"), n=fft_length, axis=-1)


def _window(window, sequence_length, fft_length, dtype):
    """The analysis window, zero-padded to `fft_length` (centered as Keras does)."""
    if window is None:
        return jnp.ones((fft_length,), dtype)
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError('ops.stft/istft: a string `window` must be "hann" or "hamming". '
                             f"Received: window={window!r}")
        # Periodic windows (scipy.signal.get_window's default).
        n = np.arange(sequence_length)
        a = 0.5 if window == "hann" else 0.54
        win = jnp.asarray(a - (1 - a) * np.cos(2 * np.pi * n / sequence_length), dtype)
    else:
        win = _t(window).astype(dtype)
        if win.ndim != 1 or win.shape[0] != sequence_length:
            raise ValueError("ops.stft/istft: `window` must have shape (sequence_length,). "
                             f"Received: window.shape={win.shape}")
    left = (fft_length - sequence_length) // 2
    return jnp.pad(win, (left, fft_length - sequence_length - left))


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    x = _t(x)
    if x.dtype not in (jnp.float32, jnp.float64):
        raise TypeError(f"ops.stft expects a float32 or float64 input. Received: x.dtype={x.dtype}")
    if fft_length < sequence_length:
        raise ValueError("ops.stft: `fft_length` must be >= `sequence_length`. Received: "
                         f"sequence_length={sequence_length}, fft_length={fft_length}")
    win = _window(window, sequence_length, fft_length, x.dtype)
    if center:
        pad = [(0, 0)] * (x.ndim - 1) + [(fft_length // 2, fft_length // 2)]
        x = jnp.pad(x, pad, mode="reflect")
    frames = extract_sequences(x, fft_length, sequence_stride) * win
    return _split(jnp.fft.rfft(frames, n=fft_length, axis=-1))


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann",
          center=True):
    spectrum = _complex(x, "istft")
    if spectrum.ndim < 2:
        raise ValueError(f"ops.istft: `x` must have at least 2 dimensions. "
                         f"Received: shape={spectrum.shape}")
    dtype = jnp.real(spectrum).dtype
    win = _window(window, sequence_length, fft_length, dtype)
    frames = jnp.fft.irfft(spectrum, n=fft_length, axis=-1) * win
    num_frames = frames.shape[-2]
    total = fft_length + sequence_stride * (num_frames - 1)
    # Overlap-add of the windowed frames, normalized by the overlap-added squared window.
    index = (np.arange(num_frames)[:, None] * sequence_stride
             + np.arange(fft_length)[None, :]).reshape(-1)
    signal = jnp.zeros(frames.shape[:-2] + (total,), dtype)
    signal = signal.at[..., index].add(frames.reshape(frames.shape[:-2] + (-1,)))
    norm = jnp.zeros((total,), dtype).at[index].add(jnp.tile(win * win, num_frames))
    signal = jnp.where(norm > 1e-10, signal / jnp.where(norm > 1e-10, norm, 1.0), signal)
    if window is None:
        signal = signal * fft_length / sequence_stride
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + length
    elif center:
        end = total - fft_length // 2
    else:
        end = total
    return signal[..., start:end]


def view_as_complex(x):
    x = _t(x)
    if x.ndim < 1 or x.shape[-1] != 2:
        raise ValueError("ops.view_as_complex expects a last dimension of size 2 (real, imag). "
                         f"Received: x.shape={x.shape}")
    return jax.lax.complex(x[..., 0], x[..., 1])


def view_as_real(x):
    x = _t(x)
    return jnp.stack([jnp.real(x), jnp.imag(x)], axis=-1)
