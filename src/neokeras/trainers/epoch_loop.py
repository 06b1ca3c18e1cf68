"""The one epoch loop of `fit` and `evaluate`: compiled chunks over a data adapter's chunks.

Every data adapter yields `Chunk`s (see `data_adapters.chunk`); the loop runs the compiled chunk
function on each, threading the `TrainingState`'s values, and calls the callbacks' batch hooks.
When a callback acts on individual batches, chunks are one step long and the state is written
to the variables around each hook (a callback may read or change weights); otherwise the hooks
only see the logs of each chunk's last step.
"""

import math

import numpy as np


def chunk_size(model, steps, per_batch, fuses=True, bucketed=False, shows_progress=True):
    """Steps per compiled call: 1 when a callback needs every batch, `steps_per_execution`
    when the user set it, 1 when the backend runs this model's steps slower in a loop
    (`fuses=False`), else about eight calls per epoch (few enough that Python overhead
    vanishes, enough that the progress bar still moves) of at least 16 steps, or of at least
    64 when no progress bar shows the steps (`shows_progress=False`: each call back to Python
    costs a copy of the state, ~3% of the MLP benchmark's epoch at 16 steps per call).

    `bucketed` (for streamed chunks, see `ArrayDataAdapter.chunks`) does not cap the size by
    `steps` and rounds the automatic one up to a power of two, so that passes of different
    lengths share one compiled chunk; steps past the data are skipped.
    """
    if per_batch or not steps:
        return 1
    if model.steps_per_execution > 1:
        if bucketed:
            return model.steps_per_execution
        return min(model.steps_per_execution, steps)
    if not fuses:
        return 1
    size = max(16 if shows_progress else 64, math.ceil(steps / 8))
    if bucketed:
        return 1 << (size - 1).bit_length()
    return min(steps, size)


def run_epoch(model, chunks, chunk_function, state, callbacks, mode, per_batch):
    """Runs `chunk_function` over `chunks`; returns the last logs (None if there was no chunk).

    Args:
        model: The model (its `stop_training` ends a training epoch early).
        chunks: Iterable of `Chunk`s.
        chunk_function: `(values, data, indices, weights, num_steps) -> (values, logs)`.
        state: The `TrainingState` whose values are threaded (and updated in place).
        callbacks: A `CallbackList`, or None.
        mode: `"train"` or `"test"` (which batch hooks run).
        per_batch: Whether a callback needs every batch (chunks are then one step long).
    """
    begin_hook = f"on_{mode}_batch_begin"
    end_hook = f"on_{mode}_batch_end"
    training = mode == "train"
    logs = None
    for chunk in chunks:
        if per_batch:
            if training:
                state.write()
            getattr(callbacks, begin_hook)(chunk.first_step)
        state.values, logs = chunk_function(state.values, chunk.data, chunk.indices,
                                            chunk.weights, np.int32(chunk.num_steps))
        last_step = chunk.first_step + chunk.num_steps - 1
        if per_batch:
            if training:
                state.write()
            getattr(callbacks, end_hook)(last_step, to_floats(logs))
            if training:
                state.read()  # the hook may have changed weights or the learning rate
        elif callbacks is not None:
            getattr(callbacks, end_hook)(last_step, logs)
        if training and model.stop_training:
            break
    return logs


def to_floats(logs):
    return {k: float(v) for k, v in (logs or {}).items()}
