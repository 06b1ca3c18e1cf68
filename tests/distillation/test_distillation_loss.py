"""Distillation losses against real Keras 3.15.1 on the same outputs, and their errors."""

import numpy as np
import pytest

import neokeras

RNG = np.random.default_rng(0)
TEACHER = RNG.standard_normal((5, 4)).astype("float32")
STUDENT = RNG.standard_normal((5, 4)).astype("float32")


def _cases(k):
    d = k.distillation
    return {
        "logits_default": (d.LogitsDistillation(), TEACHER, STUDENT),
        "logits_kl_instance": (d.LogitsDistillation(4.0, loss=k.losses.KLDivergence()),
                               TEACHER, STUDENT),
        "logits_cce": (d.LogitsDistillation(2.0, loss=k.losses.CategoricalCrossentropy(
            from_logits=True)), TEACHER, STUDENT),
        "logits_multi_output": (d.LogitsDistillation(2.0, loss=["mse", None]),
                                [TEACHER, TEACHER * 2], [STUDENT, STUDENT * 3]),
        "feature_mse": (d.FeatureDistillation(), TEACHER, STUDENT),
        "feature_cosine": (d.FeatureDistillation(loss="cosine_similarity"), TEACHER, STUDENT),
        "feature_dict": (d.FeatureDistillation(loss={"a": "mae", "b": "mse"}),
                         {"a": TEACHER, "b": STUDENT}, {"a": STUDENT, "b": TEACHER}),
    }


@pytest.mark.parametrize("case", list(_cases(neokeras)))
def test_loss_values_match_keras(case):
    keras = pytest.importorskip("keras")
    ours, theirs = _cases(neokeras)[case], _cases(keras)[case]
    got = ours[0].compute_loss(ours[1], ours[2])
    want = theirs[0].compute_loss(theirs[1], theirs[2])
    assert np.shape(got) == ()
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-6)


def test_config_round_trips():
    d = neokeras.distillation
    for loss in (d.LogitsDistillation(2.5, loss="categorical_crossentropy"),
                 d.FeatureDistillation("mae", "h1", "h2")):
        again = type(loss).from_config(loss.get_config())
        assert again.get_config() == loss.get_config()
        np.testing.assert_allclose(np.asarray(again.compute_loss(TEACHER, STUDENT)),
                                   np.asarray(loss.compute_loss(TEACHER, STUDENT)))


@pytest.mark.parametrize("make, message", [
    (lambda d: d.LogitsDistillation(temperature=0), "temperature must be positive"),
    (lambda d: d.LogitsDistillation(temperature="3"), "temperature must be a number"),
    (lambda d: d.LogitsDistillation(loss=[None, None]), "at least one loss"),
    (lambda d: d.FeatureDistillation(loss=None), "at least one loss"),
    (lambda d: d.FeatureDistillation(loss="no_such_loss"), "no_such_loss"),
])
def test_bad_arguments_are_named(make, message):
    with pytest.raises(ValueError, match=message):
        make(neokeras.distillation)


def test_structure_mismatches_are_reported():
    d = neokeras.distillation
    with pytest.raises(ValueError):
        d.LogitsDistillation().validate_outputs([TEACHER, TEACHER], STUDENT)
    with pytest.raises(ValueError, match="structure of `loss`"):
        d.FeatureDistillation(loss=["mse", "mae"]).validate_outputs(TEACHER, STUDENT)


def test_base_class_needs_compute_loss():
    with pytest.raises(NotImplementedError, match="compute_loss"):
        neokeras.distillation.DistillationLoss().compute_loss(TEACHER, STUDENT)
