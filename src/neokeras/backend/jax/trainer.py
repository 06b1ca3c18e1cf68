"""The steps of `fit`, `evaluate` and `predict` for JAX, and their compiled forms.

A training state is the tuple `(trainable, non_trainable, optimizer, metrics)` of lists of
arrays, in the order of the model's variable lists (an evaluation state drops `optimizer`).
The default steps are built from the model's pure pieces (`compute_loss_and_updates`,
`optimizer.stateless_apply`, the metrics' stateless updates); a model that overrides
`train_step`/`test_step` gets its own method called with Keras 3's JAX signature.

`make_chunk_function` runs several steps in one `lax.scan` over batches gathered from a data
source; `make_forward_function` is the forward of inference. With `eager=True` both run op by
op on concrete values (`run_eagerly=True`), gradients included (see `eager`).
"""

import contextlib
import functools

import jax
import jax.numpy as jnp

from neokeras.backend.common.stateless_scope import StatelessScope
from neokeras.backend.jax import conv_lowering
from neokeras.backend.jax import matmul_lowering
from neokeras.backend.jax import update_blocks
from neokeras.backend.jax.eager import eager_step


def _donates():
    """Whether to donate the state: buffer donation lets XLA update it in place. Not on CPU,
    where the fused loop already updates in place (`_CPU_LOOP_OPTIONS`) and donating would
    save ~0.02 ms a step while deleting arrays the user may still hold. Asked when a step is
    built, not at import, so that importing neokeras leaves JAX's backend uninitialized
    (`keras.distribution.initialize` needs that)."""
    return jax.default_backend() != "cpu"


def _gather(data, rows):
    return jax.tree_util.tree_map(lambda a: a[rows], data)


def pack_batch(batch):
    """The batch as Keras hands it to a custom step: `x`, `(x, y)` or `(x, y, sample_weight)`."""
    x, y, sample_weight = batch
    if y is None and sample_weight is None:
        return (x,) if isinstance(x, (list, tuple)) else x
    return (x, y) if sample_weight is None else (x, y, sample_weight)


def _custom_step(model, method, state, batch):
    # Keras 3 on JAX: `step(state, data) -> (logs, state)`; the carried state keeps list leaves.
    logs, new_state = getattr(model, method)(state, pack_batch(batch))
    return tuple(list(part) for part in new_state), logs


def train_step(model, state, batch, weights=None):
    """One training step: `(state, (x, y, sample_weight), weights) -> (state, logs)`: the
    model's own `train_step` if it overrides it, else the default one."""
    if model._overrides("train_step"):
        return _custom_step(model, "train_step", state, batch)
    return default_train_step(model, state, batch, weights)


def test_step(model, state, batch, weights=None):
    """One evaluation step (see `train_step`)."""
    if model._overrides("test_step"):
        return _custom_step(model, "test_step", state, batch)
    return default_test_step(model, state, batch, weights)


def default_train_step(model, state, batch, weights=None):
    """Forward, loss, gradients, optimizer update and metric update of one batch.

    `weights` (or None) masks padding rows out of the losses and metrics (see
    `trainers.compile_utils.padding_mask`).
    """
    from neokeras.trainers.compile_utils import padding_mask

    trainable, non_trainable, optimizer_values, metric_values = state
    x, y, sample_weight = batch

    own = len(model.optimizer.variables)  # other optimizers' values ride along unchanged

    def scaled_loss(trainable_values):
        # Gradients come from the loss times the optimizer's scale (`loss_scale_factor`, or
        # the dynamic scale of a LossScaleOptimizer, read from the carried state); the
        # optimizer divides them back, and metrics see the unscaled loss.
        with padding_mask(weights):
            loss, aux = model.compute_loss_and_updates(
                trainable_values, non_trainable, metric_values, x, y, sample_weight,
                training=True)
        with StatelessScope(zip(model.optimizer.variables, optimizer_values[:own])):
            scaled = model.optimizer.scale_loss(loss)
        return scaled, (loss,) + tuple(aux)

    with conv_lowering.differentiated():
        (_, (loss, y_pred, non_trainable, metric_values)), grads = jax.value_and_grad(
            scaled_loss, has_aux=True)(trainable)
    trainable, own_values = model.optimizer.stateless_apply(
        optimizer_values[:own], grads, trainable)
    optimizer_values = list(own_values) + list(optimizer_values[own:])
    with padding_mask(weights):
        metric_values, logs = model._stateless_update_metrics(
            metric_values, loss, x, y, y_pred, sample_weight)
    return (trainable, non_trainable, optimizer_values, metric_values), logs


