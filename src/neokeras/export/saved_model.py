"""`ExportArchive`: TensorFlow SavedModel artifacts for inference (needs TensorFlow).

The model's JAX computation is converted with `jax2tf` (serialized as StableHLO, batch size
and other `None` dimensions left free) and bound to `tf.Variable` copies of the tracked
variables, so `tf.saved_model.load(path).serve(x)` runs without neokeras or the model's code.
"""

import inspect
import itertools
import string

from neokeras import backend
from neokeras.api_export import keras_name
from neokeras import tree

DEFAULT_ENDPOINT_NAME = "serve"


def _tf():
    try:
        import tensorflow as tf
    except ImportError:
        raise ImportError(
            "Exporting a SavedModel needs TensorFlow: `pip install tensorflow`.") from None
    return tf


@keras_name("keras.export.ExportArchive")
class ExportArchive:
    """Writes a TensorFlow SavedModel with the serving endpoints you choose.

    `track(model)` registers a model's (or layer's) variables, `add_endpoint(name, fn,
    input_signature)` makes `fn` an endpoint, `add_variable_collection(name, variables)`
    saves more variables under a name, and `write_out(path)` writes the artifact, which
    `tf.saved_model.load` reloads (the first endpoint is also `serving_default`).

    Example:

    ```python
    archive = keras.export.ExportArchive()
    archive.track(model)
    archive.add_endpoint("serve", model.call,
                         input_signature=[keras.InputSpec(shape=(None, 3), dtype="float32")])
    archive.write_out("path/to/location")
    outputs = tf.saved_model.load("path/to/location").serve(inputs)
    ```
    """

    def __init__(self, format="saved_model"):
        if format != "saved_model":
            raise ValueError(f"ExportArchive: unsupported format {format!r}; only "
                             "'saved_model' is available.")
        tf = _tf()
        self.tensorflow_version = tf.__version__
        self._endpoint_names = []
        self._endpoint_signatures = {}
        self._tf_trackable = tf.__internal__.tracking.AutoTrackable()
        self._tf_trackable.variables = []
        self._tf_trackable.trainable_variables = []
        self._tf_trackable.non_trainable_variables = []
        self._trainable = []  # the tracked neokeras variables, in the order of the tf copies
        self._non_trainable = []
        self._tracked = []

    @property
    def variables(self):
        return self._tf_trackable.variables

    @property
    def trainable_variables(self):
        return self._tf_trackable.trainable_variables

    @property
    def non_trainable_variables(self):
        return self._tf_trackable.non_trainable_variables

    def track(self, resource):
        """Registers the variables of a built layer or model (or a TensorFlow trackable,
        e.g. a lookup table) so that the endpoints can use them."""
        from neokeras.layers.layer import Layer

        tf = _tf()
        if isinstance(resource, Layer):
            if not resource.built:
                raise ValueError(f"ExportArchive.track: the layer '{resource.name}' is not "
                                 "built yet; build it (or call it on data) before exporting.")
            known = {id(v) for v in self._trainable + self._non_trainable}
            trainable = [v for v in resource.trainable_variables if id(v) not in known]
            non_trainable = [v for v in resource.non_trainable_variables if id(v) not in known]
            self._tf_trackable.trainable_variables += [_tf_variable(v) for v in trainable]
            self._tf_trackable.non_trainable_variables += [
                _tf_variable(v) for v in non_trainable]
            self._tf_trackable.variables = (list(self._tf_trackable.trainable_variables)
                                            + list(self._tf_trackable.non_trainable_variables))
            self._trainable += trainable
            self._non_trainable += non_trainable
        elif isinstance(resource, tf.__internal__.tracking.Trackable):
            self._tracked.append(resource)
            self._tf_trackable._tracked = list(self._tracked)
        else:
            raise ValueError(
                "ExportArchive.track: expected a neokeras Layer or Model, or a TensorFlow "
                f"trackable. Received {resource!r} of type {type(resource).__name__}.")

    def add_endpoint(self, name, fn, input_signature=None, **kwargs):
        """Adds the endpoint `name` computing `fn` and returns its `tf.function`.

        Args:
            name: Endpoint name (a method of the reloaded object).
            fn: A callable using only tracked variables, or a `tf.function` already called
                once (then `input_signature` may be omitted).
            input_signature: The arguments' shapes and dtypes: a list (one entry per
                positional argument) of `keras.InputSpec`, `tf.TensorSpec`, `KerasTensor`
                or arrays, nested as the arguments are.
            is_static: `True` when `fn` updates no variables (a simpler export).
            jax2tf_kwargs: Arguments for `jax2tf.convert` (`polymorphic_shapes` defaults
                to a free size for every `None` dimension).
        """
        tf = _tf()
        if name in self._endpoint_names:
            raise ValueError(f"ExportArchive: endpoint name '{name}' is already taken.")
        unknown = sorted(set(kwargs) - {"is_static", "jax2tf_kwargs"})
        if unknown:
            raise TypeError(f"ExportArchive.add_endpoint: unexpected arguments {unknown}.")
        if input_signature is None:
            if not isinstance(fn, tf.types.experimental.GenericFunction):
                raise ValueError(
                    "ExportArchive.add_endpoint: `fn` is not a tf.function, so pass an "
                    "`input_signature` giving the shapes and dtypes of its arguments, e.g. "
                    "input_signature=[keras.InputSpec(shape=(None, 3), dtype='float32')].")
            if not fn._list_all_concrete_functions():
                raise ValueError(
                    f"ExportArchive.add_endpoint: the tf.function {fn} was never called; call "
                    "it once or pass an `input_signature`.")
            decorated = fn
        else:
            input_signature = tree.map_structure(_tensor_spec, input_signature)
            decorated = self._convert(fn, input_signature, **kwargs)
            self._endpoint_signatures[name] = input_signature
        setattr(self._tf_trackable, name, decorated)
        self._endpoint_names.append(name)
        return decorated

    def track_and_add_endpoint(self, name, resource, input_signature, **kwargs):
        """`track(resource)`, then `add_endpoint(name, resource.__call__, input_signature)`."""
        self.track(resource)
        return self.add_endpoint(name, resource.__call__, input_signature, **kwargs)

    def add_variable_collection(self, name, variables):
        """Saves `variables` (a list, tuple or set of variables) as the attribute `name` of
        the reloaded object."""
        tf = _tf()
        if not isinstance(variables, (list, tuple, set)):
            raise ValueError("ExportArchive.add_variable_collection: `variables` must be a "
                             f"list, tuple or set. Received {type(variables).__name__}.")
        if not all(isinstance(v, (tf.Variable, backend.Variable)) for v in variables):
            raise ValueError(
                "ExportArchive.add_variable_collection: every element must be a variable. "
                f"Received types {sorted({type(v).__name__ for v in variables})}.")
        setattr(self._tf_trackable, name,
                [v if isinstance(v, tf.Variable) else _tf_variable(v) for v in variables])

    def write_out(self, filepath, options=None, verbose=True):
        """Writes the SavedModel to `filepath` (`options`: a `tf.saved_model.SaveOptions`).

        Every endpoint is a serving signature; the first is also `serving_default` unless an
        endpoint has that name.
        """
        tf = _tf()
        if not self._endpoint_names:
            raise ValueError("ExportArchive.write_out: no endpoints yet; call add_endpoint().")
        signatures = {name: self._concrete_function(name) for name in self._endpoint_names}
        if "serving_default" not in signatures:
            signatures["serving_default"] = self._concrete_function(self._endpoint_names[0])
        tf.saved_model.save(self._tf_trackable, str(filepath), options=options,
                            signatures=signatures)
        if verbose:
            lines = [f"Saved artifact at '{filepath}'. The following endpoints are available:"]
            for name in self._endpoint_names:
                concrete = self._concrete_function(name)
                lines.append(f"\n* Endpoint '{name}'\n  inputs: "
                             f"{concrete.structured_input_signature[0]}\n  outputs: "
                             f"{concrete.structured_outputs}")
            print("\n".join(lines))

    def _concrete_function(self, name):
        fn = getattr(self._tf_trackable, name)
        if name in self._endpoint_signatures:
            return fn.get_concrete_function()
        return fn._list_all_concrete_functions()[0]

    def _convert(self, fn, input_signature, is_static=False, jax2tf_kwargs=None):
        from neokeras.backend import impl
        from neokeras.backend.common.stateless_scope import StatelessScope

        tf = _tf()
        jax2tf_kwargs = dict(jax2tf_kwargs or {})
        polymorphic = jax2tf_kwargs.pop("polymorphic_shapes", None) or \
            _polymorphic_shapes(input_signature)
        parameters = list(inspect.signature(fn).parameters.values())[:len(input_signature)]
        if is_static:
            converted = impl.export.to_tf_function(fn, list(polymorphic), **jax2tf_kwargs)

            def endpoint(*args):
                return converted(*args)
        else:
            variables = self._trainable + self._non_trainable
            non_trainable = self._non_trainable

            def stateless(values, *args):
                with StatelessScope(list(zip(variables, values))) as scope:
                    outputs = fn(*args)
                return outputs, [scope.get_current_value(v) for v in non_trainable]

            shapes = [_shape_string(v.shape) for v in variables]
            converted = impl.export.to_tf_function(stateless, [shapes] + list(polymorphic),
                                                   **jax2tf_kwargs)
            archive = self._tf_trackable

            def endpoint(*args):
                outputs, updates = converted(list(archive.variables), *args)
                for variable, value in zip(archive.non_trainable_variables, updates):
                    variable.assign(tf.cast(value, variable.dtype))
                return outputs

        endpoint.__signature__ = inspect.Signature(parameters=parameters)
        return tf.function(endpoint, input_signature=input_signature, autograph=False)


