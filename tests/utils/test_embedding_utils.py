"""warmstart_embedding_matrix keeps the rows of known terms."""

import numpy as np
import pytest

from neokeras import utils


def test_known_rows_are_kept(tmp_path):
    base = np.arange(12, dtype="float32").reshape(4, 3)
    vocab_file = tmp_path / "vocab.txt"
    vocab_file.write_text("a\nb\nc\nd\n")
    out = utils.warmstart_embedding_matrix(str(vocab_file), ["d", "x", "a", "y"], base,
                                           new_embeddings_initializer="zeros")
    np.testing.assert_array_equal(out, [base[3], np.zeros(3), base[0], np.zeros(3)])
    assert out.dtype == np.float32


def test_errors(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        utils.warmstart_embedding_matrix(str(tmp_path / "nope"), ["a"], np.zeros((1, 2)))
    with pytest.raises(ValueError, match="one row per base term"):
        utils.warmstart_embedding_matrix(["a", "b"], ["a"], np.zeros((3, 2)))
    with pytest.raises(ValueError, match="empty"):
        utils.warmstart_embedding_matrix([], ["a"], np.zeros((0, 2)))
