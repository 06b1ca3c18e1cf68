"""`trainable` follows Keras 2: what a model was compiled with is what it trains with."""

import numpy as np

import neokeras as nk


def _changed(before, after):
    return [not np.allclose(a, b) for a, b in zip(before, after)]


def test_classic_gan_pattern():
    rng = np.random.default_rng(0)
    discriminator = nk.Sequential([nk.Input((2,)), nk.layers.Dense(1, activation="sigmoid")])
    discriminator.compile(nk.optimizers.SGD(0.5), "binary_crossentropy")
    discriminator.trainable = False
    generator = nk.Sequential([nk.Input((3,)), nk.layers.Dense(2)])
    gan = nk.Sequential([generator, discriminator])
    gan.compile(nk.optimizers.SGD(0.5), "binary_crossentropy")

    d_before = discriminator.get_weights()
    discriminator.train_on_batch(rng.standard_normal((8, 2)), np.ones((8, 1)))
    assert all(_changed(d_before, discriminator.get_weights()))  # compiled while trainable

    d_before, g_before = discriminator.get_weights(), generator.get_weights()
    gan.train_on_batch(rng.standard_normal((8, 3)), np.ones((8, 1)))
    assert not any(_changed(d_before, discriminator.get_weights()))  # frozen inside the GAN
    assert all(_changed(g_before, generator.get_weights()))

    d_before = discriminator.get_weights()
    discriminator.fit(rng.standard_normal((8, 2)), np.zeros((8, 1)), verbose=0)
    assert all(_changed(d_before, discriminator.get_weights()))
    # Outside training the current flags show.
    assert discriminator.trainable is False and discriminator.trainable_weights == []


def test_trainable_change_takes_effect_at_the_next_compile():
    x = np.random.default_rng(1).standard_normal((16, 3)).astype("float32")
    y = np.ones((16, 1), "float32")
    model = nk.Sequential([nk.Input((3,)), nk.layers.Dense(4), nk.layers.Dense(1)])
    model.compile(nk.optimizers.SGD(0.1), "mse")
    first = model.layers[0]
    first.trainable = False
    before = first.get_weights()
    model.fit(x, y, epochs=1, verbose=0)
    assert all(_changed(before, first.get_weights()))  # not recompiled: still trains
    assert first.trainable is False
    model.compile(nk.optimizers.SGD(0.1), "mse")
    before = first.get_weights()
    model.fit(x, y, epochs=1, verbose=0)
    assert not any(_changed(before, first.get_weights()))


def test_inference_between_steps_does_not_leak_the_current_flags_into_training():
    rng = np.random.default_rng(2)
    model = nk.Sequential([nk.Input((2,)), nk.layers.Dense(1)])
    model.compile(nk.optimizers.SGD(0.5), "mse")
    model.trainable = False
    model.predict(rng.standard_normal((4, 2)), verbose=0)  # caches under trainable=False
    before = model.get_weights()
    model.train_on_batch(rng.standard_normal((4, 2)), np.ones((4, 1)))
    assert all(_changed(before, model.get_weights()))
