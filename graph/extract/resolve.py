"""Entity resolution: one entity per real-world thing across all papers, every surface form kept as an alias.

Surface forms meet on a key per class: organisations by name without case, quotes, "the" and legal
suffixes ("Acme Ltd., China" = "ACME" = "Acme"), a well-known organisation by its canonical name ("AMD" =
"Advanced Micro Devices", from ``ontology/gazetteer/organizations.jsonl``); policies by ``policy_key`` (gazetteer alias or the
quoted or numbered core: "“4321” model" = "4321 modern port cluster system"); an acronym defined in
the text ("Northport Turbine Engine Co., Ltd. (NTEC)") becomes an alias of its name. A
subsidiary or joint venture keeps its own node and gets ``parent`` when the text says whose it is.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache, lru_cache

from ..ingest.document import slug
from ..model import Entity, Mention, Paper, PaperExtraction
from ..resources import ontology_path
from .known_names import known_names
from .policies import NAME_STOP_WORDS, PolicyGazetteer, policy_key

_LEGAL_SUFFIX = re.compile(
    r"[,\s]+(?:Inc|Ltd|Limited|LLC|Corp|Corporation|Co|Company|AG|SE|SA|GmbH|plc|N\.?V|Holdings|Group)\.?$",
    re.IGNORECASE,
)
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})
_DEFINED_ACRONYM = re.compile(r"^(.*\S)\s*\(([^()]{2,14})\)$")
_BRACKETED_NAME = re.compile(r"\(([A-Z][^()\n]{1,30})\)")
_CLOSING_QUOTES = ("’", "”", '"', "*")  # an emphasised title ("*Widget Markets Act* (WMA)") is quoted too
_QUOTED_NAME = re.compile(r"[‘“\"]([A-Z][^‘’“”\"\n]{1,60}?)[’”\"](?!\w)")
_VERSION = re.compile(r"\s+v?\d+(?:\.\d+)*$")
_MAX_SLUG = 80
ORGANISATION_KINDS = ("Company", "Organization")


@cache
def _entity_rules_data() -> dict:
    """``ontology/gazetteer/entity_rules.json``, read once (spaCy-free, unlike ``entities.entity_rules``)."""
    return json.loads(ontology_path("gazetteer/entity_rules.json").read_text(encoding="utf-8"))


@cache
def _org_words() -> tuple[frozenset[str], tuple[str, ...]]:
    data = _entity_rules_data()
    return frozenset(data["generic_corporate_words"]), tuple(data["national_qualifiers"])


@lru_cache(maxsize=1 << 16)  # resolution asks for the same few thousand forms many times over
def normal_form(text: str) -> str:
    """Key for matching surface forms: case, quotes, "the", legal suffixes and spacing do not matter."""
    text = text.translate(_QUOTES).replace('"', "").strip(" '*")
    text = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)
    text = re.sub(r",?\s*\((?:China|PRC)\)\s*", " ", text).strip()  # "Globex Trading (China) Limited"
    while True:
        shorter = _LEGAL_SUFFIX.sub("", text)
        # "Acme Ltd., China": a country after the legal suffix names the national company
        shorter = re.sub(r"[,\s]+(?:Inc|Ltd|Limited|Co|Corp)\.?,\s*China$", "", shorter, flags=re.IGNORECASE)
        if shorter == text:
            break
        text = shorter
    text = re.sub(r"'s$", "", text)
    return " ".join(text.lower().split())


def organisation_core(text: str) -> str:
    """An organisation's name without generic corporate words and country qualifiers at its end.

    Only used to recognise a contributor under another form ("Globex Motor Company", "Acme China",
    "Initech" for "Initech Systems"), never as a key of its own, so "Initech Acme" stays a different company.
    """
    generic, qualifiers = _org_words()
    words = normal_form(text).replace(",", " ").split()
    while len(words) > 1 and (words[-1] in generic or words[-1] in qualifiers):
        words.pop()
    return " ".join(words)


@cache
def _name_rules() -> dict[str, frozenset[str]]:
    data = _entity_rules_data()
    return {key: frozenset(data[key]) for key in ("org_heads", "org_false_heads", "company_nouns", "government_words",
                                                  "government_qualifiers", "generic_corporate_words",
                                                  "company_name_tails")}


def _without_version(form: str) -> str:
    return _VERSION.sub("", form)


def names_of_things(text: str) -> frozenset[str]:
    """Normal forms of names a paper defines in brackets for something that is not a body.

    "Overall Equipment Effectiveness (OEE)", "continuing education and training (CET)", "the
    Control Tower (CT)": the word before the bracket is a common word or names a thing, so the
    bracketed name, wherever the paper uses it, is not an organisation ("National Widget Strategy
    2.0 (NWS 2.0)" covers "NWS 1.0" too). "Acme Engine Co., Ltd. (AEC)" or "a joint venture (AEC)" do not.
    A capitalised name in the plural ("Virtual Power Plants (VPPs)", "AI Data Centers (AIDC)") names a
    kind of thing, unless a company's name ends so ("Velmora Web Services (VWS)"); in "(UAM, drones)" the
    name is the part before the comma.
    """
    from spacy.lang.en.stop_words import STOP_WORDS  # spaCy is loaded whenever papers are resolved

    rules = _name_rules()
    names = set()
    for match in _BRACKETED_NAME.finditer(text):
        words = re.findall(r"[A-Za-z][\w’'-]*", text[max(match.start() - 40, 0) : match.start()])
        name = match.group(1).split(",")[0]
        if not words or len(name.split()) > 4:
            continue
        word = words[-1].split("-")[-1].lower()  # "All-In-One (AIO)": the last part is the head
        expansion = set()
        for earlier in reversed(words[-8:]):  # the capitalised run the bracket abbreviates
            if not (earlier[:1].isupper() or earlier in ("of", "for", "and", "the")):
                break
            expansion.add(earlier.lower())
        quoted = text[: match.start()].rstrip().endswith(_CLOSING_QUOTES)  # "‘East Data, West Computing’ (EDWC)"
        if not quoted and (expansion & rules["org_heads"] or word in rules["company_nouns"] or words[-1].lower() in STOP_WORDS):
            continue  # "Centre of Excellence for Widgets (CEW)": a body after all
        plural = (word.endswith("s") and not word.endswith("ss") and len(word) > 3
                  and word not in rules["generic_corporate_words"] | rules["company_name_tails"])
        if quoted or words[-1].islower() or word in rules["org_false_heads"] or plural:
            names.add(_without_version(normal_form(name)))
    # A capitalised name the paper puts in quotes is a title (of a plan, product or slogan), not a body.
    # "the “City of Design.”": punctuation set inside the closing quote is not part of the name
    names.update(normal_form(match.group(1).rstrip(".,;:!?")) for match in _QUOTED_NAME.finditer(text))
    return frozenset(names)


def _is_a_thing(form: str, things: frozenset[str]) -> bool:
    """The normal form names a thing the paper defines, in the singular or plural ("VPP" after "… (VPPs)")."""
    form = _without_version(form)
    return form in things or form + "s" in things


def settled_mentions(extraction: PaperExtraction) -> list[tuple[Mention, str]]:
    """Per paper, the mentions as resolution reads them, each with the class extraction gave it.

    Organisation mentions of names the paper gives to things are left out. A "person" of several
    words sharing a word with the contributor's name ("Globex" → "Foton Globex", "Initech Group" →
    "Initech Schindler") is read as an organisation: a joint venture or subsidiary named after it (no
    person is named after a company, while partners name joint ventures after themselves). A form
    holding all of a several-word contributor name ("Initech Group Corporate Office") is the contributor's own.
    A name that opens with the contributor's and does not end as a body's name ("Acme Xcelerator") is
    the contributor's own product, site or programme, unless it is a well-known organisation or its
    sentence speaks of companies ("Acme's member companies, including Acme Gas").
    An "organisation" whose words the paper also writes in lower case, none an organisation's head noun
    ("Research and Innovation Ecosystem"), is a phrase set in title case: a name has a word of its own.
    The extraction itself is not changed: it is cached and read again.
    """
    things = names_of_things(extraction.paper.text)
    core = set(organisation_core(extraction.paper.contributor).split()) if extraction.paper.contributor else set()
    own_prefixes = _contributor_prefixes(extraction.paper)
    subsidiaries = {normal_form(r.subject.text) for r in extraction.relations if r.predicate == "subsidiaryOf"}
    common = _lower_case_words(extraction.paper.text.translate(_QUOTES))
    settled = []
    for mention in extraction.mentions:
        form = normal_form(mention.text)
        if mention.kind == "Organization" and _is_a_thing(form, things):
            continue
        if (mention.kind == "Organization" and _common_words_only(mention.text.translate(_QUOTES).lower(), common)
                and known_organisation(mention.text) is None and form + " " not in own_prefixes):
            continue  # "Research and Innovation Ecosystem", "Traffic Mobility": a phrase in title case, not a name
        if (mention.kind == "Organization" and form.startswith(own_prefixes) and not _ends_as_a_body(form)
                and form not in subsidiaries and known_organisation(mention.text) is None
                and not _calls_it_a_company(mention.evidence.quote)):
            continue  # "Acme Xcelerator", "Acme Widget Portal": the contributor's own product, site or programme
        if mention.kind == "Place" and form.startswith(own_prefixes):
            continue  # "Acme Smart Park": a site or product named after the contributor, not a place
        words = set(form.split())
        if mention.kind == "Person" and len(words) > 1 and words & core and (len(core) == 1 or not core <= words):
            settled.append((Mention(mention.text, "Organization", mention.evidence), mention.kind))
        else:
            settled.append((mention, mention.kind))
    return settled


_LOWER_CASE_WORD = re.compile(r"(?<![\w’'-])[a-z][a-z’'-]*")
# web and mail addresses, whose lower-case words are names ("www.acme.com", "acme.org/report")
_ADDRESS = re.compile(r"\S*(?:https?://|www\.|@|\.(?:com|org|net|gov|edu|int|io|cn)\b)\S*")
_NAME_WORD = re.compile(r"[^\W\d_][\w’'&-]*")


def _lower_case_words(text: str) -> frozenset[str]:
    return frozenset(_LOWER_CASE_WORD.findall(_ADDRESS.sub(" ", text)))


def _common_words_only(name: str, common: frozenset[str]) -> bool:
    """Every word of the lower-cased name is one the paper writes in lower case, none is an organisation's head
    and the last is no company's ("… Technologies")."""
    rules = _name_rules()
    words = [word for word in _NAME_WORD.findall(name) if word not in NAME_STOP_WORDS]
    return (bool(words) and all(word in common and word not in rules["org_heads"] for word in words)
            and not _ends_as_a_body(name))


