"""JAX functions as TensorFlow functions (jax2tf), for SavedModel export."""

import warnings

import jax


def to_tf_function(fn, polymorphic_shapes, **jax2tf_kwargs):
    """`fn` converted by `jax2tf.convert`, serialized as StableHLO; shapes given as strings
    (`"(batch, 3)"`) may vary along their named dimensions."""
    from jax.experimental import jax2tf

    jax2tf_kwargs.setdefault("polymorphic_shapes", polymorphic_shapes)
    with warnings.catch_warnings():
        # jax deprecates the `native_serialization` argument that Keras passes through.
        warnings.filterwarnings("ignore", "The `native_serialization` parameter",
                                DeprecationWarning)
        return jax2tf.convert(fn, **jax2tf_kwargs)


def default_platform():
    """`"cpu"`, `"gpu"` or `"tpu"`: where the exported computation was lowered for."""
    return jax.default_backend()
