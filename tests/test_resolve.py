"""Entity resolution: one node per real-world entity across papers, every surface form an alias."""
from __future__ import annotations

from graph.extract.resolve import entity_of, normal_form, organisation_core, resolve, split_acronym
from graph.model import Evidence, Mention, Paper, PaperExtraction, Relation

from .extraction_helpers import corpus_of


def _paper(number: int, contributor: str, text: str = "x") -> Paper:
    return Paper(f"p-{number}", number, f"Paper {number}", contributor, text, [], "v")


def _mention(text: str, kind: str, paper_id: str = "p-1") -> Mention:
    return Mention(text, kind, Evidence(paper_id, 0, 1, "x"))


def _entities(*extractions: PaperExtraction):
    entities = resolve(list(extractions))
    return entities, {id(e): e for e in entities.values()}


def test_contributor_forms_resolve_to_one_readable_company() -> None:
    first = PaperExtraction(_paper(1, "SIEMENS"), mentions=[_mention("Siemens", "Organization"),
                                                             _mention("Siemens Ltd., China", "Organization")])
    second = PaperExtraction(_paper(2, "Ford"), mentions=[_mention("Ford Motor Company", "Organization", "p-2"),
                                                           _mention("SIEMENS", "Person", "p-2")])
    entities, unique = _entities(first, second)
    siemens = entity_of(entities, _mention("Siemens Ltd., China", "Organization"))
    assert siemens is not None and siemens.kind == "Company"
    assert siemens.label == "Siemens"  # the readable form, not the capitals of the contents page
    assert {"SIEMENS", "Siemens Ltd., China"} <= siemens.aliases
    assert entity_of(entities, _mention("SIEMENS", "Person")) is siemens
    ford = entity_of(entities, _mention("Ford Motor Company", "Organization"))
    assert ford is not None and ford.label == "Ford" and "Ford Motor Company" in ford.aliases
    assert len([e for e in unique.values() if e.kind == "Company"]) == 2


def test_acronym_defined_in_text_is_an_alias_and_subsidiary_stays_distinct() -> None:
    long_form = "Northport Turbine Engine Co., Ltd. (NTEC)"
    extraction = PaperExtraction(
        _paper(1, "Acme Turbines"),
        mentions=[_mention(long_form, "Organization"), _mention("NTEC", "Organization"), _mention("NTEC", "Place")],
        relations=[Relation(_mention(long_form, "Organization"), "subsidiaryOf",
                            _mention("Acme Turbines", "Company"), Evidence("p-1", 0, 1, "x"))],
    )
    entities, _ = _entities(extraction)
    venture = entity_of(entities, _mention("NTEC", "Organization"))
    acme = entity_of(entities, _mention("Acme Turbines", "Company"))
    assert venture is not None and acme is not None and venture is not acme
    assert venture.label == "Northport Turbine Engine Co., Ltd." and "NTEC" in venture.aliases
    assert entity_of(entities, _mention("NTEC", "Place")) is venture  # the model's misreading joins it too
    assert venture.parent == acme.key


def test_policy_surface_forms_resolve_to_one_policy() -> None:
    extraction = PaperExtraction(
        _paper(1, "Acme"),
        mentions=[_mention(text, "Policy") for text in (
            "“33618” model", '"33618" framework', "33618 modern manufacturing cluster system",
            "BRI", "Belt and Road Initiative", "14th five-year plan", "14th Five-Year Plan (2021-2025)")],
    )
    entities, unique = _entities(extraction)
    policies = [e for e in unique.values() if e.kind == "Policy"]
    assert len(policies) == 3
    model = entity_of(entities, _mention("33618 model", "Policy"))
    assert model is not None and model.label == "33618 modern manufacturing cluster system"
    belt = entity_of(entities, _mention("BRI", "Policy"))
    assert belt is not None and belt.label == "Belt and Road Initiative" and belt.key == "belt-and-road-initiative"


def test_names_are_normalised_not_merged_by_accident() -> None:
    assert normal_form("The “Acme” Ltd.") == normal_form('acme') == "acme"
    assert organisation_core("Cummins China") == organisation_core("Cummins") == "cummins"
    assert organisation_core("Foton Cummins") != "cummins"
    assert split_acronym("Agency for Science, Technology and Research (A*STAR)") == (
        "Agency for Science, Technology and Research", "A*STAR")
    assert split_acronym("Northport Daily (online)") == ("Northport Daily (online)", None)


def test_iri_slugs_are_unique_and_stable(tmp_path) -> None:
    text = "# A paper\n\nAcme Turbines works with Northport University and the Northport government in Northport.\n"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = corpus_of(tmp_path / "a", {"one": text}, contributor="Acme Turbines")
    second = corpus_of(tmp_path / "b", {"one": text}, contributor="Acme Turbines")

    def keys(corpus):
        return sorted((e.kind, e.key, e.label) for e in {id(e): e for e in corpus.entities.values()}.values())

    assert keys(first) == keys(second)
    slugs = [(("org" if kind in ("Company", "Organization") else kind), key) for kind, key, _ in keys(first)]
    assert len(slugs) == len(set(slugs))


def test_a_name_has_the_class_most_of_a_papers_mentions_give_it() -> None:
    extraction = PaperExtraction(
        _paper(1, "Acme"),
        mentions=[_mention("Orange", "Place"), _mention("Orange", "Organization"), _mention("Orange", "Organization"),
                  _mention("Lyon", "Place"), _mention("Allegro", "Person")],
    )
    entities, unique = _entities(extraction)
    orange = entity_of(entities, _mention("Orange", "Place"))
    assert orange is not None and orange.kind == "Organization"
    assert [e.kind for e in unique.values() if e.label == "Orange"] == ["Organization"]
    assert entity_of(entities, _mention("Allegro", "Person")) is None  # one word tagged PERSON: not trusted


def test_place_variants_and_contributors_tagged_as_places() -> None:
    extraction = PaperExtraction(
        _paper(1, "Acme"),
        mentions=[_mention(text, "Place") for text in ("U.S.", "USA", "the United States", "Acme", "Lyon")],
    )
    entities, unique = _entities(extraction)
    places = sorted(e.label for e in unique.values() if e.kind == "Place")
    assert places == ["Lyon", "United States"]
    assert entity_of(entities, _mention("Acme", "Place")) is entity_of(entities, _mention("Acme", "Company"))
