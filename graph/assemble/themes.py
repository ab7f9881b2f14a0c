"""Themes in RDF: the SKOS scheme, weighted paper themes, and the write-back of cross-contributor analysis.

Also reads a built graph back into the plain ``GraphFacts`` the analysis stage works on, so that a
report made later from ``graph.ttl`` sees exactly what SPARQL sees.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache

import pyoxigraph as ox
from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef

from ..model import (
    Analysis,
    Citation,
    EmergingTheme,
    EntityLink,
    Evidence,
    GraphFacts,
    PaperExtraction,
    PaperInfo,
    PaperTheme,
    StatementInfo,
    ThemeInfo,
)
from ..resources import ontology_path
from .query import oxigraph_copy, prologue
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


def add_paper_themes(
    add: Callable[[URIRef, URIRef, URIRef | Literal], None], extraction: PaperExtraction,
    evidence: Callable[[URIRef, Evidence], URIRef],
) -> None:
    """``pkg:hasTheme`` for every theme assigned to a paper, qualified by a ``pkg:ThemeAssignment`` with weight and evidence."""
    paper = ID[f"paper/{extraction.paper.id}"]
    for assignment in extraction.themes:
        theme = theme_iri(assignment.theme)
        add(paper, PKG.hasTheme, theme)
        node = URIRef(f"{paper}/theme/{assignment.theme}")
        add(paper, PKG.themeAssignment, node)
        add(node, RDF.type, PKG.ThemeAssignment)
        add(node, PKG.theme, theme)
        add(node, PKG.weight, Literal(f"{assignment.weight:.1f}", datatype=XSD.decimal))
        add(node, PKG.central, Literal(assignment.central))
        add(node, PKG.count, Literal(assignment.sentences, datatype=XSD.integer))
        for quote in assignment.evidence:
            evidence(node, quote)


# ------------------------------------------------------------------------------------ reading back


# Each query asks for what one kind of fact needs, joins done by the SPARQL engine: on the Oxigraph
# store a read is a handful of queries however large the graph, and nothing is copied wholesale.
_LABELLED = "OPTIONAL {{ {0} rdfs:label ?{1}_l1 }} OPTIONAL {{ {0} skos:prefLabel ?{1}_l2 }} BIND(COALESCE(?{1}_l1, ?{1}_l2) AS ?{1})"
_EVIDENCE = """?ev pkg:statedIn {0} ; pkg:charStart ?start ; pkg:charEnd ?end ; pkg:quote ?quote .
    OPTIONAL {{ ?ev pkg:page ?page }}"""


def _select(store: ox.Store, where: str, variables: str) -> list[tuple[str | None, ...]]:
    """Rows of plain strings (None for unbound): read straight from Oxigraph, with no rdflib terms made."""
    solutions = store.query(f"{prologue()}SELECT DISTINCT {variables} WHERE {{ {where} }}", use_default_graph_as_union=True)
    width = len(solutions.variables)
    return [tuple(None if (term := row[i]) is None else term.value for i in range(width)) for row in solutions]


def _tail(node: object) -> str:
    return str(node).rsplit("/", 1)[-1]


def _text(label: object, node: object) -> str:
    """A node's label (rdfs:label, else skos:prefLabel), else the end of its IRI."""
    return str(label) if label is not None else _tail(node)


def _labels(graph: Graph, where: str, node: str = "?node") -> dict[str, str]:
    """The label of every node ``where`` binds (the least, should one have several)."""
    labels: dict[str, str] = {}
    for row in _select(graph, f"{where} {_LABELLED.format(node, 'label')}", f"{node} ?label"):
        text = _text(row[1], row[0])
        labels[str(row[0])] = min(text, labels.get(str(row[0]), text))
    return labels


def _evidence_of(graph: ox.Store, where: str, *, by_paper: bool = False) -> dict[tuple[str, ...], tuple[Evidence, ...]]:
    """Evidence of each ``?node`` that ``where`` binds, by (node,), or with ``by_paper`` by (node, paper stated in).

    Each node's evidence is read once, whatever else ``where`` joins: a place every paper cites has
    evidence in every paper, and joining it per citing paper would grow with the square of the papers.
    """
    found: dict[tuple[str, ...], list[Evidence]] = defaultdict(list)
    for node, _, paper_iri, start, end, quote, page in _select(
        graph, f"{{ SELECT DISTINCT ?node WHERE {{ {where} }} }} ?node pkg:evidence ?ev . {_EVIDENCE.format('?stated')}",
        "?node ?ev ?stated ?start ?end ?quote ?page",
    ):
        key = (node, paper_iri) if by_paper else (node,)
        found[key].append(Evidence(_paper_id(paper_iri), int(start), int(end), quote, None if page is None else int(page)))
    return {key: tuple(sorted(quotes, key=lambda e: (e.paper_id, e.start))) for key, quotes in found.items()}


def _paper_id(paper: object) -> str:
    return str(paper).rsplit("/paper/", 1)[-1]


