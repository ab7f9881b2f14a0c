"""Relations read from sentences: what a policy targets, where the contributor operates, whose subsidiary.

``RelationReader.read`` is called for each prose block of a paper in order, so it can carry a policy
from a sentence that announces targets ("… sets clear and ambitious targets, including:") to the list
items that follow. Cue words come from ``ontology/gazetteer/relation_cues.json``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

from spacy.lang.en import English
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from ..model import HEADING, LIST_ITEM, PARAGRAPH, TABLE, Block, Evidence, Mention, Paper, Relation
from ..resources import ontology_path
from .entities import TERMS_KEY, closing_bracket, mention_kind, mention_text, sentence_evidence
from .policies import CLOSING, OPENING
from .resolve import organisation_core
from .statements import ASK

_YEAR = r"^(19|20)\d\d$"
_NEAR = 6  # tokens: how close a place, a presence cue and the owner's name must stand
_QUANTIFIERS = ["multiple", "several", "numerous", "dozens", "hundreds", "thousands"]
# spaCy counts ordinals as numbers ("first" is like_num): "the 4th plan", "the first smart park" count nothing
_ORDINAL = re.compile(r"^(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)$",
                      re.IGNORECASE)
# A verb's arguments that say what is done, to what, for whom and to what end; its subject, auxiliaries
# and adverbs do not.
_ARGUMENTS = frozenset({"dobj", "attr", "oprd", "dative", "xcomp", "advcl", "prep", "acomp", "ccomp", "agent", "npadvmod"})
# What a policy's own phrase adds: "X (to boost its software industry)", "X, which aims to …", "X for Y".
_OWN_MODIFIERS = frozenset({"acl", "relcl", "prep"})
# Words of these entity types say when, where or who, not what a policy is for.
_NOT_CONTENT = frozenset(
    {"DATE", "TIME", "ORDINAL", "GPE", "LOC", "FAC", "ORG", "PERSON", "NORP", "EVENT", "LAW", "WORK_OF_ART",
     "POLICY", "GOV_ORG", "PLACE"}
)
_MAX_TARGET_TOKENS = 40
_ASIDE_DASHES = ("–", "—")
_NAME_WORD = r"(?:[A-Z][\w&'’-]*|\([A-Z][\w ]*\))"  # a title-case word of a name, or a bracketed one: "(Northport)"
_LEGAL_FORM = r"(?:Co\.,?\s*Ltd\.?|Ltd\.?|Limited|Inc\.?|GmbH|LLC)"
_MAX_BRACKETED_NAME = 6  # tokens: a bracket this short after a policy is its years or acronym, read past it
_ENUMERATOR = re.compile(r"^[-•*·\s]*(?:\(?\d{1,2}[.)]\s+)?")
_ANTECEDENT_REACH = 2  # sentences after a policy's sentence that may still refer to it ("These measures …")
# What links a goal noun to the goals it announces: "Its aim is that …", "Its purpose is to …"
_LINKING_WORDS = frozenset({"is", "are", "was", "were", "include", "includes", "included", "to", "that"})
_GOAL_DETERMINERS = frozenset({"one", "the", "a", "an", "its", "their"})  # "One important goal is …", not "Our goal"


@dataclass(frozen=True)
class RelationCues:
    presence: tuple[str, ...]
    not_presence: tuple[str, ...]
    third_parties: tuple[str, ...]  # "our dealers in Northport": a site near one of these is someone else's
    self_reference: frozenset[str]
    subsidiary: tuple[str, ...]
    target_intro: tuple[str, ...]
    target_units: tuple[str, ...]
    not_target_units: frozenset[str]
    naming_participles: frozenset[str]
    policy_anaphora: frozenset[str]
    policy_action_nouns: frozenset[str]
    anaphora_determiners: frozenset[str]
    background_marks: frozenset[str]
    scene_prepositions: frozenset[str]
    discourse_phrases: frozenset[str]
    purpose_leads: tuple[tuple[str, ...], ...]
    response_verbs: frozenset[str]
    comment_participles: frozenset[str]
    source_prepositions: frozenset[str]
    goal_nouns: frozenset[str]


@cache
def relation_cues(path: str = "gazetteer/relation_cues.json") -> RelationCues:
    data = json.loads(ontology_path(path).read_text(encoding="utf-8"))
    return RelationCues(
        presence=tuple(data["presence"]),
        not_presence=tuple(data["not_presence"]),
        third_parties=tuple(data["third_parties"]),
        self_reference=frozenset(data["self_reference"]),
        subsidiary=tuple(data["subsidiary"]),
        target_intro=tuple(data["target_intro"]),
        target_units=tuple(data["target_units"]),
        not_target_units=frozenset(data["not_target_units"]),
        naming_participles=frozenset(data["naming_participles"]),
        policy_anaphora=frozenset(data["policy_anaphora"]),
        policy_action_nouns=frozenset(data["policy_action_nouns"]),
        anaphora_determiners=frozenset(data["anaphora_determiners"]),
        background_marks=frozenset(data["background_marks"]),
        scene_prepositions=frozenset(data["scene_prepositions"]),
        discourse_phrases=frozenset(data["discourse_phrases"]),
        purpose_leads=tuple(tuple(phrase.split()) for phrase in data["purpose_leads"]),
        comment_participles=frozenset(data["comment_participles"]),
        response_verbs=frozenset(data["response_verbs"]),
        source_prepositions=frozenset(data["source_prepositions"]),
        goal_nouns=frozenset(data["goal_nouns"]),
    )


class _Matchers:
    """Matchers built once per vocabulary: quantified goals and the cue phrases."""

    def __init__(self, doc: Doc, cues: RelationCues) -> None:
        vocab = doc.vocab
        self.vocab = vocab
        units = list(cues.target_units)
        by_year = [{"LOWER": {"IN": ["by", "in", "before", "until"]}}, {"TEXT": {"REGEX": _YEAR}}]
        modifiers = {"POS": {"IN": ["ADJ", "NOUN", "PROPN", "VERB"]}, "IS_PUNCT": False, "OP": "*"}
        body = [modifiers, {"LOWER": {"IN": units}}]
        counted = [modifiers, {"POS": "NOUN"}]  # "12 automated container yards": any counted noun
        self.goals = Matcher(vocab)
        for first in ({"LIKE_NUM": True}, {"LOWER": {"IN": _QUANTIFIERS}}):
            self.goals.add("GOAL", [[first, *body], [first, *body, *by_year], [first, *counted], [first, *counted, *by_year]])
            self.goals.add("GOAL", [[first, {"LOWER": {"IN": ["%", "percent"]}}, {"IS_ALPHA": True, "OP": "*"}, *by_year]])
        self.cues = PhraseMatcher(vocab, attr="LOWER")
        tokenizer = English(vocab=vocab).tokenizer  # cue phrases tokenised like the text, same vocabulary
        for label, phrases in (
            ("PRESENCE", cues.presence),
            ("NOT_PRESENCE", cues.not_presence),
            ("THIRD_PARTY", cues.third_parties),
            ("SUBSIDIARY", cues.subsidiary),
            ("TARGET_INTRO", cues.target_intro),
        ):
            self.cues.add(label, [tokenizer(phrase) for phrase in phrases])


class RelationReader:
    """Reads relations from the blocks of papers, in reading order."""

    def __init__(self) -> None:
        self.cues = relation_cues()
        self._matchers: _Matchers | None = None
        self._paper: str | None = None
        self._names: re.Pattern[str] | None = None
        self._own_companies: re.Pattern[str] | None = None
        self._places: set[str] = set()  # the places the paper has named so far
        self._pending_policy: Mention | None = None  # a policy whose targets the next list items give
        self._antecedents: list[Mention] = []  # the policies of the last sentence that named any
        self._since_antecedent = 0  # sentences read since then
        self._goal_follows = False  # "Its goal is explicit.": the next sentence states the last policy's goal
        self._topic: Mention | None = None  # the policy a block opens with ("**X Plan (2024).** It aims …")
        self._last_kind: str | None = None  # the kind of the block read before: a table's first row is its header

    def _start(self, paper: Paper) -> None:
        self._paper = paper.id
        self._pending_policy = None
        self._antecedents = []
        self._goal_follows = False
        self._places = set()
        names = {paper.contributor or "", *paper.contributor_aliases}
        names |= {organisation_core(name) for name in names if name}
        # Papers call their contributor by its first word too ("Globexes", "Initech"), when it is a
        # distinctive name rather than a common word ("General Widgets").
        first_words = {name.split()[0] for name in names if " " in name and name[:1].isupper()}
        names |= {word + "s?" for word in first_words if len(word) >= 5 and word.lower() not in STOP_WORDS}
        # A contributor listed by its initials ("GX") may sign with the full name that starts with them
        # ("GXTronics"): a word the paper uses at least twice is that name too.
        for short in [name for name in names if name.isupper() and 2 <= len(name) <= 4]:
            longer = re.findall(rf"(?<![\w&]){re.escape(short)}[A-Z]?[a-z]\w{{3,}}", paper.text)
            names |= {word for word in set(longer) if longer.count(word) >= 2}
        names = {name for name in names if len(name) >= 2}
        alternation = "|".join(_name_pattern(n) for n in sorted(names, key=len, reverse=True))
        self._names = re.compile(r"(?<![\w&])(?:" + alternation + r")(?![\w&])", re.IGNORECASE) if names else None
        # "Northport Acme Pharmaceutical Co., Ltd.", "Acme (Northport) Compressor Co., Ltd.": a company of the
        # contributor's, named in title case around its name and ending in a legal form
        self._own_companies = re.compile(
            rf"(?:{_NAME_WORD}\s+){{0,4}}(?i:{alternation})(?![\w&])(?:\s+{_NAME_WORD}){{0,6}},?\s+{_LEGAL_FORM}"
        ) if names else None

    def read(self, doc: Doc, paper: Paper, block: Block) -> list[Relation]:
        """Relations in one block's doc (offsets into the paper text)."""
        if self._paper != paper.id:
            self._start(paper)
        if self._matchers is None or self._matchers.vocab is not doc.vocab:
            self._matchers = _Matchers(doc, self.cues)
        relations: list[Relation] = []
        cue_hits: dict[int, set[str]] = {}
        facilities: dict[int, list[tuple[int, int]]] = {}  # sentence start → presence cue positions
        subsidiary_cues: dict[int, list[tuple[int, int]]] = {}
        third_parties: dict[int, list[tuple[int, int]]] = {}
        for match_id, start, end in self._matchers.cues(doc):
            label = doc.vocab.strings[match_id]
            cue_hits.setdefault(doc[start].sent.start, set()).add(label)
            if label == "PRESENCE":
                facilities.setdefault(doc[start].sent.start, []).append((start, end))
            elif label == "SUBSIDIARY":
                subsidiary_cues.setdefault(doc[start].sent.start, []).append((start, end))
            elif label == "THIRD_PARTY":
                third_parties.setdefault(doc[start].sent.start, []).append((start, end))
        header, self._last_kind = self._last_kind != TABLE, block.kind
        if block.kind == TABLE:
            return self._row_targets(doc, paper, block, header)
        goals = _longest([m for m in self._matchers.goals(doc) if not re.match(_YEAR, doc[m[1]].text)])
        self._topic = self._lead_policy(doc, paper, block)
        if self._topic is not None:
            self._pending_policy = None  # an item about a policy of its own ends the last policy's list of targets
        if block.kind == LIST_ITEM and self._pending_policy is not None:
            if doc.text.rstrip().endswith(":"):
                self._pending_policy = None  # a new sub-list begins ("- Research Centres:"): its lead says what it lists
            else:
                relations.extend(self._list_item_targets(doc, paper, block))
        elif block.kind != LIST_ITEM:
            self._pending_policy = None
        if block.kind == HEADING:
            self._antecedents = []  # "This plan" in a new section does not mean the last section's plan
        self._places.update(ent.text for ent in doc.ents if mention_kind(ent) == "Place" and len(ent.text) >= 3)
        for sent in doc.sents:
            cues = cue_hits.get(sent.start, set())
            relations.extend(self._targets(sent, paper, block, goals, cues))
            if paper.contributor:
                relations.extend(self._named_after_place(sent, paper, block))
            sites = facilities.get(sent.start, [])
            # an ask says what should be, not where the contributor is: "Our suggestion is that Northport establish
            # a repair centre"
            if (paper.contributor and "PRESENCE" in cues and "NOT_PRESENCE" not in cues and not _denied(sent, sites)
                    and sent._.statement_kind != ASK):
                relations.extend(self._presence(sent, paper, block, sites, third_parties.get(sent.start, [])))
            if paper.contributor and "SUBSIDIARY" in cues:
                relations.extend(self._subsidiaries(sent, paper, block, subsidiary_cues.get(sent.start, [])))
        return relations + _in_parent_cities(relations, paper)

    def _targets(self, sent: Span, paper: Paper, block: Block, goals: list[tuple[int, int]], cues: set[str]) -> list[Relation]:
        """What the policies named in ``sent`` target: quantified goals, the other arguments of the verb
        whose argument names the policy ("X outlines the development of …", "Through X, the city has
        strengthened …", "launched X, cultivating …"), the policy's own modifiers ("X (to boost …)"),
        and the industries and places in those.

        A sentence naming no policy may refer back to the last one ("These measures cover …").
        """
        policies = [ent for ent in sent.ents if ent.label_ == "POLICY"]
        evidence = sentence_evidence(sent, paper.id, block.start, block.page)
        if not policies:
            announced = self._topic or (self._antecedents[-1] if self._antecedents
                                        and self._since_antecedent < _ANTECEDENT_REACH else None)
            if announced is not None and sent.text.rstrip().endswith(":") and "TARGET_INTRO" in cues:
                self._pending_policy = announced  # "… issued the X Plan. Its main targets for 2025 are:"
            return self._anaphoric_targets(sent, goals, evidence)
        subjects = [_mention(policy, evidence) for policy in policies]
        self._antecedents, self._since_antecedent, self._goal_follows = subjects, 0, False
        if sent.text.rstrip().endswith(":") and ("TARGET_INTRO" in cues or not _has_verb_outside(sent, policies)):
            # "… sets ambitious targets, including:" or a lead naming only the policy ("“Plan 2025” (P25):")
            self._pending_policy = subjects[-1]
        relations = []
        for start, end in goals:
            if sent.start <= start and end <= sent.end and self._is_goal(sent.doc[start:end], policies):
                before = [s for p, s in zip(policies, subjects) if p.start <= start] or subjects[:1]
                relations.append(Relation(before[-1], "targets", Mention(sent.doc[start:end].text, "Target", evidence), evidence))
        for policy, subject in zip(policies, subjects):
            for argument in self._arguments(policy):
                relations.extend(self._argument_targets(subject, argument, policies, evidence))
            for phrase in (self._bracketed_purpose(policy), self._source_clause(policy)):
                if phrase is not None:
                    relations.extend(self._phrase_targets(subject, phrase, evidence))
        for _, target in _inline_goals(sent, evidence):
            relations.append(Relation(subjects[-1], "targets", target, evidence))
        return relations

    def _anaphoric_targets(self, sent: Span, goals: list[tuple[int, int]], evidence: Evidence) -> list[Relation]:
        """ "These policies form a framework covering …", "This system focuses on …": a demonstrative
        noun phrase headed by a policy word, a sentence or two after policies were named, stands for them.
        Without one, a sentence in a block that opens with a policy's name is about that policy."""
        self._since_antecedent += 1
        if self._goal_follows and self._since_antecedent == 2:
            self._goal_follows = False
            return [relation for subject in self._antecedents for relation in self._phrase_targets(subject, sent, evidence)]
        self._goal_follows = False
        if not self._antecedents or self._since_antecedent > _ANTECEDENT_REACH:
            return self._topic_targets(sent, goals, evidence)
        anaphor = next((t for t in sent if self._is_anaphor(t)), None)
        if anaphor is None and self._since_antecedent == 1 and len(self._antecedents) == 1:
            # "… issued the Action Plan for X. It aims to bring …": "it" as the subject of the very next
            # sentence stands for the one policy just named
            anaphor = next((t for t in sent if t.lower_ == "it" and t.dep_ in ("nsubj", "nsubjpass")
                            and t.head.i == sent.root.i), None)
        if anaphor is None and self._since_antecedent == 1:
            goal_noun = self._possessed_goal(sent)
            if goal_noun is not None:
                return self._stated_goals(sent, goal_noun, evidence)
        if anaphor is None and self._topic is None and self._since_antecedent == 1 and len(self._antecedents) == 1:
            # "… raised the ambition for renewables. The EU must now reach at least 42.5% renewables by 2030.": a
            # quantified goal with a deadline right after one policy is named is that policy's
            return self._goal_targets(sent, [goal for goal in goals if _has_deadline(sent.doc[goal[0] : goal[1]])],
                                      self._antecedents, evidence)
        if anaphor is None:
            return self._topic_targets(sent, goals, evidence)
        if anaphor.pos_ == "PRON":
            subjects = self._antecedents
        elif anaphor.tag_ in ("NNS", "NNPS"):
            subjects = self._antecedents
        elif self._pending_policy is not None:
            subjects = [self._pending_policy]
        else:
            named = [m for m in self._antecedents if anaphor.lower_ in m.text.lower()]
            subjects = (named or self._antecedents)[-1:]
        span = sent.doc[anaphor.i : anaphor.i + 1]
        relations = self._goal_targets(sent, goals, subjects, evidence)
        for argument in self._arguments(span):
            for subject in subjects:
                relations.extend(self._argument_targets(subject, argument, [], evidence))
        source = self._source_clause(span)
        if source is not None:
            for subject in subjects:
                relations.extend(self._phrase_targets(subject, source, evidence))
        return relations

    def _possessed_goal(self, sent: Span):
        """ "Its purpose is to …", "Among their goals for 2025 are …", "One important goal is to …": a goal noun
        of the policy (or, with "their", the policies) just named; "The headline goal is …" too."""
        for token in sent:
            if token.lower_ in ("its", "their") and token.dep_ == "poss" and token.head.lower_ in self.cues.goal_nouns:
                if token.lower_ == "their" or len(self._antecedents) == 1:
                    return token.head
        subject = next((t for t in sent.root.children if t.dep_ == "nsubj"), None)
        if (subject is not None and subject.lower_ in self.cues.goal_nouns and sent.root.lower_ in _LINKING_WORDS
                and len(self._antecedents) == 1
                and all(t.lower_ in _GOAL_DETERMINERS or t.dep_ in ("amod", "compound") for t in subject.lefts)):
            return subject
        return None

    def _stated_goals(self, sent: Span, goal_noun, evidence: Evidence) -> list[Relation]:
        """What the rest of the sentence says, once the phrase holding the goal noun is set aside: "Its aim is
        that …" → "…", "Among its goals for 2025 are X and Y" → "X and Y"."""
        phrase = goal_noun
        while phrase.head.i != sent.root.i and phrase.i != sent.root.i:
            phrase = phrase.head
        start, end = phrase.left_edge.i, phrase.right_edge.i + 1
        if start != sent.start:
            return []
        while end < sent.end and (sent.doc[end].lower_ in _LINKING_WORDS or sent.doc[end].is_punct):
            end += 1  # "is to …", "are: …", "is that …"
        clause = sent.doc[end : sent.end]
        if all(t.pos_ in ("ADJ", "ADV", "PUNCT") for t in clause):
            self._goal_follows = True  # "Its long-term goal is explicit." says that the next sentence states it
            return []
        return [relation for subject in self._antecedents for relation in self._phrase_targets(subject, clause, evidence)]

    def _goal_targets(self, sent: Span, goals: list[tuple[int, int]], subjects: list[Mention], evidence: Evidence) -> list[Relation]:
        relations = []
        for start, end in goals:
            if sent.start <= start and end <= sent.end and self._is_goal(sent.doc[start:end], []):
                target = Mention(sent.doc[start:end].text, "Target", evidence)
                relations.extend(Relation(subject, "targets", target, evidence) for subject in subjects)
        return relations

    def _topic_targets(self, sent: Span, goals: list[tuple[int, int]], evidence: Evidence) -> list[Relation]:
        """ "**X Plan (2024).** The plan sets … Mobilises EUR 40 billion …": the sentences of a block that opens
        with a policy's name say what it does, unless the contributor is their subject ("We support it …")."""
        if self._topic is None or self._owner_in_subject(sent):
            return []
        relations = self._goal_targets(sent, goals, [self._topic], evidence)
        root = sent.root
        if root.pos_ in ("VERB", "AUX"):
            for argument in self._without_scene(_verb_arguments(root)):
                relations.extend(self._argument_targets(self._topic, argument, [], evidence))
        elif root.i == next((t.i for t in sent if t.is_alpha), None):
            # "Mobilises EUR 43 billion …": a description that leaves out its subject, the policy
            relations.extend(self._phrase_targets(self._topic, sent, evidence))
        relations.extend(Relation(self._topic, "targets", target, evidence) for _, target in _inline_goals(sent, evidence))
        return relations

    def _lead_policy(self, doc: Doc, paper: Paper, block: Block) -> Mention | None:
        """The policy a paragraph or list item opens with when its first sentence, or what comes before its first
        dash or colon, only names it: "**X Plan (2024).**", "Jiangsu's **Y Belt** —", "The “Z” goals."."""
        if block.kind not in (PARAGRAPH, LIST_ITEM):
            return None
        first = next(doc.sents)
        policies = [ent for ent in first.ents if ent.label_ == "POLICY"]
        if len(policies) != 1:
            return None
        policy = policies[0]
        end = next((t.i for t in first if t.i >= policy.end and t.text in (*_ASIDE_DASHES, ":")), first.end)
        depth = 0
        for token in doc[first.start : end]:
            depth += token.text == "("
            if not (policy.start <= token.i < policy.end or depth or token.is_punct or token.text in ("*", "'s", "’s")
                    or token.lower_ in ("the", "its") or token.like_num or token.ent_type_ in ("DATE", "GPE", "NORP", "LOC")
                    or token.is_lower and token.pos_ == "NOUN" and policy.root.head.i == token.i):  # "the “X” goals"
                return None
            depth -= token.text == ")"
        evidence = sentence_evidence(first, paper.id, block.start, block.page)
        return _mention(policy, evidence)

    def _source_clause(self, anaphor: Span) -> Span | None:
        """ "According to the plan, by 2027 equipment investment will grow by 25%": the clause a policy is the
        source of, when the source phrase opens or closes the sentence."""
        sent = anaphor.sent
        phrase = next((t for t in anaphor.root.ancestors if t.dep_ == "prep" and t.head.i == sent.root.i), None)
        if phrase is None or phrase.lower_ not in self.cues.source_prepositions:
            return None
        start, end = phrase.left_edge.i, phrase.right_edge.i + 1
        if start == sent.start:
            clause = sent.doc[end : sent.end]
        elif end >= sent.end - 1:
            clause = sent.doc[sent.start : start]
        else:
            return None
        if self._owner_in_subject(sent):
            return None  # "Under the plan, we have trained …": what the contributor did
        return clause if len(clause) > 3 else None

    def _row_targets(self, doc: Doc, paper: Paper, block: Block, header: bool) -> list[Relation]:
        """A table's rows, its header row aside: each row is a target of the policy a lead announced ("The main
        targets for 2025 are as follows:"); else, in a row that names one policy, its other cells are ("| National |
        Widget Plan (2021–2035) | widgets at 20% of sales | 2025 |")."""
        if header:
            return []
        cells = [(m.start(), m.end()) for m in re.finditer(r"[^\t]+", doc.text) if m.group().strip(" *")]
        evidence = Evidence(paper.id, block.start, block.end, doc.text, block.page)
        if self._pending_policy is not None:
            text = ": ".join(doc.text[start:end].strip(" *") for start, end in cells)
            return [Relation(self._pending_policy, "targets", Mention(text, "Target", evidence), evidence)] if len(text) >= 4 else []
        policies = [ent for ent in doc.ents if ent.label_ == "POLICY"]
        if len(policies) != 1:
            return []
        policy = policies[0]
        subject = _mention(policy, evidence)
        relations = []
        for start, end in cells:
            if start < policy.end_char and policy.start_char < end:
                continue
            text = doc.text[start:end].strip(" *")
            if len(text.split()) >= 2 and any(ch.isalpha() for ch in text):
                relations.append(Relation(subject, "targets", Mention(text, "Target", evidence), evidence))
        return relations

    def _is_anaphor(self, token) -> bool:
        return (
            token.lower_ in self.cues.policy_anaphora
            and token.pos_ in ("NOUN", "PROPN")
            and not token.ent_type_
            and any(child.dep_ == "det" and child.lower_ in self.cues.anaphora_determiners for child in token.children)
        )

    def _is_goal(self, goal: Span, policies: list[Span]) -> bool:
        """A quantified goal, not a count of years or editions ("two consecutive years", "the 4th plan")
        nor part of a policy's name ("the “100 Experiments” program")."""
        if any(goal.start < p.end and p.start < goal.end for p in policies):
            return False
        if _ORDINAL.match(goal[0].text):
            return False
        return not any(token.lower_ in self.cues.not_target_units for token in goal)

    def _arguments(self, policy: Span) -> list:
        """Heads of the phrases that say what ``policy`` is for: its own modifiers, and the other
        arguments of the verb that has the policy in one of its arguments."""
        root = policy.root
        # and the phrase's last word: in "“Keep Building” investment in ports" the name qualifies it
        heads = [
            child for token in dict.fromkeys((root, policy[-1])) for child in token.children
            if child.dep_ in _OWN_MODIFIERS and not policy.start <= child.i < policy.end and not self._names_it(child)
            and (token.i == root.i or child.lower_ != "of")  # "… for Accelerating the Development | of …": a name cut short
        ]
        # "X Plan for Widgets, Science and Innovation (2025-2027), which aims …": the parser may hang the relative
        # clause after a long title on any word of it
        heads += [
            child for token in policy for child in token.children
            if child.dep_ == "relcl" and child.i >= policy.end and child not in heads and not self._names_it(child)
        ]
        # "X, issued in 2024 by the ministry and two other authorities, which aims to …": the parser hangs the
        # relative clause on whatever word comes last; in a sentence naming only X, "which aims/sets …" is X's
        if sum(ent.label_ == "POLICY" for ent in policy.sent.ents) == 1:
            heads += [
                clause for clause in policy.doc[policy.end : policy.sent.end]
                if clause.dep_ == "relcl" and clause.lower_ in self.cues.target_intro and clause not in heads
                and any(child.dep_ in ("nsubj", "nsubjpass") and child.lower_ in ("which", "that") for child in clause.children)
            ]
        branch, verb = root, root.head
        # climb to the verb; a participle naming or dating a noun ("the plan, titled X, sets …",
        # "X, released in 2023, aims …") or standing for a preposition ("According to X") is not
        # what the policy does: climb past it
        while verb.i != branch.i and (verb.pos_ not in ("VERB", "AUX") or self._names_it(verb) or verb.dep_ == "prep"):
            if self._other_thing(verb, policy):
                return self._without_scene(heads)  # "the intersection of X", "during the X period": X is no actor here
            branch, verb = verb, verb.head
        if verb.lower_ in self.cues.response_verbs:
            return self._without_scene(heads)  # "the city responds to X by …": what the city does, not X
        if verb.pos_ in ("VERB", "AUX") and not policy.start <= verb.i < policy.end and not self._names_it(verb):
            heads.extend(child for child in verb.children if child.i != branch.i and child.dep_ in _ARGUMENTS)
        return self._without_scene(heads)

    def _other_thing(self, token, policy: Span) -> bool:
        """A noun on the way from a policy to its verb that the verb is about instead of the policy:
        not the policy's own name, a policy word ("policies such as X"), an act on it ("enforcement
        of X") or the subject ("projects under X are …")."""
        return (
            token.pos_ in ("NOUN", "PROPN")
            and not policy.start <= token.i < policy.end
            and token.lower_ not in self.cues.policy_anaphora
            and token.lower_ not in self.cues.policy_action_nouns
            and token.dep_ not in ("nsubj", "nsubjpass", "appos", "conj")
        )

    def _without_scene(self, heads: list) -> list:
        return [head for head in heads if not self._sets_the_scene(head) and not self._comments(head)]

    def _comments(self, head) -> bool:
        """ "…, reflecting a strong commitment to X", "…, signalling that …": the writer's comment on the
        fact, not what the policy sets out to do."""
        return head.dep_ in ("advcl", "xcomp", "acl") and head.tag_ == "VBG" and head.lower_ in self.cues.comment_participles

    def _sets_the_scene(self, head) -> bool:
        """ "As China promotes …", "For example", "Amid this transformation": background, not a target."""
        if head.dep_ == "advcl":
            return any(child.dep_ == "mark" and child.lower_ in self.cues.background_marks for child in head.children)
        if head.dep_ == "prep":
            if head.lower_ == "as" and any(child.dep_ == "dobj" and child.i < head.i for child in head.head.children):
                return False  # "positions the city as a hub": the role it gives, not "As a pioneer, …" nor "seen as …"
            phrase = " ".join(t.lower_ for t in head.subtree)
            return head.lower_ in self.cues.scene_prepositions or phrase in self.cues.discourse_phrases
        return False

    def _names_it(self, token) -> bool:
        return token.dep_ in ("acl", "relcl", "advcl") and token.lower_ in self.cues.naming_participles

    def _argument_targets(self, subject: Mention, head, policies: list[Span], evidence: Evidence) -> list[Relation]:
        start, end = head.left_edge.i, head.right_edge.i + 1
        if any(start < p.end and p.start < end for p in policies):
            return []  # another policy's name, or the policy itself: not what it targets
        return self._phrase_targets(subject, head.doc[start:end], evidence)

    def _phrase_targets(self, subject: Mention, span: Span, evidence: Evidence) -> list[Relation]:
        """The phrase as a target when it has content words, and the industries and places in it."""
        doc, start, end = span.doc, span.start, span.end
        if not len(span) or span[-1].dep_ == "case":
            return []  # "the alignment between Germany’s": the parser cut the phrase before its noun
        content = [t for t in span if (t.is_alpha or t.like_num) and not t.is_stop and t.ent_type_ not in _NOT_CONTENT]
        relations = []
        if content:
            text = _target_text(span)
            if len(text.split()) >= 2:  # "resources", "AI": a word alone says too little to be a goal
                relations.append(Relation(subject, "targets", Mention(text, "Target", evidence), evidence))
        for term in [*doc.spans.get(TERMS_KEY, []), *doc.ents]:
            if start <= term.start and term.end <= end:
                kind = mention_kind(term)
                if kind == "Industry" or kind == "Place" and content:
                    relations.append(Relation(subject, "targets", _mention(term, evidence), evidence))
        return relations

    def _bracketed_purpose(self, policy: Span) -> Span | None:
        """ "X (to boost its software industry)", "the “X” goals (reaching … by 2030)", "the “X” goals of
        reaching …": a bracket, dashed aside or "of" + gerund right after the policy's phrase, past a
        bracketed year range or acronym, that says what it is for."""
        doc, index, end = policy.doc, policy.end, policy.sent.end
        ancestors = {t.i for t in policy.root.ancestors}
        while index < end:
            token = doc[index]
            if token.text in CLOSING or token.i in ancestors and token.is_lower and token.pos_ == "NOUN":
                index += 1  # a closing quote, the rest of the policy's noun phrase ("… goals")
                continue
            if token.lower_ == "of" and index + 1 < end and doc[index + 1].tag_ == "VBG":
                return doc[index + 1 : token.right_edge.i + 1]  # "the “X” goals of peaking emissions by 2030 and …"
            if token.text in _ASIDE_DASHES:
                # "the “dual carbon” goals – peaking emissions before 2030 and … – give …": a dashed aside
                close = next((t.i for t in doc[index + 1 : end] if t.text in _ASIDE_DASHES), None)
                inner = doc[index + 1 : close] if close is not None else None
                return inner if inner is not None and len(inner) <= _MAX_TARGET_TOKENS and self._states_purpose(inner) else None
            if token.text != "(":
                return None
            close = closing_bracket(doc, index, _MAX_TARGET_TOKENS - 1, limit=end)
            if close is None:
                return None
            inner = doc[index + 1 : close]
            if self._states_purpose(inner):
                return inner
            if len(inner) > _MAX_BRACKETED_NAME:
                return None
            index = close + 1  # "(2022-2025)", "(HI2030)"
        return None

    def _states_purpose(self, phrase: Span) -> bool:
        if not len(phrase):
            return False
        words = tuple(t.lower_ for t in phrase)
        if any(words[: len(lead)] == lead for lead in self.cues.purpose_leads):
            return len(phrase) > 2
        return phrase[0].tag_ == "VBG" and phrase[0].is_lower and len(phrase) > 2  # "(reaching peak … by 2030)"

    def _list_item_targets(self, doc: Doc, paper: Paper, block: Block) -> list[Relation]:
        policy = self._pending_policy
        assert policy is not None
        text = doc.text.strip()
        start = doc.text.find(text)
        core = _ENUMERATOR.sub("", text).rstrip(" .;,")  # "- 40 berths;" → "40 berths", "(2) …" → "…"
        if len(core) < 4:
            return []
        offset = block.start + start + text.find(core)
        evidence = Evidence(paper.id, offset, offset + len(core), core, block.page)
        relations = [Relation(policy, "targets", Mention(core, "Target", evidence), evidence)]
        for span in doc.spans.get(TERMS_KEY, []):
            if span.label_ == "Industry":
                relations.append(Relation(policy, "targets", _mention(span, evidence), evidence))
        return relations

    def _presence(self, sent: Span, paper: Paper, block: Block, facilities: list[tuple[int, int]],
                  third_parties: list[tuple[int, int]] = ()) -> list[Relation]:
        """The contributor's own site, plant, joint venture … in a place: "Acme's Northport facility",
        "our joint venture in Northport", "Acme has established an R&D center in Northport".

        The place, the presence cue and the owner (the contributor's name, "our", "we") must stand
        close together; a cue anywhere in a long sentence is not enough.
        """
        doc = sent.doc
        evidence = sentence_evidence(sent, paper.id, block.start, block.page)
        subject = Mention(paper.contributor or "", "Company", evidence)
        relations = []
        for place in (ent for ent in sent.ents if mention_kind(ent) == "Place"):
            if self._names is not None and self._names.match(place.text):
                continue  # "Acme Smart Park": the contributor's own site or product, not a place it is in
            if place.root.dep_ == "compound" and not any(place.root.head.i in range(start, end) for start, end in facilities):
                continue  # "share our factories' experience with Northport enterprises": the place qualifies another noun
            if any(start - place.end <= _NEAR and place.start - end <= _NEAR for start, end in third_parties):
                continue  # "we serve Northport through our dealers there": the dealers' presence, not ours
            for start, end in facilities:
                if start - place.end > _NEAR or place.start - end > _NEAR:
                    continue
                left = max(sent.start, min(start, place.start) - _NEAR)
                window = doc[left : max(end, place.end)]
                # "Chongqing's industrial parks" belong to the place: only an owner named right there counts
                possessive = place.end < len(doc) and doc[place.end].text in ("'s", "’s") and start >= place.end
                if self._owner_in(window) or not possessive and self._owner_in_subject(sent):
                    relations.append(Relation(subject, "operatesIn", _mention(place, evidence), evidence))
                    break
        return relations

    def _named_after_place(self, sent: Span, paper: Paper, block: Block) -> list[Relation]:
        """ "Acme (Northport) Compressor Co., Ltd.", "Northport Acme Pharmaceutical Co., Ltd.": a company of the
        contributor's named after a place the paper names is the contributor's presence there (the NER rarely
        keeps such a name whole, so it is read from the text)."""
        if self._own_companies is None or self._names is None:
            return []
        relations = []
        for company in self._own_companies.finditer(sent.text):
            evidence = sentence_evidence(sent, paper.id, block.start, block.page)
            owner = Mention(paper.contributor or "", "Company", evidence)
            for place in sorted(self._places):
                if re.search(rf"(?<!\w){re.escape(place)}(?!\w)", company.group()) and not self._names.fullmatch(place):
                    relations.append(Relation(owner, "operatesIn", Mention(place, "Place", evidence), evidence))
        return relations

    def _owner_in_subject(self, sent: Span) -> bool:
        """ "Acme has recently established a new … center in Northport": the owner is the main subject."""
        subjects = [t for t in sent.root.children if t.dep_ in ("nsubj", "nsubjpass")]
        return any(self._owner_in(sent.doc[t.left_edge.i : t.right_edge.i + 1]) for t in subjects)

    def _owner_in(self, window: Span) -> bool:
        if any(token.lower_ in self.cues.self_reference for token in window):
            return True
        return self._names is not None and self._names.search(window.text) is not None

    def _subsidiaries(self, sent: Span, paper: Paper, block: Block, cues: list[tuple[int, int]]) -> list[Relation]:
        """X's parent is the contributor when the text ties them together:
        "our joint venture in Chongqing, X (XC)" (the owner just before the cue, X just after it) or
        "X, a subsidiary of <contributor>" (X just before the cue, the contributor just after it).
        """
        doc = sent.doc
        evidence = sentence_evidence(sent, paper.id, block.start, block.page)
        parent = Mention(paper.contributor or "", "Company", evidence)
        relations = []
        organisations = [e for e in sent.ents if mention_kind(e) == "Organization" and not self._is_contributor(e.text)]
        for start, end in cues:
            owner_before = self._owner_in(doc[max(sent.start, start - 3) : start])
            owner_after = doc[end].lower_ == "of" and self._owner_in(doc[end : min(sent.end, end + 5)]) if end < sent.end else False
            for ent in organisations:
                after = end <= ent.start <= end + 5 and doc[ent.start - 1].lower_ not in ("with", "and", "between")
                before = start - 4 <= ent.end <= start
                if owner_before and after or owner_after and before:
                    relations.append(Relation(_mention(ent, evidence), "subsidiaryOf", parent, evidence))
        return relations

    def _mentions_contributor(self, sent: Span) -> bool:
        if any(token.lower_ in self.cues.self_reference for token in sent):
            return True
        return self._names is not None and self._names.search(sent.text) is not None

    def _is_contributor(self, text: str) -> bool:
        return self._names is not None and self._names.fullmatch(text.strip()) is not None


