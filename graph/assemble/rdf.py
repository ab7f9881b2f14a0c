"""Build the RDF graph of a corpus under the policykg ontology.

Every node gets a deterministic, readable IRI under ``https://w3id.org/policykg/id/`` and no blank
nodes are used, so the same input always gives the same triples.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV

# Entity resolution is reached through the package, which imports it (and spaCy) only when first used.
from .. import extract as _extract
from ..ingest.document import slug
from ..model import Analysis, Corpus, Entity, Evidence, Paper, PaperExtraction, Relation, Statement, Volume
from ..resources import ontology_path
from .ntriples import Triple, ntriples_lines
from .themes import add_analysis, add_paper_themes, theme_iri, theme_scheme
from .vocab import ID, PKG

# Instance namespaces by class: organisations and companies share one, so an IRI survives reclassification.
_PATHS = {
    "Company": "org",
    "Organization": "org",
    "Person": "person",
    "Place": "place",
    "Policy": "policy",
    "Technology": "technology",
    "Industry": "industry",
    "Target": "target",
    "Theme": "theme",
}


def bind_prefixes(graph: Graph) -> Graph:
    graph.bind("pkg", PKG._NS)
    graph.bind("id", ID)
    for prefix, namespace in (("dcterms", DCTERMS), ("foaf", FOAF), ("org", ORG), ("skos", SKOS), ("prov", PROV), ("owl", OWL)):
        graph.bind(prefix, namespace)
    return graph


def load_ontology() -> Graph:
    """The ontology as a graph (it stays in its own file; outputs hold data)."""
    return bind_prefixes(Graph()).parse(ontology_path("policykg.ttl"), format="turtle")


def node_iri(kind: str, key: str) -> URIRef:
    return ID[f"{_PATHS[kind]}/{key}"]


def entity_iri(entity: Entity) -> URIRef:
    return node_iri(entity.kind, entity.key)


def paper_iri(paper_id: str) -> URIRef:
    return ID[f"paper/{paper_id}"]


def evidence_iri(evidence: Evidence) -> URIRef:
    return ID[f"evidence/{evidence.paper_id}-{evidence.start}-{evidence.end}"]


# Named graphs of a built dataset: one per paper, one for what papers share (volumes, resolved entities,
# people), one for the cross-paper analysis, one for the ontology and theme scheme.
CORPUS_GRAPH = ID["graph/corpus"]
ANALYSIS_GRAPH = ID["graph/analysis"]
ONTOLOGY_GRAPH = ID["graph/ontology"]


def paper_graph(paper_id: str) -> URIRef:
    """Name of the graph that holds one paper's own triples."""
    return ID[f"graph/paper/{paper_id}"]


