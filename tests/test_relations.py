"""Relations through the real pipeline: policy targets, the contributor's own presence, subsidiaries."""
from __future__ import annotations

from pathlib import Path

import pytest

from graph.evaluate import evaluate
from graph.extract import entity_of
from graph.model import Mention

from .extraction_helpers import corpus_of, relations

PAPER = """# Harbours for Northport

## Policy background

The city's "Action Plan for Smart Harbours in Northport"² sets clear and ambitious targets, including:

- Establishing 40 smart terminals and 200 digital berths by 2028.
- Building a national demonstration zone for green shipping.

The “4321” model outlines the development of 12 automated container yards and multiple logistics clusters by 2027.

The Northport Data Charter released in spring set out numerous goals: to promote open port data, to advance shipping efficiency through AI, and to speed up digital infrastructure development.

## Acme in Northport

Acme's Chongqing plant has produced turbines since 2004, and our joint venture in Tianjin, Tianjin Turbine Engine Co., Ltd. (TTEC), builds engines for the automotive sector.

Acme has recently established a new innovation and R&D center in Chengdu. Harbour Sensors Ltd., a subsidiary of Acme, makes gauges.

Northport Logistics Group is glad to leverage the growth of our turbine joint venture with partners.

Acme also signed a partnership with a logistics firm in Wuhan. We look forward to supporting the green operation of Nanjing's industrial parks and office buildings.
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory):
    return corpus_of(tmp_path_factory.mktemp("relations"), {"acme": PAPER}, contributor="Acme")


def test_list_items_after_an_announcing_sentence_are_the_policys_targets(corpus) -> None:
    targets = {obj for subj, kind, obj in relations(corpus, "targets") if "Action Plan" in subj}
    assert "Establishing 40 smart terminals and 200 digital berths by 2028" in targets
    assert "Building a national demonstration zone for green shipping" in targets


def test_quantified_goals_in_a_sentence_naming_a_policy(corpus) -> None:
    targets = {(subj, obj) for subj, kind, obj in relations(corpus, "targets") if kind == "Target"}
    assert ("“4321” model", "12 automated container yards") in targets
    assert ("“4321” model", "multiple logistics clusters by 2027") in targets


def test_goals_listed_after_a_colon(corpus) -> None:
    targets = {obj for subj, kind, obj in relations(corpus, "targets") if "Charter" in subj}
    assert "advance shipping efficiency through AI" in targets
    assert "speed up digital infrastructure development" in targets


def test_presence_is_the_contributors_own_site_not_a_partnership(corpus) -> None:
    places = {obj for subj, kind, obj in relations(corpus, "operatesIn")}
    assert {"Chongqing", "Tianjin", "Chengdu"} <= places
    assert not {"Wuhan", "Nanjing"} & places


def test_joint_venture_is_its_own_node_linked_to_the_contributor(corpus) -> None:
    entities = corpus.entities
    venture = entity_of(entities, Mention("TTEC", "Organization", corpus.extractions[0].mentions[0].evidence))
    acme = entities[("Company", "acme")]
    assert venture is not None and venture is not acme
    assert "TTEC" in venture.aliases
    assert venture.parent == acme.key


def test_relation_evidence_quotes_the_paper(corpus) -> None:
    text = corpus.extractions[0].paper.text
    found = corpus.extractions[0].relations
    assert found
    for relation in found:
        evidence = relation.evidence
        assert text[evidence.start : evidence.end] == evidence.quote
        if relation.object.kind == "Target":
            assert relation.object.text in evidence.quote


def test_subsidiary_needs_the_text_to_tie_it_to_the_contributor(corpus) -> None:
    children = {subj for subj, kind, obj in relations(corpus, "subsidiaryOf")}
    assert any("Harbour Sensors" in child for child in children)
    assert not any("Northport Logistics" in child for child in children)  # named, but not the venture


INITIALS_PAPER = """# Sensors for Northport

GXTronics makes sensors for harbours worldwide.

