"""Builds small randomly initialized keras-hub backbones (BERT, GPT-2, Llama) and fits a
classifier head on them, on whatever `import keras` is: run it on real Keras, or on neokeras
through the drop-in, and compare.

    KERAS_BACKEND=jax python benchmarks/keras_hub_backbones.py             # real Keras
    python -m neokeras run benchmarks/keras_hub_backbones.py               # neokeras

keras-hub (`pip install --no-deps keras-hub` plus absl-py, regex, rich, kagglehub, tokenizers,
sentencepiece, without tensorflow-text) must be importable. No weights are downloaded: every
backbone is built from its constructor. Prints one JSON line per model.
"""

import json
import os
import sys
import tempfile
import time
import traceback

import numpy as np

import keras
import keras_hub

SEQUENCE = 16
VOCABULARY = 100
SAMPLES = 32


def data(segments=False):
    rng = np.random.default_rng(0)
    token_ids = rng.integers(1, VOCABULARY, size=(SAMPLES, SEQUENCE)).astype("int32")
    padding_mask = np.ones((SAMPLES, SEQUENCE), "int32")
    padding_mask[::2, SEQUENCE // 2:] = 0  # half the samples are padded
    x = {"token_ids": token_ids * padding_mask, "padding_mask": padding_mask}
    if segments:
        x["segment_ids"] = np.zeros((SAMPLES, SEQUENCE), "int32")
    y = (token_ids[:, 0] > VOCABULARY // 2).astype("int32")
    return x, y


def pooled_head(backbone):
    """A functional classifier on the backbone's mean-pooled sequence output."""
    sequence = backbone(backbone.input)
    if isinstance(sequence, dict):
        sequence = sequence["sequence_output"]
    pooled = keras.layers.GlobalAveragePooling1D()(sequence)
    outputs = keras.layers.Dense(2, activation="softmax")(pooled)
    return keras.Model(backbone.input, outputs)


def bert():
    backbone = keras_hub.models.BertBackbone(
        vocabulary_size=VOCABULARY, num_layers=2, num_heads=2, hidden_dim=32,
        intermediate_dim=64, max_sequence_length=SEQUENCE)
    # (keras_hub.models.BertTextClassifier's fit needs `grain` or TensorFlow for its data.)
    return pooled_head(backbone), data(segments=True), "sparse_categorical_crossentropy"


def gpt2():
    backbone = keras_hub.models.GPT2Backbone(
        vocabulary_size=VOCABULARY, num_layers=2, num_heads=2, hidden_dim=32,
        intermediate_dim=64, max_sequence_length=SEQUENCE)
    return pooled_head(backbone), data(), "sparse_categorical_crossentropy"


def llama():
    backbone = keras_hub.models.LlamaBackbone(
        vocabulary_size=VOCABULARY, num_layers=2, num_query_heads=4, num_key_value_heads=2,
        hidden_dim=32, intermediate_dim=64)
    return pooled_head(backbone), data(), "sparse_categorical_crossentropy"


def run(name, build):
    result = {"model": name, "keras": keras.__version__, "keras_module": keras.__name__}
    start = time.time()
    try:
        keras.utils.set_random_seed(0)
        model, (x, y), loss = build()
        result["params"] = int(model.count_params())
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=loss, metrics=["accuracy"])
        history = model.fit(x, y, batch_size=8, epochs=3, verbose=0)
        result["loss"] = [round(float(v), 4) for v in history.history["loss"]]
        predictions = model.predict(x, verbose=0)
        result["predict_shape"] = list(predictions.shape)
        path = os.path.join(tempfile.mkdtemp(), f"{name}.keras")
        model.save(path)
        restored = keras.saving.load_model(path)
        result["reload_max_diff"] = float(np.max(np.abs(restored.predict(x, verbose=0)
                                                        - predictions)))
        result["ok"] = True
    except Exception as error:  # a report, not a test: record and go on to the next model
        result["ok"] = False
        result["error"] = f"{type(error).__name__}: {error}"[:600]
        result["where"] = traceback.format_exc().strip().splitlines()[-3:]
    result["seconds"] = round(time.time() - start, 1)
    print(json.dumps(result), flush=True)
    return result["ok"]


if __name__ == "__main__":
    models = {"bert": bert, "gpt2": gpt2, "llama": llama}
    chosen = sys.argv[1:] or list(models)
    sys.exit(0 if all([run(name, models[name]) for name in chosen]) else 1)