class _Builder:
    """Adds each triple to the graph of the paper being assembled, or to ``shared`` when it is not that paper's.

    A triple is the paper's when its subject or object is: the paper itself, a node whose IRI extends
    the paper's (mention counts, theme assignments), or a statement or evidence node stated in it.
    So a paper's graph is complete, and can be written out, as soon as the paper is assembled.
    """

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.shared: set[Triple] = set()
        self.graph = self.shared  # the graph of the paper being assembled; ``shared`` between papers
        self._paper: str | None = None  # id of the paper being assembled
        self._paper_node: URIRef | None = None  # its IRI, and (below) that IRI and "/": made once per paper
        self._paper_prefix = ""
        self._owned: set[URIRef] = set()  # its statement and evidence nodes
        self._described: set[URIRef] = set()  # evidence nodes already described, in whatever graph

    def start_paper(self, paper_id: str) -> set[Triple]:
        self.graph, self._paper, self._owned = set(), paper_id, set()
        self._paper_node = paper_iri(paper_id)
        self._paper_prefix = f"{self._paper_node}/"
        return self.graph

    def end_paper(self) -> None:
        self.graph, self._paper, self._owned = self.shared, None, set()

    def _ours(self, node: URIRef | Literal) -> bool:
        if self._paper is None or not isinstance(node, URIRef):
            return False
        return node == self._paper_node or node in self._owned or node.startswith(self._paper_prefix)

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        (self.graph if self._ours(s) or self._ours(o) else self.shared).add((s, p, o))

    def evidence(self, node: URIRef, evidence: Evidence) -> URIRef:
        iri = evidence_iri(evidence)
        if evidence.paper_id == self._paper:
            self._owned.add(iri)
        self.add(node, PKG.evidence, iri)
        if iri not in self._described:
            self._described.add(iri)
            self.add(iri, RDF.type, PKG.Evidence)
            self.add(iri, PKG.quote, Literal(evidence.quote))
            self.add(iri, PKG.charStart, Literal(evidence.start))
            self.add(iri, PKG.charEnd, Literal(evidence.end))
            self.add(iri, PKG.statedIn, paper_iri(evidence.paper_id))
            if evidence.page is not None:
                self.add(iri, PKG.page, Literal(evidence.page))
        return iri

    def entity(self, entity: Entity) -> URIRef:
        iri = entity_iri(entity)
        # people mentioned in the text share the class (and IRI scheme) of bylined authors
        self.add(iri, RDF.type, FOAF.Person if entity.kind == "Person" else PKG[entity.kind])
        self.add(iri, RDFS.label, Literal(entity.label))
        if entity.kind == "Target":
            self.add(iri, PKG.text, Literal(entity.label))
        for alias in entity.aliases:
            self.add(iri, SKOS.altLabel, Literal(alias))
        if entity.parent is not None:
            self.add(iri, ORG.subOrganizationOf, node_iri("Company", entity.parent))
        return iri

    def volume(self, volume: Volume) -> URIRef:
        iri = ID[f"volume/{volume.id}"]
        self.add(iri, RDF.type, PKG.Volume)
        self.add(iri, RDFS.label, Literal(volume.title))
        self.add(iri, DCTERMS.title, Literal(volume.title))
        if volume.date:
            self.add(iri, DCTERMS.date, Literal(volume.date))
        return iri

    def paper(self, paper: Paper, volume: URIRef) -> None:
        iri = paper_iri(paper.id)
        self.add(iri, RDF.type, PKG.Paper)
        self.add(iri, RDFS.label, Literal(paper.title))
        self.add(iri, DCTERMS.title, Literal(paper.title))
        self.add(iri, DCTERMS.isPartOf, volume)
        self.add(iri, DCTERMS.language, Literal(paper.language))
        if paper.date:
            self.add(iri, DCTERMS.date, Literal(paper.date))
        self.add(iri, PKG.number, Literal(paper.number))
        self.add(iri, PKG.fullText, Literal(paper.text))
        self.add(iri, PKG.contentHash, Literal(hashlib.sha256(paper.text.encode()).hexdigest()))
        if paper.source:
            self.add(iri, DCTERMS.source, Literal(Path(paper.source).name))
        contributor = None
        if paper.contributor:
            company = self.corpus.entities[_extract.entity_key("Company", paper.contributor)]
            contributor = self.entity(company)
            self.add(iri, PKG.contributedBy, contributor)
        for author in paper.authors:
            person = node_iri("Person", slug(author.name))
            self.add(person, RDF.type, FOAF.Person)
            self.add(person, RDFS.label, Literal(author.name))
            self.add(person, FOAF.name, Literal(author.name))
            if author.role:
                self.add(person, PKG.role, Literal(author.role))
            if contributor is not None:
                self.add(person, PKG.affiliation, contributor)
            self.add(iri, PKG.authoredBy, person)

    def extraction(self, extraction: PaperExtraction) -> None:
        paper = paper_iri(extraction.paper.id)
        counts: Counter[URIRef] = Counter()
        for mention in extraction.mentions:
            entity = _extract.entity_of(self.corpus.entities, mention)
            if entity is None:
                continue
            node = self.entity(entity)
            counts[node] += 1
            self.add(paper, PKG.mentions, node)
            self.evidence(node, mention.evidence)
        for node, count in counts.items():
            record = URIRef(f"{paper}/mention/{node.rsplit('/', 2)[-2]}-{node.rsplit('/', 1)[-1]}")
            self.add(paper, PKG.mentionCount, record)
            self.add(record, RDF.type, PKG.MentionCount)
            self.add(record, PKG.entity, node)
            self.add(record, PKG.count, Literal(count, datatype=XSD.integer))
        for statement in extraction.statements:
            self.statement(statement, extraction.paper)
        for relation in extraction.relations:
            self.relation(relation)
        add_paper_themes(self.add, extraction, self.evidence)

    def relation(self, relation: Relation) -> None:
        """A link read from one sentence (targets, operatesIn); the sentence is evidence on both ends.

        Subsidiary links are not triples of their own here: resolution sets ``Entity.parent`` and
        ``entity`` writes org:subOrganizationOf.
        """
        if relation.predicate == "subsidiaryOf":
            return
        subject = _extract.entity_of(self.corpus.entities, relation.subject)
        obj = _extract.entity_of(self.corpus.entities, relation.object)
        if subject is None or obj is None or subject is obj:
            return
        subject_iri, object_iri = self.entity(subject), self.entity(obj)
        self.add(subject_iri, PKG[relation.predicate], object_iri)
        self.evidence(subject_iri, relation.evidence)
        self.evidence(object_iri, relation.evidence)

    def statement(self, statement: Statement, paper: Paper) -> None:
        kind = statement.kind
        iri = ID[f"{kind.lower()}/{paper.id}-{statement.evidence.start}"]
        self._owned.add(iri)
        self.add(iri, RDF.type, PKG[kind])
        self.add(iri, RDFS.label, Literal(_short(statement.text)))
        self.add(iri, PKG.text, Literal(statement.text))
        self.add(iri, PKG.statedIn, paper_iri(paper.id))
        if statement.section:
            self.add(iri, PKG.section, Literal(statement.section))
        self.evidence(iri, statement.evidence)
        speaker = statement.speaker or paper.contributor
        if speaker:
            # A quoted speaker's organisation need not be a contributor: it may be a plain organisation.
            organisation = self.corpus.entities.get(_extract.entity_key("Company", speaker)) or self.corpus.entities.get(
                _extract.entity_key("Organization", speaker)
            )
            if organisation is not None:
                predicate = PKG.recommends if kind == "Recommendation" else PKG.commitsTo
                self.add(self.entity(organisation), predicate, iri)
        for mention in statement.mentions:
            entity = _extract.entity_of(self.corpus.entities, mention)
            if entity is not None:
                self.add(iri, PKG.mentions, self.entity(entity))
        for code in statement.themes:
            self.add(iri, PKG.addresses, theme_iri(code))


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


