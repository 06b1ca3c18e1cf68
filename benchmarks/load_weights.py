"""Loading speed of a valid ~100 MB model: `.weights.h5`, `.keras` and legacy `.h5`.

Run: PYTHONPATH=src python benchmarks/load_weights.py [repeats]
Prints the best and the median of several loads per format (the loading budget and file checks
must not slow valid files down by more than 10%). On a shared machine compare the best times
of interleaved runs of the two versions.
"""

import os
import statistics
import sys
import tempfile
import time

import numpy as np

import neokeras as nk


def build():
    # 3 x Dense(2900) ~ 25M float32 parameters ~ 101 MB.
    model = nk.Sequential([nk.layers.Input((2900,))]
                          + [nk.layers.Dense(2900) for _ in range(3)])
    rng = np.random.default_rng(0)
    model.set_weights([rng.standard_normal(w.shape).astype("float32") for w in model.get_weights()])
    return model


def timed(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main(repeats=7):
    model = build()
    with tempfile.TemporaryDirectory() as tmp:
        paths = {"weights.h5": os.path.join(tmp, "m.weights.h5"),
                 "keras": os.path.join(tmp, "m.keras"),
                 "legacy h5 (load_weights)": os.path.join(tmp, "m.h5")}
        model.save_weights(paths["weights.h5"])
        model.save(paths["keras"])
        model.save_weights(paths["legacy h5 (load_weights)"])
        size = os.path.getsize(paths["weights.h5"]) / 2**20
        print(f"model: {model.count_params()} parameters, weights file {size:.1f} MiB")
        target = build()
        for label, path in paths.items():
            if label == "keras":
                fn = lambda: nk.models.load_model(path)  # noqa: E731
            else:
                fn = lambda p=path: target.load_weights(p)  # noqa: E731
            fn()  # warm up (imports, compilation of assign)
            best, median = timed(fn, repeats)
            print(f"{label}: best {best * 1000:.0f} ms, median {median * 1000:.0f} ms "
                  f"over {repeats} loads")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
