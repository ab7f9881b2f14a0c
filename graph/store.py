"""The graph store: an embedded on-disk Oxigraph store (default) or rdflib's in-memory graph.

The on-disk store (``OUT/store/``) holds one named graph per paper, one for what is shared across
papers (volumes, resolved entities, people) and one for the ontology and theme scheme, so that a
paper can be replaced without touching the rest. A build writes only the named graphs whose content
changed, in one Oxigraph transaction (a SPARQL update), so readers never see half a build.

Readers get an rdflib ``Dataset`` over the store (through oxrdflib) whose default graph is the union
of all named graphs: SPARQL is then evaluated by Oxigraph, not by rdflib's pure-Python engine.
"""
from __future__ import annotations

import hashlib
import json
import logging
import shutil
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import RDF, Dataset, Graph, URIRef
from rdflib.term import Node

from .assemble import bind_prefixes, load_ontology
from .assemble.vocab import ID, PKG
from .atomic import write_atomic
from .resources import ontology_path

log = logging.getLogger(__name__)

STORE_DIR = "store"
GRAPH_FILE = "graph.ttl"
MANIFEST = "cache/store.json"
# The ontology and the theme scheme, loaded into the ontology graph when present.
ONTOLOGY_FILES = ("policykg.ttl", "themes.ttl")
BACKENDS = ("oxigraph", "memory")

CORPUS_GRAPH = ID["graph/corpus"]
ONTOLOGY_GRAPH = ID["graph/ontology"]
PAPER_GRAPH_PREFIX = str(ID["graph/paper/"])

Triple = tuple[Node, Node, Node]


class StoreError(RuntimeError):
    """The store cannot be opened or read; the message names the folder and the cause."""


def paper_graph(paper_id: str) -> URIRef:
    """Name of the graph that holds one paper's own triples."""
    return URIRef(f"{PAPER_GRAPH_PREFIX}{paper_id}")


def store_path(out_dir: Path) -> Path:
    return out_dir / STORE_DIR


# ----------------------------------------------------------------------------- partitioning


def ontology_graph() -> Graph:
    """The ontology and theme scheme as one graph."""
    graph = bind_prefixes(Graph())
    for name in ONTOLOGY_FILES:
        path = ontology_path(name)
        if path.exists():
            graph.parse(path, format="turtle")
    return graph


def partition(graph: Graph, ontology: Graph | None = None) -> dict[URIRef, set[Triple]]:
    """Split a data graph into named graphs: one per paper, the rest in the corpus graph.

    A node belongs to a paper when it is the paper, its IRI extends the paper's IRI, or it is
    ``pkg:statedIn`` the paper (statements, evidence). A triple goes to the paper owning its
    subject, else its object (so "X recommends R" travels with R's paper), else to the corpus graph.
    Triples already in ``ontology`` (the theme scheme) are left out: each triple lives in one graph.
    """
    paper_prefix = str(ID["paper/"])
    papers = {str(p): paper_graph(str(p).rsplit("/", 1)[-1]) for p in graph.subjects(RDF.type, PKG.Paper)}
    owner: dict[Node, URIRef] = {}
    for node, paper in sorted(graph.subject_objects(PKG.statedIn)):
        if str(paper) in papers:
            owner.setdefault(node, papers[str(paper)])

    def owner_of(node: Node) -> URIRef | None:
        if not isinstance(node, URIRef):
            return None
        found = owner.get(node)
        if found is None and str(node).startswith(paper_prefix):
            # the paper itself, or a node whose IRI extends the paper's (".../paper/ID/mention/…")
            paper_id = str(node)[len(paper_prefix):].split("/", 1)[0]
            found = papers.get(f"{paper_prefix}{paper_id}")
        return found

    graphs: dict[URIRef, set[Triple]] = defaultdict(set)
    for triple in graph:
        if ontology is not None and triple in ontology:
            continue
        subject, _, obj = triple
        graphs[owner_of(subject) or owner_of(obj) or CORPUS_GRAPH].add(triple)
    return dict(graphs)


def ntriples_lines(triples: Iterable[Triple]) -> list[str]:
    """Sorted N-Triples-like lines (Turtle term syntax, no prefixes): canonical for blank-node-free graphs."""
    return sorted(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in triples)


def digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


# -------------------------------------------------------------------------------- writing


@dataclass
class StoreUpdate:
    """What a build changed in the store."""

    replaced: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.replaced or self.dropped)