class Assembly:
    """A corpus assembled into RDF one named graph at a time, so that only one paper's graph is held at once.

    ``graphs()`` yields each paper's graph, the theme scheme (``ONTOLOGY_GRAPH``) and, last, what the
    papers share (``CORPUS_GRAPH``). ``analysis_graph()`` then gives the cross-paper analysis as RDF
    (``ANALYSIS_GRAPH``), its quotes as evidence nodes like all others. Each triple is in one graph.
    """

    def __init__(self, corpus: Corpus) -> None:
        self._builder = _Builder(corpus)

    def graphs(self) -> Iterator[tuple[URIRef, set[Triple]]]:
        builder = self._builder
        extraction_of = {extraction.paper.id: extraction for extraction in builder.corpus.extractions}
        for volume in builder.corpus.volumes:
            volume_node = builder.volume(volume)
            for paper in volume.papers:
                graph = builder.start_paper(paper.id)
                builder.paper(paper, volume_node)
                if (extraction := extraction_of.get(paper.id)) is not None:
                    builder.extraction(extraction)
                builder.end_paper()
                yield paper_graph(paper.id), graph
        yield ONTOLOGY_GRAPH, set(theme_scheme())  # the built graph is self-contained for theme queries
        shared, builder.shared = builder.shared, set()
        builder.graph = builder.shared
        yield CORPUS_GRAPH, shared

    def analysis_graph(self, analysis: Analysis) -> set[Triple]:
        """The analysis of the assembled corpus as RDF; call it once ``graphs()`` is exhausted."""
        builder = self._builder
        contributors = {}
        for paper in (p for volume in builder.corpus.volumes for p in volume.papers if p.contributor):
            company = builder.corpus.entities[_extract.entity_key("Company", paper.contributor)]
            contributors[company.label] = entity_iri(company)
        add_analysis(builder.add, contributors, analysis, builder.evidence)
        graph, builder.shared = builder.shared, set()
        builder.graph = builder.shared
        return graph


def assemble(corpus: Corpus) -> Graph:
    """The data graph of a corpus as one graph in memory (without the ontology, which stays in its own file)."""
    graph = bind_prefixes(Graph())
    for _, part in Assembly(corpus).graphs():
        for triple in part:
            graph.add(triple)
    return graph


def sorted_ntriples(graph: Graph) -> str:
    """Canonical text of a blank-node-free graph: its N-Triples lines, sorted."""
    return "".join(f"{line}\n" for line in ntriples_lines(graph))
