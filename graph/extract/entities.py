"""Entity mentions: statistical NER plus policykg's rule layers, with the model's known failure modes filtered.

The component ``policykg_entities`` (registered in ``pipeline.py``) runs after ``ner``. It adds spans found
by rules loaded from ``ontology/gazetteer/`` (well-known policies, organisations and products, policy-title
patterns, government bodies, zone and district names), keeps the statistical entities that do not clash with them and pass the filters
(acronyms of technologies as countries, section headings as organisations …), and puts technology and
industry terms in ``doc.spans["pkg_terms"]``. ``mentions_in`` turns a processed doc into ``Mention`` records.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from ..model import CAPTION, FOOTNOTE, HEADING, SUPERSCRIPT_DIGITS, TABLE, Block, Evidence, Mention, Paper
from ..resources import ontology_path
from .known_names import known_names
from .policies import PolicyGazetteer, gazetteer_title, policy_patterns, policy_spans
from .word_flags import add_patterns

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
# Rule spans win over statistical ones; among rules, a gazetteer hit wins over a general pattern, and a
# well-known organisation over a product named after it ("IBM" of "IBM Watson").
_PRIORITY = {"POLICY_GAZ": 0, "POLICY": 1, "GOV_ORG": 2, "PLACE": 2, "ORG_KNOWN": 2, "PRODUCT_KNOWN": 3}
_MIN_TABLE_TITLE_WORDS = 4  # "Smart Port Strategy" in a table row is a label; "Widget Industry Development Plan" a title
# The label of a listed product: no class of the graph, and no cue makes it an organisation.
PRODUCT_LABEL = "PRODUCT_KNOWN"
_STRIP = " \"'“”‘’()*:;,."
# Footnote markers printed as superscript digits ("⁵ Ministry of …", "circulation³"): never part of a name
_FOOTNOTE_MARKER = re.compile(rf"^[{SUPERSCRIPT_DIGITS}]+$")
_QUOTE_MARKS = re.compile(r"[\"“”‘*«»]|(?<!\w)’|’(?!\w)|(?<!\w)'|'(?!\w)")
_SOURCE_LABEL = re.compile(r"\b(?:Data\s+)?Sources?:\s*")
_SOURCE_LINE = re.compile(r"\W*(?:Data\s+)?Sources?:", re.IGNORECASE)
# "Note: forecasts from the Widget Institute": a figure's note names a source as its source line does
_NOTE_LINE = re.compile(r"\W*(?:(?:Data\s+)?Sources?|Notes?):", re.IGNORECASE)
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b\.?")
# "2025", "March 2025", "July 14", "14 July 2025": the date that closes a citation
_DATE_FIELD = re.compile(rf"(?:(?:\d{{1,2}}\s+)?{_MONTH}(?:\s+\d{{1,2}})?(?:\s+\d{{4}})?|(?:19|20)\d\d)\b")
_NAME_CONNECTORS = frozenset({"of", "for", "and", "the", "in", "on", "&", "de", "du", "für"})
_POSSESSIVES = ("'s", "’s")
# "… autonomous emergency braking (AEB)": lower-case words, then the acronym in brackets
_ACRONYM_AFTER = re.compile(r"((?:\b[a-z][a-z-]*\s+){1,6})\(([A-Z][A-Z0-9]{1,6})\)")
# "- APC = advanced process control", "DCS: distributed control system": a glossary line
_GLOSSARY_LINE = re.compile(r"(?m)^[ \t]*(?:[-*•][ \t]+)?([A-Z][A-Z0-9]{1,6})[ \t]*(?:=|:|–|—)[ \t]*([a-z][a-z -]+)$")
_ITALIC_FIELD = re.compile(r"^\*[^*]+\*$")
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
    org_list_nouns: frozenset[str]
    partnership_words: frozenset[str]
    corporate_titles: frozenset[str]
    source_verbs: frozenset[str]
    source_nouns: frozenset[str]
    document_words: frozenset[str]
    org_part_words: frozenset[str]
    company_name_tails: frozenset[str]
    place_list_nouns: frozenset[str]
    geographic_heads: frozenset[str]
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
            org_list_nouns=frozenset(data["org_list_nouns"]),
            partnership_words=frozenset(data["partnership_words"]),
            corporate_titles=frozenset(data["corporate_titles"]),
            source_verbs=frozenset(data["source_verbs"]),
            source_nouns=frozenset(data["source_nouns"]),
            document_words=frozenset(data["document_words"]),
            org_part_words=frozenset(data["org_part_words"]),
            company_name_tails=frozenset(data["company_name_tails"]),
            place_list_nouns=frozenset(data["place_list_nouns"]),
            geographic_heads=frozenset(data["geographic_heads"]),
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
        # last words only a company's name ends in ("Vexa Group", "Boxwell Industrial")
        self.company_ends = self.rules.org_heads | self.rules.generic_corporate_words | self.rules.company_name_tails
        vocab = nlp.vocab
        self.policy_phrases = PhraseMatcher(vocab, attr="ORTH")
        self.policy_phrases_any_case = PhraseMatcher(vocab, attr="LOWER")
        for matcher, lower_case in ((self.policy_phrases, False), (self.policy_phrases_any_case, True)):
            for key, surfaces in self.gazetteer.surface_forms(lower_case=lower_case).items():
                matcher.add(key, [nlp.make_doc(text) for text in surfaces])
        # well-known organisations, each under its canonical name, and products, written as listed
        self.known_names = PhraseMatcher(vocab, attr="ORTH")
        names = known_names()
        for name, surfaces in names.organisation_forms().items():
            self.known_names.add(name, [nlp.make_doc(text) for text in surfaces])
        self.known_names.add(PRODUCT_LABEL, [nlp.make_doc(text) for text in names.product_forms()])
        self.matcher = Matcher(vocab)
        for label, patterns in policy_patterns(self.rules.raw).items():
            add_patterns(self.matcher, label, patterns)
        add_patterns(self.matcher, "GOV_ORG", self._government_patterns())
        add_patterns(self.matcher, "PLACE", self._place_patterns())
        # "technology company Xyz", "partner XYZ": a proper name right after a company noun
        add_patterns(self.matcher, "ORG_CUE", [[{"LOWER": {"IN": sorted(self.rules.company_nouns)}, "IS_LOWER": True},
                                                {"POS": "PROPN", "OP": "+"}]])
        # "Velmora River Laboratory", "Northport Industry Association of Widget Makers": capitalised words ending
        # in an organisation head noun name a body whether or not the model saw one
        name_word = {"POS": "PROPN", "TEXT": {"REGEX": r"^[A-Z]"}}
        head = {"LOWER": {"IN": sorted(self.rules.org_heads - self.rules.legal_suffixes - self.rules.government_words)},
                "IS_TITLE": True}
        add_patterns(self.matcher, "ORG_HEAD", [
            [{**name_word, "OP": "+"}, head],
            [{**name_word, "OP": "+"}, head, {"LOWER": "of"}, {**name_word, "OP": "+"}],
            [{**name_word, "OP": "+"}, head, {"LOWER": "of"}, {**name_word, "OP": "+"}, {"LOWER": {"IN": ["and", "&"]}},
             {**name_word, "OP": "+"}],
        ])
        # "Bellwide 24, Inc.", "Northport Turbine Engine Co., Ltd.": a name closed by a legal suffix is a company
        legal = {"LOWER": {"IN": sorted(self.rules.legal_suffixes)}}
        # ("Acme Vision (Northport) Co., Ltd.": a bracketed place inside the name)
        add_patterns(self.matcher, "ORG_LEGAL", [[name_word, {"TEXT": {"REGEX": r"^(?:[A-Z&]|\d+$)"}, "OP": "*"},
                                                  {"ORTH": ",", "OP": "?"}, legal, {"ORTH": ",", "OP": "?"}, {**legal, "OP": "?"}],
                                                 [name_word, {"TEXT": {"REGEX": r"^(?:[A-Z&]|\d+$)"}, "OP": "*"},
                                                  {"ORTH": "("}, {"IS_TITLE": True}, {"ORTH": ")"},
                                                  {"ORTH": ",", "OP": "?"}, legal, {"ORTH": ",", "OP": "?"}, {**legal, "OP": "?"}]])
        # "the town of Ikawa": a lower-case place noun and "of" before a name make the name a place
        add_patterns(self.matcher, "PLACE_OF", [[{"LOWER": {"IN": sorted(self.rules.raw["place_of_nouns"])}, "IS_LOWER": True},
                                                 {"LOWER": "of"}, {"POS": "PROPN", "IS_TITLE": True, "OP": "+"}]])
        self.terms = PhraseMatcher(vocab, attr="LOWER")
        for kind, terms in _load_terms().items():
            self.terms.add(kind, [nlp.make_doc(text) for term in terms for text in {term, _plural(term)}])

    def _government_patterns(self) -> list[list[dict]]:
        words = sorted(self.rules.government_words)
        qualifiers = list(self.rules.government_qualifiers)
        tail = [{"LOWER": {"IN": qualifiers}, "OP": "*"}, {"LOWER": {"IN": words}}]
        # the tagger calls a footnote marker before a body ("⁵ Ministry of …") a proper noun: it is not a name's word
        name = {"POS": "PROPN", "LOWER": {"NOT_IN": words}, "TEXT": {"REGEX": rf"^(?![{SUPERSCRIPT_DIGITS}]+$)"}, "OP": "+"}
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
            [name, *tail],
            [{"ENT_TYPE": {"IN": ["GPE", "NORP", "LOC"]}, "OP": "+"}, *tail, *department],
            [name, *tail, *department],
        ]

    def _place_patterns(self) -> list[list[dict]]:
        """Title-case names ending in a place suffix ("Lingang New Area"), or in a lower-case administrative noun.

        Suffixes that differ only in their first word share one pattern ("Science Park", "Technology Park"):
        the matcher tries every pattern at every token, and one pattern per suffix was most of its time. The
        matches are the same; only their order among the other rules' matches moves, which no rule reads
        (``_pick`` could only tell a place from a body of the same extent, and none ends in both a place
        suffix and a government word).
        """
        def word(text: str, case: dict) -> dict:
            return {"LOWER": text, **case} if text.isalpha() else {"TEXT": text}

        def any_of(words: list[str], case: dict) -> list[dict]:
            """One token test for the alphabetic words, one for each other."""
            alphabetic = list(dict.fromkeys(w for w in words if w.isalpha()))
            tests = [{"LOWER": alphabetic[0] if len(alphabetic) == 1 else {"IN": alphabetic}, **case}] if alphabetic else []
            return tests + [{"TEXT": w} for w in dict.fromkeys(words) if not w.isalpha()]

        patterns = []
        name = {"IS_TITLE": True, "IS_SENT_START": False, "OP": "+"}
        first_words: dict[tuple[str, ...], list[str]] = {}  # the rest of a suffix → its first words
        for suffix in self.rules.place_suffixes:
            first_words.setdefault(tuple(suffix[1:]), []).append(suffix[0])
        for rest, firsts in first_words.items():
            for first in any_of(firsts, {"IS_TITLE": True}):
                patterns.append([name, first, *(word(w, {"IS_TITLE": True}) for w in rest)])
        # "Ehime prefecture", "Guangdong province": an administrative noun in lower case after a proper name
        for noun in any_of(list(self.rules.raw["lower_case_place_suffixes"]), {"IS_LOWER": True}):
            patterns.append([{"POS": "PROPN", "IS_TITLE": True, "IS_SENT_START": False, "OP": "+"}, noun])
        return patterns

    def __call__(self, doc: Doc) -> Doc:
        rule_spans: list[tuple[int, Span]] = []
        for _, start, end in [*self.policy_phrases(doc), *self.policy_phrases_any_case(doc)]:
            span = gazetteer_title(doc, start, end, self.gazetteer)
            rule_spans.append((_PRIORITY["POLICY_GAZ" if span.kb_id_ else "POLICY"], span))
        known = [(doc.vocab.strings[match_id], start, end) for match_id, start, end in self.known_names(doc)]
        products = [Span(doc, start, end, label=PRODUCT_LABEL) for key, start, end in known
                    if key == PRODUCT_LABEL and not self._in_a_body_name(doc, start, end)]
        rule_spans.extend((_PRIORITY[PRODUCT_LABEL], span) for span in products)
        product_tokens = {i for span in products for i in range(span.start, span.end)}
        rule_spans.extend((_PRIORITY["ORG_KNOWN"], self._known_organisation(doc, start, end, key, product_tokens))
                          for key, start, end in known if key != PRODUCT_LABEL)
        matches = self.matcher(doc)
        for span in policy_spans(doc, matches, self.rules.raw, self.gazetteer):
            if span.kb_id_:  # a pattern found a well-known name ("14th Five-Year Plan"): it may open a longer title
                span = gazetteer_title(doc, span.start, span.end, self.gazetteer)
            rule_spans.append((_PRIORITY["POLICY_GAZ" if span.kb_id_ else "POLICY"], span))
        for match_id, start, end in matches:
            label = doc.vocab.strings[match_id]
            if label == "PLACE_OF":
                start, label = start + 2, "PLACE"  # the name after "town of"
            if label in ("GOV_ORG", "PLACE"):
                span = _trim(Span(doc, start, end, label=label))
                if label == "GOV_ORG" and span is not None and doc[span.end - 2].text == "-":
                    continue  # "Multi-department working groups": a compound word, not a body
                if span is not None:
                    rule_spans.append((_PRIORITY[label], span))
        if "\t" in doc.text:
            # a table row's cells are labels in title case ("AI Regulation", "Total Experience Strategy"): only a
            # well-known, quoted, numbered or long title there names a policy
            rule_spans = [(priority, span) for priority, span in rule_spans if span.label_ != "POLICY" or span.kb_id_
                          or _QUOTE_MARKS.search(span.text) or any(token.like_num for token in span)
                          or len(span.text.split()) >= _MIN_TABLE_TITLE_WORDS]
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

    def _in_a_body_name(self, doc: Doc, start: int, end: int) -> bool:
        """The model's organisation around the product ends in an organisation head noun: the product names a
        body ("Widgetor Innovation Center" holds the product "Widgetor")."""
        return any(ent.label_ == "ORG" and ent.start <= start and end <= ent.end and len(ent) > end - start
                   and ent[-1].lower_ in self.rules.org_heads for ent in doc.ents)

    def _known_organisation(self, doc: Doc, start: int, end: int, name: str, product_tokens: set[int]) -> Span:
        """The well-known organisation's span, or the model's longer name that opens or closes with it, names no
        listed product and passes the filters: an organisation ("Nanjing University School of Economics", not
        "IBM Watson") or a person ("Henri Nestlé"), whom resolution may still read as a joint venture."""
        for ent in doc.ents:
            if ent.label_ in ("ORG", "PERSON") and len(ent) > end - start and (ent.start == start or ent.end == end) \
                    and ent.start <= start and end <= ent.end and product_tokens.isdisjoint(range(ent.start, ent.end)):
                longer = self._filtered(ent)
                if longer is not None and longer.start <= start and end <= longer.end:
                    return longer  # no kb_id: in a heading, a longer name is as likely a title ("Acme Partnership Plans")
        return Span(doc, start, end, label="ORG", kb_id=name)

    def _with_organisation_cues(self, doc: Doc, spans: list[Span], matches: list[tuple[int, int, int]]) -> list[Span]:
        """Names the text itself calls organisations are organisations, and so are their other mentions in the block.

        Weak cues overrule only the model's PERSON (and widen its ORG): "technology company Xyz", "our
        partner XYZ" (a company noun right before the name) and "Xyz, France's largest telecom operator"
        (a company noun in apposition). Strong cues overrule its places and nationalities too: a name
        ending in an organisation head noun ("Velmora River Laboratory"), names listed under a plural
        company noun ("automakers including Xyz, Abc and Def"), a partner ("a collaboration with Xyz"), the
        employer of a named chief ("Xyz CEO Jane Doe") and a source that reports ("according to Xyz",
        "Xyz forecasts", "a Xyz survey"). A name the model missed becomes an organisation either way.
        """
        strings = doc.vocab.strings
        by_token = {i: span for span in spans for i in range(span.start, span.end)}
        found: list[tuple[int, int]] = []
        places: list[Span] = []
        for match_id, start, end in matches:
            if match_id == strings["ORG_CUE"]:
                found.extend(_widened(start + 1, end, by_token, ("PERSON", "ORG"), widen=True))
        heads = [Span(doc, start, end) for match_id, start, end in matches
                 if match_id in (strings["ORG_HEAD"], strings["ORG_LEGAL"])]
        for head in filter_spans(heads):
            found.extend(_widened(head.start, head.end, by_token, _OVERRULED, widen=True))
        for start, end, label in self._cued_names(doc):
            if label == "PLACE":
                # the model's places stay as they are
                places.extend(Span(doc, s, e, label="PLACE")
                              for s, e in _widened(start, end, by_token, ("PERSON", "ORG", "NORP", "PRODUCT"), widen=False))
            else:
                found.extend(_widened(start, end, by_token, _OVERRULED, widen=False))
        found.extend((span.start, span.end) for span in spans
                     if span.label_ in ("PERSON", "GPE", "ORG") and self._company_in_apposition(span))
        cued = [self._filtered(Span(doc, start, end, label="ORG"), cued=True) for start, end in found]  # "partner Brightex®"
        cued = filter_spans([span for span in cued if span is not None] + places)
        if not cued:
            return spans
        names = {span.text for span in cued if span.label_ == "ORG"}
        taken = {i for span in cued for i in range(span.start, span.end)}
        kept = [span for span in spans if taken.isdisjoint(range(span.start, span.end))]
        relabelled = [
            Span(doc, span.start, span.end, label="ORG") if span.label_ in ("PERSON", "GPE") and span.text in names else span
            for span in kept
        ]
        return [*relabelled, *cued]

    def _cued_names(self, doc: Doc) -> Iterator[tuple[int, int, str]]:
        """(start, end, label) of names the words around them make organisations (the strong cues but the head
        noun), or places ("cities such as Xyz and Abc")."""
        rules = self.rules
        for token in doc:
            lower = token.lower_
            if lower in ("including", "like") or lower == "as" and token.i and doc[token.i - 1].lower_ == "such":
                listed = self._listing_noun(token)
                if listed in rules.org_list_nouns:
                    yield from ((s, e, "ORG") for s, e in _name_list(doc, token.i + 1, rules.not_entities))
                elif listed in rules.place_list_nouns:
                    yield from ((s, e, "PLACE") for s, e in _name_list(doc, token.i + 1, rules.not_entities))
            elif lower == "with" and any(t.lower_ in rules.partnership_words for t in doc[max(token.i - 2, 0) : token.i]):
                yield from ((s, e, "ORG") for s, e in _name_list(doc, token.i + 1, rules.not_entities))
            elif lower in rules.corporate_titles and token.i and token.i + 1 < len(doc) and doc[token.i + 1].pos_ == "PROPN":
                start = token.i
                while start and doc[start - 1].pos_ == "PROPN" and doc[start - 1].lower_ not in rules.person_titles:
                    start -= 1
                if start < token.i:
                    yield start, token.i, "ORG"  # "Xyz CEO Jane Doe"
            elif token.pos_ == "PROPN" and token.text[:1].isupper() and token.text not in rules.not_entities:
                head = token.head
                reports = token.dep_ == "nsubj" and head.lower_ in rules.source_verbs
                according = token.dep_ == "pobj" and head.lower_ == "to" and head.i and doc[head.i - 1].lower_ == "according"
                heads_report = (token.dep_ in ("compound", "poss") and head.i > token.i and head.is_lower
                                and head.lower_ in rules.source_nouns)
                if reports or according or heads_report:
                    start = token.i
                    while start and doc[start - 1].pos_ == "PROPN" and doc[start - 1].dep_ == "compound":
                        start -= 1
                    titled = any(t.lower_ in rules.person_titles for t in doc[max(start - 1, 0) : token.i + 1])
                    if not titled and (not heads_report or start == token.i):  # "Mr Doe noted" is a person
                        yield start, token.i + 1, "ORG"

    def _listing_noun(self, cue: Token) -> str | None:
        """ "automakers globally and in China, including …": the nearest common noun before the cue, which says
        what the listed names are (companies, cities …)."""
        doc = cue.doc
        for token in reversed(doc[max(cue.i - 8, 0) : cue.i]):
            if token.text in ("(", ")", ";", ":"):
                return None
            if token.pos_ == "NOUN":
                return token.lower_
        return None

    def _company_in_apposition(self, ent: Span) -> bool:
        """ "Xyz, a telecom operator": the name's apposition is a company noun."""
        return any(child.dep_ == "appos" and child.lower_ in self.rules.company_nouns for child in ent.root.children)

    def _coordinated_with_a_company(self, ent: Span) -> bool:
        """ "between Harbour Retail and Velmora Limited": a name joined by "and" to a name with a legal suffix."""
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
            and head.lower_ not in self.rules.source_nouns  # "a Brenlow survey": its author
            # "Acme (Northport)'s use of robots": a possessive between them makes the name the owner
            and not any(t.tag_ == "POS" for t in ent.doc[ent.end : head.i])
        )

    def _filtered(self, ent: Span, *, cued: bool = False) -> Span | None:
        """The statistical entity if it is plausible, trimmed; None for the model's known failure modes.

        A name ``cued`` as an organisation by the words around it ("companies such as Argo AI") keeps a last
        word that elsewhere makes a thing ("AI", "Cloud").
        """
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
            part = next((t for t in ent if t.lower_ in self.rules.org_part_words and t.i + 2 < ent.end
                         and ent.doc[t.i + 1].lower_ == "of"), None)
            if part is not None:
                # "the Northern Branch of Xyz": a part of Xyz, not a body of its own
                ent = Span(ent.doc, part.i + 2, ent.end, label=ent.label)
                text, words = ent.text, [t for t in ent if not t.is_punct]
            owned = next((t for t in words[:-1] if t.text in _POSSESSIVES), None)
            if owned is not None and not any(t.lower_ in self.rules.org_heads for t in ent.doc[owned.i + 1 : ent.end]):
                return None  # "Xyz’s Tech Centers", "Northport’s AI Talent": a thing of its owner, not a body
            if words and words[-1].text in _POSSESSIVES:
                # "Northport Telecom’s platform": the owner is the body. After a run of title-case words
                # ("… Smart, Sustainable Manufacturing Northport's ambition") it is a heading run into a sentence.
                before = [t for t in ent.doc[max(ent.start - 2, 0) : ent.start] if t.text != ","][-1:]
                if len(words) < 3 or before and before[0].is_title and not before[0].is_sent_start:
                    return None
                ent = Span(ent.doc, ent.start, words[-1].i, label=ent.label)
                text, words = ent.text, words[:-1]
            head = words[-1].lower_ if words else ""
            has_org_head = any(t.lower_ in self.rules.org_heads for t in words)
            legal = words[-1].lower_.rstrip(".") in self.rules.legal_suffixes if words else False
            if not (has_org_head or legal) and _opens_a_title(ent):
                return None  # "*Widget Shop Expansion and List of Outlets*", "the “Xyz Textile Agent”": words of a title
            if "(" in text and ")" not in text and not _owner_with_bracket(ent) \
                    and not ent.doc[ent.start + [t.text for t in ent].index("(") + 1].is_upper:
                return None  # "Textile Industry (Production", "Pyeongtaek (Korea": a name cut inside a bracket
            if words and words[0].tag_ in ("RB", "RBR"):
                return None  # "Fully Automate Call Centers": a title-case clause
            if not has_org_head and head.endswith("city"):
                return Span(ent.doc, ent.start, ent.end, label="PLACE")  # "Northport Science City", "Xyz BioCity"
            if not has_org_head and head in self.rules.geographic_heads:
                return Span(ent.doc, ent.start, ent.end, label="LOC")  # "the Velm and Ostra Rivers"
            if words and words[-1].is_lower and words[-1].is_alpha:
                return None  # "Focus on AI-driven", "Generator Circuit-breakers": a phrase, not a name
            if not has_org_head and head in self.rules.document_words or _titles_a_document(ent, self.rules.document_words):
                return None  # "Widget Usage Trend Survey", "White Paper on the Ageing Society": a document or its topic
            if not has_org_head and any(t.tag_ == "IN" and t.is_title and t.i > ent.start and t.lower_ not in _NAME_CONNECTORS
                                        for t in words):
                return None  # "Physical World Through Toolkits After": a title-case heading, not a name
            if head in self.rules.org_false_heads and not has_org_head and not cued:
                return None
            last_head = max((t.i for t in words if t.lower_ in self.rules.org_heads), default=ent.start)
            if (head in self.rules.org_false_heads and head not in self.rules.org_heads and not cued
                    and ent.doc[last_head + 1].lower_ != "of"):
                # "Central Committee Study Session", "Widget Forum Annual Meeting": the body, not its event
                # ("Widget Institute of Port Engineering" names the body's field)
                ent = Span(ent.doc, ent.start, last_head + 1, label=ent.label)
                words = [t for t in ent if not t.is_punct]
            if not has_org_head and len(words) >= 2 and _labels_list_item(ent):
                return None  # "Customized Visualization Interface (CVI): helps …": a product or feature named as a list item
            if words and words[0].lower_ in self.rules.legal_suffixes:
                return None  # "Limited Northport Office": the tail of a name the model cut in two
            if not has_org_head and (self._modifies_a_common_noun(ent) or self._named_as_a_thing(ent)):
                return None
            if not has_org_head and (_after_a_product_noun(ent, self.rules.product_list_heads) or _names_a_kind(ent)):
                return None
            if ent.doc.text[ent.end_char : ent.end_char + 1] in ("®", "™"):
                return None  # "EcoWidget™ platform": a trademark is a product
        if label in ("ORG", "PERSON") and len(words) >= 3 and words[0].lower_ in self.rules.person_titles:
            # "CFO Laurent Martinez": a job title before a name is a person, whatever the model says
            rest = next(i for i, t in enumerate(ent) if t.lower_ not in self.rules.person_titles and not t.is_punct)
            return Span(ent.doc, ent.start + rest, ent.end, label="PERSON")
        if label == "ORG" and len(words) == 1 and words[0].tag_ in ("JJ", "VB", "VBG", "VBN", "VBD", "RB"):
            return None  # "Vocational", "Supporting": a capitalised word, not a name
        if label == "ORG" and len(words) == 1 and words[0].tag_ == "NN" and words[0].is_sent_start and words[0].text.istitle():
            # "Emphasis should be placed on …": a common noun capitalised as a sentence's first word (an
            # acronym, "CTEC invested …", is a name)
            return None
        if label == "ORG" and ent.start and ent.doc[ent.start - 1].text == "+":
            return None  # "AI + Widget Innovation Center": the tail of a slogan-like name cut at its plus sign
        if re.search(r"[®™]", text) or label == "ORG" and "+" in text:
            return None  # a registered product name ("Brightex®") or a slogan ("AI + Harbours"), not a body
        if label == "ORG" and words and words[0].tag_ == "VB":
            return None  # "Focus on Chongqing": an imperative at the start of a list item
        if label == "ORG" and ent.start and _describes_a_unit(ent):
            return None  # "its Global Technical Center": the owner's unit, not a body of its own
        if label == "PERSON":
            # The small model calls many companies and products people ("Vexa Group", "Zeta X9",
            # "Leverage Acme’s"): a name is capitalised words, with no digits, capitals-only
            # acronyms, possessives, leading verb or organisation head.
            if _opens_a_title(ent):
                return None  # "<Global Automotive Interior Trends>": words of a title
            if words and words[-1].lower_ in self.company_ends:
                return Span(ent.doc, ent.start, ent.end, label="ORG")
            if self._coordinated_with_a_company(ent):
                return Span(ent.doc, ent.start, ent.end, label="ORG")
            if any(t.like_num or (t.is_upper and len(t) > 1) or t.text in ("'s", "’s") or "’" in t.text
                   for t in ent) or (words and words[0].tag_ == "VB"):
                return None
            if self._modifies_a_common_noun(ent):
                return None  # "Vexa Lumo low-code platform": a product's name the model took for a person's
        return ent