def default_test_step(model, state, batch, weights=None):
    """Forward, loss and metric update of one batch, with `state = (trainable, non_trainable,
    metrics)`."""
    from neokeras.trainers.compile_utils import padding_mask

    trainable, non_trainable, metric_values = state
    x, y, sample_weight = batch
    with padding_mask(weights):
        loss, (y_pred, non_trainable, metric_values) = model.compute_loss_and_updates(
            trainable, non_trainable, metric_values, x, y, sample_weight, training=False)
        metric_values, logs = model._stateless_update_metrics(
            metric_values, loss, x, y, y_pred, sample_weight)
    return (trainable, non_trainable, metric_values), logs


def _chunk_inputs(data, indices):
    """The leaves of a chunk's inputs for a `TraceLog`: the step indices (steps per call, batch
    size), then `x`, `y` and `sample_weight` (array data: every sample; batches: one batch)."""
    from neokeras.trainers.recompiles import input_leaves

    leaves = [("", indices.shape, indices.dtype,
               {0: "steps per compiled call", 1: "the batch size"})]
    for name, part in zip(("x", "y", "sample_weight"), data):
        leaves += input_leaves(name, part, {0: "the number of samples"})
    return leaves


def _counted(log, fn):
    """`fn`, recording each of its traces in `log`, a `TraceLog` of the model (which counts
    them in `model.compile_count` and warns on many recompiles)."""

    def traced(state, data, indices, *args, **kwargs):
        log.traced(_chunk_inputs(data, indices))
        return fn(state, data, indices, *args, **kwargs)

    return traced


def _constrain(tree, sharding):
    return jax.tree_util.tree_map(lambda a: jax.lax.with_sharding_constraint(a, sharding), tree)


