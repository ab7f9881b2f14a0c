"""Named queries (competency questions) on a small hand-made graph, on every engine: rdflib in memory,
the embedded Oxigraph store behind rdflib (oxrdflib), and the store queried by pyoxigraph directly (how
`policykg query` runs them). All must give the same answers, and the answers must be the facts the
hand-made graph states."""
from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from graph.assemble.query import QueryError, Table, run_query
from graph.cli import main
from graph.named_queries import (
    NamedQueryError, named_queries, named_query, parse_named_query, parse_parameters, query_build, query_store,
)
from graph.store import StoreError, ontology_graph, open_graph, open_store, write_store

from .conftest import DATA

FIXTURE = DATA / "store" / "competency.ttl"
COMPETENCY_QUESTIONS = {
    "contributors-by-theme", "themes-by-contributors", "company-recommendations", "theme-recommenders",
    "policies-cited", "policy-targets", "companies-in-place", "recommendations-mentioning-policy",
    "commitments-by-company", "evidence", "similar-papers", "consensus-groups",
}


@pytest.fixture(scope="module")
def fixture_graph() -> Graph:
    return Graph().parse(FIXTURE, format="turtle")


Engine = Callable[[str], Table]  # a query text in, its answer out


@pytest.fixture(scope="module")
def engines(fixture_graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Engine]:
    out = tmp_path_factory.mktemp("competency")
    write_store(fixture_graph, out)
    memory = ontology_graph()
    memory += fixture_graph
    wrapped = open_graph(out)
    store = open_store(out)
    return {"memory": lambda text: run_query(memory, text), "oxrdflib": lambda text: run_query(wrapped, text),
            "pyoxigraph": lambda text: query_store(store, text)}


def ask(engine: Engine, name: str, **params: str) -> list[dict[str, str | None]]:
    table = engine(named_query(name).bind(params))
    return [dict(zip(table.columns, row)) for row in table.rows]


def test_every_competency_question_is_shipped_with_a_description() -> None:
    queries = named_queries()
    assert COMPETENCY_QUESTIONS <= set(queries)
    for query in queries.values():
        assert query.description and not query.description.startswith("#")
        assert "$" not in query.bind({p.name: "x" for p in query.parameters}).replace("$this", "")


@pytest.mark.parametrize("name", sorted(COMPETENCY_QUESTIONS | {"papers"}))
def test_both_engines_agree(engines: dict[str, Graph], name: str) -> None:
    query = named_query(name)
    params = {p.name: {"company": "bolt" if name == "commitments-by-company" else "acme", "theme": "T02", "policy": "robot", "place": "chongqing",
                       "node": "Acme Robotics", "paper": "v-01"}[p.name] for p in query.parameters}
    answers = {label: ask(engine, name, **params) for label, engine in engines.items()}
    assert answers["memory"], f"{name} found nothing in the hand-made graph"
    if name in ("policies-cited", "similar-papers", "contributors-by-theme"):  # GROUP_CONCAT order is up to the engine
        for rows in answers.values():
            for row in rows:
                row.update({k: sorted(v.split("; " if ";" in v else " ")) for k, v in row.items()
                            if k in ("citedBy", "themes", "contributors") and v})
    assert answers["memory"] == answers["oxrdflib"] == answers["pyoxigraph"]


@pytest.fixture(params=["memory", "pyoxigraph"])
def engine(request: pytest.FixtureRequest, engines: dict[str, Engine]) -> Engine:
    return engines[request.param]


def test_what_a_company_recommends_matches_aliases_and_no_one_else(engine: Engine) -> None:
    rows = ask(engine, "company-recommendations", company="ACME")  # an alias, in another case
    assert [r["recommendation"] for r in rows] == ["We recommend more technician training under the Robot Plan."]
    assert {r["company"] for r in rows} == {"Acme Robotics"}
    assert ask(engine, "company-recommendations", company="nobody") == []


def test_who_recommends_on_a_theme(engine: Engine) -> None:
    rows = ask(engine, "theme-recommenders", theme="t02")
    assert {r["company"] for r in rows} == {"Acme Robotics", "Bolt Power"}
    assert ask(engine, "theme-recommenders", theme="T03") == []


def test_themes_ranked_by_contributors(engine: Engine) -> None:
    rows = ask(engine, "themes-by-contributors")
    counts = {r["code"]: int(r["contributors"]) for r in rows}
    assert counts == {"T02": 3, "T01": 2, "T03": 1, "T07": 1}
    assert rows[0]["code"] == "T02"


def test_contributors_by_theme_and_similar_papers(engine: Engine) -> None:
    rows = ask(engine, "contributors-by-theme", theme="T01")  # one row per theme: how many, and who
    assert [(r["code"], int(r["count"])) for r in rows] == [("T01", 2)]
    assert sorted(rows[0]["contributors"].split("; ")) == ["Acme Robotics", "Cobalt Data"]
    every_theme = {r["code"]: sorted(r["contributors"].split("; ")) for r in ask(engine, "contributors-by-theme")}
    assert every_theme["T02"] == ["Acme Robotics", "Bolt Power", "Cobalt Data"]
    assert set(every_theme) == {r["code"] for r in ask(engine, "themes-by-contributors")}
    similar = ask(engine, "similar-papers", paper="v-01")
    # paper 3 shares T01 and T02 with paper 1, paper 2 only T02
    assert [(r["other"], int(r["shared"])) for r in similar] == [("Data and robots", 2), ("Grids and skills", 1)]


