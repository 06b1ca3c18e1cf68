"""The Python side of `compile`, `fit`, `evaluate`, `predict` and the `*_on_batch` calls.

`fit` and `evaluate` read the model's variables into a `TrainingState` once, run the one epoch
loop (`epoch_loop`) over the chunks of a data adapter with a compiled chunk function from the
backend, and write the state back when Python needs it. `predict`, `predict_on_batch` and
`model(x)` share one inference path (`inference`).
"""

import functools
import math
import random as py_random
import warnings

import numpy as np

from neokeras import backend
from neokeras import config
from neokeras import optimizers as optimizers_module
from neokeras.backend.common.keras_tensor import KerasTensor
from neokeras.backend.common.stateless_scope import StatelessScope
from neokeras.callbacks.callback_list import CallbackList
from neokeras.metrics.metric import Metric
from neokeras.trainers import compile_utils
from neokeras.trainers import distributed
from neokeras.trainers import epoch_loop
from neokeras.trainers import inference
from neokeras.trainers import recompiles
from neokeras.trainers.data_adapters import ArrayDataAdapter
from neokeras.trainers.data_adapters import BatchDataAdapter
from neokeras.trainers.data_adapters import is_batch_data
from neokeras.trainers.data_adapters.batch_data_adapter import describe
from neokeras.trainers.epoch_loop import to_floats
from neokeras.trainers.state import TrainingState
from neokeras.trainers.state import model_variables
from neokeras.trainers.state import write_values
from neokeras.utils import tree
from neokeras.utils import traceback_utils
from neokeras.utils.traceback_utils import filter_traceback

_FIT_ALIASES = {"nb_epoch": "epochs"}
# Keras 2 arguments about input pipelines; with in-memory data they change nothing.
_PIPELINE_ARGS = {"workers", "use_multiprocessing", "max_queue_size"}
# Methods whose override means a step may not see padded batches the way the default does.
_STEP_METHODS = ("compute_loss", "compute_loss_and_updates", "compute_metrics")


