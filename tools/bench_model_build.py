"""Times building a ~50-layer model after `set_random_seed` in a fresh process (initializer
draws included). Run with NEOKERAS_JAX_CACHE=0 for a cold start (no persistent compile cache).

    NEOKERAS_JAX_CACHE=0 PYTHONPATH=src python tools/bench_model_build.py
"""

import time

t0 = time.perf_counter()
import neokeras as keras  # noqa: E402
from neokeras import layers  # noqa: E402

t_import = time.perf_counter() - t0


def build():
    keras.utils.set_random_seed(0)
    x = inputs = keras.Input((32, 32, 3))
    for i, filters in enumerate([16, 24, 32, 48, 64]):
        for _ in range(3):
            x = layers.Conv2D(filters, 3, padding="same")(x)
            x = layers.BatchNormalization()(x)
            x = layers.ReLU()(x)
        if i < 4:
            x = layers.MaxPooling2D()(x)
    x = layers.Reshape((4, 64))(x)
    x = layers.LSTM(96, return_sequences=True)(x)
    x = layers.MultiHeadAttention(4, 16)(x, x)
    x = layers.Flatten()(x)
    for units in [512, 384, 256, 192, 128, 96, 64, 48, 32]:
        x = layers.Dense(units, activation="relu")(x)
    x = layers.Dense(10)(x)
    return keras.Model(inputs, x)


t0, c0 = time.perf_counter(), time.process_time()
model = build()
t_first, c_first = time.perf_counter() - t0, time.process_time() - c0
t0, c0 = time.perf_counter(), time.process_time()
build()
t_second, c_second = time.perf_counter() - t0, time.process_time() - c0
print(f"layers={len(model.layers)} weights={len(model.weights)} import={t_import:.2f}s "
      f"first_build={t_first:.2f}s (cpu {c_first:.2f}s) "
      f"second_build={t_second:.2f}s (cpu {c_second:.2f}s)")
