"""`Distiller` against real Keras 3.15.1: the same teacher, student, weights and data give the
same histories, evaluations and trained student."""

import numpy as np
import pytest

import neokeras

RNG = np.random.default_rng(0)
X = RNG.standard_normal((16, 4)).astype("float32")
Y = RNG.integers(0, 3, 16)


def _models(k):
    teacher = k.Sequential([k.Input((4,)), k.layers.Dense(8, activation="relu", name="h"),
                            k.layers.Dense(3)])
    student = k.Sequential([k.Input((4,)), k.layers.Dense(8, name="h"), k.layers.Dense(3)])
    for model, seed in ((teacher, 1), (student, 2)):
        rng = np.random.default_rng(seed)
        model.set_weights([rng.standard_normal(w.shape).astype("float32") * 0.5
                           for w in model.get_weights()])
    return teacher, student


CASES = {
    "logits_and_features": (lambda k: [k.distillation.LogitsDistillation(2.0),
                                       k.distillation.FeatureDistillation("mse", "h", "h")],
                            [1.0, 0.5], 0.5),
    "kl_instance": (lambda k: k.distillation.LogitsDistillation(
        3.0, loss=k.losses.KLDivergence()), None, 0.3),
    "final_features_only": (lambda k: k.distillation.FeatureDistillation(
        loss="cosine_similarity"), None, 0.0),
}


def _distill(k, case):
    make, weights, student_weight = CASES[case]
    teacher, student = _models(k)
    teacher_weights = teacher.get_weights()
    distiller = k.distillation.Distiller(teacher, student, make(k), weights,
                                         student_loss_weight=student_weight)
    distiller.compile(k.optimizers.SGD(0.05), "sparse_categorical_crossentropy",
                      metrics=["accuracy"])
    history = distiller.fit(X, Y, batch_size=8, epochs=2, shuffle=False, verbose=0).history
    evaluated = distiller.evaluate(X, Y, verbose=0, return_dict=True)
    for a, b in zip(teacher.get_weights(), teacher_weights):
        np.testing.assert_array_equal(a, b)  # the teacher is frozen
    return history, evaluated, student.get_weights(), np.asarray(distiller.predict(X, verbose=0))


@pytest.mark.parametrize("case", list(CASES))
def test_distillation_fit_matches_keras(case):
    keras = pytest.importorskip("keras")
    ours, theirs = _distill(neokeras, case), _distill(keras, case)
    assert set(ours[0]) == set(theirs[0]) == {
        "loss", "accuracy", "student_loss", "distillation_loss", "total_loss"}
    for key in theirs[0]:
        np.testing.assert_allclose(ours[0][key], theirs[0][key], rtol=1e-5, atol=1e-6)
        assert ours[1][key] == pytest.approx(theirs[1][key], rel=1e-5, abs=1e-6)
    for a, b in zip(ours[2], theirs[2]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ours[3], np.asarray(theirs[3]), rtol=1e-5, atol=1e-6)


def test_config_round_trips_and_calls_the_student():
    teacher, student = _models(neokeras)
    d = neokeras.distillation
    distiller = d.Distiller(teacher, student, [d.LogitsDistillation(2.0),
                                               d.FeatureDistillation("mse", "h", "h")],
                            [1.0, 0.25], student_loss_weight=0.7)
    np.testing.assert_allclose(np.asarray(distiller(X)), np.asarray(student(X)))
    config = distiller.get_config()
    assert set(config) == {"name", "trainable", "dtype", "teacher", "student",
                           "distillation_losses", "distillation_loss_weights",
                           "student_loss_weight"}
    again = d.Distiller.from_config(config)
    assert again.distillation_loss_weights == [1.0, 0.25] and again.student_loss_weight == 0.7
    assert [type(loss).__name__ for loss in again.distillation_losses] == [
        "LogitsDistillation", "FeatureDistillation"]
    again.student.set_weights(student.get_weights())
    np.testing.assert_allclose(np.asarray(again(X)), np.asarray(student(X)), rtol=1e-6)


@pytest.mark.parametrize("change, message", [
    (lambda t, s, d: d.Distiller(t, "student", d.LogitsDistillation()), "student must be"),
    (lambda t, s, d: d.Distiller(t, s, None), "cannot be None"),
    (lambda t, s, d: d.Distiller(t, s, [d.LogitsDistillation()], [1.0, 2.0]), "one each"),
    (lambda t, s, d: d.Distiller(t, s, d.LogitsDistillation(), student_loss_weight=1.5),
     r"\[0, 1\]"),
    (lambda t, s, d: d.Distiller(t, s, d.FeatureDistillation("mse", "nope", "h")),
     "In teacher model"),
    (lambda t, s, d: d.Distiller(
        t, neokeras.Sequential([neokeras.Input((5,)), neokeras.layers.Dense(3)]),
        d.LogitsDistillation()), "input shapes are incompatible"),
])
def test_bad_setups_are_named(change, message):
    teacher, student = _models(neokeras)
    with pytest.raises(ValueError, match=message):
        change(teacher, student, neokeras.distillation)


def test_compile_needs_the_student_loss():
    teacher, student = _models(neokeras)
    distiller = neokeras.distillation.Distiller(
        teacher, student, neokeras.distillation.LogitsDistillation())
    with pytest.raises(ValueError, match="cannot be None"):
        distiller.compile("sgd")
