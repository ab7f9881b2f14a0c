"""Entity recognition through the real spaCy pipeline: rule layers, failure-mode filters, evidence, floors."""
from __future__ import annotations

from pathlib import Path

import pytest
from spacy.tokens import Span

from graph.build import BuildResult
from graph.evaluate import evaluate
from graph.extract.entities import _CITED_TITLE, TERMS_KEY, _only_in_titles, cited_publishers, entity_rules, mention_text

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


def _filtered(sentence: str, words: str, label: str = "ORG") -> Span | None:
    """What the entity component's filters make of ``words`` in ``sentence`` when the model labels it ``label``."""
    pipeline = nlp()
    doc = pipeline.make_doc(sentence)
    for name, proc in pipeline.pipeline:
        if name != "policykg_entities":
            doc = proc(doc)
    start = next(t.i for t in doc if t.idx == sentence.index(words))
    span = Span(doc, start, start + len(pipeline.make_doc(words)), label=label)
    return pipeline.get_pipe("policykg_entities")._filtered(span)


@pytest.mark.parametrize(
    ("words", "expected"),
    [("Emmanuel Macron", "PERSON"), ("Seres Group", "ORG"), ("Kimi K2", None), ("Leverage Acme’s", None),
     ("CFO Laura Martin", "PERSON")],
)
def test_people_are_names_not_companies_or_products(words: str, expected: str | None) -> None:
    kept = _filtered(f"We met {words} today.", words, label="PERSON")
    assert (kept.label_ if kept is not None else None) == expected


def test_footnote_markers_do_not_glue_to_words() -> None:
    doc = nlp()('the "dual circulation"³ strategy ²outlines')
    assert "circulation" in [t.text for t in doc] and "outlines" in [t.text for t in doc]


# Floors just under what the entity half reaches on the development papers (papers 1, 7, 12, 17, 22);
# whoever improves a task raises its floor, so a regression fails here.
ENTITY_FLOORS = {"policies": 0.89, "organizations": 0.94, "places": 0.96}
TARGET_RECALL_FLOOR = 0.59
PRESENCE_PAPERS_RIGHT = 4  # HP states a partnership with the city, not a site: not presence by our rule
# Papers 8, 9, 10, 20 and 21, annotated for entities before their output was looked at
# (tests/data/gold_heldout_entities/README.md); some later rules were informed by their errors.
# Papers 8 and 9 name one organisation each, so a single spurious product name moves that score.
HELD_OUT_DIR = Path(__file__).parent / "data" / "gold_heldout_entities"
HELD_OUT_FLOORS = {"policies": 0.80, "organizations": 0.92, "places": 0.93}
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
    assert (_filtered(sentence, words) is not None) == kept


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
    assert _filtered(sentence, words) is None


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        ("Another example is Sany (Northport)'s use of robots in welding.", "Sany"),  # the owner, not a modifier
        ("Seres has entered into partnerships with technology company Huawei.", "Huawei"),
    ],
)
def test_companies_beside_common_nouns_stay_organisations(sentence: str, words: str) -> None:
    assert _filtered(sentence, words) is not None


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
    kept = _filtered(sentence, "Central Committee Politburo Study Session")
    assert kept is not None and kept.text == "Central Committee"


def test_words_of_a_cited_title_are_not_its_publisher() -> None:
    footnote = "² 《Widget Market - Global Forecast to 2029》, “Ports Enter a New Era of Sustainability”, Harbour Times"
    titles = [match.span() for match in _CITED_TITLE.finditer(footnote)]
    assert _only_in_titles("Widget Market - Global Forecast", footnote, titles)
    assert _only_in_titles("Sustainability", footnote, titles)
    assert not _only_in_titles("Harbour Times", footnote, titles)


# ------------------------------------------------------------------ organisation rules, round 2

@pytest.mark.parametrize(
    ("text", "names"),
    [
        # names listed under a plural company noun
        ("Northport had gathered over 300 key robotics companies, including Velmora, Qintar, Hokuda, and ZEMTEC, "
         "with annual output rising.", ["Velmora", "Qintar", "ZEMTEC"]),
        ("Leading international companies such as Brightline, Castora, and Pellix have built AI platforms.",
         ["Brightline", "Castora", "Pellix"]),
        # a partner after "partnership with"
        ("Last year Harbour Foods struck a multi-year partnership with Corvanta in Europe.", ["Corvanta"]),
        # the employer of a named chief
        ("At a recent expo in Northport, Zentrix CEO Jane Doe said the market would grow.", ["Zentrix"]),
        # sources that report
        ("According to Marvella, demand will double.", ["Marvella"]),
        ("IDC predicts that AI applications will expand, and Tessaly further forecasts growth.", ["Tessaly"]),
        ("Earlier in 2025, a Brenlow survey found that 78% of firms use AI.", ["Brenlow"]),
    ],
)
def test_the_words_around_a_name_make_it_an_organisation(text: str, names: list[str]) -> None:
    raw, final = _raw_and_final(text)
    assert all(raw.get(name) != "ORG" for name in names)  # the model alone gets them wrong: the rule is tested
    assert [final.get(name) for name in names] == ["ORG"] * len(names)


