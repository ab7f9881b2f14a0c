"""The library API behind ``policykg build``: ingest → extract → assemble → write.

The CLI is a thin layer over these functions, and the tests call them directly.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import BinaryIO

from rdflib import Graph

from .assemble import bind_prefixes, load_ontology
from .assemble.ntriples import NTriplesSorter, ntriples_lines
from .assemble.rdf import ANALYSIS_GRAPH, Assembly
from .assemble.turtle import write_turtle
from .atomic import build_lock, write_atomic, write_atomic_stream
from .cache import CacheStats, build_fingerprint, extract_incremental
from .ingest import DEFAULT_MAX_BYTES, IngestError, read_inputs
from .insights import write_insights
from .model import Corpus
from .resources import bundled_volume
from .store import MANIFEST as STORE_MANIFEST
from .store import StoreBuilder, StoreUpdate, count_classes_in, has_store

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
        with _long_lived_objects() as freeze:
            corpus, cache_stats = extract_incremental(
                ingested.volumes, out_dir, model=model, n_process=n_process, use_cache=use_cache, loaded=freeze
            )
            log.info("assembling the graph and writing outputs into %s", out_dir)
            # Gone until this build is complete: a killed build must not leave a manifest vouching for old outputs.
            (out_dir / BUILD_MANIFEST).unlink(missing_ok=True)
            summary, update = _write_graph(corpus, out_dir, keep_store=store != "memory")
        # Taken again now that every paper's extraction is in the cache.
        fingerprint = build_fingerprint(ingested.volumes, out_dir, model=model, store=store)
        write_atomic(out_dir / BUILD_MANIFEST, json.dumps(
            {"fingerprint": fingerprint, "store": store, "summary": asdict(summary)}, indent=1, sort_keys=True))
        return BuildResult(out_dir, summary, corpus, ingested.errors, time.perf_counter() - started, cache_stats,
                           update if store != "memory" else None)


@contextlib.contextmanager
def _long_lived_objects() -> Iterator[Callable[[], None]]:
    """A ``freeze()`` that leaves every object alive at that moment out of garbage collection until the block ends.

    Frozen once the spaCy pipeline is loaded: its objects outlive the build's other work, and the
    collector's full passes would otherwise walk them again and again while extraction and assembly
    make their many objects (about 0.2 s of a bundled build, half the collector's time). Objects a
    caller froze itself are left as they are: then nothing is frozen here, or unfrozen.
    """
    if gc.get_freeze_count():
        yield lambda: None
        return
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()


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


def _write_graph(corpus: Corpus, out_dir: Path, *, keep_store: bool) -> tuple[BuildSummary, StoreUpdate]:
    """Assemble the graph paper by paper into the store, analyse it there, and write every output.

    Only one paper's graph is in memory at a time: each goes to the store (a copy of the last one,
    swapped in at the end) and to the sorted N-Triples as soon as it is assembled. The analysis reads
    the store. ``graph.nt`` and ``graph.ttl`` are replaced only when their content changed.
    """
    assembly = Assembly(corpus)
    store = StoreBuilder(out_dir, keep=keep_store)
    try:
        prefixes = {prefix: str(namespace) for prefix, namespace in bind_prefixes(Graph()).namespaces()}
        sorter = NTriplesSorter(out_dir, prefixes)
        for name, graph in assembly.graphs():
            lines = ntriples_lines(graph)
            del graph  # this paper's triples go before the next paper's are assembled
            sorter.add(lines)
            store.put(name, lines)
        store.prune()  # the analysis reads this build's graphs only, not those of vanished papers or the last analysis
        insights = write_insights(store.store, corpus, out_dir)  # tables/ and report.*
        lines = ntriples_lines(assembly.analysis_graph(insights.analysis))
        sorter.add(lines)
        store.put(ANALYSIS_GRAPH, lines)
        classes = count_classes_in(store.store)
        classes.pop("triples")
        triples = _write_ntriples(sorter, out_dir)
    except BaseException:
        store.abandon()
        raise
    update = store.commit()
    return BuildSummary(classes.get("pkg:Paper", 0), triples, classes), update


def _write_ntriples(sorter: NTriplesSorter, out_dir: Path) -> int:
    """Write ``graph.nt`` (sorted N-Triples) and ``graph.ttl`` atomically, unless ``graph.nt`` is already this; count triples."""
    nt_path, ttl_path = out_dir / NTRIPLES_FILE, out_dir / GRAPH_FILE
    triples = 0
    checksum = hashlib.sha256()

    def write(handle: BinaryIO) -> None:
        nonlocal triples
        for line in sorter.lines():
            data = line.encode("utf-8")
            handle.write(data)
            checksum.update(data)
            triples += 1

    # Named like write_atomic's temporaries, so that a build killed meanwhile leaves nothing the next one keeps.
    fd, scratch = tempfile.mkstemp(prefix=f".{NTRIPLES_FILE}.", suffix=".tmp", dir=out_dir)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        if ttl_path.exists() and nt_path.exists() and _sha256(nt_path) == checksum.hexdigest():
            return triples  # the same graph as last time: both files stay as they are
        write_atomic_stream(ttl_path, lambda handle: write_turtle(Path(scratch), sorter.prefixes(), handle))
        write_atomic_stream(nt_path, lambda handle: _copy(Path(scratch), handle))
    finally:
        Path(scratch).unlink(missing_ok=True)
    return triples


def _sha256(path: Path) -> str:
    checksum = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            checksum.update(block)
    return checksum.hexdigest()


def _copy(path: Path, handle: BinaryIO) -> None:
    with path.open("rb") as source:
        shutil.copyfileobj(source, handle, 1 << 20)


def load_graph(path: Path, *, with_ontology: bool = True) -> Graph:
    """Load a built graph, by default with the ontology so queries can use class and property labels."""
    graph = load_ontology() if with_ontology else bind_prefixes(Graph())
    return graph.parse(path, format="turtle")