def _calls_it_a_company(quote: str) -> bool:
    """The sentence names a kind of company ("subsidiaries", "a joint venture"), so its names may be companies."""
    return _company_words().search(quote) is not None


@cache
def _company_words() -> re.Pattern[str]:
    nouns = _name_rules()["company_nouns"] | {"affiliate"}
    forms = {form for noun in nouns for form in (noun, noun[:-1] + "ies" if noun.endswith("y") else noun + "s")}
    return re.compile(rf"\b(?:{'|'.join(sorted(map(re.escape, forms)))})\b", re.IGNORECASE)


def _ends_as_a_body(form: str) -> bool:
    """The name's last word is one only an organisation's name ends in ("… Bank", "… Co", "… Technologies")."""
    return form.replace(",", " ").split()[-1].rstrip(".") in _body_endings()


@cache
def _body_endings() -> frozenset[str]:
    rules, data = _name_rules(), _entity_rules_data()
    legal = {word.rstrip(".") for word in data["legal_suffixes"]}
    return rules["org_heads"] | rules["generic_corporate_words"] | rules["company_name_tails"] | legal


def _contributor_prefixes(paper: Paper) -> tuple[str, ...]:
    """The contributor's names as they open a longer name ("acme " of "Acme Smart Park")."""
    names = [paper.contributor or "", *paper.contributor_aliases]
    return tuple(sorted({normal_form(name) + " " for name in names if name.strip()}))


