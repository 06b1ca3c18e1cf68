"""Muon: momentum orthogonalized by Newton-Schulz iterations, with AdamW for the other variables
(Jordan et al. 2024; the update-RMS matching of Liu et al. 2025, "Muon is scalable")."""

import re

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.optimizers.optimizer import Optimizer


@keras_name("keras.optimizers.Muon")
class Muon(Optimizer):
    """Muon for 2-D weight matrices; AdamW for every other variable.

    A variable takes the AdamW step when it is not 2-D, when `exclude_embeddings` is set and its
    path contains "embedding" (any case), or when one of the `exclude_layers` regular
    expressions is found in its path. The others take the Muon step: with momentum
    `m = momentum * m + g`, the (Nesterov: `g + momentum * m`) direction is orthogonalized by
    `ns_steps` quintic Newton-Schulz iterations and applied, scaled by
    `sqrt(max(rows, cols)) * rms_rate` unless `rms_rate` is None.

    Args:
        learning_rate: Float, schedule or callable (default 0.001).
        adam_beta_1: First-moment decay of the AdamW step (default 0.9).
        adam_beta_2: Second-moment decay of the AdamW step (default 0.999).
        adam_weight_decay: Decoupled weight decay of the AdamW variables (default 0.004).
        epsilon: AdamW's numerical-stability constant (default 1e-7).
        weight_decay: Decoupled weight decay of the Muon variables (default 0.004).
        exclude_layers: Regular expressions; a variable whose path matches one takes AdamW.
        exclude_embeddings: Whether embedding variables take AdamW (default True).
        muon_a: Coefficient `a` of the Newton-Schulz polynomial (default 3.4445).
        muon_b: Coefficient `b` (default -4.7750).
        muon_c: Coefficient `c` (default 2.0315).
        adam_lr_ratio: AdamW's learning rate is `learning_rate * adam_lr_ratio` (default 1).
        momentum: Momentum of the Muon step (default 0.95).
        ns_steps: Number of Newton-Schulz iterations (default 5).
        nesterov: Whether the Muon step uses Nesterov momentum (default True).
        rms_rate: Update-RMS scale (default 0.2); None disables the scaling.
        **kwargs: See `Optimizer`.
    """

    def __init__(self, learning_rate=0.001, adam_beta_1=0.9, adam_beta_2=0.999,
                 adam_weight_decay=0.004, epsilon=1e-7, weight_decay=0.004, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, exclude_layers=None,
                 exclude_embeddings=True, muon_a=3.4445, muon_b=-4.7750, muon_c=2.0315,
                 adam_lr_ratio=1, momentum=0.95, ns_steps=5, nesterov=True, rms_rate=0.2,
                 **kwargs):
        super().__init__(
            learning_rate=learning_rate, name=name, weight_decay=weight_decay,
            clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm,
            use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, **kwargs)
        if isinstance(ns_steps, bool) or not isinstance(ns_steps, int) or ns_steps < 0:
            raise ValueError(f"Muon(ns_steps=...) must be a non-negative integer. "
                             f"Received: ns_steps={ns_steps!r}")
        if isinstance(exclude_layers, str):
            raise ValueError("Muon(exclude_layers=...) must be a list of regular expressions, "
                             f"not a string. Received: exclude_layers={exclude_layers!r}")
        self.adam_beta_1 = adam_beta_1
        self.adam_beta_2 = adam_beta_2
        self.adam_weight_decay = adam_weight_decay
        self.epsilon = epsilon
        self.exclude_layers = list(exclude_layers or [])
        self.exclude_embeddings = exclude_embeddings
        self.muon_a, self.muon_b, self.muon_c = muon_a, muon_b, muon_c
        self.adam_lr_ratio = adam_lr_ratio
        self.momentum = momentum
        self.ns_steps = ns_steps
        self.nesterov = nesterov
        self.rms_rate = rms_rate

    def _should_use_adamw(self, variable):
        if len(variable.shape) != 2:
            return True
        if self.exclude_embeddings and "embedding" in variable.path.lower():
            return True
        return any(re.search(pattern, variable.path) for pattern in self.exclude_layers)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        # Slots in Keras's order: per variable, its momentum then (AdamW only) its velocity.
        self.momentums = [None] * len(self._trainable_variables)
        self.adam_velocities = [None] * len(self._trainable_variables)
        for index, variable in enumerate(self._trainable_variables):
            if getattr(variable, "overwrite_with_gradient", False):
                continue
            self.momentums[index] = self.add_variable_from_reference(variable, "momentum")
            if self._should_use_adamw(variable):
                self.adam_velocities[index] = self.add_variable_from_reference(variable,
                                                                               "velocity")

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        m, v = self.momentums[index], self.adam_velocities[index]
        if v is not None:
            self._adamw_update_step(gradient, variable, learning_rate * self.adam_lr_ratio, m, v)
        else:
            self._muon_update_step(gradient, variable, learning_rate, m)

    def _muon_update_step(self, gradient, variable, learning_rate, m):
        m.assign(m.value + (gradient + m.value * (self.momentum - 1)))
        direction = gradient + self.momentum * m.value if self.nesterov else m.value
        update = learning_rate * self.zeropower_via_newtonschulz5(direction, self.ns_steps)
        variable.assign(variable.value - self.lr_adjust(update))

    def _adamw_update_step(self, gradient, variable, learning_rate, m, v):
        dtype = variable.dtype
        learning_rate = ops.cast(learning_rate, dtype)
        step = self._local_step(dtype)
        beta_1_power = ops.power(ops.cast(self.adam_beta_1, dtype), step)
        beta_2_power = ops.power(ops.cast(self.adam_beta_2, dtype), step)
        alpha = learning_rate * ops.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        m.assign(m.value + (gradient - m.value) * (1 - self.adam_beta_1))
        v.assign(v.value + (ops.square(gradient) - v.value) * (1 - self.adam_beta_2))
        variable.assign(variable.value - m.value * alpha / (ops.sqrt(v.value) + self.epsilon))

    def transpose_last_axis(self, x):
        """`x` with its last two axes swapped."""
        order = list(range(len(x.shape)))
        order[-2], order[-1] = order[-1], order[-2]
        return ops.transpose(x, order)

    def lr_adjust(self, x):
        """Scales an update of a matrix by `sqrt(max(rows, cols)) * rms_rate` (the Moonlight
        rule that lets Muon share AdamW's learning rate and weight decay)."""
        if self.rms_rate is None:
            return x
        return x * ops.sqrt(ops.cast(max(x.shape[0], x.shape[1]), x.dtype)) * self.rms_rate

    def zeropower_via_newtonschulz5(self, x, steps):
        """Approximately orthogonalizes `x` (its singular values pushed towards 1) with
        `steps` iterations of `X <- a X + (b A + c A^2) X`, `A = X X^T`."""
        shape = x.shape
        if len(shape) < 2:
            raise ValueError("Muon: expected a gradient or momentum of at least 2 dimensions. "
                             f"Received: shape={tuple(shape)}")
        tall = shape[-2] > shape[-1]
        if tall:
            x = self.transpose_last_axis(x)
        x = x / (ops.norm(x, axis=(-2, -1), keepdims=True) + 1e-7)
        for _ in range(steps):
            gram = x @ self.transpose_last_axis(x)
            x = self.muon_a * x + (self.muon_b * gram + self.muon_c * gram @ gram) @ x
        return self.transpose_last_axis(x) if tall else x

    def _apply_weight_decay(self, variables, learning_rate):
        # Unlike the base class, the AdamW variables decay by `adam_weight_decay` even when
        # `weight_decay` is None.
        for variable in variables:
            if not self._use_weight_decay(variable):
                continue
            decay = self.adam_weight_decay if self._should_use_adamw(variable) \
                else self.weight_decay
            if decay is None:
                continue
            lr = ops.cast(learning_rate, variable.dtype)
            variable.assign(variable.value - variable.value * ops.cast(decay, variable.dtype) * lr)

    def get_config(self):
        return {**super().get_config(), "adam_beta_1": self.adam_beta_1,
                "adam_beta_2": self.adam_beta_2, "epsilon": self.epsilon,
                "exclude_layers": self.exclude_layers, "muon_a": self.muon_a,
                "muon_b": self.muon_b, "muon_c": self.muon_c,
                "adam_lr_ratio": self.adam_lr_ratio, "momentum": self.momentum,
                "ns_steps": self.ns_steps, "nesterov": self.nesterov,
                "exclude_embeddings": self.exclude_embeddings,
                "adam_weight_decay": self.adam_weight_decay, "rms_rate": self.rms_rate}
