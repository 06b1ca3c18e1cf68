"""Weight initializers, by name (`"glorot_uniform"`) or class (`GlorotUniform(seed=1)`).

An initializer is called as `initializer(shape, dtype)` and returns an array. Seeded random
initializers give the values of Keras 3 on JAX (see `backend.random.initial_normal`), drawn by
programs compiled once per size class rather than per weight shape. As in Keras 3, an initializer made with `seed=None` draws its own
int seed from Python's `random` when it is created (so `random.seed(n)` or
`utils.set_random_seed(n)` before creating it makes it repeatable), and every call of one
initializer then returns the same values, as with an explicit int seed; `get_config` still
reports `seed=None`.
"""

import math
import random as python_random

import numpy as np

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.backend import random


class Initializer:
    """Base class: subclasses implement `__call__(shape, dtype=None)` and `get_config`."""

    def __call__(self, shape, dtype=None):
        raise NotImplementedError

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


keras_name("keras.initializers.Initializer")(Initializer)


def _check_seed(cls_name, seed):
    if isinstance(seed, dict):  # a serialized SeedGenerator
        from neokeras.saving.serialization import deserialize_keras_object

        seed = deserialize_keras_object(seed)
    if seed is None or isinstance(seed, SeedGenerator):
        return seed
    if not isinstance(seed, (int, np.integer)):
        raise ValueError(f"{cls_name}(seed=...) must be an int, a SeedGenerator or None. "
                         f"Received: seed={seed!r}")
    return int(seed)


@keras_name("keras.initializers.Constant")
class Constant(Initializer):
    """Fills with a constant `value`."""

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        return np.full(shape, self.value, dtype=dtype or _floatx())

    def get_config(self):
        return {"value": self.value}


@keras_name("keras.initializers.Zeros")
class Zeros(Initializer):
    """Fills with zeros."""

    def __call__(self, shape, dtype=None):
        return np.zeros(shape, dtype=dtype or _floatx())


@keras_name("keras.initializers.Ones")
class Ones(Initializer):
    """Fills with ones."""

    def __call__(self, shape, dtype=None):
        return np.ones(shape, dtype=dtype or _floatx())


@keras_name("keras.initializers.Identity", "keras.initializers.IdentityInitializer")
class Identity(Initializer):
    """`gain` times the identity matrix (2D shapes only)."""

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) != 2:
            raise ValueError(f"Identity initializer needs a 2D shape. Received: shape={shape}")
        return (self.gain * np.eye(shape[0], shape[1])).astype(dtype or _floatx())

    def get_config(self):
        return {"gain": self.gain}


class _RandomInitializer(Initializer):
    def __init__(self, seed=None):
        self._init_seed = _check_seed(type(self).__name__, seed)
        self.seed = self._init_seed if seed is not None else python_random.randint(1, 10**9)

    def _seed_config(self):
        if isinstance(self._init_seed, SeedGenerator):
            from neokeras.saving.serialization import serialize_keras_object

            return serialize_keras_object(self._init_seed)
        return self._init_seed

    def get_config(self):
        return {"seed": self._seed_config()}


@keras_name("keras.initializers.RandomNormal")
class RandomNormal(_RandomInitializer):
    """Normal distribution with `mean` and `stddev`."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape, dtype=None):
        return random.initial_normal(shape, self.mean, self.stddev, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self._seed_config()}


@keras_name("keras.initializers.RandomUniform")
class RandomUniform(_RandomInitializer):
    """Uniform distribution on `[minval, maxval)`."""

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        self.minval, self.maxval = minval, maxval

    def __call__(self, shape, dtype=None):
        return random.initial_uniform(shape, self.minval, self.maxval, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self._seed_config()}


@keras_name("keras.initializers.TruncatedNormal")
class TruncatedNormal(_RandomInitializer):
    """Normal distribution truncated to two standard deviations around `mean`."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape, dtype=None):
        return random.initial_truncated_normal(shape, self.mean, self.stddev, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self._seed_config()}


def _fans(shape, input_axes=None, output_axes=None):
    """(fan_in, fan_out) as Keras computes them (receptive field times channels for convs, or
    the product of the given axes)."""
    if input_axes is not None and output_axes is not None:
        return (math.prod(shape[a] for a in input_axes),
                math.prod(shape[a] for a in output_axes))
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