def test_a_list_under_other_nouns_and_a_titled_person_stay_what_they_are() -> None:
    _, final = _raw_and_final("Exporters sell to countries such as Germany, France and Japan. At the fair, Mr Zhang noted "
                              "that exports rose.")
    assert [final.get(name) for name in ("Germany", "France", "Japan")] == ["GPE", "GPE", "GPE"]
    assert final.get("Mr Zhang") == "PERSON"


def test_a_name_ending_in_an_organisation_head_noun_is_one_body() -> None:
    doc = nlp()("The Dravik Institute of Marine and Port Engineering, led by Northport University, studies AI. "
                "It works with the Northport Logistics Alliance.")
    organisations = {e.text for e in doc.ents if e.label_ == "ORG"}
    assert "Dravik Institute of Marine and Port Engineering" in organisations
    assert "Northport Logistics Alliance" in organisations


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        ("The launch of its new AI model Zeta9 was a milestone.", "Zeta9"),  # named right after a product noun
        ("Data centres need many types of switchgear, particularly Gas-Cooled Switchgear, for their grids.",
         "Gas-Cooled Switchgear"),  # a kind of the thing its sentence introduced
    ],
)
def test_names_of_products_and_kinds_of_things_are_not_organisations(sentence: str, words: str) -> None:
    assert _filtered(sentence, words) is None


def test_a_branch_is_its_body_and_a_bio_city_is_a_place() -> None:
    branch = _filtered("The plant supplied the Eastern Branch of Northport Grid Corporation with parts.",
                                       "Eastern Branch of Northport Grid Corporation")
    assert branch is not None and (branch.text, branch.label_) == ("Northport Grid Corporation", "ORG")
    park = _filtered("Northport should upgrade parks like the Northport International Bio-City now.",
                                     "Northport International Bio-City")
    assert park is not None and park.label_ == "PLACE"


@pytest.mark.parametrize(
    ("note", "publishers"),
    [
        ("¹ *The state of ports: How harbours adapt, Brenlow, March 2025*", ["Brenlow"]),
        ("² *Widget demand | Harbour Analytics Weekly, 2025*", ["Harbour Analytics Weekly"]),
        ("³ *Letter on Proposal No. 12, Northport Data Bureau, May 2025; Port outlook 2022, Portobs.com, September 2022*",
         ["Northport Data Bureau", "Portobs.com"]),
        ("⁴ Northport News Service, July 14, 2025: “Ports Enter a New Era”", ["Northport News Service"]),
        ("Data Source: Statora, Northport IoT Industry Association", ["Statora", "Northport IoT Industry Association"]),
        ("Data Source: 2024 Northport Robotics Industry Annual Report", []),  # a document, not a publisher
        ("Data Source: Northport Port Development Research Report", []),
        ("⁵ *Installed capacity | System reports*", []),  # no date, and written in lower case
        ("⁶ *Ibid.*", []),
    ],
)
def test_cited_publishers_of_footnotes_and_source_lines(note: str, publishers: list[str]) -> None:
    assert cited_publishers(note, entity_rules()) == publishers


# Entity floors on the sets annotated blind (data/gold_unseen*/README.md), just under what is reached.
# gold_unseen was tuned on in round 2 of the organisation rules (its first clean run: organizations 0.590);
# gold_unseen2 by the policy-target rules and round 3 (first clean run: organizations 0.733, places 0.913);
# gold_unseen3 by round 3 of the entity rules (first clean run: organizations 0.627, places 0.773, policies 0.756).
# Round 3 reached organizations 0.901 / 0.891 / 0.851 and places 0.943 / 0.947 / 0.844 on the three; the
# well-known organisations and products (ontology/gazetteer/organizations.jsonl, products.jsonl) and the
# contributor's own products raised organizations to 0.957 / 0.935 / 0.873, and phrases in title case made of
# the paper's lower-case words to 0.966 / 0.935 / 0.912.
UNSEEN_FLOORS = {
    "gold_unseen": {"organizations": 0.96, "places": 0.93},
    "gold_unseen2": {"organizations": 0.94, "places": 0.94},
    "gold_unseen3": {"organizations": 0.91, "places": 0.83, "policies": 0.74},
    # tuned on from round 4 (first clean run: organizations 0.661, places 0.875, policies 0.731)
    "gold_unseen4": {"organizations": 0.81, "places": 0.92, "policies": 0.84},
    # never tuned on: these floors sit under its clean runs (organizations 0.320 until the lists of
    # well-known organisations and products, 0.400 with them, 0.455 with the title-case phrase rule)
    "gold_unseen5": {"organizations": 0.45, "places": 0.99, "policies": 0.83},
}


