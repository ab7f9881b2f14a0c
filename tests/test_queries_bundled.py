"""Named queries on the real build of the bundled volume: the runner `policykg query` uses (pyoxigraph on
the on-disk store) gives rdflib's answers over the same graph, and the rewritten shapes lose nothing."""
from __future__ import annotations

import pytest
from rdflib import Graph

from graph.assemble.query import Table, run_query
from graph.build import BuildResult
from graph.named_queries import named_queries, named_query, query_store, run_named_query
from graph.store import ontology_graph, open_store

# Parameters a reader of the bundled volume would try; empty ones exercise the "every …" defaults.
PARAMETERS = {"company": ["siemens", ""], "theme": ["T02", "talent"], "policy": ["plan", ""],
              "place": ["chongqing"], "node": ["Chongqing", "siemens"], "paper": ["cmia-19-06", "intelligent"]}
# Columns made with GROUP_CONCAT, whose order inside the cell is up to the engine.
CONCATENATED = {"citedBy": "; ", "contributors": "; ", "themes": " "}


@pytest.fixture(scope="module")
def memory(bundled_build: BuildResult) -> Graph:
    return ontology_graph().parse(bundled_build.out_dir / "graph.ttl", format="turtle")


def comparable(table: Table) -> list[tuple]:
    rows = []
    for row in table.rows:
        cells = dict(zip(table.columns, row))
        for column, separator in CONCATENATED.items():
            if cells.get(column) and not cells[column].isdigit():
                cells[column] = separator.join(sorted(cells[column].split(separator)))
        rows.append(tuple(cells.items()))
    return rows


def parameter_sets(name: str) -> list[dict[str, str]]:
    sets: list[dict[str, str]] = [{}]
    for parameter in named_query(name).parameters:
        sets = [dict(values, **{parameter.name: value}) for values in sets for value in PARAMETERS[parameter.name]]
    return sets


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_store_runner_answers_as_rdflib_does(bundled_build: BuildResult, memory: Graph, name: str) -> None:
    answered = 0
    for values in parameter_sets(name):
        from_store = run_named_query(bundled_build.out_dir, name, values)
        in_memory = run_query(memory, named_query(name).bind(values))
        assert from_store.columns == in_memory.columns
        assert comparable(from_store) == comparable(in_memory), values
        answered += bool(from_store.rows)
    assert answered, f"{name} found nothing in the bundled build"


def test_evidence_by_iri_reaches_every_kind_of_node(bundled_build: BuildResult) -> None:
    """The evidence query finds its node among labels and theme assignments before reading evidence:
    one node of every class that carries evidence must still be found by its IRI, with all its quotes."""
    store = open_store(bundled_build.out_dir)
    sample = query_store(store, """
        SELECT ?class (SAMPLE(?node) AS ?one) WHERE { ?node pkg:evidence ?ev ; a ?class } GROUP BY ?class""")
    assert len(sample.rows) >= 5
    for cls, node in sample.rows:
        quotes = query_store(store, f"SELECT DISTINCT ?s ?q WHERE {{ <{node}> pkg:evidence ?ev . "
                                    "?ev pkg:charStart ?s ; pkg:quote ?q ; pkg:statedIn ?p }")
        rows = run_named_query(bundled_build.out_dir, "evidence", {"node": node})
        assert {row[0] for row in rows.rows} == {node}, cls
        assert len(rows.rows) == len(quotes.rows) > 0, cls


def test_evidence_by_label_ignores_case(bundled_build: BuildResult) -> None:
    labelled = query_store(open_store(bundled_build.out_dir),
                           "SELECT ?node ?label WHERE { ?node pkg:evidence ?ev ; a pkg:Company ; rdfs:label ?label } LIMIT 1")
    node, label = labelled.rows[0]
    by_label = run_named_query(bundled_build.out_dir, "evidence", {"node": label.upper()})
    assert by_label.rows == run_named_query(bundled_build.out_dir, "evidence", {"node": node}).rows != []


def test_contributors_by_theme_agrees_with_the_theme_ranking(bundled_build: BuildResult) -> None:
    out = bundled_build.out_dir
    listed = {row[0]: row for row in run_named_query(out, "contributors-by-theme", {}).rows}
    ranked = {row[0]: int(row[2]) for row in run_named_query(out, "themes-by-contributors", {}).rows}
    assert set(listed) == set(ranked)
    for code, (_, _, count, names) in listed.items():
        assert int(count) == ranked[code] == len(set(names.split("; ")))
