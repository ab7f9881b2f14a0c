"""The policykg vocabulary as an rdflib namespace class, and where instance IRIs live."""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace


class PKG(DefinedNamespace):
    """Terms of ``ontology/policykg.ttl``; a term missing here is a mistake caught at import time."""

    _NS = Namespace("https://w3id.org/policykg/ontology#")
    _fail = True

    # classes
    Volume: URIRef
    Paper: URIRef
    Organization: URIRef
    Company: URIRef
    Policy: URIRef
    Recommendation: URIRef
    Commitment: URIRef
    Theme: URIRef
    Place: URIRef
    Technology: URIRef
    Industry: URIRef
    Target: URIRef
    Evidence: URIRef
    MentionCount: URIRef
    # object properties
    contributedBy: URIRef
    authoredBy: URIRef
    affiliation: URIRef
    recommends: URIRef
    commitsTo: URIRef
    statedIn: URIRef
    addresses: URIRef
    hasTheme: URIRef
    mentions: URIRef
    targets: URIRef
    operatesIn: URIRef
    evidence: URIRef
    mentionCount: URIRef
    entity: URIRef
    # data properties
    text: URIRef
    fullText: URIRef
    number: URIRef
    role: URIRef
    quote: URIRef
    charStart: URIRef
    charEnd: URIRef
    page: URIRef
    section: URIRef
    count: URIRef
    contentHash: URIRef
    # themes and cross-contributor analysis
    ThemeAssignment: URIRef
    ConsensusGroup: URIRef
    ContributorCluster: URIRef
    CandidateTheme: URIRef
    themeAssignment: URIRef
    theme: URIRef
    member: URIRef
    raisedBy: URIRef
    weight: URIRef
    central: URIRef
    contributorCount: URIRef
    centrality: URIRef


ONTOLOGY_IRI = URIRef("https://w3id.org/policykg/ontology")
ID = Namespace("https://w3id.org/policykg/id/")