def test_policies_targets_places_commitments_evidence_consensus(engine: Engine) -> None:
    cited = ask(engine, "policies-cited")
    assert [(r["policy"], int(r["contributors"])) for r in cited] == [("Robot Plan", 2)]
    targets = {(r["targetKind"], r["target"]) for r in ask(engine, "policy-targets", policy="RP")}
    assert targets == {("Industry", "robotics"), ("Target", "100 robot factories by 2027")}
    assert [r["company"] for r in ask(engine, "companies-in-place", place="chengdu")] == ["Bolt Power"]
    assert [r["recommendation"] for r in ask(engine, "recommendations-mentioning-policy", policy="robot plan")] == [
        "We recommend more technician training under the Robot Plan."]
    assert [r["commitment"] for r in ask(engine, "commitments-by-company")] == ["We will fund ten scholarships."]
    evidence = ask(engine, "evidence", node="acme robotics")
    text = engine("SELECT ?t WHERE { ?p pkg:fullText ?t ; dcterms:title 'Robots first' }").rows[0][0]
    assert [(int(r["start"]), int(r["end"])) for r in evidence] == [(0, 32)]
    assert text[0:32] == evidence[0]["quote"]
    groups = ask(engine, "consensus-groups")
    assert {r["company"] for r in groups} == {"Acme Robotics", "Bolt Power"}
    assert {int(r["contributors"]) for r in groups} == {2}


@pytest.mark.parametrize("text", [
    "ASK { ?p a pkg:Paper }",
    "CONSTRUCT { ?p dcterms:title ?t } WHERE { ?p a pkg:Paper ; dcterms:title ?t }",
    "SELECT ?p ?number ?missing WHERE { ?p a pkg:Paper ; pkg:number ?number }",
])
def test_every_engine_gives_the_same_table(engines: dict[str, Engine], text: str) -> None:
    tables = {label: engine(text) for label, engine in engines.items()}
    memory = tables["memory"]
    assert memory.rows
    for table in tables.values():
        assert table.columns == memory.columns
        assert sorted(map(repr, table.rows)) == sorted(map(repr, memory.rows))


def test_unbound_is_none_and_bad_text_is_a_query_error(engines: dict[str, Engine]) -> None:
    table = engines["pyoxigraph"]("SELECT ?p ?missing WHERE { ?p a pkg:Paper }")
    assert table.rows and all(row[1] is None for row in table.rows)
    with pytest.raises(QueryError):
        engines["pyoxigraph"]("SELEC ?p WHERE { ?p a pkg:Paper }")


def test_evidence_by_label_makes_no_iri_of_it(engines: dict[str, Engine], caplog: pytest.LogCaptureFixture) -> None:
    """A label (even one with a colon) is not made an IRI to compare nodes with: rdflib would warn that it
    is no valid IRI, once per labelled node. A full IRI still finds its node, on every engine."""
    with caplog.at_level(logging.WARNING):
        for label in ("Acme Robotics", "acme: robotics"):
            ask(engines["memory"], "evidence", node=label)
    assert "valid URI" not in caplog.text
    iri = ask(engines["memory"], "evidence", node="Acme Robotics")[0]["node"]
    for engine in engines.values():
        assert ask(engine, "evidence", node=iri) == ask(engine, "evidence", node="Acme Robotics") != []


def test_query_build_reads_the_store_else_the_graph_file(fixture_graph: Graph, tmp_path: Path) -> None:
    stored, filed, empty = tmp_path / "stored", tmp_path / "filed", tmp_path / "empty"
    write_store(fixture_graph, stored)
    filed.mkdir()
    fixture_graph.serialize(filed / "graph.ttl", format="turtle")
    text = named_query("company-recommendations").bind({"company": "bolt"})
    assert query_build(stored, text).rows == query_build(filed, text).rows != []
    empty.mkdir()
    with pytest.raises(StoreError, match="graph.ttl"):
        query_build(empty, text)


def test_parameters_are_literals_not_query_text(engine: Engine) -> None:
    # A value that would break out of a string literal if pasted in as text.
    assert ask(engine, "company-recommendations", company='x") || true || ("') == []


def test_parameter_errors() -> None:
    query = named_query("company-recommendations")
    with pytest.raises(NamedQueryError, match="needs --company"):
        query.bind({})
    with pytest.raises(NamedQueryError, match="no parameter --colour"):
        query.bind({"company": "a", "colour": "red"})
    with pytest.raises(NamedQueryError, match="no named query"):
        named_query("no-such-query")
    assert parse_parameters(["--company", "Acme", "--theme=T01"]) == {"company": "Acme", "theme": "T01"}
    with pytest.raises(NamedQueryError):
        parse_parameters(["--company"])
    with pytest.raises(NamedQueryError, match="description"):
        parse_named_query("bad", "SELECT * WHERE { ?s ?p ?o }")


def test_cli_list_and_run(tmp_path: Path, fixture_graph: Graph) -> None:
    write_store(fixture_graph, tmp_path)
    runner = CliRunner()
    listing = runner.invoke(main, ["query", "--list", "--format", "csv"])
    assert listing.exit_code == 0
    assert {line.split(",")[0] for line in listing.output.splitlines()[1:]} == set(named_queries())
    result = runner.invoke(main, ["query", "company-recommendations", "--company", "bolt", "--out", str(tmp_path),
                                  "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"We recommend training grid technicians."' in result.output
    missing = runner.invoke(main, ["query", "company-recommendations", "--out", str(tmp_path)])
    assert missing.exit_code == 2 and "needs --company" in missing.output
