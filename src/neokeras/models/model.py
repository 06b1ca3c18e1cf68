"""`Model`: a `Layer` that can be trained (`compile`/`fit`/...), the base of every model.

`Model(inputs, outputs)` builds a functional model; subclassing `Model` and writing `call`
gives a subclassed model.
"""

import functools
import io

import numpy as np

from neokeras import backend
from neokeras import tree as public_tree
from neokeras.api_export import keras_name
from neokeras.backend.common.keras_tensor import KerasTensor
from neokeras.backend.common.seed_generator import UnseededDrawInTraceError
from neokeras.backend.common.stateless_scope import current_stateless_scope
from neokeras.layers.layer import Layer
from neokeras.models import compiled_trainability
from neokeras.trainers import inference
from neokeras.trainers.trainer import Trainer
from neokeras.utils import tree


@keras_name("keras.Model", "keras.models.Model")
class Model(Trainer, Layer):
    """A trainable stack of layers.

    Construct it as `Model(inputs, outputs)` (functional API), or subclass it, create layers
    in `__init__` and compute in `call(inputs, training=None)`.
    """

    # The layers' trainability flags as of the last `compile` (see compiled_trainability).
    # Declared here so that every model has it, which keeps it out of the weight files.
    _compiled_trainability = None

    def __new__(cls, *args, **kwargs):
        if cls is Model and _functional_arguments(args, kwargs):
            from neokeras.models.functional import Functional

            return Functional.__new__(Functional, *args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        from neokeras.models.functional import Functional

        if _functional_arguments(args, kwargs) and not isinstance(self, Functional):
            # A subclass that calls `super().__init__(inputs, outputs)`: this instance becomes a
            # Functional one (user methods still come first); the class itself is left as is.
            self.__class__ = _functional_variant(type(self))
            Functional.__init__(self, *args, **kwargs)
            return
        if args or "inputs" in kwargs or "outputs" in kwargs:
            raise TypeError(
                f"{type(self).__name__}(): a functional model needs both `inputs` and `outputs` "
                f"(Model(inputs, outputs)). Received {len(args)} positional argument(s) and "
                f"keyword(s) {sorted(k for k in kwargs if k in ('inputs', 'outputs'))}.")
        trainable = kwargs.pop("trainable", True)
        name = kwargs.pop("name", None)
        dtype = kwargs.pop("dtype", None)
        super().__init__(trainable=trainable, name=name, dtype=dtype, **kwargs)
        self._init_trainer()

    def quantize(self, mode=None, config=None, filters=None, **kwargs):
        """Quantizes the weights of every layer that supports it (`Dense`, `EinsumDense`,
        `Embedding`); other layers are skipped with a warning.

        Args:
            mode: `"int8"`, `"int4"`, `"float8"`, `"gptq"` or `"awq"` (optional when `config`
                is given; `"gptq"`/`"awq"` need a `GPTQConfig`/`AWQConfig` with calibration
                data and a structure).
            config: A `keras.quantizers.QuantizationConfig` choosing the quantizers.
            filters: Only quantize layers whose name matches this regex (or any regex of a
                list), or for which this callable returns True.
        """
        import re
        import warnings

        type_check = kwargs.pop("type_check", True)
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments passed to {type(self).__name__}: "
                             f"{kwargs}")
        if filters is not None and not (isinstance(filters, (str, list, tuple))
                                        or callable(filters)):
            raise ValueError("The `filters` argument must be a regex string, a list of regex "
                             f"strings, or a callable. Received: {type(filters)}")

        def selected(layer):
            if filters is None:
                return True
            if isinstance(filters, str):
                return bool(re.search(filters, layer.name))
            if isinstance(filters, (list, tuple)):
                return any(re.search(pattern, layer.name) for pattern in filters)
            return filters(layer)

        for layer in self._flatten_layers():
            if not selected(layer) or len(layer._flatten_layers()) != 1:
                continue
            try:
                layer.quantize(mode, type_check=type_check, config=config)
            except NotImplementedError as error:
                warnings.warn(str(error), stacklevel=2)
            except AttributeError:
                pass
        if mode is None and config is not None:
            mode = config.mode
        if mode in ("gptq", "awq"):
            from neokeras.quantizers import awq
            from neokeras.quantizers import gptq

            structure = config.quantization_layer_structure
            if structure is None:
                structure = self.get_quantization_layer_structure(mode)
            if structure is None:
                raise ValueError(
                    f"For mode='{mode}', a valid quantization structure must be provided either "
                    "via `config.quantization_layer_structure` or by overriding "
                    "`model.get_quantization_layer_structure(mode)`. The structure should be a "
                    "dictionary with keys 'pre_block_layers' and 'sequential_blocks'.")
            run = gptq.gptq_quantize if mode == "gptq" else awq.awq_quantize
            run(config, structure, selected)

    def get_quantization_layer_structure(self, mode=None):
        """The layers GPTQ/AWQ calibrate block by block, for `mode`: a dict
        `{"pre_block_layers": [...], "sequential_blocks": [...]}` (the inputs go through the
        pre-block layers, then through each block in turn), or None. Models override it."""
        return None

    # `trainable` changes take effect at the next compile (Keras 2): see compiled_trainability.
    @functools.wraps(Trainer.compile)
    def compile(self, *args, **kwargs):
        result = super().compile(*args, **kwargs)
        self._compiled_trainability = compiled_trainability.record(self)
        return result

    @functools.wraps(Trainer.fit)
    def fit(self, *args, **kwargs):
        with compiled_trainability.applied(self):
            return super().fit(*args, **kwargs)

    @functools.wraps(Trainer.train_on_batch)
    def train_on_batch(self, *args, **kwargs):
        with compiled_trainability.applied(self):
            return super().train_on_batch(*args, **kwargs)

    @functools.wraps(Trainer.evaluate)
    def evaluate(self, *args, **kwargs):
        with compiled_trainability.applied(self):
            return super().evaluate(*args, **kwargs)

    @functools.wraps(Trainer.test_on_batch)
    def test_on_batch(self, *args, **kwargs):
        with compiled_trainability.applied(self):
            return super().test_on_batch(*args, **kwargs)

    def call(self, inputs, training=None):
        raise NotImplementedError(
            f"Model {type(self).__name__} has no call(); subclass Model and implement "
            "call(self, inputs, training=None), or use Model(inputs, outputs).")

    def build(self, input_shape):
        """Builds the model (and its layers) for inputs of `input_shape` (batch dim may be None)."""
        if self.built:
            return
        self._build_shapes = input_shape
        specs = public_tree.map_shape_structure(KerasTensor, input_shape)
        self.built = True
        try:
            backend.compute_output_spec(lambda x: self(x, training=False), specs)
        except Exception:
            self.built = False
            raise

    def __call__(self, *args, **kwargs):
        inputs = args[0] if args else kwargs.get("inputs")
        if (self.built and len(args) <= 1 and (not kwargs or set(kwargs) <= {"training"})
                and not self._eager and current_stateless_scope() is None
                and inference.supports_jit(self)
                and (type(inputs) is np.ndarray
                     or not any(isinstance(x, KerasTensor) or backend.is_tracer(x)
                                for x in tree.flatten(inputs)))
                and not self._functions.get("unseeded_draws")):
            training = kwargs.get("training")
            try:
                return self._compiled_call(inputs, None if training is None else bool(training))
            except UnseededDrawInTraceError:
                # `call` draws with seed=None. Keras runs `model(x)` op by op, where each call
                # advances the global seed generator; the compiled forward cannot (its trace
                # raised before anything ran), so this model's calls run op by op as well.
                self._functions["unseeded_draws"] = True
        if self._eager and not any(isinstance(x, KerasTensor) or backend.is_tracer(x)
                                   for x in tree.flatten(inputs)):
            # run_eagerly: loops in `call` (an RNN's time loop) run in Python too.
            with backend.impl.eager_step():
                return super().__call__(*args, **kwargs)
        return super().__call__(*args, **kwargs)

    def _compiled_call(self, inputs, training):
        """`model(x)` on arrays: the inference path's cached compiled forward instead of op by
        op dispatch (in training too, then without padding)."""
        outputs, added_losses, rows = inference.call(self, inputs, training)
        if rows is not None:
            outputs = tree.map_structure(lambda a: a[:rows], outputs)
        # The compiled call's `add_loss` values come back as arrays; keep them on the model
        # so that `model.losses` reflects this call, as after an eager call.
        if added_losses or not self._functions.get("losses_cleared"):
            self._clear_losses()
            self._functions["losses_cleared"] = not added_losses
            self._losses = list(added_losses)
        return outputs

    @property
    def layers(self):
        return list(self._tracked_layers)

    @layers.setter
    def layers(self, _):
        raise AttributeError("`Model.layers` attribute is reserved and should not be used. "
                             "Please use another name.")

    def get_layer(self, name=None, index=None):
        """Returns a layer by `name` or by `index` (in `model.layers`)."""
        if index is not None and name is not None:
            raise ValueError("get_layer: pass `name` or `index`, not both.")
        if index is not None:
            if not -len(self.layers) <= index < len(self.layers):
                raise ValueError(
                    f"get_layer: index {index} is out of range; the model has "
                    f"{len(self.layers)} layers.")
            return self.layers[index]
        if name is not None:
            for layer in self.layers:
                if layer.name == name:
                    return layer
            raise ValueError(
                f"No layer named {name!r} in model '{self.name}'. Layers: "
                f"{[layer.name for layer in self.layers]}.")
        raise ValueError("get_layer: pass a `name` or an `index`.")

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        """Prints a table of the layers, their output shapes and parameter counts."""
        from neokeras.utils.summary_utils import print_summary

        print_summary(self, line_length=line_length, print_fn=print_fn,
                      show_trainable=show_trainable)

    def count_params(self):
        if not self.built:
            raise ValueError(
                f"Model '{self.name}' is not built yet, so it has no weights. Give the first "
                "layer an input shape (e.g. input_shape=(784,)) or call build()/fit() first.")
        return super().count_params()

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=True):
        from neokeras.models import functional

        if "input_layers" in config and "output_layers" in config and (
                cls is Model or functional.functional_like_constructor(cls)):
            target = functional.Functional if cls is Model else cls
            return functional._functional_from_config(target, config, custom_objects, safe_mode)
        return cls(**config)

    def get_compile_config(self):
        """The arguments of the last `compile` ({} before one, which Keras writes too)."""
        return {} if self._compile_config is None else self._compile_config

    # ------------------------------------------------------------------ saving
    def save(self, filepath, overwrite=True, zipped=None, **kwargs):
        """Saves the model: `.keras` (Keras 3 archive), `.h5` (legacy Keras 2 HDF5), or with
        `zipped=False` a directory holding the archive's three files."""
        from neokeras.saving import saving_api

        saving_api.save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath, overwrite=True, **kwargs):
        """Saves the weights to `.weights.h5` (Keras 3 layout) or `.h5` (Keras 2 layout)."""
        from neokeras.saving import saving_api

        kwargs.pop("save_format", None)
        if kwargs:
            raise TypeError(f"save_weights() got unexpected keyword argument(s) {sorted(kwargs)}.")
        saving_api.save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath, skip_mismatch=False, by_name=False, **kwargs):
        """Loads weights from `.weights.h5`, `.keras` or legacy `.h5` (`by_name` for `.h5`)."""
        from neokeras.saving import saving_api

        if kwargs:
            raise TypeError(f"load_weights() got unexpected keyword argument(s) {sorted(kwargs)}.")
        saving_api.load_weights(self, filepath, skip_mismatch=skip_mismatch, by_name=by_name)

    def export(self, filepath, format="tf_saved_model", verbose=None, input_signature=None,
               **kwargs):
        """Writes the forward pass as a TensorFlow SavedModel (endpoint `serve`) for
        inference without neokeras; needs TensorFlow. See `keras.export.ExportArchive`.

        Args:
            filepath: Destination directory.
            format: `"tf_saved_model"` (the only format available).
            verbose: Print the endpoints written (default True).
            input_signature: The inputs' specs (default: the model's inputs, batch free).
            **kwargs: `is_static` and `jax2tf_kwargs`, as for `ExportArchive.add_endpoint`.
        """
        if format != "tf_saved_model":
            raise ValueError(
                f"Model.export: format {format!r} is not available in neokeras; use "
                "format='tf_saved_model'.")
        from neokeras.export.saved_model import export_saved_model

        export_saved_model(self, filepath, verbose=verbose, input_signature=input_signature,
                           **kwargs)

    def get_state_tree(self, value_format="backend_tensor"):
        """The model's variables as nested dicts keyed by the parts of their paths.

        Returns `{"trainable_variables": ..., "non_trainable_variables": ...,
        "optimizer_variables": ..., "metrics_variables": ...}`; e.g. the kernel of layer
        `"dense"` in model `"net"` is `tree["trainable_variables"]["net"]["dense"]["kernel"]`.

        Args:
            value_format: `"backend_tensor"` (JAX arrays) or `"numpy_array"`.
        """
        if value_format not in ("backend_tensor", "numpy_array"):
            raise ValueError(
                f"get_state_tree: value_format must be 'backend_tensor' or 'numpy_array'. "
                f"Received: value_format={value_format!r}")
        return {key: _nested_by_path(variables, value_format)
                for key, variables in self._state_groups().items()}

    def _state_groups(self):
        """The variable groups of `get_state_tree`/`set_state_tree`, by group name."""
        optimizer = getattr(self, "optimizer", None)
        return {
            "trainable_variables": self.trainable_variables,
            "non_trainable_variables": self.non_trainable_variables,
            "optimizer_variables": optimizer.variables if optimizer is not None else [],
            "metrics_variables": self.metrics_variables,
        }

    def set_state_tree(self, state_tree):
        """Assigns the values of a `get_state_tree()`-shaped dict to the variables whose paths
        it names (paths the model does not have are ignored, as in Keras)."""
        groups = self._state_groups()
        for key, nested in state_tree.items():
            if key not in groups:
                raise ValueError(
                    f"set_state_tree: unknown variable group {key!r}; expected some of "
                    f"{sorted(groups)}.")
            values = _flatten_by_path(nested)
            for variable in groups[key]:
                if variable.path in values:
                    variable.assign(values[variable.path])

    def to_json(self, **kwargs):
        """The model's architecture (and compile config) as a JSON string."""
        import json

        from neokeras.saving.serialization import serialize_keras_object

        return json.dumps(serialize_keras_object(self), **kwargs)

    def __reduce__(self):
        """Pickling and `copy.deepcopy` go through the `.keras` archive bytes, as in Keras 3:
        config, weights, compile config and optimizer state survive."""
        from neokeras.saving import saving_lib

        buffer = io.BytesIO()
        saving_lib.save_model(self, buffer)
        return _unpickle_model, (buffer.getvalue(),)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _unpickle_model(data):
    """Rebuilds a pickled model. Unpickling runs arbitrary code anyway, so safe mode is off."""
    from neokeras.saving import saving_lib

    return saving_lib.load_model(io.BytesIO(data), compile=True, safe_mode=False)


