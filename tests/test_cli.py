"""The CLI end to end through click's test runner, on a small folder of Markdown papers."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from graph.cli import main


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    papers = root / "papers"
    papers.mkdir()
    (papers / "ports.md").write_text(
        "---\ncontributor: Harbour Logistics Ltd\n---\n# Greener Ports for Rivertown\n\n"
        "Harbour Logistics Ltd operates a terminal in Rivertown. The port authority of Singapore "
        "shows what electrified cranes can do.\n\nWe recommend that Rivertown should electrify its cranes by 2030.\n",
        encoding="utf-8",
    )
    (papers / "skills.md").write_text(
        "---\ncontributor: Acme Robotics\n---\n# Skills for the Robot Age\n\n"
        "Acme Robotics has a plant in Lyon, France. Universities in Germany train engineers.\n",
        encoding="utf-8",
    )
    out = root / "out"
    result = CliRunner().invoke(main, ["build", str(papers), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result


def test_build_prints_summary_and_writes_graph(built) -> None:
    out, result = built
    assert "papers:  2" in result.output
    assert "pkg:Company" in result.output
    assert (out / "graph.ttl").exists()


def test_query_json_answers_contributors(built) -> None:
    out, _ = built
    result = CliRunner().invoke(
        main,
        ["query", "--out", str(out), "--format", "json",
         "SELECT ?title ?company WHERE { ?p a pkg:Paper ; dcterms:title ?title ; pkg:contributedBy/rdfs:label ?company } ORDER BY ?title"],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows == [
        {"title": "Greener Ports for Rivertown", "company": "Harbour Logistics Ltd"},
        {"title": "Skills for the Robot Age", "company": "Acme Robotics"},
    ]


def test_query_from_file_as_csv(built, tmp_path) -> None:
    out, _ = built
    query = tmp_path / "q.rq"
    query.write_text("SELECT (COUNT(?p) AS ?n) WHERE { ?p a pkg:Paper }", encoding="utf-8")
    result = CliRunner().invoke(main, ["query", "--out", str(out), "-f", str(query), "--format", "csv"])
    assert result.exit_code == 0
    assert result.output.splitlines() == ["n", "2"]


def test_malformed_query_exits_2_with_parser_message(built) -> None:
    out, _ = built
    result = CliRunner().invoke(main, ["query", "--out", str(out), "SELECT ?x WHERE { ?x a }"])
    assert result.exit_code == 2
    assert "malformed query" in result.output


def test_stats_counts_classes(built) -> None:
    out, _ = built
    result = CliRunner().invoke(main, ["stats", "--out", str(out), "--format", "json"])
    counts = {row["class"]: row["count"] for row in json.loads(result.output)}
    assert counts["pkg:Paper"] == 2 and counts["pkg:Company"] >= 2 and counts["triples"] > 20


def test_missing_input_fails_with_one_line_and_builds_nothing(tmp_path) -> None:
    result = CliRunner().invoke(main, ["build", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "o")])
    assert result.exit_code != 0
    assert "nope.txt" in result.output
    assert not (tmp_path / "o" / "graph.ttl").exists()


def test_every_command_has_help() -> None:
    for command in main.commands:
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0 and len(result.output) > 80, command
