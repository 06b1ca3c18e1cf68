"""get_source_inputs walks the functional graph back to the Inputs."""

import numpy as np

from neokeras import Input, layers, utils


def test_get_source_inputs():
    a, b = Input((3,)), Input((3,))
    shared = layers.Dense(2)
    out = layers.Add()([shared(a), shared(b)])
    out = layers.Dense(1)(layers.Concatenate()([out, a]))
    sources = utils.get_source_inputs(out)
    assert len(sources) == 2 and sources[0] is a and sources[1] is b
    assert utils.get_source_inputs(a) == [a]
    assert utils.is_keras_tensor(out) and not utils.is_keras_tensor(np.ones(2))
    array = np.ones(2)
    assert utils.get_source_inputs(array) is array