def _read_manifest(out_dir: Path) -> dict[str, str]:
    try:
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))["graphs"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def write_store(graph: Graph, out_dir: Path) -> StoreUpdate:
    """Bring ``OUT/store/`` up to date with ``graph``: replace changed named graphs, drop vanished ones.

    The manifest of graph digests is removed before the store is touched and written back after
    the transaction commits, so a killed build can never leave a manifest that vouches for content
    the store does not hold (a missing manifest just means every graph is rewritten).
    """
    ontology = ontology_graph()
    wanted = {name: ntriples_lines(triples) for name, triples in partition(graph, ontology).items()}
    wanted[ONTOLOGY_GRAPH] = ntriples_lines(ontology)
    digests = {str(name): digest(lines) for name, lines in wanted.items()}
    previous = _read_manifest(out_dir)
    path = store_path(out_dir)
    path.mkdir(parents=True, exist_ok=True)
    try:
        store = ox.Store(str(path))
    except OSError as error:
        raise StoreError(f"{path}: cannot open the store: {error}") from error
    present = {node.value for node in store.named_graphs()}
    update = StoreUpdate()
    operations: list[str] = []
    for name in sorted(present - set(digests)):
        operations.append(f"DROP SILENT GRAPH <{name}>")
        update.dropped.append(name)
    for name, lines in sorted(wanted.items()):
        if str(name) in present and previous.get(str(name)) == digests[str(name)]:
            update.unchanged += 1
            continue
        operations.append(f"DROP SILENT GRAPH <{name}>")
        operations.append(f"INSERT DATA {{ GRAPH <{name}> {{\n" + "\n".join(lines) + "\n} }")
        update.replaced.append(str(name))
    if operations:
        (out_dir / MANIFEST).unlink(missing_ok=True)
        store.update(" ;\n".join(operations))  # one SPARQL update: one transaction
        store.flush()
    del store  # releases the store's lock before anyone else opens it
    if operations or not (out_dir / MANIFEST).exists():
        write_atomic(out_dir / MANIFEST, json.dumps({"graphs": digests}, indent=1, sort_keys=True))
    log.info("store: %d graphs replaced, %d dropped, %d unchanged", len(update.replaced), len(update.dropped), update.unchanged)
    return update


def drop_store(out_dir: Path) -> None:
    """Remove the on-disk store (a ``--store memory`` build), so readers do not find a stale one."""
    shutil.rmtree(store_path(out_dir), ignore_errors=True)
    (out_dir / MANIFEST).unlink(missing_ok=True)


# -------------------------------------------------------------------------------- reading


def has_store(out_dir: Path) -> bool:
    return (store_path(out_dir) / "CURRENT").exists()


def open_store(out_dir: Path) -> ox.Store:
    """The on-disk store, opened read-only (several readers may have it open at once)."""
    path = store_path(out_dir)
    if not has_store(out_dir):
        raise StoreError(f"{path}: no store here; run `policykg build` first")
    try:
        return ox.Store.read_only(str(path))
    except OSError as error:
        raise StoreError(f"{path}: cannot open the store: {error}") from error


def open_graph(out_dir: Path) -> Graph:
    """The built graph for reading: the Oxigraph store as an rdflib union Dataset, else ``graph.ttl`` in memory.

    The Oxigraph-backed graph includes the ontology graph (class and property labels) like the
    in-memory one, which is the ontology plus ``graph.ttl``.
    """
    if has_store(out_dir):
        dataset = Dataset(store=OxigraphStore(store=open_store(out_dir)), default_union=True)
        return bind_prefixes(dataset)
    path = out_dir / GRAPH_FILE
    if not path.exists():
        raise StoreError(f"{path}: no graph here; run `policykg build` first")
    graph = ontology_graph()
    try:
        return graph.parse(path, format="turtle")
    except Exception as error:  # rdflib raises many kinds for a damaged file
        raise StoreError(f"{path}: cannot read the graph: {error}") from error


def named_graphs(store: ox.Store) -> list[str]:
    return sorted(node.value for node in store.named_graphs())


def graph_ntriples(store: ox.Store, name: str) -> bytes:
    """One named graph of the store as N-Triples."""
    return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name)) or b""


def data_graph(out_dir: Path, *, with_ontology: bool = False) -> Graph:
    """The built graph in memory (from the store, else ``graph.ttl``), optionally with the ontology.

    The build graph includes the theme scheme, which the store keeps in the ontology graph: from
    the store it is the union of all named graphs less the triples of the ontology file itself.
    """
    graph = ontology_graph() if with_ontology else bind_prefixes(Graph())
    if not has_store(out_dir):
        path = out_dir / GRAPH_FILE
        if not path.exists():
            raise StoreError(f"{path}: no graph here; run `policykg build` first")
        return graph.parse(path, format="turtle")
    store = open_store(out_dir)
    for name in named_graphs(store):
        if name != str(ONTOLOGY_GRAPH):
            graph.parse(data=graph_ntriples(store, name).decode("utf-8"), format="nt")
    if not with_ontology:
        graph += ontology_graph() - load_ontology()
    return graph


def dataset_trig(out_dir: Path) -> bytes:
    """The whole store, named graphs included, as TriG."""
    prefixes = {prefix: str(namespace) for prefix, namespace in bind_prefixes(Graph()).namespaces()
                if prefix in ("pkg", "id", "rdfs", "skos", "dcterms", "foaf", "org", "prov", "owl", "xsd")}
    return open_store(out_dir).dump(format=ox.RdfFormat.TRIG, prefixes=prefixes) or b""


def count_classes(out_dir: Path) -> dict[str, int]:
    """Nodes per class (prefixed class name) of the built graph, and its number of triples."""
    names = bind_prefixes(Graph()).namespace_manager
    if not has_store(out_dir):
        return _graph_counts(data_graph(out_dir))
    # The store is the build graph plus the ontology file, each triple once: count all, less the file.
    store = open_store(out_dir)
    counts: dict[str, int] = {}
    for row in store.query("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c",
                           use_default_graph_as_union=True):
        counts[names.normalizeUri(URIRef(row["c"].value))] = int(row["n"].value)
    triples = next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))["n"].value
    in_file = _graph_counts(load_ontology())
    counts["triples"] = int(triples) - in_file.pop("triples")
    for name, count in in_file.items():
        counts[name] = counts.get(name, 0) - count
    return {name: count for name, count in sorted(counts.items()) if count or name == "triples"}


def _graph_counts(graph: Graph) -> dict[str, int]:
    names = bind_prefixes(Graph()).namespace_manager
    counts = {names.normalizeUri(cls): len(set(graph.subjects(RDF.type, cls))) for cls in set(graph.objects(None, RDF.type))}
    return dict(sorted(counts.items())) | {"triples": len(graph)}
