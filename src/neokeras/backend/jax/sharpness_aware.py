"""The training step of `SharpnessAwareMinimization` (Foret et al. 2020) on JAX.

Per (sub-)batch: the loss gradient at the weights `w` gives the ascent step
`e = rho * g / (||g|| + 1e-12)` (`||g||` the global norm); the gradient at `w + e` (forward in
training mode) is what the optimizer applies, summed over the sub-batches. As in tf-keras, the
first forward runs in inference mode, both losses count in the `loss` log, and the compiled
metrics see the first forward's predictions.
"""

import jax
import jax.numpy as jnp

from neokeras.backend.common.stateless_scope import StatelessScope


def _split(tree, splits):
    """`splits` equal parts of every array of `tree` along the batch axis."""
    if splits is None:
        return [tree]
    leaves = jax.tree_util.tree_leaves(tree)
    size = leaves[0].shape[0] if leaves else 0
    if size % splits:
        raise ValueError(f"SharpnessAwareMinimization: a batch of {size} samples cannot be split "
                         f"into num_batch_splits={splits} equal sub-batches. Use a batch size "
                         f"divisible by {splits}.")
    part = size // splits
    return [jax.tree_util.tree_map(lambda a, i=i: a[i * part:(i + 1) * part], tree)
            for i in range(splits)]


def train_step(model, state, data):
    """`(logs, new_state)` of one SAM step of `model` (Keras 3's JAX custom-step signature)."""
    from neokeras.trainers import compile_utils
    from neokeras.utils.xy_packing import unpack_x_y_sample_weight

    trainable, non_trainable, optimizer_values, metric_values = state
    x, y, sample_weight = unpack_x_y_sample_weight(data)
    splits = model.num_batch_splits
    xs, ys = _split(x, splits), _split(y, splits)
    weights = _split(sample_weight, splits) if sample_weight is not None \
        else [None] * len(xs)

    def loss_fn(values, non_trainable, x, y, weight, training):
        loss, (y_pred, non_trainable, _) = model.compute_loss_and_updates(
            values, non_trainable, metric_values, x, y, weight, training=training)
        return loss, (y_pred, non_trainable)

    grad_fn = jax.value_and_grad(loss_fn, has_aux=True)
    summed, losses, predictions = None, [], []
    for x_part, y_part, weight_part in zip(xs, ys, weights):
        (loss, (y_pred, _)), grads = grad_fn(trainable, non_trainable, x_part, y_part,
                                             weight_part, False)
        losses.append((loss, x_part))
        predictions.append(y_pred)
        norm = jnp.sqrt(sum(jnp.sum(jnp.square(jnp.linalg.norm(g.reshape(-1)))) for g in grads))
        scale = model.rho / (norm + 1e-12)
        epsilons = [g * scale.astype(g.dtype) for g in grads]
        perturbed = [w + e for w, e in zip(trainable, epsilons)]
        (loss, (_, non_trainable)), grads = grad_fn(perturbed, non_trainable, x_part, y_part,
                                                    weight_part, True)
        losses.append((loss, x_part))
        summed = grads if summed is None else [a + b for a, b in zip(summed, grads)]
        # Back from w + e the way tf-keras steps back (`w += e; w -= e`), rounding included.
        trainable = [w - e for w, e in zip(perturbed, epsilons)]

    own = len(model.optimizer.variables)
    trainable, own_values = model.optimizer.stateless_apply(optimizer_values[:own], summed,
                                                            trainable)
    optimizer_values = list(own_values) + list(optimizer_values[own:])
    y_pred = jax.tree_util.tree_map(lambda *parts: jnp.concatenate(parts, axis=0),
                                    *predictions)
    with StatelessScope(zip(model.metrics_variables, metric_values)) as scope:
        for loss, x_part in losses:
            model._loss_tracker.update_state(loss,
                                             sample_weight=compile_utils.batch_size_of(x_part))
        logs = model.compute_metrics(x, y, y_pred, sample_weight)
    metric_values = [scope.current_value(v) for v in model.metrics_variables]
    return logs, (trainable, non_trainable, optimizer_values, metric_values)
