"""A `tf.data.Dataset` as a source of batches.

TensorFlow is never imported here: a dataset is recognised by the module of its classes, and
its eager tensors turn into numpy arrays through their own `numpy()` method (a view of the
tensor's host buffer where TensorFlow allows it, so batches are not copied on the way).
"""

from neokeras.utils import tree

# `tf.data.experimental.INFINITE_CARDINALITY` and `UNKNOWN_CARDINALITY`.
_INFINITE = -1


def is_tf_dataset(x):
    """Whether `x` is a `tf.data.Dataset` (or a distributed one), without importing TensorFlow."""
    return any(cls.__name__ in ("DatasetV2", "DistributedDataset",
                                "DistributedDatasetsFromFunction")
               and cls.__module__.startswith("tensorflow.") for cls in type(x).__mro__)


# How to make a dense tensor of the composite tensors a pipeline may hold.
_DENSIFY = {"SparseTensor": "tf.sparse.to_dense(t)", "RaggedTensor": "t.to_tensor()"}


def _to_numpy(leaf):
    kind = type(leaf).__name__
    if kind in _DENSIFY:
        raise ValueError(
            f"A tf.data.Dataset element holds a tf.{kind}; fit/evaluate/predict take dense "
            f"tensors only. Convert it in the pipeline: `dataset.map(...)` with "
            f"`{_DENSIFY[kind]}`.")
    return leaf.numpy() if hasattr(leaf, "numpy") else leaf


class TFDatasetSource:
    """Iterates a `tf.data.Dataset` anew on each `iter()`, yielding batches of numpy arrays.

    Attributes:
        num_batches: The dataset's cardinality, or None when it is infinite or unknown.
        infinite: Whether the dataset repeats forever (it then needs `steps_per_epoch`).
    """

    kind = "tf.data.Dataset"
    supports_class_weight = True

    def __init__(self, dataset):
        cardinality = dataset.cardinality
        cardinality = int(cardinality() if callable(cardinality) else cardinality)
        self.dataset = dataset
        self.num_batches = cardinality if cardinality >= 0 else None
        self.infinite = cardinality == _INFINITE

    def __iter__(self):
        for element in self.dataset:
            yield tree.map_structure(_to_numpy, element)
