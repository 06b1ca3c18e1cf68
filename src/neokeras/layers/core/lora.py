"""LoRA (low-rank adaptation) for `Dense`, `EinsumDense` and `Embedding`.

`enable_lora(layer, rank)` freezes the layer's main matrix `W` (its `_kernel` or
`_embeddings` variable) and adds two trainable factors `A` (`W.shape[:-1] + (rank,)`) and `B`
(`(rank, W.shape[-1])`), named `lora_kernel_a`/`_b` (`lora_embeddings_a`/`_b` on Embedding, as
Keras names them). The layer then computes with `W + (lora_alpha / rank) * A @ B`.
Saved files hold the merged matrix only, as Keras writes them, so they load with or without LoRA.

A layer quantized to int8 or int4 keeps `W` quantized and adds the update computed from the
float factors (`quantization.call`); its files hold the merged matrix re-quantized. As in Keras
3.15.1, float8 layers take the factors but refuse to compute with them, and GPTQ/AWQ layers
refuse LoRA.
"""

import types

import numpy as np

from neokeras import initializers
from neokeras import ops


def _main_variable(layer):
    return layer._embeddings if hasattr(layer, "_embeddings") else layer._kernel


def _prefix(layer):
    return "lora_embeddings" if hasattr(layer, "_embeddings") else "lora_kernel"


def factors(layer):
    """The LoRA factors `(A, B)` of a layer with LoRA enabled."""
    prefix = _prefix(layer)
    return getattr(layer, f"{prefix}_a"), getattr(layer, f"{prefix}_b")


def update(layer):
    """`(lora_alpha / rank) * A @ B`."""
    a, b = factors(layer)
    return (layer.lora_alpha / layer.lora_rank) * ops.matmul(a, b)


def effective_kernel(layer):
    """The layer's main matrix with the LoRA update added when LoRA is enabled."""
    main = _main_variable(layer)
    if not getattr(layer, "lora_enabled", False):
        return main
    return ops.cast(main + update(layer), main.dtype)


def _logical_shape(layer):
    """The float shape of the main matrix (a quantized int4 one is stored packed)."""
    if hasattr(layer, "_embeddings"):
        return (layer.input_dim, layer.output_dim)
    if getattr(layer, "quantization_mode", None) == "int4":
        return tuple(layer._orig_kernel_shape)
    return tuple(_main_variable(layer).shape)


def config_entries(layer):
    """`lora_rank` and `lora_alpha` for `get_config`, when LoRA is (to be) enabled."""
    if not layer.lora_rank:
        return {}
    return {"lora_rank": layer.lora_rank, "lora_alpha": layer.lora_alpha}


def enable_lora(layer, rank, lora_alpha=None, a_initializer="he_uniform",
                b_initializer="zeros"):
    """Adds the LoRA factors to a built layer and freezes its main matrix."""
    owner = f"{type(layer).__name__} '{layer.name}'"
    if getattr(layer, "kernel_constraint", None) is not None or getattr(
            layer, "embeddings_constraint", None) is not None:
        raise ValueError(f"{owner}: LoRA cannot be combined with a constraint on the matrix it "
                         "adapts; remove the `kernel_constraint`/`embeddings_constraint`.")
    if not layer.built:
        raise ValueError(f"{owner}: enable_lora() needs a built layer; call the layer on data "
                         "(or build it) first.")
    if layer.lora_enabled:
        raise ValueError(f"{owner}: LoRA is already enabled; it can be enabled once per layer.")
    if getattr(layer, "quantization_mode", None) in ("gptq", "awq"):
        raise NotImplementedError(f"{owner}: LoRA is not supported with "
                                  f"{layer.quantization_mode.upper()} quantization.")
    if isinstance(rank, bool) or not isinstance(rank, (int, np.integer)) or rank <= 0:
        raise ValueError(f"{owner}: enable_lora(rank=...) must be a positive int. "
                         f"Received: rank={rank!r}")
    rank = int(rank)
    main = _main_variable(layer)
    shape = _logical_shape(layer)
    regularizer = getattr(layer, "kernel_regularizer", None) or getattr(
        layer, "embeddings_regularizer", None)
    prefix = _prefix(layer)
    # The factors stay float32 whatever the layer's dtype: their products are small updates.
    setattr(layer, f"{prefix}_a", layer.add_weight(
        shape=shape[:-1] + (rank,), name=f"{prefix}_a",
        initializer=initializers.get(a_initializer), dtype="float32", regularizer=regularizer))
    setattr(layer, f"{prefix}_b", layer.add_weight(
        shape=(rank, shape[-1]), name=f"{prefix}_b",
        initializer=initializers.get(b_initializer), dtype="float32", regularizer=regularizer))
    main.trainable = False
    layer.lora_enabled = True
    layer.lora_rank = rank
    layer.lora_alpha = lora_alpha if lora_alpha is not None else rank
    if not getattr(layer, "_is_quantized", False):
        # A quantized layer's own saving merges the update (`quantization`).
        layer.save_own_variables = types.MethodType(_save_own_variables, layer)
        layer.load_own_variables = types.MethodType(_load_own_variables, layer)


def _saved_variables(layer):
    """The variables a file holds for the layer: all but the LoRA factors."""
    ids = tuple(id(v) for v in factors(layer))
    return [v for v in layer._trainable_variables + layer._non_trainable_variables
            if id(v) not in ids]


def _save_own_variables(layer, store):
    main = _main_variable(layer)
    for index, variable in enumerate(_saved_variables(layer)):
        value = effective_kernel(layer) if variable is main else variable.value
        store[str(index)] = np.asarray(value)


def _load_own_variables(layer, store):
    variables = _saved_variables(layer)
    if len(store) != len(variables):
        raise ValueError(f"{type(layer).__name__} '{layer.name}' has {len(variables)} saved "
                         f"variables, but the file holds {len(store)}.")
    for index, variable in enumerate(variables):
        variable.assign(np.asarray(store[str(index)]).astype(variable.dtype))
    reset(layer)


def reset(layer):
    """Zeroes the factors: a file holds the merged matrix, the update starts again from zero."""
    for factor in factors(layer):
        factor.assign(np.zeros(factor.shape, "float32"))