def _describes_a_unit(ent: Span) -> bool:
    """The name follows a possessive: bodies' names take none ("its Global Tech Center", "our Digital Academy"),
    while "its partner Xyz" puts a noun between them."""
    return ent.doc[ent.start - 1].lower_ in ("its", "our", "their")


def _closed_bracket(span: Span) -> Span:
    """ "Northport Land (NPL" with the closing bracket the model left out, when it holds an acronym."""
    doc = span.doc
    texts = [t.text for t in span]
    if (span.label_ == "ORG" and "(" in texts and ")" not in texts and span.end < len(doc) and doc[span.end].text == ")"
            and doc[span.end - 1].is_upper and doc[span.end - 1].text[:1] == span.text[:1]):
        return Span(doc, span.start, span.end + 1, label=span.label, kb_id=span.kb_id)
    return span


# Model labels a strong organisation cue overrules; rule spans (places, policies, bodies) stay what they are.
_OVERRULED = ("PERSON", "ORG", "GPE", "LOC", "NORP", "PRODUCT")


def _widened(start: int, end: int, by_token: dict[int, Span], overruled: tuple[str, ...], *, widen: bool) -> list[tuple[int, int]]:
    """The cued name, widened over the entities it overlaps when ``widen``; none when it overlaps another kind."""
    overlapping = list({id(by_token[i]): by_token[i] for i in range(start, end) if i in by_token}.values())
    if any(span.label_ not in overruled for span in overlapping):
        return []
    if not widen:
        return [(start, end)]
    return [(min([start, *(s.start for s in overlapping)]), max([end, *(s.end for s in overlapping)]))]


