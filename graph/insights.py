"""Cross-contributor insights of a built graph: analyse, write the results back into RDF, write tables and reports.

The library API behind ``policykg report``, ``themes``, ``recommendations`` and ``policies``, and the
last step of ``policykg build``. It only wires stages together: assemble reads and writes RDF, analysis
measures, export renders.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .analysis.themes import analyse, emerging_themes
from .assemble.themes import read_facts
from .atomic import write_atomic
from .export import report
from .model import Analysis, Corpus, EmergingTheme, GraphFacts, KeyPhrase

TABLES_DIR = "tables"
REPORT_MD = "report.md"
REPORT_HTML = "report.html"


@dataclass
class Insights:
    facts: GraphFacts
    analysis: Analysis


def _emerging(corpus: Corpus, facts: GraphFacts) -> list[EmergingTheme]:
    """Candidate themes from the key phrases of every contributor's papers."""
    # Imported here: extraction modules load spaCy, which only a build (never a report of a built graph) needs.
    from .extract.resolve import entity_key
    from .extract.themes import load_theme_patterns

    phrases: dict[str, list[KeyPhrase]] = defaultdict(list)
    for extraction in corpus.extractions:
        paper = extraction.paper
        company = corpus.entities.get(entity_key("Company", paper.contributor)) if paper.contributor else None
        name = company.label if company else paper.contributor or paper.id
        phrases[name].extend(extraction.key_phrases)
    patterns = load_theme_patterns()
    scheme = [p for table in (patterns.strong, patterns.weak) for phrases_ in table.values() for p in phrases_]
    scheme += [label for theme in facts.themes for label in (theme.label, *theme.alt_labels)]
    return emerging_themes(phrases, scheme)


def insights_of(graph: Graph | ox.Store, corpus: Corpus | None = None) -> Insights:
    """Analyse a built graph (or store); with the corpus at hand (during a build) candidate themes are found afresh."""
    facts = read_facts(graph)
    analysis = analyse(facts, _emerging(corpus, facts) if corpus is not None else None)
    return Insights(facts, analysis)


def write_insights(graph: Graph | ox.Store, corpus: Corpus, out_dir: Path) -> Insights:
    """During a build: analyse, write CSV tables and both reports (the build writes the analysis into RDF)."""
    insights = insights_of(graph, corpus)
    write_tables(insights, out_dir / TABLES_DIR)
    write_reports(insights, out_dir)
    return insights


def write_tables(insights: Insights, folder: Path) -> list[Path]:
    written = []
    for name, (columns, rows) in report.tables(insights.facts, insights.analysis).items():
        path = folder / f"{name}.csv"
        write_atomic(path, report.render(columns, rows, "csv"))
        written.append(path)
    return written


def write_reports(insights: Insights, out_dir: Path) -> tuple[Path, Path]:
    md, html = out_dir / REPORT_MD, out_dir / REPORT_HTML
    write_atomic(md, report.markdown(insights.facts, insights.analysis))
    write_atomic(html, report.html(insights.facts, insights.analysis))
    return md, html