As a company rooted in Chongqing and committed to its long-term development, GXTronics is glad to share its experience with the city.

GXTronics also sells sensors to a shipyard in Wuhan.
"""


def test_contributor_listed_by_initials_is_found_by_its_full_name(tmp_path) -> None:
    corpus = corpus_of(tmp_path, {"gx": INITIALS_PAPER}, contributor="GX")
    places = {obj for subj, kind, obj in relations(corpus, "operatesIn")}
    assert places == {"Chongqing"}  # the sale in Wuhan is no site


TARGETS_PAPER = """# Ports of Northport

## Policy background

The “Harbour Data Charter” supports port logistics training and customs digitalisation for small shipping firms.

Through its “Blue Port Strategy”, Northport has strengthened key industries including shipbuilding and marine electronics.

Northport has launched the “Smart Quay Action Plan”, cultivating 12 exemplary quay applications and deploying automated cranes in every terminal.

The city has introduced the “Green Shipping Measures” and the “Harbour Talent Measures”. These policies form a framework covering pilot subsidies and crane operator training.

According to the “Harbour Automation Plan” released in 2024, the city aims to accelerate the development of autonomous tugboats.

During the “Coastal Growth Strategy” period, the shipyards of Northport achieved remarkable progress.

As Northport grows, the city adopted the “Harbour Logistics Plan” in 2021. For example, the “Harbour Logistics Plan” has been in force for two consecutive years.

Key initiatives:

- “Harbour Innovation 2030 Plan” (HI2030):
- The government has allocated EUR 3 billion to port robotics.
- Port Research Centres:
- A public laboratory for ship sensors.
"""


@pytest.fixture(scope="module")
def targets_corpus(tmp_path_factory: pytest.TempPathFactory):
    return corpus_of(tmp_path_factory.mktemp("targets"), {"ports": TARGETS_PAPER}, contributor="Acme")


def _targets_of(corpus, policy: str) -> set[str]:
    return {obj for subj, kind, obj in relations(corpus, "targets") if subj == policy}


def test_what_a_policy_subject_does_is_its_target(targets_corpus) -> None:
    targets = _targets_of(targets_corpus, "Harbour Data Charter")
    assert "port logistics training and customs digitalisation for small shipping firms" in targets


def test_a_policy_in_a_through_phrase_targets_the_verbs_object_and_its_industries(targets_corpus) -> None:
    targets = _targets_of(targets_corpus, "Blue Port Strategy")
    assert "key industries including shipbuilding and marine electronics" in targets
    assert "shipbuilding" in targets
    assert not any("Northport" in target for target in targets)  # the subject is whose policy it is


def test_a_participle_after_a_launched_policy_says_what_it_does(targets_corpus) -> None:
    targets = _targets_of(targets_corpus, "Smart Quay Action Plan")
    assert "cultivating 12 exemplary quay applications and deploying automated cranes in every terminal" in targets
    assert "12 exemplary quay applications" in targets


def test_according_to_a_policy_the_verbs_object_is_its_target(targets_corpus) -> None:
    assert "accelerate the development of autonomous tugboats" in _targets_of(targets_corpus, "Harbour Automation Plan")


def test_a_policy_naming_a_time_is_not_the_actor_of_the_sentence(targets_corpus) -> None:
    assert _targets_of(targets_corpus, "Coastal Growth Strategy") == set()  # "during the X period"


def test_these_policies_in_the_next_sentence_stand_for_the_policies_named_before(targets_corpus) -> None:
    for policy in ("Green Shipping Measures", "Harbour Talent Measures"):
        assert "a framework covering pilot subsidies and crane operator training" in _targets_of(targets_corpus, policy)


def test_background_clauses_discourse_phrases_and_counts_of_years_are_no_targets(targets_corpus) -> None:
    # "As Northport grows", "For example", "in force", "two consecutive years", "in 2021"
    assert _targets_of(targets_corpus, "Harbour Logistics Plan") == set()


def test_a_lead_naming_only_a_policy_gives_the_list_items_up_to_the_next_lead(targets_corpus) -> None:
    targets = _targets_of(targets_corpus, "Harbour Innovation 2030 Plan")
    assert "The government has allocated EUR 3 billion to port robotics" in targets
    assert not any("laboratory" in target or "Research Centres" in target for target in targets)


PURPOSE_PAPER = """# Harbours of Northport

