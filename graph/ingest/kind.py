"""Recognise what kind of document a text is: a compiled volume, a news report, or one paper.

A compiled volume has a contents table listing at least two papers. A report quotes several
speakers ("…," said Jane Doe; according to ACME): each statement belongs to its speaker, not to one
contributor. Anything else is a single paper. Metadata ``kind`` overrides the recognition.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache

from ..resources import ontology_path
from .volume import find_contents, parse_contents

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

VOLUME, REPORT, PAPER = "volume", "report", "paper"
_NAME_WORD = r"[A-Z][\w'’&.-]*"
_NAME = rf"{_NAME_WORD}(?:[ \t]+(?:(?:of|de|van|von|der|la|le|and|&)[ \t]+)?{_NAME_WORD}){{0,5}}"
# A quoted passage on one line. (No nested repetition: an unclosed quote must not make matching exponential.)
_QUOTED = re.compile(r"[“\"]([^”\"\n]*)[”\"]")
_MIN_QUOTED_WORDS = 5  # fewer words are a scare-quoted term, not someone's words


@dataclass(frozen=True)
class _Cues:
    after_name: re.Pattern[str]
    before_name: re.Pattern[str]
    not_speakers: frozenset[str]
    min_speakers: int


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    data = tomllib.loads(ontology_path("report_cues.toml").read_text(encoding="utf-8"))
    verbs = "|".join(re.escape(v) for v in sorted(data["speech_verbs"], key=len, reverse=True))
    prefixes = "|".join(re.escape(p) for p in data["attribution_prefixes"])
    # "Jane Doe said", "Jane Doe, head of research at ACME, said"
    after = re.compile(rf"(?<![\w’'])({_NAME})(?:,[^,.\n“”\"]{{1,90}},)?[ \t]+(?:{verbs})\b")
    # "said Jane Doe", "according to ACME"
    before = re.compile(rf"(?:\b(?:{verbs})|(?i:\b(?:{prefixes})))[ \t]+({_NAME})")
    return _Cues(after, before, frozenset(data["not_speakers"]), int(data["min_speakers"]))


def speakers(text: str) -> set[str]:
    """Distinct speakers a text attributes statements to, each by the last word of its name."""
    cues = _cues()
    found: set[str] = set()
    for pattern in (cues.after_name, cues.before_name):
        for match in pattern.finditer(text):
            words = [w for w in match.group(1).split() if w not in cues.not_speakers]
            if words:
                found.add(words[-1].strip(".,’'").lower())
    return found


def is_volume(lines: list[str]) -> bool:
    heading = find_contents(lines)
    if heading is None:
        return False
    entries, _ = parse_contents(lines, heading)
    return len(entries) >= 2


def document_kind(text: str, declared: str | None = None) -> str:
    """"volume", "report" or "paper" (``declared`` from metadata wins)."""
    if declared:
        return declared
    if is_volume(text.split("\n")):
        return VOLUME
    quotes_someone = any(len(match.group(1).split()) >= _MIN_QUOTED_WORDS for match in _QUOTED.finditer(text))
    if quotes_someone and len(speakers(text)) >= _cues().min_speakers:
        return REPORT
    return PAPER
