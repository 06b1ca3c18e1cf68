"""Configs of the calibrated weight-only methods GPTQ and AWQ (`keras.quantizers`)."""

from neokeras.api_export import keras_name
from neokeras.quantizers.quantization_config import QuantizationConfig


def _check_common(num_samples, sequence_length, group_size, what):
    if num_samples <= 0:
        raise ValueError("num_samples must be a positive integer.")
    if sequence_length <= 0:
        raise ValueError("sequence_length must be a positive integer.")
    if group_size < -1 or group_size == 0:
        raise ValueError(f"Invalid group_size. Supported values are -1 ({what}) or a positive "
                         f"integer, but got {group_size}.")


@keras_name("keras.quantizers.GPTQConfig")
class GPTQConfig(QuantizationConfig):
    """GPTQ: post-training weight quantization that corrects each column's rounding error
    with the inverse Hessian of the layer's calibration inputs.

    Args:
        dataset: Calibration data (strings, or token arrays); not saved in the config.
        tokenizer: Callable turning `dataset` strings into tokens; not saved.
        weight_bits: 2, 3, 4 or 8 (default 4).
        num_samples: Calibration samples used (default 128).
        per_channel: One scale per output channel (default True).
        sequence_length: Tokens per calibration sample (default 512).
        hessian_damping: Fraction of the mean Hessian diagonal added for stability (0.01).
        group_size: Input columns sharing a scale (default 128); -1: whole rows.
        symmetric: Symmetric quantization (default False).
        activation_order: Quantize columns by decreasing Hessian diagonal (default False).
        quantization_layer_structure: `{"pre_block_layers": [...], "sequential_blocks": [...]}`.
    """

    def __init__(self, dataset, tokenizer, *, weight_bits=4, num_samples=128, per_channel=True,
                 sequence_length=512, hessian_damping=0.01, group_size=128, symmetric=False,
                 activation_order=False, quantization_layer_structure=None):
        super().__init__()
        if weight_bits not in (2, 3, 4, 8):
            raise ValueError(f"Unsupported weight_bits {weight_bits}. Supported values are "
                             "2, 3, 4, and 8.")
        if hessian_damping < 0 or hessian_damping > 1:
            raise ValueError("hessian_damping must be between 0 and 1.")
        _check_common(num_samples, sequence_length, group_size, "whole-tensor")
        self.dataset = dataset
        self.tokenizer = tokenizer
        self.num_samples = num_samples
        self.per_channel = per_channel
        self.sequence_length = sequence_length
        self.hessian_damping = hessian_damping
        self.weight_bits = weight_bits
        self.group_size = group_size
        self.symmetric = symmetric
        self.activation_order = activation_order
        self.quantization_layer_structure = quantization_layer_structure

    @property
    def mode(self):
        return "gptq"

    def dtype_policy_string(self):
        """The quantization part of the dtype policy name, e.g. `"gptq/4/128"`."""
        return f"gptq/{self.weight_bits}/{self.group_size}"

    def get_config(self):
        # The calibration data is needed once, when quantizing: it is not saved.
        return {"dataset": None, "tokenizer": None, "weight_bits": self.weight_bits,
                "num_samples": self.num_samples, "per_channel": self.per_channel,
                "sequence_length": self.sequence_length,
                "hessian_damping": self.hessian_damping, "group_size": self.group_size,
                "symmetric": self.symmetric, "activation_order": self.activation_order,
                "quantization_layer_structure": self.quantization_layer_structure}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@keras_name("keras.quantizers.AWQConfig")
class AWQConfig(QuantizationConfig):
    """AWQ (activation-aware weight quantization): 4-bit weights, with per-input-channel
    scales searched on calibration activations to protect the salient channels.

    Args:
        dataset: Calibration data; not saved in the config.
        tokenizer: Callable turning `dataset` strings into tokens; not saved.
        weight_bits: Must be 4.
        num_samples: Calibration samples used (default 128).
        sequence_length: Tokens per calibration sample (default 512).
        group_size: Input columns sharing a scale (default 128); -1: per channel.
        num_grid_points: Points of the scale search grid (default 20).
        quantization_layer_structure: `{"pre_block_layers": [...], "sequential_blocks": [...]}`.
    """

    def __init__(self, dataset, tokenizer, *, weight_bits=4, num_samples=128,
                 sequence_length=512, group_size=128, num_grid_points=20,
                 quantization_layer_structure=None):
        super().__init__()
        if weight_bits != 4:
            raise ValueError("AWQ only supports 4-bit quantization. "
                             f"Received weight_bits={weight_bits}.")
        _check_common(num_samples, sequence_length, group_size, "per-channel")
        if num_grid_points <= 0:
            raise ValueError("num_grid_points must be a positive integer.")
        self.dataset = dataset
        self.tokenizer = tokenizer
        self.weight_bits = weight_bits
        self.num_samples = num_samples
        self.sequence_length = sequence_length
        self.group_size = group_size
        self.num_grid_points = num_grid_points
        self.quantization_layer_structure = quantization_layer_structure

    @property
    def mode(self):
        return "awq"

    def dtype_policy_string(self):
        """The quantization part of the dtype policy name, e.g. `"awq/4/128"`."""
        return f"awq/{self.weight_bits}/{self.group_size}"

    def get_config(self):
        return {"dataset": None, "tokenizer": None, "weight_bits": self.weight_bits,
                "num_samples": self.num_samples, "sequence_length": self.sequence_length,
                "group_size": self.group_size, "num_grid_points": self.num_grid_points,
                "quantization_layer_structure": self.quantization_layer_structure}

    @classmethod
    def from_config(cls, config):
        return cls(**config)
