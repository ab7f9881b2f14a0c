"""Policies: a gazetteer of well-known ones (data) and general patterns that find unknown ones.

A policy is found three ways, all configured by ``ontology/gazetteer/``:

* the gazetteer ``policies.jsonl`` (label, aliases, jurisdiction) through a PhraseMatcher;
* Matcher patterns for titles: capitalised names ending in a policy head word ("National Hydrogen
  Strategy", "Several Measures for Promoting …"), quoted names before a head word ("“4321” model",
  "“Harbour Plus” initiative") or after one ("the concept of “Harbour + City”"), italicised titles
  (``*…*``), numbered models ("4321 … system") and ordinal Five-Year Plans; a title grows to the right over "for/of/on …" and a year range "(2024-2027)";
* ``policy_key``: the key that makes every surface form of one policy one entity.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Doc, Span

from ..model import SUPERSCRIPT_DIGITS
from ..resources import ontology_path

QUOTES = ['"', "“", "”", "‘", "’", "'", "«", "»"]
OPENING = ['"', "“", "‘", "'", "«"]
CLOSING = ['"', "”", "’", "'", "»"]
# an emphasised name (``*…*`` from italics) before a policy word is quoted like one in quotation marks:
# "the EU’s *Widget Europe* programme"
_NAME_OPENING = OPENING + ["*"]
_NAME_CLOSING = CLOSING + ["*"]
_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "“": '"', "”": '"', "‘": "'", "’": "'"})
_YEAR = re.compile(r"^(19|20)\d\d$")
_NATIONAL = frozenset({"national", "state", "china", "chinese", "central"})  # before a national plan's name
_FIVE_YEAR = re.compile(r"five[- –]year plan", re.IGNORECASE)
_YEAR_RANGE = re.compile(r"\s*\(\s*(?:19|20)\d\d\s*[-–]\s*(?:19|20)?\d\d\s*\)")
_QUOTED = re.compile(r"[\"“‘«]([^\"”’»]{1,80})[\"”’»]")
_NUMBERED = re.compile(r"^(\d{3,})\b")
_TITLE_TOKEN = r"^([A-Z0-9][\w.+\-&]*|of|for|and|on|to|the|in|-|–|\+|&)$"
_MAX_TITLE_TOKENS = 30
_ANNOUNCING = {"titled", "entitled"}
_MAX_NAMED_OF_TOKENS = 12  # "policy of “…”": a longer quote is a saying, not a name
_GENERIC_HEADS = {
    "plan", "plans", "strategy", "initiative", "programme", "program", "project", "campaign", "concept",
    "model", "framework", "action", "policy", "agenda",
}
NAME_STOP_WORDS = frozenset({"the", "of", "for", "on", "and", "in", "to", "a", "an"})  # the small words of a name
_RIGHT_LINKS = {"for", "of", "on", "to", "in", "concerning", "regarding", "through", "towards", "toward"}
# a well-known policy's name goes on into a longer title only over these ("14th Five-Year Plan for the
# Development of …"); "in"/"to" after it say where or to what it applies ("… Plan in Northport")
_GAZETTEER_RIGHT_LINKS = frozenset({"for", "of", "on"})
_ARTICLES = ("the", "a", "an")  # "… for the Construction of a Comprehensive System": a title runs on over them
_POSSESSIVE = ("'s", "’s")
_MAX_LOWER_CASE_TAIL = 10  # tokens of "for …" a lower-case name may go on over
# words and marks that end the modifiers of an apposition's head ("the director of the programme")
_APPOSITION_STOPS = ("and", "or", "with", "by", "at", "from", ",", ";", ":", ".", "(", ")", '"', "“", "”")
_PUBLIC_BODY_TYPES = frozenset({"GPE", "LOC", "NORP", "GOV_ORG"})  # a possessor whose lower-case strategy is a policy


def fold(text: str) -> str:
    """Case, dash, quote, footnote-marker and spacing differences removed."""
    text = text.translate(_DASHES).replace("+", " plus ")
    text = "".join(ch for ch in text if ch not in SUPERSCRIPT_DIGITS).replace("*", "")
    return " ".join(text.replace("-", " ").lower().split())


@dataclass
class PolicyEntry:
    key: str
    label: str
    jurisdiction: str | None
    aliases: list[str] = field(default_factory=list)
    # names that identify the policy once something else has found it ("“Harbour+” initiative" → "Harbour+"),
    # but that are not matched on their own, being parts of other names too ("Harbour+ joint laboratories")
    lookup_only: list[str] = field(default_factory=list)


@dataclass
class PolicyGazetteer:
    """Well-known policies with their aliases, from ``ontology/gazetteer/policies.jsonl``."""

    entries: dict[str, PolicyEntry]
    by_form: dict[str, str]  # folded surface form → key

    @classmethod
    def load(cls, path: str = "gazetteer/policies.jsonl") -> PolicyGazetteer:
        return _load_gazetteer(path)

    def surface_forms(self, *, lower_case: bool) -> dict[str, set[str]]:
        """Per key, the ways to write the policy (dash and quote variants included) for a PhraseMatcher.

        ``lower_case`` selects the aliases written in lower case ("open harbours"), matched in any
        case; the others ("Western Development") are matched as written, so that ordinary phrases
        ("drive western development") are not taken for the policy.
        """
        forms: dict[str, set[str]] = {}
        for entry in self.entries.values():
            variants = forms.setdefault(entry.key, set())
            for text in (entry.label, *entry.aliases):
                if (text == text.lower()) == lower_case:
                    variants.update({text, text.replace("-", "–"), text.replace("-", " - "), text.replace("'", "’")})
        return {key: texts for key, texts in forms.items() if texts}

    def lookup(self, text: str) -> PolicyEntry | None:
        key = self.by_form.get(fold(text))
        return self.entries[key] if key else None


@cache
def _load_gazetteer(path: str) -> PolicyGazetteer:
    entries: dict[str, PolicyEntry] = {}
    by_form: dict[str, str] = {}
    for line in ontology_path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        entry = PolicyEntry(
            record["key"], record["label"], record.get("jurisdiction"), record.get("aliases", []),
            record.get("lookup_only", []),
        )
        entries[entry.key] = entry
        for text in (entry.label, *entry.aliases, *entry.lookup_only):
            by_form[fold(text)] = entry.key
    return PolicyGazetteer(entries, by_form)


def policy_core(text: str) -> str:
    """What names a policy, without the words around the name: the folded key of a surface form.

    "“4321” model", "“4321” framework" and "4321 modern port cluster system" share the core "4321";
    "16th Five-Year Plan (2031-2035)" and "16th five-year plan" share theirs.
    """
    text = re.sub(r"^the\s+", "", _YEAR_RANGE.sub("", text).strip(), flags=re.IGNORECASE)
    quoted = _QUOTED.search(text)
    # only a name that opens with its quoted part is that part ("“4+16” Framework", not "Action Plan for
    # Advancing the “4+16” Framework", which is a plan of its own)
    if quoted and quoted.start() == 0 and len(quoted.group(1).strip()) >= 2:
        text = quoted.group(1)
    else:
        numbered = _NUMBERED.match(text.strip(" \"'“”‘’*"))
        if numbered and not _YEAR.match(numbered.group(1)):
            text = numbered.group(1)
    text = re.sub(r"^the\s+", "", fold(text).strip(" \"'.,;:"))
    return text


def _without_head(core: str) -> str:
    """ "one port framework" → "one port": the generic head word does not name the policy."""
    words = core.split()
    return " ".join(words[:-1]) if len(words) > 1 and words[-1] in _GENERIC_HEADS else core


def policy_key(text: str, gazetteer: PolicyGazetteer) -> tuple[str, str | None]:
    """(key, gazetteer key or None) for a policy surface form.

    Forms of one policy meet on: a gazetteer alias; else the quoted name ("“Haigang” action plan" =
    "“Hai Gang” action", spaces aside) or the model number; else the title without
    its generic head word ("One Port framework" = "One Port model"), and for long titles the
    set of their words ("… High-Quality Development of Manufacturing" = "… High-Quality Manufacturing
    Development").
    """
    core = policy_core(text)
    for candidate in (text, core, _without_head(core), core.replace(",", "")):
        entry = gazetteer.lookup(candidate.strip(" \"'“”‘’*"))
        if entry is not None:
            return entry.key, entry.key
    opening = re.sub(r"^the\s+", "", text.strip(" *"), flags=re.IGNORECASE)
    if _QUOTED.match(opening) or _NUMBERED.match(opening.strip(" \"'“”‘’")):
        return core.replace(" ", ""), None
    words = [w for w in re.findall(r"[\w.]+", _without_head(core)) if w not in NAME_STOP_WORDS]
    if len(words) >= 4:
        return " ".join(sorted(set(words))), None
    return _without_head(core), None


def policy_patterns(rules: dict) -> dict[str, list[list[dict]]]:
    """Matcher patterns for policy titles, built from the head words in ``entity_rules.json``."""
    # one word list for every title pattern: each distinct list takes one of the vocabulary's few lexeme flags
    heads = rules["policy_heads"] + rules["title_final_policy_heads"]
    quoted_heads = rules["quoted_policy_heads"]
    not_quote = {"TEXT": {"NOT_IN": QUOTES + ["*", "\n"]}}
    lower_words = {"POS": {"IN": ["ADJ", "NOUN", "PROPN"]}, "IS_LOWER": True, "OP": "*"}
    return {
        "POLICY_QUOTED": [
            [
                {"TEXT": {"IN": _NAME_OPENING}},
                {**not_quote, "OP": "+"},
                {"TEXT": {"IN": _NAME_CLOSING}},
                lower_words,
                {"LOWER": {"IN": quoted_heads}},
                {"LOWER": {"IN": quoted_heads}, "OP": "?"},
            ],
            # "the “1+3+4” modern industrial system": a numeric code names a policy before more head words
            [
                {"TEXT": {"IN": OPENING}},
                {"TEXT": {"REGEX": r"^[\d+]+$"}, "OP": "+"},
                {"TEXT": {"IN": CLOSING}},
                lower_words,
                {"LOWER": {"IN": quoted_heads + rules["numbered_policy_heads"]}},
            ],
        ],
        "POLICY_QUOTED_TITLE": [
            [
                {"TEXT": {"IN": OPENING}},
                {"TEXT": {"REGEX": r"^[A-Z0-9]"}},
                {**not_quote, "OP": "*"},
                {"LOWER": {"IN": heads}, "IS_TITLE": True},
                {"IS_PUNCT": True, "TEXT": {"NOT_IN": QUOTES}, "OP": "?"},
                {"TEXT": {"IN": CLOSING}},
            ],
            # "“Regulations of Northport Municipality on Promoting the Harbour Hub”": a quoted title in title case
            # with its head word inside (the quotes bound it, so lower-case parts of compounds may stand in it:
            # "… Large-scale Equipment Renewals and Trade-ins …")
            [
                {"TEXT": {"IN": OPENING}},
                {"TEXT": {"REGEX": r"^[A-Z0-9]"}, "OP": "*"},
                {"LOWER": {"IN": heads}, "IS_TITLE": True},
                {"LOWER": {"IN": sorted(_RIGHT_LINKS)}},
                {**not_quote, "OP": "+"},
                {"TEXT": {"IN": CLOSING}},
            ],
        ],
        "POLICY_TITLE": [
            [
                {"TEXT": {"REGEX": r"^[A-Z0-9]"}},
                {"TEXT": {"REGEX": _TITLE_TOKEN}, "OP": "*"},
                {"LOWER": {"IN": heads}, "IS_TITLE": True},
            ],
            [{"LOWER": {"IN": heads}, "IS_TITLE": True}],
            # "National AI Innovation and Application Pilot Zone": a designated zone is a policy
            [
                {"TEXT": {"REGEX": r"^[A-Z0-9]"}},
                {"TEXT": {"REGEX": _TITLE_TOKEN}, "OP": "*"},
                {"LOWER": {"IN": rules["policy_zone_qualifiers"]}, "IS_TITLE": True},
                {"LOWER": {"IN": rules["policy_zone_heads"]}, "IS_TITLE": True},
            ],
        ],
        # "the Strong Capital City strategy", "the European Union's Global Gateway strategy": capitalised words,
        # then a policy word in lower case
        "POLICY_LOWER_HEAD": [
            [
                before,
                {"TEXT": {"REGEX": r"^[A-Z0-9]"}, "IS_SENT_START": False},
                {"TEXT": {"REGEX": _TITLE_TOKEN}, "OP": "*"},
                {"IS_TITLE": True},
                {"LOWER": {"IN": rules["lower_case_policy_heads"]}, "IS_LOWER": True},
            ]
            for before in ({"LOWER": "the"}, *({"ORTH": mark} for mark in _POSSESSIVE))
        ],
        # "the municipal implementation plan for carbon peaking", "the city's own marine economy plan": a policy
        # named in lower case after a level of government or a place's possessive
        "POLICY_LOWER_NAME": [
            [
                {"LOWER": "the"},
                *level,
                {"IS_LOWER": True, "POS": {"IN": ["NOUN", "ADJ", "PROPN", "VERB"]}, "OP": "*"},
                {"LOWER": {"IN": rules["lower_case_name_heads"]}},
            ]
            for level in (
                [{"LOWER": {"IN": rules["government_qualifiers"]}}],
                *([{"LOWER": {"IN": rules["place_of_nouns"]}}, {"ORTH": mark}, {"LOWER": "own", "OP": "?"}]
                  for mark in _POSSESSIVE),
            )
        ],
        # "Smart Northport, the municipal smart-city programme, …": a name its apposition calls a policy
        "POLICY_APPOSITIVE": [
            [
                {"IS_TITLE": True},
                {"TEXT": {"REGEX": _TITLE_TOKEN}, "OP": "*"},
                {"TEXT": ","},
                {"LOWER": "the"},
                # the head noun's modifiers ("municipal", "smart-city", "city's"), not "the director of the programme"
                {"IS_TITLE": False, "IS_UPPER": False, "IS_DIGIT": False,
                 "LOWER": {"NOT_IN": [*_APPOSITION_STOPS, *_RIGHT_LINKS]}, "OP": "*"},
                {"LOWER": {"IN": rules["lower_case_name_heads"]}, "IS_LOWER": True},
            ]
        ],
        "POLICY_NUMBERED": [
            [
                {"TEXT": {"REGEX": r"^\d{3,}$"}},
                {"IS_LOWER": True, "OP": "*"},
                {"LOWER": {"IN": quoted_heads}},
            ]
        ],
        "POLICY_FIVE_YEAR": [
            [
                {"TEXT": {"REGEX": r"^\d+(st|nd|rd|th)$"}},
                {"LOWER": "five"},
                {"TEXT": {"IN": ["-", "–"]}, "OP": "?"},
                {"LOWER": "year"},
                {"LOWER": {"IN": ["plan", "plans"]}},
            ]
        ],
        # "the concept of “Harbour + City”", "a policy of “Keep Building” …": a policy word names what follows
        "POLICY_NAMED_OF": [
            [
                {"LOWER": {"IN": quoted_heads}},
                {"LOWER": "of"},
                {"TEXT": {"IN": OPENING}},
                {"TEXT": {"REGEX": r"^[A-Z0-9]"}},
                {**not_quote, "OP": "*"},
                {"TEXT": {"IN": CLOSING}},
            ]
        ],
        "POLICY_ITALIC": [[{"TEXT": "*"}, {"TEXT": {"NOT_IN": ["*", "\n"]}, "OP": "+"}, {"TEXT": "*"}]],
        "POLICY_ANNOUNCED": [
            [{"TEXT": "*"}, {"TEXT": {"NOT_IN": ["*", "\n"]}, "OP": "+"}, {"TEXT": "*"}],
            [{"TEXT": {"IN": OPENING}}, {**not_quote, "OP": "+"}, {"TEXT": {"IN": CLOSING}}],
        ],
    }


def _is_titleish(token) -> bool:
    first = token.text[:1]
    return first.isupper() or first in "0123456789" or token.text in QUOTES or token.text.endswith("+")


def _closes_a_title_list(doc: Doc, index: int, limit: int) -> bool:
    """After a comma, capitalised words and commas run on to "and" and a capitalised word: the comma
    separates the items of a list inside a title, not the title from the rest of the sentence."""
    while index < limit and (doc[index].text == "," or _is_titleish(doc[index]) and doc[index].text not in QUOTES):
        index += 1
    return index + 1 < limit and doc[index].lower_ in ("and", "&") and _is_titleish(doc[index + 1])


def _grow_right(doc: Doc, start: int, end: int, links: frozenset[str] | set[str] = _RIGHT_LINKS) -> int:
    """Extend a title over "for/of/on …" and capitalised words, then over a year range "(2024-2027)"."""
    sent_end = doc[start].sent.end
    if end < sent_end - 1 and doc[end].lower_ in links and _is_titleish(doc[end + 1]) or (
        end < sent_end - 2 and doc[end].lower_ in links and doc[end + 1].lower_ in _ARTICLES
        and _is_titleish(doc[end + 2])
    ):
        last = end
        index = end
        limit = min(sent_end, end + 20)
        while index < limit:
            token = doc[index]
            if token.ent_type_ in ("DATE", "TIME"):
                break  # "… Quantum Industry in May": a date ends the title
            if _is_titleish(token) and token.text not in OPENING[:1] or token.text in ("'s", "’s"):
                last = index + 1
            elif (token.is_lower and token.is_alpha and doc[index - 1].text == "-" and index - 1 == last
                  and not doc[index - 2].whitespace_ and not doc[index - 1].whitespace_
                  and index + 1 < limit and (doc[index + 1].lower_ in _RIGHT_LINKS or _is_titleish(doc[index + 1]))):
                last = index + 1  # "… Renewal and Trade-ins of Consumer Goods": a compound's lower-case end
            elif token.text == "," and doc[index - 1].is_title and _closes_a_title_list(doc, index + 1, limit):
                pass  # "… for Science, Technology, and Innovation": a title lists its fields
            elif not (token.lower_ in _RIGHT_LINKS or token.lower_ in (*_ARTICLES, "and", "&", "-", "–", "+")
                      or token.text in QUOTES):
                break
            index += 1
        # a closing quote right after the last word belongs to the title ("Harbours+" …)
        end = max(end, last)
    text_after = doc[end:].text[:16] if end < len(doc) else ""
    range_match = _YEAR_RANGE.match(text_after)
    if range_match:
        target = doc[end].idx + range_match.end()
        while end < len(doc) and doc[end].idx < target:
            end += 1
    return end


def _grow_lower_case(doc: Doc, end: int) -> int:
    """A lower-case name goes on over "for/on" and lower-case words: "… plan for carbon peaking", "… opinions on
    further strengthening the control of plastic pollution", up to a comma, a finite verb or a capital."""
    if end + 1 >= len(doc) or doc[end].lower_ not in ("for", "on") or not doc[end + 1].is_lower:
        return end
    index = end + 1
    limit = min(doc[end].sent.end, end + _MAX_LOWER_CASE_TAIL)
    last = end
    while index < limit:
        token = doc[index]
        if not token.is_lower or token.pos_ in ("AUX", "CCONJ", "PRON", "SCONJ", "PART") or token.tag_ in ("VBD", "VBZ", "VBP", "MD"):
            break
        if token.pos_ in ("NOUN", "PROPN", "ADJ") or token.tag_ == "VBG":
            last = index + 1
        index += 1
    return last if last > end + 1 else end


def _public_body(possessor, rules: dict) -> bool:
    """A possessor whose policy a name is: a place, a nation or a government ("the European Union's")."""
    return possessor.ent_type_ in _PUBLIC_BODY_TYPES or any(
        token.lower_ in rules["government_words"] or token.lower_ == "union"
        for token in (possessor, *possessor.lefts))


def _names_a_place(token) -> bool:
    """A word of a place's name: the model's place, or a capitalised proper noun that is no qualifier ("National")."""
    return token.is_title and token.lower_ not in _NATIONAL and (token.ent_type_ in ("GPE", "LOC") or token.pos_ == "PROPN")


def gazetteer_title(doc: Doc, start: int, end: int, gazetteer: PolicyGazetteer) -> Span:
    """A well-known policy's name, or the longer title it opens: "14th Five-Year Plan for High-Quality
    Development of the Widget Sector (2021-2025)" is a plan of its own, not the national plan followed
    by words about it. ``kb_id`` is the gazetteer key of what the span names, empty for a longer title."""
    first = start
    while first > 0 and _names_a_place(doc[first - 1]):
        first -= 1
    if first < start and _FIVE_YEAR.search(doc[start:end].text):
        # "Foshan 14th Five-Year Plan": a place's own plan, not the national one
        return Span(doc, first, _grow_right(doc, start, end), label="POLICY")
    grown = _grow_right(doc, start, end, _GAZETTEER_RIGHT_LINKS)
    if grown == end or "\n" in doc[end:grown].text or not _quoted_balance(doc[start:grown]):
        return Span(doc, start, end, label="POLICY", kb_id=policy_key(doc[start:end].text, gazetteer)[1] or "")
    return Span(doc, start, grown, label="POLICY", kb_id=policy_key(doc[start:grown].text, gazetteer)[1] or "")


def _trim_left(doc: Doc, start: int, end: int, rules: dict) -> int:
    """Drop sentence-initial function words ("The", "In", "Under") that the capitalised pattern swallowed."""
    keep = set(rules["policy_title_lead_words"])  # "Several Measures for …" starts with a stop word
    while start < end - 1 and doc[start].lower_ not in keep and (
        doc[start].is_stop or doc[start].text in QUOTES or doc[start].text in "-–+&"
    ):
        start += 1
    after_date = start
    while after_date < end - 1 and doc[after_date].ent_type_ == "DATE":
        after_date += 1
    if after_date > start and doc[after_date].lower_ == "the":
        return _trim_left(doc, after_date, end, rules)  # "In October 2018 the Regulations of …": no date in a title
    return start


def _previous_word(doc: Doc, index: int):
    """The token before ``index``, over one comma."""
    index -= 1
    if index >= 0 and doc[index].text == ",":
        index -= 1
    return doc[index] if index >= 0 else None


def _place_is_subject(sentence: Span) -> bool:
    """The sentence's grammatical subject is a place (a city or country acts, so "its" refers to it)."""
    return any(t.dep_ in ("nsubj", "nsubjpass") and t.ent_type_ in ("GPE", "LOC") for t in sentence)


def _quoted_balance(span: Span) -> bool:
    opening = sum(1 for t in span if t.text in ("“", "‘"))
    closing = sum(1 for t in span if t.text in ("”", "’"))
    straight = sum(1 for t in span if t.text == '"')
    return opening == closing and straight % 2 == 0


def policy_spans(
    doc: Doc, matches: list[tuple[int, int, int]], rules: dict, gazetteer: PolicyGazetteer
) -> list[Span]:
    """Policy spans from the title patterns' matches, grown and trimmed; gazetteer key as ``kb_id`` when known.

    The patterns use open-ended repeats (bounded ones multiply the matcher's states); the bounds are here.
    """
    heads = set(rules["policy_heads"])
    not_names = set(rules["policy_modifiers_not_names"])
    company_cues = set(rules["company_programme_cues"])
    spans = []
    # the matcher reports every start of a capitalised run; only the longest run ending at a token is a title
    widest: dict[tuple[int, int], int] = {}
    for match_id, start, end in matches:
        widest[(match_id, end)] = min(start, widest.get((match_id, end), start))
    for (match_id, end), start in sorted(widest.items(), key=lambda item: (item[1], item[0][1])):
        label = doc.vocab.strings[match_id]
        if not label.startswith("POLICY") or end - start > _MAX_TITLE_TOKENS:
            continue
        if label == "POLICY_ITALIC":
            inner = doc[start + 1 : end - 1]
            if not inner.text[:1].isupper() or not any(t.lower_ in heads and t.is_title for t in inner):
                continue
            start, end = start + 1, end - 1
            end = _grow_right(doc, start, end)
        elif label == "POLICY_TITLE":
            # "the Quay Safety Plan and the Tug Training Plan": two titles, the second starts after "and (the)"
            for index in range(end - 3, start, -1):
                if doc[index].lower_ in ("and", "&") and doc[index - 1].lower_ in heads and doc[index - 1].is_title:
                    start = index + 1
                    break
            start = _trim_left(doc, start, end, rules)
            end = _grow_right(doc, start, end)
            if end - start < 2:
                continue
            if end < len(doc) and doc[end].is_title and doc[end].is_alpha and not doc[end].is_sent_start:
                continue  # "Harbour Action Summit": the head word is inside a longer name, not at its end
        elif label == "POLICY_NAMED_OF":
            if end - start > _MAX_NAMED_OF_TOKENS or start > 0 and doc[start - 1].lower_ in company_cues:
                continue  # a quoted sentence, or "our policy of “Zero Harm”": not a named government policy
            start += 2  # the quoted name, without "policy of"
            # "“Keep Building” fiscal investment": the lower-case noun the name qualifies belongs to it
            extended = end
            while extended < len(doc) and doc[extended].is_lower and doc[extended].pos_ in ("ADJ", "NOUN"):
                extended += 1
                if doc[extended - 1].pos_ == "NOUN":
                    end = extended
        elif label == "POLICY_NUMBERED":
            if _YEAR.match(doc[start].text):
                continue
        elif label == "POLICY_LOWER_HEAD":
            start += 1  # without "the" or "'s"
            if doc[start - 1].text in _POSSESSIVE:
                if not _public_body(doc[start - 2], rules):
                    continue  # "Acme's Green Future strategy": a company's own
            elif end - start < 3 or doc[start].ent_type_ == "ORG":
                continue  # "the Acme strategy", "the Acme Group strategy": whose strategy, not its name
        elif label == "POLICY_LOWER_NAME":
            if start >= 2 and doc[start - 1].text in (",", "—", "–", "(") and (
                    doc[start - 2].is_title or doc[start - 2].text in _NAME_CLOSING):
                continue  # "**Dunmore Tug Strategy** — the region's towage plan": the named policy again, described
            start += 1  # without "the"
            while doc[start].lower_ in rules["place_of_nouns"] or doc[start].text in _POSSESSIVE or doc[start].lower_ == "own":
                start += 1  # "the city's own …": whose plan, not its name
            if any(t.lower_ in rules["government_words"] for t in doc[start:end]):
                continue  # "the provincial government plan": a body's plan, not a name
            grown = _grow_lower_case(doc, end)
            named = [t for t in doc[start : end - 1] if t.lower_ not in rules["government_qualifiers"]]
            if not named and grown == end:
                continue  # "the national plan", "the city's plan": no name at all
            end = grown
        elif label == "POLICY_APPOSITIVE":
            match_end = end
            start = _trim_left(doc, start, end, rules)
            end = next(i for i in range(start, end) if doc[i].text == ",")
            place = all(token.ent_type_ in ("GPE", "LOC") for token in doc[start:end])
            apposition = doc[end:match_end].text.lower().replace(" 's", "'s").replace(" ’s", "’s").split()
            if place or end - start > 8 or doc[end - 1].pos_ != "PROPN" or company_cues.intersection(apposition):
                continue  # "Northport, the city's plan …", "Acme, the company's programme …": not the policy's name
        elif label == "POLICY_QUOTED_TITLE":
            start, end = start + 1, end - 1
            while end > start and doc[end - 1].is_punct:
                end -= 1
        elif label == "POLICY_ANNOUNCED":
            # 'the action plan *Brave Ports: our ambition for Northport*', 'the plan, titled ‘Sail Forward …’'
            cue = _previous_word(doc, start)
            if cue is not None and cue.lower_ in _ANNOUNCING:
                cue = _previous_word(doc, cue.i)  # "the plan, titled ‘…’" but not "a paper titled “…”"
            if cue is None or cue.lower_ not in heads or not doc[start + 1].is_title:
                continue
            start, end = start + 1, end - 1
            while end > start and doc[end - 1].is_punct:
                end -= 1
        if label == "POLICY_QUOTED":
            closing = next(i for i in range(start + 1, end) if doc[i].text in _NAME_CLOSING)
            if closing - start > 10 or end - closing > 5:
                continue
            if doc[end - 1].is_title:
                end = _grow_right(doc, start, end)  # "“4+16” Framework for Science and Innovation": a title goes on
            name = doc[start + 1 : closing].text
            named_in_lower_case = len(name.split()) >= 2 and doc[end - 1].lower_ in rules["quoted_lower_case_name_heads"]
            if not re.search(r"[A-Z0-9]", name) and gazetteer.lookup(name) is None and not named_in_lower_case:
                continue  # “repair-after-breakdown” model: a described practice, not a named policy
        lead = start == 0 or doc[start].is_sent_start or doc[start - 1].text in (")", ":", "-", "•")
        if label == "POLICY_TITLE" and lead and doc[start].tag_ == "VB":
            start += 1  # "Improve Regulations on …": the imperative is not part of the title
            if end - start < 2:
                continue
        before = doc[start - 1].lower_ if start > 0 else ""
        if before == "its" and _place_is_subject(doc[start].sent):
            before = ""  # "Through its “4321” system, Northport has …": the possessive is the place's, not a company's
        designated_zone = doc[end - 1].lower_ in rules["policy_zone_heads"]  # "designated a National … Pilot Zone"
        if doc[start].lower_ in not_names or before in company_cues or before in ("a", "an") and not designated_zone:
            continue  # "our Sustainability Strategy", "a Standardized … Framework": not a named policy
        if label == "POLICY_TITLE" and end < len(doc) and doc[end].text == ":" and start - doc[start].sent.start <= 6:
            continue  # "(4) Strengthen the Security Framework for …:" is the lead-in of a list item
        link = next((i for i in range(start + 1, end) if doc[i].lower_ in _RIGHT_LINKS), None)
        if label == "POLICY_TITLE" and link is not None and doc[link - 1].lower_ in rules["org_heads"]:
            continue  # "State Administration for Market Regulation": a body named after what it regulates
        span = doc[start:end]
        if not _quoted_balance(span) or "\n" in span.text:
            continue
        _, gazetteer_key = policy_key(span.text, gazetteer)
        spans.append(Span(doc, start, end, label="POLICY", kb_id=gazetteer_key or ""))
    return spans