def _is_name_word(token: Token) -> bool:
    return token.text[:1].isupper() and any(ch.isalpha() for ch in token.text)


def _name_list(doc: Doc, start: int, not_entities: frozenset[str]) -> Iterator[tuple[int, int]]:
    """The names of a list starting at ``start``: "Xyz, Abc-Def, Li Ghi, and JKL" → four (start, end) pairs.

    The list ends at the first word that is neither a capitalised word, a joiner inside a name ("-", "&")
    nor a separator, or after the name that follows "and"/"or". A name followed by a possessive is the
    owner of a thing ("Xyz's platform"), not an item of the list. A short aside in brackets after a name
    ("Xyz (autonomous trucks) and Abc (robotaxis)") closes the name and the list goes on after it.
    """
    i, run_start, last = start, None, False
    while i < len(doc):
        token = doc[i]
        close = closing_bracket(doc, i, 8) if run_start is not None and token.text == "(" else None
        if close is not None:
            yield from _listed(doc, run_start, i, not_entities)
            run_start = None
            if last:
                return
            i = close + 1
            continue
        if _is_name_word(token):
            run_start = i if run_start is None else run_start
        elif run_start is not None and token.text in ("-", "&") and i + 1 < len(doc) and _is_name_word(doc[i + 1]):
            pass
        elif token.text == "," or token.lower_ in ("and", "or"):
            if run_start is not None:
                yield from _listed(doc, run_start, i, not_entities)
                run_start = None
                if last:
                    return
            last = last or token.lower_ in ("and", "or")
        else:
            break
        i += 1
    if run_start is not None and (i >= len(doc) or doc[i].text not in ("'s", "’s")):
        yield from _listed(doc, run_start, i, not_entities)