class Trainer:
    """Mixin giving a model `compile`, `fit`, `evaluate`, `predict` and the `*_on_batch` calls."""

    def _init_trainer(self):
        self.compiled = False
        self.optimizer = None
        self.loss = None
        self.run_eagerly = False
        self.jit_compile = True
        self.steps_per_execution = 1
        self.stop_training = False
        self.history = None
        self._compile_loss = None
        self._compile_metrics = None
        self._loss_tracker = None
        self._output_loss_trackers = {}
        self._compile_config = None
        # Compiled functions and what they close over (variable lists, padding decisions);
        # emptied when the model's structure changes.
        self._functions = {}
        self._trace_counts = {}
        self._in_fit = False
        # Set by fit: the shuffling seed (a BackupAndRestore restores it with the epoch to
        # resume at) and the seconds spent compiling in the current epoch (progress bar).
        self._shuffle_seed = None
        self._resume_epoch = None
        self._epoch_compile_seconds = None

    @property
    def _eager(self):
        """Whether steps and calls run op by op (`run_eagerly=True` or `jit_compile=False`)."""
        return bool(self.run_eagerly) or self.jit_compile is False

    # ------------------------------------------------------------------ compile
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1,
                jit_compile="auto", auto_scale_loss=True, **kwargs):
        """Configures the model for training.

        Args:
            optimizer: Name (`"sgd"`, `"adam"`, `"rmsprop"`) or optimizer instance.
            loss: Name, function `fn(y_true, y_pred)`, `Loss` instance, or a list/dict of
                these for several outputs.
            loss_weights: Optional per-output weights of the losses (list or dict).
            metrics: List of metric names (`"accuracy"`, `"mae"`), functions or `Metric`s; or a
                list/dict of lists for several outputs.
            weighted_metrics: Metrics that are updated with `sample_weight`.
            run_eagerly: Run every step op by op on concrete values instead of compiled, for
                debugging: `print`, numpy conversions (detached from the gradient), Python
                `if`s on values and pdb work inside `call`, `train_step` and losses.
            steps_per_execution: Steps fused per compiled call; 1 lets `fit` choose when no
                callback needs every batch.
            jit_compile: `False` runs eagerly as `run_eagerly=True` does (as on Keras's JAX
                backend); `"auto"` or `True` compile.
        """
        unknown = set(kwargs) - {"sample_weight_mode", "target_tensors", "distribute"}
        if unknown:
            raise TypeError(f"compile() got unexpected keyword argument(s) {sorted(unknown)}.")
        for legacy in ("sample_weight_mode", "target_tensors", "distribute"):
            if kwargs.get(legacy) is not None:
                raise ValueError(f"compile({legacy}=...) is a Keras 2 argument that is not supported.")
        if isinstance(steps_per_execution, bool) or not isinstance(steps_per_execution, int) \
                or steps_per_execution < 1:
            raise ValueError(
                f"steps_per_execution must be a positive int. Received: {steps_per_execution!r}")
        self.optimizer = optimizers_module.get(optimizer)  # None: evaluate/predict only
        if auto_scale_loss and self.optimizer is not None \
                and self.dtype_policy.compute_dtype == "float16" and not isinstance(
                self.optimizer, optimizers_module.LossScaleOptimizer):
            # float16 gradients underflow without loss scaling (Keras wraps the same way).
            self.optimizer = optimizers_module.LossScaleOptimizer(self.optimizer)
        self.loss = loss
        self._compile_loss = compile_utils.CompileLoss(loss, loss_weights) if loss is not None else None
        self._compile_metrics = compile_utils.CompileMetrics(metrics, weighted_metrics)
        self._loss_tracker = compile_utils.loss_tracker()
        self._output_loss_trackers = {}
        self.run_eagerly = bool(run_eagerly)
        self.jit_compile = jit_compile
        self.steps_per_execution = steps_per_execution
        self._compile_config = {"optimizer": optimizer, "loss": loss, "loss_weights": loss_weights,
                                "metrics": metrics, "weighted_metrics": weighted_metrics,
                                "run_eagerly": run_eagerly,
                                "steps_per_execution": steps_per_execution,
                                "jit_compile": jit_compile}
        self._functions = {}
        self.compiled = True

    def _assert_compiled(self, caller):
        if not self.compiled:
            raise RuntimeError(
                f"You must call compile() before {caller}(). For example: "
                "model.compile(optimizer='adam', loss='mse').")
        if caller in ("fit", "train_on_batch") and self.optimizer is None:
            raise ValueError(
                f"{caller}() needs an optimizer, but the model was compiled with optimizer=None. "
                "Pass one to compile(), e.g. model.compile(optimizer='adam', ...).")

    def _overrides(self, method):
        """Whether the model's class defines its own `method` (a custom step)."""
        custom = getattr(type(self), method, None)
        return custom is not None and custom is not getattr(Trainer, method, None)

    # ------------------------------------------------------------------ metrics
    @property
    def metrics(self):
        """The loss tracker, the compiled metrics (built on the first batch), then the metrics
        the model and its layers hold as attributes (a custom `compute_loss`'s trackers), as
        in Keras 3; the metrics of nested models are their own."""
        result = []
        if self._loss_tracker is not None:
            result.append(self._loss_tracker)
        result.extend(self._output_loss_trackers.values())
        if self._compile_metrics is not None and self._compile_metrics.built:
            result.extend(self._compile_metrics.metric_objects)
        for layer in self._flatten_layers():
            if layer is self or not isinstance(layer, Trainer):
                for metric in _held_metrics(layer):
                    if all(metric is not m for m in result):
                        result.append(metric)
        return result

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    @property
    def metrics_variables(self):
        return [v for m in self.metrics for v in m.variables]

    def reset_metrics(self):
        for metric in self.metrics:
            metric.reset_state()

    def get_metrics_result(self):
        """The current results of `self.metrics` as a dict of scalars (`{name: value}`)."""
        return {m.name: m.result() for m in self.metrics}

    # ------------------------------------------------------------------ the pure pieces of a step
    def train_step(self, state, data):
        """One training step; override it to customize `fit` (Keras 3 JAX signature).

        Args:
            state: `(trainable_variables, non_trainable_variables, optimizer_variables,
                metrics_variables)`, lists of arrays in the order of the model's variable
                lists (`optimizer_variables` also holds the variables of other optimizers the
                model keeps as attributes, after `optimizer.variables`).
            data: The batch: `x`, `(x, y)` or `(x, y, sample_weight)`.

        Returns:
            `(logs, state)`: a dict of scalars and the new state.
        """
        state, logs = backend.trainer.default_train_step(self, state, _unpack(data))
        return logs, state

    def test_step(self, state, data):
        """One evaluation step with `state = (trainable, non_trainable, metrics_variables)`;
        returns `(logs, state)`. Override to customize `evaluate`."""
        state, logs = backend.trainer.default_test_step(self, state, _unpack(data))
        return logs, state

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The training objective: the compiled losses plus `model.losses` (regularization
        and `add_loss` terms). Updates the per-output loss trackers of a multi-output model."""
        total = 0.0
        if self._compile_loss is not None:
            total, parts = self._compile_loss(y, y_pred, sample_weight)
            batch = compile_utils.batch_size_of(x)
            for name, tracker in self._output_loss_trackers.items():
                tracker.update_state(parts[name], sample_weight=batch)
        extra = self.losses
        if extra:
            total = total + sum(extra)
        return total

    def stateless_compute_loss(self, trainable_variables, non_trainable_variables,
                               metrics_variables, x=None, y=None, y_pred=None,
                               sample_weight=None, training=True):
        """Pure `compute_loss`: `loss, (trainable, non_trainable, metrics_variables)`."""
        mapping = list(zip(self.trainable_variables, trainable_variables))
        mapping += list(zip(self.non_trainable_variables, non_trainable_variables))
        mapping += list(zip(self.metrics_variables, metrics_variables))
        with StatelessScope(mapping) as scope:
            loss = self.compute_loss(x, y, y_pred, sample_weight, training)
        return loss, ([scope.current_value(v) for v in self.trainable_variables],
                      [scope.current_value(v) for v in self.non_trainable_variables],
                      [scope.current_value(v) for v in self.metrics_variables])

    def compute_loss_and_updates(self, trainable_variables, non_trainable_variables,
                                 metrics_variables, x, y, sample_weight, training=False,
                                 optimizer_variables=None):
        """Pure forward pass and loss, for `jax.value_and_grad(..., has_aux=True)`.

        Returns:
            `loss, (y_pred, non_trainable_variables, metrics_variables)`.
        """
        kwargs = {"training": training} if self._call_has_training_arg else {}
        y_pred, non_trainable_variables = self.stateless_call(
            trainable_variables, non_trainable_variables, x, **kwargs)
        try:
            loss, (_, non_trainable_variables, metrics_variables) = self.stateless_compute_loss(
                trainable_variables, non_trainable_variables, metrics_variables, x=x, y=y,
                y_pred=y_pred, sample_weight=sample_weight, training=training)
        finally:
            self._clear_losses()  # the forward's `add_loss` values must not outlive the trace
        return loss, (y_pred, non_trainable_variables, metrics_variables)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Updates the compiled metrics with one batch; returns `get_metrics_result()`."""
        if self._compile_metrics is not None and y is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def _stateless_update_metrics(self, metric_values, loss, x, y, y_pred, sample_weight):
        """Pure update of the loss tracker and compiled metrics: `(new_values, logs)`."""
        with StatelessScope(zip(self.metrics_variables, metric_values)) as scope:
            self._loss_tracker.update_state(loss, sample_weight=compile_utils.batch_size_of(x))
            logs = self.compute_metrics(x, y, y_pred, sample_weight)
        return [scope.current_value(v) for v in self.metrics_variables], logs

    # ------------------------------------------------------------------ state and functions
    @property
    def _state_optimizer_variables(self):
        """`optimizer.variables`, then those of other optimizers held as attributes (a GAN's
        second optimizer, used by a custom `train_step`), in assignment order."""
        optimizers = [self.optimizer] if self.optimizer is not None else []
        for value in vars(self).values():
            if isinstance(value, optimizers_module.Optimizer) and all(
                    value is not o for o in optimizers):
                optimizers.append(value)
        return [v for optimizer in optimizers for v in optimizer.variables]

    def _new_state(self, mode):
        """A `TrainingState` of the model's variables for `mode` (`"train"` or `"test"`)."""
        trainable, non_trainable = model_variables(self)
        if mode == "train":
            groups = (trainable, non_trainable, self._state_optimizer_variables,
                      self.metrics_variables)
        else:
            groups = (trainable, non_trainable, self.metrics_variables)
        return TrainingState(groups)

    def _chunk_function(self, mode):
        key = ("chunk", mode, self._eager)
        fn = self._functions.get(key)
        if fn is None:
            from neokeras.trainers import program_key  # on first use: import time

            step = backend.trainer.train_step if mode == "train" else backend.trainer.test_step
            # A float32 training step without convolutions (its probe says steps fuse) may run
            # its products in Eigen (see `backend.trainer.make_chunk_function`).
            probe = self._functions.get(("probe", mode))
            eigen = (mode == "train" and not self._overrides("train_step")
                     and probe is not None and probe[3]
                     and self.dtype_policy.compute_dtype == "float32")
            fn = self._functions[key] = backend.trainer.make_chunk_function(
                self, functools.partial(step, self), mode, donate_state=mode == "train",
                eager=self._eager, program_key=functools.partial(
                    program_key.program_key, self, mode), eigen=eigen)
        return fn

    def _distribute(self, data, pad, chunks, function, state, caller):
        """`(chunks, function)` to run: under a `keras.distribution`, chunks of global arrays
        split over the mesh's batch axis and the chunk function bound to the run's shardings
        (see `trainers.distributed`); otherwise both as they are. Batch sizes of array data
        that do not divide over the mesh are refused before any step runs."""
        current = distributed.current()
        if current is None:
            return chunks, function
        if hasattr(data, "batch_rows"):
            full = data.batch_size
            for rows in data.batch_rows(pad):
                distributed.check_rows(rows, current, caller, full)
        return (distributed.chunks(chunks, current, caller),
                distributed.bind(function, distributed.plan(current, state.variables),
                                 current))

    @property
    def compile_count(self):
        """How many times each compiled function was traced (for checking against recompiles):
        `"train"` and `"test"` chunks, `"predict"` (inference) and `"forward"` (training
        calls of `model(x)`). A function compiled for more than five distinct input
        signatures issues one `neokeras.RecompileWarning` naming the dimension that changed
        (see `trainers.recompiles`)."""
        return dict(self._trace_counts)

    def _trace_log(self, kind):
        """A new `recompiles.TraceLog` for one compiled function of kind `kind`."""
        return recompiles.TraceLog(self, kind)

    def _pads(self, mode, data, always=False):
        """Whether the last partial batch of `data` is padded to the full batch size (and
        masked) so that one program serves every batch (with `always`, whether steps are
        masked even when there is no partial batch, so that data with and without one share
        the program). Only where padding provably leaves the result unchanged: the default
        steps and losses, and a forward pass whose rows are independent (no stateful layers,
        no moving statistics, no `add_loss`)."""
        if self._eager or not (always or data.has_partial_batch):
            return False
        if self._overrides(f"{mode}_step") or any(self._overrides(m) for m in _STEP_METHODS):
            return False
        key = ("pads", mode)
        if key not in self._functions:
            self._functions[key] = self._rows_are_independent(data, mode)
        return self._functions[key]

    def _streams_training(self, data):
        """Whether `fit` streams the rows of array data with each chunk (see
        `ArrayDataAdapter.chunks`) instead of indexing the whole data set on the device: once
        this model has been fitted on another number of samples. Its first size keeps the
        fastest program; later sizes all share one more, instead of one program each (a
        growing data set, cross-validation folds)."""
        if not isinstance(data, ArrayDataAdapter):
            return False
        sizes = self._functions.setdefault("fit sample counts", set())
        sizes.add(data.num_samples)
        return len(sizes) > 1

    def _fuses_steps(self, mode, data):
        """Whether several steps per compiled call run as fast as one (see
        `backend.trainer.probe_forward`). A custom step may not call the model on the batch at
        all (a GAN's `call` takes noise), so the probe of `call` is skipped there and steps
        stay fused; so it is in eager mode, whose steps run one by one anyway."""
        if self._overrides(f"{mode}_step") or self._eager:
            return True
        return self._probe(mode, data)[3]

    def _probe(self, mode, data):
        """`backend.trainer.probe_forward` of the first batch of `data`, once per mode."""
        key = ("probe", mode)
        if key not in self._functions:
            from neokeras.trainers import program_key  # on first use: import time

            x, y, _ = data.first_batch()

            def reduces_batch(y_pred):
                return any(compiled is not None and compiled.reduces_batch(y, y_pred)
                           for compiled in (self._compile_loss, self._compile_metrics))

            self._functions[key] = backend.trainer.probe_forward(
                self, model_variables(self), x, training=mode == "train",
                inspect=None if y is None else reduces_batch,
                program_key=functools.partial(program_key.program_key, self, f"{mode} probe"),
                y=y)
        return self._functions[key]

    def _rows_are_independent(self, data, mode):
        """Whether padding rows, masked out of the compiled losses and metrics, leave a step's
        result unchanged: no stateful layer, no variable assigned in the forward pass but
        random state (moving statistics see every row), no `add_loss`, and no compiled loss or
        metric function that returns one value for the whole batch (it cannot be masked)."""
        if any(getattr(layer, "stateful", False) for layer in self._flatten_layers()):
            return False
        _, non_trainable = model_variables(self)
        seed_states = {id(s.state) for layer in self._flatten_layers()
                       for s in layer._seed_generators}
        updated, losses, batch_reduced, _ = self._probe(mode, data)
        return (not losses and not batch_reduced
                and all(id(non_trainable[i]) in seed_states for i in updated))

    def _prepare(self, x, y, training):
        """Builds the model, the compiled losses and metrics, and the optimizer from one batch."""
        output_spec = None
        if not self.built:
            output_spec = self._build_from_arrays(x)
        needs_loss = self._compile_loss is not None and not self._compile_loss.built
        needs_metrics = self._compile_metrics is not None and not self._compile_metrics.built \
            and y is not None
        if needs_loss or needs_metrics:
            if self._eager:
                if output_spec is None:
                    output_spec = self._eager_output_spec(x)
            else:
                specs = tree.map_structure(
                    lambda a: None if a is None else KerasTensor(a.shape, dtype=str(a.dtype)), x)
                output_spec = backend.compute_output_spec(
                    lambda inputs: self(inputs, training=False), specs)
            names = self._output_names_for(output_spec)
            if needs_loss:
                self._compile_loss.build(names)
                if len(names) > 1:
                    from neokeras.metrics import Mean

                    self._output_loss_trackers = {
                        name: Mean(name=f"{name}_loss")
                        for name, loss, _ in self._compile_loss.per_output if loss is not None}
            if needs_metrics:
                y_spec = tree.map_structure(
                    lambda a: None if a is None else KerasTensor(a.shape, dtype=str(a.dtype)), y)
                self._compile_metrics.build(names, self._compile_loss, y_spec, output_spec)
            self._functions = {}
        if training and not self.optimizer.built:
            self.optimizer.build(self.trainable_variables)

    def _eager_output_spec(self, x):
        """The outputs of `call` on the batch `x` as `KerasTensor`s, found by running it (this
        builds the model). Eager mode does not trace `call` for shapes: the numpy conversions
        and prints it exists for fail on traced values. Variable updates are discarded."""
        with backend.impl.eager_step(), StatelessScope():
            outputs = self(x, training=False)
        self._clear_losses()
        return tree.map_structure(
            lambda a: KerasTensor(a.shape, dtype=backend.standardize_dtype(a.dtype)), outputs)

    def _output_names_for(self, output_spec):
        names = getattr(self, "output_names", None)
        flat = tree.flatten(output_spec)
        if names and len(names) == len(flat):
            if isinstance(output_spec, dict):
                return sorted(output_spec)
            return list(names)
        if isinstance(output_spec, dict):
            return sorted(output_spec)
        if len(flat) == 1:
            return ["output"]
        return [f"output_{i + 1}" for i in range(len(flat))]

    def _build_from_arrays(self, x):
        """Builds the model for the batch `x`; returns the output specs when that ran `call`
        (eager mode), else None."""
        sublayers = self._flatten_layers(include_self=False)
        if self._overrides("train_step") and sublayers and all(layer.built for layer in sublayers):
            # As in Keras: a custom-step model whose layers are all built (e.g. a GAN, whose
            # `call` does not take the training data) is not traced on the data.
            self.built = True
            return None
        # A stateful layer sizes its carried states by the batch: build with the real one.
        stateful = any(getattr(layer, "stateful", False) for layer in sublayers)
        shapes = tree.map_structure(
            lambda a: tuple(a.shape) if stateful else (None,) + tuple(a.shape[1:]), x)
        if self._eager and _builds_by_tracing(self):
            # Eager mode builds a subclassed model as Keras does, by running `call`, which
            # builds each layer as it reaches it: tracing it would fail on numpy conversions.
            self._build_shapes, self.built = shapes, True
            try:
                return self._eager_output_spec(x)
            except BaseException:
                self.built = False
                raise
        self.build(shapes)
        return None

    # ------------------------------------------------------------------ fit
    @filter_traceback
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1, **kwargs):
        """Trains the model for `epochs` passes over the data.

        Args:
            x: Input data: a numpy array, a list or dict of arrays (several inputs), a pandas
                DataFrame/Series, a generator yielding `(x, y)` or `(x, y, sample_weight)`
                batches, a `keras.utils.PyDataset` (`Sequence`), a `tf.data.Dataset` or a
                `torch.utils.data.DataLoader` of such batches.
            y: Target array(s), like `x` (not with batches from a generator or dataset).
            batch_size: Samples per gradient update (default 32; arrays only).
            epochs: Index of the last epoch (Keras 2 spelling: `nb_epoch`).
            verbose: `"auto"`/1 (progress bar; one line per epoch when not on a terminal),
                2 (one line per epoch), 0 (silent).
            callbacks: List of `Callback`s.
            validation_split: Fraction of the array data (taken from the end) held out.
            validation_data: `(x_val, y_val)`, `(x_val, y_val, sample_weight_val)`, or
                batches as for `x`.
            shuffle: Shuffle the samples before each epoch (True), shuffle whole batches
                (`"batch"`), or not (False). A `PyDataset`'s batch order is shuffled.
            class_weight: Dict mapping class indices to loss weights.
            sample_weight: Per-sample loss weights.
            initial_epoch: Epoch to start from (for resuming).
            steps_per_epoch: Batches per epoch (needed for a generator or a dataset that
                repeats forever; with arrays, at most the number of batches). A dataset then
                goes on where the last epoch stopped.
            validation_steps: Batches per validation (batches as validation data).
            validation_batch_size: Batch size of array validation data.
            validation_freq: Validate every this many epochs (an int), or after the listed
                (1-based) epochs.

        Returns:
            A `History` whose `.history` maps `loss`, metrics and `val_*` to per-epoch lists.
        """
        for old, new in _FIT_ALIASES.items():
            if old in kwargs:
                epochs = kwargs.pop(old)
        unknown = set(kwargs) - _PIPELINE_ARGS
        if unknown:
            raise TypeError(f"fit() got unexpected keyword argument(s) {sorted(unknown)}.")
        self._assert_compiled("fit")
        steps_per_epoch = _steps_count(steps_per_epoch, "steps_per_epoch", "fit")
        validation_steps = _steps_count(validation_steps, "validation_steps", "fit")
        for name, value in (("epochs", epochs), ("initial_epoch", initial_epoch)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
                raise ValueError(f"fit: {name} must be a non-negative int. Received: {value!r}")
        # Debugging caps (keras.config.set_max_epochs / set_max_steps_per_epoch).
        if config.max_epochs() and config.max_epochs() < epochs:
            warnings.warn(f"Limiting epochs to {config.max_epochs()}", stacklevel=2)
            epochs = config.max_epochs()
        steps_per_epoch = _cap_steps(steps_per_epoch)
        if is_batch_data(x):
            if y is not None or sample_weight is not None:
                raise ValueError(f"fit: when x is {describe(x)}, it yields the targets and "
                                 "sample weights; do not pass y or sample_weight.")
            if validation_split:
                raise ValueError(f"fit: validation_split needs array data; with {describe(x)} "
                                 "pass validation_data instead.")
            data = BatchDataAdapter(x, steps_per_epoch, "fit", class_weight)
        else:
            data = ArrayDataAdapter(x, y, sample_weight, batch_size, "fit", class_weight)
            if validation_split and validation_data is None:
                (tx, ty, tsw), validation_data = data.split(validation_split)
                data = ArrayDataAdapter(tx, ty, tsw, batch_size, "fit")
            data.limit_steps(steps_per_epoch)
        val_data = None
        if validation_data is not None:
            val_data = self._validation_adapter(
                validation_data, validation_batch_size or batch_size, validation_steps)
        verbose = _verbose_mode(verbose)
        callback_list = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0,
                                     model=self, verbose=verbose, epochs=epochs, steps=data.steps)
        # Compilation from here on (preparation and probes included) counts in the epoch that
        # pays for it.
        compiled_before = backend.compile_seconds()
        first = data.first_batch()
        self._prepare(first[0], first[1], training=True)
        if val_data is not None:
            val_first = val_data.first_batch()
            self._prepare(val_first[0], val_first[1], training=False)
        per_batch = callback_list.needs_batch_hooks("train")
        streamed = self._streams_training(data)
        pad = self._pads("train", data, always=streamed)
        size = epoch_loop.chunk_size(self, data.fusable_steps(pad), per_batch,
                                     self._fuses_steps("train", data), bucketed=streamed,
                                     shows_progress=verbose == 1)
        train_function = self._chunk_function("train")
        # Shuffling draws from (seed, epoch), so a resumed run (BackupAndRestore restores the
        # seed) shuffles its remaining epochs exactly as an uninterrupted one.
        self._shuffle_seed = py_random.randint(0, 2**31 - 1)
        self._resume_epoch = None
        self.stop_training = False
        self._in_fit = True
        state = self._new_state("train")
        epoch_logs = {}
        try:
            callback_list.on_train_begin()
            start = initial_epoch if self._resume_epoch is None else self._resume_epoch
            for epoch in range(start, epochs):
                callback_list.on_epoch_begin(epoch)
                # Read after the hook, so what it changed (learning rate, weights) takes effect.
                self.reset_metrics()
                state.read()
                rng = np.random.default_rng([self._shuffle_seed, epoch])
                chunks = (data.chunks(size, pad, shuffle, rng, streamed=True) if streamed
                          else data.chunks(size, pad, shuffle, rng))
                chunks, function = self._distribute(
                    data, pad, chunks, train_function, state, "fit")
                logs = epoch_loop.run_epoch(self, chunks, function, state, callback_list,
                                            "train", per_batch)
                data.on_epoch_end()
                state.write()
                if logs is None:  # a generator that ran out of data
                    self.stop_training = True
                    break
                epoch_logs = to_floats(logs)
                if val_data is not None and _validates_after(epoch, validation_freq):
                    val_logs = self._evaluate_adapter(val_data, callback_list)
                    epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
                    # Keras hands callbacks (History) the keys sorted, `val_*` among them.
                    epoch_logs = dict(sorted(epoch_logs.items()))
                compiled = backend.compile_seconds()
                self._epoch_compile_seconds = compiled - compiled_before
                compiled_before = compiled
                callback_list.on_epoch_end(epoch, epoch_logs)
                if self.stop_training:
                    break
        finally:
            if not state.written:  # an epoch was interrupted; else callbacks may have changed
                state.write()      # the weights since, which must stay
            self._in_fit = False
        # With use_ema, the trained weights become their moving averages, as in Keras.
        self.optimizer.finalize_variable_values(self.trainable_variables)
        callback_list.on_train_end(epoch_logs)
        return callback_list.history

    def _validation_adapter(self, validation_data, batch_size, steps=None):
        steps = _cap_steps(steps)
        if is_batch_data(validation_data):
            return BatchDataAdapter(validation_data, steps, "fit (validation_data)")
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
            raise ValueError(
                "validation_data must be a tuple (x_val, y_val) or (x_val, y_val, "
                "sample_weight_val), a generator, a PyDataset, a tf.data.Dataset or a torch "
                "DataLoader. Received: "
                f"{type(validation_data).__name__} of length "
                f"{len(validation_data) if hasattr(validation_data, '__len__') else '?'}")
        vx, vy, vsw = (tuple(validation_data) + (None,))[:3]
        data = ArrayDataAdapter(vx, vy, vsw, batch_size, "fit (validation_data)")
        data.limit_steps(steps)
        return data

    # ------------------------------------------------------------------ evaluate
    @filter_traceback
    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False, **kwargs):
        """Computes the loss and metrics on the given data.

        Returns:
            The loss (a float) when no metrics are compiled, else `[loss, metric, ...]` in
            `metrics_names` order; a dict with `return_dict=True`.
        """
        unknown = set(kwargs) - _PIPELINE_ARGS
        if unknown:
            raise TypeError(f"evaluate() got unexpected keyword argument(s) {sorted(unknown)}.")
        self._assert_compiled("evaluate")
        steps = _cap_steps(_steps_count(steps, "steps", "evaluate"))
        if is_batch_data(x):
            if y is not None or sample_weight is not None:
                raise ValueError(f"evaluate: when x is {describe(x)}, it yields the targets; "
                                 "do not pass y or sample_weight.")
            data = BatchDataAdapter(x, steps, "evaluate")
        else:
            data = ArrayDataAdapter(x, y, sample_weight, batch_size, "evaluate")
            data.limit_steps(steps)
        verbose = _verbose_mode(verbose)
        callback_list = CallbackList(callbacks, add_progbar=verbose != 0, model=self,
                                     verbose=verbose, epochs=1, steps=data.steps)
        first = data.first_batch()
        self._prepare(first[0], first[1], training=False)
        logs = self._evaluate_adapter(data, callback_list)
        return self._format_logs(logs, return_dict)

    def _evaluate_adapter(self, data, callback_list):
        """One pass of the test step over `data`; returns the logs as floats."""
        per_batch = callback_list is not None and callback_list.needs_batch_hooks("test")
        # Array data is streamed (see `ArrayDataAdapter.chunks`): validation and `evaluate`
        # on any number of samples of one batch size run one compiled program.
        streamed = isinstance(data, ArrayDataAdapter)
        pad = self._pads("test", data, always=streamed)
        size = epoch_loop.chunk_size(self, data.fusable_steps(pad), per_batch,
                                     self._fuses_steps("test", data), bucketed=streamed)
        self.reset_metrics()
        if callback_list is not None:
            callback_list.on_test_begin()  # before the state is read: it may swap weights
        state = self._new_state("test")
        chunks = data.chunks(size, pad, streamed=True) if streamed else data.chunks(size, pad)
        chunks, function = self._distribute(data, pad, chunks, self._chunk_function("test"),
                                            state, getattr(data, "caller", "evaluate"))
        logs = epoch_loop.run_epoch(self, chunks, function, state, callback_list, "test",
                                    per_batch)
        if logs is None:
            raise ValueError(f"{data.caller if hasattr(data, 'caller') else 'evaluate'}: the "
                             "data produced no batch to evaluate on.")
        write_values(state.variables[1], state.values[1])
        write_values(state.variables[2], state.values[2])
        logs = to_floats(logs)
        if callback_list is not None:
            callback_list.on_test_end(logs)
        return logs

    def _format_logs(self, logs, return_dict):
        if return_dict:
            return logs
        values = [logs[name] for name in self.metrics_names if name in logs]
        values += [v for k, v in logs.items() if k not in self.metrics_names]
        return values[0] if len(values) == 1 else values

    # ------------------------------------------------------------------ predict
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None, **kwargs):
        """Returns the model's outputs for `x` as numpy arrays, computed in batches.

        Args:
            x: Input array(s), a generator or a `PyDataset`.
            batch_size: Samples per batch (default 32).
            verbose: 0 silences the progress bar.
            steps: Batches to predict on (generators).
            callbacks: Optional callbacks (`on_predict_*` hooks).
        """
        # Filtered here rather than by `filter_traceback`, whose wrapper's argument packing
        # costs a one-sample predict ~0.5 us of its ~12.
        try:
            return self._predict(x, batch_size, verbose, steps, callbacks, kwargs)
        except Exception as error:
            if traceback_utils.is_traceback_filtering_enabled():
                raise traceback_utils.filtered(error) from None
            raise

    def _predict(self, x, batch_size, verbose, steps, callbacks, kwargs):
        unknown = set(kwargs) - _PIPELINE_ARGS if kwargs else None
        if unknown:
            raise TypeError(f"predict() got unexpected keyword argument(s) {sorted(unknown)}.")
        if steps is not None:
            steps = _steps_count(steps, "steps", "predict")
        steps = _cap_steps(steps)
        if batch_size is None:
            batch_size = 32
        if not callbacks and self.built and _fits_one_batch(x, batch_size):
            # Small input: no adapter, no callbacks, one compiled call.
            return self._predict_arrays(x, batch_size)
        if is_batch_data(x):
            data = BatchDataAdapter(x, steps, "predict")
            batches = (batch for batch, _, _ in data.batches())
            cap = None
        else:
            data = ArrayDataAdapter(x, None, None, batch_size, "predict")
            data.limit_steps(steps)
            size = data.batch_size
            rows = data.num_samples if steps is None else min(data.num_samples, steps * size)
            batches = (tree.map_structure(lambda a: a[start:start + size], data.x)
                       for start in range(0, rows, size))
            cap = size
        verbose = _verbose_mode(verbose)
        callback_list = CallbackList(callbacks, add_progbar=verbose == 1 and (data.steps or 2) > 1,
                                     model=self, verbose=verbose, epochs=1, steps=data.steps)
        if not self.built:
            self._build_from_arrays(data.first_batch()[0])
        callback_list.on_predict_begin()
        outputs = []
        for step, batch in enumerate(batches):
            callback_list.on_predict_batch_begin(step)
            out, _, rows = inference.call(self, batch, cap=cap, bucket=False)
            outputs.append((out, rows if rows is not None else _num_rows(batch)))
            callback_list.on_predict_batch_end(step, {"outputs": out})
        if not outputs:
            raise ValueError("predict: the data produced no batch.")
        result = inference.concatenate_batches(outputs)
        callback_list.on_predict_end()
        return result

    def predict_on_batch(self, x):
        """Returns the outputs for one batch `x` as numpy arrays (one compiled call).

        The batch is padded with zero rows to the next power of two (and the outputs cut back),
        so that batches of varying size reuse a few compiled programs; models with stateful
        layers are not padded, as the padding rows would change their carried state.
        """
        return self._predict_arrays(_standardize_input(x), None)

    def _predict_arrays(self, x, cap):
        if not self.built:
            self._build_from_arrays(tree.map_structure(backend.convert_to_tensor, x))
        out, _, rows = inference.call(self, x, cap=cap)
        if rows is None:
            return tree.map_structure(np.asarray, out) if tree.is_nested(out) else np.asarray(out)
        return tree.map_structure(lambda a: np.asarray(a)[:rows], out)

    # ------------------------------------------------------------------ single batches
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False,
                       reset_metrics=True):
        """Runs one gradient update on one batch.

        Returns:
            The loss and metrics of this batch (a float, a list in `metrics_names` order, or a
            dict with `return_dict=True`). With `reset_metrics=False` (Keras 2) the metrics
            accumulate over consecutive calls instead.
        """
        self._assert_compiled("train_on_batch")
        data = ArrayDataAdapter(x, y, sample_weight, _len(x), "train_on_batch", class_weight)
        self._prepare(data.x, data.y, training=True)
        return self._run_one_batch("train", data, reset_metrics, return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False, reset_metrics=True):
        """Evaluates the model on one batch; returns its loss and metrics (see
        `train_on_batch`)."""
        self._assert_compiled("test_on_batch")
        data = ArrayDataAdapter(x, y, sample_weight, _len(x), "test_on_batch")
        self._prepare(data.x, data.y, training=False)
        return self._run_one_batch("test", data, reset_metrics, return_dict)

    def _run_one_batch(self, mode, data, reset_metrics, return_dict):
        if reset_metrics:
            self.reset_metrics()
        state = self._new_state(mode)
        chunks, function = self._distribute(data, False, data.chunks(1, False),
                                            self._chunk_function(mode), state,
                                            f"{mode}_on_batch")
        chunk = next(chunks)
        state.values, logs = function(
            state.values, chunk.data, chunk.indices, chunk.weights, np.int32(1))
        if mode == "train":
            state.write()
        else:
            write_values(state.variables[1], state.values[1])
            write_values(state.variables[2], state.values[2])
        return self._format_logs(to_floats(logs), return_dict)

    # ------------------------------------------------------------------ Keras 2 generator methods
    def fit_generator(self, generator, steps_per_epoch=None, epochs=1, verbose=1, callbacks=None,
                      validation_data=None, validation_steps=None, validation_freq=1,
                      class_weight=None, max_queue_size=10, workers=1, use_multiprocessing=False,
                      shuffle=True, initial_epoch=0):
        """Keras 2 alias of `fit` with a generator or `Sequence`."""
        return self.fit(generator, steps_per_epoch=steps_per_epoch, epochs=epochs,
                        verbose=verbose, callbacks=callbacks, validation_data=validation_data,
                        validation_steps=validation_steps, validation_freq=validation_freq,
                        class_weight=class_weight, shuffle=shuffle, initial_epoch=initial_epoch)

    def evaluate_generator(self, generator, steps=None, callbacks=None, max_queue_size=10,
                           workers=1, use_multiprocessing=False, verbose=0):
        """Keras 2 alias of `evaluate` with a generator or `Sequence`."""
        return self.evaluate(generator, steps=steps, callbacks=callbacks, verbose=verbose)

    def predict_generator(self, generator, steps=None, callbacks=None, max_queue_size=10,
                          workers=1, use_multiprocessing=False, verbose=0):
        """Keras 2 alias of `predict` with a generator or `Sequence`."""
        return self.predict(generator, steps=steps, callbacks=callbacks, verbose=verbose)


