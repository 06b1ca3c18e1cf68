"""The patches + matrix-product, "split" and "widened" lowerings of convolutions: values and
gradients equal the native convolution's; the choice is made once per shape, kept on disk, and can
be forced."""

import numpy as np
import pytest

import jax
import jax.numpy as jnp

from neokeras import ops
from neokeras.backend.jax import conv_lowering

RNG = np.random.default_rng(0)

# (input shape channels-last, kernel shape, strides, padding, dilation)
CASES = [
    ((2, 9, 3), (3, 3, 4), 1, "valid", 1),
    ((2, 10, 2), (4, 2, 3), 2, "same", 1),
    ((2, 11, 2), (3, 2, 2), 1, "same", 2),
    ((2, 8, 8, 1), (3, 3, 1, 4), 1, "valid", 1),
    ((2, 9, 7, 3), (3, 2, 3, 5), (2, 1), "same", 1),
    ((1, 9, 9, 2), (3, 3, 2, 2), 1, "valid", (2, 1)),
    ((2, 8, 7, 2), (2, 3, 2, 3), 3, "same", 1),
    ((1, 5, 6, 4, 2), (2, 3, 2, 2, 3), (1, 2, 1), "same", 1),
]


def _conv(lowering, monkeypatch, x, k, strides, padding, dilation):
    monkeypatch.setenv("NEOKERAS_CONV_LOWERING", lowering)
    return ops.conv(x, k, strides=strides, padding=padding, dilation_rate=dilation,
                    data_format="channels_last")


@pytest.mark.parametrize("lowering", ["patches", "split", "widened"])
@pytest.mark.parametrize("shape, kernel_shape, strides, padding, dilation", CASES)
def test_lowering_matches_native_values_and_gradients(
        monkeypatch, lowering, shape, kernel_shape, strides, padding, dilation):
    x = RNG.standard_normal(shape).astype("float32")
    k = RNG.standard_normal(kernel_shape).astype("float32")
    results = {}
    for lowering in ("native", lowering):
        def loss(x, k, lowering=lowering):
            out = _conv(lowering, monkeypatch, x, k, strides, padding, dilation)
            weights = jnp.linspace(-1.0, 1.0, out.size).reshape(out.shape)
            return jnp.sum(out * weights), out

        # One compiled program per lowering (eagerly, every op of the gradient compiled alone).
        (_, out), grads = jax.jit(jax.value_and_grad(loss, argnums=(0, 1), has_aux=True))(x, k)
        results[lowering] = (out,) + grads
    for a, b in zip(results["native"], results[lowering]):
        assert a.shape == b.shape
        np.testing.assert_allclose(np.asarray(b), np.asarray(a), rtol=1e-5, atol=1e-5)


# (op, input shape channels-last, kernel shapes, strides, padding, dilation, extra kwargs)
OTHER_CASES = [
    ("depthwise_conv", (2, 9, 3), [(3, 3, 2)], 1, "valid", 1, {}),
    ("depthwise_conv", (2, 10, 2), [(4, 2, 1)], 2, "same", 1, {}),
    ("depthwise_conv", (2, 8, 7, 3), [(3, 3, 3, 1)], 1, "same", 1, {}),
    ("depthwise_conv", (2, 9, 7, 3), [(3, 2, 3, 2)], (2, 1), "valid", 1, {}),
    ("depthwise_conv", (1, 9, 9, 2), [(3, 3, 2, 2)], 1, "same", (2, 1), {}),
    ("separable_conv", (2, 8, 8, 3), [(3, 3, 3, 2), (1, 1, 6, 4)], 1, "same", 1, {}),
    ("separable_conv", (2, 9, 3), [(3, 3, 1), (1, 3, 5)], 2, "valid", 1, {}),
    ("conv_transpose", (2, 5, 3), [(3, 4, 3)], 2, "valid", 1, {}),
    ("conv_transpose", (2, 5, 3), [(3, 4, 3)], 2, "same", 1, {}),
    ("conv_transpose", (2, 4, 5, 2), [(3, 3, 3, 2)], 1, "same", 1, {}),
    ("conv_transpose", (2, 4, 5, 2), [(3, 2, 3, 2)], (2, 3), "valid", 1, {}),
    ("conv_transpose", (1, 4, 4, 2), [(2, 2, 3, 2)], 3, "valid", 1, {}),  # stride > kernel
    ("conv_transpose", (1, 4, 4, 2), [(3, 3, 2, 2)], 2, "same", 1, {"output_padding": 1}),
    ("conv_transpose", (1, 5, 4, 2), [(3, 3, 2, 2)], 1, "valid", 2, {}),
    ("conv_transpose", (1, 3, 4, 3, 2), [(2, 3, 2, 3, 2)], (2, 1, 2), "same", 1, {}),
]