def export_saved_model(model, filepath, verbose=None, input_signature=None, **kwargs):
    """Writes `model`'s forward pass as a SavedModel with the endpoint `serve` (what
    `model.export(filepath)` does)."""
    archive = ExportArchive()
    if input_signature is None:
        input_signature = get_input_signature(model)
    archive.track_and_add_endpoint(DEFAULT_ENDPOINT_NAME, model, input_signature, **kwargs)
    archive.write_out(filepath, verbose=True if verbose is None else verbose)


def get_input_signature(model):
    """The input signature of a built model: one spec per input (named after it), batch size
    free."""
    from neokeras.models.functional import Functional
    from neokeras.models.sequential import Sequential

    tf = _tf()
    if not model.built:
        raise ValueError(f"Model '{model.name}' is not built yet; build it (or call it on "
                         "data) before exporting.")

    def spec(tensor):
        return tf.TensorSpec((None,) + tuple(tensor.shape)[1:],
                             dtype=backend.standardize_dtype(tensor.dtype),
                             name=getattr(tensor, "name", None))

    if isinstance(model, Functional):
        return [tree.map_structure(spec, model._inputs_struct)]
    if isinstance(model, Sequential) and getattr(model, "inputs", None):
        return tree.map_structure(spec, model.inputs)
    shapes = getattr(model, "_build_shapes", None)
    if shapes is None:
        raise ValueError(f"Model '{model.name}' was never called; call it once on data (or "
                         "pass `input_signature`) before exporting.")
    dtype = getattr(model, "compute_dtype", "float32")
    return [tree.map_shape_structure(
        lambda shape: tf.TensorSpec((None,) + tuple(shape)[1:], dtype=dtype), shapes)]


