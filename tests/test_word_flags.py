"""Word tests as lexeme flags: the same matches, in the same order, as spaCy's own word-list and regex tests."""
from __future__ import annotations

import pytest
import spacy
from spacy.errors import MatchPatternError
from spacy.matcher import Matcher

from graph.extract.word_flags import WordTest, add_patterns, with_word_flags

TEXT = ("The Northport Municipal Government and the Velmora River Laboratory met partner ACME Corp., Ltd. in the "
        "town of Ikawa; the 14th Five-Year Plan and the “Haigang” action plan name 2025 goals, not 'Quoted Words'.")

PATTERNS = {
    "GOV": [[{"TEXT": {"REGEX": r"^[A-Z]"}, "LOWER": {"NOT_IN": ["government"]}, "OP": "+"},
             {"LOWER": {"IN": ["municipal", "city"]}, "OP": "*"}, {"LOWER": {"IN": ["government", "ministry"]}}]],
    "CUE": [[{"LOWER": {"IN": ["partner", "company"]}, "IS_LOWER": True}, {"IS_TITLE": True, "OP": "+"}]],
    "LEGAL": [[{"TEXT": {"REGEX": r"^[A-Z]"}}, {"TEXT": {"REGEX": r"^(?:[A-Z&]|\d+$)"}, "OP": "*"},
               {"ORTH": ",", "OP": "?"}, {"LOWER": {"IN": ["corp.", "ltd."]}}, {"ORTH": ",", "OP": "?"},
               {"LOWER": {"IN": ["corp.", "ltd."]}, "OP": "?"}]],
    "QUOTED": [[{"TEXT": {"IN": ["“", "'"]}}, {"TEXT": {"NOT_IN": ["”", "'", "\n"]}, "OP": "+"},
                {"TEXT": {"IN": ["”", "'"]}}]],
    "ORDINAL": [[{"TEXT": {"REGEX": r"^\d+(st|nd|rd|th)$"}}, {"LOWER": "five"}, {"TEXT": "-", "OP": "?"},
                 {"LOWER": "year"}, {"LOWER": {"IN": ["plan", "plans"]}}]],
    "TOKEN_LEVEL": [[{"POS": {"IN": ["PROPN"]}, "OP": "+"}, {"LOWER": "laboratory"}]],
}


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


def test_same_matches_in_the_same_order(nlp) -> None:
    plain, flagged = Matcher(nlp.vocab), Matcher(nlp.vocab)
    for key, patterns in PATTERNS.items():
        plain.add(key, patterns)
        add_patterns(flagged, key, patterns)
    doc = nlp(TEXT)
    for token in doc:
        token.pos_ = "PROPN" if token.is_title else "NOUN"
    assert plain(doc)
    assert flagged(doc) == plain(doc)
    # words first seen after the flags were added get them too
    later = nlp("The Westshore City Government hired partner Zyxwv Co., Ltd.")
    assert flagged(later) == plain(later)


def test_word_tests_become_flags_and_are_shared(nlp) -> None:
    converted = with_word_flags(nlp.vocab, PATTERNS["GOV"][0])
    again = with_word_flags(nlp.vocab, PATTERNS["GOV"][0])
    assert converted == again  # one flag per distinct test
    assert all(isinstance(attr, int) or attr == "OP" for spec in converted for attr in spec)
    token_level = with_word_flags(nlp.vocab, PATTERNS["TOKEN_LEVEL"][0])
    assert token_level[0]["POS"] == {"IN": ["PROPN"]}  # a part of speech differs between occurrences: left as is
    tests = [getter for getter in nlp.vocab.lex_attr_getters.values() if isinstance(getter, WordTest)]
    assert len({test.key for test in tests}) == len(tests)


def test_patterns_are_validated_as_written(nlp) -> None:
    with pytest.raises(MatchPatternError):
        add_patterns(Matcher(nlp.vocab), "BAD", [[{"LOWER": {"IN": ["a"]}, "NOT_AN_ATTRIBUTE": True}]])
    matcher = Matcher(nlp.vocab)
    add_patterns(matcher, "OK", [[{"LOWER": {"IN": ["a"]}}]])
    assert matcher.validate  # restored after adding


def test_the_pipelines_word_tests_all_fit_in_the_free_flags() -> None:
    # once the free flags run out, the remaining word tests fall back to a Python call per token (the build got
    # ~1 s slower when the policy patterns of one session used the last ones): a free flag must be left
    from graph.extract import load_pipeline
    from graph.extract.word_flags import _FREE_FLAGS, WordTest

    vocab = load_pipeline().vocab
    used = [flag for flag, getter in vocab.lex_attr_getters.items() if isinstance(getter, WordTest)]
    assert len(used) < len(_FREE_FLAGS), f"{len(used)} of {len(_FREE_FLAGS)} lexeme flags used"
