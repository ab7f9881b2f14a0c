"""``policykg export``: the built graph in exchange formats.

RDF formats come from the store (TriG keeps the named graphs: one per paper, the corpus, the
ontology); JSON-LD is compacted with ``ontology/context.jsonld``; GraphML, GEXF and the CSV edge
list are the drawable graph (labelled nodes and the relations between them) as networkx writes it.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..analysis.exchange import edge_rows, gexf, graphml
from ..assemble import sorted_ntriples
from ..assemble.view import full_view
from ..resources import ontology_path
from ..store import StoreError, data_graph, dataset_trig, has_store
from .tabular import render

EXPORT_FORMATS = ("ttl", "nt", "jsonld", "trig", "graphml", "gexf", "csv")
CONTEXT_FILE = "context.jsonld"


def jsonld_context() -> dict:
    return json.loads(ontology_path(CONTEXT_FILE).read_text(encoding="utf-8"))["@context"]


def export(out_dir: Path, fmt: str) -> bytes:
    """The graph built into ``out_dir`` in ``fmt`` (one of EXPORT_FORMATS)."""
    if fmt == "trig":
        if not has_store(out_dir):
            raise StoreError(f"{out_dir}: trig export needs the named graphs of the oxigraph store; build without --store memory")
        return dataset_trig(out_dir)
    if fmt in ("graphml", "gexf", "csv"):
        view = full_view(data_graph(out_dir, with_ontology=True))
        if fmt == "graphml":
            return graphml(view)
        if fmt == "gexf":
            return gexf(view)
        columns, rows = edge_rows(view)
        return render(columns, rows, "csv").encode()
    graph = data_graph(out_dir)
    if fmt == "nt":
        return sorted_ntriples(graph).encode()
    if fmt == "ttl":
        return graph.serialize(format="turtle", encoding="utf-8")
    if fmt == "jsonld":
        return graph.serialize(format="json-ld", context=jsonld_context(), auto_compact=True, encoding="utf-8")
    raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