def _tf_variable(variable):
    tf = _tf()
    return tf.Variable(variable.numpy(), dtype=variable.dtype, trainable=variable.trainable,
                       name=variable.name)


def _tensor_spec(x):
    tf = _tf()
    from neokeras.backend.common.keras_tensor import KerasTensor
    from neokeras.layers import InputSpec

    if isinstance(x, tf.TensorSpec):
        return x
    if isinstance(x, InputSpec):
        if x.shape is None or x.dtype is None:
            raise ValueError(f"ExportArchive: an InputSpec needs a shape and a dtype. "
                             f"Received {x}.")
        return tf.TensorSpec(tuple(x.shape), dtype=x.dtype, name=getattr(x, "name", None))
    if isinstance(x, KerasTensor) or hasattr(x, "shape") and hasattr(x, "dtype"):
        shape = (None,) + tuple(x.shape)[1:]
        return tf.TensorSpec(shape, dtype=backend.standardize_dtype(x.dtype),
                             name=getattr(x, "name", None) if isinstance(x, KerasTensor)
                             else None)
    raise TypeError(f"ExportArchive: unsupported input signature entry {x!r} of type "
                    f"{type(x).__name__}; expected a keras.InputSpec, tf.TensorSpec, "
                    "KerasTensor or array.")


def _shape_string(shape):
    return "(" + ", ".join(str(d) for d in shape) + ")"


def _polymorphic_shapes(input_signature):
    """`"(batch, 3)"`-style shapes: the first `None` dimension is the batch, others get
    their own names."""
    names = itertools.chain(string.ascii_lowercase,
                            ("".join(p) for p in itertools.product(string.ascii_lowercase,
                                                                   repeat=2)))

    def shape_string(spec):
        dims = []
        for index, dim in enumerate(spec.shape):
            if dim is not None:
                dims.append(str(dim))
            else:
                dims.append("batch" if index == 0 else next(names))
        return "(" + ", ".join(dims) + ")"

    return tree.map_structure(shape_string, input_signature)