@pytest.mark.parametrize("folder", sorted(UNSEEN_FLOORS))
def test_blind_annotated_papers_reach_the_entity_floors(bundled_build: BuildResult, folder: str) -> None:
    result = evaluate(Path(__file__).parent / "data" / folder, bundled_build.out_dir)
    assert result.unmatched_papers == []
    floors = UNSEEN_FLOORS[folder]
    reached = {task: round(result.tasks[task].f1, 3) for task in floors}
    assert all(reached[task] >= floor for task, floor in floors.items()), reached


# Round 3: rules for organisations and places on new text (each a class of error seen on several papers).
@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        # a name closed by a legal suffix is a company, whatever the model says of it
        ("For example, Brellsystem 24, Inc. has developed a service that answers calls.", "Brellsystem 24, Inc.", "ORG"),
        # a short aside in brackets does not end a list of companies
        ("Pittsburgh has become home to prominent robotics and AI companies, such as Argo AI (autonomous vehicles) and "
         "Aurora Innovation (autonomous driving).", "Argo AI", "ORG"),
        # a name the model calls a person that ends in a word only companies end in
        ("It bought the seat business from Daxun Industrial last year.", "Daxun Industrial", "ORG"),
        # places named by the noun that lists them, by "town of" and by a lower-case administrative noun
        ("The platform supports projects in cities like Ulmora and Pesan.", "Ulmora", "PLACE"),
        ("In the town of Ikawa in Ehmori prefecture, the local government leads.", "Ikawa", "PLACE"),
        ("In the town of Ikawa in Ehmori prefecture, the local government leads.", "Ehmori prefecture", "PLACE"),
        # an organisation-shaped name ending in a river is a place
        ("Mountains cover 76% of the city's total area, with the Yangtze and Jialing Rivers traversing the urban "
         "landscape.", "Jialing Rivers", "LOC"),
        # the owner before a possessive is the body
        ("For example, Shanghai Telecom’s “Smart Cloud Shanghai” initiative launched in 2025 established a system.",
         "Shanghai Telecom", "ORG"),
    ],
)
def test_general_cues_name_organisations_and_places(text: str, name: str, label: str) -> None:
    _, final = _raw_and_final(text)
    assert final.get(name) == label, final


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("According to the Widget Usage Trend Survey conducted in 2024, ownership rose.", "Widget Usage Trend Survey"),
        ("We examine the trends in the Employment Conditions Diffusion Index (D.I.).", "Employment Conditions Diffusion"),
        ("See the 2025 White Paper on the Aging Society by the Cabinet Office.", "Aging Society"),
        ("Bellwide 24 to Fully Automate Call Centers with AI by 2026.", "Fully Automate Call Centers"),
        ("⁵ Roland Berger <Global Automotive Interior Trends 2024>", "Global Automotive"),
        ("The “Xingchen Textile Intelligent Agent,” developed on the platform, improved quality.",
         "Xingchen Textile Intelligent"),
        ("- Northport Telecom’s Case in the Textile Industry (Production)", "Textile Industry (Production"),
        ("Mountains cover the city, with its Focus on AI-driven urban applications.", "Focus on AI-driven"),
        ("Act: Interaction with the Physical World Through Toolkits After planning, the agent acts.",
         "Physical World Through Toolkits After"),
    ],
)
def test_titles_and_title_case_fragments_are_not_organisations(text: str, name: str) -> None:
    _, final = _raw_and_final(text)
    assert final.get(name) is None and not any(name in found for found in final), final


def test_an_acronym_shows_where_the_name_the_model_cut_starts() -> None:
    _, final = _raw_and_final("The 19th meeting of the Northport Mayor's International Economic Advisory Council (NMIA) "
                              "offers an opportunity.")
    assert final.get("Northport Mayor's International Economic Advisory Council (NMIA)") == "ORG", final


def test_an_owner_with_a_bracket_stays_whole() -> None:
    _, final = _raw_and_final("Another example is Sanyo (Northport)'s use of robots in welding.")
    assert any(name.startswith("Sanyo (Northport") for name in final), final


def test_a_source_note_names_its_publisher_after_by_and_a_note_names_none() -> None:
    rules = entity_rules()
    assert cited_publishers("Source: Reports on Fraud, Online Scams, and Theft in 2024, by the Widget Agency.",
                            rules) == ["Widget Agency"]
    assert cited_publishers("Note: Average of March, June, September, and December values", rules) == []


