"""Generates tests/backend/data/keras2_backend.{json,npz}: inputs and tf-keras 2's outputs of
Keras 2 `K` functions, the oracle for tests/backend/test_keras2_backend_fixtures.py.

Run with a Python that has TensorFlow and tf-keras 2 (the test suite does not need them):

    /tmp/tfenv/bin/python tools/gen_keras2_backend_fixtures.py
"""

import json
import os
import pathlib

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf  # noqa: E402
import tf_keras.backend as K  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parents[1] / "tests" / "backend" / "data"
rng = np.random.default_rng(0)


def f32(*shape):
    return rng.normal(size=shape).astype("float32")


def probs(*shape):
    p = rng.uniform(0.05, 1.0, size=shape).astype("float32")
    return p / p.sum(-1, keepdims=True)


# Step/fold functions referred to by name, written the same way in the test.
NAMED = {
    "add": lambda acc, x: acc + x,
    "acc_times_2_plus_x": lambda acc, x: acc * 2.0 + x,
    "square": lambda x: x * x,
}


def simple_rnn_step(w, u):
    def step(x, states):
        h = K.tanh(K.dot(x, w) + K.dot(states[0], u))
        return h, [h]

    return step


CASES = []


def case(fn, *args, **kwargs):
    CASES.append((fn, args, kwargs))


case("arange", 5)
case("arange", 2, 11, 3)
case("arange", -3)
case("arange", 1, 4, 1, dtype="float32")
x4 = f32(2, 5, 6, 3)
case("batch_normalization", x4, f32(3), np.abs(f32(3)) + 0.5, f32(3), f32(3), epsilon=1e-3)
case("bias_add", x4, f32(3))
case("bias_add", np.transpose(x4, (0, 3, 1, 2)), f32(3), data_format="channels_first")
case("bias_add", f32(2, 4, 3), f32(4, 3))
t = (rng.uniform(size=(3, 4)) > 0.5).astype("float32")
p = rng.uniform(0.05, 0.95, size=(3, 4)).astype("float32")
case("binary_focal_crossentropy", t, p)
case("binary_focal_crossentropy", t, p, apply_class_balancing=True, alpha=0.3, gamma=1.5)
case("binary_focal_crossentropy", t, f32(3, 4), from_logits=True)
onehot = np.eye(4, dtype="float32")[[0, 3, 1]]
case("categorical_focal_crossentropy", onehot, probs(3, 4))
case("categorical_focal_crossentropy", onehot, f32(3, 4), from_logits=True, gamma=1.0)
case("cast_to_floatx", np.arange(4))
x3 = f32(2, 9, 3)
case("conv1d", x3, f32(3, 3, 4))
case("conv1d", x3, f32(3, 3, 4), strides=2, padding="same")
case("conv1d", x3, f32(3, 3, 4), padding="causal", dilation_rate=2)
case("conv2d", x4, f32(3, 2, 3, 4))
case("conv2d", x4, f32(3, 3, 3, 2), strides=(2, 2), padding="same")
case("conv2d", np.transpose(x4, (0, 3, 1, 2)), f32(2, 2, 3, 4), data_format="channels_first")
case("conv2d", x4, f32(2, 2, 3, 2), dilation_rate=(2, 2))
case("conv2d_transpose", x4, f32(3, 3, 2, 3), (2, 11, 13, 2), strides=(2, 2))
case("conv2d_transpose", x4, f32(3, 3, 2, 3), (2, 10, 12, 2), strides=(2, 2), padding="same")
case("conv2d_transpose", x4, f32(2, 2, 5, 3), (2, 6, 7, 5))
x5 = f32(1, 4, 5, 6, 2)
case("conv3d", x5, f32(2, 2, 3, 2, 3))
case("conv3d", x5, f32(3, 3, 3, 2, 2), padding="same", strides=(1, 2, 2))
case("depthwise_conv2d", x4, f32(3, 3, 3, 2))
case("depthwise_conv2d", x4, f32(2, 2, 3, 1), padding="same", strides=(2, 2))
case("separable_conv2d", x4, f32(3, 3, 3, 2), f32(1, 1, 6, 4))
case("separable_conv2d", x4, f32(2, 2, 3, 1), f32(1, 1, 3, 5), padding="same")
case("pool2d", x4, (2, 2), strides=(2, 2))
case("pool2d", x4, (3, 3), strides=(2, 2), padding="same", pool_mode="avg")
case("pool2d", np.transpose(x4, (0, 3, 1, 2)), (2, 2), strides=(1, 1),
     data_format="channels_first", pool_mode="avg")
case("pool3d", x5, (2, 2, 2), strides=(2, 2, 2))
case("pool3d", x5, (2, 3, 3), strides=(1, 1, 1), padding="same", pool_mode="avg")
case("local_conv1d", f32(2, 8, 3), f32(3, 3 * 3, 4), (3,), (2,))
case("local_conv2d", f32(2, 5, 6, 2), f32(2 * 2, 3 * 3 * 2, 3), (3, 3), (2, 2), (2, 2))
case("temporal_padding", x3, (2, 1))
case("spatial_2d_padding", x4, ((1, 0), (2, 3)))
case("spatial_2d_padding", np.transpose(x4, (0, 3, 1, 2)), ((1, 1), (0, 2)),
     data_format="channels_first")
