"""Recommendations, commitments and speakers: small texts read through the real ingest and spaCy pipeline."""
from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from graph.assemble.query import run_query
from graph.build import build
from graph.extract import extract, load_pipeline
from graph.extract.statements import COMPONENT, CueError, StatementTagger, load_cues
from graph.ingest import read_inputs
from graph.model import Statement
from graph.resources import ontology_path

NEWS_REPORT = Path(__file__).parent / "data" / "statements" / "council-news-report.md"

FRONT = """---
title: "{title}"
contributor: Acme Robotics
---

# {title}

"""


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def read_statements(nlp: Language, tmp_path: Path, body: str, title: str = "Robots for River City") -> list[Statement]:
    path = tmp_path / "paper.md"
    path.write_text(FRONT.format(title=title) + body, encoding="utf-8")
    ingested = read_inputs([path])
    assert not ingested.errors, ingested.errors
    corpus = extract(ingested.volumes, nlp)
    (extraction,) = corpus.extractions
    for statement in extraction.statements:
        text = extraction.paper.text
        assert text[statement.evidence.start : statement.evidence.end] == statement.evidence.quote == statement.text
    return extraction.statements


def texts(statements: list[Statement], kind: str = "Recommendation") -> list[str]:
    return [s.text for s in statements if s.kind == kind]


def test_component_is_registered_by_name_and_marks_sentences(nlp: Language) -> None:
    assert COMPONENT in nlp.pipe_names
    doc = nlp("River City should open a robot test field. The weather was mild in May.")
    kinds = [sent._.statement_kind for sent in doc.sents]
    assert kinds == ["ask", None]


def test_cue_phrases_come_from_the_data_file(nlp: Language, tmp_path: Path) -> None:
    default = StatementTagger(nlp, load_cues())
    sentence = "Kindly consider a levy on idle land near the port."
    text = ontology_path("statement_cues.toml").read_text(encoding="utf-8")
    custom_file = tmp_path / "cues.toml"
    custom_file.write_text(text.replace('phrases = [\n    "we recommend",', 'phrases = [\n    "kindly consider",', 1))
    custom = StatementTagger(nlp, load_cues(custom_file))
    with nlp.select_pipes(disable=[COMPONENT]):
        doc = nlp("The port has idle land. " + sentence)
    assert [s._.statement_cue for s in custom(doc).sents][-1] == "phrase"
    assert [s._.statement_cue for s in default(doc).sents][-1] != "phrase"
    broken = tmp_path / "broken.toml"
    broken.write_text("[recommendation]\nphrases = 3\n")
    with pytest.raises(CueError, match="broken.toml"):
        load_cues(broken)


def test_explicit_cues_make_recommendations_in_any_section(nlp: Language, tmp_path: Path) -> None:
    statements = read_statements(nlp, tmp_path, """## Background

River City has grown fast. We recommend that the city create a robotics fund for small suppliers.
It is suggested that the port authority publish its freight data every month.
In our view River City should open two more test fields for delivery robots.
""")
    found = texts(statements)
    assert len(found) == 3
    assert found[0] == "We recommend that the city create a robotics fund for small suppliers."


def test_imperative_bullets_in_a_recommendation_section_are_one_ask_each(nlp: Language, tmp_path: Path) -> None:
    statements = read_statements(nlp, tmp_path, """## Our recommendations

- Establish a shared test field for delivery robots near the river port.
- Promote vocational courses in robot maintenance at the city's colleges.
- Simplify the approval of robot trials on public roads.
""")
    found = texts(statements)
    # One statement per bullet, without the bullet marker.
    assert found == [
        "Establish a shared test field for delivery robots near the river port.",
        "Promote vocational courses in robot maintenance at the city's colleges.",
        "Simplify the approval of robot trials on public roads.",
    ]


def test_a_list_item_is_one_ask_however_many_sentences_it_takes(nlp: Language, tmp_path: Path) -> None:
    statements = read_statements(nlp, tmp_path, """## Recommendations

1. **Open the river port to robots.** We recommend that the port authority license delivery robots on its quays by 2027.
2. **Invest in robot skills.** Co-fund, with the city's two colleges, a maintenance academy for technicians. It would train 300 people a year.
3. Publish the freight data of the port every month.
""")
    assert texts(statements) == [
        "Open the river port to robots. We recommend that the port authority license delivery robots on its quays by 2027.",
        "Invest in robot skills. Co-fund, with the city's two colleges, a maintenance academy for technicians. "
        "It would train 300 people a year.",
        "Publish the freight data of the port every month.",
    ]


