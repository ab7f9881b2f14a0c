"""Well-known organisations and products, from ``ontology/gazetteer/organizations.jsonl`` and ``products.jsonl``.

The small statistical model misses names every reader of business text knows ("Unilever", "Samsung"),
calls some of them people or places, and takes products for companies ("ChatGPT"). These lists are
general knowledge, kept as data like the policy gazetteer: a name in them is an organisation, or a
product, wherever the text writes it as listed, and all the names of one organisation resolve to one
node under its canonical name. Names that are also ordinary words ("Apple", "Shell") stay out of the
lists, so a match needs no context. An organisation's type and a product's owner are for the reader
of the lists; the graph types every organisation alike.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from ..resources import ontology_path

ORGANIZATIONS_FILE = "gazetteer/organizations.jsonl"
PRODUCTS_FILE = "gazetteer/products.jsonl"


@dataclass(frozen=True)
class KnownOrganization:
    name: str
    type: str  # company, university, government, association or other
    aliases: tuple[str, ...]
    parent: str | None  # the canonical name of its parent, when that is listed too


@dataclass(frozen=True)
class KnownNames:
    organizations: dict[str, KnownOrganization]  # by canonical name
    products: frozenset[str]  # every name and alias of a product

    def organisation_forms(self) -> dict[str, set[str]]:
        """Per canonical name, every way to write the organisation (curly and straight apostrophes)."""
        return {
            entry.name: {form for text in (entry.name, *entry.aliases) for form in (text, text.replace("'", "’"))}
            for entry in self.organizations.values()
        }

    def product_forms(self) -> set[str]:
        return {form for text in self.products for form in (text, text.replace("'", "’"))}


def _records(path: str) -> list[dict]:
    lines = ontology_path(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@cache
def known_names() -> KnownNames:
    organizations = {
        record["name"]: KnownOrganization(record["name"], record["type"], tuple(record.get("aliases", ())),
                                          record.get("parent"))
        for record in _records(ORGANIZATIONS_FILE)
    }
    products = frozenset(form for record in _records(PRODUCTS_FILE) for form in (record["name"], *record.get("aliases", ())))
    return KnownNames(organizations, products)
