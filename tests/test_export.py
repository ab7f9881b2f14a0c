"""Exports: every format reads back to the graph it came from."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal

from graph.assemble.view import full_view
from graph.build import BuildResult, build
from graph.cli import main
from graph.export.formats import EXPORT_FORMATS, export
from graph.store import StoreError, data_graph, named_graphs, open_store

from .conftest import DATA


@pytest.fixture(scope="module")
def small_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build([DATA / "store" / "papers"], tmp_path_factory.mktemp("export"))


def _by_value(graph: Graph) -> set[tuple]:
    """Triples with literals by value: a decimal 7 may be written "7" or "7.0" (no blank nodes to match)."""
    return {tuple(t.toPython() if isinstance(t, Literal) else t for t in triple) for triple in graph}


def test_rdf_formats_round_trip(small_build: BuildResult) -> None:
    expected = data_graph(small_build.out_dir)
    for fmt, parser in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")):
        back = Graph().parse(data=export(small_build.out_dir, fmt).decode("utf-8"), format=parser)
        assert _by_value(back) == _by_value(expected), fmt
    assert len(expected) == len(small_build.graph)


def test_jsonld_uses_the_context_file(small_build: BuildResult) -> None:
    document = json.loads(export(small_build.out_dir, "jsonld"))
    assert document["@context"]["pkg"] == "https://w3id.org/policykg/ontology#"
    assert "@graph" in document


def test_trig_keeps_the_named_graphs(small_build: BuildResult) -> None:
    dataset = Dataset()
    dataset.parse(data=export(small_build.out_dir, "trig").decode("utf-8"), format="trig")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert names == set(named_graphs(open_store(small_build.out_dir)))


def test_network_formats_hold_the_drawable_graph(small_build: BuildResult) -> None:
    view = full_view(data_graph(small_build.out_dir, with_ontology=True))
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        network = reader(io.BytesIO(export(small_build.out_dir, fmt)))
        assert network.number_of_nodes() == len(view.nodes), fmt
        assert network.number_of_edges() == len(view.edges), fmt
        labels = {data["label"] for _, data in network.nodes(data=True)}
        assert "Northwind Robotics" in labels
    rows = list(csv.DictReader(io.StringIO(export(small_build.out_dir, "csv").decode())))
    assert len(rows) == len(view.edges)
    assert {"Source", "Target", "Relation"} <= set(rows[0])


def test_cli_export_to_file_and_stdout(small_build: BuildResult, tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "graph.graphml"
    result = runner.invoke(main, ["export", "--out", str(small_build.out_dir), "--format", "graphml", "-o", str(target)])
    assert result.exit_code == 0 and target.read_bytes() == export(small_build.out_dir, "graphml")
    result = runner.invoke(main, ["export", "--out", str(small_build.out_dir), "--format", "nt"])
    assert result.exit_code == 0 and result.output.encode() == export(small_build.out_dir, "nt")
    assert set(EXPORT_FORMATS) == {"ttl", "nt", "jsonld", "trig", "graphml", "gexf", "csv"}


def test_trig_needs_the_store(small_build: BuildResult, tmp_path: Path) -> None:
    build([DATA / "store" / "papers"], tmp_path, store="memory")
    with pytest.raises(StoreError, match="trig"):
        export(tmp_path, "trig")
    assert Graph().parse(data=export(tmp_path, "ttl").decode(), format="turtle")