@keras_name("keras.initializers.VarianceScaling")
class VarianceScaling(_RandomInitializer):
    """Scales the variance to the layer's fan-in, fan-out or their average.

    Args:
        scale: Positive scaling factor.
        mode: `"fan_in"`, `"fan_out"` or `"fan_avg"`.
        distribution: `"truncated_normal"`, `"untruncated_normal"` or `"uniform"`.
        seed: Int, `SeedGenerator` (new values on each call) or None.
        input_axes, output_axes: Optional lists of axes whose sizes multiply to the fan-in and
            fan-out (instead of the usual dense/convolution rule).
    """

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 input_axes=None, output_axes=None):
        super().__init__(seed)
        self.input_axes = None if input_axes is None else list(input_axes)
        self.output_axes = None if output_axes is None else list(output_axes)
        if scale <= 0:
            raise ValueError(f"VarianceScaling(scale=...) must be positive. Received: scale={scale}")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(
                f"VarianceScaling(mode=...) must be 'fan_in', 'fan_out' or 'fan_avg'. Received: {mode!r}")
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in ("truncated_normal", "untruncated_normal", "uniform"):
            raise ValueError(
                "VarianceScaling(distribution=...) must be 'truncated_normal', "
                f"'untruncated_normal' or 'uniform'. Received: {distribution!r}")
        self.scale, self.mode, self.distribution = scale, mode, distribution

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = _fans(shape, self.input_axes, self.output_axes)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        variance = self.scale / max(1.0, fan)
        if self.distribution == "truncated_normal":
            # Standard deviation of a unit normal truncated to [-2, 2].
            stddev = math.sqrt(variance) / 0.87962566103423978
            return random.initial_truncated_normal(shape, 0.0, stddev, dtype=dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return random.initial_normal(shape, 0.0, math.sqrt(variance), dtype=dtype, seed=self.seed)
        limit = math.sqrt(3.0 * variance)
        return random.initial_uniform(shape, -limit, limit, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self._seed_config(), "input_axes": self.input_axes, "output_axes": self.output_axes}


def _variance_scaling_preset(public_name, scale, mode, distribution, doc):
    @keras_name(public_name)
    class Preset(VarianceScaling):
        def __init__(self, seed=None, input_axes=None, output_axes=None):
            super().__init__(scale=scale, mode=mode, distribution=distribution, seed=seed,
                             input_axes=input_axes, output_axes=output_axes)

        def get_config(self):
            # Keras >= 3.12 writes input_axes/output_axes; older files simply omit them.
            return {"seed": self._seed_config(), "input_axes": self.input_axes,
                    "output_axes": self.output_axes}

    Preset.__name__ = Preset.__qualname__ = public_name.rsplit(".", 1)[1]
    Preset.__doc__ = doc
    return Preset


GlorotUniform = _variance_scaling_preset(
    "keras.initializers.GlorotUniform", 1.0, "fan_avg", "uniform",
    "Uniform on `[-limit, limit]`, `limit = sqrt(6 / (fan_in + fan_out))` (Xavier uniform).")
GlorotNormal = _variance_scaling_preset(
    "keras.initializers.GlorotNormal", 1.0, "fan_avg", "truncated_normal",
    "Truncated normal with `stddev = sqrt(2 / (fan_in + fan_out))` (Xavier normal).")
HeNormal = _variance_scaling_preset(
    "keras.initializers.HeNormal", 2.0, "fan_in", "truncated_normal",
    "Truncated normal with `stddev = sqrt(2 / fan_in)`.")
HeUniform = _variance_scaling_preset(
    "keras.initializers.HeUniform", 2.0, "fan_in", "uniform",
    "Uniform on `[-limit, limit]`, `limit = sqrt(6 / fan_in)`.")
LecunNormal = _variance_scaling_preset(
    "keras.initializers.LecunNormal", 1.0, "fan_in", "truncated_normal",
    "Truncated normal with `stddev = sqrt(1 / fan_in)` (pairs with selu).")
LecunUniform = _variance_scaling_preset(
    "keras.initializers.LecunUniform", 1.0, "fan_in", "uniform",
    "Uniform on `[-limit, limit]`, `limit = sqrt(3 / fan_in)`.")


@keras_name("keras.initializers.Orthogonal", "keras.initializers.OrthogonalInitializer")
class Orthogonal(_RandomInitializer):
    """A random orthogonal matrix (QR of a normal matrix) times `gain`."""

    def __init__(self, gain=1.0, seed=None):
        super().__init__(seed)
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) < 2:
            raise ValueError(f"Orthogonal initializer needs at least 2 dimensions. Received: {shape}")
        rows = math.prod(shape[:-1])
        cols = shape[-1]
        flat_shape = (max(rows, cols), min(rows, cols))
        dtype = dtype or _floatx()
        a = random.initial_normal(flat_shape, dtype=dtype, seed=self.seed)
        # The factorization runs in the backend (as in Keras) so the values match Keras's; the
        # sign flip, transpose and gain are exact and done on the host.
        if dtype not in ("float32", "float64"):  # no 16-bit QR (Keras fails there)
            a = ops.cast(a, "float32")
        q, r = (np.asarray(t) for t in ops.qr(a))
        q = q * np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return ops.convert_to_tensor(q.reshape(shape) * np.asarray(self.gain, q.dtype), dtype=dtype)

    def get_config(self):
        return {"gain": self.gain, "seed": self._seed_config()}


