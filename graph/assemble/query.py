"""SPARQL over a policykg graph, with the usual prefixes predeclared."""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.query import Result

from .vocab import ID, PKG

PREFIXES = {
    "pkg": str(PKG._NS),
    "id": str(ID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "org": str(ORG),
    "prov": str(PROV),
}


class QueryError(ValueError):
    """A query that does not parse; the message is the parser's."""


@dataclass
class Table:
    """A query answer as plain data: column names and rows of strings (None for unbound)."""

    columns: list[str]
    rows: list[list[str | None]]


def oxigraph_copy(graph: Graph) -> ox.Store:
    """A copy of ``graph`` in an in-memory Oxigraph store, for reads that rdflib's SPARQL engine is too slow for."""
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def prologue() -> str:
    return "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())


def run_query(graph: Graph, sparql: str) -> Table:
    """Run a SELECT, ASK or CONSTRUCT/DESCRIBE query and return its answer as a table."""
    try:
        result: Result = graph.query(prologue() + sparql)
    except Exception as error:  # rdflib raises pyparsing errors and others from the parser
        raise QueryError(str(error).splitlines()[0] if str(error) else type(error).__name__) from error
    if result.type == "ASK":
        return Table(["ask"], [[str(bool(result.askAnswer)).lower()]])
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return Table(["subject", "predicate", "object"], [[str(t) for t in triple] for triple in result])
    columns = [str(v) for v in result.vars]
    return Table(columns, [[None if value is None else str(value) for value in row] for row in result])
