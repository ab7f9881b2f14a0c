"""Theme scheme, theme signals (real spaCy model), theme assignment, and themes in the built graph."""
from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from rdflib import RDF, SKOS, Graph, Literal

from graph.assemble.themes import theme_iris, theme_scheme
from graph.assemble.vocab import ID, PKG
from graph.evaluate import evaluate_graph, read_gold
from graph.extract import load_pipeline
from graph.extract.themes import (
    COMPONENT,
    MIN_SENTENCES,
    ThemePatternError,
    assign_themes,
    load_theme_patterns,
    phrase_variants,
    statement_themes,
    theme_signals_in,
)
from graph.model import Evidence, Paper, PaperExtraction, Statement, ThemeSignal
from graph.resources import ontology_path

from .conftest import GOLD

GOLD_CODES = [f"T{n:02d}" for n in range(1, 24)]


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def signals(nlp, text: str, *, kind: str = "paragraph", paper_id: str = "p") -> list[ThemeSignal]:
    return theme_signals_in(nlp(text), paper_id, 0, kind=kind)


# ------------------------------------------------------------------------------------ the scheme


def test_scheme_has_the_23_annotated_themes_with_labels_definitions_and_iris() -> None:
    scheme = theme_scheme()
    codes = theme_iris(scheme)
    assert sorted(codes) == GOLD_CODES
    for code, iri in codes.items():
        assert str(iri).startswith(str(ID["theme/"]))
        assert (iri, RDF.type, SKOS.Concept) in scheme
        assert scheme.value(iri, SKOS.prefLabel) is not None
        assert scheme.value(iri, SKOS.definition) is not None
        assert scheme.value(iri, SKOS.inScheme) is not None
    # the labels of the annotation guide, so users and the evaluation speak of the same themes
    guide = (GOLD / "ANNOTATION.md").read_text(encoding="utf-8")
    for code, iri in codes.items():
        assert f"- {code} {scheme.value(iri, SKOS.prefLabel)}\n" in guide or f"- {code} {scheme.value(iri, SKOS.prefLabel)} —" in guide


def test_every_scheme_theme_has_signal_phrases_and_no_phrase_file_theme_is_unknown() -> None:
    patterns = load_theme_patterns()
    assert patterns.themes == sorted(theme_iris())
    assert all(patterns.strong[code] for code in patterns.themes)


def test_pattern_file_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "p.toml"
    bad.write_text("[T01]\nstrong = 'not a list'\n", encoding="utf-8")
    with pytest.raises(ThemePatternError, match=str(bad)):
        load_theme_patterns(bad)
    bad.write_text("[T01\n", encoding="utf-8")
    with pytest.raises(ThemePatternError, match="cannot read"):
        load_theme_patterns(bad)


def test_phrase_variants_add_a_plural_of_the_last_word() -> None:
    assert phrase_variants("smart factory") == ["smart factory", "smart factories"]
    assert phrase_variants("SME") == ["SME", "SMEs"]
    assert phrase_variants("supply chain") == ["supply chain", "supply chains"]
    assert phrase_variants("process") == ["process", "processes"]
    assert phrase_variants("Industry 4.0") == ["Industry 4.0"]  # no plural of a number


# ------------------------------------------------------------------------------------ signals


def test_sentence_signals_name_theme_terms_and_quote_the_sentence(nlp) -> None:
    text = "Chongqing should open more smart factories. Vocational training must keep pace with demand."
    found = signals(nlp, text)
    by_theme = {s.theme: s for s in found}
    assert "T01" in by_theme and "T02" in by_theme
    assert by_theme["T01"].terms == ("smart factories",)
    for s in found:
        assert text[s.evidence.start : s.evidence.end] == s.evidence.quote
    assert by_theme["T02"].evidence.quote.startswith("Vocational training")


def test_acronyms_match_case_sensitively(nlp) -> None:
    # "US" (country, T23) and "EV" (T12) are capitals; the pronoun "us" is not a signal
    assert "T23" not in {s.theme for s in signals(nlp, "Let us work together on this plan.")}
    assert "T23" in {s.theme for s in signals(nlp, "Firms in the US adopted this plan early.")}


def test_weak_words_count_only_together(nlp) -> None:
    # "energy" and "power" are weak signals of T07: one alone is not a signal, two are
    assert "T07" not in {s.theme for s in signals(nlp, "The team has a lot of energy.")}
    assert "T07" in {s.theme for s in signals(nlp, "Energy and power costs rose.")}


def test_headings_are_marked(nlp) -> None:
    found = signals(nlp, "Cybersecurity and Data Protection", kind="heading")
    assert {s.theme for s in found} >= {"T04"} and all(s.heading for s in found)