def closing_bracket(doc: Doc, start: int, longest: int, limit: int | None = None) -> int | None:
    """The index of the ")" closing the bracket opened at ``start``, when it closes within ``longest`` tokens
    (and before ``limit``, by default the end of the doc)."""
    stop = min(start + longest + 1, len(doc) if limit is None else limit)
    return next((i for i in range(start + 1, stop) if doc[i].text == ")"), None)


def _listed(doc: Doc, start: int, end: int, not_entities: frozenset[str]) -> Iterator[tuple[int, int]]:
    if not all(token.text in not_entities for token in doc[start:end]):
        yield start, end


def _after_a_product_noun(ent: Span, product_nouns: frozenset[str]) -> bool:
    """ "its new AI model Xyz-1", "the platform Abc": a name given right after a product noun is the product's."""
    return ent.start > 0 and ent.doc[ent.start - 1].lower_ in product_nouns and ent.doc[ent.start - 1].is_lower


def _names_a_kind(ent: Span) -> bool:
    """ "types of widget, particularly Gas-Cooled Widget": the name's last word is a common noun before it.

    The capitalised phrase then names a kind of the thing its sentence has introduced, not a body.
    """
    last = ent[-1]
    if not last.is_alpha or last.is_upper:
        return False
    return any(t.lower_ == last.lower_ and t.is_lower for t in ent.doc[ent.sent.start : ent.start])