_GOAL_LIST = re.compile(r"\b(?:goals?|targets?|objectives?|priorities|aims?|tasks?)\b[^:]{0,40}:\s*(.+)$", re.IGNORECASE | re.DOTALL)
_GOAL_SPLIT = re.compile(r";\s*|,\s*(?:and\s+)?(?=to\s)")


@cache
def _admin_parents() -> dict[str, list[str]]:
    """District, county or county-level city → the cities it belongs to (``gazetteer/admin_divisions.json``)."""
    return json.loads(ontology_path("gazetteer/admin_divisions.json").read_text(encoding="utf-8"))["parents"]


def _in_parent_cities(relations: list[Relation], paper: Paper) -> list[Relation]:
    """ "our service hub in Huiyang District", "Acme (Danyang) Co., Ltd.": presence in a district or county is
    presence in the city it belongs to, when the paper names that city (which also picks the right one of
    several cities with a district of that name). The evidence is the sentence naming the district."""
    found = []
    for relation in relations:
        if relation.predicate != "operatesIn":
            continue
        for city in _admin_parents().get(relation.object.text, []):
            if city != relation.object.text and re.search(rf"(?<!\w){re.escape(city)}(?!\w)", paper.text):
                found.append(Relation(relation.subject, "operatesIn", Mention(city, "Place", relation.evidence),
                                      relation.evidence))
    return found


