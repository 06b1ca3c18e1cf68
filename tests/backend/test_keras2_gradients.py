"""`K.gradients` (tf-keras 2): symbolic gradients evaluated with `K.function`, checked against
`jax.grad` of the same model and against finite differences."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import neokeras as keras
from neokeras import backend as K

X = np.random.default_rng(0).normal(size=(3, 4)).astype("float32")


def _model():
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(6, activation="tanh"),
                             keras.layers.Dense(3, activation="softmax")])


def _class_score(model, x):
    return jnp.mean(model(x)[:, 1])


def test_saliency_program_matches_jax_grad_and_finite_differences():
    model = _model()
    loss = K.mean(model.output[:, 1])
    grads = K.gradients(loss, model.input)[0]
    normalized = grads / (K.sqrt(K.mean(K.square(grads))) + 1e-5)
    loss_value, raw, scaled = K.function([model.input], [loss, grads, normalized])([X])
    expected = np.asarray(jax.grad(lambda x: _class_score(model, x))(X))
    np.testing.assert_allclose(raw, expected, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(scaled, expected / (np.sqrt(np.mean(expected ** 2)) + 1e-5),
                               rtol=1e-5, atol=1e-6)
    assert np.isclose(loss_value, float(_class_score(model, X)))
    eps, numeric = 1e-2, np.zeros_like(X)
    for index in np.ndindex(X.shape):
        step = np.zeros_like(X)
        step[index] = eps
        numeric[index] = (_class_score(model, X + step) - _class_score(model, X - step)) / (2 * eps)
    np.testing.assert_allclose(raw, numeric, atol=2e-4)


def test_gradients_of_weights_and_of_an_intermediate_output():
    model = _model()
    loss = K.sum(K.square(model.output))
    hidden = model.layers[0].output
    targets = [hidden] + model.trainable_weights
    values = K.function([model.input], K.gradients(loss, targets))([X])

    def loss_of(weights, x):
        out, _ = model.stateless_call(weights, [], x)
        return jnp.sum(out ** 2)

    weights = [v.value for v in model.trainable_weights]
    for got, want in zip(values[1:], jax.grad(loss_of)(weights, X)):
        np.testing.assert_allclose(got, np.asarray(want), rtol=1e-5, atol=1e-6)
    head = model.layers[1]
    h = np.asarray(model.layers[0](X))
    want_hidden = jax.grad(lambda h: jnp.sum(head(h) ** 2))(h)
    np.testing.assert_allclose(values[0], np.asarray(want_hidden), rtol=1e-5, atol=1e-6)
    assert values[0].shape == (3, 6)


def test_placeholders_unconnected_entries_and_losses_list():
    a = K.placeholder(shape=(None, 3))
    b = K.placeholder(shape=(None, 3))
    unused = K.placeholder(shape=(None, 3))
    grads = K.gradients([K.sum(a * b), K.sum(a)], [a, b, unused])
    assert grads[2] is None
    values = K.function([a, b], grads[:2])([np.full((2, 3), 2.0, "float32"),
                                             np.full((2, 3), 5.0, "float32")])
    np.testing.assert_allclose(values[0], np.full((2, 3), 6.0))
    np.testing.assert_allclose(values[1], np.full((2, 3), 2.0))
    assert K.gradients(K.sum(a), [unused]) == [None]
    ids = K.placeholder(shape=(None, 2), dtype="int32")
    embedded = keras.layers.Embedding(5, 3)(ids)
    grads = K.gradients(K.sum(embedded), [ids, embedded])
    assert grads[0] is None
    np.testing.assert_allclose(K.function([ids], grads[1:])([np.array([[1, 2]])])[0],
                               np.ones((1, 2, 3)))


def test_gradient_ascent_loop_increases_the_score():
    model = _model()
    loss = K.mean(model.output[:, 0])
    step = K.function([model.input], [loss] + K.gradients(loss, model.input))
    x, scores = X.copy(), []
    for _ in range(5):
        score, grad = step([x])
        scores.append(float(score))
        x = x + 0.5 * grad / (np.abs(grad).mean() + 1e-7)
    assert scores[-1] > scores[0]


@pytest.mark.parametrize("loss, variables, error", [
    (lambda: np.ones(3), lambda m: m.input, "`loss` must be a symbolic tensor"),
    (lambda: None, lambda m: [np.ones(3)], "symbolic tensor or a Variable"),
])
def test_bad_arguments_raise(loss, variables, error):
    model = _model()
    value = loss() if loss() is not None else K.mean(model.output)
    with pytest.raises(ValueError, match=error):
        K.gradients(value, variables(model))