_OPENING_MARKS = {"“": "”", '"': '"', "*": "*", "<": ">", "《": "》", "‘": "’"}


def _opens_a_title(ent: Span) -> bool:
    """The name starts right after an opening quote, asterisk or angle bracket that does not close right after it:
    the first words of a longer quoted or emphasised title."""
    text = ent.doc.text
    opening = text[ent.start_char - 1 : ent.start_char] if ent.start_char else ""
    closing = _OPENING_MARKS.get(opening)
    return closing is not None and text[ent.end_char : ent.end_char + 1] != closing


def _owner_with_bracket(ent: Span) -> bool:
    """ "Acme (Northport)'s use of robots": the bracket the model left open is part of an owner's name."""
    doc = ent.doc
    return ent.end + 1 < len(doc) and doc[ent.end].text == ")" and doc[ent.end + 1].text in _POSSESSIVES


def _titles_a_document(ent: Span, document_words: frozenset[str]) -> bool:
    """ "the Employment Conditions Diffusion Index", "White Paper on the Ageing Society": the name runs on into a
    document word, or is the topic of a document ("Report on X")."""
    doc = ent.doc
    if ent.end < len(doc) and doc[ent.end].is_title and doc[ent.end].lower_ in document_words:
        return True
    start = ent.start - (ent.start > 0 and doc[ent.start - 1].lower_ == "the")
    return start >= 2 and doc[start - 1].lower_ == "on" and doc[start - 2].lower_ in document_words


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
    while start < end and (doc[start].lower_ == "the" or _is_stray(doc[start])):
        start += 1
    while end > start and _is_stray(doc[end - 1]):
        end -= 1
    if start >= end:
        return None
    return Span(doc, start, end, label=ent.label, kb_id=ent.kb_id)


