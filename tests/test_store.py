"""The on-disk Oxigraph store: named graphs per paper, each triple in one graph, readers see the build."""
from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from graph.assemble.query import run_query
from graph.assemble.rdf import ANALYSIS_GRAPH
from graph.build import BuildResult, build
from graph.cli import main
from graph.store import (
    CORPUS_GRAPH, ONTOLOGY_GRAPH, StoreError, count_classes, has_store, named_graphs, ontology_graph, open_graph,
    open_store, paper_graph, partition, write_store,
)

from graph.resources import ontology_path

from .conftest import DATA

PAPERS = DATA / "store" / "papers"


@pytest.fixture(scope="module")
def small_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build([PAPERS], tmp_path_factory.mktemp("small"))


def test_one_named_graph_per_paper_plus_corpus_analysis_and_ontology(small_build: BuildResult) -> None:
    assert small_build.corpus is not None
    papers = [p.id for v in small_build.corpus.volumes for p in v.papers]
    store = open_store(small_build.out_dir)
    expected = {str(paper_graph(p)) for p in papers} | {str(CORPUS_GRAPH), str(ANALYSIS_GRAPH), str(ONTOLOGY_GRAPH)}
    assert set(named_graphs(store)) == expected
    assert not list(store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()))


def _comparable(triples) -> list[tuple]:
    """Triples with literals by value: Oxigraph keeps numbers in canonical form ("7.0" → "7")."""
    return [tuple(t.toPython() if isinstance(t, Literal) else t for t in triple) for triple in triples]


def test_store_holds_exactly_the_built_graph_and_the_ontology(small_build: BuildResult) -> None:
    """Every triple of the build is in the store once; the ontology graph adds the ontology file."""
    ontology_file = Graph().parse(ontology_path("policykg.ttl"))
    stored = _comparable((s, p, o) for s, p, o, _ in open_graph(small_build.out_dir).quads())
    assert len(stored) == len(set(stored))  # no triple in two graphs
    assert set(stored) == set(_comparable(small_build.graph)) | set(_comparable(ontology_file))
    assert len(stored) == len(small_build.graph) + len(ontology_file - small_build.graph)
    store = open_store(small_build.out_dir)
    assert len(list(store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(str(ONTOLOGY_GRAPH))))) == len(ontology_graph())


def test_a_papers_graph_holds_its_statements_and_evidence(small_build: BuildResult) -> None:
    """What a paper states is in its graph; evidence only the analysis quotes (candidate themes) is in the analysis graph."""
    store = open_store(small_build.out_dir)
    rows = store.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?e <https://w3id.org/policykg/ontology#statedIn> ?p } "
        "FILTER (STRENDS(STR(?g), STRAFTER(STR(?p), '/paper/'))) } GROUP BY ?g"
    )
    in_own_graph = sum(int(row["n"].value) for row in rows)
    statements = [row["n"].value for row in store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?e a ?kind ; <https://w3id.org/policykg/ontology#statedIn> ?p } "
        "VALUES ?kind { <https://w3id.org/policykg/ontology#Recommendation> <https://w3id.org/policykg/ontology#Commitment> } "
        "FILTER (!STRENDS(STR(?g), STRAFTER(STR(?p), '/paper/'))) }")]
    assert statements == ["0"]
    in_analysis = next(iter(store.query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ANALYSIS_GRAPH}> {{ ?e <https://w3id.org/policykg/ontology#statedIn> ?p }} }}"
    )))["n"].value
    everywhere = len(list(small_build.graph.subject_objects(URIRef("https://w3id.org/policykg/ontology#statedIn"))))
    assert in_own_graph + int(in_analysis) == everywhere and in_own_graph > int(in_analysis)


def test_partition_rules_on_a_hand_made_graph() -> None:
    graph = Graph().parse(DATA / "store" / "competency.ttl", format="turtle")
    graphs = partition(graph)
    pkg = "https://w3id.org/policykg/ontology#"
    ident = "https://w3id.org/policykg/id/"
    rec = URIRef(ident + "recommendation/v-01-33")
    acme = URIRef(ident + "org/acme")
    # "Acme recommends R" travels with R's paper; Acme's label is shared, in the corpus graph.
    assert (acme, URIRef(pkg + "recommends"), rec) in graphs[paper_graph("v-01")]
    assert any(s == acme and str(p).endswith("label") for s, p, _ in graphs[CORPUS_GRAPH])
    assert all(s != rec for s, _, _ in graphs[CORPUS_GRAPH])
    assert sum(len(t) for t in graphs.values()) == len(graph)


def test_union_reader_answers_like_the_file(small_build: BuildResult) -> None:
    query = "SELECT ?p ?t WHERE { ?p a pkg:Paper ; dcterms:title ?t } ORDER BY ?p"
    from_store = run_query(open_graph(small_build.out_dir), query)
    from_file = run_query(Graph().parse(small_build.graph_path, format="turtle"), query)
    assert from_store.rows == from_file.rows and len(from_store.rows) == 3


def test_memory_build_has_no_store_and_queries_read_the_file(tmp_path: Path, small_build: BuildResult) -> None:
    shutil.copytree(small_build.out_dir / "cache", tmp_path / "cache")  # reuse the parses, test the store only
    result = build([PAPERS], tmp_path, store="memory")
    assert result.store is None and not has_store(tmp_path)
    counts = count_classes(tmp_path)
    assert counts == count_classes(small_build.out_dir)
    rows = run_query(open_graph(tmp_path), "SELECT (COUNT(?p) AS ?n) WHERE { ?p a pkg:Paper }").rows
    assert rows == [["3"]]
    again = build([PAPERS], tmp_path)  # back to oxigraph: a fresh store
    assert has_store(tmp_path) and again.store is not None and not again.store.dropped


def test_readers_report_a_missing_build(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="run `policykg build` first"):
        open_graph(tmp_path)
    result = CliRunner().invoke(main, ["stats", "--out", str(tmp_path)])
    assert result.exit_code == 1 and str(tmp_path) in result.output


def test_stats_counts_from_the_store(small_build: BuildResult) -> None:
    result = CliRunner().invoke(main, ["stats", "--out", str(small_build.out_dir), "--format", "csv"])
    assert result.exit_code == 0
    rows = dict(line.split(",") for line in result.output.splitlines()[1:])
    assert rows["pkg:Paper"] == "3"
    assert int(rows["triples"]) == len(small_build.graph)


def test_write_store_is_idempotent_and_replaces_only_what_changed(small_build: BuildResult, tmp_path: Path) -> None:
    graph = Graph()
    graph += small_build.graph
    first = write_store(graph, tmp_path)
    assert first.unchanged == 0 and not first.dropped
    assert not write_store(graph, tmp_path).changed
    paper = next(iter(graph.subjects(URIRef("https://w3id.org/policykg/ontology#number"), None)))
    graph.set((paper, URIRef("http://purl.org/dc/terms/title"), __import__("rdflib").Literal("A new title")))
    update = write_store(graph, tmp_path)
    assert update.replaced == [str(paper_graph(str(paper).rsplit("/", 1)[-1]))]
    titles = run_query(open_graph(tmp_path), "SELECT ?t WHERE { ?p a pkg:Paper ; dcterms:title ?t }").rows
    assert ["A new title"] in titles and len(titles) == 3
