"""Theme signals: which sentences speak about which theme of the scheme, and which themes a paper is about.

The signal vocabulary is data (``ontology/theme_patterns.toml``, keyed by the theme's notation); this
module holds only the general rules: how phrases match, when a sentence counts for a theme, and when a
paper's attention to a theme is substantial enough to say the paper has it.
"""
from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ..model import HEADING, Evidence, KeyPhrase, PaperExtraction, Statement, ThemeAssignment, ThemeSignal
from ..resources import ontology_path
from .entities import SentenceEvidence

COMPONENT = "policykg_themes"
STRONG_SPANS = "policykg_themes"
WEAK_SPANS = "policykg_themes_weak"
PATTERNS_FILE = "theme_patterns.toml"

# When a paper has a theme: a section heading about it, a recommendation about it, or this many
# sentences about it. One passing sentence is not enough.
MIN_SENTENCES = 3
# A sentence counts for a theme with one strong phrase, or this many different weak ones.
MIN_WEAK_TERMS = 2
# Extra weight of a heading or a recommendation over a plain sentence: they show deliberate attention.
HEADING_WEIGHT = 3.0
RECOMMENDATION_WEIGHT = 2.0
# A theme is central to a paper when it has this much weight and this share of the paper's theme weight.
CENTRAL_WEIGHT = 6.0
CENTRAL_SHARE = 0.04


@dataclass(frozen=True)
class ThemePatterns:
    """Signal phrases per theme notation: strong ones count alone, weak ones only together."""

    strong: dict[str, tuple[str, ...]]
    weak: dict[str, tuple[str, ...]]

    @property
    def themes(self) -> list[str]:
        return sorted(set(self.strong) | set(self.weak))


class ThemePatternError(ValueError):
    """The patterns file is malformed; the message names the file and the cause."""


def load_theme_patterns(path: Path | None = None) -> ThemePatterns:
    """Read the patterns file (default: the bundled ``theme_patterns.toml``)."""
    path = path or ontology_path(PATTERNS_FILE)
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ThemePatternError(f"{path}: cannot read theme patterns: {error}") from error
    strong: dict[str, tuple[str, ...]] = {}
    weak: dict[str, tuple[str, ...]] = {}
    for code, entry in table.items():
        if not isinstance(entry, dict) or not set(entry) <= {"strong", "weak"}:
            raise ThemePatternError(f"{path}: [{code}] must hold only `strong` and `weak` lists of phrases")
        for name, target in (("strong", strong), ("weak", weak)):
            phrases = entry.get(name, [])
            if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
                raise ThemePatternError(f"{path}: [{code}] {name} must be a list of non-empty strings")
            target[code] = tuple(phrases)
    return ThemePatterns(strong, weak)


def _is_acronym(phrase: str) -> bool:
    # "US", "EV", "SME", "R&D": written in capitals, so matched case-sensitively ("us" is a pronoun).
    letters = [ch for ch in phrase if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters) and len(phrase) <= 6


def _plural(word: str) -> str:
    if word.isupper():
        return word + "s"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    return word + "s"


def phrase_variants(phrase: str) -> list[str]:
    """The phrase as written and with its last word in the plural."""
    head, _, last = phrase.rpartition(" ")
    if not last[-1:].isalpha():
        return [phrase]
    plural = f"{head} {_plural(last)}" if head else _plural(last)
    return [phrase, plural]


class ThemeTagger:
    """spaCy component: marks signal phrases of every theme in ``doc.spans`` (labels are theme notations)."""

    def __init__(self, nlp: Language, patterns: ThemePatterns) -> None:
        self.patterns = patterns
        self.by_case = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.by_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        for strength, table in (("strong", patterns.strong), ("weak", patterns.weak)):
            for code, phrases in table.items():
                cased, lowered = [], []
                for phrase in phrases:
                    if _is_acronym(phrase):
                        cased.extend(nlp.make_doc(variant) for variant in phrase_variants(phrase))
                    else:
                        lowered.extend(nlp.make_doc(variant.lower()) for variant in phrase_variants(phrase))
                key = f"{code}|{strength}"
                if cased:
                    self.by_case.add(key, cased)
                if lowered:
                    self.by_lower.add(key, lowered)

    def __call__(self, doc: Doc) -> Doc:
        strong: list[Span] = []
        weak: list[Span] = []
        for matcher in (self.by_case, self.by_lower):
            for match_id, start, end in matcher(doc):
                code, strength = doc.vocab.strings[match_id].split("|")
                (strong if strength == "strong" else weak).append(Span(doc, start, end, label=code))
        # A weak word inside a strong phrase of the same theme ("factory" in "smart factory") is not a second signal.
        covered = {(span.label_, i) for span in strong for i in range(span.start, span.end)}
        weak = [span for span in weak if (span.label_, span.start) not in covered]
        doc.spans[STRONG_SPANS] = sorted(strong, key=lambda s: (s.start, s.end, s.label_))
        doc.spans[WEAK_SPANS] = sorted(weak, key=lambda s: (s.start, s.end, s.label_))
        return doc


@Language.factory(COMPONENT, default_config={"patterns_path": None})
def make_theme_tagger(nlp: Language, name: str, patterns_path: str | None) -> ThemeTagger:
    return ThemeTagger(nlp, load_theme_patterns(Path(patterns_path) if patterns_path else None))


