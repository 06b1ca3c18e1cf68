"""`EinsumDense`: a dense layer whose contraction is any einsum equation."""

import re

from neokeras import activations
from neokeras import constraints
from neokeras import initializers
from neokeras import ops
from neokeras import regularizers
from neokeras.api_export import keras_name
from neokeras.layers.core import lora
from neokeras.layers.core import quantization
from neokeras.layers.input_spec import InputSpec
from neokeras.layers.layer import Layer

_EQUATION = re.compile(r"^(\.\.\.)?([a-zA-Z]+)(\.\.\.)?,([a-zA-Z]+)->(\.\.\.)?([a-zA-Z]+)(\.\.\.)?$")


def einsum_shapes(equation, bias_axes, input_shape, partial_output_shape, owner="EinsumDense"):
    """Kernel, bias and full output shapes implied by an einsum equation.

    Forms accepted (as in Keras): `ab,bc->ac` (the first output letter is the batch axis and
    `partial_output_shape` gives the others), `...b,bc->...c` and `ab...,bc->ac...` (the elided
    axes pass through; `partial_output_shape` gives the lettered output axes after the batch).

    Returns:
        `(kernel_shape, bias_shape or None, output_shape, kernel_input_axes,
        kernel_output_axes)`.
    """
    match = _EQUATION.match(equation.replace(" ", ""))
    left = match and match.group(1) and match.group(5) and not (match.group(3) or match.group(7))
    right = (match and match.group(3) and match.group(7) and not (match.group(1) or match.group(5))
             and len(match.group(2)) >= 2)
    plain = match and not any(match.group(i) for i in (1, 3, 5, 7))
    if not (left or right or plain):
        raise ValueError(
            f"{owner}: invalid einsum equation '{equation}'. Equations must be of the form "
            "'X,Y->Z', '...X,Y->...Z' or 'X...,Y->Z...'.")
    in_spec, kernel_spec, out_spec = match.group(2), match.group(4), match.group(6)
    input_shape = tuple(input_shape)
    elided = len(input_shape) - len(in_spec)
    if elided < 0 or (plain and elided):
        raise ValueError(
            f"{owner}: equation '{equation}' expects inputs of rank {len(in_spec)}"
            f"{' or more' if not plain else ''}. Received input_shape={input_shape}")
    partial = list(partial_output_shape)
    if left:
        sizes_in = dict(zip(in_spec, input_shape[elided:]))
        if elided:
            lettered = partial
            output_shape = (input_shape[0],) + input_shape[1:elided] + tuple(partial)
        else:  # nothing elided: read as the plain form
            lettered = [input_shape[0]] + partial
            output_shape = tuple(lettered)
    elif right:
        sizes_in = dict(zip(in_spec, input_shape[:len(in_spec)]))
        lettered = [input_shape[0]] + partial
        output_shape = (input_shape[0],) + tuple(partial) + input_shape[len(in_spec):]
    else:
        sizes_in = dict(zip(in_spec, input_shape))
        lettered = [input_shape[0]] + partial
        output_shape = tuple(lettered)
    if len(lettered) != len(out_spec):
        raise ValueError(
            f"{owner}: output_shape {tuple(partial_output_shape)} does not fit equation "
            f"'{equation}' ({len(out_spec) - (0 if left else 1)} output sizes expected).")
    # `None` output sizes of axes shared with the input are the input's sizes.
    filled = [sizes_in.get(c) if size is None else size for c, size in zip(out_spec, lettered)]
    if left:
        output_shape = output_shape[:len(output_shape) - len(filled)] + tuple(filled)
    else:
        output_shape = tuple(filled) + output_shape[len(filled):]
    sizes_out = dict(zip(out_spec, filled))
    for letter in in_spec:
        if letter in sizes_out and None not in (sizes_out[letter], sizes_in[letter]) \
                and sizes_out[letter] != sizes_in[letter]:
            raise ValueError(
                f"{owner}: input and output sizes differ at shared dimension '{letter}': input "
                f"{sizes_in[letter]}, output {sizes_out[letter]}.")
    for letter in out_spec:
        if letter not in in_spec and letter not in kernel_spec:
            raise ValueError(f"{owner}: output dimension '{letter}' of '{equation}' appears in "
                             "neither the input nor the kernel.")
    kernel_shape, input_axes, output_axes = [], [], []
    for i, letter in enumerate(kernel_spec):
        if letter in sizes_out:
            kernel_shape.append(sizes_out[letter])
            output_axes.append(i)
        elif letter in sizes_in:
            kernel_shape.append(sizes_in[letter])
            input_axes.append(i)
        else:
            raise ValueError(f"{owner}: kernel dimension '{letter}' of '{equation}' appears in "
                             "neither the input nor the output.")
    bias_shape = None
    if bias_axes:
        unknown = [c for c in bias_axes if c not in out_spec]
        if unknown:
            raise ValueError(f"{owner}: bias_axes '{bias_axes}' names {unknown}, which are not "
                             f"output dimensions of '{equation}'.")
        first = min(out_spec.index(c) for c in bias_axes)
        bias_shape = [sizes_out[c] if c in bias_axes else 1 for c in out_spec[first:]]
        if right:
            bias_shape += [1] * elided
    return kernel_shape, bias_shape, tuple(output_shape), input_axes, output_axes


