"""Top-level names: `keras.Variable` (concrete), `name_scope`, `device`, `StatelessScope`,
`DTypePolicy`, the base classes and `version`, compared with real Keras 3 where it helps."""

import numpy as np
import pytest

import neokeras

keras = pytest.importorskip("keras")


def test_variable_is_concrete_and_behaves_like_keras():
    ours = neokeras.Variable(np.array([1.0, 2.0], "float32"), name="w")
    theirs = keras.Variable(np.array([1.0, 2.0], "float32"), name="w")
    for attr in ("name", "path", "shape", "dtype", "trainable", "ndim", "aggregation"):
        assert getattr(ours, attr) == getattr(theirs, attr), attr
    ours.assign_add(np.ones(2))
    np.testing.assert_array_equal(ours.numpy(), [2.0, 3.0])
    np.testing.assert_array_equal(np.asarray(ours * 2), [4.0, 6.0])
    assert isinstance(ours, neokeras.backend.Variable)


@pytest.mark.parametrize("kwargs", [
    {"initializer": "ones", "shape": (2, 3)},
    {"initializer": "zeros", "shape": (4,), "dtype": "int32", "trainable": False},
    {"initializer": 3.0},
])
def test_variable_constructor_forms_match_keras(kwargs):
    ours, theirs = neokeras.Variable(**kwargs), keras.Variable(**kwargs)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    assert ours.trainable == theirs.trainable
    np.testing.assert_array_equal(ours.numpy(), np.asarray(theirs.value))


@pytest.mark.parametrize("kwargs,match", [
    ({"initializer": "ones"}, "shape"),
    ({"initializer": 1.0, "name": "a/b"}, "without '/'"),
    ({"initializer": 1.0, "aggregation": "max"}, "aggregation"),
    ({"initializer": 1.0, "synchronization": "never"}, "synchronization"),
    ({"initializer": np.ones(2), "shape": (3,)}, "shape"),
])
def test_variable_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        neokeras.Variable(**kwargs)


def test_variable_in_stateless_scope_and_name_scope():
    v = neokeras.Variable(np.zeros(2, "float32"), name="v")
    with neokeras.StatelessScope([(v, np.ones(2, "float32"))]) as scope:
        np.testing.assert_array_equal(np.asarray(v.value), [1.0, 1.0])
        v.assign(np.full(2, 5.0, "float32"))
    np.testing.assert_array_equal(v.numpy(), [0.0, 0.0])
    np.testing.assert_array_equal(np.asarray(scope.get_current_value(v)), [5.0, 5.0])
    with pytest.raises(ValueError, match="shape"):
        neokeras.StatelessScope([(v, np.ones(3))])
    with neokeras.name_scope("outer"):
        with neokeras.name_scope("inner"):
            nested = neokeras.Variable(1.0, name="x")
    assert nested.path == "outer/inner/x"
    with keras.name_scope("outer"), keras.name_scope("inner"):
        assert keras.Variable(1.0, name="x").path == nested.path
    with pytest.raises(ValueError, match="without '/'"):
        neokeras.name_scope("a/b")


def test_autocast_scope_reads_float_variables_in_low_precision():
    from neokeras.backend.common.variables import AutocastScope

    v = neokeras.Variable(np.ones(2, "float32"))
    i = neokeras.Variable(np.ones(2, "int32"))
    with AutocastScope("float16"):
        assert str(v.value.dtype) == "float16" and v.dtype == "float16"
        assert str(i.value.dtype) == "int32"
    assert v.dtype == "float32"
    no_cast = neokeras.Variable(np.ones(2, "float32"), autocast=False)
    with AutocastScope("bfloat16"):
        assert no_cast.dtype == "float32"


def test_device_scope_places_arrays():
    with neokeras.device("cpu:0"):
        x = neokeras.ops.ones((2,))
    assert "cpu" in str(list(x.devices())[0]).lower()
    with pytest.raises(ValueError, match="Unknown device"):
        with neokeras.device("tpu:7"):
            pass