## Policy background

The port will speed up the automation of its berths and Northport’s “Harbour Sky” action plan (2026-2028) (to boost its marine software and sensor industry) and related trades.

Ship owners are central to the “Blue Harbour” strategy (cutting harbour emissions by half before 2030 and reaching zero waste by 2040).

From 2019 to 2024, Northport kept a policy of “Keep Building” fiscal investment in harbour research and port technology.

Northport is building a city-wide harbour logistics platform under the concept of “Ports + Data”.

The “Harbour Talent Plan” opened 40 training centres for crane operators, reflecting a strong commitment to skills in the port.

Northport is responding to the national strategy of “Ports + Industry” by promoting automated cranes in every terminal.

Acme and Northport Steel are working to establish the city's first green harbour campus, contributing to the country’s “Clean Harbour” strategy.

Comparing with the EU’s *Harbour Europe* programme facilitating crane operator transitions, Northport's retraining remains thin.

The joint platform has sped up the alignment between Germany’s “Industry 4.0” and Japan’s Smart Harbour Strategy.
"""


@pytest.fixture(scope="module")
def purpose_corpus(tmp_path_factory: pytest.TempPathFactory):
    return corpus_of(tmp_path_factory.mktemp("purpose"), {"harbours": PURPOSE_PAPER}, contributor="Acme")


def test_a_bracketed_purpose_after_a_policy_is_its_target(purpose_corpus) -> None:
    # the parser hangs "(to boost …)" on the sentence's verb; the bracket follows the policy, past its years
    assert "boost its marine software and sensor industry" in _targets_of(purpose_corpus, "“Harbour Sky” action plan")
    goals = _targets_of(purpose_corpus, "“Blue Harbour” strategy")
    assert "cutting harbour emissions by half before 2030 and reaching zero waste by 2040" in goals


def test_a_policy_named_after_policy_of_targets_what_its_phrase_qualifies(purpose_corpus) -> None:
    targets = _targets_of(purpose_corpus, "“Keep Building” fiscal investment")
    assert any("harbour research and port technology" in target for target in targets)


def test_a_policy_after_concept_of_targets_the_verbs_object(purpose_corpus) -> None:
    assert "a city-wide harbour logistics platform" in _targets_of(purpose_corpus, "“Ports + Data”")


def test_the_writers_comment_on_a_policy_is_no_target(purpose_corpus) -> None:
    targets = _targets_of(purpose_corpus, "Harbour Talent Plan")
    assert "40 training centres for crane operators" in targets
    assert not any("commitment" in target for target in targets)


def test_what_a_city_does_in_response_to_a_policy_is_not_the_policys_target(purpose_corpus) -> None:
    assert _targets_of(purpose_corpus, "“Ports + Industry”") == set()


def test_a_first_of_its_kind_is_no_quantified_goal(purpose_corpus) -> None:
    # spaCy counts "first" as a number; an ordinal ranks a thing, it does not count a goal
    targets = _targets_of(purpose_corpus, "“Clean Harbour” strategy")
    assert not any("first" in target for target in targets)


def test_a_phrase_the_parser_cut_at_a_possessive_is_no_target(purpose_corpus) -> None:
    # the parser takes "Industry 4.0" for a second object of "sped up": "the alignment between Germany’s" is left
    for policy in ("Industry 4.0", "Smart Harbour Strategy"):
        assert not any(target.endswith("’s") for target in _targets_of(purpose_corpus, policy))


def test_an_italicised_programme_targets_what_its_participle_says(purpose_corpus) -> None:
    targets = {obj for subj, kind, obj in relations(purpose_corpus, "targets") if "Harbour Europe" in subj}
    assert any("crane operator transitions" in target for target in targets)


# Policy-target floors just under what the bundled build reaches (the dev recall floor is in
# test_entities.py). Held-out and once-unseen papers have all been tuned on since: these are regression
# floors, not clean measurements; gold_unseen5 alone has not.
TARGET_FLOORS = {  # folder: (recall, F1)
    # gold and gold_heldout_entities: a pilot zone and a policy's numbered system found since 2026-12-02 get
    # targets the annotation does not give them (precision one policy lower each)
    "gold": (0.59, 0.19),
    "gold_heldout_entities": (0.99, 0.62),
    "gold_unseen": (0.88, 0.83),
    "gold_unseen2": (0.86, 0.75),
    "gold_unseen3": (0.64, 0.69),  # a company's quoted "… strategy" read as a policy since 2026-12-02
    "gold_unseen4": (0.45, 0.56),  # tuned on from round 4 (first clean run: recall 0.31, F1 0.35)
    "gold_unseen5": (0.42, 0.59),  # never tuned on (clean runs: recall 0.43, F1 0.60)
}


@pytest.mark.parametrize("folder", sorted(TARGET_FLOORS))
def test_policy_targets_reach_their_floors(bundled_build, folder: str) -> None:
    result = evaluate(Path(__file__).parent / "data" / folder, bundled_build.out_dir)
    targets = result.tasks["policy targets"]
    recall, f1 = TARGET_FLOORS[folder]
    assert targets.recall >= recall and targets.f1 >= f1, (targets.recall, targets.f1)


def test_a_relative_clause_hung_inside_a_long_title_says_what_it_targets(tmp_path) -> None:
    corpus = corpus_of(tmp_path, {"p": "# Ports\n\nThe city has adopted *the Action Plan for Advancing the Harbour "
                                       "Science, Technology, and Innovation Layout (2025–2027)*, which provides a strong "
                                       "basis for upgrading container terminals through automation.\n"})
    targets = {obj for subject, kind, obj in relations(corpus, "targets") if subject.startswith("Action Plan")}
    assert any("container terminals" in target for target in targets), relations(corpus, "targets")


def test_it_as_the_next_sentences_subject_stands_for_the_one_policy_just_named(tmp_path) -> None:
    corpus = corpus_of(tmp_path, {"p": "# Ports\n\nIn 2024 the ministry issued the Action Plan for Cheaper Harbour Freight. "
                                       "It aims to bring freight costs down to 12% of port revenue by 2027.\n\n"
                                       "In 2025 the Quay Safety Plan replaced the Tug Training Strategy. "
                                       "It aims to double the number of certified pilots by 2028.\n"})
    targets = relations(corpus, "targets")
    assert any(subject == "Action Plan for Cheaper Harbour Freight" and "12% of port revenue" in obj
               for subject, _, obj in targets), targets
    # with two policies just named, "it" says nothing about which one
    assert not any("certified pilots" in obj for _, _, obj in targets), targets


def test_a_service_centre_or_warehouse_of_our_own_is_presence(tmp_path) -> None:
    corpus = corpus_of(tmp_path, {"p": "# Ports\n\nSince 2013 we have operated a drives application and service centre "
                                       "in Shenyang. Our warehouse in Dalian serves the whole north-east.\n\n"
                                       "Shenzhen is a centre of electronics manufacturing.\n"}, contributor="Acme")
    places = {obj for _, _, obj in relations(corpus, "operatesIn")}
    assert {"Shenyang", "Dalian"} <= places
    assert "Shenzhen" not in places  # a centre of an industry, not a centre of ours


def test_which_aims_after_a_long_naming_phrase_is_the_one_named_policys_target(tmp_path) -> None:
    corpus = corpus_of(tmp_path, {"p": "# Ports\n\nThe city follows the *Special Action Plan for Green Harbour Data "
                                       "Centres*, issued in July 2024 by the Port Development and Reform Commission "
                                       "(PDRC), MPT and two other authorities, which aims to bring the power usage of "
                                       "harbour data centres below 1.5 by the end of 2025.\n"})
    targets = {obj for subject, _, obj in relations(corpus, "targets") if subject.startswith("Special Action Plan")}
    assert any("power usage of harbour data centres" in target for target in targets), relations(corpus, "targets")


def test_a_denied_presence_is_none(tmp_path) -> None:
    corpus = corpus_of(tmp_path, {"p": "# Ports\n\nLet me be clear: Acme does not have a factory, an office or a joint "
                                       "venture in Northport. Acme has no plant in Dunmore. Our plants are in Velmora.\n"},
                       contributor="Acme")
    places = {obj for _, _, obj in relations(corpus, "operatesIn")}
    assert "Northport" not in places and "Dunmore" not in places and "Velmora" in places, places


def test_a_dashed_aside_after_a_policy_is_its_target(tmp_path) -> None:
    corpus = corpus_of(tmp_path, {"p": "# Ports\n\nNorthport's “dual carbon” goals – peaking port emissions before "
                                       "2030 and reaching carbon neutrality before 2060 – give the terminals a second deadline.\n"})
    targets = relations(corpus, "targets")
    assert any(obj.startswith("peaking port emissions before 2030") for _, _, obj in targets), targets


def test_an_economy_zone_is_a_place_the_contributor_can_be_in(tmp_path) -> None:
    corpus = corpus_of(tmp_path, {"p": "# Ports\n\nIn 2020 we opened our regional headquarters in the Velmora Airport "
                                       "Economy Zone, which now employs 300 people.\n"}, contributor="Acme")
    assert "Velmora Airport Economy Zone" in {obj for _, _, obj in relations(corpus, "operatesIn")}


def test_a_place_qualifying_another_noun_is_no_presence(tmp_path) -> None:
    corpus = corpus_of(tmp_path, {"p": "# Ports\n\nWe will share the experience of our own factories with Dunmore "
                                       "enterprises.\n"}, contributor="Acme")
    assert "Dunmore" not in {obj for _, _, obj in relations(corpus, "operatesIn")}


def test_a_company_of_the_contributors_named_after_a_place_is_presence_there(tmp_path) -> None:
    corpus = corpus_of(tmp_path, {"p": "# Ports\n\nHangzhou and Guangzhou have grown fast. In 1995, Acme and Velm Group "
                                       "established Hangzhou Acme Pharmaceutical Co., Ltd., one of the first joint "
                                       "ventures. Acme (Guangzhou) Compressor Co., Ltd. supplies the region.\n"},
                       contributor="Acme")
    assert {"Hangzhou", "Guangzhou"} <= {obj for _, _, obj in relations(corpus, "operatesIn")}


def test_a_negation_elsewhere_in_the_sentence_does_not_deny_presence(tmp_path) -> None:
    corpus = corpus_of(tmp_path, {"p": "# Ports\n\nAcme's factory in Shenyang has never had a serious accident.\n"},
                       contributor="Acme")
    assert "Shenyang" in {obj for _, _, obj in relations(corpus, "operatesIn")}


LEAD_PAPER = """# Ports