def test_a_new_theme_needs_only_data(nlp, tmp_path: Path) -> None:
    """Users add a theme by editing the patterns file: the component picks it up by configuration."""
    table = tomllib.loads(ontology_path("theme_patterns.toml").read_text(encoding="utf-8"))
    lines = [ontology_path("theme_patterns.toml").read_text(encoding="utf-8"), '\n[T99]\nstrong = ["low-altitude economy"]\n']
    custom = tmp_path / "patterns.toml"
    custom.write_text("".join(lines), encoding="utf-8")
    assert "T99" not in table
    pipeline = load_pipeline()
    pipeline.remove_pipe(COMPONENT)
    pipeline.add_pipe(COMPONENT, config={"patterns_path": str(custom)})
    found = theme_signals_in(pipeline("The low-altitude economy is growing fast."), "p", 0)
    assert [s.theme for s in found] == ["T99"]


# ------------------------------------------------------------------------------------ assignment


def _paper(text: str) -> Paper:
    return Paper("p", 1, "t", "Acme", text, [], "v")


def _signal(code: str, start: int, heading: bool = False) -> ThemeSignal:
    return ThemeSignal(code, ("x",), Evidence("p", start, start + 1, "x"), heading)


def test_one_passing_sentence_is_not_a_theme_several_are() -> None:
    extraction = PaperExtraction(_paper("x" * 100))
    extraction.theme_signals = [_signal("T01", 0)] + [_signal("T02", i) for i in range(10, 10 + MIN_SENTENCES)]
    assigned = {a.theme: a for a in assign_themes(extraction)}
    assert set(assigned) == {"T02"}
    assert assigned["T02"].sentences == MIN_SENTENCES and assigned["T02"].reasons == ("sentences",)
    assert len(assigned["T02"].evidence) == MIN_SENTENCES


def test_a_section_heading_or_recommendation_makes_two_sentences_enough() -> None:
    extraction = PaperExtraction(_paper("x" * 100))
    extraction.theme_signals = [_signal("T04", 0, heading=True), _signal("T04", 5), _signal("T04", 9), _signal("T08", 20)]
    assert [a.theme for a in assign_themes(extraction)] == ["T04"]
    weighted = assign_themes(extraction)[0]
    assert weighted.reasons == ("section",) and weighted.weight > weighted.sentences


def test_statement_themes_come_from_signals_inside_the_statement() -> None:
    statement = Statement("Recommendation", "ask", Evidence("p", 10, 30, "a" * 20))
    inside, outside = _signal("T03", 12), _signal("T05", 40)
    assert statement_themes(statement, [inside, outside]) == ["T03"]


# ------------------------------------------------------------------------------------ the built graph


def test_built_graph_has_scheme_weighted_themes_and_evidence(bundled_build) -> None:
    graph: Graph = bundled_build.graph
    assert (None, SKOS.notation, Literal("T01")) in graph  # the scheme ships in graph.ttl
    texts = {str(p): str(t) for p, t in graph.subject_objects(PKG.fullText)}
    assignments = list(graph.subjects(RDF.type, PKG.ThemeAssignment))
    assert len(assignments) >= 22 * 5
    for node in assignments[:40]:
        paper = next(graph.subjects(PKG.themeAssignment, node))
        theme = graph.value(node, PKG.theme)
        assert (paper, PKG.hasTheme, theme) in graph
        assert float(graph.value(node, PKG.weight)) >= 2
        quotes = list(graph.objects(node, PKG.evidence))
        assert quotes
        for quote in quotes:
            start, end = int(graph.value(quote, PKG.charStart)), int(graph.value(quote, PKG.charEnd))
            assert texts[str(graph.value(quote, PKG.statedIn))][start:end] == str(graph.value(quote, PKG.quote))
    assert any(graph.subject_objects(PKG.addresses))  # recommendations carry their themes


def test_theme_quality_on_dev_papers(bundled_build) -> None:
    """The dev-paper measurement the patterns were tuned on; it guards against a regression in the rules."""
    evaluation = evaluate_graph(bundled_build.graph, read_gold(GOLD))
    themes = evaluation.tasks["themes"]
    assert themes.recall >= 0.85 and themes.precision >= 0.85, (themes.recall, themes.precision)


def test_gold_dev_files_are_the_tuning_set() -> None:
    numbers = sorted(json.loads(p.read_text(encoding="utf-8"))["paper"] for p in GOLD.glob("paper_*.json"))
    assert numbers == [1, 7, 12, 17, 22]
