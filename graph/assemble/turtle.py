"""Turtle text of a built graph, written by Oxigraph's serialiser (Rust) rather than rdflib's.

rdflib's Turtle serialiser spends seconds on a graph of the bundled volume's size; Oxigraph writes
the same triples in milliseconds, streaming. It is fed the canonical sorted N-Triples file, so
subjects come out grouped and in a fixed order: the same graph always gives the same Turtle bytes.
"""
from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox


def write_turtle(ntriples: Path, prefixes: dict[str, str], handle: BinaryIO) -> None:
    """Write the sorted N-Triples file ``ntriples`` to ``handle`` as Turtle with ``prefixes``, triple by triple."""
    triples = ox.parse(path=ntriples, format=ox.RdfFormat.N_TRIPLES)
    ox.serialize(triples, handle, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