def test_base_classes_are_the_package_bases():
    assert neokeras.Loss is neokeras.losses.Loss
    assert neokeras.Metric is neokeras.metrics.Metric
    assert neokeras.Optimizer is neokeras.optimizers.Optimizer
    assert neokeras.Initializer is neokeras.initializers.Initializer
    assert neokeras.Regularizer is neokeras.regularizers.Regularizer
    assert neokeras.InputSpec is neokeras.layers.InputSpec
    assert isinstance(neokeras.Input((3,)), neokeras.KerasTensor)
    assert neokeras.version() == neokeras.__version__


class _AddOne(neokeras.Operation):
    def call(self, x):
        return x + 1.0


class _Halve(neokeras.Operation):
    def call(self, x):
        return x / 2.0

    def compute_output_spec(self, x):
        return neokeras.KerasTensor(x.shape, dtype=x.dtype)


def test_operation_runs_eagerly_and_builds_graphs():
    np.testing.assert_array_equal(_AddOne()(np.zeros(2, "float32")), [1.0, 1.0])
    inputs = neokeras.Input((3,))
    out = _Halve()(_AddOne()(inputs))
    assert isinstance(out, neokeras.KerasTensor) and out.shape == (None, 3)
    model = neokeras.Model(inputs, out)
    np.testing.assert_allclose(model.predict(np.ones((2, 3), "float32"), verbose=0), 1.0)
    assert _AddOne(name="plus").get_config() == {"name": "plus"}
    with pytest.raises(NotImplementedError, match="call"):
        neokeras.Operation()(np.ones(1))


def test_function_is_a_callable_graph():
    x = neokeras.Input((3,))
    f = neokeras.Function(x, neokeras.ops.sum(x * 2.0, axis=-1))
    np.testing.assert_allclose(f(np.ones((2, 3), "float32")), [6.0, 6.0])
    assert f.inputs == [x] and len(f.outputs) == 1


def test_symbolic_scope_is_open_during_shape_inference():
    from neokeras.backend.common.symbolic_scope import in_symbolic_scope

    seen = []

    class Probe(neokeras.layers.Layer):
        def call(self, x):
            seen.append(in_symbolic_scope())
            return x

    Probe()(neokeras.Input((2,)))
    Probe()(np.ones((1, 2), "float32"))
    assert seen[-1] is False and seen[:-1] and all(seen[:-1])  # traced once per probe size
    with neokeras.SymbolicScope():
        assert in_symbolic_scope()
    assert not in_symbolic_scope()


def _has_checkpoint(fn, x):
    import jax

    return "checkpoint" in str(jax.make_jaxpr(jax.grad(lambda v: fn(v).sum()))(x)) or \
        "remat" in str(jax.make_jaxpr(jax.grad(lambda v: fn(v).sum()))(x))


def test_remat_wraps_functions_and_scoped_layers():
    x = np.ones((2, 4), "float32")
    f = neokeras.remat(lambda v: neokeras.ops.sin(v) * 2.0)
    np.testing.assert_allclose(f(x), np.sin(x) * 2.0, rtol=1e-6)
    assert _has_checkpoint(f, x)
    with neokeras.RematScope("full"):
        full = neokeras.layers.Dense(3)
    with neokeras.RematScope("list_of_layers", layer_names=["chosen"]):
        chosen = neokeras.layers.Dense(3, name="chosen")
        other = neokeras.layers.Dense(3, name="other")
    with neokeras.RematScope("larger_than", output_size_threshold=5):
        big, small = neokeras.layers.Dense(3), neokeras.layers.Dense(1)
    plain = neokeras.layers.Dense(3)
    for layer, expected in ((full, True), (chosen, True), (other, False), (big, True),
                            (small, False), (plain, False)):
        layer.build(x.shape)
        assert _has_checkpoint(layer, x) == expected, layer.name
    with pytest.raises(ValueError, match="invalid mode"):
        neokeras.RematScope("some")


def test_backend_result_type_is_keras_promotion():
    for dtypes in (("int8", "float16"), ("float32", "bfloat16"), ("int32", "uint8"),
                   ("bool", "int16"), ("uint32", "int64")):
        assert neokeras.backend.result_type(*dtypes) == keras.backend.result_type(*dtypes)
