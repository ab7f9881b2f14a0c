"""`policykg report` and the focused views, on the real build of the bundled volume; every number has its quotes."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from rdflib import RDF, Literal
from rdflib.namespace import SKOS

from graph.analysis.themes import analyse
from graph.assemble.vocab import PKG
from graph.cli import main
from graph.export import report
from graph.insights import REPORT_HTML, REPORT_MD, TABLES_DIR
from graph.model import Evidence, GraphFacts, PaperInfo, PaperTheme, StatementInfo, ThemeInfo


@pytest.fixture(scope="module")
def out(bundled_build):
    return bundled_build.out_dir


@pytest.fixture(scope="module")
def texts(bundled_papers) -> dict[str, str]:
    return {paper.id: paper.text for paper in bundled_papers}


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    return result


def resolve_cite(texts: dict[str, str], cite: str) -> str:
    paper, span = cite.rsplit(":", 1)
    start, end = (int(x) for x in span.split("-"))
    return texts[paper][start:end]


def test_build_writes_report_files_and_tables(out) -> None:
    assert (out / REPORT_MD).read_text(encoding="utf-8").startswith("# Which themes recur")
    assert "<table>" in (out / REPORT_HTML).read_text(encoding="utf-8")
    tables = {p.stem for p in (out / TABLES_DIR).glob("*.csv")}
    assert {"theme_recurrence", "contributor_themes", "consensus_recommendations", "policies", "emerging_themes"} <= tables


def test_report_json_every_count_is_backed_by_quotes(out, texts) -> None:
    result = run("report", "--out", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["summary"]["papers"] == 22
    assert len(data["themes"]) >= 15
    for theme in data["themes"]:
        # one quote per contributor counted, each a real slice of that contributor's paper
        assert len(theme["quotes"]) == len(theme["contributors"]) >= 1
        for quote in theme["quotes"]:
            assert resolve_cite(texts, quote["evidence"]) == quote["quote"]
    for group in data["consensus"]:
        assert len(group["contributors"]) >= 2
        assert {a["contributor"] for a in group["asks"]} == set(group["contributors"])
    for candidate in data["candidate_themes"]:
        assert len(candidate["contributors"]) >= 3 and len(candidate["quotes"]) == len(candidate["contributors"])
        for quote in candidate["quotes"]:
            assert candidate["phrase"].split()[-1][:4] in quote["quote"].lower()


def test_recurrence_agrees_with_the_graph_and_is_written_back(out, bundled_build) -> None:
    data = json.loads(run("report", "--out", str(out), "--format", "json").stdout)
    graph = bundled_build.graph
    sparql = """SELECT ?code (COUNT(DISTINCT ?org) AS ?n) WHERE {
        ?paper pkg:hasTheme ?theme ; pkg:contributedBy ?org . ?theme skos:notation ?code } GROUP BY ?code"""
    counted = {str(row.code): int(row.n) for row in graph.query(sparql, initNs={"pkg": PKG._NS, "skos": SKOS})}
    assert {t["theme"]: len(t["contributors"]) for t in data["themes"]} == counted
    for theme in data["themes"]:
        node = next(graph.subjects(SKOS.notation, Literal(theme["theme"])))
        assert int(graph.value(node, PKG.contributorCount)) == len(theme["contributors"])
    groups = set(graph.subjects(RDF.type, PKG.ConsensusGroup))
    assert len(groups) == len(data["consensus"])
    assert all(len(set(graph.objects(group, PKG.member))) >= 2 for group in groups)
    # ranked by number of contributors
    counts = [len(t["contributors"]) for t in data["themes"]]
    assert counts == sorted(counts, reverse=True)


def test_terminal_report_and_md_html_formats(out) -> None:
    table = run("report", "--out", str(out))
    assert table.exit_code == 0 and "Top recurring themes" in table.stdout and "heat map" in table.stdout
    md = run("report", "--out", str(out), "--format", "md")
    assert md.stdout.startswith("# Which themes recur") and "## Contributor profiles" in md.stdout
    page = run("report", "--out", str(out), "--format", "html")
    assert page.stdout.startswith("<!DOCTYPE html>") and page.stdout.rstrip().endswith("</html>")


def test_themes_view_by_code_or_label(out, texts) -> None:
    by_code = run("themes", "--out", str(out), "--theme", "T02", "--format", "csv")
    by_label = run("themes", "--out", str(out), "--theme", "talent", "--format", "csv")
    assert by_code.exit_code == 0 and by_code.stdout == by_label.stdout
    rows = list(csv.DictReader(io.StringIO(by_code.stdout)))
    assert rows and {r["theme"] for r in rows} == {"T02"}
    for row in rows:
        assert " ".join(resolve_cite(texts, row["evidence"]).split()).startswith(row["quote"].rstrip("…"))
    ranked = list(csv.DictReader(io.StringIO(run("themes", "--out", str(out), "--format", "csv").stdout)))
    assert [int(r["rank"]) for r in ranked] == list(range(1, len(ranked) + 1))


def test_unknown_theme_is_a_one_line_error(out) -> None:
    result = run("themes", "--out", str(out), "--theme", "zzz-not-a-theme")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "zzz-not-a-theme" in result.stderr and "graph.ttl" in result.stderr


def test_recommendations_filtered_by_theme_and_company(out) -> None:
    everything = list(csv.DictReader(io.StringIO(run("recommendations", "--out", str(out), "--format", "csv").stdout)))
    company = everything[0]["contributor"]
    theme = next(r["themes"].split()[0] for r in everything if r["themes"])
    result = run("recommendations", "--out", str(out), "--format", "csv", "--theme", theme, "--company", company)
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows == [r for r in everything if r["contributor"] == company and theme in r["themes"].split()]
    bad = run("recommendations", "--out", str(out), "--company", "No Such Company Ltd")
    assert bad.exit_code == 2 and "No Such Company Ltd" in bad.stderr


def test_policies_view(out, texts) -> None:
    rows = json.loads(run("policies", "--out", str(out), "--format", "json").stdout)
    assert rows and all(r["cited by"] == len(r["contributors"].split("; ")) for r in rows if r["policy"])
    name = rows[0]["policy"]
    one = json.loads(run("policies", "--out", str(out), "--format", "json", "--policy", name).stdout)
    assert one[0]["policy"] == name and len(one) >= rows[0]["cited by"]  # one quote per citing paper
    for row in one:
        if row["evidence"]:
            assert resolve_cite(texts, row["evidence"]).startswith(row["quote"].rstrip("…")[:50])


def test_report_without_a_graph_fails_naming_the_file(tmp_path) -> None:
    result = run("report", "--out", str(tmp_path))
    assert result.exit_code == 1 and str(tmp_path / "graph.ttl") in result.stderr


def test_html_escapes_document_text_and_compares_volumes() -> None:
    hostile = '<script>alert("x")</script> & <img src=x onerror=1>'
    themes = [ThemeInfo("T01", "smart <b>manufacturing</b>", "t1")]
    papers = [PaperInfo("a", "A", "Vol <One>", "Acme <Corp>"), PaperInfo("b", "B", "Vol Two", "Beta")]
    quote = Evidence("a", 0, len(hostile), hostile)
    facts = GraphFacts(
        themes, papers,
        [PaperTheme("a", "Acme <Corp>", "T01", 5, True, (quote,)), PaperTheme("b", "Beta", "T01", 3, False, (quote,))],
        [StatementInfo("r1", "Recommendation", "a", "Acme <Corp>", hostile, ("T01",), quote)], [], [],
    )
    analysis = analyse(facts)
    page = report.html(facts, analysis)
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;" in page and "Acme &lt;Corp&gt;" in page
    assert "Theme shares by volume" in page and "Theme shares by volume" in report.markdown(facts, analysis)
