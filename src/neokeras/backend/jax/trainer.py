"""The compiled steps of `fit`, `evaluate` and `predict` for JAX.

Each maker returns a `jax.jit`-compiled pure function of arrays. The model supplies the pure
pieces (`compute_loss_and_updates`, `optimizer.stateless_apply`, `stateless_update_metrics`);
this module only adds differentiation, compilation and the fused multi-step loop (`lax.scan`).

A training state is the tuple `(trainable, non_trainable, optimizer, metrics)` of lists of arrays,
in the order of the model's variable lists.
"""

import jax

# Buffer donation lets XLA update the state in place; the CPU runtime cannot use it and warns.
_DONATE = jax.default_backend() != "cpu"


def _jit(fn, donate_state, enabled=True):
    if not enabled:
        return fn
    if donate_state and _DONATE:
        return jax.jit(fn, donate_argnums=0)
    return jax.jit(fn)


def _gather(tree, indices):
    return jax.tree_util.tree_map(lambda a: a[indices], tree)


def _overrides(model, method):
    """Whether the model's class defines its own `train_step`/`test_step`."""
    from neokeras.trainers.trainer import Trainer

    custom = getattr(type(model), method, None)
    return custom is not None and custom is not getattr(Trainer, method, None)


def _pack(batch):
    """The batch as Keras hands it to a custom step: `x`, `(x, y)` or `(x, y, sample_weight)`."""
    x, y, sample_weight = batch
    if y is None and sample_weight is None:
        return (x,) if isinstance(x, (list, tuple)) else x
    return (x, y) if sample_weight is None else (x, y, sample_weight)


def _custom_step(model, method, state, batch):
    # Keras 3 on JAX: `step(state, data) -> (logs, state)`; the carried state keeps list leaves.
    logs, new_state = getattr(model, method)(state, _pack(batch))
    return tuple(list(part) for part in new_state), logs


def _train_step(model, state, batch):
    if _overrides(model, "train_step"):
        return _custom_step(model, "train_step", state, batch)
    trainable, non_trainable, optimizer_values, metric_values = state
    x, y, sample_weight = batch

    def scaled_loss(trainable_values):
        # Gradients come from the loss times `loss_scale_factor` (the optimizer divides them
        # back); metrics see the unscaled loss.
        loss, aux = model.compute_loss_and_updates(
            trainable_values, non_trainable, x, y, sample_weight, True)
        return model.optimizer.scale_loss(loss), (loss,) + tuple(aux)

    (_, (loss, y_pred, non_trainable, loss_parts)), grads = jax.value_and_grad(
        scaled_loss, has_aux=True)(trainable)
    own = len(model.optimizer.variables)  # other optimizers' values ride along unchanged
    trainable, own_values = model.optimizer.stateless_apply(
        optimizer_values[:own], grads, trainable)
    optimizer_values = list(own_values) + list(optimizer_values[own:])
    metric_values, logs = model.stateless_update_metrics(
        metric_values, loss, loss_parts, x, y, y_pred, sample_weight)
    return (trainable, non_trainable, optimizer_values, metric_values), logs


def _test_step(model, state, batch):
    if _overrides(model, "test_step"):
        return _custom_step(model, "test_step", state, batch)
    trainable, non_trainable, metric_values = state
    x, y, sample_weight = batch
    loss, (y_pred, _, loss_parts) = model.compute_loss_and_updates(
        trainable, non_trainable, x, y, sample_weight, False)
    metric_values, logs = model.stateless_update_metrics(
        metric_values, loss, loss_parts, x, y, y_pred, sample_weight)
    return (trainable, non_trainable, metric_values), logs


def _chunk_of(model, step):
    """Fuses up to `k` steps: rows of `indices` past `num_steps` are skipped (padding), so one
    compiled chunk serves every chunk of an epoch, the shorter last one included."""

    def chunk(state, data, indices, num_steps):
        def body(carry, scanned):
            position, batch_indices = scanned

            def run(carry):
                return step(model, carry, _gather(data, batch_indices))

            def skip(carry):
                return carry, logs_template

            return jax.lax.cond(position < num_steps, run, skip, carry)

        logs_template = jax.eval_shape(lambda c: step(model, c, _gather(data, indices[0]))[1], state)
        logs_template = jax.tree_util.tree_map(lambda s: jax.numpy.zeros(s.shape, s.dtype),
                                               logs_template)
        positions = jax.numpy.arange(indices.shape[0])
        state, logs = jax.lax.scan(body, state, (positions, indices))
        return state, jax.tree_util.tree_map(lambda a: a[num_steps - 1], logs)

    return chunk


def _counted(model, kind, step):
    def traced(*args):
        model._trace_counts[kind] = model._trace_counts.get(kind, 0) + 1
        return step(*args)

    return traced


def make_train_function(model):
    """`(state, (x, y, sample_weight)) -> (state, logs)` for one batch, compiled."""
    step = _counted(model, "train", lambda state, batch: _train_step(model, state, batch))
    return _jit(step, donate_state=True, enabled=not model.run_eagerly)


def make_train_chunk_function(model):
    """`(state, data, indices[k, batch], num_steps) -> (state, logs)`: steps fused in one scan.

    `data` is the whole device-resident dataset `(x, y, sample_weight)`; each step gathers its
    batch with the corresponding row of `indices`, so no batch is copied from the host.
    """

    return _jit(_counted(model, "train_chunk", _chunk_of(model, _train_step)), donate_state=True,
                enabled=not model.run_eagerly)


def make_test_function(model):
    """`(state, (x, y, sample_weight)) -> (state, logs)` for one batch, compiled."""
    step = _counted(model, "test", lambda state, batch: _test_step(model, state, batch))
    return _jit(step, donate_state=False, enabled=not model.run_eagerly)


def make_test_chunk_function(model):
    """Fused evaluation over `k` batches of a device-resident dataset (see train chunks)."""

    return _jit(_counted(model, "test_chunk", _chunk_of(model, _test_step)), donate_state=False,
                enabled=not model.run_eagerly)


def make_predict_function(model):
    """`(trainable, non_trainable, x) -> (y_pred, non_trainable)` in inference mode, compiled.

    The non-trainable values come back because inference can still change state (the
    carried states of stateful RNNs)."""

    def predict(trainable, non_trainable, x):
        return model.stateless_call(trainable, non_trainable, x, training=False)

    return jax.jit(_counted(model, "predict", predict))


def make_forward_function(model):
    """`(trainable, non_trainable, x, training) -> (y, non_trainable, added_losses)`, compiled
    per flag. `added_losses` are the values layers passed to `add_loss` during the call."""

    def forward(trainable, non_trainable, x, training):
        outputs, non_trainable = model.stateless_call(trainable, non_trainable, x,
                                                      training=training)
        added_losses = model._pop_added_losses()
        return outputs, non_trainable, added_losses

    return jax.jit(_counted(model, "forward", forward), static_argnums=3)


def to_device(tree):
    """Moves a pytree of host arrays to the default device once."""
    return jax.device_put(tree)
