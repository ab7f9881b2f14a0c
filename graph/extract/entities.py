"""Entity mentions: statistical NER plus policykg's rule layers, with the model's known failure modes filtered.

The component ``policykg_entities`` (registered in ``pipeline.py``) runs after ``ner``. It adds spans found
by rules loaded from ``ontology/gazetteer/`` (well-known policies, policy-title patterns, government bodies,
zone and district names), keeps the statistical entities that do not clash with them and pass the filters
(acronyms of technologies as countries, section headings as organisations …), and puts technology and
industry terms in ``doc.spans["pkg_terms"]``. ``mentions_in`` turns a processed doc into ``Mention`` records.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..model import FOOTNOTE, HEADING, Block, Evidence, Mention, Paper
from ..resources import ontology_path
from .policies import PolicyGazetteer, policy_patterns, policy_spans

TERMS_KEY = "pkg_terms"
# spaCy label → ontology class. DATE, MONEY, NORP … are not entities of the graph; FAC is only a place
# when a place rule says so (the model uses it for factories, corridors and buildings alike).
LABEL_CLASSES = {
    "ORG": "Organization",
    "GPE": "Place",
    "LOC": "Place",
    "PERSON": "Person",
    "POLICY": "Policy",
    "PLACE": "Place",
    "GOV_ORG": "Organization",
}
# Rule spans win over statistical ones; among rules, a gazetteer hit wins over a general pattern.
_PRIORITY = {"POLICY_GAZ": 0, "POLICY": 1, "GOV_ORG": 2, "PLACE": 2}
_STRIP = " \"'“”‘’()*:;,."
_QUOTE_MARKS = re.compile(r"[\"“”‘*«»]|(?<!\w)’|’(?!\w)|(?<!\w)'|'(?!\w)")
_SOURCE = re.compile(r"\bSources?:\s*\*?([A-Z][^()\[\],;*<>:]{1,60}?)\*?\s*(?:[(\[,;<]|$)")
_CITED_TITLE = re.compile(r"《[^》]*》|“[^”]*”|\"[^\"\n]*\"")
_URL = re.compile(r"<?https?://\S+|www\.\S+|\[link\]\([^)]*\)")
_LIST_ITEM_LABEL = re.compile(r"[ \t]*(?:\([^()\n]{1,24}\)[ \t]*)?:")
_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&*.+\-]{1,11}(?: \d+(?:\.\d+)*)?$")


@dataclass(frozen=True)
class EntityRules:
    """The data in ``ontology/gazetteer/entity_rules.json`` as sets, lower case unless noted."""

    not_entities: frozenset[str]  # exact surface forms, case-sensitive ("AI", "IoT", "Introduction")
    not_place_words: frozenset[str]
    org_false_heads: frozenset[str]
    org_heads: frozenset[str]
    government_words: frozenset[str]
    place_suffixes: tuple[tuple[str, ...], ...]
    generic_corporate_words: frozenset[str]
    person_titles: frozenset[str]
    company_nouns: frozenset[str]
    product_list_heads: frozenset[str]
    government_qualifiers: tuple[str, ...]
    legal_suffixes: frozenset[str]
    raw: dict

    @classmethod
    def load(cls, path: str = "gazetteer/entity_rules.json") -> EntityRules:
        data = json.loads(ontology_path(path).read_text(encoding="utf-8"))
        return cls(
            not_entities=frozenset(data["not_entities"]),
            not_place_words=frozenset(data["not_place_words"]),
            org_false_heads=frozenset(data["org_false_heads"]),
            org_heads=frozenset(data["org_heads"]),
            government_words=frozenset(data["government_words"]),
            place_suffixes=tuple(tuple(words) for words in data["place_suffix_patterns"]),
            generic_corporate_words=frozenset(data["generic_corporate_words"]),
            person_titles=frozenset(data["person_titles"]),
            company_nouns=frozenset(data["company_nouns"]),
            product_list_heads=frozenset(data["product_list_heads"]),
            government_qualifiers=tuple(data["government_qualifiers"]),
            legal_suffixes=frozenset(data["legal_suffixes"]),
            raw=data,
        )


@cache
def entity_rules() -> EntityRules:
    return EntityRules.load()


def _load_terms(path: str = "gazetteer/technologies.json") -> dict[str, list[str]]:
    data = json.loads(ontology_path(path).read_text(encoding="utf-8"))
    return {kind: terms for kind, terms in data.items() if not kind.startswith("_")}


def _plural(term: str) -> str:
    last = term.rsplit(" ", 1)[-1]
    if last.isupper() or last[-1:] in "s0123456789":
        return term
    return term[:-1] + "ies" if last.endswith("y") and last[-2:-1] not in "aeiou" else term + "s"


class EntityComponent:
    """Rule layers over the statistical NER: policies, government bodies, zones, filters and terms."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.rules = entity_rules()
        self.gazetteer = PolicyGazetteer.load()
        vocab = nlp.vocab
        self.policy_phrases = PhraseMatcher(vocab, attr="ORTH")
        self.policy_phrases_any_case = PhraseMatcher(vocab, attr="LOWER")
        for matcher, lower_case in ((self.policy_phrases, False), (self.policy_phrases_any_case, True)):
            for key, surfaces in self.gazetteer.surface_forms(lower_case=lower_case).items():
                matcher.add(key, [nlp.make_doc(text) for text in surfaces])
        self.matcher = Matcher(vocab)
        for label, patterns in policy_patterns(self.rules.raw).items():
            self.matcher.add(label, patterns)
        self.matcher.add("GOV_ORG", self._government_patterns())
        self.matcher.add("PLACE", self._place_patterns())
        # "technology company Xyz", "partner XYZ": a proper name right after a company noun
        self.matcher.add("ORG_CUE", [[{"LOWER": {"IN": sorted(self.rules.company_nouns)}}, {"POS": "PROPN", "OP": "+"}]])
        self.terms = PhraseMatcher(vocab, attr="LOWER")
        for kind, terms in _load_terms().items():
            self.terms.add(kind, [nlp.make_doc(text) for term in terms for text in {term, _plural(term)}])

    def _government_patterns(self) -> list[list[dict]]:
        words = sorted(self.rules.government_words)
        qualifiers = list(self.rules.government_qualifiers)
        tail = [{"LOWER": {"IN": qualifiers}, "OP": "*"}, {"LOWER": {"IN": words}}]
        # "the Northport municipal government's Human Resources and Social Security Department": one body
        department = [
            {"ORTH": {"IN": ["'s", "’s"]}},
            {"IS_TITLE": True, "OP": "+"},
            {"LOWER": {"IN": ["and", "&"]}, "OP": "?"},
            {"IS_TITLE": True, "OP": "*"},
            {"LOWER": {"IN": words}},
        ]
        return [
            [{"ENT_TYPE": {"IN": ["GPE", "NORP", "LOC"]}, "OP": "+"}, *tail],
            [{"POS": "PROPN", "LOWER": {"NOT_IN": words}, "OP": "+"}, *tail],
            [{"ENT_TYPE": {"IN": ["GPE", "NORP", "LOC"]}, "OP": "+"}, *tail, *department],
            [{"POS": "PROPN", "LOWER": {"NOT_IN": words}, "OP": "+"}, *tail, *department],
        ]

    def _place_patterns(self) -> list[list[dict]]:
        patterns = []
        for suffix in self.rules.place_suffixes:
            tail = [{"LOWER": word, "IS_TITLE": True} if word.isalpha() else {"TEXT": word} for word in suffix]
            patterns.append([{"IS_TITLE": True, "IS_SENT_START": False, "OP": "+"}, *tail])
        return patterns

    def __call__(self, doc: Doc) -> Doc:
        rule_spans: list[tuple[int, Span]] = []
        for match_id, start, end in [*self.policy_phrases(doc), *self.policy_phrases_any_case(doc)]:
            span = Span(doc, start, end, label="POLICY", kb_id=doc.vocab.strings[match_id])
            rule_spans.append((_PRIORITY["POLICY_GAZ"], span))
        matches = self.matcher(doc)
        for span in policy_spans(doc, matches, self.rules.raw, self.gazetteer):
            rule_spans.append((_PRIORITY["POLICY_GAZ" if span.kb_id_ else "POLICY"], span))
        for match_id, start, end in matches:
            label = doc.vocab.strings[match_id]
            if label in ("GOV_ORG", "PLACE"):
                span = _trim(Span(doc, start, end, label=label))
                if label == "GOV_ORG" and span is not None and doc[span.end - 2].text == "-":
                    continue  # "Multi-department working groups": a compound word, not a body
                if span is not None:
                    rule_spans.append((_PRIORITY[label], span))
        chosen = _pick(rule_spans)
        taken = {i for span in chosen for i in range(span.start, span.end)}
        for ent in doc.ents:
            if taken.intersection(range(ent.start, ent.end)):
                continue
            kept = self._filtered(ent)
            if kept is not None:
                chosen.append(kept)
        chosen = self._with_organisation_cues(doc, chosen, matches)
        chosen = _with_acronyms(doc, [_closed_bracket(span) for span in chosen])
        doc.ents = sorted(filter_spans(chosen), key=lambda span: span.start)
        ent_tokens = {i for ent in doc.ents if ent.label_ in LABEL_CLASSES for i in range(ent.start, ent.end)}
        doc.spans[TERMS_KEY] = [
            Span(doc, start, end, label=match_id)
            for match_id, start, end in filter_spans_ids(self.terms(doc))
            if not ent_tokens.intersection(range(start, end))
        ]
        return doc

    def _with_organisation_cues(self, doc: Doc, spans: list[Span], matches: list[tuple[int, int, int]]) -> list[Span]:
        """Names the text itself calls companies are organisations, and so are their other mentions in the block.

        "technology company Xyz", "our partner XYZ" (a company noun right before the name) and
        "Xyz, France's largest telecom operator" (a company noun in apposition) overrule the model's
        PERSON or GPE; a name after a company noun that the model missed becomes an organisation.
        """
        cue = doc.vocab.strings["ORG_CUE"]
        ends: dict[int, int] = {}
        for match_id, start, end in matches:
            if match_id == cue:
                ends[start + 1] = max(ends.get(start + 1, end), end)
        by_token = {i: span for span in spans for i in range(span.start, span.end)}
        found: list[tuple[int, int]] = []
        for start, end in ends.items():
            overlapping = {id(by_token[i]): by_token[i] for i in range(start, end) if i in by_token}.values()
            if any(span.label_ not in ("PERSON", "ORG") for span in overlapping):
                continue  # a place or policy after "partner" stays what the rules or the model found
            found.append((min([start, *(s.start for s in overlapping)]), max([end, *(s.end for s in overlapping)])))
        found.extend((span.start, span.end) for span in spans
                     if span.label_ in ("PERSON", "GPE", "ORG") and self._company_in_apposition(span))
        cued = [self._filtered(Span(doc, start, end, label="ORG")) for start, end in found]  # "partner Brightex®"
        cued = [span for span in cued if span is not None]
        if not cued:
            return spans
        names = {span.text for span in cued}
        taken = {i for span in cued for i in range(span.start, span.end)}
        kept = [span for span in spans if taken.isdisjoint(range(span.start, span.end))]
        relabelled = [
            Span(doc, span.start, span.end, label="ORG") if span.label_ in ("PERSON", "GPE") and span.text in names else span
            for span in kept
        ]
        return [*relabelled, *cued]

    def _company_in_apposition(self, ent: Span) -> bool:
        """ "Xyz, a telecom operator": the name's apposition is a company noun."""
        return any(child.dep_ == "appos" and child.lower_ in self.rules.company_nouns for child in ent.root.children)

    def _coordinated_with_a_company(self, ent: Span) -> bool:
        """ "between Harbour Retail and Dingdong Limited": a name joined by "and" to a name with a legal suffix."""
        if ent.start and ent.doc[ent.start - 1].lower_ in self.rules.person_titles:
            return False  # "President Jean Dupont and Acme Limited": a person after all
        root = ent.root
        partners = [root.head] if root.dep_ == "conj" else []
        partners += [child for child in root.children if child.dep_ == "conj"]
        return any(partner.lower_ in self.rules.legal_suffixes and partner.ent_type_ for partner in partners)

    def _named_as_a_thing(self, ent: Span) -> bool:
        """The name is given to something that is not a body.

        "Xyz, an initiative under …" (apposition), "products including Xyz, Abc" and "models like Xyz"
        (a list under a product word), "an engine known as Xyz" (a name given to a thing).
        """
        rules = self.rules
        if any(child.dep_ == "appos" and child.lower_ in rules.org_false_heads and child.lower_ not in rules.org_heads
               for child in ent.root.children):
            return True
        token = ent.root
        while token.dep_ in ("conj", "nmod", "compound") and token.head.pos_ == "PROPN" and token.head is not token:
            token = token.head
        if token.dep_ == "pobj" and token.head.lower_ in ("including", "like", "as"):
            if token.head.head.lower_ in rules.product_list_heads:
                return True
        doc = ent.doc
        before = [t.lower_ for t in doc[max(ent.start - 2, 0) : ent.start]]
        cue_length = 2 if before == ["known", "as"] else int(before[-1:] in (["called"], ["named"], ["dubbed"]))
        if not cue_length:
            return False
        cue_start = ent.start - cue_length
        noun = next((t for t in reversed(doc[max(cue_start - 3, 0) : cue_start]) if not t.is_punct), None)
        return noun is not None and noun.lower_ in rules.org_false_heads

    def _modifies_a_common_noun(self, ent: Span) -> bool:
        """ "FC-CSP and ABF substrates", "SMART technology system": a name used as a modifier of a thing."""
        token = ent.root
        while token.dep_ == "conj" and token.head.i < token.i:
            token = token.head
        head = token.head
        return (
            token.dep_ in ("compound", "amod", "nmod")
            and head.i >= ent.end
            and head.is_alpha
            and head.is_lower
            and head.lower_ not in self.rules.company_nouns
            # "Acme (Northport)'s use of robots": a possessive between them makes the name the owner
            and not any(t.tag_ == "POS" for t in ent.doc[ent.end : head.i])
        )

    def _filtered(self, ent: Span) -> Span | None:
        """The statistical entity if it is plausible, trimmed; None for the model's known failure modes."""
        label = ent.label_
        if label not in ("ORG", "GPE", "LOC", "PERSON", "FAC"):
            return ent
        ent = _trim(ent)
        if ent is None:
            return None
        text = ent.text
        words = [t for t in ent if not t.is_punct]
        if text in self.rules.not_entities or all(t.text in self.rules.not_entities for t in words):
            return None
        if ent.end < len(ent.doc) and ent.doc[ent.end].text == ":" and ent.start - ent.sent.start <= 3:
            return None  # "Breakthrough: …", "Smart Park Development: …": the label of a list item
        if ":" in text or "\n" in text or "/" in text or "www." in text or not text[:1].isupper() and not text[:1].isdigit():
            return None
        if label in ("GPE", "LOC"):
            if text.lower() in self.rules.not_place_words or len(words) > 4 or re.search(r"[^\w\s.'’-]", text):
                return None
        if label == "FAC":
            return None
        if label == "ORG":
            head = words[-1].lower_ if words else ""
            has_org_head = any(t.lower_ in self.rules.org_heads for t in words)
            if head in self.rules.org_false_heads and not has_org_head:
                return None
            if head in self.rules.org_false_heads and head not in self.rules.org_heads:
                # "Central Committee Study Session", "Widget Forum Annual Meeting": the body, not its event
                last_head = max(t.i for t in words if t.lower_ in self.rules.org_heads)
                ent = Span(ent.doc, ent.start, last_head + 1, label=ent.label)
                words = [t for t in ent if not t.is_punct]
            if not has_org_head and len(words) >= 2 and _labels_list_item(ent):
                return None  # "Customized Visualization Interface (CVI): helps …": a product or feature named as a list item
            # "Sustainable Manufacturing Chongqing's": a run of title-case words with no organisation head
            # and ending in a possessive is a heading fragment, not a name.
            if words and words[-1].text in ("'s", "’s"):
                return None
            if words and words[0].lower_ in self.rules.legal_suffixes:
                return None  # "Limited Northport Office": the tail of a name the model cut in two
            if not has_org_head and (self._modifies_a_common_noun(ent) or self._named_as_a_thing(ent)):
                return None
            if ent.doc.text[ent.end_char : ent.end_char + 1] in ("®", "™"):
                return None  # "EcoWidget™ platform": a trademark is a product
        if label in ("ORG", "PERSON") and len(words) >= 3 and words[0].lower_ in self.rules.person_titles:
            # "CFO Laurent Martinez": a job title before a name is a person, whatever the model says
            rest = next(i for i, t in enumerate(ent) if t.lower_ not in self.rules.person_titles and not t.is_punct)
            return Span(ent.doc, ent.start + rest, ent.end, label="PERSON")
        if label == "ORG" and len(words) == 1 and words[0].tag_ in ("JJ", "VB", "VBG", "RB"):
            return None  # "Vocational", "Supporting": a capitalised word, not a name
        if re.search(r"[®™]", text) or label == "ORG" and "+" in text:
            return None  # a registered product name ("Brightex®") or a slogan ("AI + Harbours"), not a body
        if label == "ORG" and words and words[0].tag_ == "VB":
            return None  # "Focus on Chongqing": an imperative at the start of a list item
        if label == "PERSON":
            # The small model calls many companies and products people ("Vexa Group", "Zeta X9",
            # "Leverage Acme’s"): a name is capitalised words, with no digits, capitals-only
            # acronyms, possessives, leading verb or organisation head.
            if words and words[-1].lower_ in self.rules.org_heads | self.rules.generic_corporate_words:
                return Span(ent.doc, ent.start, ent.end, label="ORG")
            if self._coordinated_with_a_company(ent):
                return Span(ent.doc, ent.start, ent.end, label="ORG")
            if any(t.like_num or (t.is_upper and len(t) > 1) or t.text in ("'s", "’s") or "’" in t.text
                   for t in ent) or (words and words[0].tag_ == "VB"):
                return None
        return ent