# Round 4: classes of error found on paper 6 (gold_unseen4), each written here in sentences of our own.
def test_a_footnote_marker_is_not_part_of_a_name_and_does_not_cut_it() -> None:
    _, final = _raw_and_final("² Ministry of Ecology and Environment (MEE), 2023.11.02")
    assert final.get("Ministry of Ecology and Environment (MEE)") == "ORG", final
    assert not any(name.startswith("³") for name in final), final


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a product's name the model reads as a person's, modifying a common noun
        ("In addition, Velmora Codix low-code platform combines AI and machine learning.", "Velmora Codix"),
        # a common noun capitalised as the first word of a sentence
        ("Emphasis should be placed on the training of engineers.", "Emphasis"),
        # the tail of a slogan-like name cut at its plus sign
        ('The city could establish a "Northport AI + Smart Harbour Application Promotion Center" soon.',
         "Smart Harbour Application Promotion Center"),
    ],
)
def test_events_products_and_fragments_are_not_organisations(text: str, name: str) -> None:
    _, final = _raw_and_final(text)
    assert not any(name in found and label in ("ORG", "PERSON") for found, label in final.items()), final


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Velmora launched its new robot arm at Northport Messe last spring.", "Northport Messe"),  # an event
        ("The platform offers APIs including TalkWise and DrawWise to developers.", "DrawWise"),  # listed under APIs
    ],
)
def test_events_and_products_the_model_calls_organisations_are_filtered(text: str, name: str) -> None:
    doc = nlp()(text)
    start = next(t.i for t in doc if text.find(name) == t.idx)
    span = Span(doc, start, start + len(nlp()(name)), label="ORG")
    assert nlp().get_pipe("policykg_entities")._filtered(span) is None



KNOWN_NAMES = """---
contributor: Acme Turbines
title: Models and makers
---

# Models and makers

Earlier this year, models like Llama and Sora impressed investors. Danone, Infineon and Anthropic also released reports, and a Forrester survey found that most firms use ChatGPT or IBM Watson.

Students of the Nanjing University School of Economics and Management met Infineon engineers at the Widgetor Xcelerator Innovation Center. Henri Nestlé sold milk, and AMD now works with Open AI.
"""


@pytest.fixture(scope="module")
def known_corpus(tmp_path_factory: pytest.TempPathFactory):
    return corpus_of(tmp_path_factory.mktemp("known"), {"models": KNOWN_NAMES})


def test_well_known_organisations_are_found_whatever_the_model_says(known_corpus) -> None:
    organisations = mentions(known_corpus, "Organization")
    assert {"Danone", "Infineon", "Anthropic", "Forrester", "IBM", "AMD", "Open AI"} <= organisations


def test_listed_products_are_not_organisations(known_corpus) -> None:
    names = {m.text for e in known_corpus.extractions for m in e.mentions}
    assert not {"Llama", "Sora", "ChatGPT", "IBM Watson", "Watson"} & names


def test_a_longer_name_around_a_well_known_one_stays_whole(known_corpus) -> None:
    organisations = mentions(known_corpus, "Organization")
    assert "Nanjing University School of Economics and Management" in organisations
    # a listed product inside a body's name does not cut the name
    assert "Widgetor Xcelerator Innovation Center" in organisations
    assert "Henri Nestlé" in mentions(known_corpus, "Person") and "Nestlé" not in organisations


def test_a_name_after_a_possessive_is_the_owners_unit_not_a_body() -> None:
    assert _filtered("At its Global Technical Center in Northport, Velmora tests cars.", "Global Technical Center") is None
    kept = _filtered("Velmora works with its partner Brenlow Industries on tests.", "Brenlow Industries")
    assert kept is not None and kept.label_ == "ORG"


def test_footnote_definitions_are_read_for_their_sources(tmp_path) -> None:
    from graph.ingest import read_inputs
    from graph.extract import extract

    paper = tmp_path / "paper.md"
    paper.write_text("---\ntitle: \"Ports\"\ncontributor: Acme Robotics\n---\n\n# Ports\n\n"
                     "The European Union and Northport signed a port agreement, and the EU funds the quay.[^1]\n\n"
                     "[^1]: Velmora Harbour Commission et al., *Quay Renewal and Port Automation Strategy*, February 2020.\n",
                     encoding="utf-8")
    corpus = extract(read_inputs([paper]).volumes, nlp())
    found = {(m.text, m.kind) for e in corpus.extractions for m in e.mentions}
    assert ("Velmora Harbour Commission", "Organization") in found  # the footnote's publisher
    # the cited title in italics is no publisher
    assert not any(text.startswith("Quay Renewal") and kind == "Organization" for text, kind in found)