def test_items_after_the_contributors_offer_are_commitments(nlp: Language, tmp_path: Path) -> None:
    statements = read_statements(nlp, tmp_path, """## Recommendations

- Build a robot test field near the river port.

## Our part

Acme Robotics intends to stay in River City for the long term. Specifically, we will:

- train 500 robot technicians in River City by 2028;
- open our River City plant to engineers from local suppliers.

The city is ready to:

- Simplify the approval of robot trials on public roads.
""")
    assert texts(statements, "Commitment") == [
        "Acme Robotics intends to stay in River City for the long term.",
        "train 500 robot technicians in River City by 2028;",
        "open our River City plant to engineers from local suppliers.",
    ]
    # an offer by someone else leads no list of the contributor's commitments
    assert texts(statements) == [
        "Build a robot test field near the river port.",
        "Simplify the approval of robot trials on public roads.",
    ]


def test_an_item_leading_into_sub_items_ends_before_its_lead_and_verbs_the_tagger_takes_for_nouns_open_asks(
        nlp: Language, tmp_path: Path) -> None:
    statements = read_statements(nlp, tmp_path, """## Suggestions

1. **Build a robot test field.** We recommend that the city open a test field near the port. In particular:
   - Map the idle land near the port and publish it as an open atlas for robot trials.
   - Link part of the robot subsidies to the safety record of the operator.

In addition, we would encourage the port authority to license delivery robots on its quays.
""")
    assert texts(statements) == [
        "Build a robot test field. We recommend that the city open a test field near the port.",
        "Map the idle land near the port and publish it as an open atlas for robot trials.",
        "Link part of the robot subsidies to the safety record of the operator.",
        "In addition, we would encourage the port authority to license delivery robots on its quays.",
    ]
    assert texts(statements, "Commitment") == []


def test_a_contributor_that_commits_to_the_following_offers_the_items(nlp: Language, tmp_path: Path) -> None:
    statements = read_statements(nlp, tmp_path, """## Our part

For our part, Acme Robotics commits to the following actions at our River City site:

- raise the share of recycled steel in our robots to 50% by 2028;
- host a robot safety summit in River City every year.

We also intend to train 300 technicians with the city's colleges. Acme Robotics looks forward to working with the city.
""")
    assert texts(statements, "Commitment") == [
        "raise the share of recycled steel in our robots to 50% by 2028;",
        "host a robot safety summit in River City every year.",
        "We also intend to train 300 technicians with the city's colleges.",
        "Acme Robotics looks forward to working with the city.",
    ]
    assert texts(statements) == []


def test_weak_modals_count_only_inside_recommendation_sections(nlp: Language, tmp_path: Path) -> None:
    sentence = "Public investment in open testbeds can lower the cost of automation for small firms."
    inside = read_statements(nlp, tmp_path, f"## Policy recommendations\n\n{sentence}\n")
    outside = read_statements(nlp, tmp_path, f"## Market overview\n\n{sentence}\n")
    assert texts(inside) == [sentence]
    assert texts(outside) == []


def test_descriptions_of_what_the_company_does_are_not_recommendations(nlp: Language, tmp_path: Path) -> None:
    statements = read_statements(nlp, tmp_path, """## Recommendations

Acme Robotics operates a plant in River City and trains 200 apprentices a year.
In 2020 the company opened a research centre with the local university.
Case 1: Acme Robotics has introduced predictive maintenance, which can cut downtime by a third.
""")
    assert texts(statements) == []


def test_numbered_recommendation_headings(nlp: Language, tmp_path: Path) -> None:
    statements = read_statements(nlp, tmp_path, """## Recommendation 1: Build a shared data platform for suppliers

The platform would cut duplicate reporting.
""")
    assert texts(statements) == ["Build a shared data platform for suppliers"]


def test_a_numbered_heading_with_an_ask_below_it_is_one_recommendation_the_bodys(nlp: Language, tmp_path: Path) -> None:
    statements = read_statements(nlp, tmp_path, """## Recommendations

### Recommendation 1: Train the digital port technician

Cranes will not be the constraint; people will. We recommend that the city co-fund a port technician programme.

### Recommendation 2: Publish the port's freight data every month

The data would help shippers plan.
""")
    assert texts(statements) == [
        "We recommend that the city co-fund a port technician programme.",
        "Publish the port's freight data every month",
    ]


def test_enumerated_paragraphs_are_one_ask_each_and_first_person_asks_count(nlp: Language, tmp_path: Path) -> None:
    statements = read_statements(nlp, tmp_path, """## Suggestions

First, open more robot test scenarios. It is suggested that the port authority publish a list of quays for trials.

Second, train robot technicians. We hope that the government can fund a course at the city's college.

I would encourage River City to pilot robot deliveries in the old town.
""")
    assert texts(statements) == [
        "First, open more robot test scenarios. It is suggested that the port authority publish a list of quays for trials.",
        "Second, train robot technicians. We hope that the government can fund a course at the city's college.",
        "I would encourage River City to pilot robot deliveries in the old town.",
    ]