def _unpack(data):
    from neokeras.trainers.data_adapters.batch_data_adapter import unpack_batch

    return unpack_batch(data)


def _held_metrics(layer):
    """The `Metric`s held by `layer`'s attributes (directly or in a list, tuple or dict)."""
    for value in vars(layer).values():
        if isinstance(value, Metric):
            yield value
        elif isinstance(value, (list, tuple, dict)):
            for item in value.values() if isinstance(value, dict) else value:
                if isinstance(item, Metric):
                    yield item


def _builds_by_tracing(model):
    """Whether `model.build` is the generic one of subclassed models (a symbolic call)."""
    from neokeras.models.model import Model

    return type(model).build is Model.build


def _validates_after(epoch, validation_freq):
    if isinstance(validation_freq, (int, np.integer)) and not isinstance(validation_freq, bool):
        if validation_freq < 1:
            raise ValueError(f"validation_freq must be >= 1. Received: {validation_freq}")
        return (epoch + 1) % validation_freq == 0
    if isinstance(validation_freq, (list, tuple, set, range)):
        return epoch + 1 in validation_freq
    raise ValueError("validation_freq must be an int or a list of epochs. "
                     f"Received: {validation_freq!r}")


def _steps_count(value, name, caller):
    """A `steps`-like argument: None or a positive number of batches. A float (Keras 2 programs
    pass `len(x) / batch_size`) is rounded up, as tf-keras's loop `while step < steps` runs."""
    if value is None:
        return None
    if isinstance(value, (float, np.floating)) and math.isfinite(value) and value > 0:
        return math.ceil(value)
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{caller}: {name} must be a positive int. Received: {value!r}")
    return int(value)


