"""Policies: the gazetteer of well-known ones and the general patterns that find unknown ones."""
from __future__ import annotations

import pytest

from graph.extract.policies import PolicyGazetteer, policy_core, policy_key

from .extraction_helpers import nlp


def policies(text: str) -> list[str]:
    return [ent.text for ent in nlp()(text).ents if ent.label_ == "POLICY"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # unknown titles: capitalised name + head word, grown over "for/of …" and a year range
        ("The city issued the Action Plan for Promoting Smart Harbours in Northport (2026-2028) last year.",
         "Action Plan for Promoting Smart Harbours in Northport (2026-2028)"),
        ("Northport published Several Measures for Supporting the Growth of the Quantum Industry in May.",
         "Several Measures for Supporting the Growth of the Quantum Industry"),
        ("Under the National Hydrogen Strategy, grants are available.", "National Hydrogen Strategy"),
        # quoted names before a head word, and numbered models
        ("The city's “4321” model sets out four goals.", "“4321” model"),
        ('It joined the national "Data Plus" campaign early.', '"Data Plus" campaign'),
        ("Growth follows the 4321 modern industrial cluster model of the city.", "4321 modern industrial cluster model"),
        # italic titles in Markdown
        ("They cite the *Guidelines on Building Green Ports* issued in 2024.", "Guidelines on Building Green Ports"),
        # ordinal Five-Year Plans in lower case
        ("The 16th five-year plan continues this.", "16th five-year plan"),
        ("It follows the “2468” modern port cluster of the city.", "“2468” modern port cluster"),
        # "its" is the place's when a place is the subject, not a company's own programme
        ('Through its "2468" port cluster system, Tianjin has grown its shipping trade.', '"2468" port cluster system'),
        # a quoted numeric code names a policy before "system"; a designated pilot zone is a policy
        ('The city\'s "1+3+4" modern industrial system lists eight industries.', '"1+3+4" modern industrial system'),
        ("In 2019 Northport was designated a National Quantum Innovation and Application Pilot Zone.",
         "National Quantum Innovation and Application Pilot Zone"),
        ("The Harbour Integrated Development Demonstration Zone covers two counties.",
         "Harbour Integrated Development Demonstration Zone"),
        # capitalised words and a policy word in lower case
        ("Northport is implementing the Strong Harbour City strategy, which aims to grow trade.",
         "Strong Harbour City strategy"),
        # a quoted title with its head word inside; a quoted name in lower case before "strategy"
        ("In 2024 the “Action Plan for Effectively Reducing Freight Costs for the Whole Harbour” was issued.",
         "Action Plan for Effectively Reducing Freight Costs for the Whole Harbour"),
        ('The "strong harbour capital" strategy adopted in 2021 adds an urban dimension.',
         '"strong harbour capital" strategy'),
        # a date before "the" is not part of the title
        ("In October 2018 the Regulations of Northport Municipality on Harbour Data came into effect.",
         "Regulations of Northport Municipality on Harbour Data"),
        # a place's own five-year plan is not the national one
        ("The Northport 14th Five-Year Plan for Port Logistics sets two goals.",
         "Northport 14th Five-Year Plan for Port Logistics"),
        # any title, once a head word or "titled" announces it
        ("These are the words of the action plan *Brave Ports: our ambition for Northport* issued in 2024.",
         "Brave Ports: our ambition for Northport"),
        ("The plan, titled ‘Sail Forward: A Promotion Plan for Green Shipping’, sets targets.",
         "Sail Forward: A Promotion Plan for Green Shipping"),
        # a quoted name after "policy of", "concept of", "strategy of", with the noun it qualifies
        ("Northport kept a policy of “Keep Building” fiscal investment in harbour research.",
         "“Keep Building” fiscal investment"),
        ("The port builds a logistics platform under the concept of “Ports + Data”.", "“Ports + Data”"),
        # an italicised name before a lower-case policy word, as a quoted one
        ("Unlike the EU’s *Harbour Europe* programme easing job transitions, Northport has none.",
         "*Harbour Europe* programme"),
        # policy instruments beyond plans and programmes: memos, vouchers, schemes, decrees
        ('In 2024 the government issued the "Port Security Memo", which aims to protect harbour data.',
         "Port Security Memo"),
        ("Northport may introduce “Smart Quay Innovation Vouchers” for small shipping firms.",
         "Smart Quay Innovation Vouchers"),
        ("Firms apply under the Harbour Skills Credit Scheme every year.", "Harbour Skills Credit Scheme"),
    ],
)
def test_unknown_policies_are_found_by_general_patterns(text: str, expected: str) -> None:
    assert expected in policies(text)


@pytest.mark.parametrize(
    "text",
    [
        "Chongqing lies on the Belt and Road Initiative and the Yangtze River Economic Belt.",
        "Firms benefit from the BRI and from Industrie 4.0 in Germany.",
        'The "dual circulation" strategy and Smart Nation both matter.',
        "The Revitalization of Northeast China remains the frame.",
        "Hospitals apply volume-based procurement to generics.",
    ],
)
def test_well_known_policies_come_from_the_gazetteer(text: str) -> None:
    found = nlp()(text).ents
    assert [ent for ent in found if ent.label_ == "POLICY" and ent.kb_id_]