def split_acronym(text: str) -> tuple[str, str | None]:
    """("Northport Turbine Engine Co., Ltd.", "NTEC") from "Northport Turbine Engine Co., Ltd. (NTEC)"."""
    match = _DEFINED_ACRONYM.match(text.strip())
    if match and re.fullmatch(r"[A-Z][A-Za-z0-9&*.+\- ]+", match.group(2)) and any(
        ch.isupper() for ch in match.group(2)[1:] + match.group(2)[:1]
    ):
        return match.group(1).rstrip(" ,"), match.group(2)
    return text, None


def _simple_singular(text: str) -> str:
    return text[:-1] if len(text) > 4 and text.endswith("s") and not text.endswith("ss") else text


@cache
def _place_aliases() -> dict[str, str]:
    data = _entity_rules_data()
    return {normal_form(alias): name for name, aliases in data["place_aliases"].items() for alias in (name, *aliases)}


@cache
def _known_place_names() -> dict[str, tuple[str, ...]]:
    """Every name the gazetteer knows for a place, by the place's label."""
    data = _entity_rules_data()
    return {name: (name, *aliases) for name, aliases in data["place_aliases"].items()}


@cache
def _known_organisations() -> dict[str, str]:
    """Normal form of every name of a well-known organisation → its canonical name ("amd" → "Advanced Micro Devices")."""
    return {normal_form(form): entry.name for entry in known_names().organizations.values()
            for form in (entry.name, *entry.aliases)}


