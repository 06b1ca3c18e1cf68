"""The one inference path: `predict`, `predict_on_batch` and `model(x)` all run `call`.

`call` runs the model's cached compiled forward on a batch of arrays. What can be decided once
per input signature is decided once and cached on the model: the variable lists (see
`state.model_variables`), the input-spec check and the padding decision. Varying batch sizes are
padded with zero rows to a few bucket sizes (powers of two, at most `cap`), so that they share
a few compiled programs, unless padding could change the result: a model with stateful layers
(the padding rows would advance their states), inputs with a fixed batch size, or a model found
to reduce over the batch or to `add_loss` (which sees every row).
"""

import numpy as np

from neokeras import backend
from neokeras.layers.layer import structure_version
from neokeras.trainers import distributed
from neokeras.trainers.state import model_variables
from neokeras.utils import tree

# Without a batch-size cap, larger batches are not padded: a power of two could double their
# compute, and their compile time is small next to it.
_MAX_UNCAPPED_BUCKET = 1024


def call(model, inputs, training=False, cap=None, bucket=True):
    """Runs `model` on `inputs` (arrays) through its compiled forward.

    A batch is padded to the next power of two of at most `cap` rows; with `bucket=False`
    (the batches of one `predict`) straight to `cap` rows, so the last batch reuses the
    program of the full ones.

    Returns `(outputs, added_losses, rows)`: `rows` is the number of real rows when the batch
    was padded (the outputs then have padding rows to cut off), else None.
    """
    cache = model._functions
    entry = cache.get("inference")
    if entry is None or entry[0] != structure_version():
        entry = _new_entry(model)
    _, variables, forward, float_dtype, plans = entry
    inputs = _as_arrays(inputs, float_dtype)
    key = (_signature(inputs), training, cap, bucket)
    size = plans.get(key)
    if size is None:  # a new input signature: check it once, decide the padding once
        model._check_input_spec(inputs)
        size = plans[key] = 0 if training else _padded_size(model, inputs, cap, bucket)
    trainable = [variable._value for variable in variables[0]]
    non_trainable = [variable._value for variable in variables[1]]
    current = distributed.current()
    rows = _batch_rows(inputs) if size else None
    if rows == size:  # a full batch: nothing to pad
        rows = None
    if rows is not None:
        padded = tree.map_structure(lambda a: _pad_rows(a, size), inputs)
        outputs, updated, losses = forward(
            trainable, non_trainable, _placed(padded, current), training)
        if losses or _batch_rows(outputs) != size:
            # `add_loss` values may sum or average over the batch, padding rows included;
            # outputs without the batch dimension were reduced over it. Never pad again.
            model._inference_padding_unsafe = True
            plans.clear()
            rows = None
    if rows is None:
        outputs, updated, losses = forward(
            trainable, non_trainable, _placed(inputs, current), training)
    if current is not None:
        outputs = distributed.local_outputs(outputs, current)
    if updated:
        for index, value in updated.items():
            variables[1][index]._value = value
    return outputs, losses, rows


def _new_entry(model):
    """`(structure version, variable lists, forward, float dtype, padding plans)`, cached on
    the model until some layer's structure changes (the plans outlive it)."""
    cache = model._functions
    variables = model_variables(model)  # drops the forward if the variables changed
    forward = cache.get("forward")
    if forward is None:
        # Layers that cannot be traced (string lookups...) make the forward run op by op.
        forward = cache["forward"] = backend.trainer.make_forward_function(
            model, variables, eager=model._eager or not supports_jit(model))
    entry = cache["inference"] = (structure_version(), variables, forward,
                                  np.dtype(model.compute_dtype),
                                  cache.setdefault("padding", {}))
    return entry


def _placed(inputs, current):
    """Under a distribution, the batch split over the mesh's batch axis."""
    return inputs if current is None else distributed.place_inputs(inputs, current)


