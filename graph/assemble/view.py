"""Plain-data views of a built RDF graph, for drawing: nodes with their class, label, aliases and quotes.

This is where the graph is read for the explorer; the analysis stage measures the views and the export
stage draws them, neither of them seeing RDF. Evidence and qualification nodes (mention counts, weighted
theme assignments) are not drawn as nodes: quotes go into the node they support, counts and weights
into the width of the edge they qualify.
"""
from __future__ import annotations

from collections import Counter

from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF

from ..model import GraphView, Quote, ViewEdge, ViewNode
from .vocab import ID, PKG

# When a node has several classes, the first of these names its kind (a contributor is typed both
# Company and Organization; a person is a foaf:Person).
_KIND_ORDER = (
    PKG.Company, PKG.Organization, FOAF.Person, PKG.Policy, PKG.Recommendation, PKG.Commitment, PKG.Theme,
    PKG.Technology, PKG.Industry, PKG.Target, PKG.Place, PKG.Paper, PKG.Volume,
)
# Nodes that qualify or support other nodes rather than stand for something a reader looks for.
_SUPPORT_CLASSES = frozenset({PKG.Evidence, PKG.MentionCount, PKG.ThemeAssignment, SKOS.ConceptScheme})
_LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel, DCTERMS.title, FOAF.name)
_ALIAS_PROPERTIES = (SKOS.altLabel,)
# Relations from a drawn node to a support node, which the view does not draw as edges.
_SUPPORT_RELATIONS = frozenset({PKG.evidence, PKG.mentionCount, PKG.themeAssignment})


def local_name(iri: URIRef) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _label(graph: Graph, node: URIRef) -> str | None:
    for prop in _LABEL_PROPERTIES:
        values = sorted(str(v) for v in graph.objects(node, prop) if isinstance(v, Literal))
        if values:
            return values[0]
    return None


def _kind(graph: Graph, node: URIRef) -> str | None:
    classes = set(graph.objects(node, RDF.type))
    if classes & _SUPPORT_CLASSES:
        return None
    for cls in _KIND_ORDER:
        if cls in classes:
            return local_name(cls)
    # A class added to the ontology later still gets drawn, under its own name.
    named = sorted(local_name(cls) for cls in classes if isinstance(cls, URIRef))
    return named[0] if named else None


def _relation_name(graph: Graph, predicate: URIRef) -> str:
    label = graph.value(predicate, RDFS.label)
    return str(label) if label is not None else local_name(predicate)


def _quotes(graph: Graph, node: URIRef, paper_titles: dict[URIRef, str]) -> tuple[Quote, ...]:
    quotes = []
    for evidence in graph.objects(node, PKG.evidence):
        text = graph.value(evidence, PKG.quote)
        paper = graph.value(evidence, PKG.statedIn)
        start, end = graph.value(evidence, PKG.charStart), graph.value(evidence, PKG.charEnd)
        if text is None or paper is None or start is None or end is None:
            continue
        quotes.append(Quote(local_name(paper), paper_titles.get(paper, local_name(paper)), str(text), int(start), int(end)))
    return tuple(sorted(quotes, key=lambda q: (q.paper_id, q.start, q.end)))


def _mention_counts(graph: Graph) -> dict[tuple[URIRef, URIRef], int]:
    """How often each paper mentions each entity, from the qualified mention-count records."""
    counts = {}
    for paper, record in graph.subject_objects(PKG.mentionCount):
        entity, count = graph.value(record, PKG.entity), graph.value(record, PKG.count)
        if entity is not None and count is not None:
            counts[(paper, entity)] = int(count)
    return counts


def _theme_quotes(graph: Graph, paper_titles: dict[URIRef, str]) -> dict[URIRef, tuple[Quote, ...]]:
    """A theme's quotes are those of its weighted assignments to papers, the sentences that put papers on it."""
    quotes: dict[URIRef, list[Quote]] = {}
    for assignment, theme in graph.subject_objects(PKG.theme):
        quotes.setdefault(theme, []).extend(_quotes(graph, assignment, paper_titles))
    return {theme: tuple(sorted(set(found), key=lambda q: (q.paper_id, q.start, q.end))) for theme, found in quotes.items()}