def make_chunk_function(model, step, kind, donate_state, eager=False, program_key=None,
                        eigen=False):
    """`(state, data, indices[k, b], weights[k, b] or None, num_steps, plan=None) ->
    (state, logs)`.

    Step `i < num_steps` runs `step(state, batch, weights[i])` on the rows `indices[i]` of
    `data` (a pytree of arrays with the samples on the first axis); the remaining rows of
    `indices` are padding and are skipped, so one compiled chunk serves every chunk of an
    epoch, a shorter last one included. `logs` are those of the last step run.

    With `eigen` (a step without convolutions), on CPU, the program's matrix products run in
    Eigen rather than YNNPACK (`_CPU_EIGEN_OPTIONS`), and their backward products from
    materialized transposes (`matmul_lowering`). On CPU, without a distribution `plan`,
    optimizers update large variables one block of rows at a time (`update_blocks`).

    Under a distribution `plan` (a static `trainers.distributed.Plan`) gives the sharding of
    every state value and of a step's batch; the chunk is then one SPMD program whose state
    keeps its layouts (and `indices[i]` may be one index into stacked batches).

    `program_key()` (or None) is the model's key for stored programs (see `executable_cache`):
    with it, a program another process stored for the same key and arguments is loaded
    instead of traced and lowered.
    """

    on_cpu = jax.default_backend() == "cpu"
    eigen = eigen and on_cpu

    def one(state, data, rows, weights, plan):
        batch = _gather(data, rows)
        if plan is not None and plan.batch is not None:
            batch = _constrain(batch, plan.batch)
            weights = None if weights is None else _constrain(weights, plan.batch)
        if eager:
            return step(state, batch, weights)
        with contextlib.ExitStack() as lowerings:
            if on_cpu and plan is None:  # a sharded variable's blocks would need collectives
                lowerings.enter_context(update_blocks.blocked())
            if eigen:
                lowerings.enter_context(matmul_lowering.transposed_kernels())
            return step(state, batch, weights)

    if eager:
        def run_eagerly(state, data, indices, weights, num_steps, plan=None):
            logs = None
            for i in range(int(num_steps)):
                with eager_step():
                    state, logs = one(state, data, indices[i],
                                      None if weights is None else weights[i], None)
            return state, logs

        return run_eagerly

    # Traced once per chunk function: finding the logs' shapes and building the loop's body
    # reuse that trace (an inlined jit caches its trace per argument types).
    one_traced = jax.jit(one, inline=True, static_argnums=4)

    def chunk(state, data, indices, weights, num_steps, plan=None):
        if indices.shape[0] == 1:  # one step per call: no loop to build
            state, logs = one(state, data, indices[0], None if weights is None else weights[0],
                              plan)
        else:
            logs_spec = jax.eval_shape(
                one_traced, state, data, indices[0],
                None if weights is None else weights[0], plan)[1]
            skipped_logs = jax.tree_util.tree_map(lambda s: jnp.zeros(s.shape, s.dtype),
                                                  logs_spec)

            def body(carry, scanned):
                position, rows, row_weights = scanned
                return jax.lax.cond(position < num_steps,
                                    lambda c: one_traced(c, data, rows, row_weights, plan),
                                    lambda c: (c, skipped_logs), carry)

            positions = jnp.arange(indices.shape[0])
            state, logs = jax.lax.scan(body, state, (positions, indices, weights))
            logs = jax.tree_util.tree_map(lambda a: a[num_steps - 1], logs)
        if plan is not None:
            state = tuple(
                [jax.lax.with_sharding_constraint(v, s) for v, s in zip(values, shardings)]
                for values, shardings in zip(state, plan.state))
        return state, logs

    from neokeras.backend.jax import executable_cache  # on first use: import time

    log = model._trace_log(kind)
    counted = _counted(log, chunk)
    options = None
    if jax.default_backend() == "cpu":
        options = {**_CPU_LOOP_OPTIONS, **(_CPU_EIGEN_OPTIONS if eigen else {})}
    donate = (0,) if donate_state and _donates() else ()
    jitted = jax.jit(counted, donate_argnums=donate, static_argnames="plan",
                     compiler_options=options)
    if program_key is None or executable_cache.directory() is None:
        return jitted

    def loaded(state, data, indices, *args):
        log.traced(_chunk_inputs(data, indices))

    return executable_cache.CachedFunction(jitted, f"{kind}_chunk", program_key, loaded)


# XLA:CPU's default copy insertion cannot tell that a step reads a weight (forward and backward
# matrix products) before the optimizer writes its new value, and copies every such weight on
# every step of the loop (the MLP benchmark's 512x512 kernel: 0.04-0.1 ms of a ~4 ms step); with
# region analysis it updates them in place.
_CPU_LOOP_OPTIONS = {"xla_cpu_copy_insertion_use_region_analysis": True}

# Eigen's matrix products outrun YNNPACK's on the MLP benchmark's forward products (~180 against
# ~150 GFLOP/s) and, from materialized transposes (`matmul_lowering`), on its backward products;
# convolutions keep YNNPACK (programs with one are compiled without this). Reductions stay in
# YNNPACK: without it XLA splits a long one into a `reduce-window`, ~2x slower (the LSTM
# benchmark's bias gradient, a sum over 100x64 rows: 1.6 ms of a ~15 ms step).
_CPU_EIGEN_OPTIONS = {"xla_cpu_experimental_ynn_fusion_type": "LIBRARY_FUSION_TYPE_REDUCE"}


def _forward(model, variables, trainable, non_trainable, x, training):
    trainable_variables, non_trainable_variables = variables
    mapping = list(zip(trainable_variables, trainable))
    mapping += list(zip(non_trainable_variables, non_trainable))
    with StatelessScope(mapping) as scope:
        outputs = model(x, training=training)
    updated = {index: scope.get_value(variable)
               for index, variable in enumerate(non_trainable_variables)
               if scope.was_assigned(variable)}
    return outputs, updated, model._pop_added_losses()


