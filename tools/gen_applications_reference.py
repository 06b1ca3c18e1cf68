"""Writes tests/data/applications/keras_structures.json from real Keras 3 (the test oracle).

For each case (a constructor of keras.applications and small, weights=None arguments) it
records what a neokeras build must reproduce: parameter count, layer names in order, output
shape and the shapes of the weights in order. Run where real Keras is installed:

    KERAS_BACKEND=jax python tools/gen_applications_reference.py
"""

import hashlib
import json
import pathlib
import sys

OUT = pathlib.Path(__file__).resolve().parents[1] / "tests/data/applications/keras_structures.json"

S32 = {"input_shape": [32, 32, 3]}
# (constructor, arguments, in the default test run): one cheap case per family runs by default.
CASES = [
    ("VGG16", {**S32, "include_top": False}, True),
    ("VGG19", {**S32, "include_top": False, "pooling": "avg"}, False),
    ("ResNet50", {**S32, "classes": 7}, True),
    ("ResNet101", {**S32, "include_top": False}, False),
    ("ResNet152", {**S32, "include_top": False, "pooling": "max"}, False),
    ("ResNet50V2", {**S32, "classes": 7}, True),
    ("ResNet101V2", {**S32, "include_top": False}, False),
    ("ResNet152V2", {**S32, "include_top": False, "pooling": "avg"}, False),
    ("DenseNet121", {**S32, "classes": 7}, True),
    ("DenseNet169", {**S32, "include_top": False}, False),
    ("DenseNet201", {**S32, "include_top": False, "pooling": "max"}, False),
    ("Xception", {"input_shape": [71, 71, 3], "classes": 7}, True),
    ("InceptionV3", {"input_shape": [75, 75, 3], "classes": 7}, True),
    ("InceptionResNetV2", {"input_shape": [75, 75, 3], "classes": 7}, True),
    ("MobileNet", {**S32, "classes": 7}, True),
    ("MobileNet", {**S32, "include_top": False, "alpha": 0.5, "depth_multiplier": 2}, False),
    ("MobileNetV2", {**S32, "classes": 7}, True),
    ("MobileNetV2", {**S32, "include_top": False, "alpha": 1.4, "pooling": "avg"}, False),
    ("MobileNetV3Small", {**S32, "classes": 7}, True),
    ("MobileNetV3Small", {**S32, "alpha": 0.75, "minimalistic": True, "classes": 5}, False),
    ("MobileNetV3Large", {**S32, "classes": 7, "include_preprocessing": False}, False),
    ("MobileNetV3Large", {**S32, "include_top": False, "minimalistic": True,
                          "pooling": "max"}, False),
    ("NASNetMobile", {**S32, "classes": 7}, True),
    ("NASNetLarge", {**S32, "include_top": False}, False),
    ("EfficientNetB0", {**S32, "classes": 7}, True),
    *[(f"EfficientNetB{i}", {**S32, "include_top": False}, False) for i in range(1, 8)],
    ("EfficientNetV2B0", {**S32, "classes": 7}, True),
    ("EfficientNetV2B1", {**S32, "include_top": False}, False),
    ("EfficientNetV2B2", {**S32, "include_top": False, "include_preprocessing": False}, False),
    ("EfficientNetV2B3", {**S32, "include_top": False}, False),
    ("EfficientNetV2S", {**S32, "include_top": False}, False),
    ("EfficientNetV2M", {**S32, "include_top": False}, False),
    ("EfficientNetV2L", {**S32, "include_top": False}, False),
    ("ConvNeXtTiny", {**S32, "classes": 7}, True),
    ("ConvNeXtSmall", {**S32, "include_top": False, "pooling": "avg"}, False),
    ("ConvNeXtBase", {**S32, "include_top": False}, False),
    ("ConvNeXtLarge", {**S32, "include_top": False, "include_preprocessing": False}, False),
    ("ConvNeXtXLarge", {**S32, "include_top": False}, False),
]


def digest(values):
    return hashlib.sha256(json.dumps(values).encode()).hexdigest()[:16]


def structure(model):
    """What must match between Keras and neokeras builds of one case."""
    names = [layer.name for layer in model.layers]
    shapes = [list(w.shape) for w in model.weights]
    return {"params": int(model.count_params()), "num_layers": len(names),
            "layer_names": digest(names), "first_layers": names[:3],
            "last_layers": names[-3:], "weight_shapes": digest(shapes),
            "num_weights": len(shapes),
            "output_shape": [d for d in model.output_shape]}


def main():
    import keras

    records = []
    for constructor, kwargs, default in CASES:
        keras.backend.clear_session()
        model = getattr(keras.applications, constructor)(weights=None, **kwargs)
        records.append({"constructor": constructor, "kwargs": kwargs, "default": default,
                        "keras": structure(model)})
        print(constructor, kwargs, records[-1]["keras"]["params"], file=sys.stderr)
    OUT.write_text(json.dumps({"keras_version": keras.__version__, "cases": records},
                              indent=1) + "\n")


if __name__ == "__main__":
    main()