def known_organisation(text: str) -> str | None:
    """The canonical name of the well-known organisation ``text`` names, if it names one."""
    return _known_organisations().get(normal_form(split_acronym(text)[0]))


def _names_another_known_organisation(alias: str, name: str) -> bool:
    known = known_organisation(alias)
    return known is not None and known != known_organisation(name)


def entity_key(kind: str, text: str) -> tuple[str, str]:
    name, _ = split_acronym(text)
    if kind == "Place":
        key = normal_form(name)
        return (kind, normal_form(_place_aliases().get(key, key)))
    if kind == "Policy":
        return (kind, policy_key(name, PolicyGazetteer.load())[0])
    if kind in ("Technology", "Industry"):
        return (kind, _simple_singular(normal_form(name)))
    form = normal_form(name)
    if kind in (*ORGANISATION_KINDS, "Person") and form in _known_organisations():
        form = normal_form(_known_organisations()[form])  # "AMD" = "Advanced Micro Devices"
    return (kind, _government_core(form))


def _government_core(form: str) -> str:
    """ "northport municipal government" → "northport government": qualifiers do not make another body."""
    rules = _name_rules()
    words = form.split()
    if len(words) < 3 or words[-1] not in rules["government_words"]:
        return form
    kept = [word for word in words[:-1] if word not in rules["government_qualifiers"]]
    return " ".join([*kept, words[-1]]) if kept else form


def _readable(label: str, forms: Counter[str]) -> str:
    """A contributor written in capitals ("ACME") takes a mixed-case form of itself when one is seen."""
    if not label.isupper() or len(label) <= 4:
        return label
    same = [form for form in forms if form.lower() == label.lower() and not form.isupper()]
    return max(same, key=lambda form: (forms[form], form)) if same else label.title()