def test_hopes_for_the_government_are_asks_but_remarks_and_others_advice_are_not(nlp: Language, tmp_path: Path) -> None:
    statements = read_statements(nlp, tmp_path, """## Background

It should be pointed out that robots depend on the quality of maps. The OECD advises that governments "should fund
open maps", and most cities have followed. Prices of delivery robots should continue to fall.

We hope the government will open a robot test field near the port.

## What we will do

- Share our robot safety know-how with the city's colleges.
""")
    assert texts(statements) == ["We hope the government will open a robot test field near the port."]
    assert texts(statements, "Commitment") == ["Share our robot safety know-how with the city's colleges."]


def test_what_others_say_should_be_done_is_reported_not_asked(nlp: Language, tmp_path: Path) -> None:
    statements = read_statements(nlp, tmp_path, """## Lessons from abroad

In Velmora, the port authority decided in 2020 that part of the quay should be reserved for robot trials.
Harbour unions have long argued that every new crane should be inspected twice a year.
We believe that River City should reserve a quay for robot trials too.
Share of ports with robot trials, selected cities, 2024.
""")
    assert texts(statements) == ["We believe that River City should reserve a quay for robot trials too."]


def test_suggestion_paragraphs_are_one_ask_and_a_policys_list_is_not_ours(nlp: Language, tmp_path: Path) -> None:
    statements = read_statements(nlp, tmp_path, """## Suggestions

Suggestion 1: Build a robot test field. We recommend that the port authority open a quay for robot trials by 2027.

The Harbour Biodiversity Framework commits its parties to:

- protect 30% of the harbour's water area by 2030;
- halve the risk from ship paints by 2030.
""")
    assert texts(statements) == [
        "Build a robot test field. We recommend that the port authority open a quay for robot trials by 2027."]


def test_the_contributors_own_views_and_targets_still_ask(nlp: Language, tmp_path: Path) -> None:
    statements = read_statements(nlp, tmp_path, """## Background

Acme Robotics believes that the city should build a robot test corridor along the river.
Our view is that the port must cut its permit times for robot trials.

## Our partners in the region

- Extend the robot test corridor to the airport.

## Proposals

- Suggestion 1: A regional data hub for the port cluster
- Suggestion 2: The city should simplify the approval of robot trials.
""")
    assert texts(statements) == [
        "Acme Robotics believes that the city should build a robot test corridor along the river.",
        "Our view is that the port must cut its permit times for robot trials.",
        "Extend the robot test corridor to the airport.",
        "A regional data hub for the port cluster",
        "The city should simplify the approval of robot trials.",
    ]


def test_commitments_are_what_the_contributor_itself_offers(nlp: Language, tmp_path: Path) -> None:
    statements = read_statements(nlp, tmp_path, """## Working together

Acme Robotics stands ready to co-develop training modules with the city's vocational colleges.
We are willing to share our experience of robot safety certification with local regulators.
Local suppliers stand ready to invest once the rules are clear.
Acme Robotics opened its first plant in 1998.
Partners like Acme Robotics can provide testing know-how to the new robot centre.
""")
    assert texts(statements, "Commitment") == [
        "Acme Robotics stands ready to co-develop training modules with the city's vocational colleges.",
        "We are willing to share our experience of robot safety certification with local regulators.",
        "Partners like Acme Robotics can provide testing know-how to the new robot centre.",
    ]
    assert texts(statements) == []


def test_report_attributes_recommendations_to_each_speakers_organisation(tmp_path: Path) -> None:
    result = build([NEWS_REPORT], tmp_path / "out")
    assert result.corpus is not None and result.corpus.extractions[0].paper.kind == "report"
    rows = run_query(result.graph, """
        SELECT ?org ?text WHERE { ?o pkg:recommends ?r . ?o rdfs:label ?org . ?r pkg:text ?text } ORDER BY ?org
    """).rows
    # SAP is a well-known organisation: its node is labelled with its canonical name, "SAP SE" an alias
    assert [org for org, _ in rows] == ["SAP", "Siemens"]
    assert rows[0][1].startswith("Mark Gibbs, Global Executive Vice President, SAP SE, suggested")
    assert "should fund vocational training" in rows[1][1]
    publisher = run_query(result.graph, """
        SELECT ?r WHERE { ?p pkg:contributedBy ?o . ?o pkg:recommends ?r }
    """).rows
    assert publisher == []