def read_facts(source: Graph | ox.Store) -> GraphFacts:
    """The themes, papers, statements and citations of a built graph (or a store of one), as plain data.

    An rdflib graph is first copied into an in-memory Oxigraph store: rdflib's pure-Python SPARQL
    engine would take minutes over the joins these reads make.
    """
    graph = source if isinstance(source, ox.Store) else oxigraph_copy(source)
    alt_labels: dict[str, list[str]] = defaultdict(list)
    for node, alt in _select(graph, "?node a pkg:Theme ; skos:altLabel ?alt", "?node ?alt"):
        alt_labels[str(node)].append(str(alt))
    theme_labels = _labels(graph, "?node a pkg:Theme")
    themes = sorted(
        (
            ThemeInfo(str(code), theme_labels[str(node)], str(node), tuple(sorted(alt_labels[str(node)])))
            for node, code in _select(graph, "?node a pkg:Theme ; skos:notation ?code", "?node ?code")
        ),
        key=lambda t: t.code,
    )
    code_of = {t.iri: t.code for t in themes}

    contributor_of: dict[str, str | None] = {}
    papers = []
    paper_rows = _select(
        graph,
        f"""?paper a pkg:Paper . {_LABELLED.format('?paper', 'title')}
        OPTIONAL {{ ?paper dcterms:isPartOf ?volume . {_LABELLED.format('?volume', 'volume_title')} }}
        OPTIONAL {{ ?paper pkg:contributedBy ?company . {_LABELLED.format('?company', 'company_label')} }}""",
        "?paper ?title ?volume ?volume_title ?company ?company_label",
    )
    for paper, title, volume, volume_title, company, company_label in sorted(paper_rows, key=lambda r: str(r[0])):
        if str(paper) in contributor_of:
            continue  # a paper with two labels: the first row, in a fixed order, stands
        contributor = _text(company_label, company) if company is not None else None
        contributor_of[str(paper)] = contributor
        papers.append(PaperInfo(_paper_id(paper), _text(title, paper),
                                _text(volume_title, volume) if volume is not None else "", contributor))

    assignment_evidence = _evidence_of(graph, "?node a pkg:ThemeAssignment .")
    paper_themes = []
    for paper, node, theme, weight, central in sorted(
        _select(graph, """?paper pkg:themeAssignment ?node . ?node pkg:theme ?theme .
                OPTIONAL { ?node pkg:weight ?weight } OPTIONAL { ?node pkg:central ?central }""",
                "?paper ?node ?theme ?weight ?central"),
        key=lambda r: (str(r[0]), str(r[1])),
    ):
        if str(theme) not in code_of:
            continue
        paper_themes.append(PaperTheme(
            _paper_id(paper), contributor_of.get(str(paper)), code_of[str(theme)], float(weight or 0),
            central == "true", assignment_evidence.get((str(node),), ()),
        ))

    statement_kinds = "VALUES ?kind { pkg:Recommendation pkg:Commitment } ?node a ?kind ."
    addressed: dict[str, list[str]] = defaultdict(list)
    for node, theme in _select(graph, f"{statement_kinds} ?node pkg:addresses ?theme", "?node ?theme"):
        if str(theme) in code_of:
            addressed[str(node)].append(code_of[str(theme)])
    statement_evidence = _evidence_of(graph, statement_kinds)
    statements = []
    seen: set[tuple[str, str]] = set()
    for node, kind, paper, text, label in sorted(
        _select(graph, f"""{statement_kinds} OPTIONAL {{ ?node pkg:statedIn ?paper }}
                OPTIONAL {{ ?node pkg:text ?text }} {_LABELLED.format('?node', 'label')}""",
                "?node ?kind ?paper ?text ?label"),
        key=lambda r: (str(r[1]) != str(PKG.Recommendation), str(r[0])),
    ):
        if (str(node), str(kind)) in seen:
            continue
        seen.add((str(node), str(kind)))
        quotes = statement_evidence.get((str(node),), ())
        statements.append(StatementInfo(
            str(node), str(kind).rsplit("#", 1)[-1], _paper_id(paper) if paper is not None else "",
            contributor_of.get(str(paper)) if paper is not None else None,
            str(text) if text is not None else _text(label, node), tuple(sorted(addressed[str(node)])),
            quotes[0] if quotes else None,
        ))

    mentioned = "?paper a pkg:Paper ; pkg:mentions ?node ."
    classes: dict[str, list[str]] = defaultdict(list)
    for node, cls in _select(graph, f"{mentioned} ?node a ?cls", "?node ?cls"):
        if str(cls).startswith(str(PKG._NS)):
            classes[str(node)].append(str(cls).rsplit("#", 1)[-1])
    entity_labels = _labels(graph, mentioned)
    cited_evidence = _evidence_of(graph, mentioned, by_paper=True)  # a paper cites with what it says itself
    citations = []
    for paper, node in sorted(_select(graph, mentioned, "?paper ?node"), key=lambda r: (str(r[0]), str(r[1]))):
        kinds = sorted(set(classes[str(node)]))
        kind = "Company" if "Company" in kinds else kinds[0] if kinds else "Thing"
        citations.append(Citation(_paper_id(paper), contributor_of.get(str(paper)), str(node), kind,
                                  entity_labels[str(node)], cited_evidence.get((str(node), str(paper)), ())))

    links: dict[tuple[str, str, str], EntityLink] = {}
    for subject, predicate, obj, subject_label, object_label, is_iri in sorted(
        _select(graph, f"""VALUES ?predicate {{ pkg:targets pkg:operatesIn }} ?subject ?predicate ?object .
                {_LABELLED.format('?subject', 'subject_label')} {_LABELLED.format('?object', 'object_label')}
                BIND(isIRI(?object) AS ?is_iri)""",
                "?subject ?predicate ?object ?subject_label ?object_label ?is_iri"),
        key=lambda r: (str(r[1]) != str(PKG.targets), str(r[0]), str(r[2]), str(r[3]), str(r[4])),
    ):
        links.setdefault((str(subject), str(predicate), str(obj)), EntityLink(  # the first label, should there be two
            str(subject), str(predicate).rsplit("#", 1)[-1], str(obj),
            _text(object_label, obj) if is_iri == "true" else str(obj), _text(subject_label, subject),
        ))

    raisers: dict[str, list[str]] = defaultdict(list)
    for node, by, label in _select(graph, f"?node a pkg:CandidateTheme ; pkg:raisedBy ?by . {_LABELLED.format('?by', 'label')}",
                                   "?node ?by ?label"):
        raisers[str(node)].append(_text(label, by))
    candidate_labels = _labels(graph, "?node a pkg:CandidateTheme")
    candidate_evidence = _evidence_of(graph, "?node a pkg:CandidateTheme .")
    emerging = []
    for node, key in sorted(_select(graph, "?node a pkg:CandidateTheme OPTIONAL { ?node skos:notation ?key }", "?node ?key"),
                            key=lambda r: str(r[0])):
        emerging.append(EmergingTheme(str(key) if key is not None else str(node), candidate_labels[str(node)],
                                      tuple(sorted(set(raisers[str(node)]))), candidate_evidence.get((str(node),), ())))
    emerging.sort(key=lambda e: (-len(e.contributors), e.key))
    return GraphFacts(themes, papers, paper_themes, statements, citations, list(links.values()), emerging)


