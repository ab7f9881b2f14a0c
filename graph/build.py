"""The library API behind ``policykg build``: ingest → extract → assemble → write.

The CLI is a thin layer over these functions, and the tests call them directly.
"""
from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph

from .assemble import assemble, bind_prefixes, load_ontology, sorted_ntriples
from .assemble.vocab import PKG
from .atomic import write_atomic
from .extract import extract, load_pipeline
from .ingest import IngestError, read_inputs
from .insights import write_insights
from .model import Corpus
from .resources import bundled_volume

log = logging.getLogger(__name__)

GRAPH_FILE = "graph.ttl"


@dataclass
class BuildResult:
    out_dir: Path
    graph: Graph
    corpus: Corpus | None
    errors: list[IngestError] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def graph_path(self) -> Path:
        return self.out_dir / GRAPH_FILE

    @property
    def papers(self) -> int:
        return len(set(self.graph.subjects(RDF.type, PKG.Paper)))


def class_counts(graph: Graph) -> dict[str, int]:
    """Number of nodes of each class, by the class's local name or prefixed name."""
    counts: Counter[str] = Counter()
    for _, cls in graph.subject_objects(RDF.type):
        counts[graph.namespace_manager.normalizeUri(cls)] += 1
    return dict(sorted(counts.items()))


def build(
    inputs: list[Path] | None = None,
    out_dir: Path = Path("output"),
    *,
    model: str | None = None,
    contributor: str | None = None,
    volume: str | None = None,
    fail_fast: bool = False,
    n_process: int = 1,
) -> BuildResult:
    """Build the knowledge graph of ``inputs`` (default: the bundled volume) into ``out_dir``.

    Inputs that cannot be read are reported in ``errors``; the rest are built. Nothing is written
    when no paper could be read, so the previous outputs stay as they were.
    """
    started = time.perf_counter()
    ingested = read_inputs(inputs or [bundled_volume()], contributor=contributor, volume=volume, fail_fast=fail_fast)
    for error in ingested.errors:
        log.error("%s", error)
    if not ingested.papers:
        return BuildResult(out_dir, Graph(), None, ingested.errors, time.perf_counter() - started)
    log.info("read %d papers from %d volumes", len(ingested.papers), len(ingested.volumes))
    nlp = load_pipeline(model)
    corpus = extract(ingested.volumes, nlp, n_process=n_process)
    graph = assemble(corpus)
    write_insights(graph, corpus, out_dir)  # analysis written back into graph, plus tables/ and report.*
    write_outputs(graph, out_dir)
    return BuildResult(out_dir, graph, corpus, ingested.errors, time.perf_counter() - started)


def write_outputs(graph: Graph, out_dir: Path) -> None:
    """Write ``graph.ttl`` (and the sorted N-Triples used to compare builds) atomically."""
    write_atomic(out_dir / GRAPH_FILE, graph.serialize(format="turtle"))
    write_atomic(out_dir / "graph.nt", sorted_ntriples(graph))


def load_graph(path: Path, *, with_ontology: bool = True) -> Graph:
    """Load a built graph, by default with the ontology so queries can use class and property labels."""
    graph = load_ontology() if with_ontology else bind_prefixes(Graph())
    return graph.parse(path, format="turtle")