def _sentence_of(span: Span) -> Span:
    return span.sent if span.doc.has_annotation("SENT_START") else span.doc[:]


def theme_signals_in(
    doc: Doc, paper_id: str, offset: int, *, page: int | None = None, kind: str | None = None, section: str | None = None
) -> list[ThemeSignal]:
    """Sentences of one block's doc that signal a theme; ``offset`` is where the block starts in the paper text."""
    found: dict[tuple[int, str], tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    sentences: dict[int, Span] = {}
    for group, index in ((STRONG_SPANS, 0), (WEAK_SPANS, 1)):
        for span in doc.spans.get(group, []):
            sentence = _sentence_of(span)
            sentences[sentence.start] = sentence
            found[(sentence.start, span.label_)][index].add(span.text)
    signals = []
    for (start, code), (strong, weak) in sorted(found.items()):
        if not strong and len({w.lower() for w in weak}) < MIN_WEAK_TERMS:
            continue
        sentence = sentences[start]
        evidence = Evidence(paper_id, offset + sentence.start_char, offset + sentence.end_char, sentence.text, page)
        signals.append(ThemeSignal(code, tuple(sorted(strong | weak)), evidence, kind == HEADING, section))
    return signals


def _overlaps(a: Evidence, b: Evidence) -> bool:
    return a.paper_id == b.paper_id and a.start < b.end and b.start < a.end


def statement_themes(statement: Statement, signals: list[ThemeSignal]) -> list[str]:
    """Themes signalled inside the statement's own words."""
    return sorted({s.theme for s in signals if not s.heading and _overlaps(s.evidence, statement.evidence)})


def assign_themes(extraction: PaperExtraction) -> list[ThemeAssignment]:
    """The themes the paper gives substantial attention to: a section, a recommendation or several sentences."""
    by_theme: dict[str, list[ThemeSignal]] = defaultdict(list)
    for signal in extraction.theme_signals:
        by_theme[signal.theme].append(signal)
    recommended: dict[str, int] = defaultdict(int)
    for statement in extraction.statements:
        if statement.kind == "Recommendation":
            for code in statement.themes:
                recommended[code] += 1
    assignments = []
    for code, signals in sorted(by_theme.items()):
        evidence = {s.evidence.start: s.evidence for s in signals}
        headings = sum(1 for s in signals if s.heading)
        sentences = len(evidence) - headings
        reasons = []
        if headings:
            reasons.append("section")
        if recommended[code]:
            reasons.append("recommendation")
        if sentences >= MIN_SENTENCES:
            reasons.append("sentences")
        # A heading or a recommendation alone could still be a passing word: ask for one more sentence.
        if not reasons or sentences < 2:
            continue
        weight = sentences + HEADING_WEIGHT * headings + RECOMMENDATION_WEIGHT * recommended[code]
        ordered = tuple(evidence[start] for start in sorted(evidence))
        assignments.append(ThemeAssignment(extraction.paper.id, code, weight, sentences, tuple(reasons), ordered))
    total = sum(a.weight for a in assignments)
    return [
        replace(a, central=a.weight >= CENTRAL_WEIGHT and a.weight >= CENTRAL_SHARE * total) for a in assignments
    ]


def tag_themes(extraction: PaperExtraction) -> None:
    """Roll sentence signals up: themes of each statement, then themes of the paper."""
    for statement in extraction.statements:
        statement.themes = statement_themes(statement, extraction.theme_signals)
    extraction.themes = assign_themes(extraction)


_DROP_TAGS = {"DT", "PRP", "PRP$", "WDT", "WP", "WP$", "CD", "PDT", "POS", "EX"}
STOPLIST_FILE = "keyphrase_stoplist.txt"


@lru_cache(maxsize=1)
def keyphrase_stoplist() -> frozenset[str]:
    """Words that make a noun chunk a figure of speech rather than a topic (data: ``keyphrase_stoplist.txt``)."""
    lines = ontology_path(STOPLIST_FILE).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def key_phrases_in(doc: Doc, paper_id: str, offset: int, page: int | None = None) -> list[KeyPhrase]:
    """Noun chunks of two or more content words, normalised so different wordings of one idea share a key."""
    phrases: list[KeyPhrase] = []
    if not doc.has_annotation("DEP"):
        return phrases
    stoplist = keyphrase_stoplist()
    doc_text = doc.text  # spaCy joins every token's text on each access: once per block, not per chunk
    evidence_of = SentenceEvidence(doc, paper_id, offset, page)
    for chunk in doc.noun_chunks:
        words = [t for t in chunk if t.tag_ not in _DROP_TAGS and not t.is_punct and not t.is_stop and t.is_alpha]
        if len(words) < 2:
            continue
        normal = [t.lower_ for t in words]
        last = words[-1]
        if last.tag_ == "NNS" and normal[-1].endswith("s") and not normal[-1].endswith("ss"):
            normal[-1] = re.sub(r"ies$", "y", normal[-1]) if normal[-1].endswith("ies") else normal[-1][:-1]
        if stoplist & set(normal) or all(t.pos_ == "PROPN" for t in words):
            continue  # a figure of speech, or a name: not a topic
        text = doc_text[words[0].idx : last.idx + len(last)]
        phrases.append(KeyPhrase(" ".join(normal), text, evidence_of(chunk)))
    return phrases