case("spatial_3d_padding", x5, ((1, 0), (0, 1), (2, 2)))
case("resize_images", x4, 2, 3, "channels_last")
case("resize_images", np.transpose(x4, (0, 3, 1, 2)), 2, 2, "channels_first")
case("resize_images", x4, 2, 2, "channels_last", interpolation="bilinear")
case("resize_volumes", x5, 2, 1, 2, "channels_last")
case("normalize_batch_in_training", x4, f32(3), f32(3), [0, 1, 2])
case("normalize_batch_in_training", f32(6, 4), None, None, [0], epsilon=0.01)
labels = np.array([[1, 2, 2, 0], [3, 1, 0, 0]], "int32")
y_pred = probs(2, 8, 5)
case("ctc_batch_cost", labels, y_pred, np.array([[8], [6]]), np.array([[4], [2]]))
case("ctc_decode", y_pred, np.array([8, 6]))
case("ctc_decode", y_pred, np.array([8, 6]), greedy=False, beam_width=10, top_paths=2)
case("in_top_k", f32(4, 6), np.array([0, 3, 5, 1]), 2)
case("one_hot", np.array([[0, 2], [1, 3]]), 4)
case("repeat", f32(2, 3), 4)
case("repeat_elements", f32(2, 3), 2, 1)
case("reverse", x4, [1, 3])
case("reverse", x3, 1)
case("tile", f32(2, 3), (2, 1))
case("tile", f32(3), 2)
case("count_params", f32(3, 4, 5))
case("dtype", f32(2))
case("foldl", "add", f32(5, 3))
case("foldl", "acc_times_2_plus_x", f32(4, 2), f32(2))
case("foldr", "acc_times_2_plus_x", f32(4, 2), f32(2))
case("foldr", "add", f32(5))
case("map_fn", "square", f32(4, 3))
w, u = f32(3, 4) * 0.5, f32(4, 4) * 0.5
xs, h0 = f32(2, 5, 3), f32(2, 4)
mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], bool)
case("rnn", "simple_rnn", xs, [h0], w=w, u=u)
case("rnn", "simple_rnn", xs, [h0], w=w, u=u, go_backwards=True)
case("rnn", "simple_rnn", xs, [h0], w=w, u=u, mask=mask)
case("rnn", "simple_rnn", xs, [h0], w=w, u=u, mask=mask, zero_output_for_mask=True)
case("rnn", "simple_rnn", xs, [h0], w=w, u=u, return_all_outputs=False)
case("in_train_phase", f32(3), f32(3), training=1)
case("in_train_phase", f32(3), f32(3), training=0)
case("in_test_phase", f32(3), f32(3), training=1)


def run(fn, args, kwargs):
    if fn in ("foldl", "foldr"):
        return getattr(K, fn)(NAMED[args[0]], *args[1:])
    if fn == "map_fn":
        return K.map_fn(NAMED[args[0]], args[1])
    if fn == "rnn":
        kwargs = dict(kwargs)
        step = simple_rnn_step(K.constant(kwargs.pop("w")), K.constant(kwargs.pop("u")))
        return K.rnn(step, K.constant(args[1]), [K.constant(s) for s in args[2]], **kwargs)
    args = [K.constant(a) if isinstance(a, np.ndarray) and a.dtype == np.float32
            and fn not in ("cast_to_floatx", "count_params", "dtype") else a for a in args]
    if fn in ("count_params", "dtype"):
        args = [K.variable(args[0])]
    return getattr(K, fn)(*args, **kwargs)


def flat_outputs(out):
    if isinstance(out, (list, tuple)):
        return [o for item in out for o in flat_outputs(item)]
    if isinstance(out, str):
        return [np.array(out)]
    return [np.asarray(out)]


def encode(value, key, arrays):
    """JSON-able description of an argument; arrays go to the npz under `key`."""
    if isinstance(value, np.ndarray):
        arrays[key] = value
        return {"array": key}
    if isinstance(value, list) and any(isinstance(v, np.ndarray) for v in value):
        return {"list": [encode(v, f"{key}_{i}", arrays) for i, v in enumerate(value)]}
    if isinstance(value, tuple):
        return {"tuple": [encode(v, f"{key}_{i}", arrays) for i, v in enumerate(value)]}
    return value


def main():
    arrays, table = {}, []
    for index, (fn, args, kwargs) in enumerate(CASES):
        name = f"{index:03d}_{fn}"
        outputs = flat_outputs(run(fn, args, kwargs))
        for j, out in enumerate(outputs):
            arrays[f"{name}/out{j}"] = out
        table.append({
            "name": name, "fn": fn,
            "args": [encode(a, f"{name}/arg{i}", arrays) for i, a in enumerate(args)],
            "kwargs": {k: encode(v, f"{name}/kw_{k}", arrays) for k, v in kwargs.items()},
            "outputs": len(outputs),
        })
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT / "keras2_backend.npz", **arrays)
    (OUT / "keras2_backend.json").write_text(json.dumps(
        {"generator": "tools/gen_keras2_backend_fixtures.py",
         "tensorflow": tf.__version__, "cases": table}, indent=1) + "\n")
    print(f"{len(table)} cases written to {OUT}")


if __name__ == "__main__":
    main()
