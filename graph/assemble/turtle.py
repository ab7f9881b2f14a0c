"""Turtle text of a built graph, written by Oxigraph's serialiser (Rust) rather than rdflib's.

rdflib's Turtle serialiser spends seconds on a graph of the bundled volume's size; Oxigraph writes
the same triples in milliseconds. It is fed the canonical sorted N-Triples, so subjects come out
grouped and in a fixed order: the same graph always gives the same Turtle bytes.
"""
from __future__ import annotations

import re
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Graph


def used_prefixes(graph: Graph, ntriples: str) -> dict[str, str]:
    """The graph's bound prefixes worth writing: used in ``ntriples``, and only with plain local names.

    A namespace under which some IRI goes on with a "/" (``id:paper/…``) is left out: Oxigraph would
    write such names with escapes (``id:paper\\/…``), valid Turtle but hard to read, so they stay full IRIs.
    """
    prefixes = {}
    for prefix, namespace in sorted(graph.namespace_manager.namespaces()):
        locals_ = re.findall(f"<{re.escape(str(namespace))}([^>]*)>", ntriples)
        if prefix and locals_ and not any("/" in local for local in locals_):
            prefixes[prefix] = str(namespace)
    return prefixes


def write_turtle(graph: Graph, ntriples: str, handle: BinaryIO) -> None:
    """Write ``ntriples`` (the sorted N-Triples of ``graph``) to ``handle`` as Turtle with ``graph``'s prefixes."""
    triples = ox.parse(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    ox.serialize(triples, handle, format=ox.RdfFormat.TURTLE, prefixes=used_prefixes(graph, ntriples))
