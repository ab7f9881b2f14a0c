"""SHACL validation: the bundled build conforms; broken graphs are caught, each rule by itself."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from graph.assemble.vocab import PKG
from graph.build import BuildResult
from graph.cli import main
from graph.store import ontology_graph, write_store
from graph.validate import validate_build, validate_graph

from .conftest import DATA

ID = "https://w3id.org/policykg/id/"


@pytest.fixture()
def good() -> Graph:
    graph = ontology_graph()
    graph.parse(DATA / "store" / "competency.ttl", format="turtle")
    return graph


def test_bundled_build_conforms(bundled_build: BuildResult) -> None:
    validation = validate_build(bundled_build.out_dir)
    assert validation.violations == [] and validation.conforms


def test_hand_made_graph_conforms(good: Graph) -> None:
    assert validate_graph(good).conforms


def _focus(graph: Graph) -> set[str]:
    return {v.focus for v in validate_graph(graph).violations}


def test_evidence_end_past_the_paper_text(good: Graph) -> None:
    evidence = URIRef(ID + "evidence/v-01-33-92")
    good.set((evidence, PKG.charEnd, Literal(500)))
    validation = validate_graph(good)
    assert not validation.conforms
    assert any(str(evidence) in v.message and "500" in v.message for v in validation.violations)


def test_evidence_offsets_that_do_not_hold_the_quote(good: Graph) -> None:
    evidence = URIRef(ID + "evidence/v-01-0-32")
    good.set((evidence, PKG.quote, Literal("Acme builds rockets in Chongqing.")))
    assert any(str(evidence) in v.message for v in validate_graph(good).violations)


def test_evidence_without_quote(good: Graph) -> None:
    evidence = URIRef(ID + "evidence/v-01-0-32")
    good.remove((evidence, PKG.quote, None))
    assert str(evidence) in _focus(good)


def test_recommendation_without_company_text_or_paper(good: Graph) -> None:
    rec = URIRef(ID + "recommendation/v-02-36")
    good.remove((None, PKG.recommends, rec))
    assert _focus(good) == {str(rec)}
    good.remove((rec, PKG.text, None))
    good.remove((rec, PKG.statedIn, None))
    messages = {v.message for v in validate_graph(good).violations if v.focus == str(rec)}
    assert len(messages) == 3


def test_theme_without_notation(good: Graph) -> None:
    theme = URIRef(ID + "theme/T99")
    good.add((theme, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), PKG.Theme))
    good.add((theme, SKOS.prefLabel, Literal("unnumbered")))
    assert _focus(good) == {str(theme)}


def test_consensus_group_without_count_or_second_member(good: Graph) -> None:
    group = URIRef(ID + "consensus/training")
    good.remove((group, PKG.member, URIRef(ID + "recommendation/v-02-36")))
    assert _focus(good) == {str(group)}
    good.remove((group, PKG.contributorCount, None))
    messages = {v.message for v in validate_graph(good).violations if v.focus == str(group)}
    assert len(messages) == 2


def test_cli_exit_status(good: Graph, tmp_path: Path) -> None:
    runner = CliRunner()
    data = Graph().parse(DATA / "store" / "competency.ttl", format="turtle")
    write_store(data, tmp_path / "ok")
    assert runner.invoke(main, ["validate", "--out", str(tmp_path / "ok")]).exit_code == 0
    data.set((URIRef(ID + "evidence/v-01-0-32"), PKG.charEnd, Literal(10_000)))
    write_store(data, tmp_path / "bad")
    result = runner.invoke(main, ["validate", "--out", str(tmp_path / "bad"), "--format", "csv"])
    assert result.exit_code == 1 and "v-01-0-32" in result.output
    missing = runner.invoke(main, ["validate", "--out", str(tmp_path / "none")])
    assert missing.exit_code == 1 and "policykg build" in missing.output
