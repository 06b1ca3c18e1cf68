"""Losses: hand-computed values, real Keras 3 as an oracle (every class, several reductions, with
and without sample weights), finite-difference gradients, serialization and errors."""

import zlib

import numpy as np
import pytest

from neokeras import losses

RNG = np.random.default_rng(7)
N, D, C = 4, 3, 5


def _data(kind):
    # crc32, not hash(): str hashes change between processes, and so would the data.
    rng = np.random.default_rng(zlib.crc32(kind.encode()) % 1000)
    if kind == "real":
        return rng.normal(size=(N, D)).astype("float32"), rng.normal(size=(N, D)).astype("float32")
    if kind == "positive":
        return (rng.random((N, D)) * 2 + 0.1).astype("float32"), \
            (rng.random((N, D)) * 2 + 0.1).astype("float32")
    if kind == "binary":
        return (rng.random((N, D)) > 0.5).astype("float32"), \
            rng.uniform(0.05, 0.95, (N, D)).astype("float32")
    if kind == "binary_logits":
        return (rng.random((N, D)) > 0.5).astype("float32"), rng.normal(size=(N, D)).astype(
            "float32") * 2
    if kind == "categorical":
        p = rng.random((N, C)).astype("float32") + 0.05
        return np.eye(C, dtype="float32")[rng.integers(0, C, N)], p / p.sum(-1, keepdims=True)
    if kind == "categorical_logits":
        return np.eye(C, dtype="float32")[rng.integers(0, C, N)], \
            rng.normal(size=(N, C)).astype("float32") * 2
    if kind == "sparse":
        p = rng.random((N, C)).astype("float32") + 0.05
        return rng.integers(0, C, N).astype("int32"), p / p.sum(-1, keepdims=True)
    if kind == "sparse_logits":
        return rng.integers(0, C, N).astype("int32"), rng.normal(size=(N, C)).astype("float32")
    if kind == "distribution":
        a, b = rng.random((N, C)) + 0.05, rng.random((N, C)) + 0.05
        return (a / a.sum(-1, keepdims=True)).astype("float32"), \
            (b / b.sum(-1, keepdims=True)).astype("float32")
    if kind == "ctc":  # labels padded with 0 (the blank), logits over 6 timesteps
        labels = np.array([[1, 2, 0], [3, 3, 1], [4, 0, 0], [2, 1, 4]], "int32")
        return labels, rng.normal(size=(N, 6, C)).astype("float32")
    if kind in ("circle", "circle_lonely"):  # "lonely": labels 2 and 3 have no positive pair
        labels = [0, 1, 0, 1] if kind == "circle" else [0, 0, 2, 3]
        emb = rng.normal(size=(N, 6))
        return np.array(labels, "int32"), (emb / np.linalg.norm(emb, axis=1, keepdims=True)
                                            ).astype("float32")
    raise ValueError(kind)