def full_view(graph: Graph, title: str = "Knowledge graph") -> GraphView:
    """Every labelled node of the graph that stands for something, and every relation between two of them."""
    kinds: dict[URIRef, str] = {}
    labels: dict[URIRef, str] = {}
    for node in set(graph.subjects(RDF.type, None)):
        # Only instances: the ontology's own classes and properties may be loaded into the same graph.
        if not isinstance(node, URIRef) or not node.startswith(ID):
            continue
        kind, label = _kind(graph, node), _label(graph, node)
        if kind is not None and label is not None:
            kinds[node], labels[node] = kind, label
    paper_titles = {node: labels[node] for node, kind in kinds.items() if kind == "Paper"}
    mention_counts = _mention_counts(graph)
    papers_mentioning: Counter[URIRef] = Counter(
        entity for paper, entity in graph.subject_objects(PKG.mentions) if paper in paper_titles
    )
    theme_quotes = _theme_quotes(graph, paper_titles)
    nodes = [
        ViewNode(
            id=str(node),
            kind=kinds[node],
            label=labels[node],
            aliases=tuple(sorted({str(a) for p in _ALIAS_PROPERTIES for a in graph.objects(node, p)} - {labels[node]})),
            quotes=_quotes(graph, node, paper_titles) + theme_quotes.get(node, ()),
            recurrence=papers_mentioning[node],
        )
        for node in sorted(kinds)
    ]
    edges = []
    for source in sorted(kinds):
        for predicate, target in sorted(graph.predicate_objects(source)):
            if target in kinds and predicate != RDF.type and predicate not in _SUPPORT_RELATIONS and target != source:
                weight = mention_counts.get((source, target), 1) if predicate == PKG.mentions else 1
                edges.append(ViewEdge(str(source), str(target), _relation_name(graph, predicate), float(weight)))
    return GraphView("full", title, nodes, edges)


def _paper_theme_weights(graph: Graph, themes: set[URIRef]) -> dict[tuple[URIRef, URIRef], float]:
    """Paper → theme weights: the qualified assignment's ``pkg:weight`` when there is one, else 1 per link."""
    weights: dict[tuple[URIRef, URIRef], float] = {}
    for paper, theme in graph.subject_objects(PKG.hasTheme):
        if theme in themes:
            weights[(paper, theme)] = 1.0
    for paper, assignment in graph.subject_objects(PKG.themeAssignment):
        theme, weight = graph.value(assignment, PKG.theme), graph.value(assignment, PKG.weight)
        if theme in themes and weight is not None:
            weights[(paper, theme)] = float(weight)
    return weights


def _theme_weights(graph: Graph, contributor_of: dict[URIRef, URIRef], themes: set[URIRef]) -> dict[tuple[URIRef, URIRef], float]:
    """Contributor → theme weights: the sum over the contributor's papers; where no paper of theirs has the
    theme, the number of their recommendations that address it."""
    weights: dict[tuple[URIRef, URIRef], float] = {}
    for (paper, theme), weight in _paper_theme_weights(graph, themes).items():
        if paper in contributor_of:
            key = (contributor_of[paper], theme)
            weights[key] = weights.get(key, 0.0) + weight
    asked: Counter[tuple[URIRef, URIRef]] = Counter()
    for recommendation, theme in graph.subject_objects(PKG.addresses):
        if theme in themes:
            for organisation in graph.subjects(PKG.recommends, recommendation):
                asked[(organisation, theme)] += 1
    for key, count in asked.items():
        weights.setdefault(key, float(count))
    return weights


def themes_view(graph: Graph, title: str = "Contributors and themes") -> GraphView:
    """Contributors and the themes they write about, edge weight = how much each contributor does."""
    full = full_view(graph, title)
    by_id = {URIRef(node.id): node for node in full.nodes}
    themes = {iri for iri, node in by_id.items() if node.kind == "Theme"}
    contributor_of = {
        paper: contributor for paper, contributor in graph.subject_objects(PKG.contributedBy) if contributor in by_id
    }
    weights = _theme_weights(graph, contributor_of, themes)
    contributors = set(contributor_of.values()) | {organisation for organisation, _ in weights}
    relation = _relation_name(graph, PKG.hasTheme)
    edges = [
        ViewEdge(str(source), str(target), relation, round(weight, 2))
        for (source, target), weight in sorted(weights.items())
    ]
    nodes = [node for iri, node in sorted(by_id.items()) if iri in themes or iri in contributors]
    return GraphView("themes", title, nodes, edges)