def _is_stray(token: Token) -> bool:
    """A quote, bracket, punctuation mark, space or footnote marker at the edge of a name."""
    return token.text in _STRIP or token.is_space or _FOOTNOTE_MARKER.match(token.text) is not None


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


def _acronym_start(doc: Doc, span: Span, acronym: str) -> int | None:
    """Where the name ``acronym`` abbreviates starts: the span's start, or earlier when the acronym's letters show
    the model cut the name ("Northport Mayor's [Economic Advisory Council] (NMEAC)"); None when it is no acronym of it.
    """
    if _is_acronym_of(acronym, span.text):
        return span.start
    start = span.start
    while start > max(span.sent.start, span.start - 4) and (doc[start - 1].is_title or doc[start - 1].text in _POSSESSIVES):
        start -= 1
        if doc[start].is_title and _is_acronym_of(acronym, doc[start : span.end].text):
            return start
    return None


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
            close = closing_bracket(doc, end, 5)
            if close is not None:
                acronym = doc[end + 1 : close].text
                start = _acronym_start(doc, span, acronym) if _ACRONYM.match(acronym) else None
                if start is not None:
                    for inner in range(end + 1, close):
                        if inner in by_start:
                            dropped.add(inner)
                    span = Span(doc, start, close + 1, label=span.label, kb_id=span.kb_id)
        result.append(span)
    return [span for span in result if span.start not in dropped]