@pytest.mark.parametrize("op, shape, kernel_shapes, strides, padding, dilation, extra",
                         OTHER_CASES)
def test_depthwise_separable_and_transposed_patches_match_native(
        monkeypatch, op, shape, kernel_shapes, strides, padding, dilation, extra):
    x = RNG.standard_normal(shape).astype("float32")
    kernels = [RNG.standard_normal(k).astype("float32") for k in kernel_shapes]
    results = {}
    for lowering in ("native", "patches"):
        monkeypatch.setenv("NEOKERAS_CONV_LOWERING", lowering)

        def loss(x, kernels):
            out = getattr(ops, op)(x, *kernels, strides=strides, padding=padding,
                                   dilation_rate=dilation, data_format="channels_last",
                                   **extra)
            weights = jnp.linspace(-1.0, 1.0, out.size).reshape(out.shape)
            return jnp.sum(out * weights), out

        (_, out), grads = jax.jit(jax.value_and_grad(loss, argnums=(0, 1), has_aux=True))(
            x, kernels)
        results[lowering] = (out, grads[0], *grads[1])
    for a, b in zip(results["native"], results["patches"]):
        assert a.shape == b.shape
        np.testing.assert_allclose(np.asarray(b), np.asarray(a), rtol=1e-5, atol=1e-5)


def test_patches_gradient_matches_finite_differences(monkeypatch):
    # The loss is quadratic in the kernel, so central differences are exact up to rounding.
    monkeypatch.setenv("NEOKERAS_CONV_LOWERING", "patches")
    x = RNG.standard_normal((1, 5, 5, 2)).astype("float32")
    k = RNG.standard_normal((3, 3, 2, 2)).astype("float32")

    def loss(k):
        return jnp.sum(ops.conv(x, k, strides=2, padding="same") ** 2)

    analytic = np.asarray(jax.grad(loss)(k))
    eps = 0.5
    numeric = np.zeros_like(k)
    for index in np.ndindex(*k.shape):
        plus, minus = k.copy(), k.copy()
        plus[index] += eps
        minus[index] -= eps
        numeric[index] = (float(loss(plus)) - float(loss(minus))) / (2 * eps)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("lowering", ["split", "widened"])
@pytest.mark.parametrize("shape, kernel_shape, padding", [((2, 7, 6, 3), (3, 2, 3, 4), "same"),
                                                          ((2, 6, 6, 1), (3, 3, 1, 2), "same"),
                                                          ((2, 7, 8, 3), (3, 3, 3, 2), "valid")])