# (class name, constructor kwargs, data kind)
CASES = [
    ("MeanSquaredError", {}, "real"),
    ("MeanAbsoluteError", {}, "real"),
    ("MeanAbsolutePercentageError", {}, "positive"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("CosineSimilarity", {}, "real"),
    ("CosineSimilarity", {"axis": 0}, "real"),
    ("Huber", {}, "real"),
    ("Huber", {"delta": 0.5}, "real"),
    ("LogCosh", {}, "real"),
    ("Hinge", {}, "binary_logits"),
    ("SquaredHinge", {}, "binary_logits"),
    ("CategoricalHinge", {}, "categorical_logits"),
    ("KLDivergence", {}, "distribution"),
    ("Poisson", {}, "positive"),
    ("BinaryCrossentropy", {}, "binary"),
    ("BinaryCrossentropy", {"label_smoothing": 0.2}, "binary"),
    ("BinaryCrossentropy", {"from_logits": True}, "binary_logits"),
    ("BinaryFocalCrossentropy", {}, "binary"),
    ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "alpha": 0.3, "gamma": 1.5,
                                 "label_smoothing": 0.1}, "binary"),
    ("BinaryFocalCrossentropy", {"from_logits": True}, "binary_logits"),
    ("CategoricalCrossentropy", {}, "categorical"),
    ("CategoricalCrossentropy", {"label_smoothing": 0.1}, "categorical"),
    ("CategoricalCrossentropy", {"from_logits": True}, "categorical_logits"),
    ("CategoricalFocalCrossentropy", {}, "categorical"),
    ("CategoricalFocalCrossentropy", {"from_logits": True, "gamma": 1.0}, "categorical_logits"),
    ("SparseCategoricalCrossentropy", {}, "sparse"),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse_logits"),
    ("SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": 2}, "sparse_logits"),
    ("Dice", {}, "binary"),
    ("Dice", {"axis": -1}, "binary"),
    ("Tversky", {"alpha": 0.3, "beta": 0.7}, "binary"),
    ("Tversky", {"alpha": 0.7, "beta": 0.3, "axis": -1}, "binary"),
    ("CTC", {}, "ctc"),
    ("Circle", {}, "circle"),
    ("Circle", {"gamma": 16.0, "margin": 0.25, "remove_diagonal": False}, "circle"),
    ("Circle", {}, "circle_lonely"),
    ("CategoricalGeneralizedCrossEntropy", {"q": 0.5}, "sparse"),
    ("CategoricalGeneralizedCrossEntropy", {"q": 0.8}, "sparse"),
]
CASE_IDS = [f"{name}-{'-'.join(f'{k}={v}' for k, v in kw.items())}" for name, kw, _ in CASES]


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


@pytest.mark.parametrize("name, kwargs, kind", CASES, ids=CASE_IDS)
def test_matches_keras(keras, name, kwargs, kind):
    y_true, y_pred = _data(kind)
    weights = np.random.default_rng(3).uniform(0.2, 2.0, N).astype("float32")
    # Dice/Tversky without an axis give one value per batch, cosine over axis 0 one per feature.
    weighted = not (name in ("Dice", "Tversky") and "axis" not in kwargs or kwargs.get("axis") == 0)
    for reduction in ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none"):
        for sw in (None, weights):
            if sw is not None and not weighted:
                continue
            ours = getattr(losses, name)(**kwargs, reduction=reduction)
            theirs = getattr(keras.losses, name)(**kwargs, reduction=reduction)
            expected = np.asarray(theirs(y_true, y_pred, sample_weight=sw))
            got = np.asarray(ours(y_true, y_pred, sample_weight=sw))
            np.testing.assert_allclose(got, expected, rtol=2e-5, atol=2e-6,
                                       err_msg=f"{name} {kwargs} {reduction} sw={sw is not None}")


@pytest.mark.parametrize("name, kwargs, kind", CASES, ids=CASE_IDS)
def test_function_form_matches_keras(keras, name, kwargs, kind):
    fn_name = getattr(losses, name)().fn.__name__
    y_true, y_pred = _data(kind)
    theirs = getattr(keras.losses, fn_name)
    got = getattr(losses, fn_name)(y_true, y_pred, **kwargs)
    expected = theirs(y_true, y_pred, **kwargs)
    np.testing.assert_allclose(np.asarray(got), np.asarray(expected), rtol=2e-5, atol=2e-6)