def _has_deadline(goal: Span) -> bool:
    """ "42.5% renewables by 2030", "30 smart factories before 2027": a goal that says by when."""
    return any(token.lower_ in ("by", "before", "until") and token.i + 1 < goal.end and re.match(_YEAR, goal.doc[token.i + 1].text)
               for token in goal)


def _verb_arguments(verb) -> list:
    """The arguments of a verb and of the verbs joined to it: "Positions X as Y and calls for Z"."""
    verbs = [verb, *(child for child in verb.children if child.dep_ == "conj" and child.pos_ == "VERB")]
    return [child for each in verbs for child in each.children if child.dep_ in _ARGUMENTS]


def _inline_goals(sent: Span, evidence: Evidence) -> list[tuple[int, Mention]]:
    """ "… set out numerous goals: to promote X, to advance Y, and to speed up Z." → X, Y, Z as targets."""
    match = _GOAL_LIST.search(sent.text)
    if match is None:
        return []
    goals = []
    for piece in _GOAL_SPLIT.split(match.group(1)):
        goal = re.sub(r"^(?:and\s+)?to\s+", "", piece.strip()).rstrip(" .;,")
        if len(goal.split()) >= 2:
            goals.append((sent.end, Mention(goal, "Target", evidence)))
    return goals


def _target_text(span: Span) -> str:
    """A target phrase as a label: no leading infinitive marker or brackets, at most _MAX_TARGET_TOKENS."""
    span = span[:_MAX_TARGET_TOKENS]
    text = re.sub(r"^(?:in order to|so as to|to)\s+", "", span.text.strip(" ,;:(–—-"), flags=re.IGNORECASE)
    if text.count(")") > text.count("("):
        text = text[: text.rfind(")")]
    return text.strip(" ,;:.*")


