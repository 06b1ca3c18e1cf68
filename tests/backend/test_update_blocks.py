"""`update_blocks`: optimizer updates of large variables by blocks of rows in XLA:CPU training
loops: when they apply, that they give the whole update's values, and that they stay in place."""

import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import neokeras as keras
from neokeras.backend.jax import trainer, update_blocks

BLOCK = update_blocks._BLOCK_ELEMENTS


@pytest.mark.parametrize("shape, rows", [
    ((784, 512), BLOCK // 512),          # the MLP benchmark's first kernel: 13 blocks, the last short
    ((512, 512), BLOCK // 512),
    ((10000, 64), BLOCK // 64),          # an embedding table
    ((4 * BLOCK,), BLOCK),               # a vector just large enough
    ((4 * BLOCK - 1,), None),            # one element short of four blocks: whole
    ((3, 2 * BLOCK), 1),                 # rows larger than a block: one row per block
    ((256, 64, 3, 3), BLOCK // (64 * 9)),  # a convolution kernel
    ((512, 10), None),                   # small
    ((), None),
])
def test_block_rows_inside_the_switch(shape, rows):
    assert update_blocks.block_rows(shape) is None
    with update_blocks.blocked():
        assert update_blocks.block_rows(shape) == rows
        with update_blocks.blocked():  # nested blocks restore what they found
            pass
        assert update_blocks.block_rows(shape) == rows
    assert update_blocks.block_rows(shape) is None


@pytest.mark.parametrize("make", [
    lambda: keras.optimizers.Adam(learning_rate=0.01),
    lambda: keras.optimizers.Adam(learning_rate=0.01, amsgrad=True),
    lambda: keras.optimizers.AdamW(learning_rate=0.01, weight_decay=0.1),
    lambda: keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),
    lambda: keras.optimizers.SGD(learning_rate=0.01, momentum=0.9, nesterov=True),
    lambda: keras.optimizers.RMSprop(learning_rate=0.01),
    lambda: keras.optimizers.RMSprop(learning_rate=0.01, momentum=0.5, centered=True),
    lambda: keras.optimizers.Nadam(learning_rate=0.01),
    lambda: keras.optimizers.Adamax(learning_rate=0.01),
    lambda: keras.optimizers.Lion(learning_rate=0.01),
    lambda: keras.optimizers.Adagrad(learning_rate=0.01),
    lambda: keras.optimizers.Adadelta(learning_rate=0.01),
], ids=["adam", "amsgrad", "adamw", "momentum", "nesterov", "rmsprop", "rmsprop-centered",
        "nadam", "adamax", "lion", "adagrad", "adadelta"])
def test_blocked_updates_give_the_whole_updates_values(make):
    rng = np.random.default_rng(0)
    shapes = [(784, 512), (5 * BLOCK + 7,), (300, 7, 9, 11), (512,)]
    variables = [keras.Variable(rng.standard_normal(s).astype("float32")) for s in shapes]
    steps = [[jnp.asarray(rng.standard_normal(s).astype("float32")) for s in shapes]
             for _ in range(3)]  # a few steps, so that m, v (and v_hat) are not zeros
    optimizer = make()
    optimizer.build(variables)
    results = {}
    for blocked in (False, True):
        update = jax.jit(optimizer.stateless_apply)  # traced anew for each
        values, slots = [v.value for v in variables], [v.value for v in optimizer.variables]
        for grads in steps:
            if blocked:
                with update_blocks.blocked():
                    values, slots = update(slots, grads, values)
            else:
                values, slots = update(slots, grads, values)
        results[blocked] = values + slots
    for whole, blocks in zip(results[False], results[True]):
        np.testing.assert_array_equal(np.asarray(blocks), np.asarray(whole))


@pytest.mark.skipif(jax.default_backend() != "cpu", reason="XLA:CPU's copy insertion")
def test_blocks_update_in_place_in_the_training_loop():
    # Under the loop's compile options (and with the state donated, as `fit` donates it) the
    # blocks write into the carried arrays: no copy of a whole variable anywhere (without
    # region analysis XLA copies the slots for every block).
    shape = (784, 512)
    variable = keras.Variable(np.ones(shape, "float32"))
    optimizer = keras.optimizers.Adam()
    optimizer.build([variable])

    def loop(slots, value, gradient):
        def body(step, carry):
            slots, value = carry
            with update_blocks.blocked():
                (value,), slots = optimizer.stateless_apply(slots, [gradient * step], [value])
            return slots, value
        return jax.lax.fori_loop(0, 4, body, (slots, value))

    args = ([v.value for v in optimizer.variables], variable.value, jnp.ones(shape))
    hlo = jax.jit(loop, compiler_options=trainer._CPU_LOOP_OPTIONS,
                  donate_argnums=(0, 1)).lower(*args).compile().as_text()
    assert hlo.count("dynamic-update-slice") >= 3 * (-(-shape[0] // (BLOCK // shape[1])))
    assert not re.findall(r"= f32\[784,512\]\{1,0\} copy\(", hlo)


def test_fit_takes_blocks_and_trains_as_whole_updates(monkeypatch):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((64, 784)).astype("float32")
    y = rng.integers(0, 10, 64)

    def trained(min_blocks):
        monkeypatch.setattr(update_blocks, "_MIN_BLOCKS", min_blocks)
        keras.utils.set_random_seed(3)
        model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(512, "relu"),
                                  keras.layers.Dense(10)])
        model.compile(keras.optimizers.Adam(0.01),
                      keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
        return model.get_weights() + [v.numpy() for v in model.optimizer.variables]

    taken = []
    block_rows = update_blocks.block_rows
    monkeypatch.setattr(keras.backend, "update_block_rows",
                        lambda shape: taken.append(block_rows(shape)) or taken[-1])
    blocks = trained(update_blocks._MIN_BLOCKS)
    assert BLOCK // 512 in taken  # the 784x512 kernel, in blocks
    whole = trained(10 ** 9)
    for a, b in zip(blocks, whole):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
