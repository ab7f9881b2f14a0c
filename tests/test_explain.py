"""`policykg explain`: label, class, aliases, relations and evidence of a node, from a real build."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.build import BuildResult, build
from graph.cli import main
from graph.explain import explain, find_nodes
from graph.store import open_graph

PAPER = """# Turbines for Chongqing

Our joint venture in Chongqing, Chongqing Turbine Engine Co., Ltd. (CTEC), builds engines for the automotive sector.

CTEC invested in a new plant. Chongqing lies on the Belt and Road Initiative, and the city's “4321” model outlines the development of 12 automated container yards by 2027.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    folder = tmp_path_factory.mktemp("explain")
    source = folder / "acme.md"
    source.write_text(PAPER, encoding="utf-8")
    return build([source], folder / "out", contributor="Acme Turbines", use_cache=False)


def test_explain_shows_class_aliases_relations_and_evidence(built: BuildResult) -> None:
    graph = open_graph(built.out_dir)
    [venture] = explain(graph, "CTEC")
    assert venture.label == "Chongqing Turbine Engine Co., Ltd."
    assert "pkg:Organization" in venture.classes
    assert "CTEC" in venture.aliases
    assert any(link.predicate == "org:subOrganizationOf" and link.other == "Acme Turbines" for link in venture.links)
    paper = built.corpus.extractions[0].paper
    assert venture.evidence and venture.evidence_total >= 2
    for quote in venture.evidence:
        assert quote.paper == paper.id
        assert paper.text[quote.start : quote.end] == quote.quote


def test_explain_a_policy_lists_what_it_targets(built: BuildResult) -> None:
    graph = open_graph(built.out_dir)
    [model] = explain(graph, "“4321” model")  # curly quotes in the term do not matter
    assert model.classes == ["pkg:Policy"]
    assert ("out", "pkg:targets", "12 automated container yards by 2027") in {
        (link.direction, link.predicate, link.other) for link in model.links
    }
    assert model.mentioned_in == {built.corpus.extractions[0].paper.id: 1}


def test_lookup_is_exact_first_then_partial(built: BuildResult) -> None:
    graph = open_graph(built.out_dir)
    assert len(find_nodes(graph, "belt and road initiative")) == 1
    assert find_nodes(graph, "Turbine Engine")  # no exact label: nodes containing it
    assert find_nodes(graph, "no such thing anywhere") == []


def test_cli_prints_text_and_json(built: BuildResult) -> None:
    runner = CliRunner()
    text = runner.invoke(main, ["explain", "CTEC", "--out", str(built.out_dir), "--quotes", "1"])
    assert text.exit_code == 0, text.output
    assert "Chongqing Turbine Engine Co., Ltd." in text.stdout and "evidence (1 of" in text.stdout
    data = runner.invoke(main, ["explain", "Belt and Road Initiative", "--out", str(built.out_dir), "--format", "json"])
    assert data.exit_code == 0
    [node] = json.loads(data.stdout)
    assert node["classes"] == ["pkg:Policy"] and node["evidence"][0]["quote"]


def test_cli_unknown_term_and_missing_graph_fail_with_one_line(built: BuildResult, tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(main, ["explain", "Nothing Like This", "--out", str(built.out_dir)])
    assert missing.exit_code == 1 and missing.stderr.count("\n") == 1 and "Nothing Like This" in missing.stderr
    empty = runner.invoke(main, ["explain", "CTEC", "--out", str(tmp_path)])
    assert empty.exit_code != 0 and str(tmp_path) in empty.stderr


def test_help_describes_the_command() -> None:
    result = CliRunner().invoke(main, ["explain", "--help"])
    assert result.exit_code == 0 and "evidence" in result.stdout.lower()
