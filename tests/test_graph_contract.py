"""The built graph keeps the ontology contract: declared terms, typed nodes, honest evidence offsets."""
from __future__ import annotations

import json

import pyoxigraph
from rdflib import RDF, Graph, URIRef

from graph.assemble import PKG, load_ontology, sorted_ntriples
from graph.build import BuildResult

from .conftest import DATA

EXPECTED = json.loads((DATA / "bundled_papers.json").read_text(encoding="utf-8"))


def test_ontology_parses_and_labels_every_term() -> None:
    ontology = load_ontology()
    terms = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(str(PKG._NS))}
    assert len(terms) > 30
    from rdflib import RDFS

    for term in terms:
        assert ontology.value(term, RDFS.label) is not None, term
        assert ontology.value(term, RDFS.comment) is not None, term


def test_every_pkg_term_in_the_output_is_declared(bundled_build: BuildResult) -> None:
    declared = {s for s in load_ontology().subjects() if isinstance(s, URIRef)}
    used = set()
    for s, p, o in bundled_build.graph:
        used.add(p)
        if p == RDF.type:
            used.add(o)
    undeclared = {t for t in used if str(t).startswith(str(PKG._NS)) and t not in declared}
    assert not undeclared


def test_evidence_offsets_round_trip(bundled_build: BuildResult) -> None:
    graph = bundled_build.graph
    texts = {paper: str(text) for paper, text in graph.subject_objects(PKG.fullText)}
    evidence = list(graph.subjects(RDF.type, PKG.Evidence))
    assert len(evidence) > 100
    for node in evidence:
        paper = graph.value(node, PKG.statedIn)
        start, end = int(graph.value(node, PKG.charStart)), int(graph.value(node, PKG.charEnd))
        assert texts[paper][start:end] == str(graph.value(node, PKG.quote))


def test_independent_store_lists_papers_contributors_and_authors(bundled_build: BuildResult) -> None:
    """Load graph.ttl into Oxigraph (not rdflib) and ask the contract's questions."""
    store = pyoxigraph.Store()
    store.load(path=str(bundled_build.graph_path), format=pyoxigraph.RdfFormat.TURTLE)
    rows = store.query(
        """
        PREFIX pkg: <https://w3id.org/policykg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?number ?title ?company ?author WHERE {
          ?paper a pkg:Paper ; pkg:number ?number ; dcterms:title ?title ;
                 dcterms:isPartOf/a pkg:Volume ; pkg:contributedBy ?c .
          ?c a pkg:Company ; rdfs:label ?company .
          OPTIONAL { ?paper pkg:authoredBy/rdfs:label ?author }
        } ORDER BY ?number
        """
    )
    found = [(int(r["number"].value), r["company"].value, r["author"].value if r["author"] else None) for r in rows]
    assert len(found) == 22
    assert sum(1 for _, _, author in found if author) == 15
    for (number, company, author), expected in zip(found, EXPECTED):
        assert number == expected["number"]
        assert author == expected["author"]
        assert expected["contributor"].lower() in company.lower() or company.lower() in expected["contributor"].lower()


def test_iris_are_readable_and_deterministic(bundled_build: BuildResult) -> None:
    papers = sorted(str(p) for p in bundled_build.graph.subjects(RDF.type, PKG.Paper))
    assert papers[0] == "https://w3id.org/policykg/id/paper/cmia-19-01"
    text = sorted_ntriples(bundled_build.graph)
    assert "_:" not in text  # no blank nodes, so sorting gives a canonical form
    reparsed = Graph().parse(data=text, format="nt")
    assert sorted_ntriples(reparsed) == text
