"""The graph as networkx writes it for Gephi and other network tools: GraphML, GEXF and an edge list."""
from __future__ import annotations

import io

import networkx as nx

from ..model import GraphView
from .projection import to_networkx


def _plain(view: GraphView) -> nx.MultiDiGraph:
    """The view's multigraph with only string and number attributes, which every format accepts."""
    graph = to_networkx(view)
    for node in view.nodes:
        graph.nodes[node.id]["aliases"] = "; ".join(node.aliases)
        graph.nodes[node.id]["recurrence"] = node.recurrence
    return graph


def graphml(view: GraphView) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(_plain(view), buffer, encoding="utf-8")
    return buffer.getvalue()


def gexf(view: GraphView) -> bytes:
    buffer = io.BytesIO()
    nx.write_gexf(_plain(view), buffer, encoding="utf-8")
    return buffer.getvalue()


def edge_rows(view: GraphView) -> tuple[list[str], list[list[object]]]:
    """Columns and rows of an edge list with both ends' labels and kinds (Gephi reads Source/Target)."""
    graph = _plain(view)
    rows = [
        [source, target, data["relation"], data["weight"], graph.nodes[source]["label"], graph.nodes[source]["kind"],
         graph.nodes[target]["label"], graph.nodes[target]["kind"]]
        for source, target, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1], e[2]["relation"]))
    ]
    return ["Source", "Target", "Relation", "Weight", "SourceLabel", "SourceKind", "TargetLabel", "TargetKind"], rows