@pytest.mark.parametrize(
    "text",
    [
        "Our Sustainability Strategy cuts emissions by half.",  # a company's own programme
        "Through its “Bright Path” programme, the company trained 300 engineers.",  # the company's programme
        "(1) Establish a Standardized Data Framework: agencies should set common rules.",  # a list lead-in
        "Its capacity to drive western development is clear.",  # an ordinary phrase, not the policy's name
        "In 2025 there were 2027 smart factories.",  # a year is not a numbered model
        "He spoke at the AI Action Summit in Paris.",  # the head word is inside a longer name
        "See our 2019 paper titled “Develop smart ports for the sustainable growth of harbours”.",  # not a policy
        "We build “AI+” manufacturing joint laboratories.",  # "AI+" alone is part of other names
        "Firms moved to a “repair-after-breakdown” model.",  # a described practice, not a named policy
        "(2) Improve Regulations for data sharing.",  # an imperative heading, not a title
        "Our policy of “Zero Harm” guides every site.",  # the company's own policy
        "They follow the strategy of “buy low, sell high” in every market.",  # a saying, not a name
        "Exports leave through the China (Hainan) Pilot Free Trade Zone.",  # a free trade zone is a place
        "The Acme Group strategy puts customers first.",  # a company's strategy, named by the company
        "Edge AI\tTotal Experience Strategy\tPlatform Engineering",  # a table row's labels in title case
        "They adopt a “fail fast” policy.",  # a described practice
    ],
)
def test_not_policies(text: str) -> None:
    assert policies(text) == []


def test_a_lookup_only_alias_names_the_policy_once_a_pattern_found_it() -> None:
    [ent] = [ent for ent in nlp()("China launched the “AI Plus” initiative.").ents if ent.label_ == "POLICY"]
    assert ent.kb_id_ == "ai-plus"


def test_surface_forms_of_one_policy_share_a_key() -> None:
    gazetteer = PolicyGazetteer.load()
    assert policy_core("“33618” model") == policy_core('"33618" framework') == "33618"
    assert policy_core("33618 modern manufacturing cluster system") == "33618"
    assert policy_core("14th Five-Year Plan (2021-2025)") == policy_core("14th five-year plan")
    assert policy_key("BRI", gazetteer) == policy_key("“Belt and Road Initiative”", gazetteer)
    assert policy_key("AI Plus", gazetteer) == policy_key("AI+", gazetteer) == ("ai-plus", "ai-plus")
    assert policy_key("Chengdu–Chongqing Economic Circle", gazetteer)[1] == "chengdu-chongqing-economic-circle"
    assert policy_key("National Hydrogen Strategy", gazetteer)[1] is None
    assert policy_key("“Tiangong Huanxin” action plan", gazetteer) == policy_key("“Tian Gong Huan Xin” action", gazetteer)
    assert policy_key("Action Plan for Advancing the “4+16” Framework", gazetteer) != policy_key("“4+16” Framework", gazetteer)
    assert policy_key("One Port framework", gazetteer) == policy_key("One Port model", gazetteer)
    assert policy_key("East Data, West Computing project", gazetteer)[1] == "east-data-west-computing"
    assert policy_key("Industry 4.0 strategy", gazetteer)[1] == "industrie-4-0"
    assert (policy_key("Action Plan for AI-Enabled High-Quality Development of Manufacturing", gazetteer)
            == policy_key("Action Plan for AI-Enabled High-Quality Manufacturing Development", gazetteer))
    assert policy_key("National Skills Strategy", gazetteer) != policy_key("National Robotics Programme", gazetteer)


def test_gazetteer_entries_are_well_formed() -> None:
    gazetteer = PolicyGazetteer.load()
    assert len(gazetteer.entries) >= 30
    for entry in gazetteer.entries.values():
        assert entry.label and entry.jurisdiction
    # no surface form names two policies
    owner: dict[str, str] = {}
    for entry in gazetteer.entries.values():
        for form in {entry.label, *entry.aliases}:
            assert owner.setdefault(form.lower(), entry.key) == entry.key, form


