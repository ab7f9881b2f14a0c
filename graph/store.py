"""The graph store: an embedded on-disk Oxigraph store (default) or rdflib's in-memory graph.

The on-disk store (``OUT/store/``) holds one named graph per paper, one for what is shared across
papers (volumes, resolved entities, people), one for the cross-paper analysis and one for the
ontology and theme scheme, so that a paper can be replaced without touching the rest. A build
works on a copy of the last store (a RocksDB checkpoint: hard links, no data copied), rewrites
only the named graphs whose content changed, and then swaps the copy in: ``OUT/store`` is a
symbolic link replaced in one rename, so readers see the old store or the new one, never half a build.

Readers get an rdflib ``Dataset`` over the store (through oxrdflib) whose default graph is the union
of all named graphs: SPARQL is then evaluated by Oxigraph, not by rdflib's pure-Python engine.
"""
from __future__ import annotations

import hashlib
import json
import logging
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Dataset, Graph, URIRef
from rdflib.term import Node

from .assemble import bind_prefixes, load_ontology
from .assemble.ntriples import Triple, ntriples_lines
from .assemble.rdf import CORPUS_GRAPH, ONTOLOGY_GRAPH, paper_graph
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



class StoreError(RuntimeError):
    """The store cannot be opened or read; the message names the folder and the cause."""


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


class StoreBuilder:
    """Writes a build's named graphs into a copy of the store, then swaps the copy in (``commit``).

    With ``keep=False`` (a ``--store memory`` build) the copy is a scratch store that ``commit``
    deletes, and any store left by an earlier build is dropped: readers then fall back to ``graph.ttl``.
    Either way ``store`` answers queries over what has been put so far, during the build.
    """

    def __init__(self, out_dir: Path, *, keep: bool = True) -> None:
        self.out_dir, self.keep = out_dir, keep
        out_dir.mkdir(parents=True, exist_ok=True)
        _remove_stale_copies(out_dir)
        self.path = Path(tempfile.mkdtemp(prefix=_COPY_PREFIX, dir=out_dir))
        self.path.rmdir()  # a checkpoint, like a new store, is made in a folder that does not exist yet
        self.previous = _read_manifest(out_dir) if keep else {}
        try:
            if keep and has_store(out_dir):
                ox.Store(str(store_path(out_dir))).backup(str(self.path))
            self._store = ox.Store(str(self.path))
        except OSError as error:
            raise StoreError(f"{store_path(out_dir)}: cannot open the store: {error}") from error
        self.present = set(named_graphs(self._store))
        self.set_aside: set[str] = set()  # graphs of the last build not put yet, taken out of the copy
        self.digests: dict[str, str] = {}
        self.update = StoreUpdate()
        self._pending: list[str] = []  # N-Quads lines put but not loaded yet
        self._pending_graphs: set[str] = set()  # the graphs they are in

    @property
    def store(self) -> ox.Store:
        """The copy, with every graph put so far loaded into it."""
        self._load_pending()
        return self._store

    def put(self, name: URIRef, lines: list[str]) -> None:
        """Make the named graph ``name`` hold the sorted N-Triples ``lines`` (the ontology graph: with the ontology).

        The lines are gathered and loaded in batches (see ``_load_pending``), before the store is read.
        """
        if name == ONTOLOGY_GRAPH:
            lines = sorted(set(lines) | set(ntriples_lines(ontology_graph())))
        key = str(name)
        self.digests[key] = digest(lines)
        unchanged = self.previous.get(key) == self.digests[key]
        if key in self.present and unchanged:
            self.update.unchanged += 1
            return
        if key in self.present:
            if key in self._pending_graphs:
                self._load_pending()  # put twice: what was put first goes before it is replaced
            self._store.remove_graph(ox.NamedNode(key))
        suffix = f"<{key}> ."
        self._pending.extend(line[:-1] + suffix for line in lines)  # "<s> <p> <o> ." → "<s> <p> <o> <g> ."
        self._pending_graphs.add(key)
        if len(self._pending) >= _LOAD_EVERY:
            self._load_pending()
        if key in self.set_aside and unchanged:
            self.update.unchanged += 1
        else:
            self.update.replaced.append(key)
        self.present.add(key)

    def _load_pending(self) -> None:
        """Load the gathered lines: a large batch with the bulk loader, which writes sorted files straight to disk
        (about twice as fast per triple, and nothing left in memory to flush), a small one in a transaction (the
        bulk loader costs about 0.1 s a call, however little it loads)."""
        if not self._pending:
            return
        data = "\n".join(self._pending).encode("utf-8")
        if len(self._pending) >= _BULK_FROM:
            self._store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        else:
            self._store.load(data, format=ox.RdfFormat.N_QUADS)
        self._pending, self._pending_graphs = [], set()

    def prune(self) -> None:
        """Take out of the copy every graph not put so far, so that reading it now reads only this build."""
        for name in sorted(self.present - set(self.digests)):
            self._store.remove_graph(ox.NamedNode(name))
            self.set_aside.add(name)
        self.present &= set(self.digests)

    def commit(self) -> StoreUpdate:
        """Drop the graphs no longer put, and swap the copy in (or, with ``keep=False``, delete it)."""
        self.prune()
        self.update.dropped = sorted(self.set_aside - set(self.digests))
        if self.keep:
            self._load_pending()
            # compacts what the loads wrote into few sorted files: a quarter smaller, and queries read 10-25 %
            # faster at ×50 (measured), for well under a second's work
            self._store.optimize()
        self._store.flush()
        del self._store  # releases the copy's lock before anyone else opens it
        if not self.keep:
            shutil.rmtree(self.path, ignore_errors=True)
            drop_store(self.out_dir)
            return self.update
        # Gone until the swap is done: a killed build must not leave a manifest vouching for another store.
        (self.out_dir / MANIFEST).unlink(missing_ok=True)
        _swap_in(self.path, store_path(self.out_dir))
        write_atomic(self.out_dir / MANIFEST, json.dumps({"graphs": self.digests}, indent=1, sort_keys=True))
        log.info("store: %d graphs replaced, %d dropped, %d unchanged",
                 len(self.update.replaced), len(self.update.dropped), self.update.unchanged)
        return self.update

    def abandon(self) -> None:
        """Delete the copy: the build failed, the last good store stays as it was."""
        if hasattr(self, "_store"):  # not after a commit, which has closed it
            del self._store  # closes the copy before it is deleted
        shutil.rmtree(self.path, ignore_errors=True)


