"""Bad inputs to ops fail early with an error that names the op and what it received, raised
from `neokeras.ops` itself rather than from deep inside JAX."""

import traceback

import numpy as np
import pytest

from neokeras import ops

X = np.ones((2, 3), "float32")

BAD_CALLS = [
    # (id, call, error type, text the message must contain)
    ("shape-mismatch", lambda: ops.add(X, np.ones((4,), "float32")), ValueError, "ops.add"),
    ("matmul-shapes", lambda: ops.matmul(X, X), (TypeError, ValueError), "ops.matmul"),
    ("concat-shapes", lambda: ops.concatenate([X, np.ones((2, 2, 2))]), (TypeError, ValueError),
     "ops.concatenate"),
    ("axis-out-of-range", lambda: ops.sum(X, axis=5), ValueError, "ops.sum"),
    ("softmax-axis", lambda: ops.softmax(X, axis=4), ValueError, "ops.softmax"),
    ("squeeze-non-unit", lambda: ops.squeeze(X, axis=0), ValueError, "ops.squeeze"),
    ("reshape-size", lambda: ops.reshape(X, (4, 2)), (TypeError, ValueError), "ops.reshape"),
    ("bitwise-on-floats", lambda: ops.bitwise_and(X, X), TypeError, "ops.bitwise_and"),
    ("ldexp-float-exponent", lambda: ops.ldexp(X, X), TypeError, "`x2` must have an integer"),
    ("stft-int-input", lambda: ops.stft(np.ones(16, "int32"), 4, 2, 4), TypeError, "ops.stft"),
    ("top_k-too-large", lambda: ops.top_k(X, 7), ValueError, "ops.top_k"),
    ("qr-mode", lambda: ops.qr(X, mode="economic"), ValueError, "mode"),
    ("inv-not-square", lambda: ops.inv(X), ValueError, "square matrices"),
    ("pad-values-with-reflect", lambda: ops.pad(X, 1, mode="reflect", constant_values=1),
     ValueError, "constant_values"),
    ("fft-not-a-pair", lambda: ops.fft(X), ValueError, "(real, imag)"),
    ("resize-interpolation", lambda: ops.image.resize(np.ones((4, 4, 3)), (2, 2),
                                                      interpolation="cubic"),
     ValueError, "interpolation"),
    ("resize-rank", lambda: ops.image.resize(np.ones((4, 4)), (2, 2)), ValueError, "rank 3"),
    ("crop-args", lambda: ops.image.crop_images(np.ones((4, 4, 3)), top_cropping=1),
     ValueError, "exactly two"),
    ("segment-ids-length", lambda: ops.segment_sum(X, np.array([0, 1, 1]), num_segments=2),
     ValueError, "segment_ids"),
    ("searchsorted-2d", lambda: ops.searchsorted(X, 0.5), ValueError, "1-D"),
    ("cross-entropy-shapes", lambda: ops.categorical_crossentropy(X, np.ones((2, 4))),
     ValueError, "same shape"),
    ("attention-rank", lambda: ops.dot_product_attention(X, X, X), ValueError, "4-D"),
]


@pytest.mark.parametrize("call,kind,text", [c[1:] for c in BAD_CALLS], ids=[c[0] for c in BAD_CALLS])
def test_bad_input_gets_a_clear_early_error(call, kind, text):
    with pytest.raises(kind) as info:
        call()
    assert text in str(info.value)
    frames = traceback.extract_tb(info.value.__traceback__)
    assert not any("/jax/_src/" in frame.filename for frame in frames), \
        "the error surfaced from inside JAX:\n" + "".join(traceback.format_list(frames))
    assert info.value.__suppress_context__ or info.value.__context__ is None


def test_messages_describe_the_received_arguments():
    with pytest.raises(ValueError) as info:
        ops.add(X, np.ones((4,), "float32"))
    assert "tensor(shape=(2, 3), dtype=float32)" in str(info.value)
    assert "tensor(shape=(4,), dtype=float32)" in str(info.value)