def sentence_evidence(span: Span, paper_id: str, offset: int, page: int | None = None) -> Evidence:
    """The sentence holding ``span``, as evidence with offsets into the paper text."""
    sentence = span.sent
    return Evidence(paper_id, offset + sentence.start_char, offset + sentence.end_char, sentence.text, page)


class SentenceEvidence:
    """``sentence_evidence`` for the many spans of one block's doc: each span's sentence is found by
    bisection and each sentence made into evidence once (``Span.sent`` walks the tokens on every call)."""

    def __init__(self, doc: Doc, paper_id: str, offset: int, page: int | None = None) -> None:
        self._sentences = list(doc.sents)
        self._starts = [sentence.start for sentence in self._sentences]
        self._made: dict[int, Evidence] = {}
        self._paper_id, self._offset, self._page = paper_id, offset, page

    def __call__(self, span: Span) -> Evidence:
        at = bisect_right(self._starts, span.start) - 1
        evidence = self._made.get(at)
        if evidence is None:
            sentence = self._sentences[at]
            evidence = self._made[at] = Evidence(self._paper_id, self._offset + sentence.start_char,
                                                 self._offset + sentence.end_char, sentence.text, self._page)
        return evidence


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

    Headings are read for policies, places and well-known organisations only: in title case the statistical
    model calls most headings an organisation.
    """
    mentions = []
    evidence_of = SentenceEvidence(doc, paper_id, block.start, block.page)
    for span in [*doc.ents, *doc.spans.get(TERMS_KEY, [])]:
        kind = mention_kind(span)
        if kind is None:
            continue
        if block.kind in (HEADING, TABLE) and not (kind == "Policy" or span.label_ == "PLACE" or kind == "Organization" and span.kb_id_):
            # title case makes the model see organisations and places in most headings and table cells
            # ("Indicator", "Target Year", "Dimension")
            continue
        if block.kind == HEADING and kind == "Policy" and not span.kb_id_ and not _QUOTE_MARKS.search(span.text):
            continue  # a capitalised heading ("I. Measures Taken …") looks like a title to the patterns
        text = mention_text(span)
        if len(text) < 2 or not any(ch.isalpha() for ch in text):
            continue
        mentions.append(Mention(text, kind, evidence_of(span)))
    return mentions


def term_acronyms(text: str) -> set[str]:
    """Acronyms a paper defines by words in lower case: "autonomous emergency braking (AEB)", "APC = advanced
    process control" (a glossary line). They name things, not bodies, whatever the model calls them."""
    found = set()
    for expansion, acronym in _ACRONYM_AFTER.findall(text):
        if _spells(acronym, expansion):
            found.add(acronym)
    for acronym, expansion in _GLOSSARY_LINE.findall(text):
        if _spells(acronym, expansion):
            found.add(acronym)
    return found