def _len(x):
    return int(np.shape(tree.flatten(_standardize_input(x))[0])[0])


def _num_rows(batch):
    return int(np.shape(tree.flatten(batch)[0])[0])


def _standardize_input(x):
    if isinstance(x, (list, tuple)) and x and not hasattr(x[0], "shape"):
        return np.asarray(x)
    return x


def _fits_one_batch(x, batch_size):
    """Whether `x` is array data (an array, or a list/dict of them) of at most `batch_size`
    rows, which `predict` runs as one call without an adapter."""
    if isinstance(x, np.ndarray) or backend.is_tensor(x):
        return 0 < x.shape[0] <= batch_size
    if tree.is_nested(x) and x:
        leaves = tree.flatten(x)
        if all(isinstance(a, np.ndarray) or backend.is_tensor(a) for a in leaves):
            rows = {a.shape[0] if a.ndim else None for a in leaves}
            return len(rows) == 1 and 0 < next(iter(rows)) <= batch_size
    return False


def _verbose_mode(verbose):
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2, True, False):
        raise ValueError(f"verbose must be 'auto', 0, 1 or 2. Received: {verbose!r}")
    return int(verbose)


def _cap_steps(steps):
    """`steps` capped by `keras.config.max_steps_per_epoch()` (a debugging limit on every
    pass of fit, validation, evaluate and predict, as Keras's epoch iterator applies it)."""
    max_steps = config.max_steps_per_epoch()
    if max_steps and (not steps or max_steps < steps):
        warnings.warn(f"Limiting steps_per_epoch to {max_steps}", stacklevel=3)
        return max_steps
    return steps