## Policies we build on

- **Harbour Automation Guidelines (2024).** The Guidelines set the aim that by 2030 the main container terminals reach full remote operation.
- **The "dual carbon" goals.** The province has committed to halve berth emissions before 2032.
- **Velmora Data Port Act (2023).** Mobilises more than EUR 9 billion of public investment for port data exchanges.
- **Northport Quay Renewal Plan** — issued by the city in 2022. Headline targets for 2027:
  - 40 automated berths in operation;
  - a port logistics industry worth more than RMB 300 billion.
- **Dunmore Tug Strategy** — the region's towage plan. We support it fully.

| Level | Policy | Headline target | Year |
|---|---|---|---|
| National | Harbour Crane Industry Development Plan (2021–2035) | electric cranes at about 20% of new installations | 2025 |

In the field of shipping, the ministry issued the Medium-Term Plan for Harbour Hydrogen (2025-2035) in May. The main targets for 2030 are as follows:

| Indicator | Target for 2030 |
|---|---|
| Hydrogen tugs in service | about 120 |
| Bunkering stations | 15 |

At the same time, the "dual carbon" goals of electrifying every berth before 2030 and reaching zero port emissions before 2050 guide the city.

The ministry published the Action Plan for Quay Equipment Renewal. According to the plan, by 2027 investment in quay cranes and yard equipment will increase by more than 25% compared with 2023.
"""


@pytest.fixture(scope="module")
def lead_corpus(tmp_path_factory: pytest.TempPathFactory):
    return corpus_of(tmp_path_factory.mktemp("leads"), {"p": LEAD_PAPER}, contributor="Acme")


def test_the_sentences_of_an_item_that_opens_with_a_policys_name_say_what_it_targets(lead_corpus) -> None:
    assert any("full remote operation" in t for t in _targets_of(lead_corpus, "Harbour Automation Guidelines"))
    assert any("halve berth emissions" in t for _, _, t in relations(lead_corpus, "targets"))
    # a description that leaves out its subject
    assert any("EUR 9 billion of public investment" in t for t in _targets_of(lead_corpus, "Velmora Data Port Act"))
    # the contributor's own words in such an item are not the policy's target
    assert not any("support" in t or t == "it" for t in _targets_of(lead_corpus, "Dunmore Tug Strategy"))


def test_a_targets_lead_after_an_item_naming_a_policy_gives_its_sub_items(lead_corpus) -> None:
    targets = _targets_of(lead_corpus, "Northport Quay Renewal Plan")
    assert "40 automated berths in operation" in targets
    assert "a port logistics industry worth more than RMB 300 billion" in targets
    # the next item names a policy of its own: it is not one of those targets
    assert not any("Dunmore" in t for t in targets)


def test_the_rows_of_a_table_announced_as_a_policys_targets_are_its_targets(lead_corpus) -> None:
    targets = {t for s, _, t in relations(lead_corpus, "targets") if "Harbour Hydrogen" in s}
    assert "Hydrogen tugs in service: about 120" in targets
    assert "Bunkering stations: 15" in targets
    assert not any("Indicator" in t for t in targets)  # the header row


def test_in_a_table_row_naming_a_policy_its_other_cells_are_its_targets(lead_corpus) -> None:
    targets = {t for s, _, t in relations(lead_corpus, "targets") if s.startswith("Harbour Crane Industry Development Plan")}
    assert targets == {"electric cranes at about 20% of new installations"}  # not "National", nor the year


def test_goals_of_a_gerund_after_a_policy_are_its_target(lead_corpus) -> None:
    assert any(t.startswith("electrifying every berth before 2030") for _, _, t in relations(lead_corpus, "targets"))


def test_according_to_the_plan_the_clause_is_its_target(lead_corpus) -> None:
    targets = _targets_of(lead_corpus, "Action Plan for Quay Equipment Renewal")
    assert any(t.startswith("by 2027 investment in quay cranes and yard equipment will increase") for t in targets), targets


def test_its_goals_in_the_next_sentence_are_the_policys_targets(tmp_path) -> None:
    corpus = corpus_of(tmp_path, {"p": "# Ports\n\nThe “strong harbour capital” strategy adopted by Velmora in 2021 adds an "
                                       "urban dimension. Its purpose is to concentrate people and industry in Northport.\n\n"
                                       "The ministry published the Medium-Term Plan for Harbour Hydrogen (2021–2035) in 2022. "
                                       "Among its goals for 2025 are 500 hydrogen tugs and 15 bunkering stations.\n\n"
                                       "In 2024 the Quay Safety Plan replaced the Tug Training Strategy. "
                                       "Its aim is that every pilot is certified by 2028.\n"})
    targets = relations(corpus, "targets")
    assert ("“strong harbour capital” strategy", "Target", "concentrate people and industry in Northport") in targets
    assert any(subject.startswith("Medium-Term Plan for Harbour Hydrogen") and obj == "500 hydrogen tugs and 15 bunkering stations"
               for subject, _, obj in targets), targets
    # with two policies just named, "its" says nothing about which one
    assert not any("every pilot" in obj for _, _, obj in targets), targets


def test_dealers_are_no_presence_and_the_level_of_government_is_no_target(tmp_path) -> None:
    corpus = corpus_of(tmp_path, {"p": "# Ports\n\nAcme has no office in Northport. We serve the region through our "
                                       "authorised dealers, two of them located in Northport and Dunmore.\n\n"
                                       "At the municipal level, the Regulations of Northport Municipality on the Harbour "
                                       "Hub came into force in 2022.\n"}, contributor="Acme")
    assert not {obj for _, _, obj in relations(corpus, "operatesIn")} & {"Northport", "Dunmore"}
    targets = {obj for _, _, obj in relations(corpus, "targets")}
    assert not any("municipal level" in t or t == "into force" for t in targets), targets


def test_a_goal_with_a_deadline_right_after_one_policy_is_its_target(tmp_path) -> None:
    corpus = corpus_of(tmp_path, {"p": "# Ports\n\nAt European level, the REPowerEU plan of May 2022 raised the ambition "
                                       "for shore power. The ports must now reach at least 42.5% electrified berths by "
                                       "2030, with an aspiration of 45%.\n"})
    targets = {obj for subject, _, obj in relations(corpus, "targets") if subject.startswith("REPowerEU")}
    assert "42.5% electrified berths by 2030" in targets
    assert "45%" not in targets  # no deadline: an aspiration, not a goal of the plan


def test_an_ask_is_no_presence_and_an_assembly_line_is(tmp_path) -> None:
    corpus = corpus_of(tmp_path, {"p": "# Ports\n\nIn 2008 Acme opened its Final Assembly Line Asia in the Northport Free "
                                       "Trade Zone.\n\nOur first suggestion is that Dunmore establish a regional "
                                       "remanufacturing centre for cranes.\n"}, contributor="Acme")
    places = {obj for _, _, obj in relations(corpus, "operatesIn")}
    assert "Northport Free Trade Zone" in places
    assert "Dunmore" not in places


def test_a_goal_noun_as_subject_or_announcing_the_next_sentence_gives_the_policys_target(tmp_path) -> None:
    corpus = corpus_of(tmp_path, {"p": "# Ports\n\nIn 2024 the ministry issued the Action Plan for Harbour Renewal. "
                                       "One important content is to accelerate the scrapping of old diesel tugs.\n\n"
                                       "Water is governed by the Harbour Water Conservation Plan, issued in 2019. "
                                       "Its long-term goal is explicit. Total harbour water use is to be held within "
                                       "70 million cubic metres by 2035.\n\n"
                                       "The Quay Safety Plan was issued in 2023. Our goal is to sell 300 cranes.\n"})
    targets = relations(corpus, "targets")
    assert ("Action Plan for Harbour Renewal", "Target", "accelerate the scrapping of old diesel tugs") in targets
    assert any(subject == "Harbour Water Conservation Plan" and obj.startswith("Total harbour water use is to be held")
               for subject, _, obj in targets), targets
    # the contributor's own goal is not the policy's
    assert not any("300 cranes" in obj for _, _, obj in targets), targets


def test_presence_in_a_district_is_presence_in_the_city_the_paper_names(tmp_path) -> None:
    corpus = corpus_of(tmp_path, {"p": "# Ports\n\nNingbo is a port city. Since 2019 our parts distribution centre in "
                                       "Jiangbei District has held stock for 3,000 part numbers and serves dealers "
                                       "across eastern and central Zhejiang within 24 hours.\n"}, contributor="Acme")
    places = {obj for _, _, obj in relations(corpus, "operatesIn")}
    # Jiangbei District belongs to Ningbo and to Chongqing; the paper names only Ningbo. The dealers are far
    # from the district: the centre is Acme's own.
    assert places == {"Jiangbei District", "Ningbo"}
