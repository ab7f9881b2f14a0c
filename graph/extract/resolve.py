"""Entity resolution: one entity per real-world thing across all papers, every surface form kept as an alias."""
from __future__ import annotations

import re

from ..ingest.document import slug
from ..model import Entity, Mention, PaperExtraction

_LEGAL_SUFFIX = re.compile(
    r"[,\s]+(?:Inc|Ltd|Limited|LLC|Corp|Corporation|Co|Company|AG|SE|SA|GmbH|plc|N\.?V|Holdings|Group)\.?$",
    re.IGNORECASE,
)
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def normal_form(text: str) -> str:
    """Key for matching surface forms: case, quotes, "the", legal suffixes and spacing do not matter."""
    text = text.translate(_QUOTES).strip(" \"'")
    text = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)
    while True:
        shorter = _LEGAL_SUFFIX.sub("", text)
        if shorter == text:
            break
        text = shorter
    text = re.sub(r"'s$", "", text)
    return " ".join(text.lower().split())


def entity_key(kind: str, text: str) -> tuple[str, str]:
    return (kind, normal_form(text))


def resolve(extractions: list[PaperExtraction]) -> dict[tuple[str, str], Entity]:
    """Group mentions and contributors into entities keyed by (kind, normal form)."""
    entities: dict[tuple[str, str], Entity] = {}

    def add(kind: str, surface: str) -> Entity:
        key = entity_key(kind, surface)
        entity = entities.get(key)
        if entity is None:
            entity = entities[key] = Entity(slug(key[1]), kind, surface.strip())
        entity.aliases.add(surface.strip())
        return entity

    for extraction in extractions:
        paper = extraction.paper
        if paper.contributor:
            add("Company", paper.contributor)
    contributors = {key[1] for key in entities}
    for extraction in extractions:
        for alias in extraction.paper.contributor_aliases:
            company = entities[entity_key("Company", extraction.paper.contributor or alias)]
            entities[entity_key("Company", alias)] = company
            company.aliases.add(alias)
        for mention in extraction.mentions:
            kind = mention.kind
            # An organisation that contributes a paper is a company, wherever it is mentioned.
            if kind == "Organization" and normal_form(mention.text) in contributors:
                kind = "Company"
            add(kind, mention.text)
    for entity in entities.values():
        entity.aliases.discard(entity.label)
    return entities


def entity_of(entities: dict[tuple[str, str], Entity], mention: Mention) -> Entity | None:
    """The resolved entity of a mention (contributors win over plain organisations)."""
    if mention.kind == "Organization":
        company = entities.get(entity_key("Company", mention.text))
        if company is not None:
            return company
    return entities.get(entity_key(mention.kind, mention.text))