def supports_jit(model):
    """Whether every layer of `model` may run inside the compiled forward (cached until the
    structure of some layer changes)."""
    cached = model._functions.get("supports_jit")
    version = structure_version()
    if cached is None or cached[0] != version:
        cached = model._functions["supports_jit"] = (
            version, all(getattr(layer, "supports_jit", True) for layer in model._flatten_layers()))
    return cached[1]


def _as_arrays(inputs, dtype):
    """Device arrays as they are; host data as numpy in the model's dtypes (the compiled call
    transfers numpy far faster than an explicit `device_put`)."""
    if type(inputs) is np.ndarray and (inputs.dtype == dtype or inputs.dtype == np.int32):
        return inputs

    def convert(x):
        if x is None or backend.is_tensor(x):
            return x
        x = np.asarray(x)
        if x.dtype.kind == "f" and x.dtype != dtype:
            return x.astype(dtype)
        return x.astype("int32") if x.dtype == np.int64 else x

    if isinstance(inputs, np.ndarray) or backend.is_tensor(inputs):
        return convert(inputs)
    return tree.map_structure(convert, inputs)


def _signature(inputs):
    if hasattr(inputs, "shape"):
        return inputs.shape, inputs.dtype
    return tuple((getattr(a, "shape", None), getattr(a, "dtype", None))
                 for a in tree.flatten(inputs))


def _batch_rows(inputs):
    """The leading dimension shared by every array in `inputs`, or None if they differ."""
    if type(inputs) is np.ndarray:
        return inputs.shape[0] if inputs.ndim else None
    rows = {getattr(a, "shape", ())[:1] for a in tree.flatten(inputs)}
    if len(rows) != 1:
        return None
    (row,) = rows
    return row[0] if row and isinstance(row[0], int) else None


def bucket_size(rows, cap=None):
    """The row count an inference call on `rows` rows is padded to: the next power of two, at
    most `cap` (but never below `rows`), so that calls on 1, 2, 3, ... rows share
    log2(cap) + 1 compiled programs instead of one per row count."""
    if cap is None and rows > _MAX_UNCAPPED_BUCKET:
        return rows
    size = 1 << max(rows - 1, 0).bit_length()
    return size if cap is None else max(min(size, cap), rows)


def pads_batches(model):
    """Whether `model`'s inference outputs stay exact when rows are appended to the batch. Not
    so for a model with a stateful layer, nor one whose inputs fix the batch size, nor one found
    to reduce over the batch or to `add_loss` in inference. A model that mixes rows without
    changing the output shape cannot be detected; Keras's `predict` pads its last batch under
    the same assumption."""
    if getattr(model, "_inference_padding_unsafe", False):
        return False
    if any(getattr(layer, "stateful", False) for layer in model._flatten_layers()):
        return False
    inputs = getattr(model, "inputs", None) or []
    return all(getattr(t, "shape", (None,))[:1] in ((None,), ()) for t in inputs)


def _padded_size(model, inputs, cap, bucket):
    """The padded row count for `inputs`, or 0 when they are not padded."""
    rows = _batch_rows(inputs)
    if not rows:
        return 0
    size = bucket_size(rows, cap) if bucket or cap is None else max(rows, cap)
    if size == rows or not pads_batches(model):
        return 0
    return size


def _pad_rows(array, size):
    # On the host: a device op would itself compile once per row count.
    array = backend.convert_to_numpy(array)
    padding = np.zeros((size - array.shape[0],) + array.shape[1:], dtype=array.dtype)
    return np.concatenate([array, padding], axis=0)


def concatenate_batches(outputs):
    """Joins per-batch outputs `[(outputs, rows), ...]` into numpy arrays (rows cut to the
    real ones)."""
    first = outputs[0][0]
    flat_per_batch = [tree.flatten(out) for out, _ in outputs]
    joined = [np.concatenate([np.asarray(flat[i])[:rows]
                              for flat, (_, rows) in zip(flat_per_batch, outputs)])
              for i in range(len(flat_per_batch[0]))]
    return tree.pack_sequence_as(first, joined)