@keras_name("keras.layers.EinsumDense", "keras.layers.experimental.EinsumDense")
class EinsumDense(Layer):
    """A dense layer computing `activation(einsum(equation, inputs, kernel) + bias)`.

    Args:
        equation: Einsum equation `"input,kernel->output"`, e.g. `"ab,bc->ac"` (a Dense layer)
            or `"abc,cde->abde"`; `...` may stand for leading or trailing pass-through axes.
        output_shape: Int or tuple, the output shape without the batch axis (and without
            elided axes); `None` entries are inferred from the input.
        activation: Activation name or callable; None means linear.
        bias_axes: String of output letters that get a bias, or None for no bias.
        kernel_initializer, bias_initializer: Initializers.
        kernel_regularizer, bias_regularizer, activity_regularizer: Optional regularizers.
        kernel_constraint, bias_constraint: Optional constraints.
        lora_rank, lora_alpha: Enable LoRA at build time with this rank (see `enable_lora`).
        quantization_config: The `keras.quantizers.QuantizationConfig` a quantized layer
            (see `quantize`) is built with.
        gptq_unpacked_column_size: Set by GPTQ quantization (the columns of the quantized
            matrix); saved in the config as Keras does.
    """

    def __init__(self, equation, output_shape, activation=None, bias_axes=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, lora_rank=None, lora_alpha=None,
                 quantization_config=None, gptq_unpacked_column_size=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.gptq_unpacked_column_size = gptq_unpacked_column_size
        self.quantization_config = quantization.config_from_argument(quantization_config)
        if not isinstance(equation, str):
            raise TypeError(f"EinsumDense(equation=...) must be a string. Received: {equation!r}")
        self.equation = equation
        if isinstance(output_shape, (list, tuple)):
            self.partial_output_shape = tuple(None if d is None else int(d) for d in output_shape)
        else:
            self.partial_output_shape = (int(output_shape),)
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.lora_rank = lora_rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else lora_rank
        self.lora_enabled = False

    def build(self, input_shape):
        kernel_shape, bias_shape, output_shape, in_axes, out_axes = einsum_shapes(
            self.equation, self.bias_axes, input_shape, self.partial_output_shape,
            f"EinsumDense '{self.name}'")
        self.full_output_shape = output_shape
        initializer = self.kernel_initializer
        if isinstance(initializer, initializers.VarianceScaling) and (
                initializer.input_axes is None or initializer.output_axes is None):
            # The fans of an einsum kernel are the sizes of its contracted and produced axes. The
            # copy keeps the drawn seed (as Keras's does), so it gives the original's values.
            config = {**initializer.get_config(), "seed": initializer.seed,
                      "input_axes": in_axes, "output_axes": out_axes}
            initializer = type(initializer).from_config(config)
        self.input_spec = InputSpec(ndim=len(input_shape))
        if self.quantization_mode:
            quantization.build(self, tuple(kernel_shape), self.quantization_mode,
                               self.quantization_config)
        if self.quantization_mode in (None, "float8"):
            self._kernel = self.add_weight(shape=kernel_shape, name="kernel",
                                           initializer=initializer,
                                           regularizer=self.kernel_regularizer,
                                           constraint=self.kernel_constraint)
        self.bias = None
        if bias_shape is not None:
            self.bias = self.add_weight(shape=bias_shape, name="bias",
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        if self.lora_rank:
            self.built = True  # enable_lora requires a built layer
            self.enable_lora(self.lora_rank, self.lora_alpha)

    @property
    def kernel(self):
        if self.quantization_mode:
            return quantization.stored_kernel(self)
        return lora.effective_kernel(self)

    def _quantization_info(self):
        if getattr(self, "_einsum_quantization_info", None) is None:
            self._einsum_quantization_info = quantization.einsum_quantization_info(
                self.equation, self.input_spec.ndim)
        return self._einsum_quantization_info

    def quantize(self, mode=None, type_check=True, config=None):
        """Quantizes the weights in place: `"int8"`, `"int4"` or `"float8"` (or a
        `keras.quantizers.QuantizationConfig` as `config`)."""
        quantization.quantize(self, mode, type_check=type_check, config=config)

    def quantized_call(self, inputs, training=None):
        return quantization.call(self, inputs, training)

    def enable_lora(self, rank, lora_alpha=None, a_initializer="he_uniform",
                    b_initializer="zeros"):
        """Freezes `kernel` and learns a low-rank update `(alpha / rank) * A @ B` instead."""
        lora.enable_lora(self, rank, lora_alpha, a_initializer, b_initializer)

    def call(self, inputs):
        x = ops.einsum(self.equation, inputs, self.kernel)
        if self.bias is not None:
            x = x + self.bias
        return self.activation(x)

    def compute_output_shape(self, input_shape):
        return einsum_shapes(self.equation, self.bias_axes, input_shape,
                             self.partial_output_shape)[2]

    def get_config(self):
        config = {**super().get_config(), "output_shape": self.partial_output_shape,
                  "equation": self.equation,
                  "activation": activations.serialize(self.activation),
                  "bias_axes": self.bias_axes,
                  "kernel_initializer": initializers.serialize(self.kernel_initializer),
                  "bias_initializer": initializers.serialize(self.bias_initializer),
                  "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                  "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                  "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                  "kernel_constraint": constraints.serialize(self.kernel_constraint),
                  "bias_constraint": constraints.serialize(self.bias_constraint),
                  "quantization_config": quantization.serialize_config(self)}
        config.update(lora.config_entries(self))
        if self.gptq_unpacked_column_size:
            config["gptq_unpacked_column_size"] = self.gptq_unpacked_column_size
        return config
