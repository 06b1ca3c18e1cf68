"""A `torch.utils.data.DataLoader` as a source of batches.

PyTorch is imported only when an object from it is given. CPU tensors become numpy arrays that
share their memory (`Tensor.numpy()`), so batches are not copied on the way.
"""

from neokeras.utils import tree


def _torch_classes(x, names):
    return any(cls.__name__ in names and cls.__module__.startswith("torch.utils.data")
               for cls in type(x).__mro__)


def is_torch_dataloader(x):
    """Whether `x` is a `torch.utils.data.DataLoader` (or a subclass), without importing torch."""
    return _torch_classes(x, ("DataLoader",))


def is_torch_dataset(x):
    """Whether `x` is a torch `Dataset`/`IterableDataset` (samples, not batches)."""
    return not is_torch_dataloader(x) and _torch_classes(x, ("Dataset", "IterableDataset"))


def _to_numpy(leaf):
    if type(leaf).__module__ != "torch" or not hasattr(leaf, "detach"):
        return leaf
    leaf = leaf.detach().cpu()
    if str(leaf.dtype) == "torch.bfloat16":  # numpy has no bfloat16: reinterpret the bits
        import ml_dtypes
        import torch

        return leaf.view(torch.int16).numpy().view(ml_dtypes.bfloat16)
    return leaf.numpy()


class TorchDataLoaderSource:
    """Iterates a `DataLoader` anew on each `iter()`, yielding batches of numpy arrays.

    Attributes:
        num_batches: `len(dataloader)`, or None when its dataset has no length.
    """

    kind = "torch DataLoader"
    supports_class_weight = False
    infinite = False

    def __init__(self, dataloader):
        self.dataloader = dataloader
        self.num_batches = len(dataloader) if hasattr(dataloader.dataset, "__len__") else None

    def __iter__(self):
        for batch in self.dataloader:
            if isinstance(batch, list):  # `default_collate` makes a list of a tuple sample
                batch = tuple(batch)
            yield tree.map_structure(_to_numpy, batch)