def test_bold_labelled_proposals_forecasts_and_a_will_contribute_section(nlp: Language, tmp_path: Path) -> None:
    statements = read_statements(nlp, tmp_path, """## Outlook

On current trends, robot cranes should handle more than 40% of the port's containers before 2030.
Container volumes should recover in 2026 as new routes open.

## Our proposals

**4. Rebuild instead of replace.** Finally, I propose a remanufacturing centre for quay cranes in River City.

My second proposal is that the free trade zone host an open test field for port robots.

Shipping lines would be well advised to sign long-term contracts for green methanol now.

## What Acme will contribute

- Open our crane workshop twice a year to supplier delegations.
""")
    assert texts(statements) == [
        "Rebuild instead of replace. Finally, I propose a remanufacturing centre for quay cranes in River City.",
        "My second proposal is that the free trade zone host an open test field for port robots.",
        "Shipping lines would be well advised to sign long-term contracts for green methanol now.",
    ]
    assert texts(statements, "Commitment") == ["Open our crane workshop twice a year to supplier delegations."]


def test_asks_in_passing_fronted_imperatives_and_rules_quoted(nlp: Language, tmp_path: Path) -> None:
    statements = read_statements(nlp, tmp_path, """## Interview

We therefore suggest that River City treat its quays and its rail yards as one logistics system.
I would really encourage the port authority to publish its berth schedules every morning.
My advice to the city would be to support the return leg with a small fee rebate for full boxes.
It would help everyone if the terminal operators shared estimated arrival times through an open interface.
Local shipping firms are encouraged to carry out energy audits of their harbour cranes.
It has been suggested that River City should subsidise every outbound train, but we disagree.
That winter taught us how quickly a port must change when labour becomes scarce.
Volumes through the river port should keep growing at double-digit rates next year.
On current planting trends, regional output should reach around 200 million crates by 2030.
According to the Harbour Plan, new tugs in the public fleet shall use electric drives.
In Velmora, at a container terminal of Portco, Acme cranes and robots handle the night shift.
We will encourage our suppliers to train local technicians.

## Suggestions

Suggestion 4: For small fleet owners, combine the trade-in subsidy with battery leasing.

6. Together with the maritime college, set up a short course for robot crane technicians.

(5) Set up a guarantee fund for energy performance contracting at the port.
""")
    assert texts(statements) == [
        "We therefore suggest that River City treat its quays and its rail yards as one logistics system.",
        "I would really encourage the port authority to publish its berth schedules every morning.",
        "My advice to the city would be to support the return leg with a small fee rebate for full boxes.",
        "It would help everyone if the terminal operators shared estimated arrival times through an open interface.",
        "Local shipping firms are encouraged to carry out energy audits of their harbour cranes.",
        "For small fleet owners, combine the trade-in subsidy with battery leasing.",
        "Together with the maritime college, set up a short course for robot crane technicians.",
        "Set up a guarantee fund for energy performance contracting at the port.",
    ]


def test_cue_phrases_allow_adverbs_and_a_named_contributor_offers_with_will(nlp: Language, tmp_path: Path) -> None:
    statements = read_statements(nlp, tmp_path, """## Keynote

My second ask is that the city set up one permitting window for alternative marine fuels.
And let me suggest that River City works with the province to extend its subsidies to ships.
We would also like to see River City join an international green shipping corridor.
I would also ask the city to consider green procurement criteria for its port vehicles.
A colleague told me last night that River City should simply wait until the fuel market settles.
Our own forecast is that methanol-capable ships should account for a third of the orderbook by 2027.
Acme Robotics will expand its workshop to handle methanol conversions of existing engines.
We are also prepared to share anonymised operating data from our fleet-monitoring service.
""")
    assert texts(statements) == [
        "My second ask is that the city set up one permitting window for alternative marine fuels.",
        "And let me suggest that River City works with the province to extend its subsidies to ships.",
        "We would also like to see River City join an international green shipping corridor.",
        "I would also ask the city to consider green procurement criteria for its port vehicles.",
    ]
    assert texts(statements, "Commitment") == [
        "Acme Robotics will expand its workshop to handle methanol conversions of existing engines.",
        "We are also prepared to share anonymised operating data from our fleet-monitoring service.",
    ]


def test_noun_phrase_items_under_an_asks_heading_and_headings_that_end_or_do_not_open_a_section(
        nlp: Language, tmp_path: Path) -> None:
    statements = read_statements(nlp, tmp_path, """## Summary

- Section 2: five trends in the port, with numbers.

*Figure 1. Share of robot cranes by terminal type in River City, 2024. Terminals should count them twice.*

There is a case for a tiered berth tariff, with the extra revenue earmarked for shore power.

## Our asks

- A single window for hydrogen permits, covering storage and refuelling, with one lead bureau.
- The city could set up a shared data platform for the port, based on open national standards.

## Not asking for

- A subsidy for every container moved through the new quay.
""", title="Acme's Proposals for River City")
    assert texts(statements) == [
        "There is a case for a tiered berth tariff, with the extra revenue earmarked for shore power.",
        "A single window for hydrogen permits, covering storage and refuelling, with one lead bureau.",
        "The city could set up a shared data platform for the port, based on open national standards.",
    ]
