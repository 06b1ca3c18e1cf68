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
    ((784, 512), 56),                    # the MLP benchmark's first kernel: 14 blocks (of 64
                                         # rows, 12 and 16 rows left over)
    ((512, 512), BLOCK // 512),
    ((10000, 64), 500),                  # an embedding table: 20 blocks of 500 rows, not 512
    ((4 * BLOCK,), BLOCK),               # a vector just large enough
    ((4 * BLOCK - 1,), None),            # one element short of four blocks: whole
    ((4 * BLOCK + 1,), BLOCK),           # no divisor near: 4 blocks and one element left over
    ((3, 2 * BLOCK), 1),                 # rows larger than a block: one row per block
    ((256, 64, 3, 3), 32),               # a convolution kernel (56 rows would leave 32 over)
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
    # Blocks that divide the first axis; a prime length (4 blocks and 29 elements left over);
    # 302 rows of 693 (6 blocks of 47 rows and 20 left over); one too small for blocks.
    shapes = [(784, 512), (131101,), (302, 7, 9, 11), (512,)]
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
    # The same arithmetic; inside the blocks' loop XLA may round a scalar coefficient's
    # product differently (Nadam: 1 ulp).
    for whole, blocks in zip(results[False], results[True]):
        np.testing.assert_allclose(np.asarray(blocks), np.asarray(whole), rtol=1e-6, atol=1e-6)


@pytest.mark.skipif(jax.default_backend() != "cpu", reason="XLA:CPU's copy insertion")
def test_blocks_update_in_place_in_the_training_loop():
    # Training steps of a two-layer network in a loop, under the loop's compile options and
    # with the state donated, as `fit` runs them: the blocks write into the carried arrays, no
    # copy of a kernel anywhere, though the second kernel is also read for the first layer's
    # gradient (`block_offset` orders that read before the loop that updates it).
    shapes = [(256, 512), (512, 512)]
    variables = [keras.Variable(np.full(s, 0.01, "float32")) for s in shapes]
    optimizer = keras.optimizers.Adam()
    optimizer.build(variables)

    def loss(kernels, x):
        return jnp.sum(jnp.tanh(jnp.tanh(x @ kernels[0]) @ kernels[1]))

    def loop(slots, kernels, x):
        def body(step, carry):
            slots, kernels = carry
            grads = jax.grad(loss)(kernels, x * step)
            with update_blocks.blocked():
                kernels, slots = optimizer.stateless_apply(slots, grads, kernels)
            return slots, kernels
        return jax.lax.fori_loop(0, 4, body, (slots, kernels))

    args = ([v.value for v in optimizer.variables], [v.value for v in variables],
            jnp.ones((32, 256)))
    hlo = jax.jit(loop, compiler_options=trainer._CPU_LOOP_OPTIONS,
                  donate_argnums=(0, 1)).lower(*args).compile().as_text()
    assert hlo.count("dynamic-update-slice") >= 6  # each kernel's loop writes three arrays
    assert not re.findall(r"= f32\[(256|512),512\]\{1,0\} copy\(", hlo)


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
    assert 56 in taken  # the 784x512 kernel, in blocks
    whole = trained(10 ** 9)
    for a, b in zip(blocks, whole):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_block_offset_is_a_zero_after_every_gradient_and_skips_empty_ones():
    grads = [jnp.full((3, 2), -2.5), jnp.zeros((0, 4)), jnp.full((5,), 7.0), jnp.ones(())]
    assert update_blocks.block_offset(grads) is None  # outside the training loop
    with update_blocks.blocked():
        offset = jax.jit(update_blocks.block_offset)(grads)
    assert offset.dtype == jnp.int32 and int(offset) == 0