def _functional_arguments(args, kwargs):
    """Whether constructor arguments name both the inputs and the outputs of a graph."""
    return len(args) >= 2 or "outputs" in kwargs and (len(args) == 1 or "inputs" in kwargs)


def _functional_variant(cls):
    """`cls` with `Functional` behind it in the MRO, made once per class."""
    from neokeras.models.functional import Functional

    variant = cls.__dict__.get("_functional_variant")
    if variant is None:
        variant = type(cls.__name__, (cls, Functional), {
            "__module__": cls.__module__, "__qualname__": cls.__qualname__,
            "__doc__": cls.__doc__, "_functional_origin": cls})
        cls._functional_variant = variant
    return variant


def _nested_by_path(variables, value_format):
    nested = {}
    for variable in variables:
        *scopes, leaf = variable.path.split("/")
        node = nested
        for scope in scopes:
            node = node.setdefault(scope, {})
        if leaf in node:
            raise ValueError(
                f"get_state_tree: the variable path '{variable.path}' occurs twice in the model; "
                "give its layers (and other objects) unique names.")
        node[leaf] = variable.value if value_format == "backend_tensor" else variable.numpy()
    return nested


def _flatten_by_path(nested, prefix=""):
    flat = {}
    for key, value in nested.items():
        if isinstance(value, dict):
            flat.update(_flatten_by_path(value, f"{prefix}{key}/"))
        else:
            flat[f"{prefix}{key}"] = value
    return flat