# Round 4: a well-known policy's name and a quoted name with a title-case head open longer titles.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Northport has issued the 14th Five-Year Plan for the Development of the Widget Economy (2021-2025) this year.",
         "14th Five-Year Plan for the Development of the Widget Economy (2021-2025)"),
        ("The city follows the “7+3” Framework for Ports, Logistics, and Shipping and its targets.",
         "“7+3” Framework for Ports, Logistics, and Shipping"),
    ],
)
def test_a_known_or_quoted_name_opens_a_longer_title(text: str, expected: str) -> None:
    assert policies(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an article after a link word, and a hyphenated compound whose second part is in lower case
        ("The Guidelines for the Construction of a Comprehensive Harbour Standards System came out in May.",
         "Guidelines for the Construction of a Comprehensive Harbour Standards System"),
        ("Under the Action Plan for Promoting Crane Renewal and Trade-ins of Harbour Equipment, ports buy cranes.",
         "Action Plan for Promoting Crane Renewal and Trade-ins of Harbour Equipment"),
        # an outline and a tax are policies too
        ("Northport benefits from the Outline of the Integrated Development of the Velm Delta, which links ports.",
         "Outline of the Integrated Development of the Velm Delta"),
        ("The Harbour Plastic Tax, introduced in 2022, applies to packaging with little recycled plastic.",
         "Harbour Plastic Tax"),
        ("Ports must follow the Provisions on Regulating Cross-border Harbour Data Flows from next year.",
         "Provisions on Regulating Cross-border Harbour Data Flows"),
        # a line-break hyphen inside a word does not carry the title on past it
        ("The Act on Equal Pay and Treat-ment between Men and Women applies.", "Act on Equal Pay and Treat"),
    ],
)
def test_a_title_runs_on_over_articles_and_lower_case_compound_ends(text: str, expected: str) -> None:
    assert policies(text) == [expected]


def test_a_known_name_keeps_its_gazetteer_key_where_no_title_goes_on() -> None:
    doc = nlp()("The 14th Five-Year Plan in Northport set goals, and Acme said so under the 14th Five-Year Plan.")
    assert [(ent.text, ent.kb_id_) for ent in doc.ents if ent.label_ == "POLICY"] == [
        ("14th Five-Year Plan", "14th-five-year-plan"), ("14th Five-Year Plan", "14th-five-year-plan")]


def test_a_comma_ends_a_title_unless_a_list_of_fields_goes_on() -> None:
    assert "Action Plan for Harbours" in policies("Northport adopted the Action Plan for Harbours, Velmora said.")


def test_well_known_trade_and_climate_instruments_are_policies_by_any_of_their_names() -> None:
    doc = nlp()("Exporters face the EU CBAM from 2026, while RCEP and the EU ETS shape shipping to Northport.")
    assert {(ent.text, ent.kb_id_) for ent in doc.ents if ent.label_ == "POLICY"} >= {
        ("EU CBAM", "eu-cbam"), ("RCEP", "rcep"), ("EU ETS", "eu-ets")}


def test_two_titles_joined_by_and_stay_two() -> None:
    assert policies("The city adopted the Quay Safety Plan and the Tug Training Plan in 2024.") == [
        "Quay Safety Plan", "Tug Training Plan"]
    assert policies("The Plan for Science and Technology Innovation was issued.") == [
        "Plan for Science and Technology Innovation"]


@pytest.mark.parametrize("text, expected", [
    # a quoted title bounds its own lower-case compound parts
    ("The ministry issued the “Action Plan for Promoting Large-scale Crane Renewals and Trade-ins of Tugboats”.",
     ["Action Plan for Promoting Large-scale Crane Renewals and Trade-ins of Tugboats"]),
    # a title goes on over a capitalised "Through"
    ("The Blue Growth Strategy Through Achieving Clean Harbours in 2050 sets targets.",
     ["Blue Growth Strategy Through Achieving Clean Harbours"]),
    # a place's or a union's strategy in lower case, but not a company's
    ("The European Union's Blue Harbour strategy plans to mobilise EUR 3 billion.", ["Blue Harbour strategy"]),
    ("Acme Robotics's Blue Harbour strategy plans to train 300 engineers.", []),
    # a name its apposition calls a programme; an ordinal or an adverb before a comma is none
    ("At city level, Smart Northport, the municipal smart-port programme launched in 2015, built a data platform.",
     ["Smart Northport"]),
    ("Second, the new computing strategy has designated a hub.", []),
    ("We met Wang Li, the director of the programme.", []),
    # a pilot and an agreement end a title in running text; a body named after what it regulates is no policy
    ("Since 2019 the agency has run the Northport Real-World Data Pilot.", ["Northport Real-World Data Pilot"]),
    ("The Velmora–EU Agreement on Geographical Indications entered into force.",
     ["Velmora–EU Agreement on Geographical Indications"]),
    ("The State Administration for Market Regulation inspects cranes.", []),
    # a bracketed footnote marker does not stick to the name
    ("The city has put forward the “4+4” modern port system[1], which takes shipping first.",
     ["“4+4” modern port system"]),
])
def test_more_ways_papers_name_policies(text: str, expected: list[str]) -> None:
    assert policies(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Through the municipal implementation plan for carbon peaking, Northport set a direction.",
     ["municipal implementation plan for carbon peaking"]),
    ("The national opinions on further strengthening the control of plastic pollution, issued in 2020, set goals.",
     ["national opinions on further strengthening the control of plastic pollution"]),
    ("I read the city's own marine economy plan in its English summary.", ["marine economy plan"]),
    # no name: a level of government or a place alone, or a body's plan
    ("The national plan is good, the city's plan is bad and the provincial government plan is late.", []),
])
def test_policies_named_in_lower_case_after_a_level_of_government(text: str, expected: list[str]) -> None:
    assert policies(text) == expected