def _denied(sent: Span, sites: list[tuple[int, int]]) -> bool:
    """ "Acme does not have a factory … in Northport", "Acme has no plant in Northport": a presence cue that is
    the object of a negated verb, or that "no" determines (not "Acme's factory has never had an accident")."""
    for _, end in sites:
        noun = sent.doc[end - 1]
        while noun.dep_ == "conj" and noun.head.i != noun.i:
            noun = noun.head  # "a factory, an office or a joint venture": the first of the list
        if any(child.lower_ == "no" and child.dep_ == "det" for child in noun.children):
            return True
        if noun.dep_ in ("dobj", "attr") and any(child.dep_ == "neg" for child in noun.head.children):
            return True
    return False


def _has_verb_outside(sent: Span, policies: list[Span]) -> bool:
    return any(t.pos_ == "VERB" and not any(p.start <= t.i < p.end for p in policies) for t in sent)


def _name_pattern(name: str) -> str:
    return re.escape(name[:-2]) + "s?" if name.endswith("s?") else re.escape(name)


def _mention(span: Span, evidence: Evidence) -> Mention:
    return Mention(mention_text(span), mention_kind(span) or "Policy", evidence)


def _longest(matches: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    taken: set[int] = set()
    result = []
    for _, start, end in sorted(matches, key=lambda m: (m[1] - m[2], m[1])):
        if taken.isdisjoint(range(start, end)):
            taken.update(range(start, end))
            result.append((start, end))
    return sorted(result)