def _closed_bracket(span: Span) -> Span:
    """ "Northport Land (NPL" with the closing bracket the model left out, when it holds an acronym."""
    doc = span.doc
    texts = [t.text for t in span]
    if (span.label_ == "ORG" and "(" in texts and ")" not in texts and span.end < len(doc) and doc[span.end].text == ")"
            and doc[span.end - 1].is_upper and doc[span.end - 1].text[:1] == span.text[:1]):
        return Span(doc, span.start, span.end + 1, label=span.label, kb_id=span.kb_id)
    return span


def _labels_list_item(ent: Span) -> bool:
    """The span is followed by a colon, directly or after a bracketed short name: "X:" or "X (XY):"."""
    return _LIST_ITEM_LABEL.match(ent.doc.text, ent.end_char) is not None


def filter_spans_ids(matches: Iterable[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Longest non-overlapping (match_id, start, end) triples."""
    result: list[tuple[int, int, int]] = []
    seen: set[int] = set()
    for match_id, start, end in sorted(matches, key=lambda m: (m[1] - m[2], m[1])):
        if seen.isdisjoint(range(start, end)):
            result.append((match_id, start, end))
            seen.update(range(start, end))
    return sorted(result, key=lambda m: m[1])


def _pick(spans: list[tuple[int, Span]]) -> list[Span]:
    """Non-overlapping spans, by priority then length."""
    chosen: list[Span] = []
    seen: set[int] = set()
    for _, span in sorted(spans, key=lambda item: (item[0], -len(item[1]), item[1].start)):
        if seen.isdisjoint(range(span.start, span.end)):
            chosen.append(span)
            seen.update(range(span.start, span.end))
    return chosen


def _trim(ent: Span) -> Span | None:
    """Drop a leading "the" and stray quotes or brackets at either end."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and (doc[start].lower_ == "the" or doc[start].text in _STRIP or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].text in _STRIP or doc[end - 1].is_space):
        end -= 1
    if start >= end:
        return None
    return Span(doc, start, end, label=ent.label, kb_id=ent.kb_id)


def _is_acronym_of(acronym: str, name: str) -> bool:
    """ "NTEC" of "Northport Turbine Engine Co., Ltd.": the acronym's letters follow the name's capitals."""
    letters = [ch for ch in acronym if ch.isalpha()]
    capitals = [ch for ch in name if ch.isupper()] or [w[0].upper() for w in name.split()]
    if not letters or letters[0].upper() != capitals[0]:
        return False
    found, index = 0, 0
    for letter in letters:
        while index < len(capitals) and capitals[index] != letter.upper():
            index += 1
        if index < len(capitals):
            found += 1
            index += 1
    return found >= 0.6 * len(letters)


def _with_acronyms(doc: Doc, spans: list[Span]) -> list[Span]:
    """Extend "Name (ACR)" entities over the bracketed acronym, so resolution learns it as an alias."""
    by_start = {span.start: span for span in spans}
    result = []
    dropped: set[int] = set()
    for span in sorted(spans, key=lambda s: s.start):
        if span.start in dropped:
            continue
        end = span.end
        if span.label_ in ("ORG", "POLICY", "GOV_ORG") and end + 2 < len(doc) and doc[end].text == "(":
            close = next((i for i in range(end + 1, min(end + 6, len(doc))) if doc[i].text == ")"), None)
            if close is not None:
                acronym = doc[end + 1 : close].text
                if _ACRONYM.match(acronym) and _is_acronym_of(acronym, span.text):
                    for inner in range(end + 1, close):
                        if inner in by_start:
                            dropped.add(inner)
                    span = Span(doc, span.start, close + 1, label=span.label, kb_id=span.kb_id)
        result.append(span)
    return [span for span in result if span.start not in dropped]


def sentence_evidence(span: Span, paper_id: str, offset: int, page: int | None = None) -> Evidence:
    """The sentence holding ``span``, as evidence with offsets into the paper text."""
    sentence = span.sent
    return Evidence(paper_id, offset + sentence.start_char, offset + sentence.end_char, sentence.text, page)


def mention_kind(span: Span) -> str | None:
    """The ontology class of an entity or term span, or None when it is not an entity of the graph."""
    if span.label_ in ("Technology", "Industry"):
        return span.label_
    kind = LABEL_CLASSES.get(span.label_)
    return kind


def mention_text(span: Span) -> str:
    """The surface form without emphasis marks, and but for policies without quotes.

    An apostrophe inside a word stays ("D’Arcy", "Mayor’s").
    """
    if span.label_ == "POLICY":
        # a policy keeps its quotes: "“4321” model" is how the paper names it, and resolution reads
        # the quoted part as the name
        text = span.text.replace("*", "")
    else:
        text = re.sub(r"(?<=\w)[’']s$", "", _QUOTE_MARKS.sub("", span.text))  # "Hong Kong’s" → "Hong Kong"
    return " ".join(text.split()).strip(" ,;:.")


def mentions_in(doc: Doc, paper_id: str, block: Block) -> list[Mention]:
    """Entity mentions in one block's doc; offsets are into the paper text.

    Headings are read for policies and places only: in title case the statistical model calls most
    headings an organisation.
    """
    mentions = []
    for span in [*doc.ents, *doc.spans.get(TERMS_KEY, [])]:
        kind = mention_kind(span)
        if kind is None:
            continue
        if block.kind == HEADING and not (kind == "Policy" or span.label_ == "PLACE"):
            continue  # title case makes the model see organisations and places in most headings
        if block.kind == HEADING and kind == "Policy" and not span.kb_id_ and not _QUOTE_MARKS.search(span.text):
            continue  # a capitalised heading ("I. Measures Taken …") looks like a title to the patterns
        text = mention_text(span)
        if len(text) < 2 or not any(ch.isalpha() for ch in text):
            continue
        mentions.append(Mention(text, kind, sentence_evidence(span, paper_id, block.start, block.page)))
    return mentions


def source_mentions(nlp: Language, papers: list[Paper], *, batch_size: int = 64) -> Iterator[tuple[int, list[Mention]]]:
    """Organisations named in footnotes ("Source: Chongqing Daily"): the sources a paper cites.

    Footnotes are short and never mixed into sentences; they are read apart from the prose, for
    organisations only, and yield (paper index, mentions).
    """
    blocks = (
        (paper.text[block.start : block.end], (index, block))
        for index, paper in enumerate(papers)
        for block in paper.blocks
        if block.kind == FOOTNOTE and re.search(r"[A-Za-z]{3}", _URL.sub("", paper.text[block.start : block.end]))
    )
    for doc, (index, block) in nlp.pipe(blocks, as_tuples=True, batch_size=batch_size):
        titles = [match.span() for match in _CITED_TITLE.finditer(doc.text)]
        found = [m for m in mentions_in(doc, papers[index].id, block)
                 if m.kind == "Organization" and not _only_in_titles(m.text, doc.text, titles)]
        source = _SOURCE.search(doc.text)
        if source and not any(m.text in source.group(1) or source.group(1) in m.text for m in found):
            # "Source: Northport Daily (link)": the cited publisher, whether or not the model knows it
            quote = doc.text.strip()
            start = block.start + doc.text.index(quote)
            evidence = Evidence(papers[index].id, start, start + len(quote), quote, block.page)
            found.append(Mention(source.group(1).strip(), "Organization", evidence))
        yield index, found


def _only_in_titles(name: str, text: str, titles: list[tuple[int, int]]) -> bool:
    """Every occurrence of ``name`` lies inside a quoted title: words of a cited report, not its publisher."""
    starts = [match.start() for match in re.finditer(re.escape(name), text)]
    return bool(starts) and all(any(a < start < b for a, b in titles) for start in starts)


def register_extensions() -> None:
    """Span extension naming the ontology class of an entity, for code that reads docs directly."""
    if not Span.has_extension("pkg_class"):
        Span.set_extension("pkg_class", getter=mention_kind)
