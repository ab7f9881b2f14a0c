"""Entity resolution: one entity per real-world thing across all papers, every surface form kept as an alias.

Surface forms meet on a key per class: organisations by name without case, quotes, "the" and legal
suffixes ("Acme Ltd., China" = "ACME" = "Acme"); policies by ``policy_key`` (gazetteer alias or the
quoted or numbered core: "“4321” model" = "4321 modern port cluster system"); an acronym defined in
the text ("Northport Turbine Engine Co., Ltd. (NTEC)") becomes an alias of its name. A
subsidiary or joint venture keeps its own node and gets ``parent`` when the text says whose it is.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache

from ..ingest.document import slug
from ..model import Entity, Mention, PaperExtraction
from ..resources import ontology_path
from .policies import PolicyGazetteer, policy_key

_LEGAL_SUFFIX = re.compile(
    r"[,\s]+(?:Inc|Ltd|Limited|LLC|Corp|Corporation|Co|Company|AG|SE|SA|GmbH|plc|N\.?V|Holdings|Group)\.?$",
    re.IGNORECASE,
)
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})
_DEFINED_ACRONYM = re.compile(r"^(.*\S)\s*\(([^()]{2,14})\)$")
_MAX_SLUG = 80
ORGANISATION_KINDS = ("Company", "Organization")


@cache
def _org_words() -> tuple[frozenset[str], tuple[str, ...]]:
    data = json.loads(ontology_path("gazetteer/entity_rules.json").read_text(encoding="utf-8"))
    return frozenset(data["generic_corporate_words"]), tuple(data["national_qualifiers"])


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
    data = json.loads(ontology_path("gazetteer/entity_rules.json").read_text(encoding="utf-8"))
    return {normal_form(alias): name for name, aliases in data["place_aliases"].items() for alias in (name, *aliases)}


def entity_key(kind: str, text: str) -> tuple[str, str]:
    name, _ = split_acronym(text)
    if kind == "Place":
        key = normal_form(name)
        return (kind, normal_form(_place_aliases().get(key, key)))
    if kind == "Policy":
        return (kind, policy_key(name, PolicyGazetteer.load())[0])
    if kind in ("Technology", "Industry"):
        return (kind, _simple_singular(normal_form(name)))
    return (kind, normal_form(name))


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
            text = label or (entry.label if entry else place or name)
            entity = self.entities[key] = Entity(self._slug(kind, entry.key if entry else key[1]), kind, text)
            self.forms[id(entity)] = Counter()
        self.forms[id(entity)][name] += 1
        entity.aliases.add(name)
        if acronym:
            self.alias(entity, acronym)
        return entity

    def alias(self, entity: Entity, surface: str) -> None:
        """``surface`` names ``entity`` whatever class a mention of it is recognised as."""
        entity.aliases.add(surface)
        for kind in {entity.kind, "Organization", "Policy", "Place", "Person"}:
            self.entities.setdefault(entity_key(kind, surface), entity)


def resolve(extractions: list[PaperExtraction]) -> dict[tuple[str, str], Entity]:
    """Group contributors and mentions into entities keyed by (kind, key); link subsidiaries to parents."""
    registry = _Registry()
    contributors: dict[str, Entity] = {}
    for extraction in extractions:
        paper = extraction.paper
        if paper.contributor:
            company = registry.add("Company", paper.contributor, label=paper.contributor)
            contributors.setdefault(organisation_core(paper.contributor), company)
            for alias in paper.contributor_aliases:
                registry.entities[entity_key("Company", alias)] = company
                company.aliases.add(alias)
                contributors.setdefault(organisation_core(alias), company)
    for extraction in extractions:
        majority = _majority_kinds(extraction.mentions)
        for mention in [*extraction.mentions, *_relation_mentions(extraction)]:
            kind = majority.get(normal_form(mention.text), mention.kind) if mention.kind in _NAMED else mention.kind
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
            if kind != mention.kind:
                registry.entities.setdefault(entity_key(mention.kind, mention.text), entity)
    for extraction in extractions:
        for relation in extraction.relations:
            if relation.predicate == "subsidiaryOf":
                child = entity_of(registry.entities, relation.subject)
                parent = entity_of(registry.entities, relation.object)
                if child is not None and parent is not None and child is not parent and child.parent is None:
                    child.parent = parent.key
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


_NAMED = ("Organization", "Place", "Person")


def _majority_kinds(mentions: list[Mention]) -> dict[str, str]:
    """Per name, the class most of a paper's mentions give it ("Orange" tagged ORG twice, GPE once).

    The statistical model labels the same name differently from sentence to sentence; within one
    paper a name means one thing. Ties go to the organisation.
    """
    counts: dict[str, Counter[str]] = {}
    for mention in mentions:
        if mention.kind in _NAMED:
            counts.setdefault(normal_form(mention.text), Counter())[mention.kind] += 1
    return {
        name: max(kinds, key=lambda kind: (kinds[kind], -_NAMED.index(kind)))
        for name, kinds in counts.items()
        if len(kinds) > 1
    }


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
