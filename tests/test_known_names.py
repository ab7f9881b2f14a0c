"""The lists of well-known organisations and products: data a person edits, checked so that an edit cannot
make one name mean two things."""
from __future__ import annotations

from graph.extract.known_names import known_names
from graph.extract.resolve import entity_key, normal_form

TYPES = {"company", "university", "government", "association", "other"}


def test_every_organisation_has_a_type_and_a_listed_parent() -> None:
    organizations = known_names().organizations
    assert organizations
    for entry in organizations.values():
        assert entry.type in TYPES, entry
        assert entry.parent is None or entry.parent in organizations, entry


def test_no_name_belongs_to_two_organisations_or_to_an_organisation_and_a_product() -> None:
    owner: dict[str, str] = {}
    for entry in known_names().organizations.values():
        # the name's own key: ignoring case, quotes, legal suffixes and government qualifiers
        own = entity_key("Organization", entry.name)
        for form in (entry.name, *entry.aliases):
            key = entity_key("Organization", form)
            assert key == own, (form, entry.name)  # every alias resolves to its organisation
            assert owner.setdefault(normal_form(form), entry.name) == entry.name, (form, owner[normal_form(form)])
    products = {normal_form(form) for form in known_names().products}
    assert not products & set(owner), sorted(products & set(owner))
