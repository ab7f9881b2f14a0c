"""Themes in RDF: the SKOS scheme, weighted paper themes, and the write-back of cross-contributor analysis.

Also reads a built graph back into the plain ``GraphFacts`` the analysis stage works on, so that a
report made later from ``graph.ttl`` sees exactly what SPARQL sees.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from functools import cache, lru_cache

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from ..model import (
    Analysis,
    Citation,
    Corpus,
    EmergingTheme,
    EntityLink,
    Evidence,
    GraphFacts,
    PaperInfo,
    PaperTheme,
    StatementInfo,
    ThemeInfo,
)
from ..resources import ontology_path
from .vocab import ID, PKG

THEMES_FILE = "themes.ttl"


class UnknownTheme(KeyError):
    """A theme notation that the scheme does not define."""


@lru_cache(maxsize=1)
def theme_scheme() -> Graph:
    """The theme scheme as shipped in ``ontology/themes.ttl`` (parsed once)."""
    return Graph().parse(ontology_path(THEMES_FILE), format="turtle")


def theme_iris(scheme: Graph | None = None) -> dict[str, URIRef]:
    """Theme IRIs by notation."""
    scheme = scheme if scheme is not None else theme_scheme()
    return {str(code): iri for iri, code in scheme.subject_objects(SKOS.notation) if (iri, RDF.type, PKG.Theme) in scheme}


@lru_cache(maxsize=1)
def _shipped_theme_iris() -> dict[str, URIRef]:
    return theme_iris()


def theme_iri(code: str) -> URIRef:
    try:
        return _shipped_theme_iris()[code]
    except KeyError:
        raise UnknownTheme(f"theme {code!r} is not in {THEMES_FILE}; add it there and to theme_patterns.toml") from None


def add_theme_scheme(graph: Graph) -> None:
    """Copy the theme scheme into ``graph``, so the built graph is self-contained for theme queries."""
    for triple in theme_scheme():
        graph.add(triple)


def add_paper_themes(graph: Graph, corpus: Corpus, evidence: Callable[[URIRef, Evidence], URIRef]) -> None:
    """``pkg:hasTheme`` for every assigned theme, qualified by a ``pkg:ThemeAssignment`` with weight and evidence."""
    for extraction in corpus.extractions:
        paper = ID[f"paper/{extraction.paper.id}"]
        for assignment in extraction.themes:
            theme = theme_iri(assignment.theme)
            graph.add((paper, PKG.hasTheme, theme))
            node = URIRef(f"{paper}/theme/{assignment.theme}")
            graph.add((paper, PKG.themeAssignment, node))
            graph.add((node, RDF.type, PKG.ThemeAssignment))
            graph.add((node, PKG.theme, theme))
            graph.add((node, PKG.weight, Literal(f"{assignment.weight:.1f}", datatype=XSD.decimal)))
            graph.add((node, PKG.central, Literal(assignment.central)))
            graph.add((node, PKG.count, Literal(assignment.sentences, datatype=XSD.integer)))
            for quote in assignment.evidence:
                evidence(node, quote)


# ------------------------------------------------------------------------------------ reading back


class _TripleIndex:
    """The few lookups ``read_facts`` makes, answered from dictionaries built in one pass over the graph.

    ``read_facts`` asks hundreds of thousands of (subject, predicate) questions; rdflib's store answers
    each through several layers of Python, so indexing once first is many times faster.
    """

    def __init__(self, graph: Graph) -> None:
        self._objects: dict[tuple, list] = defaultdict(list)
        self._pairs: dict[URIRef, list[tuple]] = defaultdict(list)
        for s, p, o in graph:
            self._objects[(s, p)].append(o)
            self._pairs[p].append((s, o))

    def value(self, subject: object, predicate: URIRef) -> object | None:
        found = self._objects.get((subject, predicate))
        return found[0] if found else None

    def objects(self, subject: object, predicate: URIRef) -> Iterator:
        return iter(self._objects.get((subject, predicate), ()))

    def subjects(self, predicate: URIRef, obj: object) -> Iterator:
        return (s for s, o in self._pairs.get(predicate, ()) if o == obj)

    def subject_objects(self, predicate: URIRef) -> Iterator[tuple]:
        return iter(self._pairs.get(predicate, ()))


def _paper_id(paper: URIRef) -> str:
    return str(paper).rsplit("/paper/", 1)[-1]


def _label(graph: "Graph | _TripleIndex", node: URIRef) -> str:
    for prop in (RDFS.label, SKOS.prefLabel):
        value = graph.value(node, prop)
        if value is not None:
            return str(value)
    return str(node).rsplit("/", 1)[-1]


def _evidence(graph: "Graph | _TripleIndex", node: URIRef) -> tuple[Evidence, ...]:
    quotes = []
    for iri in graph.objects(node, PKG.evidence):
        paper = graph.value(iri, PKG.statedIn)
        start, end, quote = (graph.value(iri, p) for p in (PKG.charStart, PKG.charEnd, PKG.quote))
        if paper is None or start is None or end is None or quote is None:
            continue
        page = graph.value(iri, PKG.page)
        quotes.append(Evidence(_paper_id(paper), int(start), int(end), str(quote), None if page is None else int(page)))
    return tuple(sorted(quotes, key=lambda e: (e.paper_id, e.start)))


def read_facts(graph: Graph) -> GraphFacts:
    """The themes, papers, statements and citations of a built graph, as plain data."""
    graph = _TripleIndex(graph)  # type: ignore[assignment]  # answers the same lookups as the Graph
    themes = sorted(
        (
            ThemeInfo(str(code), _label(graph, iri), str(iri), tuple(sorted(str(a) for a in graph.objects(iri, SKOS.altLabel))))
            for iri in graph.subjects(RDF.type, PKG.Theme)
            if (code := graph.value(iri, SKOS.notation)) is not None
        ),
        key=lambda t: t.code,
    )
    code_of = {t.iri: t.code for t in themes}
    papers, contributor_of = [], {}
    for paper in sorted(graph.subjects(RDF.type, PKG.Paper)):
        company = graph.value(paper, PKG.contributedBy)
        contributor = _label(graph, company) if company is not None else None
        volume = graph.value(paper, DCTERMS.isPartOf)
        contributor_of[paper] = contributor
        papers.append(
            PaperInfo(_paper_id(paper), _label(graph, paper), _label(graph, volume) if volume is not None else "", contributor)
        )
    paper_themes = []
    for paper, node in sorted(graph.subject_objects(PKG.themeAssignment)):
        theme = graph.value(node, PKG.theme)
        if theme is None or str(theme) not in code_of:
            continue
        paper_themes.append(
            PaperTheme(
                _paper_id(paper), contributor_of.get(paper), code_of[str(theme)],
                float(graph.value(node, PKG.weight) or 0), bool((graph.value(node, PKG.central) or Literal(False)).toPython()),
                _evidence(graph, node),
            )
        )
    statements = []
    for kind in (PKG.Recommendation, PKG.Commitment):
        for node in sorted(graph.subjects(RDF.type, kind)):
            paper = graph.value(node, PKG.statedIn)
            quotes = _evidence(graph, node)
            statements.append(
                StatementInfo(
                    str(node), str(kind).rsplit("#", 1)[-1], _paper_id(paper) if paper else "", contributor_of.get(paper),
                    str(graph.value(node, PKG.text) or _label(graph, node)),
                    tuple(sorted(code_of[str(t)] for t in graph.objects(node, PKG.addresses) if str(t) in code_of)),
                    quotes[0] if quotes else None,
                )
            )
    citations = []

    @cache
    def evidence_by_paper(entity: URIRef) -> dict[str, tuple[Evidence, ...]]:
        # Read once per entity, not once per paper citing it: a place cited by every paper has evidence in each.
        grouped: dict[str, list[Evidence]] = defaultdict(list)
        for quote in _evidence(graph, entity):
            grouped[quote.paper_id].append(quote)
        return {paper_id: tuple(quotes) for paper_id, quotes in grouped.items()}

    for paper in sorted(contributor_of):
        for entity in sorted(graph.objects(paper, PKG.mentions)):
            classes = sorted(str(c).rsplit("#", 1)[-1] for c in graph.objects(entity, RDF.type) if str(c).startswith(str(PKG._NS)))
            kind = "Company" if "Company" in classes else classes[0] if classes else "Thing"
            paper_id = _paper_id(paper)
            quotes = evidence_by_paper(entity).get(paper_id, ())
            citations.append(Citation(paper_id, contributor_of[paper], str(entity), kind, _label(graph, entity), quotes))
    links = [
        EntityLink(
            str(s), str(p).rsplit("#", 1)[-1], str(o), _label(graph, o) if isinstance(o, URIRef) else str(o), _label(graph, s)
        )
        for p in (PKG.targets, PKG.operatesIn)
        for s, o in sorted(graph.subject_objects(p))
    ]
    emerging = []
    for node in sorted(graph.subjects(RDF.type, PKG.CandidateTheme)):
        emerging.append(
            EmergingTheme(
                str(graph.value(node, SKOS.notation) or node), _label(graph, node),
                tuple(sorted(_label(graph, c) for c in graph.objects(node, PKG.raisedBy))), _evidence(graph, node),
            )
        )
    emerging.sort(key=lambda e: (-len(e.contributors), e.key))
    return GraphFacts(themes, papers, paper_themes, statements, citations, links, emerging)


# ------------------------------------------------------------------------------------ write-back


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def add_analysis(graph: Graph, analysis: Analysis, evidence: Callable[[URIRef, Evidence], URIRef]) -> None:
    """Write analysis results into the graph: recurrence on themes, consensus groups, clusters, candidate themes."""
    organisations = {_label(graph, o): o for o in graph.objects(None, PKG.contributedBy)}
    for row in analysis.recurrence:
        theme = theme_iri(row.theme)
        graph.add((theme, PKG.contributorCount, Literal(len(row.contributors), datatype=XSD.integer)))
        graph.add((theme, PKG.weight, Literal(f"{row.weight:.1f}", datatype=XSD.decimal)))
        for name in row.contributors:
            if name in organisations:
                graph.add((theme, PKG.raisedBy, organisations[name]))
        for quote in row.evidence:  # one per contributor counted, so `policykg explain THEME` shows the count's basis
            evidence(theme, quote)
    for group in analysis.consensus:
        node = ID[f"consensus/{group.key}"]
        graph.add((node, RDF.type, PKG.ConsensusGroup))
        graph.add((node, RDFS.label, Literal(group.label)))
        graph.add((node, PKG.contributorCount, Literal(len(group.contributors), datatype=XSD.integer)))
        for statement in group.statements:
            graph.add((node, PKG.member, URIRef(statement.id)))
            if statement.evidence is not None:
                evidence(node, statement.evidence)
            for code in statement.themes:
                graph.add((node, PKG.addresses, theme_iri(code)))
    for members in analysis.clusters:
        node = ID[f"cluster/{_digest(*members)}"]
        graph.add((node, RDF.type, PKG.ContributorCluster))
        graph.add((node, RDFS.label, Literal(", ".join(members))))
        for name in members:
            if name in organisations:
                graph.add((node, PKG.member, organisations[name]))
    for candidate in analysis.emerging:
        node = ID[f"candidate-theme/{_digest(candidate.key)}"]
        graph.add((node, RDF.type, PKG.CandidateTheme))
        graph.add((node, RDFS.label, Literal(candidate.label)))
        graph.add((node, SKOS.notation, Literal(candidate.key)))
        graph.add((node, PKG.contributorCount, Literal(len(candidate.contributors), datatype=XSD.integer)))
        for name in candidate.contributors:
            if name in organisations:
                graph.add((node, PKG.raisedBy, organisations[name]))
        for quote in candidate.evidence:
            evidence(node, quote)
    for iri, value in analysis.centrality.items():
        graph.add((URIRef(iri), PKG.centrality, Literal(f"{value:.4f}", datatype=XSD.decimal)))
