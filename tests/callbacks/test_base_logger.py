"""BaseLogger and keras.callbacks.experimental.BackupAndRestore (tf-keras 2.21 names)."""

import numpy as np
import pytest

import neokeras
from tf_keras_fixtures import load


def test_epoch_averages_match_tf_keras():
    case = load()["base_logger"]
    logger = neokeras.callbacks.BaseLogger(stateful_metrics=["acc"])
    logger.set_params({"metrics": case["metrics"]})
    logger.on_epoch_begin(0)
    for i, logs in enumerate(case["batches"]):
        logger.on_batch_end(i, dict(logs))
    logs = {"val_loss": 9.0}
    logger.on_epoch_end(0, logs)
    assert logs == case["epoch_logs"]
    assert logger.seen == case["seen"]


def test_in_fit_it_fails_as_in_tf_keras():
    # tf-keras 2.21's fit gives callbacks no params["metrics"]: BaseLogger raises there too.
    model = neokeras.Sequential([neokeras.Input((2,)), neokeras.layers.Dense(1)])
    model.compile("sgd", "mse")
    with pytest.raises(KeyError, match="metrics"):
        model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=1, verbose=0,
                  callbacks=[neokeras.callbacks.BaseLogger()])


def test_experimental_backup_and_restore_is_deprecated_alias(tmp_path):
    with pytest.warns(DeprecationWarning, match="experimental.BackupAndRestore"):
        callback = neokeras.callbacks.experimental.BackupAndRestore(str(tmp_path / "backup"))
    assert isinstance(callback, neokeras.callbacks.BackupAndRestore)
    model = neokeras.Sequential([neokeras.Input((2,)), neokeras.layers.Dense(1)])
    model.compile("sgd", "mse")
    history = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=2, verbose=0,
                        callbacks=[callback])
    assert len(history.history["loss"]) == 2