@keras_name("keras.initializers.STFT", "keras.initializers.STFTInitializer")
class STFT(Initializer):
    """Real or imaginary DFT kernels of shape `(frame_length, 1, fft_length // 2 + 1)`,
    windowed and scaled, for `STFTSpectrogram`'s convolutions.

    Args:
        side: "real" (cosines) or "imag" (negative sines).
        window: A window name for `scipy.signal.get_window` (e.g. "hann"), an array of
            `frame_length` values, or None.
        scaling: "density" (divide by the window's L2 norm), "spectrum" (by its sum) or None.
        periodic: Periodic (for spectral analysis) rather than symmetric window.
    """

    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ("real", "imag"):
            raise ValueError(f"STFT(side=...) must be 'real' or 'imag'. Received: {side!r}")
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError("STFT(scaling=...) must be None, 'density' or 'spectrum'. "
                             f"Received: scaling={scaling!r}")
        if isinstance(window, str):
            _get_window(window, 1, periodic)
        self.side = side
        self.window = window
        self.scaling = scaling
        self.periodic = periodic

    def __call__(self, shape, dtype=None):
        dtype = dtype or _floatx()
        frame_length, _, bins = shape
        time = np.arange(frame_length, dtype=dtype).reshape(frame_length, 1, 1)
        freq = np.arange(bins, dtype=dtype).reshape(1, 1, bins) / ((bins - 1) * 2)
        angles = (-2 * time) * freq * np.arccos(np.asarray(-1, dtype))
        kernel = np.cos(angles) if self.side == "real" else np.sin(angles)
        if self.window is not None:
            window = self.window
            if isinstance(window, str):
                window = _get_window(window, frame_length, self.periodic)
            window = np.asarray(window, dtype=dtype)
            if window.shape != (frame_length,):
                raise ValueError(f"STFT: the window must have shape ({frame_length},). "
                                 f"Received shape {window.shape}.")
            window = window.reshape(frame_length, 1, 1)
            scaling = 1
            if self.scaling == "density":
                scaling = np.sqrt(np.sum(np.square(window)))
            elif self.scaling == "spectrum":
                scaling = np.sum(np.abs(window))
            kernel = kernel * window / scaling
        return kernel.astype(dtype)

    def get_config(self):
        return {"side": self.side, "window": self.window, "periodic": self.periodic,
                "scaling": self.scaling}


STFTInitializer = STFT


def _get_window(name, length, periodic):
    """`scipy.signal.get_window` (SciPy is needed for named windows, as in Keras)."""
    try:
        import scipy.signal
    except ImportError as error:
        raise ImportError(f"The window {name!r} needs SciPy (`pip install scipy`).") from error
    return scipy.signal.get_window(name, length, fftbins=periodic)


def _floatx():
    from neokeras import config

    return config.floatx()


_BY_NAME = {
    "zeros": Zeros, "ones": Ones, "constant": Constant, "identity": Identity,
    "random_normal": RandomNormal, "random_uniform": RandomUniform,
    "truncated_normal": TruncatedNormal, "variance_scaling": VarianceScaling,
    "glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal, "he_normal": HeNormal,
    "he_uniform": HeUniform, "lecun_normal": LecunNormal, "lecun_uniform": LecunUniform,
    "orthogonal": Orthogonal,
    "uniform": RandomUniform, "normal": RandomNormal,  # Keras aliases (Embedding's default)
    "one": Ones, "zero": Zeros,
}
_CLASSES = {cls.__name__: cls for cls in set(_BY_NAME.values())}
_CLASSES.update({"IdentityInitializer": Identity, "OrthogonalInitializer": Orthogonal,
                 "STFT": STFT, "STFTInitializer": STFT})

# Lower-case aliases as Keras exports them (`keras.initializers.glorot_uniform`).
zeros, ones, constant, identity = Zeros, Ones, Constant, Identity
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
variance_scaling, orthogonal = VarianceScaling, Orthogonal
# Keras 3 also exports these names for the same classes.
IdentityInitializer, OrthogonalInitializer, stft = Identity, Orthogonal, STFT
glorot_uniform, glorot_normal, he_normal, he_uniform = GlorotUniform, GlorotNormal, HeNormal, HeUniform
lecun_normal, lecun_uniform = LecunNormal, LecunUniform


def get(identifier):
    """Resolves an initializer: a name, a class, an instance, a serialized dict or a callable."""
    if identifier is None:
        return None
    if isinstance(identifier, str):
        cls = _BY_NAME.get(identifier) or _CLASSES.get(identifier)
        if cls is None:
            raise ValueError(
                f"Unknown initializer {identifier!r}. Known initializers: {sorted(_BY_NAME)}."
            )
        return cls()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret initializer identifier: {identifier!r}")


def serialize(initializer):
    from neokeras.saving.serialization import serialize_keras_object

    return serialize_keras_object(initializer)


def deserialize(config, custom_objects=None):
    from neokeras.saving.serialization import deserialize_keras_object

    return deserialize_keras_object(config, module_objects={**_CLASSES, **_BY_NAME},
                                    custom_objects=custom_objects)
