"""Writes the Keras 2 `.h5` fixtures of models whose weights share names or layers.

Run with tf-keras (TensorFlow is not a dependency of neokeras; CI only reads the files):

    /path/to/tf-venv/bin/python tools/gen_keras2_shared_h5.py generate tests/saving/fixtures/keras2_shared

and check that tf-keras reads what neokeras writes back (`model.h5`, `weights.h5` and a copied
`io.npz` per model folder, e.g. written by loading each fixture and saving it with neokeras):

    /path/to/tf-venv/bin/python tools/gen_keras2_shared_h5.py check DIR

Each model gets a folder with `model.h5` (full legacy model), `weights.h5` (legacy
`save_weights`) and `io.npz` (inputs `x0, x1, ...` and inference outputs `y0, y1, ...`). The
layouts are the ones a Keras 2 user could save that put identical names in one file: the
seq2seq encoder/decoder of the Keras 2 example (and its inference decoder, which reuses the
trained layers), a layer shared by two branches, nested models whose layers have the same
names, a base network shared by a siamese model, Bidirectional (forward/backward cells with
equal names), TimeDistributed, and BatchNormalization inside a nested model (trainable and
non-trainable weights interleaved across sublayers).
"""

import json
import os
import sys

import numpy as np
import tf_keras as keras

L = keras.layers


def seq2seq():
    enc_in = keras.Input((None, 5), name="encoder_inputs")
    _, h, c = L.LSTM(8, return_state=True, name="encoder_lstm")(enc_in)
    dec_in = keras.Input((None, 6), name="decoder_inputs")
    lstm = L.LSTM(8, return_sequences=True, return_state=True, name="decoder_lstm")
    out, _, _ = lstm(dec_in, initial_state=[h, c])
    out = L.Dense(6, activation="softmax", name="decoder_dense")(out)
    model = keras.Model([enc_in, dec_in], out)
    return model, [(2, 4, 5), (2, 3, 6)]


def seq2seq_decoder():
    trained, _ = seq2seq()
    dec_in = trained.input[1]
    state_h, state_c = keras.Input((8,), name="state_h"), keras.Input((8,), name="state_c")
    out, h, c = trained.get_layer("decoder_lstm")(dec_in, initial_state=[state_h, state_c])
    out = trained.get_layer("decoder_dense")(out)
    return keras.Model([dec_in, state_h, state_c], [out, h, c]), [(2, 3, 6), (2, 8), (2, 8)]


def shared_dense():
    a, b = keras.Input((4,)), keras.Input((4,))
    dense = L.Dense(3, name="shared")
    return keras.Model([a, b], L.Concatenate()([dense(a), dense(b)])), [(2, 4), (2, 4)]


def same_inner_names():
    def branch(name):
        i = keras.Input((4,))
        x = L.Dense(5, activation="relu", name="dense")(i)
        return keras.Model(i, L.Dense(3, name="dense_1")(x), name=name)

    i = keras.Input((4,))
    return keras.Model(i, L.Add()([branch("left")(i), branch("right")(i)])), [(2, 4)]


def siamese():
    base_in = keras.Input((6,))
    x = L.Dense(8, activation="relu")(base_in)
    base = keras.Model(base_in, L.Dense(4)(x), name="base_network")
    a, b = keras.Input((6,)), keras.Input((6,))
    distance = L.Subtract()
    out = L.Dense(1, activation="sigmoid")(distance([base(a), base(b)]))
    return keras.Model([a, b], out), [(2, 6), (2, 6)]


def bidirectional():
    model = keras.Sequential([keras.Input((3, 4)), L.Bidirectional(L.LSTM(5, return_sequences=True)),
                              L.Bidirectional(L.GRU(3)), L.Dense(2)])
    return model, [(2, 3, 4)]


def nested_sequential():
    inner = keras.Sequential([L.Dense(5, name="d"), L.BatchNormalization(name="bn"),
                              L.Dense(4, name="d2")], name="inner")
    model = keras.Sequential([keras.Input((3,)), inner, L.BatchNormalization(name="bn_outer"),
                              L.Dense(2, name="d_outer")])
    return model, [(2, 3)]


def time_distributed():
    model = keras.Sequential([keras.Input((3, 4)), L.TimeDistributed(L.Dense(5)),
                              L.TimeDistributed(L.Dense(2))])
    return model, [(2, 3, 4)]


MODELS = [seq2seq, seq2seq_decoder, shared_dense, same_inner_names, siamese, bidirectional,
          nested_sequential, time_distributed]


def main(out):
    rng = np.random.default_rng(0)
    for build in MODELS:
        keras.backend.clear_session()
        keras.utils.set_random_seed(0)
        model, shapes = build()
        # Non-trivial values everywhere (BatchNormalization statistics included).
        model.set_weights([rng.normal(scale=0.5, size=w.shape).astype(w.dtype) + (
            1.0 if "variance" in v.name else 0.0) for w, v in zip(model.get_weights(), model.weights)])
        folder = os.path.join(out, build.__name__)
        os.makedirs(folder, exist_ok=True)
        model.save(os.path.join(folder, "model.h5"))
        model.save_weights(os.path.join(folder, "weights.h5"))
        xs = [rng.normal(size=s).astype("float32") for s in shapes]
        ys = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
        ys = ys if isinstance(ys, list) else [ys]
        np.savez(os.path.join(folder, "io.npz"), **{f"x{i}": x for i, x in enumerate(xs)},
                 **{f"y{i}": y for i, y in enumerate(ys)})
        with open(os.path.join(folder, "manifest.json"), "w") as f:
            json.dump({"generator": "tf_keras", "version": keras.__version__, "model": build.__name__,
                       "weight_names": [v.name for v in model.weights]}, f, indent=1)
        print(build.__name__, "ok", len(model.weights), "weights")


def write_lambda(out):
    """`keras2_lambda.h5`: a Keras 2 model whose Lambda layers hold bytecode and a name (the
    hostile-file tests check that it is refused in safe mode, with a clear message)."""
    model = keras.Sequential([keras.Input((3,)), L.Lambda(lambda x: x * 2, output_shape=lambda s: s),
                              L.Lambda(abs)])
    model.save(os.path.join(os.path.dirname(out.rstrip("/")), "keras2_lambda.h5"))


def _outputs(model, xs):
    out = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    return out if isinstance(out, list) else [out]


def check(folder):
    """Loads each `<folder>/<model>/model.h5` and `weights.h5` with tf-keras; compares outputs."""
    failures = 0
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        with np.load(os.path.join(path, "io.npz")) as io:
            xs = [io[f"x{i}"] for i in range(sum(k.startswith("x") for k in io.files))]
            ys = [io[f"y{i}"] for i in range(sum(k.startswith("y") for k in io.files))]
        model = keras.models.load_model(os.path.join(path, "model.h5"))
        fresh = keras.models.model_from_json(model.to_json())
        fresh.load_weights(os.path.join(path, "weights.h5"))
        ok = all(np.allclose(a, b, atol=2e-5) for m in (model, fresh)
                 for a, b in zip(_outputs(m, xs), ys))
        failures += not ok
        print(name, "ok" if ok else "MISMATCH")
    return failures


if __name__ == "__main__":
    mode, target = sys.argv[1], sys.argv[2]
    if mode == "generate":
        main(target)
        write_lambda(target)
    else:
        sys.exit(1 if check(target) else 0)