class _Registry:
    """Entities under construction: keys → entity, surface-form counts, and unique IRI slugs."""

    def __init__(self) -> None:
        self.entities: dict[tuple[str, str], Entity] = {}
        self.forms: dict[int, Counter[str]] = {}
        self.slugs: set[tuple[str, str]] = set()
        self.gazetteer = PolicyGazetteer.load()

    def _slug(self, kind: str, text: str) -> str:
        namespace = "org" if kind in ORGANISATION_KINDS else kind
        base = slug(text)[:_MAX_SLUG].strip("-") or "x"
        candidate, number = base, 1
        while (namespace, candidate) in self.slugs:
            number += 1
            candidate = f"{base}-{number}"
        self.slugs.add((namespace, candidate))
        return candidate

    def add(self, kind: str, surface: str, *, label: str | None = None) -> Entity:
        surface = surface.strip()
        name, acronym = split_acronym(surface)
        key = entity_key(kind, name)
        entity = self.entities.get(key)
        if entity is None:
            entry = self.gazetteer.entries.get(key[1]) if kind == "Policy" else None
            place = _place_aliases().get(normal_form(name)) if kind == "Place" else None
            known = known_organisation(name) if kind in ORGANISATION_KINDS else None
            text = label or (entry.label if entry else place or known or name)
            entity = self.entities[key] = Entity(self._slug(kind, entry.key if entry else key[1]), kind, text)
            self.forms[id(entity)] = Counter()
            # a known place answers to all its names ("USA" finds the United States a paper calls "the U.S.")
            entity.aliases.update(_known_place_names().get(place, ()) if place else ())
        self.forms[id(entity)][name] += 1
        entity.aliases.add(name)
        if acronym:
            self.alias(entity, acronym)
        return entity

    def alias(self, entity: Entity, surface: str) -> None:
        """``surface`` names ``entity`` whatever class a mention of it is recognised as.

        An acronym that is also another well-known organisation's name ("Apex Metals Depot (AMD)" beside Advanced
        Micro Devices) stays an alias only: the well-known organisation keeps its name.
        """
        entity.aliases.add(surface)
        if _names_another_known_organisation(surface, entity.label):
            return
        for kind in {entity.kind, "Organization", "Policy", "Place", "Person"}:
            self.entities.setdefault(entity_key(kind, surface), entity)


def resolve(extractions: list[PaperExtraction]) -> dict[tuple[str, str], Entity]:
    """Group contributors and mentions into entities keyed by (kind, key); link subsidiaries to parents.

    The extractions are only read, so resolving them again gives the same entities.
    """
    registry = _Registry()
    contributors: dict[str, Entity] = {}
    for extraction in extractions:
        paper = extraction.paper
        if paper.contributor:
            company = registry.add("Company", paper.contributor, label=paper.contributor)
            contributors.setdefault(organisation_core(paper.contributor), company)
            for alias in paper.contributor_aliases:
                company.aliases.add(alias)
                if not _names_another_known_organisation(alias, paper.contributor):
                    registry.entities[entity_key("Company", alias)] = company
                contributors.setdefault(organisation_core(alias), company)
    readings: list[tuple[Mention, str, str]] = []  # (mention, class it resolves as, class extraction gave it)
    for extraction in extractions:
        settled = settled_mentions(extraction)
        majority = _majority_kinds([mention for mention, _ in settled])
        for mention, given in [*settled, *((m, m.kind) for m in _relation_mentions(extraction))]:
            kind = majority.get(normal_form(mention.text), mention.kind) if mention.kind in _NAMED else mention.kind
            readings.append((mention, kind, given))
    # Names defined with their acronym first ("International Widget Agency (IWA)"), so that the bare
    # acronym, wherever it comes, finds their entity.
    readings.sort(key=lambda reading: split_acronym(reading[0].text)[1] is None)
    for mention, kind, given in readings:
        if kind in ("Organization", "Person", "Company", "Place"):
            company = contributors.get(organisation_core(split_acronym(mention.text)[0]))
            # a contributor tagged as a place ("Acme China's …") is the contributor all the same
            if company is not None and (kind != "Place" or _place_aliases().get(normal_form(mention.text)) is None):
                # A contributor under another form is the contributor, wherever it is mentioned.
                registry.entities.setdefault(entity_key(kind, mention.text), company)
                registry.forms[id(company)][mention.text] += 1
                company.aliases.add(split_acronym(mention.text)[0])
                continue
        if kind == "Person" and " " not in mention.text.strip():
            # One capitalised word tagged PERSON is a company the model did not know, a product or
            # a surname; it names a contributor (handled above) or nothing we can trust.
            continue
        existing = registry.entities.get(entity_key(kind, mention.text))
        if existing is not None and existing.kind != kind:
            existing.aliases.add(split_acronym(mention.text)[0])  # an acronym met under another class
            continue
        entity = registry.add(kind, mention.text)
        for other in {mention.kind, given} - {kind}:
            registry.entities.setdefault(entity_key(other, mention.text), entity)
    for extraction in extractions:
        for relation in extraction.relations:
            if relation.predicate == "subsidiaryOf":
                child = entity_of(registry.entities, relation.subject)
                parent = entity_of(registry.entities, relation.object)
                if child is not None and parent is not None and child is not parent and child.parent is None:
                    child.parent = parent.key
    _link_known_parents(registry.entities)
    for entity in {id(e): e for e in registry.entities.values()}.values():
        if entity.kind == "Company":
            entity.label = _readable(entity.label, registry.forms[id(entity)])
        elif entity.kind in ("Technology", "Industry"):
            forms = registry.forms[id(entity)]
            entity.label = max(forms, key=lambda form: (forms[form], -len(form), form))  # the usual form
        elif entity.kind == "Policy" and entity.key not in registry.gazetteer.entries:
            forms = registry.forms[id(entity)]
            label = max(forms, key=lambda form: (len(form) <= 80, len(form), form))  # the fullest name
            entity.label = " ".join(re.sub(r"[\"“”‘]|(?<!\w)[’']|[’'](?!\w)", "", label).split())
        entity.aliases.discard(entity.label)
    return registry.entities