_COPY_PREFIX = ".store-"
# Triples gathered before they are loaded into the copy: a few of the bundled volume's worth.
_LOAD_EVERY = 100_000
# Fewer triples than this are loaded in a transaction, more by the bulk loader.
_BULK_FROM = 10_000


def _swap_in(copy: Path, link: Path) -> None:
    """Point ``link`` at ``copy`` in one rename, then delete what it pointed at before."""
    old = link.resolve() if link.is_symlink() else None
    temporary = link.with_name(f"{copy.name}.link")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(copy.name)
    if link.exists() and not link.is_symlink():  # a store from before stores were swapped in: a real folder
        legacy = link.with_name(f"{copy.name}.old")
        link.rename(legacy)
        old = legacy
    temporary.replace(link)
    if old is not None and old != copy.resolve():
        shutil.rmtree(old, ignore_errors=True)


def _remove_stale_copies(out_dir: Path) -> None:
    """Copies and links left by a killed build (the build lock is held: no other build is writing one)."""
    current = store_path(out_dir).resolve() if store_path(out_dir).is_symlink() else None
    for path in out_dir.glob(f"{_COPY_PREFIX}*"):
        if path.resolve() == current:
            continue
        if path.is_symlink() or path.is_file():
            path.unlink(missing_ok=True)
        else:
            shutil.rmtree(path, ignore_errors=True)


def write_store(graph: Graph, out_dir: Path) -> StoreUpdate:
    """Bring ``OUT/store/`` up to date with a whole graph in memory, split into named graphs by ``partition``."""
    ontology = ontology_graph()
    builder = StoreBuilder(out_dir)
    try:
        for name, triples in sorted(partition(graph, ontology).items()):
            builder.put(name, ntriples_lines(triples))
        builder.put(ONTOLOGY_GRAPH, [])
    except BaseException:
        builder.abandon()
        raise
    return builder.commit()


def drop_store(out_dir: Path) -> None:
    """Remove the on-disk store (a ``--store memory`` build), so readers do not find a stale one."""
    path = store_path(out_dir)
    if path.is_symlink():
        target = path.resolve()
        path.unlink()
        shutil.rmtree(target, ignore_errors=True)
    else:
        shutil.rmtree(path, ignore_errors=True)
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
        # imported here: oxrdflib loads rdflib's SPARQL engine, which a build never needs
        from oxrdflib import OxigraphStore

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
    if not has_store(out_dir):
        return _graph_counts(data_graph(out_dir))
    return count_classes_in(open_store(out_dir))


def count_classes_in(store: ox.Store) -> dict[str, int]:
    """``count_classes`` of a store: the build graph plus the ontology file, each triple once, so all less the file."""
    names = bind_prefixes(Graph()).namespace_manager
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