@pytest.mark.parametrize("name, kwargs, kind", CASES, ids=CASE_IDS)
def test_gradient_matches_central_differences(name, kwargs, kind):
    jax = pytest.importorskip("jax")
    y_true, y_pred = _data(kind)
    loss = getattr(losses, name)(**kwargs)

    def f(p):
        return loss(y_true, p)

    grad = np.asarray(jax.grad(f)(y_pred))
    eps = 1e-3
    steps = np.eye(y_pred.size, dtype="float32").reshape((-1,) + y_pred.shape) * eps
    # All perturbed points in one vectorized call: one compilation instead of 2 * size calls.
    values = np.asarray(jax.vmap(f)(np.concatenate([y_pred + steps, y_pred - steps])))
    numeric = ((values[:y_pred.size] - values[y_pred.size:]) / (2 * eps)).reshape(y_pred.shape)
    # float32 differences lose precision in proportion to the size of the gradients (Circle's
    # gamma=80 scales them to the hundreds).
    np.testing.assert_allclose(grad, numeric, rtol=3e-2,
                               atol=3e-3 * max(1.0, np.abs(numeric).max() / 10))


def test_hand_computed_core_values():
    y_true = np.array([[0.0, 1.0], [1.0, 1.0]], "float32")
    y_pred = np.array([[0.5, 0.5], [1.0, 3.0]], "float32")
    np.testing.assert_allclose(losses.mean_squared_error(y_true, y_pred), [0.25, 2.0])
    np.testing.assert_allclose(losses.mean_absolute_error(y_true, y_pred), [0.5, 1.0])
    np.testing.assert_allclose(losses.MeanSquaredError()(y_true, y_pred), 1.125)
    np.testing.assert_allclose(losses.MeanSquaredError(reduction="sum")(y_true, y_pred), 2.25)
    # weights 1 and 3: (0.25 * 1 + 2 * 3) / 2 samples, or / 4 total weight.
    np.testing.assert_allclose(losses.MeanSquaredError()(y_true, y_pred, [1.0, 3.0]), 3.125)
    np.testing.assert_allclose(losses.MeanSquaredError(reduction="mean_with_sample_weight")(
        y_true, y_pred, [1.0, 3.0]), 6.25 / 4)

    p = np.array([[0.8], [0.4]], "float32")
    t = np.array([[1.0], [0.0]], "float32")
    expected = [-np.log(0.8), -np.log(0.6)]
    np.testing.assert_allclose(losses.binary_crossentropy(t, p), expected, rtol=1e-5)
    logits = np.log(p / (1 - p))
    np.testing.assert_allclose(losses.binary_crossentropy(t, logits, from_logits=True),
                               expected, rtol=1e-5)

    probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]], "float32")
    np.testing.assert_allclose(losses.categorical_crossentropy(np.eye(3)[[0, 2]], probs),
                               [-np.log(0.7), -np.log(0.6)], rtol=1e-5)
    np.testing.assert_allclose(losses.sparse_categorical_crossentropy([0, 2], probs),
                               [-np.log(0.7), -np.log(0.6)], rtol=1e-5)
    np.testing.assert_allclose(
        losses.sparse_categorical_crossentropy([[0], [2]], np.log(probs), from_logits=True),
        [-np.log(0.7), -np.log(0.6)], rtol=1e-5)


def test_from_logits_is_stable_for_extreme_logits():
    logits = np.array([[80.0, -80.0, 0.0]], "float32")
    bce = np.asarray(losses.binary_crossentropy([[0.0, 1.0, 1.0]], logits, from_logits=True))
    np.testing.assert_allclose(bce, [(80 + 80 + np.log(2)) / 3], rtol=1e-5)
    cce = np.asarray(losses.categorical_crossentropy([[0.0, 1.0, 0.0]], logits, from_logits=True))
    np.testing.assert_allclose(cce, [160.0], rtol=1e-5)
    np.testing.assert_allclose(losses.log_cosh([[0.0]], [[100.0]]), [100 - np.log(2)], rtol=1e-6)


def test_ignore_class_averages_over_the_other_entries():
    probs = np.array([[0.7, 0.3], [0.4, 0.6], [0.5, 0.5]], "float32")
    loss = losses.SparseCategoricalCrossentropy(ignore_class=-1)
    np.testing.assert_allclose(loss(np.array([0, 1, -1]), probs),
                               (-np.log(0.7) - np.log(0.6)) / 2, rtol=1e-5)
    per_entry = losses.sparse_categorical_crossentropy(np.array([0, 1, -1]), probs,
                                                       ignore_class=-1)
    np.testing.assert_allclose(per_entry, [-np.log(0.7), -np.log(0.6), 0.0], rtol=1e-5)