def _spells(acronym: str, expansion: str) -> bool:
    """Whether the last words of a lower-case ``expansion`` start with the acronym's letters."""
    words = re.findall(r"[a-z]+", expansion.lower())
    letters = [ch.lower() for ch in acronym if ch.isalpha()]
    return 2 <= len(letters) <= len(words) and all(w[0] == ch for w, ch in zip(words[-len(letters):], letters))


def source_mentions(nlp: Language, papers: list[Paper], *, batch_size: int = 64) -> Iterator[tuple[int, list[Mention]]]:
    """Organisations named in footnotes and source lines: the sources a paper cites.

    Footnotes ("Source: Northport Daily", "Title, Publisher, May 2025"), source lines under figures
    ("Data Source: Widget Association", which the reader takes for headings or captions) and a figure's
    notes ("Note: forecasts from the Widget Institute") are short and never mixed
    into sentences; they are read apart from the prose, for organisations only, and yield (paper index,
    mentions).
    """
    blocks = (
        (paper.text[block.start : block.end], (index, block))
        for index, paper in enumerate(papers)
        for block in paper.blocks
        if (block.kind == FOOTNOTE and re.search(r"[A-Za-z]{3}", _URL.sub("", paper.text[block.start : block.end]))
            or block.kind == HEADING and _SOURCE_LINE.match(paper.text, block.start, block.end)
            or block.kind == CAPTION and _NOTE_LINE.match(paper.text, block.start, block.end))
    )
    rules = entity_rules()
    for doc, (index, block) in nlp.pipe(blocks, as_tuples=True, batch_size=batch_size):
        titles = [match.span() for match in _CITED_TITLE.finditer(doc.text)]
        found = [m for m in mentions_in(doc, papers[index].id, block)
                 if m.kind == "Organization" and not _only_in_titles(m.text, doc.text, titles)]
        quote = doc.text.strip()
        start = block.start + doc.text.index(quote)
        evidence = Evidence(papers[index].id, start, start + len(quote), quote, block.page)
        for name in cited_publishers(doc.text, rules):
            if not any(m.text in name or name in m.text for m in found):
                # the cited publisher, whether or not the model knows it
                found.append(Mention(name, "Organization", evidence))
        yield index, found


def cited_publishers(text: str, rules: EntityRules) -> list[str]:
    """Publishers a source note names: "Source: Acme Daily, Widget Association" or "Title, Publisher, May 2025".

    A source note naming its publisher after "by" names it there, whatever the title before it says.
    A citation without a "Source:" label names its publisher in the field right before the date; a
    field naming a document ("2024 Widget Industry Report") or written in lower case names none.
    """
    text = _URL.sub("", text).lstrip(SUPERSCRIPT_DIGITS + " ")
    label = _SOURCE_LABEL.search(text)
    if label:
        cited = re.split(r"[(\[<]", text[label.end() :].replace("*", ""), maxsplit=1)[0]
        # "Source: Reports on Fraud, Scams and Theft in 2024, by the Widget Agency": the publisher follows "by"
        by = list(re.finditer(r"\bby\s+(?:the\s+)?(?=[A-Z])", cited))
        fields = re.split(r"[,;]", cited[by[-1].end() :] if by else cited)
    else:
        fields = []
        for citation in text.split(";"):
            parts = [part.strip() for part in re.split(r"[,|]", citation)]
            dated = next((i for i, part in enumerate(parts) if i and _DATE_FIELD.match(part)), None)
            if dated is not None and not _ITALIC_FIELD.match(parts[dated - 1]):
                fields.append(parts[dated - 1])  # not "Ministry, *Title of the Plan*, May 2025": the title
    names = [" ".join(field.replace("*", "").split()).strip(" .:") for field in fields]
    return [name for name in names if _plausible_publisher(name, rules)]


def _plausible_publisher(name: str, rules: EntityRules) -> bool:
    words = name.split()
    return (
        0 < len(words) <= 12
        and name[:1].isupper()
        and ":" not in name  # "Note: Average of March": a note, not a name
        and name not in rules.not_entities
        and words[-1].lower() not in rules.document_words
        and all(word[:1].isupper() or word[:1].isdigit() or word in _NAME_CONNECTORS for word in words)
    )


def _only_in_titles(name: str, text: str, titles: list[tuple[int, int]]) -> bool:
    """Every occurrence of ``name`` lies inside a quoted title: words of a cited report, not its publisher."""
    starts = [match.start() for match in re.finditer(re.escape(name), text)]
    return bool(starts) and all(any(a < start < b for a, b in titles) for start in starts)


def register_extensions() -> None:
    """Span extension naming the ontology class of an entity, for code that reads docs directly."""
    if not Span.has_extension("pkg_class"):
        Span.set_extension("pkg_class", getter=mention_kind)