def _link_known_parents(entities: dict[tuple[str, str], Entity]) -> None:
    """A well-known subsidiary whose listed parent is in the graph too belongs to it, unless the text said otherwise."""
    parents = _known_parents()
    for (kind, form), entity in list(entities.items()):
        parent_name = parents.get(form) if kind in ORGANISATION_KINDS else None
        if parent_name is None or entity.parent is not None:
            continue
        parent = entities.get(entity_key("Company", parent_name)) or entities.get(entity_key("Organization", parent_name))
        if parent is not None and parent is not entity:
            entity.parent = parent.key


@cache
def _known_parents() -> dict[str, str]:
    """Entity-key form of every listed subsidiary → the canonical name of its listed parent."""
    return {entity_key("Organization", entry.name)[1]: entry.parent
            for entry in known_names().organizations.values() if entry.parent}


_NAMED = ("Organization", "Place", "Person")


def _majority_kinds(mentions: list[Mention]) -> dict[str, str]:
    """Per name, the class most of a paper's mentions give it ("Vexa" tagged ORG twice, GPE once).

    The statistical model labels the same name differently from sentence to sentence; within one
    paper a name means one thing. Ties go to the organisation.
    """
    counts: dict[str, Counter[str]] = {}
    for mention in mentions:
        if mention.kind in _NAMED:
            counts.setdefault(normal_form(mention.text), Counter())[mention.kind] += 1
    majority = {}
    for name, kinds in counts.items():
        if len(kinds) < 2:
            continue
        if " " not in name and "Organization" in kinds:
            # one word tagged PERSON is too unreliable to count (resolve drops it); tagged ORG too, it is one
            kinds = Counter({kind: count for kind, count in kinds.items() if kind != "Person"})
        majority[name] = max(kinds, key=lambda kind: (kinds[kind], -_NAMED.index(kind)))
    return majority


def _relation_mentions(extraction: PaperExtraction) -> list[Mention]:
    """Ends of relations that are not entity mentions themselves (targets, subsidiaries named once)."""
    return [m for r in extraction.relations for m in (r.subject, r.object) if m.kind in ("Target",)]


def entity_of(entities: dict[tuple[str, str], Entity], mention: Mention) -> Entity | None:
    """The resolved entity of a mention (contributors win over plain organisations)."""
    if mention.kind in ("Organization", "Person"):
        company = entities.get(entity_key("Company", mention.text))
        if company is not None:
            return company
    return entities.get(entity_key(mention.kind, mention.text))