# ------------------------------------------------------------------------------------ write-back


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def add_analysis(
    add: Callable[[URIRef, URIRef, URIRef | Literal], None], contributors: dict[str, URIRef], analysis: Analysis,
    evidence: Callable[[URIRef, Evidence], URIRef],
) -> None:
    """Write analysis results as triples: recurrence on themes, consensus groups, clusters, candidate themes,
    who cites each policy.

    ``contributors`` gives the node of each contributor by the label the analysis names it by.
    """
    for row in analysis.recurrence:
        theme = theme_iri(row.theme)
        add(theme, PKG.contributorCount, Literal(len(row.contributors), datatype=XSD.integer))
        add(theme, PKG.weight, Literal(f"{row.weight:.1f}", datatype=XSD.decimal))
        for name in row.contributors:
            if name in contributors:
                add(theme, PKG.raisedBy, contributors[name])
        for quote in row.evidence:  # one per contributor counted, so `policykg explain THEME` shows the count's basis
            evidence(theme, quote)
    for group in analysis.consensus:
        node = ID[f"consensus/{group.key}"]
        add(node, RDF.type, PKG.ConsensusGroup)
        add(node, RDFS.label, Literal(group.label))
        add(node, PKG.contributorCount, Literal(len(group.contributors), datatype=XSD.integer))
        for statement in group.statements:
            add(node, PKG.member, URIRef(statement.id))
            if statement.evidence is not None:
                evidence(node, statement.evidence)
            for code in statement.themes:
                add(node, PKG.addresses, theme_iri(code))
    for members in analysis.clusters:
        node = ID[f"cluster/{_digest(*members)}"]
        add(node, RDF.type, PKG.ContributorCluster)
        add(node, RDFS.label, Literal(", ".join(members)))
        for name in members:
            if name in contributors:
                add(node, PKG.member, contributors[name])
    for candidate in analysis.emerging:
        node = ID[f"candidate-theme/{_digest(candidate.key)}"]
        add(node, RDF.type, PKG.CandidateTheme)
        add(node, RDFS.label, Literal(candidate.label))
        add(node, SKOS.notation, Literal(candidate.key))
        add(node, PKG.contributorCount, Literal(len(candidate.contributors), datatype=XSD.integer))
        for name in candidate.contributors:
            if name in contributors:
                add(node, PKG.raisedBy, contributors[name])
        for quote in candidate.evidence:
            evidence(node, quote)
    for use in analysis.policies:  # who cites each policy: `policies-cited` reads this, not every paper's mentions
        policy = URIRef(use.iri)
        add(policy, PKG.contributorCount, Literal(len(use.cited_by), datatype=XSD.integer))
        for name in use.cited_by:
            if name in contributors:
                add(policy, PKG.raisedBy, contributors[name])
    for iri, value in analysis.centrality.items():
        add(URIRef(iri), PKG.centrality, Literal(f"{value:.4f}", datatype=XSD.decimal))
