"""The MLP benchmark's training step written out in JAX, with its matrix products in YNNPACK
(XLA:CPU's default) or in Eigen, alternating in one process.

The step of `bench_vs_torch.py`'s MLP (784-512-512-10, Adam, batch 128), 16 steps per call in
a `lax.scan` over batches gathered from the device-resident data set (as neokeras's `fit` runs
it), compiled four ways:

  default:   XLA:CPU's defaults (YNNPACK for the forward products and the input gradients).
  eigen:     `xla_cpu_experimental_ynn_fusion_type=""` for this program: every product in Eigen.
  eigen+WT:  Eigen, and the input gradient `dy @ W^T` of layers 2 and 3 computed from a
             materialized transpose of the kernel (an optimization barrier keeps XLA from
             folding it back into the product, where Eigen runs ~100 GFLOP/s).
  ynn+WT:    the same transpose with YNNPACK.

Prints CPU milliseconds per step for each (best and median over rounds) and how far each
variant's weights are from the default's after 16 steps (a different product kernel sums in
another order). Pin it to one core:

    taskset -c 0 .venv/bin/python benchmarks/bench_mlp_dot_libraries.py [--rounds 8]
"""

import argparse
import statistics
import time

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

SIZES = (784, 512, 512, 10)
BATCH, STEPS = 128, 16


@jax.custom_vjp
def matmul_materialized_transpose(x, w):
    return x @ w


def _forward(x, w):
    return x @ w, (x, w)


def _backward(residuals, dy):
    x, w = residuals
    return dy @ lax.optimization_barrier(w.T), x.T @ dy


matmul_materialized_transpose.defvjp(_forward, _backward)


def make_chunk(x_all, y_all, matmul, options):
    def loss(params, xb, yb):
        h = xb
        for i, (w, b) in enumerate(params):
            # The first layer's input needs no gradient, so it keeps the plain product.
            h = (h @ w if i == 0 else matmul(h, w)) + b
            h = jax.nn.relu(h) if i < len(params) - 1 else h
        return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(h), yb[:, None], 1))

    def step(carry, rows):
        params, m, v, t = carry
        grads = jax.grad(loss)(params, x_all[rows], y_all[rows])
        t = t + 1
        lr = 1e-3 * jnp.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
        m = jax.tree_util.tree_map(lambda m, g: m + (g - m) * 0.1, m, grads)
        v = jax.tree_util.tree_map(lambda v, g: v + (g * g - v) * 0.001, v, grads)
        params = jax.tree_util.tree_map(lambda p, m, v: p - m * lr / (jnp.sqrt(v) + 1e-7),
                                        params, m, v)
        return (params, m, v, t), None

    def chunk(carry, indices):
        return lax.scan(step, carry, indices)[0]

    return jax.jit(chunk, donate_argnums=0, compiler_options=options)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    params = []
    for a, b in zip(SIZES[:-1], SIZES[1:]):
        limit = np.sqrt(6 / (a + b))
        params.append((jnp.asarray(rng.uniform(-limit, limit, (a, b)).astype(np.float32)),
                       jnp.zeros((b,), jnp.float32)))
    n = BATCH * 40
    x_all = jnp.asarray(rng.random((n, SIZES[0]), dtype=np.float32))
    y_all = jnp.asarray(rng.integers(0, 10, n))
    indices = jnp.asarray(np.arange(BATCH * STEPS, dtype=np.int32).reshape(STEPS, BATCH))
    in_place = {"xla_cpu_copy_insertion_use_region_analysis": True}
    eigen = {**in_place, "xla_cpu_experimental_ynn_fusion_type": ""}
    plain = lambda x, w: x @ w  # noqa: E731
    variants = {
        "default": make_chunk(x_all, y_all, plain, in_place),
        "eigen": make_chunk(x_all, y_all, plain, eigen),
        "eigen+WT": make_chunk(x_all, y_all, matmul_materialized_transpose, eigen),
        "ynn+WT": make_chunk(x_all, y_all, matmul_materialized_transpose, in_place),
    }

    def fresh():
        zeros = jax.tree_util.tree_map(jnp.zeros_like, params)
        return (jax.tree_util.tree_map(jnp.copy, params), zeros,
                jax.tree_util.tree_map(jnp.copy, zeros), jnp.float32(0))

    kernels = {name: np.asarray(f(fresh(), indices)[0][0][0]) for name, f in variants.items()}
    print("max |first kernel - default's| after 16 steps:",
          {name: float(np.abs(k - kernels["default"]).max()) for name, k in kernels.items()})
    times = {name: [] for name in variants}
    for round_ in range(args.rounds):
        for name, f in variants.items():
            carry = jax.block_until_ready(f(fresh(), indices))
            start = time.process_time()
            for _ in range(4):
                carry = f(carry, indices)
            jax.block_until_ready(carry)
            times[name].append((time.process_time() - start) / (4 * STEPS) * 1e3)
        print(round_ + 1, {name: round(t[-1], 3) for name, t in times.items()}, flush=True)
    print("| variant | best CPU ms/step | median |\n|---|---|---|")
    for name, t in times.items():
        print(f"| {name} | {min(t):.3f} | {statistics.median(t):.3f} |")


if __name__ == "__main__":
    main()
