"""Entity resolution: one node per real-world entity across papers, every surface form an alias."""
from __future__ import annotations

from graph.extract.known_names import known_names
from graph.extract.resolve import entity_of, names_of_things, normal_form, organisation_core, resolve, split_acronym
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


def test_names_a_paper_defines_for_things_are_not_organisations() -> None:
    text = ("Overall Equipment Effectiveness (OEE) rose. Workers join continuing education and training (CET). "
            "The National Widget Strategy 2.0 (NWS 2.0) helps. The Agency for Science and Research (ASR) funds it. "
            "Northport Turbine Engine Co., Ltd. (NTEC) builds engines with a joint venture (NJV). "
            "The Integrated Harbour Control Tower (IHCT) and the Centre of Excellence for Manufacturing (CEM) open.")
    assert names_of_things(text) == {"oee", "cet", "nws", "ihct"}
    extraction = PaperExtraction(
        _paper(1, "Acme", text),
        mentions=[_mention(name, "Organization") for name in ("OEE", "NWS 1.0", "IHCT", "ASR", "NTEC", "CEM")],
    )
    entities, unique = _entities(extraction)
    assert sorted(e.label for e in unique.values() if e.kind == "Organization") == ["ASR", "CEM", "NTEC"]
    assert entity_of(entities, _mention("OEE", "Organization")) is None  # what the graph's writer asks
    # resolution reads the extraction and leaves it as it was (extractions are cached and read again)
    assert [m.text for m in extraction.mentions] == ["OEE", "NWS 1.0", "IHCT", "ASR", "NTEC", "CEM"]


def test_names_the_paper_quotes_are_titles_not_organisations() -> None:
    text = ("Acme developed ‘Gridwise’, an initiative for planners. It follows the “Harbour Digital Port Alliance” "
            "plan and the ‘North Data, South Compute’ (NDSC) project. The Widget Alliance (WA) funds it.")
    assert names_of_things(text) == {"gridwise", "harbour digital port alliance", "north data, south compute", "ndsc"}


def test_resolving_twice_gives_the_same_entities_and_leaves_the_extraction_alone() -> None:
    text = "Overall Equipment Effectiveness (OEE) rose."
    first = PaperExtraction(_paper(1, "Globex", text), mentions=[
        _mention("OEE", "Organization"), _mention("Foton Globex", "Person"), _mention("IWA", "Organization"),
        _mention("International Widget Agency (IWA)", "Organization")])
    second = PaperExtraction(_paper(2, "Initech"), mentions=[_mention("IWA", "Organization", "p-2")])
    before = [(m.text, m.kind) for e in (first, second) for m in e.mentions]

    def snapshot() -> list[tuple]:
        entities = resolve([first, second])
        return sorted((key, e.key, e.kind, e.label, tuple(sorted(e.aliases))) for key, e in entities.items())

    once = snapshot()
    assert snapshot() == once
    assert [(m.text, m.kind) for e in (first, second) for m in e.mentions] == before


def test_a_bare_acronym_met_before_its_definition_is_the_defined_body() -> None:
    footnote_first = PaperExtraction(_paper(1, "Acme"), mentions=[
        _mention("IWA", "Organization"), _mention("International Widget Agency (IWA)", "Organization")])
    other_paper = PaperExtraction(_paper(2, "Globex"), mentions=[_mention("IWA", "Organization", "p-2")])
    entities, unique = _entities(footnote_first, other_paper)
    agency = entity_of(entities, _mention("IWA", "Organization"))
    assert agency is not None and agency.label == "International Widget Agency" and "IWA" in agency.aliases
    assert [e.label for e in unique.values() if e.kind == "Organization"] == ["International Widget Agency"]


def test_government_qualifiers_do_not_make_another_body() -> None:
    extraction = PaperExtraction(
        _paper(1, "Acme"),
        mentions=[_mention(text, "Organization") for text in (
            "Northport government", "Northport Municipal Government", "German federal government", "German government",
            "Northport Municipal Government's Department of Ports")],
    )
    _, unique = _entities(extraction)
    assert len([e for e in unique.values() if e.kind == "Organization"]) == 3


def test_one_word_tagged_an_organisation_once_is_one_wherever_the_model_says_person() -> None:
    extraction = PaperExtraction(
        _paper(1, "Acme"),
        mentions=[_mention("Velmora", "Person"), _mention("Velmora", "Person"), _mention("Velmora Group", "Organization"),
                  _mention("Jean Dupont", "Person"), _mention("Jean Dupont", "Person"), _mention("Jean Dupont", "Organization")],
    )
    entities, _ = _entities(extraction)
    velmora = entity_of(entities, _mention("Velmora", "Person"))
    assert velmora is not None and velmora.kind == "Organization"
    dupont = entity_of(entities, _mention("Jean Dupont", "Person"))
    assert dupont is not None and dupont.kind == "Person"  # two words: the majority still decides


def test_joint_ventures_named_after_the_contributor_are_organisations() -> None:
    one_word = PaperExtraction(_paper(1, "Globex"), mentions=[_mention("Foton Globex", "Person")])
    two_words = PaperExtraction(
        _paper(2, "Jade Matrix"),
        mentions=[_mention("Jade Schindler", "Person", "p-2"), _mention("Jade Matrix Corporate Office", "Person", "p-2")],
    )
    entities, _ = _entities(one_word, two_words)
    assert [m.kind for m in [*one_word.mentions, *two_words.mentions]] == ["Person", "Person", "Person"]  # as extracted
    assert entity_of(entities, _mention("Foton Globex", "Organization")).kind == "Organization"
    assert entity_of(entities, _mention("Foton Globex", "Person")).kind == "Organization"  # as the graph's writer asks
    assert entity_of(entities, _mention("Jade Schindler", "Organization")).kind == "Organization"
    # the contributor's own unit, not a partner
    assert entity_of(entities, _mention("Jade Matrix Corporate Office", "Organization")) is None