def probe_forward(model, variables, x, training, inspect=None, program_key=None, y=None):
    """What a forward pass on `x` does, found by tracing the call once (nothing runs):
    `(updated, num_losses, inspected, fuses)`: the indices of the non-trainable variables it
    assigns, how many `add_loss` values it makes, what `inspect(outputs)` returns (None without
    it, else a bool or None), and whether steps of the model run as fast inside one compiled
    loop as one per call (False on CPU when the pass has a convolution, see `_SLOW_IN_LOOPS`).

    With `program_key` (see `make_chunk_function`) the result is stored beside the programs,
    keyed also by `x` and `y` (what `inspect` reads), and another process reads it instead of
    tracing."""
    compute = functools.partial(_probe_forward, model, variables, x, training, inspect)
    if program_key is None:
        return compute()
    from neokeras.backend.jax import executable_cache  # on first use: import time

    return tuple(executable_cache.stored_result(
        f"probe_{'train' if training else 'test'}", program_key, (x, y), compute))


def _probe_forward(model, variables, x, training, inspect):
    effects = {}

    def probe(trainable, non_trainable, x):
        outputs, updated, losses = _forward(model, variables, trainable, non_trainable, x,
                                            training)
        inspected = inspect(outputs) if inspect is not None else None
        effects["result"] = (sorted(updated), len(losses), inspected)
        return outputs

    values = [[jax.ShapeDtypeStruct(v.shape, v.dtype) for v in group] for group in variables]
    jaxpr = jax.make_jaxpr(probe)(*values, x).jaxpr
    fuses = jax.default_backend() != "cpu" or not any(
        name in _SLOW_IN_LOOPS for name in _primitives(jaxpr))
    return effects["result"] + (fuses,)


# XLA's CPU compiler gives operations nested in a loop or a conditional a slower, single-threaded
# lowering; a convolution there runs several times slower than in a top-level computation
# (benchmarks/bench_conv_step.py), which outweighs the per-call overhead a fused loop saves.
_SLOW_IN_LOOPS = frozenset({"conv_general_dilated"})


def _primitives(jaxpr):
    import jax.extend.core  # imported on first use: it costs import time of `neokeras`

    for eqn in jaxpr.eqns:
        yield eqn.primitive.name
        for sub in jax.extend.core.jaxprs_in_params(eqn.params):
            yield from _primitives(sub)


def make_forward_function(model, variables, eager=False):
    """`(trainable, non_trainable, x, training) -> (outputs, updated, added_losses)`.

    `variables` is the pair of variable lists the values belong to. `updated` maps the index of
    each non-trainable variable the call assigned (a stateful RNN's states, a seed generator's
    state) to its new value, so callers write back only what changed. `added_losses` are the
    values layers passed to `add_loss`. Compiled once per input signature and `training` flag
    (counted as "predict" for inference and "forward" for training calls).
    """

    def forward(trainable, non_trainable, x, training):
        return _forward(model, variables, trainable, non_trainable, x, training)

    if eager:
        def run_eagerly(trainable, non_trainable, x, training):
            with eager_step():
                return forward(trainable, non_trainable, x, training)

        return run_eagerly

    from neokeras.trainers.recompiles import input_leaves

    logs = {True: model._trace_log("forward"), False: model._trace_log("predict")}

    def compiled(training):
        def counted(trainable, non_trainable, x):
            logs[bool(training)].traced(input_leaves("x", x, {0: "the batch size"}))
            return forward(trainable, non_trainable, x, training)

        return jax.jit(counted)

    # One jitted function per `training` value (True, False or None: the layers' defaults)
    # rather than a static argument, whose hashing costs a one-sample `predict` about 0.6 us
    # of its ~13.
    by_flag = {}

    def call(trainable, non_trainable, x, training):
        function = by_flag.get(training)
        if function is None:
            function = by_flag[training] = compiled(training)
        return function(trainable, non_trainable, x)

    return call


def to_device(tree):
    """Moves a pytree of host arrays to the default device once."""
    return jax.device_put(tree)