def test_forward_mode_and_second_order_match_native(monkeypatch, lowering, shape, kernel_shape,
                                                    padding):
    # "split" is a custom JVP: forward mode, a kernel-only gradient (the input's tangent a
    # symbolic zero) and a Hessian-vector product must be the native convolution's.
    x = RNG.standard_normal(shape).astype("float32")
    k = RNG.standard_normal(kernel_shape).astype("float32")
    x_dot = RNG.standard_normal(shape).astype("float32")
    k_dot = RNG.standard_normal(kernel_shape).astype("float32")
    results = {}
    for lowering in ("native", lowering):
        def conv(x, k, lowering=lowering):
            return _conv(lowering, monkeypatch, x, k, 1, padding, 1)

        def loss(x, k, conv=conv):
            out = conv(x, k)
            return jnp.sum(jnp.tanh(out) * jnp.arange(1.0, 1.0 + out[..., :1].size)
                           .reshape(out.shape[:-1] + (1,)))

        forward = jax.jvp(conv, (x, k), (x_dot, k_dot))
        kernel_grad = jax.grad(loss, argnums=1)(x, k)
        hvp = jax.jvp(lambda k: jax.grad(loss, argnums=1)(x, k), (k,), (k_dot,))[1]
        results[lowering] = forward + (kernel_grad, hvp)
    for a, b in zip(results["native"], results[lowering]):
        np.testing.assert_allclose(np.asarray(b), np.asarray(a), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("channels, convolutions, products", [(3, 1, 1), (1, 0, 1)])
def test_split_lowering_computes_the_kernel_gradient_from_matrix_products(
        monkeypatch, channels, convolutions, products):
    # Its point: no convolution for the kernel gradient (one product per kernel offset, in a
    # loop, or one of the stacked slices with one input channel, whose value is then slices
    # times weights too), and none for the gradient of an input that is not differentiated.
    monkeypatch.setenv("NEOKERAS_CONV_LOWERING", "split")
    x = np.ones((2, 8, 8, channels), "float32")
    k = np.ones((3, 3, channels, 4), "float32")
    hlo = jax.jit(jax.grad(lambda k: jnp.sum(ops.conv(x, k) ** 2))).lower(k).as_text()
    assert hlo.count("stablehlo.convolution") == convolutions
    assert hlo.count("stablehlo.dot_general") == products


def test_the_choice_is_measured_once_per_shape_and_kept_on_disk(monkeypatch, tmp_path):
    monkeypatch.delenv("NEOKERAS_CONV_LOWERING", raising=False)
    monkeypatch.setenv("NEOKERAS_JAX_CACHE", str(tmp_path))
    monkeypatch.setattr(jax, "default_backend", lambda: "cpu")
    monkeypatch.setattr(conv_lowering, "_decisions", {})
    monkeypatch.setattr(conv_lowering, "_loaded", [False])
    measured = []

    def measure(candidates, *args):
        measured.append((args[-1], sorted(candidates)))  # whether gradients were timed too
        return "patches"

    monkeypatch.setattr(conv_lowering, "_measure", measure)
    x = np.ones((2, 6, 6, 3), "float32")
    k = np.ones((3, 3, 3, 4), "float32")
    first = ops.conv(x, k)
    ops.conv(x, k)
    jax.jit(lambda x, k: ops.conv(x, k))(x, k)
    with conv_lowering.differentiated():
        jax.grad(lambda k: jnp.sum(ops.conv(x, k)))(k)
        jax.grad(lambda k: jnp.sum(ops.conv(x[..., :1], k)))(k[:, :, :1])
    ops.conv(x[:1], k)  # a new shape
    assert measured == [(False, ["native", "patches", "widened"]),
                        (True, ["native", "patches", "split", "widened"]),
                        (True, ["native", "patches", "split", "widened"]),
                        (False, ["native", "patches", "widened"])]
    np.testing.assert_allclose(np.asarray(first), 27.0)
    # A new process (decisions read back from the file) measures nothing.
    monkeypatch.setattr(conv_lowering, "_decisions", {})
    monkeypatch.setattr(conv_lowering, "_loaded", [False])
    ops.conv(x, k)
    assert len(measured) == 4
    assert (tmp_path / "conv-lowerings.json").exists()


@pytest.mark.parametrize("case", ["channels_first", "grouped"])
def test_channels_first_and_grouped_convolutions_stay_native(monkeypatch, case):
    monkeypatch.delenv("NEOKERAS_CONV_LOWERING", raising=False)
    monkeypatch.setattr(jax, "default_backend", lambda: "cpu")
    monkeypatch.setattr(conv_lowering, "_measure", lambda *a: pytest.fail("measured"))
    x = RNG.standard_normal((1, 4, 6, 6)).astype("float32")
    if case == "channels_first":
        out = ops.conv(x, RNG.standard_normal((3, 3, 4, 2)).astype("float32"),
                       data_format="channels_first")
        assert out.shape == (1, 2, 4, 4)
    else:
        out = ops.conv(x, RNG.standard_normal((3, 3, 3, 2)).astype("float32"),
                       data_format="channels_last")
        assert out.shape == (1, 2, 4, 2)


@pytest.mark.parametrize("op, kernel_shape", [("depthwise_conv", (3, 3, 3, 2)),
                                              ("conv_transpose", (3, 3, 4, 3))])
def test_depthwise_and_transposed_choices_are_measured_per_operation(monkeypatch, tmp_path, op,
                                                                     kernel_shape):
    monkeypatch.delenv("NEOKERAS_CONV_LOWERING", raising=False)
    monkeypatch.setenv("NEOKERAS_JAX_CACHE", str(tmp_path))
    monkeypatch.setattr(jax, "default_backend", lambda: "cpu")
    monkeypatch.setattr(conv_lowering, "_decisions", {})
    monkeypatch.setattr(conv_lowering, "_loaded", [False])
    measured = []

    def measure(candidates, *args):
        measured.append(sorted(candidates))
        return "patches"

    monkeypatch.setattr(conv_lowering, "_measure", measure)
    x = RNG.standard_normal((1, 6, 6, 3)).astype("float32")
    k = RNG.standard_normal(kernel_shape).astype("float32")
    getattr(ops, op)(x, k, data_format="channels_last")
    getattr(ops, op)(x, k, data_format="channels_last")
    assert measured == [["native", "patches"]]
    assert list(conv_lowering._decisions)[0].startswith(f"('{op}'")
    # channels-first has no patches form: nothing is measured.
    getattr(ops, op)(np.moveaxis(x, -1, 1), k, data_format="channels_first")
    assert len(measured) == 1


def _fake_clocks(monkeypatch):
    """Wall and CPU clocks that only `_fake_program`s advance."""
    clocks = {"wall": 0.0, "cpu": 0.0}
    monkeypatch.setattr(conv_lowering.time, "perf_counter", lambda: clocks["wall"])
    monkeypatch.setattr(conv_lowering.time, "process_time", lambda: clocks["cpu"])
    return clocks


def _fake_program(clocks, costs):
    """A program whose n-th call (the first compiles) takes `costs(n)`: (wall, CPU) seconds,
    or one figure for both."""
    calls = [0]

    def run():
        cost = costs(calls[0])
        calls[0] += 1
        wall, cpu = cost if isinstance(cost, tuple) else (cost, cost)
        clocks["wall"] += wall
        clocks["cpu"] += cpu
        return np.zeros(())
    return run


@pytest.mark.parametrize("seconds, expected", [
    ({"split": (1.2,), "widened": (0.6, 0.48), "native": (0.5, 0.5)}, "widened"),  # within 10%
    ({"split": (1.2,), "widened": (0.6, 0.55), "native": (0.5, 0.5)}, "native"),  # 15% slower
    ({"split": (0.9,), "widened": (0.6, 0.44), "native": (0.5, 0.5)}, "split"),
])
def test_the_fastest_program_wins_and_ties_go_to_the_first(monkeypatch, seconds, expected):
    # A candidate's time is the sum of its programs' (value, backward pass) best times; one
    # within 10% of the fastest that comes first in the order of preference is kept.
    clocks = _fake_clocks(monkeypatch)
    programs = {name: [_fake_program(clocks, lambda n, cost=cost: cost) for cost in costs]
                for name, costs in seconds.items()}
    assert conv_lowering._fastest(programs, ()) == expected


@pytest.mark.parametrize("widened_calls, expected", [
    # Slowed by other load in its first turns, as fast as native in the second: kept.
    (lambda n: 0.7 if n <= 5 else 0.5, "widened"),
    # Slower in both: native wins, and the second turns are the two candidates only.
    (lambda n: 0.7, "native"),
])
def test_a_change_from_the_preferred_must_hold_up_in_more_turns(monkeypatch, widened_calls,
                                                                  expected):
    clocks = _fake_clocks(monkeypatch)
    calls = {"widened": 0, "native": 0, "patches": 0}

    def counted(name, costs):
        program = _fake_program(clocks, costs)

        def run():
            calls[name] += 1
            return program()
        return run

    programs = {"widened": [counted("widened", widened_calls)],
                "native": [counted("native", lambda n: 0.5)],
                "patches": [counted("patches", lambda n: 2.0)]}
    assert conv_lowering._fastest(programs, (), runs=5) == expected
    assert calls == {"widened": 11, "native": 11, "patches": 6}


def test_a_call_counts_the_smaller_of_its_wall_and_cpu_time(monkeypatch):
    # widened's calls wait 0.5 s for the core (wall) and so would lose by wall time; native
    # runs on two cores (CPU time twice its wall time) and would lose by CPU time.
    clocks = _fake_clocks(monkeypatch)
    programs = {"widened": [_fake_program(clocks, lambda n: (1.0, 0.5))],
                "native": [_fake_program(clocks, lambda n: (0.6, 1.2))]}
    assert conv_lowering._fastest(programs, ()) == "widened"
    programs["native"] = [_fake_program(clocks, lambda n: (0.4, 0.8))]
    assert conv_lowering._fastest(programs, ()) == "native"
