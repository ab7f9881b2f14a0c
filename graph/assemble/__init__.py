"""Assembly: the only stage that knows RDF. Turns extracted plain data into an rdflib graph."""
from __future__ import annotations

from .rdf import assemble, bind_prefixes, load_ontology, sorted_ntriples
from .vocab import ID, PKG

__all__ = ["ID", "PKG", "assemble", "bind_prefixes", "load_ontology", "sorted_ntriples"]
