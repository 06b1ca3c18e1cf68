"""`ExportArchive` / `Model.export`: SavedModels that TensorFlow reloads and that give the
model's predictions; the endpoints and signatures Keras 3.15.1 writes for the same model
(skipped without TensorFlow)."""

import warnings

import numpy as np
import pytest

import neokeras

tf = pytest.importorskip("tensorflow")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

_X = np.random.default_rng(0).random((5, 3)).astype("float32")


def _model(k):
    inputs = k.Input((3,), name="features")
    hidden = k.layers.BatchNormalization(name="bn")(k.layers.Dense(4, name="d1")(inputs))
    return k.Model(inputs, k.layers.Dense(2, name="d2")(hidden), name="net")


def _load(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return tf.saved_model.load(str(path))


def _signature_layout(loaded):
    return {name: (sorted((k, tuple(v.shape), v.dtype.name) for k, v in
                          fn.structured_input_signature[1].items()),
                   sorted((k, tuple(v.shape), v.dtype.name) for k, v in
                          fn.structured_outputs.items()))
            for name, fn in loaded.signatures.items()}


def test_model_export_reloads_with_the_predictions_and_keras_signatures(tmp_path):
    model = _model(neokeras)
    model.export(tmp_path / "ours", verbose=False)
    reloaded = _load(tmp_path / "ours")
    for batch in (_X, _X[:1]):  # the batch size stays free
        np.testing.assert_allclose(reloaded.serve(batch).numpy(),
                                   model.predict(batch, verbose=0), rtol=1e-5, atol=1e-6)
    served = reloaded.signatures["serving_default"](features=tf.constant(_X))
    np.testing.assert_allclose(next(iter(served.values())).numpy(),
                               model.predict(_X, verbose=0), rtol=1e-5, atol=1e-6)
    assert len(reloaded.variables) == len(model.weights)

    keras = pytest.importorskip("keras")
    theirs = _model(keras)
    theirs.set_weights(model.get_weights())
    theirs.export(str(tmp_path / "keras"), verbose=False)
    keras_reloaded = _load(tmp_path / "keras")
    assert _signature_layout(reloaded) == _signature_layout(keras_reloaded)
    np.testing.assert_allclose(reloaded.serve(_X).numpy(), keras_reloaded.serve(_X).numpy(),
                               rtol=1e-5, atol=1e-6)


def test_archive_endpoints_variable_collections_and_state_updates(tmp_path, capsys):
    model = _model(neokeras)
    spec = [neokeras.InputSpec(shape=(None, 3), dtype="float32")]
    archive = neokeras.export.ExportArchive()
    archive.track(model)
    archive.add_endpoint("call_inference", lambda x: model(x, training=False), spec)
    archive.add_endpoint("call_training", lambda x: model(x, training=True), spec)
    archive.add_variable_collection("kernels", [model.get_layer("d1").kernel])
    with pytest.raises(ValueError, match="already taken"):
        archive.add_endpoint("call_training", model.call, spec)
    archive.write_out(tmp_path)
    assert "Endpoint 'call_inference'" in capsys.readouterr().out

    reloaded = _load(tmp_path)
    assert sorted(reloaded.signatures) == ["call_inference", "call_training", "serving_default"]
    np.testing.assert_allclose(reloaded.call_inference(_X).numpy(),
                               np.asarray(model(_X, training=False)), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(reloaded.kernels[0].numpy(),
                                  model.get_layer("d1").kernel.numpy())
    assert len(reloaded.trainable_variables) == 6 and len(reloaded.non_trainable_variables) == 2
    # A training-mode call updates the batch-norm statistics held by the SavedModel.
    moving_mean = reloaded.non_trainable_variables[0].numpy().copy()
    reloaded.call_training(_X)
    expected = 0.99 * moving_mean + 0.01 * np.asarray(model.get_layer("d1")(_X)).mean(axis=0)
    np.testing.assert_allclose(reloaded.non_trainable_variables[0].numpy(), expected,
                               rtol=1e-5, atol=1e-6)


def test_track_and_add_endpoint_static_and_tf_function_endpoints(tmp_path):
    model = _model(neokeras)
    archive = neokeras.export.ExportArchive()
    archive.track_and_add_endpoint(
        "serve", model, [tf.TensorSpec((None, 3), tf.float32)], is_static=True)
    served = archive.add_endpoint("doubled", tf.function(lambda x: 2.0 * x,
                                                         input_signature=[tf.TensorSpec((2,))]))
    served(tf.ones((2,)))
    archive.write_out(tmp_path, verbose=False)
    reloaded = _load(tmp_path)
    np.testing.assert_allclose(reloaded.serve(_X).numpy(), model.predict(_X, verbose=0),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(reloaded.doubled(tf.ones((2,))).numpy(), [2.0, 2.0])


def test_errors():
    archive = neokeras.export.ExportArchive()
    with pytest.raises(ValueError, match="not built"):
        archive.track(neokeras.layers.Dense(2))
    with pytest.raises(ValueError, match="input_signature"):
        archive.add_endpoint("serve", lambda x: x)
    with pytest.raises(ValueError, match="no endpoints"):
        archive.write_out("unused")
    with pytest.raises(ValueError, match="list, tuple or set"):
        archive.add_variable_collection("v", neokeras.Variable(1.0))
    with pytest.raises(ValueError, match="format 'onnx'"):
        _model(neokeras).export("unused", format="onnx")
