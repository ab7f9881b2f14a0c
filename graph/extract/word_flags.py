"""Token patterns whose word tests run in spaCy's compiled code: word lists and regular expressions as lexeme flags.

spaCy's ``Matcher`` checks a word list (``{"LOWER": {"IN": [...]}}``) or a regular expression
(``{"TEXT": {"REGEX": ...}}``) by calling Python for every token the pattern is tried on; a pattern's
first token is tried on every token of the doc, so the entity rules made tens of such calls per token
(about half of the matcher's time). Both tests only read the word itself (its text, or its lower
case), so they are the same for every occurrence of a word: computed once per word as a lexeme flag
(``Vocab.add_flag``), they become plain bit tests, and the matcher finds exactly the same matches in
the same order.

``add_patterns`` adds patterns to a ``Matcher``: they are validated as written, then added with their
word tests turned into flags. Tests on anything that can
differ between occurrences of a word (part of speech, entity type, norm) are left as they are, and so
is every test once the vocabulary's free flags are used up.
"""
from __future__ import annotations

import re
from typing import Any

from spacy.attrs import LOWER
from spacy.errors import MatchPatternError
from spacy.matcher import Matcher
from spacy.schemas import validate_token_pattern
from spacy.vocab import Vocab

# Flags 1-18 are spaCy's own (IS_ALPHA … IS_CURRENCY; 13 is a retired one, still not ours); 19-63 are free.
_FREE_FLAGS = range(19, 64)
# Token attributes a flag can stand for: read from the lexeme, the same for every occurrence of a word.
_WORD_ATTRS = {"TEXT": "ORTH", "ORTH": "ORTH", "LOWER": "LOWER"}
_OPERATORS = ("IN", "NOT_IN", "REGEX")


class WordTest:
    """A lexeme flag getter: whether a word (its text, or its lower case) is in a list, or matches a regex.

    Called with a word's text, as spaCy does for every word of the vocabulary and every new word.
    """

    def __init__(self, attr: str, operator: str, value: Any, lower: Any) -> None:
        self.attr, self.operator, self._lower = attr, operator, lower
        self.key = (attr, operator, value if operator == "REGEX" else tuple(sorted(value)))
        self._regex = re.compile(value) if operator == "REGEX" else None
        self._words = frozenset(value) if operator != "REGEX" else frozenset()

    def __call__(self, text: str) -> bool:
        word = self._lower(text) if self.attr == "LOWER" else text
        if self._regex is not None:
            return bool(self._regex.search(word))  # as the Matcher's REGEX test: search, not match
        return (word in self._words) == (self.operator == "IN")


def _flag(vocab: Vocab, attr: str, operator: str, value: Any) -> int | None:
    """The flag of this word test in ``vocab`` (added on first use); None when no flag is free."""
    test = WordTest(attr, operator, value, vocab.lex_attr_getters[LOWER])
    for flag, getter in vocab.lex_attr_getters.items():
        if isinstance(getter, WordTest) and getter.key == test.key:
            return flag
    free = next((flag for flag in _FREE_FLAGS if flag not in vocab.lex_attr_getters), None)
    return None if free is None else vocab.add_flag(test, free)


def _convertible(attr: Any, value: Any) -> bool:
    return (isinstance(attr, str) and attr.upper() in _WORD_ATTRS and isinstance(value, dict) and bool(value)
            and all(op in _OPERATORS for op in value)
            and all(isinstance(v, str) for op, arg in value.items() for v in ([arg] if op == "REGEX" else arg)))


def with_word_flags(vocab: Vocab, pattern: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``pattern`` with each word-list and regex test on a word's text or lower case replaced by a flag test."""
    converted = []
    for spec in pattern:
        token: dict[Any, Any] = {}
        for attr, value in spec.items():
            if not _convertible(attr, value):
                token[attr] = value
                continue
            flags = {op: _flag(vocab, _WORD_ATTRS[attr.upper()], op, arg) for op, arg in value.items()}
            if any(flag is None for flag in flags.values()):
                token[attr] = value
            else:
                token.update({flag: True for flag in flags.values()})
        converted.append(token)
    return converted


def add_patterns(matcher: Matcher, key: str, patterns: list[list[dict[str, Any]]]) -> None:
    """``matcher.add(key, patterns)`` with the word tests as lexeme flags (validated as written, if ``matcher`` validates)."""
    validate = matcher.validate
    if validate:
        errors = {i: validate_token_pattern(pattern) for i, pattern in enumerate(patterns)}
        if any(errors.values()):
            raise MatchPatternError(key, errors)
    matcher.validate = False  # the schema knows no flag attributes
    try:
        matcher.add(key, [with_word_flags(matcher.vocab, pattern) for pattern in patterns])
    finally:
        matcher.validate = validate
