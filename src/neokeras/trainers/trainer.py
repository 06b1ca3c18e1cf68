"""The Python side of `compile`, `fit`, `evaluate` and `predict`.

The model's state is read out of its variables once, threaded through compiled steps from the
backend (`backend.trainer`), and written back when Python needs it: at the end of each epoch,
before a callback that may look at weights, and when training ends or fails.
"""

import math
import random as py_random
import time
import warnings

import numpy as np

from neokeras import backend
from neokeras import config
from neokeras import optimizers as optimizers_module
from neokeras.backend.common.keras_tensor import KerasTensor
from neokeras.backend.common.stateless_scope import StatelessScope
from neokeras.callbacks.callback_list import CallbackList
from neokeras.trainers import compile_utils
from neokeras.trainers.data_adapters import ArrayDataAdapter
from neokeras.trainers.data_adapters import BatchDataAdapter
from neokeras.trainers.data_adapters import is_batch_data
from neokeras.utils import tree
from neokeras.utils.traceback_utils import filter_traceback

_FIT_ALIASES = {"nb_epoch": "epochs"}
# Keras 2 arguments about input pipelines; with in-memory data they change nothing.
_PIPELINE_ARGS = {"workers", "use_multiprocessing", "max_queue_size"}


class Trainer:
    """Mixin giving a model `compile`, `fit`, `evaluate`, `predict` and the `*_on_batch` calls."""

    def _init_trainer(self):
        self.compiled = False
        self.optimizer = None
        self.loss = None
        self.run_eagerly = False
        self.steps_per_execution = 1
        self.stop_training = False
        self.history = None
        self._compile_loss = None
        self._compile_metrics = None
        self._loss_tracker = None
        self._output_loss_trackers = {}
        self._compile_config = None
        self._functions = {}
        self._trace_counts = {}
        self._in_fit = False
        # Set by fit: the state threaded through the compiled steps, the shuffling seed (a
        # BackupAndRestore restores it with the epoch to resume at) and the seconds spent
        # compiling in the current epoch (shown by the progress bar).
        self._fit_state = None
        self._shuffle_seed = None
        self._resume_epoch = None
        self._epoch_compile_seconds = None

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
            run_eagerly: Run the steps as plain Python (for debugging) instead of compiled.
            steps_per_execution: Steps fused per compiled call; 1 lets `fit` choose when no
                callback needs every batch.
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
        self.optimizer = optimizers_module.get(optimizer)
        self.loss = loss
        self._compile_loss = compile_utils.CompileLoss(loss, loss_weights) if loss is not None else None
        self._compile_metrics = compile_utils.CompileMetrics(metrics, weighted_metrics)
        self._loss_tracker = compile_utils.loss_tracker()
        self._output_loss_trackers = {}
        self.run_eagerly = bool(run_eagerly)
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

    # ------------------------------------------------------------------ metrics
    @property
    def metrics(self):
        """The loss tracker followed by the compiled metrics (built on the first batch)."""
        result = []
        if self._loss_tracker is not None:
            result.append(self._loss_tracker)
        result.extend(self._output_loss_trackers.values())
        if self._compile_metrics is not None and self._compile_metrics.built:
            result.extend(self._compile_metrics.metric_objects)
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

    def _metric_results(self):
        return {m.name: m.result() for m in self.metrics}

    # ------------------------------------------------------------------ pure pieces of a step
    def train_step(self, state, data):
        """One training step; override it to customize `fit` (Keras 3 JAX signature).

        Args:
            state: `(trainable_variables, non_trainable_variables, optimizer_variables,
                metrics_variables)`, lists of arrays in the order of the model's variable
                lists (`optimizer_variables` also holds the variables of other optimizers the
                model keeps as attributes, after `optimizer.variables`).
            data: The batch: `x`, `(x, y)` or `(x, y, sample_weight)`.

        Returns:
            `(logs, state)`: a dict of scalars and the new state. The default step is built
            into the compiled function and not called through this method.
        """
        raise NotImplementedError

    def test_step(self, state, data):
        """One evaluation step with `state = (trainable, non_trainable, metrics_variables)`;
        returns `(logs, state)`. Override to customize `evaluate`."""
        raise NotImplementedError

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The training objective: compiled losses plus `model.losses` (regularization)."""
        total, parts = 0.0, {}
        if self._compile_loss is not None:
            total, parts = self._compile_loss(y, y_pred, sample_weight)
        extra = self.losses
        if extra:
            total = total + sum(extra)
        return total, parts

    def compute_loss_and_updates(self, trainable_values, non_trainable_values, x, y,
                                 sample_weight, training):
        """Pure forward pass and loss: `loss, (y_pred, new_non_trainable, per_output_losses)`."""
        mapping = list(zip(self.trainable_variables, trainable_values))
        mapping += list(zip(self.non_trainable_variables, non_trainable_values))
        with StatelessScope(mapping) as scope:
            y_pred = self(x, training=training)
            loss, parts = self.compute_loss(x, y, y_pred, sample_weight, training)
        self._clear_losses()
        new_non_trainable = [scope.current_value(v) for v in self.non_trainable_variables]
        return loss, (y_pred, new_non_trainable, parts)

    def stateless_update_metrics(self, metric_values, loss, loss_parts, x, y, y_pred,
                                 sample_weight):
        """Pure metric update: `(new_metric_values, logs)`."""
        batch_size = tree.flatten(x)[0].shape[0]
        with StatelessScope(zip(self.metrics_variables, metric_values)) as scope:
            self._loss_tracker.update_state(loss, sample_weight=batch_size)
            for name, tracker in self._output_loss_trackers.items():
                tracker.update_state(loss_parts[name], sample_weight=batch_size)
            if self._compile_metrics is not None and y is not None:
                self._compile_metrics.update_state(y, y_pred, sample_weight)
            logs = self._metric_results()
        return [scope.current_value(v) for v in self.metrics_variables], logs

    # ------------------------------------------------------------------ state and functions
    def _state_values(self, variables):
        return [v.value for v in variables]

    def _write_values(self, variables, values):
        for variable, value in zip(variables, values):
            variable._value = value

    @property
    def _state_optimizer_variables(self):
        """`optimizer.variables`, then those of other optimizers held as attributes (a GAN's
        second optimizer, used by a custom `train_step`), in assignment order."""
        optimizers = [self.optimizer]
        for value in vars(self).values():
            if isinstance(value, optimizers_module.Optimizer) and all(
                    value is not o for o in optimizers):
                optimizers.append(value)
        return [v for optimizer in optimizers for v in optimizer.variables]

    def _train_state(self):
        return (self._state_values(self.trainable_variables),
                self._state_values(self.non_trainable_variables),
                self._state_values(self._state_optimizer_variables),
                self._state_values(self.metrics_variables))

    def _write_train_state(self, state):
        trainable, non_trainable, optimizer_values, metric_values = state
        self._write_values(self.trainable_variables, trainable)
        self._write_values(self.non_trainable_variables, non_trainable)
        self._write_values(self._state_optimizer_variables, optimizer_values)
        self._write_values(self.metrics_variables, metric_values)

    def _fresh_metric_values(self):
        self.reset_metrics()
        return self._state_values(self.metrics_variables)

    def _function(self, kind):
        fn = self._functions.get(kind)
        if fn is None:
            maker = getattr(backend.trainer, f"make_{kind}_function")
            fn = self._functions[kind] = maker(self)
        return fn

    @property
    def compile_count(self):
        """How many times each compiled function was traced (for checking against recompiles)."""
        return dict(self._trace_counts)

    def _prepare(self, x, y, training):
        """Builds the model, the compiled losses and metrics, and the optimizer from one batch."""
        if not self.built:
            self._build_from_arrays(x)
        output_spec = None
        needs_loss = self._compile_loss is not None and not self._compile_loss.built
        needs_metrics = self._compile_metrics is not None and not self._compile_metrics.built \
            and y is not None
        if needs_loss or needs_metrics:
            specs = tree.map_structure(
                lambda a: None if a is None else KerasTensor(a.shape, dtype=str(a.dtype)), x)
            output_spec = backend.compute_output_spec(lambda inputs: self(inputs, training=False),
                                                      specs)
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
        sublayers = self._flatten_layers(include_self=False)
        if type(self).train_step is not Trainer.train_step and sublayers \
                and all(layer.built for layer in sublayers):
            # As in Keras: a custom-step model whose layers are all built (e.g. a GAN, whose
            # `call` does not take the training data) is not traced on the data.
            self.built = True
            return
        shapes = tree.map_structure(lambda a: (None,) + tuple(a.shape[1:]), x)
        self.build(shapes)

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
                batches, or a `keras.utils.PyDataset` (`Sequence`).
            y: Target array(s), like `x` (not with a generator or `PyDataset`).
            batch_size: Samples per gradient update (default 32; arrays only).
            epochs: Index of the last epoch (Keras 2 spelling: `nb_epoch`).
            verbose: `"auto"`/1 (progress bar; one line per epoch when not on a terminal),
                2 (one line per epoch), 0 (silent).
            callbacks: List of `Callback`s.
            validation_split: Fraction of the array data (taken from the end) held out.
            validation_data: `(x_val, y_val)`, `(x_val, y_val, sample_weight_val)`, a
                generator or a `PyDataset`.
            shuffle: Shuffle the samples before each epoch (True), shuffle whole batches
                (`"batch"`), or not (False). A `PyDataset`'s batch order is shuffled.
            class_weight: Dict mapping class indices to loss weights.
            sample_weight: Per-sample loss weights.
            initial_epoch: Epoch to start from (for resuming).
            steps_per_epoch: Batches per epoch (generators; with arrays, at most the number
                of batches).
            validation_steps: Batches per validation (generator or `PyDataset` validation).
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
        for name, value in (("epochs", epochs), ("initial_epoch", initial_epoch)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
                raise ValueError(f"fit: {name} must be a non-negative int. Received: {value!r}")
        # Debugging caps (keras.config.set_max_epochs / set_max_steps_per_epoch).
        if config.max_epochs() and config.max_epochs() < epochs:
            warnings.warn(f"Limiting epochs to {config.max_epochs()}", stacklevel=2)
            epochs = config.max_epochs()
        max_steps = config.max_steps_per_epoch()
        if max_steps and (not steps_per_epoch or max_steps < steps_per_epoch):
            warnings.warn(f"Limiting steps_per_epoch to {max_steps}", stacklevel=2)
            steps_per_epoch = max_steps
        if is_batch_data(x):
            if y is not None or sample_weight is not None:
                raise ValueError("fit: when x is a generator or PyDataset, it yields the targets "
                                 "and sample weights; do not pass y or sample_weight.")
            if validation_split:
                raise ValueError("fit: validation_split needs array data; with a generator or "
                                 "PyDataset pass validation_data instead.")
            data = BatchDataAdapter(x, steps_per_epoch, "fit", class_weight)
            first, steps = data.peek(), data.steps
        else:
            data = ArrayDataAdapter(x, y, sample_weight, batch_size, "fit", class_weight)
            if validation_split and validation_data is None:
                (tx, ty, tsw), validation_data = data.split(validation_split)
                data = ArrayDataAdapter(tx, ty, tsw, batch_size, "fit")
            if steps_per_epoch is not None and not (
                    isinstance(steps_per_epoch, (int, np.integer)) and 0 < steps_per_epoch):
                raise ValueError(
                    f"fit: steps_per_epoch must be a positive int. Received: {steps_per_epoch!r}")
            first, steps = data.arrays(), min(steps_per_epoch or data.steps, data.steps)
        val_data = None
        if validation_data is not None:
            val_data = self._validation_adapter(
                validation_data, validation_batch_size or batch_size, validation_steps)
        verbose = _verbose_mode(verbose)
        callback_list = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0,
                                     model=self, verbose=verbose, epochs=epochs, steps=steps)
        self._prepare(first[0], first[1], training=True)
        if val_data is not None:
            val_first = val_data.peek() if isinstance(val_data, BatchDataAdapter) \
                else val_data.arrays()
            self._prepare(val_first[0], val_first[1], training=False)
        per_batch = callback_list.needs_batch_hooks("train")
        # Shuffling draws from (seed, epoch), so a resumed run (BackupAndRestore restores the
        # seed) shuffles its remaining epochs exactly as an uninterrupted one.
        self._shuffle_seed = py_random.randint(0, 2**31 - 1)
        self._resume_epoch = None
        self.stop_training = False
        self._in_fit = True
        self._fit_state = None
        epoch_logs = {}
        try:
            callback_list.on_train_begin()
            start = initial_epoch if self._resume_epoch is None else self._resume_epoch
            if isinstance(data, ArrayDataAdapter):
                run_epoch = self._array_epoch_runner(data, steps, per_batch)
            else:
                run_epoch = self._batch_epoch_runner(data, per_batch)
            for epoch in range(start, epochs):
                self._epoch_compile_seconds = None
                callback_list.on_epoch_begin(epoch)
                # Read after the hook, so what it changed (learning rate, weights) takes effect.
                self._fit_state = self._train_state()[:3] + (self._fresh_metric_values(),)
                rng = np.random.default_rng([self._shuffle_seed, epoch])
                logs = run_epoch(callback_list, shuffle, rng)
                self._write_train_state(self._fit_state)
                self._fit_state = None
                if logs is None:  # a generator that ran out of data
                    self.stop_training = True
                    break
                epoch_logs = _to_floats(logs)
                if val_data is not None and _validates_after(epoch, validation_freq):
                    val_logs = self._evaluate_data(val_data, callback_list)
                    epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
                callback_list.on_epoch_end(epoch, epoch_logs)
                if self.stop_training:
                    break
        finally:
            if self._fit_state is not None:
                self._write_train_state(self._fit_state)
            self._fit_state = None
            self._in_fit = False
        # With use_ema, the trained weights become their moving averages, as in Keras.
        self.optimizer.finalize_variable_values(self.trainable_variables)
        callback_list.on_train_end(epoch_logs)
        return callback_list.history

    def _timed_call(self, fn, *args):
        """Calls a compiled function; when that call traced (compiled) it, adds its time to the
        epoch's compile seconds (shown by the progress bar)."""
        traces = sum(self._trace_counts.values())
        start = time.perf_counter()
        result = fn(*args)
        if sum(self._trace_counts.values()) != traces:
            self._epoch_compile_seconds = (self._epoch_compile_seconds or 0.0) + (
                time.perf_counter() - start)
        return result

    def _array_epoch_runner(self, data, steps, per_batch):
        """Epochs over device-resident arrays: compiled chunks of steps."""
        num_full = min(data.num_full_batches, steps)
        chunk_size = self._chunk_size(num_full, per_batch)
        device_data = backend.trainer.to_device(data.arrays())
        train_chunk = self._function("train_chunk")

        def run_epoch(callback_list, shuffle, rng):
            full, last = data.epoch_indices(shuffle, rng)
            full = full[:num_full]
            if num_full == steps:
                last = None
            groups = [full[i:i + chunk_size] for i in range(0, num_full, chunk_size)]
            if last is not None:
                groups.append(last[None, :])
            logs, step = None, 0
            for rows in groups:
                size = chunk_size if rows.shape[1] == data.batch_size else 1
                if per_batch:
                    self._write_train_state(self._fit_state)
                    callback_list.on_train_batch_begin(step)
                self._fit_state, logs = self._timed_call(
                    train_chunk, self._fit_state, device_data, _pad_rows(rows, size),
                    np.int32(len(rows)))
                step += len(rows)
                self._after_train_batch(callback_list, step - 1, logs, per_batch)
                if self.stop_training:
                    break
            return logs

        return run_epoch

    def _batch_epoch_runner(self, data, per_batch):
        """Epochs over batches made by Python: the single-batch compiled step."""
        train_step = self._function("train")

        def run_epoch(callback_list, shuffle, rng):
            logs = None
            for step, batch in enumerate(data.batches(shuffle, rng)):
                if per_batch:
                    self._write_train_state(self._fit_state)
                    callback_list.on_train_batch_begin(step)
                self._fit_state, logs = self._timed_call(train_step, self._fit_state, batch)
                self._after_train_batch(callback_list, step, logs, per_batch)
                if self.stop_training:
                    break
            data.on_epoch_end()
            return logs

        return run_epoch

    def _after_train_batch(self, callback_list, step, logs, per_batch):
        if not per_batch:
            callback_list.on_train_batch_end(step, logs)
            return
        self._write_train_state(self._fit_state)
        callback_list.on_train_batch_end(step, _to_floats(logs))
        self._fit_state = self._train_state()

    def _validation_adapter(self, validation_data, batch_size, steps=None):
        if is_batch_data(validation_data):
            return BatchDataAdapter(validation_data, steps, "fit (validation_data)")
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
            raise ValueError(
                "validation_data must be a tuple (x_val, y_val) or (x_val, y_val, "
                "sample_weight_val), a generator or a PyDataset. Received: "
                f"{type(validation_data).__name__} of length "
                f"{len(validation_data) if hasattr(validation_data, '__len__') else '?'}")
        vx, vy, vsw = (tuple(validation_data) + (None,))[:3]
        return ArrayDataAdapter(vx, vy, vsw, batch_size, "fit (validation_data)")

    def _chunk_size(self, num_full_batches, per_batch):
        if per_batch or num_full_batches == 0:
            return 1
        if self.steps_per_execution > 1:
            return min(self.steps_per_execution, num_full_batches)
        # About eight dispatches per epoch: few enough that Python overhead vanishes, enough
        # that the progress bar still moves.
        return min(num_full_batches, max(16, math.ceil(num_full_batches / 8)))

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
        if is_batch_data(x):
            if y is not None or sample_weight is not None:
                raise ValueError("evaluate: when x is a generator or PyDataset, it yields the "
                                 "targets; do not pass y or sample_weight.")
            data = BatchDataAdapter(x, steps, "evaluate")
            first = data.peek()
        else:
            data = ArrayDataAdapter(x, y, sample_weight, batch_size, "evaluate")
            first = data.arrays()
        verbose = _verbose_mode(verbose)
        callback_list = CallbackList(callbacks, add_progbar=verbose != 0, model=self,
                                     verbose=verbose, epochs=1, steps=data.steps)
        self._prepare(first[0], first[1], training=False)
        logs = self._evaluate_data(data, callback_list)
        if return_dict:
            return logs
        values = [logs[name] for name in self.metrics_names if name in logs]
        return values[0] if len(values) == 1 else values

    def _evaluate_data(self, data, callback_list):
        if isinstance(data, BatchDataAdapter):
            return self._run_batch_evaluation(data, callback_list)
        return self._run_evaluation(data, callback_list)

    def _run_batch_evaluation(self, data, callback_list):
        per_batch = callback_list is not None and callback_list.needs_batch_hooks("test")
        test_step = self._function("test")
        state = (self._state_values(self.trainable_variables),
                 self._state_values(self.non_trainable_variables), self._fresh_metric_values())
        if callback_list is not None:
            callback_list.on_test_begin()
        logs = None
        for step, batch in enumerate(data.batches()):
            if per_batch:
                callback_list.on_test_batch_begin(step)
            state, logs = test_step(state, batch)
            if callback_list is not None:
                callback_list.on_test_batch_end(step, _to_floats(logs) if per_batch else logs)
        if logs is None:
            raise ValueError(f"{data.caller}: the data produced no batch to evaluate on.")
        self._write_values(self.metrics_variables, state[2])
        logs = _to_floats(logs)
        if callback_list is not None:
            callback_list.on_test_end(logs)
        return logs

    def _run_evaluation(self, data, callback_list):
        per_batch = callback_list is not None and callback_list.needs_batch_hooks("test")
        chunk_size = self._chunk_size(data.num_full_batches, per_batch)
        test_chunk = self._function("test_chunk")
        device_data = backend.trainer.to_device(data.arrays())
        state = (self._state_values(self.trainable_variables),
                 self._state_values(self.non_trainable_variables), self._fresh_metric_values())
        if callback_list is not None:
            callback_list.on_test_begin()
        full, last = data.epoch_indices(False, None)
        logs, step = None, 0
        for start in range(0, data.num_full_batches, chunk_size):
            rows = full[start:start + chunk_size]
            if per_batch:
                callback_list.on_test_batch_begin(step)
            state, logs = test_chunk(state, device_data, _pad_rows(rows, chunk_size),
                                     np.int32(len(rows)))
            step += len(rows)
            if callback_list is not None:
                callback_list.on_test_batch_end(step - 1, logs)
        if last is not None:
            state, logs = test_chunk(state, device_data, last[None, :], np.int32(1))
            step += 1
            if callback_list is not None:
                callback_list.on_test_batch_end(step - 1, logs)
        self._write_values(self.metrics_variables, state[2])
        logs = _to_floats(logs)
        if callback_list is not None:
            callback_list.on_test_end(logs)
        return logs

    # ------------------------------------------------------------------ predict
    @filter_traceback
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None, **kwargs):
        """Returns the model's outputs for `x` as numpy arrays, computed in batches.

        Args:
            x: Input array(s).
            batch_size: Samples per batch (default 32).
            verbose: 0 silences the progress bar.
            callbacks: Optional callbacks (`on_predict_*` hooks).
        """
        unknown = set(kwargs) - _PIPELINE_ARGS
        if unknown:
            raise TypeError(f"predict() got unexpected keyword argument(s) {sorted(unknown)}.")
        if batch_size is None:
            batch_size = 32
        if isinstance(x, np.ndarray) and not callbacks and 0 < x.shape[0] <= batch_size \
                and self.built:
            # Small-input fast path: no adapter, no callbacks, one compiled call.
            return self._predict_small_batch(x, batch_size)
        if is_batch_data(x):
            return self._predict_batches(BatchDataAdapter(x, steps, "predict"), verbose,
                                         callbacks)
        data = ArrayDataAdapter(x, None, None, batch_size, "predict")
        verbose = _verbose_mode(verbose)
        callback_list = CallbackList(callbacks, add_progbar=verbose == 1 and data.steps > 1,
                                     model=self, verbose=verbose, epochs=1, steps=data.steps)
        if not self.built:
            self._build_from_arrays(data.x)
        predict_fn = self._function("predict")
        trainable = self._state_values(self.trainable_variables)
        non_trainable = self._state_values(self.non_trainable_variables)
        callback_list.on_predict_begin()
        outputs = []
        size = data.batch_size
        for step, start in enumerate(range(0, data.num_samples, size)):
            batch = tree.map_structure(lambda a: a[start:start + size], data.x)
            count = tree.flatten(batch)[0].shape[0]
            if count < size:  # pad so the last batch reuses the compiled function
                batch = tree.map_structure(lambda a: _pad_batch(a, size), batch)
            callback_list.on_predict_batch_begin(step)
            out, non_trainable = predict_fn(trainable, non_trainable, batch)
            outputs.append((out, count))
            callback_list.on_predict_batch_end(step, {"outputs": out})
        self._write_values(self.non_trainable_variables, non_trainable)
        result = _concatenate_outputs(outputs)
        callback_list.on_predict_end()
        return result

    def _predict_batches(self, data, verbose, callbacks):
        verbose = _verbose_mode(verbose)
        callback_list = CallbackList(callbacks, add_progbar=verbose == 1, model=self,
                                     verbose=verbose, epochs=1, steps=data.steps)
        if not self.built:
            self._build_from_arrays(data.peek()[0])
        predict_fn = self._function("predict")
        trainable = self._state_values(self.trainable_variables)
        non_trainable = self._state_values(self.non_trainable_variables)
        callback_list.on_predict_begin()
        outputs = []
        for step, (batch, _, _) in enumerate(data.batches()):
            callback_list.on_predict_batch_begin(step)
            out, non_trainable = predict_fn(trainable, non_trainable, batch)
            outputs.append((out, tree.flatten(batch)[0].shape[0]))
            callback_list.on_predict_batch_end(step, {"outputs": out})
        if not outputs:
            raise ValueError("predict: the data produced no batch.")
        self._write_values(self.non_trainable_variables, non_trainable)
        result = _concatenate_outputs(outputs)
        callback_list.on_predict_end()
        return result

    def predict_on_batch(self, x):
        """Returns the outputs for one batch `x` as numpy arrays (one compiled call).

        The batch is padded with zero rows to the next power of two (and the outputs cut back),
        so that batches of varying size reuse a few compiled programs; models with stateful
        layers are not padded, as the padding rows would change their carried state.
        """
        return self._predict_small_batch(x, None)

    def _predict_small_batch(self, x, cap):
        x = _standardize_input(x)
        if not self.built:
            self._build_from_arrays(tree.map_structure(backend.convert_to_tensor, x))
        self._check_input_spec(x)  # before padding, so errors show the caller's shape
        padded, rows = _pad_inference_batch(self, x, cap)
        predict_fn = self._function("predict")
        trainable = self._state_values(self.trainable_variables)
        non_trainable = self._state_values(self.non_trainable_variables)
        if rows is not None:
            padded = tree.map_structure(_host_or_device_array, padded)
            out, new_non_trainable = predict_fn(trainable, non_trainable, padded)
            # Outputs without the padded batch dimension were reduced over it.
            if _batch_rows(out) == _batch_rows(padded):
                self._write_values(self.non_trainable_variables, new_non_trainable)
                return tree.map_structure(lambda a: np.asarray(a)[:rows], out)
            self._inference_padding_unsafe = True
        x = tree.map_structure(_host_or_device_array, x)
        out, new_non_trainable = predict_fn(trainable, non_trainable, x)
        self._write_values(self.non_trainable_variables, new_non_trainable)
        return tree.map_structure(np.asarray, out)

    # ------------------------------------------------------------------ single batches
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """Runs one gradient update on one batch; returns the loss (and metrics so far)."""
        self._assert_compiled("train_on_batch")
        data = ArrayDataAdapter(x, y, sample_weight, _len(x), "train_on_batch", class_weight)
        self._prepare(data.x, data.y, training=True)
        state, logs = self._function("train")(self._train_state(), data.arrays())
        self._write_train_state(state)
        return self._format_batch_logs(logs, return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Evaluates the model on one batch; returns the loss (and metrics so far)."""
        self._assert_compiled("test_on_batch")
        data = ArrayDataAdapter(x, y, sample_weight, _len(x), "test_on_batch")
        self._prepare(data.x, data.y, training=False)
        state = (self._state_values(self.trainable_variables),
                 self._state_values(self.non_trainable_variables),
                 self._state_values(self.metrics_variables))
        state, logs = self._function("test")(state, data.arrays())
        self._write_values(self.metrics_variables, state[2])
        return self._format_batch_logs(logs, return_dict)

    def _format_batch_logs(self, logs, return_dict):
        logs = _to_floats(logs)
        if return_dict:
            return logs
        values = [logs[name] for name in self.metrics_names if name in logs]
        return values[0] if len(values) == 1 else values

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


def _validates_after(epoch, validation_freq):
    if isinstance(validation_freq, (int, np.integer)) and not isinstance(validation_freq, bool):
        if validation_freq < 1:
            raise ValueError(f"validation_freq must be >= 1. Received: {validation_freq}")
        return (epoch + 1) % validation_freq == 0
    if isinstance(validation_freq, (list, tuple, set, range)):
        return epoch + 1 in validation_freq
    raise ValueError("validation_freq must be an int or a list of epochs. "
                     f"Received: {validation_freq!r}")


def _len(x):
    return int(np.shape(tree.flatten(_standardize_input(x))[0])[0])


def _standardize_input(x):
    if isinstance(x, (list, tuple)) and x and not hasattr(x[0], "shape"):
        return np.asarray(x)
    return x


def _verbose_mode(verbose):
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2, True, False):
        raise ValueError(f"verbose must be 'auto', 0, 1 or 2. Received: {verbose!r}")
    return int(verbose)


def _pad_rows(rows, size):
    """Pads a `(k, batch)` index array to `size` rows (the padding rows are skipped)."""
    if len(rows) == size:
        return rows
    padding = np.repeat(rows[:1], size - len(rows), axis=0)
    return np.concatenate([rows, padding], axis=0)


def _pad_batch(array, size):
    padding = np.zeros((size - array.shape[0],) + array.shape[1:], dtype=array.dtype)
    return np.concatenate([array, padding], axis=0)


# Without a batch-size cap, larger batches are not padded: a power of two could double their
# compute, and their compile time is small next to it.
_MAX_UNCAPPED_BUCKET = 1024


def _host_or_device_array(x):
    """Device arrays as they are; anything else as a numpy array in the backend's dtypes. The
    compiled function takes numpy arguments directly, which is much cheaper than an explicit
    transfer per call."""
    if backend.is_tensor(x):
        return x
    x = np.asarray(x)
    if x.dtype == np.float64:
        return x.astype(config.floatx())
    if x.dtype == np.int64:
        return x.astype("int32")
    return x


def _bucket_size(rows, cap=None):
    """The row count an inference call on `rows` rows is padded to: the next power of two, at
    most `cap` (but never below `rows`), so that calls on 1, 2, 3, ... rows share
    log2(cap) + 1 compiled programs instead of one per row count."""
    if cap is None and rows > _MAX_UNCAPPED_BUCKET:
        return rows
    size = 1 << max(rows - 1, 0).bit_length()
    return size if cap is None else max(min(size, cap), rows)


def _batch_rows(inputs):
    """The leading dimension shared by every array in `inputs`, or None if they differ."""
    rows = {getattr(a, "shape", ())[:1] for a in tree.flatten(inputs)}
    if len(rows) != 1:
        return None
    (row,) = rows
    return row[0] if row and isinstance(row[0], int) else None


def _pads_inference_batches(model):
    """Whether `model`'s inference outputs stay exact when zero rows are appended to the
    batch. Not so for a model with a stateful layer (the padding rows would advance carried
    states), nor for one whose inputs fix the batch size, nor for one found to reduce over
    the batch or to `add_loss` in inference (`_inference_padding_unsafe`). A model that mixes
    rows without changing the output shape cannot be detected; Keras's `predict` pads its last
    batch under the same assumption."""
    if getattr(model, "_inference_padding_unsafe", False):
        return False
    if any(getattr(layer, "stateful", False) for layer in model._flatten_layers()):
        return False
    inputs = getattr(model, "inputs", None) or []
    return all(getattr(t, "shape", (None,))[:1] in ((None,), ()) for t in inputs)


def _pad_inference_batch(model, inputs, cap=None):
    """`(padded_inputs, rows)`: `inputs` with zero rows appended up to `_bucket_size`, and the
    original row count to slice the outputs back to (None when nothing was padded)."""
    rows = _batch_rows(inputs)
    if not rows:
        return inputs, None
    size = _bucket_size(rows, cap)
    if size == rows or not _pads_inference_batches(model):
        return inputs, None
    # Padding on the host: a device op would itself compile once per row count.
    padded = tree.map_structure(lambda a: _pad_batch(backend.convert_to_numpy(a), size), inputs)
    return padded, rows


def _concatenate_outputs(outputs):
    first = outputs[0][0]

    def join(*leaves):
        return np.concatenate([np.asarray(leaf)[:count] for leaf, (_, count) in zip(leaves, outputs)])

    flat_per_batch = [tree.flatten(out) for out, _ in outputs]
    joined = [join(*[flat[i] for flat in flat_per_batch]) for i in range(len(flat_per_batch[0]))]
    return tree.pack_sequence_as(first, joined)


def _to_floats(logs):
    return {k: float(v) for k, v in (logs or {}).items()}
