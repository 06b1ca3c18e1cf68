"""`preprocessing.text` against tf-keras 2.21 outputs (tools/gen_preprocessing_fixtures.py)."""

import json
import pathlib

import numpy as np
import pytest

from neokeras.preprocessing import text

FIXTURES = json.loads((pathlib.Path(__file__).parent / "data" / "text.json").read_text())
TEXTS, NEW_TEXTS = FIXTURES["texts"], FIXTURES["new_texts"]


@pytest.mark.parametrize("case", FIXTURES["tokenizers"], ids=lambda c: json.dumps(c["kwargs"]))
def test_tokenizer_matches_tf_keras(case):
    tok = text.Tokenizer(**case["kwargs"])
    tok.fit_on_texts(TEXTS)
    assert tok.word_index == case["word_index"]
    assert [list(p) for p in tok.word_counts.items()] == case["word_counts"]
    assert tok.document_count == case["document_count"]
    assert {str(k): v for k, v in tok.index_docs.items()} == case["index_docs"]
    seqs = tok.texts_to_sequences(NEW_TEXTS + TEXTS)
    assert seqs == case["sequences"]
    assert tok.sequences_to_texts(seqs) == case["texts"]
    for mode, expected in case["matrices"].items():
        np.testing.assert_allclose(tok.texts_to_matrix(NEW_TEXTS + TEXTS, mode=mode), expected,
                                   rtol=1e-12)
    assert sorted(json.loads(tok.to_json())["config"]) == case["config_keys"]


@pytest.mark.parametrize("case", FIXTURES["tokenizers"], ids=lambda c: json.dumps(c["kwargs"]))
def test_tokenizer_from_tf_keras_json(case):
    tok = text.tokenizer_from_json(case["json"])
    assert tok.word_index == case["word_index"]
    assert tok.texts_to_sequences(NEW_TEXTS + TEXTS) == case["sequences"]
    again = text.tokenizer_from_json(tok.to_json())
    np.testing.assert_allclose(again.texts_to_matrix(NEW_TEXTS, "tfidf"),
                               case["matrices"]["tfidf"][:len(NEW_TEXTS)])


@pytest.mark.parametrize("case", FIXTURES["word_sequences"], ids=lambda c: json.dumps(c["kwargs"]))
def test_text_to_word_sequence(case):
    assert [text.text_to_word_sequence(t, **case["kwargs"]) for t in TEXTS] == case["words"]


@pytest.mark.parametrize("case", FIXTURES["hashing"], ids=lambda c: str(c["n"]))
def test_hashing_trick_md5(case):
    assert [text.hashing_trick(t, case["n"], hash_function="md5") for t in TEXTS] == case["md5"]


def test_one_hot_is_hash_mod():
    words = text.text_to_word_sequence(TEXTS[0])
    assert text.one_hot(TEXTS[0], 7) == [hash(w) % 6 + 1 for w in words]
    assert text.hashing_trick("a b", 5, hash_function=len) == [2, 2]


def test_fit_on_sequences_and_errors():
    tok = text.Tokenizer(num_words=4)
    tok.fit_on_sequences([[1, 2, 2], [3]])
    assert tok.document_count == 2 and dict(tok.index_docs) == {1: 1, 2: 1, 3: 1}
    np.testing.assert_allclose(tok.sequences_to_matrix([[1, 2, 2]], "count"), [[0, 1, 2, 0]])
    with pytest.raises(ValueError, match="mode"):
        tok.sequences_to_matrix([[1]], mode="bogus")
    with pytest.raises(ValueError, match="num_words"):
        text.Tokenizer().texts_to_matrix(["a"])
    with pytest.raises(ValueError, match="tfidf"):
        text.Tokenizer(num_words=3).sequences_to_matrix([[1]], mode="tfidf")
    with pytest.raises(TypeError, match="bogus"):
        text.Tokenizer(bogus=1)
    with pytest.warns(DeprecationWarning, match="nb_words"):
        assert text.Tokenizer(nb_words=3).num_words == 3
