"""Recommendations and commitments: what a paper asks for, and what its contributor offers.

Two parts. The spaCy component ``policykg_statements`` reads each sentence once, on the parse the model
already made, and records what kind of statement it could be on ``Span._.statement_kind``:

- ``"ask"``: an ask wherever it stands (a cue phrase such as "we recommend", a strong modal such as
  "should", or an imperative: a base-form verb with no subject);
- ``"section_ask"``: an ask only inside a recommendation section (a weak modal, "X is essential", a list
  item that starts with a gerund);
- ``"offer"``: an offer if its subject is the contributor itself ("… stands ready to", "will continue").

``StatementReader`` then decides with what only the paper knows: which sections are recommendation
sections (their heading, or a paragraph announcing "the following recommendations"), who the
contributor is, and, in a report quoting several people, who is speaking. It also reads the layout: a
list item, a "First, … Second, …" paragraph or a "Suggestion N:" paragraph is one statement however many
sentences it takes; the items after the contributor's "we will:" or under "What we will do" are its offers;
a "Recommendation N:" heading is the ask only when its section states none. The cue words are data
(``ontology/statement_cues.toml``); this module holds only the general rules.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from ..model import HEADING, LIST_ITEM, Block, Evidence, Mention, Paper, Statement
from ..resources import ontology_path
from .resolve import normal_form

COMPONENT = "policykg_statements"
CUES_FILE = "statement_cues.toml"

ASK = "ask"
SECTION_ASK = "section_ask"
OFFER = "offer"
# The cue of "X said that the city should …": the speaker's ask in a report, someone else's words in a paper.
REPORTED = "reported modal"
# Modals with which a first-person subject offers something ("We will …", "we can provide …").
OFFER_MODALS = frozenset({"will", "can", "would"})

# Tokens at a sentence's start read for an opening such as "According to the Plan,".
_OPENING_TOKENS = 12
# A list item under a recommendation heading that is a noun phrase this long asks for the thing it names.
MIN_NOUN_PHRASE_WORDS = 5
# Statements shorter than this are labels or fragments ("Key measures:"), not asks.
MIN_CHARACTERS = 25
# A colon this early in a sentence closes a label ("Promote Technology Commercialization: Establish …").
MAX_LABEL_TOKENS = 25
# A paragraph this short without a full stop may be a heading the layout did not mark ("Suggestion: …").
MAX_PSEUDO_HEADING = 160
_BE = frozenset({"is", "are", "be", "was", "were", "remains", "remain", "'s"})
# Bullets, check marks and item numbers in front of a list item's text: "- ✓ ", "(2) ", "3. ", "a) ".
_ITEM_MARKER = re.compile(r"^(?:[-–—•*▪◦●○◎✓✔→·]\s*|\(?\d{1,2}[.)]\s+|\(\d{1,2}\)\s*|\(?[a-z][.)]\s+)+")
# Section headings that continue the section above them: "1.", "4.1", "(2)", "a)".
_SUBHEADING = re.compile(r"^\s*(?:\(?\d{1,2}(?:\.\d{1,2})*[.)]?\s|\(\d{1,2}\)|[a-z][.)]\s)")
_NUMBERED_HEADING = r"^\s*(?:{words})\s*\d+\s*[:.–—-]?\s*"
_SUBJECTS = ("nsubj", "nsubjpass", "csubj", "expl")
# A full stop after a word, then the next sentence (not "Recommendation 1. Build …")
_SENTENCE_END = re.compile(r"[a-z][.!?]\s+[A-Z]")


class CueError(ValueError):
    """The cue file is malformed; the message names the file and the cause."""


@dataclass(frozen=True)
class StatementCues:
    """The words of ``statement_cues.toml``."""

    recommendation_phrases: tuple[str, ...]
    non_recommendation_headings: tuple[str, ...]
    first_person_ask_verbs: frozenset[str]
    rule_source_openings: tuple[str, ...]
    rule_source_nouns: frozenset[str]
    own_document_nouns: frozenset[str]
    strong_modals: frozenset[str]
    prediction_verbs: frozenset[str]
    forecast_phrases: tuple[str, ...]
    weak_modals: frozenset[str]
    evaluative: frozenset[str]
    ask_verbs: frozenset[str]
    not_asks: frozenset[str]
    heading_cues: tuple[str, ...]
    announcements: tuple[str, ...]
    numbered_heading_words: tuple[str, ...]
    consequence_subjects: frozenset[str]
    consequence_openings: frozenset[str]
    description_openings: tuple[str, ...]
    enumeration_openings: tuple[str, ...]
    reported_speech_verbs: frozenset[str]
    consequence_verbs: frozenset[str]
    meta_phrases: tuple[str, ...]
    commitment_phrases: tuple[str, ...]
    self_words: tuple[str, ...]
    commitment_headings: tuple[str, ...]
    reporting_verbs: frozenset[str]
    asking_verbs: frozenset[str]
    title_words: frozenset[str]


def load_cues(path: Path | None = None) -> StatementCues:
    """Read the cue file (default: the bundled ``statement_cues.toml``)."""
    path = path or ontology_path(CUES_FILE)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        rec, sections, commitment = data["recommendation"], data["sections"], data["commitment"]

        def words(table: dict, key: str) -> tuple[str, ...]:
            return tuple(str(word).lower() for word in table[key])

        return StatementCues(
            recommendation_phrases=words(rec, "phrases"),
            non_recommendation_headings=words(sections, "non_recommendation_headings"),
            first_person_ask_verbs=frozenset(words(rec, "first_person_ask_verbs")),
            rule_source_openings=words(rec, "rule_source_openings"),
            rule_source_nouns=frozenset(words(rec, "rule_source_nouns")),
            own_document_nouns=frozenset(words(commitment, "own_document_nouns")),
            strong_modals=frozenset(words(rec, "strong_modals")),
            prediction_verbs=frozenset(words(rec, "prediction_verbs")),
            forecast_phrases=words(rec, "forecast_phrases"),
            weak_modals=frozenset(words(rec, "weak_modals")),
            evaluative=frozenset(words(rec, "evaluative")),
            ask_verbs=frozenset(words(rec, "ask_verbs")),
            not_asks=frozenset(words(rec, "not_asks")),
            heading_cues=words(sections, "heading_cues"),
            announcements=words(sections, "announcements"),
            numbered_heading_words=words(sections, "numbered_heading_words"),
            consequence_subjects=frozenset(words(sections, "consequence_subjects")),
            consequence_openings=frozenset(words(sections, "consequence_openings")),
            description_openings=words(sections, "description_openings"),
            enumeration_openings=words(sections, "enumeration_openings"),
            reported_speech_verbs=frozenset(words(sections, "reported_speech_verbs")),
            consequence_verbs=frozenset(words(sections, "consequence_verbs")),
            meta_phrases=words(sections, "meta_phrases"),
            commitment_phrases=words(commitment, "phrases"),
            self_words=words(commitment, "self_words"),
            commitment_headings=words(commitment, "heading_cues"),
            reporting_verbs=frozenset(words(data["speakers"], "reporting_verbs")),
            asking_verbs=frozenset(words(data["speakers"], "asking_verbs")),
            title_words=frozenset(words(data["speakers"], "title_words")),
        )
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError) as error:
        raise CueError(f"{path}: cannot read statement cues: {error}") from error


# ----------------------------------------------------------------------------------- the component


class StatementTagger:
    """Marks each sentence with the kind of statement it could be (``Span._.statement_kind``)."""

    def __init__(self, nlp: Language, cues: StatementCues) -> None:
        self.cues = cues
        self.recommendation = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.recommendation.add("ask", list(nlp.tokenizer.pipe(cues.recommendation_phrases)))
        self.commitment = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.commitment.add("offer", list(nlp.tokenizer.pipe(cues.commitment_phrases)))
        # the words an adverb may follow inside a cue phrase ("we would [also] like to see")
        self.phrase_words = frozenset(word for phrase in (*cues.recommendation_phrases, *cues.commitment_phrases)
                                      for word in phrase.split()[:-1])
        self.gerund_stems = _stems(cues.ask_verbs)
        # "should keep growing": the verbs' forms, as the pipeline runs without a lemmatizer
        self.prediction_forms = frozenset(cues.prediction_verbs | {f"{stem}ing" for stem in _stems(cues.prediction_verbs)})
        self.enumerators = frozenset(opening.rstrip(",") for opening in cues.enumeration_openings)
        for name in ("statement_kind", "statement_subject", "statement_cue", "statement_if_not_offer", "statement_reporter"):
            if not Span.has_extension(name):
                Span.set_extension(name, default=None)
        if not Doc.has_extension("announces_recommendations"):
            Doc.set_extension("announces_recommendations", default=False)

    def __call__(self, doc: Doc) -> Doc:
        # the cue phrases match as written ("looks forward to"), and with adverbs between their words ("we would
        # also like to see", "we are also prepared to"): on the words without the adverbs, a negation kept
        view, positions = _without_adverbs(doc, self.phrase_words)
        asks = {start for _, start, _ in self.recommendation(doc)}
        offers = {start for _, start, _ in self.commitment(doc)}
        if view is not doc:
            asks |= {positions[start] for _, start, _ in self.recommendation(view)}
            offers |= {positions[start] for _, start, _ in self.commitment(view)}
        doc._.announces_recommendations = False
        for sent in doc.sents:
            lowered = sent.text.lower()
            if any(phrase in lowered for phrase in self.cues.announcements):
                # "The following recommendations are proposed:" introduces asks; it is not one.
                doc._.announces_recommendations = True
                continue
            has_ask = any(sent.start <= i < sent.end for i in asks)
            has_offer = any(sent.start <= i < sent.end for i in offers)
            sent._.statement_subject = _subject_text(sent)
            sent._.statement_kind, sent._.statement_cue = self._kind(sent, has_ask, has_offer)
            if sent._.statement_kind == OFFER:
                # What the sentence is when its subject turns out not to be the contributor ("Governments can support …").
                sent._.statement_if_not_offer = self._kind(sent, has_ask, False, offers=False)
        return doc

    def _kind(self, sent: Span, has_ask: bool, has_offer: bool, offers: bool = True) -> tuple[str | None, str | None]:
        """The kind of statement a sentence could be, and the cue that says so."""
        text = sent.text.strip()
        lowered = text.lower()
        if (text.endswith("?") or self._reports_other(sent) or self._quotes_a_rule(sent)
                or any(p in lowered for p in self.cues.meta_phrases)):
            return None, None
        # Modals of a relative or adverbial clause ("infrastructure that can support …") do not make an ask.
        modal_tokens = [t for t in sent if t.tag_ == "MD"]
        main = [t for t in modal_tokens if _main_clause(t)]
        # "The agency has stated that … should …": a modal in someone else's words, by who said them
        reporters = {t.i: reporter for t in main if (reporter := self._reporter(t)) is not None
                     and not self._own_voice(reporter)}
        modals = {t.lower_ for t in main if t.i not in reporters}
        reported = [t for t in main if t.i in reporters and t.lower_ in self.cues.strong_modals]
        own_modals = {t.lower_ for t in modal_tokens if t.head == sent.root}
        # "We will …", and "Acme will …" when the reader finds that the name is the contributor's
        offer = offers and (has_offer or bool(own_modals & OFFER_MODALS and _first_person(sent, self.cues))
                            or "will" in own_modals and _proper_subject(sent))
        if has_ask or self._asks_in_own_voice(sent):
            return ASK, "phrase"
        if modals & self.cues.strong_modals and not self._predicts(modal_tokens):
            return ASK, "modal"
        if reported and not self._predicts(modal_tokens):
            # an ask in a report that quotes its speakers, or when the reporter is the contributor itself
            reporter = reporters[reported[0].i]
            sent._.statement_reporter = sent.doc[reporter.left_edge.i : reporter.i + 1].text
            return ASK, REPORTED
        if offer:
            return OFFER, "offer"  # "We will …", "X stands ready to …"
        if self._imperative(sent):
            return ASK, "imperative"
        if self._gerund_item(sent):
            return SECTION_ASK, "gerund"
        if sent.root.pos_ in ("NOUN", "PROPN") and sum(t.is_alpha for t in sent) >= MIN_NOUN_PHRASE_WORDS:
            return SECTION_ASK, "noun phrase"  # "- A single window for hydrogen permits, with one lead bureau."
        modal_verbs = {t.head.i for t in modal_tokens}
        if self._consequence(sent) or any(t.dep_ == "neg" and t.head.i in modal_verbs for t in sent):
            return None, None  # "These could help …", "… cannot succeed without …"
        if modals & self.cues.weak_modals:
            return SECTION_ASK, "weak modal"
        if self._evaluative(sent):
            return SECTION_ASK, "evaluative"
        if "will" in modals and any(t.dep_ == "auxpass" and _main_clause(t) for t in sent):
            return SECTION_ASK, "passive"  # "… will be established"
        return None, None

    def _reporter(self, token: Token) -> Token | None:
        """The subject of the verb of saying, deciding or requiring whose clause holds ``token`` ("The agency has
        stated that AI tools should be regulated"), if any; the reader decides whether that is the contributor."""
        while token.dep_ != "ROOT" and token.head is not token:
            if token.dep_ == "ccomp" and token.head.lower_ in self.cues.reported_speech_verbs:
                return next((c for c in token.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            token = token.head
        return None

    def _own_voice(self, reporter: Token) -> bool:
        """Whether the subject of a verb of saying is the writer: "we", "I", "this paper", or the "it" of "it is
        suggested that" (not "it has been suggested that", which reports others)."""
        word = reporter.lower_
        if word == "it":
            return not any(c.dep_ == "aux" and c.lower_ in ("has", "have", "had") for c in reporter.head.children)
        if word in self.cues.own_document_nouns:
            return any(c.dep_ in ("det", "poss") and c.lower_ in ("this", "our") for c in reporter.children)
        return word in self.cues.self_words or word == "i"

    def _asks_in_own_voice(self, sent: Span) -> bool:
        """ "We therefore suggest that …", "I would really encourage the city to …": the writer's asking verb,
        in the present, with a clause or an object saying what to do."""
        for verb in sent:
            if (verb.lower_ in self.cues.first_person_ask_verbs and verb.tag_ in ("VB", "VBP") and _main_clause(verb)
                    and any(c.dep_ == "nsubj" and c.lower_ in ("we", "i") for c in verb.children)
                    and not any(c.dep_ == "neg" or c.lower_ in ("will", "shall", "'ll") for c in verb.children)
                    and any(c.dep_ in ("ccomp", "xcomp", "dobj") for c in verb.children)):
                return True
        return False

    def _quotes_a_rule(self, sent: Span) -> bool:
        """ "According to the Plan, new buses shall …": the modal is the rule's, reported, not the paper's ask."""
        words = [t for t in sent[:_OPENING_TOKENS] if not t.is_punct]
        lowered = " ".join(t.lower_ for t in words[:3])
        for opening in self.cues.rule_source_openings:
            if f"{lowered} ".startswith(f"{opening} ") and len(words) > len(opening.split()):
                source = sent.doc[words[len(opening.split())].i : sent.end]
                comma = next((t for t in source if t.text == ","), None)
                named = source[: comma.i - source.start] if comma is not None else source[:0]
                return any(t.ent_type_ == "POLICY" or t.lower_ in self.cues.rule_source_nouns for t in named)
        return False

    def _predicts(self, modal_tokens: list[Token]) -> bool:
        """ "Prices should continue to fall", "suppliers should expect tighter rules", "emissions must fall by 2% in
        2025": "should" as a forecast or a rule's figure, not an ask (a verb with an object still asks)."""
        for modal in modal_tokens:
            if modal.lower_ not in self.cues.strong_modals or not _main_clause(modal):
                continue
            sentence = f" {modal.sent.text.lower()} "
            if any(f" {phrase} " in sentence or f" {phrase}," in sentence for phrase in self.cues.forecast_phrases):
                return True
            verbs = [modal.head, *(child for child in modal.head.children if child.dep_ == "xcomp")]
            return any(verb.lower_ in self.prediction_forms and not any(c.dep_ == "prt" for c in verb.children)
                       and (verb.lower_ in ("expect", "anticipate")
                            or not any(c.dep_ == "dobj" and not _quantity(c) for c in verb.children))
                       for verb in verbs)
        return False

    def _reports_other(self, sent: Span) -> bool:
        """"It also recommends that …", "The IEA estimates … and has advised governments to …": a third party's
        recommendation reported, not the paper's own."""
        root = sent.root
        verbs = [root, *(child for child in root.children if child.dep_ == "conj")]
        return any(verb.lower_ in self.cues.asking_verbs and any(
            child.dep_ == "nsubj" and child.lower_ not in self.cues.self_words for child in verb.children
        ) for verb in verbs)

    def _consequence(self, sent: Span) -> bool:
        """"These exchanges could help …", "By reducing barriers, firms can …": what follows, not what to do."""
        subject = (sent._.statement_subject or "").lower().split()
        first = _openers(sent)[:1]
        verb = sent.root.lower_
        if subject and subject[0] in self.cues.consequence_subjects:
            if len(subject) == 1 or verb in self.cues.consequence_verbs:
                return True
        return bool(first) and first[0].lower_ in self.cues.consequence_openings

    def _imperative(self, sent: Span) -> bool:
        """A base-form verb heading the sentence (or the text after a "Label:") with no subject of its own."""
        openers = _openers(sent, self.enumerators)
        label = _label_end(sent)
        labelled = label is not None
        for token in openers[1:] if labelled else openers:
            word = token.lower_
            if word in self.cues.not_asks:
                return False
            # an ask verb the tagger took for a noun, an adjective or a past tense ("Set up a fund …")
            if token.tag_ == "VB" or (word in self.cues.ask_verbs and token.tag_ in ("NNP", "NN", "VBP", "JJ", "VBD")):
                head = token if token.dep_ == "ROOT" or token.tag_ == "VB" else token.head
                return not any(child.dep_ in _SUBJECTS for child in head.children) and not _after_to(token)
        # "Together with the colleges, set up …", "Suggestion 4: For small fleets, combine …": the main verb after
        # an opening phrase and its comma, with no subject of its own (an item number or a label the parser took
        # for one aside); a verb right after a noun has that noun for its subject, whatever the parse says
        root = sent.root
        return (
            (root.tag_ == "VB" or root.lower_ in self.cues.ask_verbs and root.tag_ in ("VBD", "VBP"))
            and (root.i == sent.start or sent.doc[root.i - 1].text in (",", ":"))
            and root.lower_ not in self.cues.not_asks
            and (label is None or root.i > label)
            and not any(child.dep_ in (*_SUBJECTS, "aux", "auxpass", "mark")
                        and child.tag_ not in ("LS", "CD") and (label is None or child.i > label)
                        for child in root.children)
        )

    def _evaluative(self, sent: Span) -> bool:
        """"X is essential", "Equally important is …", "will be crucial": a judgement with the verb "to be"."""
        return any(
            t.lower_ in self.cues.evaluative and t.dep_ in ("acomp", "attr", "ROOT", "oprd") and _main_clause(t)
            and (t.head.lower_ in _BE or t.dep_ == "ROOT")
            and not any(child.dep_ == "det" for child in t.children)  # "the key to …" describes
            for t in sent
        )

    def _gerund_item(self, sent: Span) -> bool:
        """A list item opening with the gerund of an ask verb ("Encouraging joint laboratories …")."""
        openers = _openers(sent, self.enumerators)
        return bool(openers) and openers[0].tag_ == "VBG" and openers[0].lower_[:-3] in self.gerund_stems


def _without_adverbs(doc: Doc, phrase_words: frozenset[str]) -> tuple[Doc, list[int]]:
    """The doc's words without its adverbs (but with "not", "never"), and where each of them stands in the doc;
    the doc itself when no adverb follows a word of a cue phrase."""
    removed = [t for t in doc if t.tag_ == "RB" and t.dep_ != "neg" and t.lower_ not in ("not", "never", "n't")]
    if not any(t.i > 0 and doc[t.i - 1].lower_ in phrase_words for t in removed):
        return doc, []
    gone = {t.i for t in removed}
    positions = [i for i in range(len(doc)) if i not in gone]
    return Doc(doc.vocab, words=[doc[i].text for i in positions]), positions


def _stems(verbs: frozenset[str]) -> set[str]:
    """Stems the gerund of a verb starts with: "encourag(ing)", "establish(ing)", "set(ting)"."""
    return {verb[:-1] if verb.endswith("e") else verb for verb in verbs} | set(verbs) | {v + v[-1] for v in verbs}


def _lead(doc: Doc) -> Span | None:
    """The last sentence of a block when it ends in ":", leading into a list."""
    last = list(doc.sents)[-1] if len(doc) else None
    return last if last is not None and last.text.rstrip().endswith(":") else None


def _openers(sent: Span, enumerators: frozenset[str] = frozenset()) -> list[Token]:
    """The first word of the sentence after bullets and numbering (and after ``enumerators`` such as "Second,"),
    and the first word after a "Label:"."""
    words = [t for t in sent if t.is_alpha]
    first = words[0] if words else None
    if first is not None and first.lower_ in enumerators and first.i + 1 < sent.end and sent.doc[first.i + 1].text == ",":
        first = words[1] if len(words) > 1 else None
    openers = [first] if first is not None else []
    colon = _label_end(sent)
    if colon is not None:
        after_label = next((t for t in sent.doc[colon + 1 : sent.end] if t.is_alpha), None)
        if after_label is not None:
            openers.append(after_label)
    return openers


def _label_end(sent: Span) -> int | None:
    """Index of the colon closing a leading label ("Establish Joint Centres: Encourage …"), if there is one."""
    for token in sent[:MAX_LABEL_TOKENS]:
        if token.text == ":" and token.i + 1 < sent.end and not sent.doc[token.i + 1].like_num:
            return token.i
    return None


def _main_clause(token: Token) -> bool:
    """Whether a token belongs to the main clause: no relative, adverbial or subordinate clause on its way up, nor
    an indirect question ("taught us how quickly a system must change")."""
    while token.dep_ != "ROOT" and token.head is not token:
        if token.dep_ in ("relcl", "advcl", "acl", "pcomp", "csubj", "prep", "pobj"):
            return False
        if token.dep_ == "ccomp" and (token.left_edge.tag_ in ("WRB", "WP", "WDT") or token.left_edge.lower_ == "whether"):
            return False
        token = token.head
    return True


def _quantity(token: Token) -> bool:
    """ "200 million bottles", "1.5 GW": a noun counted by a number."""
    return token.like_num or any(child.like_num or child.dep_ == "nummod" for child in token.children)


def _after_to(token: Token) -> bool:
    return token.i > 0 and token.doc[token.i - 1].lower_ == "to"


def _subject_text(sent: Span) -> str | None:
    """The subject noun phrase of the main verb, up to its head word ("Acme", not "Acme, with its …")."""
    root = sent.root
    for child in root.children:
        if child.dep_ in _SUBJECTS:
            return sent.doc[child.left_edge.i : child.i + 1].text
    return None


def _full_subject(sent: Span) -> str | None:
    """The whole subject of the main verb, with what follows its head word ("partners like Acme")."""
    for child in sent.root.children:
        if child.dep_ in _SUBJECTS:
            return sent.doc[child.left_edge.i : child.right_edge.i + 1].text
    return None


def _proper_subject(sent: Span) -> bool:
    return any(child.dep_ == "nsubj" and child.pos_ == "PROPN" for child in sent.root.children)


def _first_person(sent: Span, cues: StatementCues) -> bool:
    subject = (sent._.statement_subject or "").lower()
    return subject in cues.self_words


@Language.factory(COMPONENT, default_config={"cues_path": None})
def make_statement_tagger(nlp: Language, name: str, cues_path: str | None) -> StatementTagger:
    return StatementTagger(nlp, load_cues(Path(cues_path) if cues_path else None))


# ------------------------------------------------------------------------------------- the reader


class StatementReader:
    """Turns tagged sentences into statements, block by block in reading order, one paper after another.

    It keeps what reading order tells: whether the current section is a recommendation section, and in
    a report, who spoke last.
    """

    def __init__(self, cues: StatementCues | None = None) -> None:
        self.cues = cues or load_cues()
        self._paper: str | None = None
        self._in_recommendations = False
        self._speaker: str | None = None
        self._describing = False
        self._offering = False  # the last paragraph led into a list of the contributor's offers
        self._heading_ask: Statement | None = None  # a "Recommendation N: …" heading, until its section shows an ask
        self._offer_section = False  # under a heading such as "What we will do"
        self._quoting_policy = False  # the last paragraph led into a list of what a policy says
        self._headed_asks = False  # the recommendation section was opened by a heading ("Our asks"), not a lead
        self._numbered_heading = re.compile(
            _NUMBERED_HEADING.format(words="|".join(map(re.escape, self.cues.numbered_heading_words))), re.IGNORECASE
        )

    def read(self, doc: Doc, paper: Paper, block: Block, mentions: list[Mention] = ()) -> list[Statement]:
        """The statements of one block's doc; ``mentions`` are the entity mentions read from the same doc."""
        if paper.id != self._paper:
            self._paper, self._in_recommendations, self._speaker = paper.id, False, None
            self._offering, self._heading_ask = False, None  # the caller took the last paper's with ``finish``
            self._offer_section = self._quoting_policy = False
            self._headed_asks = False
        # "Case 1: …", "For example, …": a paragraph telling what someone did, inside a recommendation section.
        self._describing = doc.text.lstrip().lower().startswith(self.cues.description_openings)
        if block.kind != LIST_ITEM:
            # A paragraph (or a short heading) ending in ":" leads into the list below it: "Specifically, we will:"
            # offers what it lists; "The framework commits its parties to:" lists a policy's words
            lead = _lead(doc)
            lead_kind = self._decide(lead, paper, block) if lead is not None else None
            self._offering = lead_kind == "Commitment"
            self._quoting_policy = lead is not None and lead_kind is None and any(e.label_ == "POLICY" for e in lead.ents)
        if block.kind == HEADING or self._pseudo_heading(doc):
            return self._heading(doc, paper, block, mentions)
        decided = []
        for sent in doc.sents:
            speaker = self._speaker_of(sent) if paper.kind == "report" else None
            kind = self._decide(sent, paper, block)
            if kind == "Recommendation" and block.kind == LIST_ITEM and self._quoting_policy and sent._.statement_cue == "imperative":
                kind = None  # "The framework commits parties to:" and then "- protect 30% of land …": the policy's words
            if kind == "Recommendation" and block.kind == LIST_ITEM and (
                    self._offering or self._offer_section and sent._.statement_cue == "imperative"):
                # "We will:" and then "- train 600 engineers …": the items finish the offer; under "What we
                # will do", "- Share our know-how." is one
                kind = "Commitment"
            if kind is not None:
                decided.append((kind, sent, speaker))
        label_end = self._numbered_label_end(doc.text)
        itemised = (block.kind == LIST_ITEM or doc.text.lstrip().lower().startswith(self.cues.enumeration_openings)
                    or label_end is not None  # "Suggestion 5: Cultivate talent. It is …"
                    or _ITEM_MARKER.match(doc.text) is not None)  # "4. Rebuild, not replace. I propose …"
        if itemised and len({kind for kind, _, _ in decided}) == 1:
            # "1. **Invest in talent.** Co-fund, with the universities, an academy …", "Second, open more scenarios.
            # It is suggested that …": an item is one ask or offer, from its first such sentence to its end,
            # however many sentences it takes
            kind, sent, speaker = decided[0]
            sentences = [s for s in doc.sents if s.start >= sent.start]
            while len(sentences) > 1 and sentences[-1].text.rstrip().endswith(":"):
                sentences.pop()  # "… In particular:" leads into the sub-items, which are asks of their own
            decided = [(kind, doc[sent.start : sentences[-1].end], speaker)]
        if any(kind == "Recommendation" for kind, _, _ in decided):
            self._heading_ask = None  # "### Recommendation 4: Train technicians" + "We recommend that …": one ask, the body's
        statements = []
        for kind, span, speaker in decided:
            # "Suggestion 5: …" opens the ask; the label is not part of it
            skip = label_end if label_end is not None and span.start == 0 else 0
            statement = self._statement(kind, span, paper, block, mentions, skip=skip)
            if statement is not None:
                statement.speaker = speaker
                if speaker and speaker in statement.text:
                    # The statement names its speaker's organisation, whatever the NER took it for.
                    statement.mentions.append(Mention(speaker, "Organization", statement.evidence))
                statements.append(statement)
        if doc._.announces_recommendations:
            self._in_recommendations, self._headed_asks = True, False
        return statements

    def _pseudo_heading(self, doc: Doc) -> bool:
        """A short line without a full stop that names a recommendation section ("Suggestion: …")."""
        text = doc.text.strip()
        return (
            len(text) <= MAX_PSEUDO_HEADING
            and not text.endswith((".", "!", "?", "。"))
            and not _SENTENCE_END.search(text)  # "Build a field. We recommend …, in particular:" is prose
            and any(cue in text.lower() for cue in self.cues.heading_cues)
        )

    def _heading(self, doc: Doc, paper: Paper, block: Block, mentions: list[Mention]) -> list[Statement]:
        text = doc.text.strip()
        lowered = text.lower()
        if text == (paper.title or "").strip():
            pass  # the paper's title ("… Proposals for Northport") heads the whole paper, not a section of asks
        elif any(cue in lowered for cue in self.cues.non_recommendation_headings):
            self._in_recommendations = False  # "Not asking for", "Background — not requests"
        elif any(cue in lowered for cue in self.cues.heading_cues):
            self._in_recommendations = self._headed_asks = True
        elif not _SUBHEADING.match(text) and not any(s._.statement_kind == ASK for s in doc.sents):
            # A new unnumbered or top-level heading ends the recommendation section, unless it is itself an ask.
            self._in_recommendations = False
        elif any(s._.statement_kind == ASK for s in doc.sents):
            self._in_recommendations = True
        self._offer_section = any(re.search(rf"\b{re.escape(cue)}s?\b", lowered) for cue in self.cues.commitment_headings)
        unsaid = self.finish()  # the last "Recommendation N:" heading had no ask under it: it is the ask
        label_end = self._numbered_label_end(doc.text)
        if label_end is not None and len(doc.text) - label_end >= MIN_CHARACTERS // 2:
            statement = self._statement("Recommendation", doc[:], paper, block, mentions, skip=label_end)
            if block.kind != HEADING:
                return unsaid + ([statement] if statement else [])  # a line of its own ("Suggestion 1: A data hub")
            self._heading_ask = statement
        return unsaid

    def _numbered_label_end(self, text: str) -> int | None:
        """Where a "Recommendation N:" / "Suggestion N:" label ends, after any bullet or item number before it."""
        marker = _ITEM_MARKER.match(text)
        start = marker.end() if marker else 0
        match = self._numbered_heading.match(text[start:])
        return start + match.end() if match else None

    def finish(self) -> list[Statement]:
        """The "Recommendation N: …" heading still waiting for its section's ask, at the end of that section or
        paper: with no ask under it, the heading states the recommendation itself."""
        heading, self._heading_ask = self._heading_ask, None
        return [heading] if heading is not None else []

    def _decide(self, sent: Span, paper: Paper, block: Block) -> str | None:
        kind, cue = sent._.statement_kind, sent._.statement_cue
        if paper.kind == "report" and any(t.lower_ in self.cues.asking_verbs for t in sent):
            return "Recommendation"
        if kind == OFFER:
            if self._is_self(sent._.statement_subject, paper) or self._names_contributor(_full_subject(sent), paper):
                return "Commitment"
            kind, cue = sent._.statement_if_not_offer
        if kind == ASK:
            reported_by_other = cue == REPORTED and not self._is_self(sent._.statement_reporter, paper)
            return "Recommendation" if not reported_by_other or paper.kind == "report" else None
        if cue == "gerund" and block.kind != LIST_ITEM:
            return None
        if cue == "noun phrase" and (block.kind != LIST_ITEM or not self._headed_asks or self._quoting_policy):
            return None  # a noun phrase asks only as an item under a recommendation heading
        if kind == SECTION_ASK and self._in_recommendations and not self._describing:
            return "Commitment" if self._is_self(sent._.statement_subject, paper) else "Recommendation"
        return None

    def _names_contributor(self, subject: str | None, paper: Paper) -> bool:
        """Whether a whole subject names the contributor as its example ("partners like Acme can …")."""
        if not subject:
            return False
        words = f" {normal_form(subject)} "
        names = (normal_form(name) for name in [paper.contributor or "", *paper.contributor_aliases])
        return any(len(name) > 2 and f" {name} " in words.replace("'s ", " ") for name in names)

    def _is_self(self, subject: str | None, paper: Paper) -> bool:
        """Whether a subject refers to the contributor: "we", "the company", or one of its names."""
        if not subject:
            return False
        lowered = subject.lower()
        if lowered in self.cues.self_words or lowered.split()[0] in ("we", "our"):
            return True
        key = normal_form(subject)
        if not key:
            return False
        names = [paper.contributor or "", *paper.contributor_aliases]
        for name in names:
            form = normal_form(name)
            initials = "".join(word[0] for word in form.split())
            if subject.isalpha() and subject.isupper() and len(subject) >= 2 and initials.startswith(subject.lower()):
                return True  # an acronym of its name: "NW" for "Northwind Traders"
            if form and (key == form or key.startswith(form + " ") or form.startswith(key + " ")
                         or form.split()[0] == key.split()[0] and len(form.split()[0]) > 2):
                return True
        return False

    def _speaker_of(self, sent: Span) -> str | None:
        """The organisation of the person a report quotes here ("Ann Lee, CTO, Acme Ltd, suggested …").

        The person's appositives are read by their commas rather than by the NER labels, which often
        take a company for a person here: the organisation is the part after "of"/"at" in a job title,
        or the appositive that is not a job title.
        """
        for verb in (t for t in sent if t.lower_ in self.cues.reporting_verbs):
            subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
            if subject is not None and subject.i < verb.i:
                phrase = sent.doc[subject.left_edge.i : verb.i]
            elif subject is not None or verb.i + 1 < sent.end:
                phrase = sent.doc[verb.i + 1 : sent.end]  # "…," said Ann Lee, CTO of Acme.
            else:
                continue
            if phrase[:1].text.lower() in ("he", "she", "they"):
                return self._speaker
            organisation = self._organisation_in(phrase.text)
            if organisation:
                self._speaker = organisation
                return organisation
        return None

    def _organisation_in(self, phrase: str) -> str | None:
        """"Ann Lee, chief executive of Acme Ltd" → "Acme Ltd"; "Ann Lee, CEO, Acme" → "Acme"."""
        parts = [part.strip(" “”\"'.") for part in phrase.split(",")]
        name = parts[0].split()
        if not 2 <= len(name) <= 4 or not all(word[:1].isupper() for word in name):
            return None  # the first part must be a person's name
        organisation = None
        for part in parts[1:]:
            words = part.split()
            if not words:
                continue
            lowered = [word.lower() for word in words]
            if any(word in self.cues.title_words for word in lowered):
                for link in ("of", "at"):
                    if link in lowered[1:]:
                        organisation = " ".join(words[len(lowered) - lowered[::-1].index(link):])
            elif words[0][:1].isupper():
                organisation = part
        return organisation or None

    def _statement(
        self, kind: str, span: Span, paper: Paper, block: Block, mentions: list[Mention], skip: int = 0
    ) -> Statement | None:
        text = span.text
        start = span.start_char + skip
        marker = _ITEM_MARKER.match(text[skip:])
        if marker:
            start += marker.end()
        end = span.end_char
        body = span.doc.text[start:end]
        stripped = body.rstrip()
        end -= len(body) - len(stripped)
        body = stripped.lstrip()
        start += len(stripped) - len(body)
        if len(body) < MIN_CHARACTERS or body.endswith(":"):
            return None
        offset = block.start
        quote = paper.text[offset + start : offset + end]
        evidence = Evidence(paper.id, offset + start, offset + end, quote, block.page)
        inside = [m for m in mentions if m.evidence.start < evidence.end and evidence.start < m.evidence.end
                  and m.text in quote]
        return Statement(kind, quote, evidence, section=block.section, mentions=inside)