def test_a_place_named_after_the_contributor_is_its_own_site_not_a_place() -> None:
    extraction = PaperExtraction(_paper(1, "VELMORA"), mentions=[_mention("Velmora Smart Campus", "Place"),
                                                                 _mention("Northport", "Place")])
    _, unique = _entities(extraction)
    assert sorted(e.label for e in unique.values() if e.kind == "Place") == ["Northport"]


def test_an_acronym_after_an_emphasised_title_names_the_title() -> None:
    assert "wma" in names_of_things("The EU's *Widget Markets Act* (WMA) constrains data flows.")


def test_a_name_opening_with_the_contributors_is_its_own_product_unless_it_names_a_body() -> None:
    own = [_mention(text, "Organization") for text in ("Velmora Xcelerator", "Velmora Widget Portal", "Velmora Bank",
                                                       "Velmora Lumo", "Velmora Robotics")]
    extraction = PaperExtraction(
        _paper(1, "Velmora"), mentions=own,
        relations=[Relation(_mention("Velmora Lumo", "Organization"), "subsidiaryOf",
                            _mention("Velmora", "Company"), Evidence("p-1", 0, 1, "x"))],
    )
    _, unique = _entities(extraction)
    organisations = sorted(e.label for e in unique.values() if e.kind == "Organization")
    # a product and a portal are things; a bank, a subsidiary the text names and "… Robotics" are bodies
    assert organisations == ["Velmora Bank", "Velmora Lumo", "Velmora Robotics"]


def test_the_names_of_a_well_known_organisation_resolve_to_one_node_under_its_canonical_name() -> None:
    entry = next(e for e in known_names().organizations.values()
                 if e.aliases and normal_form(e.aliases[0]) != normal_form(e.name))  # "AMD" for "Advanced Micro Devices"
    extraction = PaperExtraction(_paper(1, "Velmora"), mentions=[_mention(entry.aliases[0], "Organization"),
                                                                 _mention(entry.name, "Organization")])
    _, unique = _entities(extraction)
    organisations = [e for e in unique.values() if e.kind == "Organization"]
    assert [e.label for e in organisations] == [entry.name]
    assert entry.aliases[0] in organisations[0].aliases


def test_a_well_known_subsidiary_belongs_to_its_listed_parent_when_both_are_named() -> None:
    organizations = known_names().organizations
    child = next(e for e in organizations.values() if e.parent)
    parent = organizations[child.parent]
    extraction = PaperExtraction(_paper(1, "Velmora"), mentions=[_mention(child.name, "Organization"),
                                                                 _mention(parent.name, "Organization")])
    entities, _ = _entities(extraction)
    assert entity_of(entities, _mention(child.name, "Organization")).parent == \
        entity_of(entities, _mention(parent.name, "Organization")).key
    alone, _ = _entities(PaperExtraction(_paper(1, "Velmora"), mentions=[_mention(child.name, "Organization")]))
    assert entity_of(alone, _mention(child.name, "Organization")).parent is None


def test_a_phrase_in_title_case_whose_words_the_paper_writes_in_lower_case_is_no_organisation() -> None:
    text = ("Our research and innovation ecosystem needs better traffic mobility. Velmora Trading and Brenlow Trading "
            "signed with the trading house Harbour Trading Technologies, see www.velmora.com and velmora.org/news.")
    names = ("Research and Innovation Ecosystem", "Traffic Mobility", "Brenlow Trading", "Velmora Trading",
             "Harbour Trading Technologies", "Trading")
    extraction = PaperExtraction(_paper(1, "Acme", text), mentions=[_mention(name, "Organization") for name in names])
    _, unique = _entities(extraction)
    organisations = sorted(e.label for e in unique.values() if e.kind == "Organization")
    # a name has a word of its own ("Brenlow"), an organisation's head noun or a company's last word;
    # words of a web address are not the paper's words
    assert organisations == ["Brenlow Trading", "Harbour Trading Technologies", "Velmora Trading"]


def test_an_acronym_defined_for_a_local_body_does_not_take_a_well_known_organisations_name() -> None:
    entry = next(e for e in known_names().organizations.values() if any(a.isupper() and len(a) <= 4 for a in e.aliases))
    acronym = next(a for a in entry.aliases if a.isupper() and len(a) <= 4)
    local = f"Velmora Widget Holdings ({acronym})"
    extraction = PaperExtraction(_paper(1, "Acme"), mentions=[_mention(local, "Organization"),
                                                              _mention(entry.name, "Organization")])
    entities, _ = _entities(extraction)
    assert entity_of(entities, _mention(entry.name, "Organization")).label == entry.name
    assert acronym in entity_of(entities, _mention("Velmora Widget Holdings", "Organization")).aliases


def test_the_contributors_own_name_is_never_a_phrase_in_title_case() -> None:
    extraction = PaperExtraction(_paper(1, "Open Grid", "We build an open grid."),
                                 mentions=[_mention("The Open Grid", "Organization")])
    entities, _ = _entities(extraction)
    company = entity_of(entities, _mention("Open Grid", "Organization"))
    assert company.kind == "Company" and "The Open Grid" in company.aliases  # the mention was read, not dropped
