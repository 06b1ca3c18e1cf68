"""`Discretization`: buckets continuous values by bin boundaries (given or learned)."""

import numpy as np

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer
from neokeras.layers.preprocessing import category_encoding


def _summarize(values, epsilon):
    """A (2, k) summary of sorted `values`: sample points and the weight each stands for."""
    values = np.sort(np.reshape(values, [-1]))
    step = max(values.size * epsilon, 1)
    points = values[int(step - 1)::int(step)]
    return np.stack([points, np.ones_like(points) * step])


def _compress(summary, epsilon):
    """Resamples a summary at cumulative-weight fractions `epsilon, 2 epsilon, ..., 1`."""
    if summary.shape[1] * epsilon < 1:
        return summary
    fractions = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    shares = cumulative / cumulative[-1]
    points = np.interp(fractions, shares, summary[0])
    cumulative = np.interp(fractions, shares, cumulative)
    weights = cumulative - np.concatenate(([0.0], cumulative[:-1]))
    return np.stack((points, weights)).astype("float32")


def _merge(a, b, epsilon):
    merged = np.concatenate((a, b), axis=1)
    return _compress(merged[:, np.argsort(merged[0])], epsilon)


@keras_name("keras.layers.Discretization")
class Discretization(Layer):
    """Maps each value to the index of the bin it falls in.

    Bin `i` holds values in `[bin_boundaries[i-1], bin_boundaries[i])`. Boundaries are given,
    or learned by `adapt(data)` as approximate quantiles splitting the data into `num_bins`.

    Args:
        bin_boundaries: Sorted list of boundaries (then `num_bins` is None).
        num_bins: Number of bins to learn with `adapt`.
        epsilon: Error tolerance of the quantile estimate.
        output_mode: "int", "one_hot", "multi_hot" or "count".
        sparse: Must be False.
    """

    def __init__(self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int",
                 sparse=False, dtype=None, name=None, **kwargs):
        super().__init__(name=name, dtype=dtype, **kwargs)
        output_mode = category_encoding.check_output_mode(
            "Discretization", output_mode, ("int", "one_hot", "multi_hot", "count"))
        if sparse:
            raise ValueError("Discretization(sparse=True) is not supported on this backend.")
        if num_bins is not None and num_bins < 0:
            raise ValueError(f"Discretization(num_bins=...) must be >= 0. Received: {num_bins}")
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError("Discretization: set either num_bins or bin_boundaries, not both. "
                             f"Received: num_bins={num_bins}, bin_boundaries={bin_boundaries}")
        if num_bins is None and bin_boundaries is None:
            raise ValueError("Discretization: set either num_bins or bin_boundaries.")
        self.bin_boundaries = None if bin_boundaries is None else list(bin_boundaries)
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = False
        self.summary = None if self.bin_boundaries else np.array([[], []], dtype="float32")
        self.built = True

    @property
    def output_dtype(self):
        return self.compute_dtype if self.output_mode != "int" else "int32"

    def adapt(self, data, steps=None):
        """Learns `num_bins` quantile boundaries from `data` (an array or batches of arrays)."""
        if self.num_bins is None:
            raise ValueError("Cannot adapt a Discretization layer created with bin_boundaries; "
                             "create it with num_bins instead.")
        self.reset_state()
        if isinstance(data, (list, tuple)) and data and hasattr(data[0], "shape") \
                or not isinstance(data, (list, tuple, np.ndarray)) and hasattr(data, "__iter__") \
                and not hasattr(data, "shape"):
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        else:
            self.update_state(data)
        self.finalize_state()

    def update_state(self, data):
        data = np.asarray(ops.convert_to_numpy(data) if hasattr(data, "shape")
                          and not isinstance(data, np.ndarray) else data).astype("float32")
        self.summary = _merge(_summarize(data, self.epsilon), self.summary, self.epsilon)

    def finalize_state(self):
        if self.num_bins is not None:
            self.bin_boundaries = _compress(self.summary, 1.0 / self.num_bins)[0, :-1].tolist()

    def reset_state(self):
        if self.num_bins is not None:
            self.summary = np.array([[], []], dtype="float32")

    def _depth(self):
        return len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else self.num_bins

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        depth = self._depth()
        if self.output_mode == "one_hot":
            if input_shape and input_shape[-1] == 1 and len(input_shape) > 1:
                return input_shape[:-1] + (depth,)
            return input_shape + (depth,)
        if len(input_shape) >= 2:
            return (input_shape[0],) + input_shape[2:] + (depth,)
        return (depth,)

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError(f"Layer '{self.name}' (Discretization) needs bin_boundaries or a "
                             "call to adapt() before it is used.")
        x = ops.convert_to_tensor(inputs)
        boundaries = ops.convert_to_tensor(np.asarray(self.bin_boundaries, "float32"))
        # The number of boundaries <= x is the bin index (numpy's digitize, right=False).
        above = ops.greater_equal(ops.expand_dims(ops.cast(x, "float32"), -1), boundaries)
        indices = ops.sum(ops.cast(above, "int32"), axis=-1)
        return category_encoding.encode(indices, self.output_mode, self._depth(),
                                        self.output_dtype)

    def load_own_variables(self, store):
        if len(store) == 1:  # files from Keras versions that stored the summary
            self.summary = store["0"]

    def get_config(self):
        return {"bin_boundaries": self.bin_boundaries, "num_bins": self.num_bins,
                "epsilon": self.epsilon, "output_mode": self.output_mode,
                "sparse": self.sparse, "name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if config.get("bin_boundaries") is not None and config.get("num_bins") is not None:
            boundaries = config.pop("bin_boundaries")
            layer = cls(**config)
            layer.bin_boundaries = boundaries
            return layer
        return cls(**config)
