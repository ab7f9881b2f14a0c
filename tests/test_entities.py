"""Entity recognition through the real spaCy pipeline: rule layers, failure-mode filters, evidence, floors."""
from __future__ import annotations

from pathlib import Path

import pytest
from spacy.tokens import Span

from graph.build import BuildResult
from graph.evaluate import evaluate
from graph.extract.entities import _CITED_TITLE, TERMS_KEY, _only_in_titles, mention_text

from .conftest import GOLD
from .extraction_helpers import corpus_of, mentions, nlp

BODY = """---
contributor: Acme Turbines
title: Turbines for a smarter Northport
---

# Turbines for a smarter Northport

## Introduction

AI is reshaping industry in Northport and in Germany. The Northport government and the German Federal Government both fund pilots, and IoT sensors feed digital twins in the automotive and electronics sectors.

Our partner Brightex® Labs sells creams.

Strategic zones such as the Harbourside New Area and the Eastbank High-Tech Zone host new plants, and the University of Northport trains engineers.

## Challenges and Risks

- Vocational training lags behind demand.

¹ Source: Northport Daily ([link](#))
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory):
    return corpus_of(tmp_path_factory.mktemp("entities"), {"acme": BODY})


def test_ai_and_technology_acronyms_are_not_places_or_organisations(corpus) -> None:
    places = mentions(corpus, "Place")
    organisations = mentions(corpus, "Organization")
    assert {"Northport", "Germany"} <= places
    assert "AI" not in places | organisations
    assert "IoT" not in places | organisations


def test_government_bodies_are_organisations(corpus) -> None:
    organisations = mentions(corpus, "Organization")
    assert "Northport government" in organisations
    assert any("German Federal Government" in org for org in organisations)
    assert "University of Northport" in organisations


def test_zones_are_places(corpus) -> None:
    places = mentions(corpus, "Place")
    assert "Harbourside New Area" in places
    assert "Eastbank High-Tech Zone" in places


def test_headings_and_capitalised_words_are_not_organisations(corpus) -> None:
    organisations = mentions(corpus, "Organization")
    assert not {"Challenges and Risks", "Introduction", "Vocational"} & organisations


def test_products_are_not_organisations(corpus) -> None:
    assert not [org for org in mentions(corpus, "Organization") if "Brightex" in org]


def test_mention_text_drops_quotes_but_keeps_apostrophes() -> None:
    doc = nlp()("The Northport Mayor’s Advisory Council backs the “4321” model.")
    assert mention_text(doc[1:6]) == "Northport Mayor’s Advisory Council"
    assert mention_text(doc[8:12]) == "4321 model"


def test_technologies_and_industries_come_from_the_term_lists(corpus) -> None:
    assert {"IoT sensors", "digital twins"} <= mentions(corpus, "Technology")
    assert {"automotive", "electronics"} <= mentions(corpus, "Industry")


def test_footnote_sources_are_read_for_organisations(corpus) -> None:
    assert "Northport Daily" in mentions(corpus, "Organization")


def test_every_mention_quotes_the_paper_text_at_its_offsets(corpus) -> None:
    for extraction in corpus.extractions:
        text = extraction.paper.text
        assert extraction.mentions
        for mention in extraction.mentions:
            evidence = mention.evidence
            assert text[evidence.start : evidence.end] == evidence.quote
            assert mention.text.split()[0] in evidence.quote or mention.kind == "Organization"


def test_components_are_registered_spacy_factories() -> None:
    pipeline = nlp()
    assert "policykg_entities" in pipeline.pipe_names
    assert pipeline.pipe_names.index("policykg_entities") > pipeline.pipe_names.index("ner")
    doc = pipeline("The city invests in machine learning for the automotive industry.")
    assert {span.label_ for span in doc.spans[TERMS_KEY]} == {"Technology", "Industry"}


@pytest.mark.parametrize(
    ("words", "expected"),
    [("Emmanuel Macron", "PERSON"), ("Seres Group", "ORG"), ("Kimi K2", None), ("Leverage Acme’s", None),
     ("CFO Laura Martin", "PERSON")],
)
def test_people_are_names_not_companies_or_products(words: str, expected: str | None) -> None:
    pipeline = nlp()
    doc = pipeline.make_doc(f"We met {words} today.")
    for name, proc in pipeline.pipeline:
        if name != "policykg_entities":
            doc = proc(doc)
    span = Span(doc, 2, 2 + len(pipeline.make_doc(words)), label="PERSON")
    kept = pipeline.get_pipe("policykg_entities")._filtered(span)
    assert (kept.label_ if kept is not None else None) == expected


def test_footnote_markers_do_not_glue_to_words() -> None:
    doc = nlp()('the "dual circulation"³ strategy ²outlines')
    assert "circulation" in [t.text for t in doc] and "outlines" in [t.text for t in doc]


# Floors just under what the entity half reaches on the development papers (papers 1, 7, 12, 17, 22);
# whoever improves a task raises its floor, so a regression fails here.
ENTITY_FLOORS = {"policies": 0.89, "organizations": 0.91, "places": 0.96}
TARGET_RECALL_FLOOR = 0.59
PRESENCE_PAPERS_RIGHT = 4  # HP states a partnership with the city, not a site: not presence by our rule
# Papers 8, 9, 10, 20 and 21, annotated for entities before their output was looked at
# (tests/data/gold_heldout_entities/README.md); some later rules were informed by their errors.
# Papers 8 and 9 name one organisation each, so a single spurious product name moves that score.
HELD_OUT_DIR = Path(__file__).parent / "data" / "gold_heldout_entities"
HELD_OUT_FLOORS = {"policies": 0.80, "organizations": 0.82, "places": 0.89}
HELD_OUT_PRESENCE_RIGHT = 5


def test_dev_papers_reach_the_entity_floors(bundled_build: BuildResult) -> None:
    result = evaluate(GOLD, bundled_build.out_dir)
    reached = {task: round(result.tasks[task].f1, 3) for task in ENTITY_FLOORS}
    assert all(reached[task] >= floor for task, floor in ENTITY_FLOORS.items()), reached
    assert result.tasks["policy targets"].recall >= TARGET_RECALL_FLOOR
    assert result.tasks["operatesIn"].papers_right >= PRESENCE_PAPERS_RIGHT


def test_held_out_papers_reach_the_entity_floors(bundled_build: BuildResult) -> None:
    result = evaluate(HELD_OUT_DIR, bundled_build.out_dir)
    assert result.unmatched_papers == []
    reached = {task: round(result.tasks[task].f1, 3) for task in HELD_OUT_FLOORS}
    assert all(reached[task] >= floor for task, floor in HELD_OUT_FLOORS.items()), reached
    assert result.tasks["operatesIn"].papers_right >= HELD_OUT_PRESENCE_RIGHT


@pytest.mark.parametrize(
    ("sentence", "words", "kept"),
    [
        ("Two cases: Harbour Visualization Suite (HVS): helps customers watch tanks.", "Harbour Visualization Suite", False),
        ("Two partners: Northport Logistics Group (NLG): runs the terminals.", "Northport Logistics Group", True),
        ("It runs 400 models for Automatic Defect Classification in the plant.", "Automatic Defect Classification", False),
        ("Overall Equipment Effectiveness has improved.", "Overall Equipment Effectiveness", False),
    ],
)
def test_products_and_features_are_not_organisations(sentence: str, words: str, kept: bool) -> None:
    pipeline = nlp()
    doc = pipeline.make_doc(sentence)
    for name, proc in pipeline.pipeline:
        if name != "policykg_entities":
            doc = proc(doc)
    start = next(t.i for t in doc if t.idx == sentence.index(words))
    span = Span(doc, start, start + len(pipeline.make_doc(words)), label="ORG")
    assert (pipeline.get_pipe("policykg_entities")._filtered(span) is not None) == kept


def _raw_and_final(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """Entity labels by text from the statistical NER alone and from the whole pipeline."""
    pipeline = nlp()
    with pipeline.select_pipes(disable=[name for name in pipeline.pipe_names if name.startswith("policykg")]):
        raw = pipeline(text)
    return {e.text: e.label_ for e in raw.ents}, {e.text: e.label_ for e in pipeline(text).ents}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The group works with our partner Velmora on seeds.", "Velmora"),  # a company noun before the name
        ("Orange, France’s largest telecom operator, reported a profit.", "Orange"),  # a company noun in apposition
        ("A new partnership between Harbour Retail and Dingdong Limited was signed.", "Harbour Retail"),  # "and" a Ltd
    ],
)
def test_the_text_calling_a_name_a_company_makes_it_an_organisation(text: str, name: str) -> None:
    raw, final = _raw_and_final(text)
    assert raw.get(name) != "ORG"  # the model alone gets it wrong: the rule is what is tested
    assert final.get(name) == "ORG"


def test_a_name_called_a_company_is_one_in_the_whole_block() -> None:
    doc = nlp()("Velmora, a Northport-based leading automaker, grew fast. Velmora now sells abroad.")
    assert [e.label_ for e in doc.ents if e.text == "Velmora"] == ["ORG", "ORG"]


def test_a_person_after_a_title_stays_a_person_beside_a_company() -> None:
    _, final = _raw_and_final("It was signed between President Emmanuel Macron and Acme Limited.")
    assert final.get("Emmanuel Macron") == "PERSON"


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        ("This program features six flagship products including Velora, Allegro and Mantis Micronutrients.", "Allegro"),
        ("Our product portfolio, including the EliteBook, ZBook, and Z workstations, empowers businesses.", "EliteBook"),
        ("AI large language models like GPT-4, Claude, and Gemini reach trillion-parameter scales.", "Gemini"),
        ("Specializing in high-end applications, this site produces FC-CSP and ABF substrates for AI chips.", "ABF"),
        ("In China, the company has deployed SMART technology system for key electronic clients.", "SMART"),
        ("And its product-recommendation engine, known as Noli, offers customers suggestions.", "Noli"),
        ("RoboNexus, an initiative under the National Robotics Programme, provides startups with mentorship.", "RoboNexus"),
        ("Case 1: Acme has globally deployed an end-to-end EcoStruxure™ platform.", "EcoStruxure"),
        ("The Jardine Matheson (China) Limited Northport Representative Office opened in 2012.",
         "Limited Northport Representative Office"),
    ],
)
def test_products_listed_or_used_as_modifiers_are_not_organisations(sentence: str, words: str) -> None:
    pipeline = nlp()
    doc = pipeline.make_doc(sentence)
    for name, proc in pipeline.pipeline:
        if name != "policykg_entities":
            doc = proc(doc)
    start = next(t.i for t in doc if t.idx == sentence.index(words))
    span = Span(doc, start, start + len(pipeline.make_doc(words)), label="ORG")
    assert pipeline.get_pipe("policykg_entities")._filtered(span) is None


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        ("Another example is Sany (Northport)'s use of robots in welding.", "Sany"),  # the owner, not a modifier
        ("Seres has entered into partnerships with technology company Huawei.", "Huawei"),
    ],
)
def test_companies_beside_common_nouns_stay_organisations(sentence: str, words: str) -> None:
    pipeline = nlp()
    doc = pipeline.make_doc(sentence)
    for name, proc in pipeline.pipeline:
        if name != "policykg_entities":
            doc = proc(doc)
    start = next(t.i for t in doc if t.idx == sentence.index(words))
    span = Span(doc, start, start + len(pipeline.make_doc(words)), label="ORG")
    assert pipeline.get_pipe("policykg_entities")._filtered(span) is not None


def test_government_departments_and_hyphenated_words() -> None:
    doc = nlp()("The Northport municipal government's Human Resources and Social Security Department trains workers. "
                "Multi-department working groups guide pilots.")
    organisations = [e.text for e in doc.ents if e.label_ in ("GOV_ORG", "ORG")]
    assert "Northport municipal government's Human Resources and Social Security Department" in organisations
    assert not [org for org in organisations if "department" in org.lower() and "Multi" in org]


def test_an_acronym_the_model_leaves_open_is_closed() -> None:
    doc = nlp()("In the real estate sector, Hongkong Land (HKL) has been active in Chongqing for over two decades.")
    assert "Hongkong Land (HKL)" in [e.text for e in doc.ents if e.label_ == "ORG"]


def test_a_body_is_kept_without_the_event_named_after_it() -> None:
    sentence = "AI was discussed at the Central Committee Politburo Study Session in April."
    pipeline = nlp()
    doc = pipeline.make_doc(sentence)
    for name, proc in pipeline.pipeline:
        if name != "policykg_entities":
            doc = proc(doc)
    start = next(t.i for t in doc if t.text == "Central")
    kept = pipeline.get_pipe("policykg_entities")._filtered(Span(doc, start, start + 5, label="ORG"))
    assert kept is not None and kept.text == "Central Committee"


def test_words_of_a_cited_title_are_not_its_publisher() -> None:
    footnote = "² 《Widget Market - Global Forecast to 2029》, “Ports Enter a New Era of Sustainability”, Harbour Times"
    titles = [match.span() for match in _CITED_TITLE.finditer(footnote)]
    assert _only_in_titles("Widget Market - Global Forecast", footnote, titles)
    assert _only_in_titles("Sustainability", footnote, titles)
    assert not _only_in_titles("Harbour Times", footnote, titles)
