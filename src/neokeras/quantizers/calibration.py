"""The calibration loop GPTQ and AWQ share (`model.quantize("gptq" | "awq", config=...)`).

The calibration data are cut into token windows and run through the structure's pre-block
layers; then, block by block, the inputs of each GPTQ/AWQ-built layer of the block are streamed
into a per-layer statistic while the block runs on every sample, each layer is quantized from
its statistic, and the block's outputs become the next block's inputs.
"""

import contextlib
import math

import numpy as np

from neokeras import ops

def calibration_samples(tokenizer, sequence_length, dataset, num_samples, seed=42):
    """Calibration windows of `sequence_length` tokens, shape `(num_samples, 1, length)` int32.

    `dataset` is an iterable of strings (tokenized with `tokenizer.tokenize`) or of token
    arrays; the tokens are concatenated (repeated when too few) and windows are taken at a
    regular stride from a seed-dependent offset.
    """
    if not hasattr(dataset, "__iter__") or isinstance(dataset, (str, bytes)):
        raise TypeError("The `dataset` argument must be an iterable (e.g., a list of strings, "
                        "a generator, or a NumPy array). Got type: "
                        f"{type(dataset).__name__}. Please pass the loaded dataset directly.")
    items = list(dataset)
    if not items:
        raise ValueError("Provided dataset is empty.")
    if isinstance(items[0], str):
        pieces = [np.asarray(ops.convert_to_numpy(tokenizer.tokenize(s))).reshape(-1)
                  for s in items]
    else:
        pieces = [np.asarray(ops.convert_to_numpy(s)).reshape(-1) for s in items]
    tokens = np.concatenate(pieces).astype(np.int32)
    needed = num_samples * sequence_length
    if tokens.size < needed:
        tokens = np.tile(tokens, math.ceil(needed / max(1, tokens.size)))
    last_start = tokens.size - sequence_length
    if last_start < 0:
        raise ValueError(f"Not enough tokens to form one sample of length {sequence_length} "
                         f"(have {tokens.size}).")
    stride = max(1, (last_start + 1) // num_samples)
    # Keras's offset hashes a str: it changes between processes unless PYTHONHASHSEED is set.
    offset = abs(hash(("gptq-calib", seed))) % (last_start + 1) if last_start > 0 else 0
    starts = (offset + np.arange(num_samples, dtype=np.int64) * stride) % (last_start + 1)
    windows = np.lib.stride_tricks.sliding_window_view(tokens, sequence_length)
    return windows[starts].astype(np.int32)[:, None, :]


def matrix_rows(layer):
    """The input rows of a GPTQ/AWQ layer's kernel seen as a matrix (its inputs' features)."""
    from neokeras.layers.core import quantization

    return quantization.calibrated_matrix_shape(layer, tuple(layer._kernel.shape),
                                                layer.quantization_mode)[0]


@contextlib.contextmanager
def _streamed_inputs(layers, collectors):
    """Feeds each layer's inputs to its collector while the block runs (the layers run their
    `quantized_call`, so that is what is wrapped)."""
    def hooked(name, forward):
        def call(*args, **kwargs):
            collectors[name].update(args[0] if args else kwargs["inputs"])
            return forward(*args, **kwargs)
        return call

    try:
        for name, layer in layers.items():
            layer.quantized_call = hooked(name, layer.quantized_call)
        yield
    finally:
        for layer in layers.values():
            del layer.quantized_call


@contextlib.contextmanager
def _op_by_op(block):
    """Models run their calls compiled: the hooks need the eager path."""
    if not hasattr(block, "run_eagerly"):
        yield
        return
    saved = block.run_eagerly
    block.run_eagerly = True
    try:
        yield
    finally:
        block.run_eagerly = saved


def _block_layers(block, selected, mode):
    from neokeras.layers.core import quantization
    from neokeras.layers.core.dense import Dense
    from neokeras.layers.core.einsum_dense import EinsumDense

    return {layer.path: layer for layer in block._flatten_layers()
            if len(layer._flatten_layers()) == 1 and isinstance(layer, (Dense, EinsumDense))
            and selected(layer) and layer.quantization_mode == mode
            and not quantization.is_calibrated(layer)}


def calibrate_blocks(config, structure, selected, mode, collector, calibrate):
    """Runs the calibration data through `structure` block by block.

    Args:
        config: The `GPTQConfig`/`AWQConfig` (dataset, tokenizer, sizes).
        structure: `{"pre_block_layers": [...], "sequential_blocks": [...]}`.
        selected: Whether a layer passes `model.quantize`'s filters.
        mode: `"gptq"` or `"awq"`: the layers built for it are calibrated.
        collector: `collector(layer)` makes a statistic with `update(inputs)`.
        calibrate: `calibrate(layer, statistic)` quantizes the layer.
    """
    samples = calibration_samples(config.tokenizer, config.sequence_length, config.dataset,
                                  config.num_samples)[:config.num_samples]
    blocks = structure.get("sequential_blocks", [])
    if not blocks:
        raise ValueError("No sequential blocks found in the provided structure to quantize.")
    inputs = []
    for sample in samples:
        x = ops.convert_to_tensor(sample, dtype="int32")
        for layer in structure.get("pre_block_layers", []):
            x = layer(x)
        inputs.append(x)

    def batched(x):
        return ops.expand_dims(x, 0) if len(x.shape) == 2 else x

    for position, block in enumerate(blocks):
        layers = _block_layers(block, selected, mode)
        with _op_by_op(block):
            if layers:
                statistics = {name: collector(layer) for name, layer in layers.items()}
                with _streamed_inputs(layers, statistics):
                    for x in inputs:
                        block(batched(x))
                for name, layer in layers.items():
                    calibrate(layer, statistics[name])
            if position < len(blocks) - 1:
                inputs = [block(batched(x))[0] for x in inputs]
