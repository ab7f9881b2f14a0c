"""The library API behind ``policykg build``: ingest → extract → assemble → write.

The CLI is a thin layer over these functions, and the tests call them directly.
"""
from __future__ import annotations

import json
import logging
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rdflib import RDF, Graph

from .assemble import assemble, bind_prefixes, load_ontology, sorted_ntriples
from .assemble.turtle import write_turtle
from .assemble.vocab import PKG
from .atomic import build_lock, write_atomic, write_atomic_stream
from .cache import CacheStats, build_fingerprint, extract_incremental
from .ingest import DEFAULT_MAX_BYTES, IngestError, read_inputs
from .insights import write_insights
from .model import Corpus
from .resources import bundled_volume
from .store import MANIFEST as STORE_MANIFEST
from .store import StoreUpdate, drop_store, has_store, write_store

log = logging.getLogger(__name__)

GRAPH_FILE = "graph.ttl"
NTRIPLES_FILE = "graph.nt"
# What the last complete build was built from, and its summary: a rebuild from the same is skipped.
BUILD_MANIFEST = "cache/build.json"
# The outputs an unchanged rebuild vouches for; the store is checked apart, by mode.
_OUTPUTS = (GRAPH_FILE, NTRIPLES_FILE, "report.md", "report.html", "tables")


@dataclass
class BuildSummary:
    """The counts a build reports, kept in the build manifest so an unchanged rebuild can report them too."""

    papers: int
    triples: int
    classes: dict[str, int]


@dataclass
class BuildResult:
    out_dir: Path
    summary: BuildSummary | None  # None when nothing was built (no input could be read)
    corpus: Corpus | None  # None when nothing was built, or when an unchanged rebuild skipped all work
    errors: list[IngestError] = field(default_factory=list)
    seconds: float = 0.0
    cache: CacheStats = field(default_factory=CacheStats)
    store: StoreUpdate | None = None  # None for a --store memory build
    unchanged: bool = False  # inputs, code and store mode as in the last build: outputs left as they were
    built_graph: Graph | None = field(default=None, repr=False)

    @property
    def graph_path(self) -> Path:
        return self.out_dir / GRAPH_FILE

    @property
    def graph(self) -> Graph:
        """The built graph; after an unchanged rebuild it is read from ``graph.nt`` when first asked for."""
        if self.built_graph is None:
            self.built_graph = bind_prefixes(Graph())
            if self.summary is not None:
                self.built_graph.parse(self.out_dir / NTRIPLES_FILE, format="nt")
        return self.built_graph

    @property
    def papers(self) -> int:
        return self.summary.papers if self.summary is not None else 0


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
    store: str = "oxigraph",
    use_cache: bool = True,
    wait: float = 0,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> BuildResult:
    """Build the knowledge graph of ``inputs`` (default: the bundled volume) into ``out_dir``.

    Inputs that cannot be read are reported in ``errors``; the rest are built. Nothing is written
    when no paper could be read, so the previous outputs stay as they were. Papers whose extraction
    is cached under ``out_dir/cache`` are not parsed again; ``store`` is "oxigraph" (the on-disk
    store ``out_dir/store``, updated graph by graph) or "memory" (no store, only the files).

    The build holds ``out_dir``'s lock throughout; another build there waits up to ``wait`` seconds
    for it, then raises ``OutputError`` (as it does when ``out_dir`` cannot be written). Inputs over
    ``max_bytes`` are refused.
    """
    started = time.perf_counter()
    with build_lock(out_dir, wait=wait):
        ingested = read_inputs(inputs or [bundled_volume()], contributor=contributor, volume=volume,
                               fail_fast=fail_fast, max_bytes=max_bytes)
        if not ingested.papers:
            return BuildResult(out_dir, None, None, ingested.errors, time.perf_counter() - started)
        log.info("read %d papers from %d volumes", len(ingested.papers), len(ingested.volumes))
        fingerprint = build_fingerprint(ingested.volumes, out_dir, model=model, store=store) if use_cache else None
        if fingerprint is not None and (previous := _unchanged_build(out_dir, fingerprint, store)) is not None:
            summary, update = previous
            log.info("nothing changed since the last build into %s; outputs left as they were", out_dir)
            return BuildResult(out_dir, summary, None, ingested.errors, time.perf_counter() - started,
                               CacheStats(cached=len(ingested.papers)), update, unchanged=True)
        corpus, cache_stats = extract_incremental(
            ingested.volumes, out_dir, model=model, n_process=n_process, use_cache=use_cache
        )
        graph = assemble(corpus)
        log.info("writing outputs into %s", out_dir)
        # Gone until this build is complete: a killed build must not leave a manifest vouching for old outputs.
        (out_dir / BUILD_MANIFEST).unlink(missing_ok=True)
        write_insights(graph, corpus, out_dir)  # analysis written back into graph, plus tables/ and report.*
        write_outputs(graph, out_dir)
        if store == "memory":
            drop_store(out_dir)
            update = None
        else:
            update = write_store(graph, out_dir)
        summary = BuildSummary(len(set(graph.subjects(RDF.type, PKG.Paper))), len(graph), class_counts(graph))
        # Taken again now that every paper's extraction is in the cache.
        fingerprint = build_fingerprint(ingested.volumes, out_dir, model=model, store=store)
        write_atomic(out_dir / BUILD_MANIFEST, json.dumps(
            {"fingerprint": fingerprint, "store": store, "summary": asdict(summary)}, indent=1, sort_keys=True))
        return BuildResult(out_dir, summary, corpus, ingested.errors, time.perf_counter() - started, cache_stats,
                           update, built_graph=graph)


def _unchanged_build(out_dir: Path, fingerprint: str, store: str) -> tuple[BuildSummary, StoreUpdate | None] | None:
    """The summary (and store state) of the last build into ``out_dir`` if it was built from the very same, else None.

    Only when every output of that build is still there: a deleted report or store means a real build.
    """
    try:
        manifest = json.loads((out_dir / BUILD_MANIFEST).read_text(encoding="utf-8"))
        summary = BuildSummary(**manifest["summary"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if manifest.get("fingerprint") != fingerprint or not all((out_dir / name).exists() for name in _OUTPUTS):
        return None
    if store == "memory":
        return (summary, None) if not has_store(out_dir) else None
    try:
        graphs = json.loads((out_dir / STORE_MANIFEST).read_text(encoding="utf-8"))["graphs"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return (summary, StoreUpdate(unchanged=len(graphs))) if has_store(out_dir) else None


def write_outputs(graph: Graph, out_dir: Path) -> None:
    """Write ``graph.ttl`` (and the sorted N-Triples used to compare builds) atomically.

    When the sorted N-Triples are those already on disk the files are left alone: a rebuild with
    nothing changed then skips writing them again.
    """
    canonical = sorted_ntriples(graph)
    nt_path, ttl_path = out_dir / NTRIPLES_FILE, out_dir / GRAPH_FILE
    if ttl_path.exists() and nt_path.exists() and nt_path.read_text(encoding="utf-8") == canonical:
        return
    # Streamed into the temporary file: the Turtle text of a large graph is never held in memory.
    write_atomic_stream(ttl_path, lambda handle: write_turtle(graph, canonical, handle))
    write_atomic(nt_path, canonical)


def load_graph(path: Path, *, with_ontology: bool = True) -> Graph:
    """Load a built graph, by default with the ontology so queries can use class and property labels."""
    graph = load_ontology() if with_ontology else bind_prefixes(Graph())
    return graph.parse(path, format="turtle")
