"""The networkx projection of a drawable view: degrees, node sizes, starting positions and neighbourhoods.

The starting positions computed here (a seeded force-directed layout, or rings with the themes in the
middle) are the same on every build and already readable, so the page's physics only polishes them,
for a second at most, before it stops.
"""
from __future__ import annotations

import difflib
import math
from dataclasses import replace

import networkx as nx

from ..model import GraphView, ViewNode

MIN_SIZE = 8.0
MAX_SIZE = 40.0
# Radius of the ring of themes, in the page's drawing units.
_RING = 300.0
LAYOUT_ITERATIONS = 80
LAYOUT_SEED = 7


class NodeNotFound(LookupError):
    """No node of the asked class has that label or alias; the message lists the nearest ones."""


def to_networkx(view: GraphView) -> nx.MultiDiGraph:
    """The view as a directed multigraph: node attributes kind/label, edge attributes relation/weight."""
    graph = nx.MultiDiGraph()
    for node in view.nodes:
        graph.add_node(node.id, kind=node.kind, label=node.label)
    for edge in view.edges:
        graph.add_edge(edge.source, edge.target, relation=edge.relation, weight=edge.weight)
    return graph


def _sizes(graph: nx.MultiDiGraph) -> dict[str, float]:
    degrees = dict(graph.degree())
    top = max(degrees.values(), default=0) or 1
    # Square root: area, not radius, should grow with the degree, or hubs would swamp the page.
    return {node: MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt(degree / top) for node, degree in degrees.items()}


def _ring(nodes: list[str], radius: float) -> dict[str, tuple[float, float]]:
    count = max(len(nodes), 1)
    return {
        node: (radius * math.cos(2 * math.pi * i / count), radius * math.sin(2 * math.pi * i / count))
        for i, node in enumerate(nodes)
    }


def _themes_positions(view: GraphView, graph: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Themes on an inner ring; each contributor outside it, towards the themes it weighs most."""
    themes = sorted(node.id for node in view.nodes if node.kind == "Theme")
    inner = _RING * max(1.0, len(themes) / 12)
    positions = _ring(themes, inner)
    others = sorted(node.id for node in view.nodes if node.id not in positions)
    outer = []
    for node in others:
        pulls = [(positions[t][0] * w, positions[t][1] * w) for _, t, w in graph.out_edges(node, data="weight") if t in positions]
        x, y = sum(p[0] for p in pulls), sum(p[1] for p in pulls)
        outer.append((math.atan2(y, x) if pulls else 0.0, node))
    outer.sort()
    radius = inner * 2.2
    # Spread evenly around the ring in the order of their preferred angles, so none overlap.
    count = max(len(outer), 1)
    for i, (_, node) in enumerate(outer):
        angle = outer[0][0] + 2 * math.pi * i / count
        positions[node] = (radius * math.cos(angle), radius * math.sin(angle))
    return positions


def _force_positions(graph: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """A force-directed layout of the graph's core, with leaves around the node they hang from.

    Most nodes of a mention graph are leaves (named once, in one paper). Laying out only the nodes with
    two or more neighbours (ForceAtlas2, fixed seed) is several times faster, and leaves drawn as a ring
    around their one neighbour read better than leaves scattered by forces. Unlinked nodes go on an
    outer ring.
    """
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from(sorted((u, v) for u, v in graph.edges() if u != v))
    core = sorted(node for node in simple if simple.degree(node) > 1)
    if len(core) < 2:  # a star or a handful of pairs: the hub in the middle
        core = sorted(simple, key=lambda node: (-simple.degree(node), node))[:1]
    raw = nx.forceatlas2_layout(simple.subgraph(core), max_iter=LAYOUT_ITERATIONS, seed=LAYOUT_SEED, scaling_ratio=2.0)
    span = max((max(abs(float(x)), abs(float(y))) for x, y in raw.values()), default=0.0) or 1.0
    # About 70 units of room per node along each axis of a square holding them all.
    scale = 35.0 * math.sqrt(len(simple)) / span if len(raw) > 1 else 1.0
    positions = {node: (float(x) * scale, float(y) * scale) for node, (x, y) in raw.items()}
    leaves: dict[str, list[str]] = {}
    isolated = []
    for node in sorted(simple):
        if node in positions:
            continue
        anchors = [n for n in simple.neighbors(node) if n in positions]
        if anchors:
            leaves.setdefault(anchors[0], []).append(node)
        else:
            isolated.append(node)
    for anchor, hanging in leaves.items():
        ax, ay = positions[anchor]
        radius = 40.0 + 12.0 * math.sqrt(len(hanging))
        positions.update({node: (ax + x, ay + y) for node, (x, y) in _ring(hanging, radius).items()})
    if isolated:
        extent = max((math.hypot(x, y) for x, y in positions.values()), default=0.0)
        positions.update(_ring(isolated, extent + 150.0))
    return positions


def measure(view: GraphView) -> GraphView:
    """The view with each node's degree, size and starting position filled in."""
    graph = to_networkx(view)
    sizes = _sizes(graph)
    positions = _themes_positions(view, graph) if view.name == "themes" else _force_positions(graph)
    nodes = [
        replace(node, degree=graph.degree(node.id), size=round(sizes.get(node.id, MIN_SIZE), 2),
                x=round(positions[node.id][0], 1), y=round(positions[node.id][1], 1))
        for node in view.nodes
    ]
    return GraphView(view.name, view.title, nodes, list(view.edges))


def find_node(view: GraphView, name: str, kinds: tuple[str, ...]) -> ViewNode:
    """The node of one of ``kinds`` whose label or an alias is ``name`` (case-insensitive), else one that contains it."""
    wanted = name.casefold().strip()
    candidates = [node for node in view.nodes if node.kind in kinds]
    for node in candidates:
        if wanted in {node.label.casefold(), *(alias.casefold() for alias in node.aliases)}:
            return node
    partial = sorted((node for node in candidates if wanted in node.label.casefold()), key=lambda n: (-n.degree, n.label))
    if partial:
        return partial[0]
    labels = sorted({node.label for node in candidates})
    close = difflib.get_close_matches(name, labels, n=5, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(label) for label in close)}?" if close else ""
    raise NodeNotFound(f"no {' or '.join(kinds)} named {name!r} in the graph ({len(labels)} there){hint}")


def neighbourhood(view: GraphView, centre: ViewNode, radius: int = 1, name: str = "focus") -> GraphView:
    """The nodes within ``radius`` links of ``centre`` (either direction) and the edges among them."""
    graph = to_networkx(view)
    kept = set(nx.ego_graph(graph.to_undirected(as_view=True), centre.id, radius=radius).nodes)
    nodes = [node for node in view.nodes if node.id in kept]
    edges = [edge for edge in view.edges if edge.source in kept and edge.target in kept]
    return GraphView(name, f"{centre.label} and its neighbours", nodes, edges)