def test_get_names_aliases_and_classes():
    assert losses.get("mse") is losses.mean_squared_error
    assert losses.get("MAE") is losses.mean_absolute_error
    assert losses.get("kld") is losses.kl_divergence
    assert losses.get("logcosh") is losses.log_cosh
    assert isinstance(losses.get("BinaryCrossentropy"), losses.BinaryCrossentropy)
    assert losses.get(None) is None
    with pytest.raises(ValueError, match="Unknown loss 'nope'"):
        losses.get("nope")
    with pytest.raises(TypeError, match="loss identifier"):
        losses.get(3)


def test_unknown_names_use_keras_wording():
    keras = pytest.importorskip("keras")
    import neokeras

    for lib in (neokeras, keras):
        with pytest.raises(ValueError, match="Could not interpret loss identifier: nope"):
            lib.losses.get("nope")
        with pytest.raises(ValueError, match="Could not interpret metric identifier: nope"):
            lib.metrics.get("nope")


@pytest.mark.parametrize("name, kwargs, kind", CASES[::3], ids=CASE_IDS[::3])
def test_serialization_round_trip(name, kwargs, kind):
    y_true, y_pred = _data(kind)
    loss = getattr(losses, name)(**kwargs, reduction="sum", name="custom")
    config = losses.serialize(loss)
    assert config["module"] == "keras.losses" and config["class_name"] == name
    restored = losses.deserialize(config)
    assert type(restored) is type(loss) and restored.get_config() == loss.get_config()
    np.testing.assert_allclose(restored(y_true, y_pred), loss(y_true, y_pred), rtol=1e-6)


def test_config_matches_keras(keras):
    for name, kwargs, _ in CASES:
        ours = getattr(losses, name)(**kwargs).get_config()
        theirs = getattr(keras.losses, name)(**kwargs).get_config()
        theirs.pop("dtype", None)
        ours.pop("dtype", None)
        # Ours may hold more (Keras drops CosineSimilarity's axis, so it does not round-trip).
        assert {k: ours[k] for k in theirs} == theirs, name


def test_function_serialization_and_wrapper():
    assert losses.serialize(losses.mse)["config"] == "mean_squared_error"
    assert losses.deserialize("mean_squared_error") is losses.mean_squared_error
    wrapper = losses.LossFunctionWrapper(losses.huber, delta=0.1, name="h")
    restored = losses.LossFunctionWrapper.from_config(wrapper.get_config())
    assert restored.fn is losses.huber and restored.get_config() == wrapper.get_config()


def test_errors_are_clear():
    with pytest.raises(ValueError, match="reduction"):
        losses.MeanSquaredError(reduction="average")
    with pytest.raises(ValueError, match="incompatible shapes"):
        losses.mean_squared_error(np.zeros((4, 3)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match="integer targets of shape"):
        losses.sparse_categorical_crossentropy(np.zeros((4, 3)), np.zeros((4, 3)))


def test_squeeze_or_expand_and_reduce_values():
    a, b = losses.squeeze_or_expand_to_same_rank(np.zeros((4, 1)), np.zeros(4))
    assert a.shape == (4, 1) and b.shape == (4, 1)
    a, b = losses.squeeze_or_expand_to_same_rank(np.zeros((4, 2, 1)), np.zeros((4, 2)))
    assert a.shape == (4, 2) and b.shape == (4, 2)
    np.testing.assert_allclose(losses.reduce_values(np.array([1.0, 2.0, 3.0]), reduction="sum"), 6)
    np.testing.assert_allclose(losses.reduce_values(np.array([1.0, 2.0, 3.0])), 2)
