"""Plain data passed between the stages: ingest → extract → assemble → analyse → export.

Every stage takes and returns these dataclasses; none of them knows RDF, spaCy or networkx.
Character offsets always index ``Paper.text``, the cleaned text a user reads.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field

# Block kinds produced by ingest. Only PROSE_KINDS are read as running text by the extractors;
# footnotes and captions are kept (and shown to users) but never mixed into sentences.
HEADING = "heading"
PARAGRAPH = "paragraph"
LIST_ITEM = "list_item"
FOOTNOTE = "footnote"
CAPTION = "caption"
TABLE = "table"  # a row of a flattened table
PROSE_KINDS = frozenset({HEADING, PARAGRAPH, LIST_ITEM})
# Footnote markers as papers print them in running text ("circulation³"): ingest reads footnotes by them,
# and extraction keeps them out of names.
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


@dataclass(frozen=True, slots=True)
class Block:
    """A contiguous unit of a paper's cleaned text: a heading, paragraph, list item, footnote or caption."""

    kind: str
    start: int
    end: int
    section: str | None = None  # text of the nearest heading above the block
    page: int | None = None  # 1-based page of the source, when the source has pages


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    role: str | None = None
    affiliation: str | None = None


@dataclass
class Paper:
    """One white paper: its metadata and cleaned body text, split into blocks."""

    id: str  # readable slug, e.g. "cmia-19-06"; used in IRIs
    number: int  # position in its volume, 1-based
    title: str
    contributor: str | None
    text: str
    blocks: list[Block]
    volume_id: str
    authors: list[Author] = field(default_factory=list)
    contributor_aliases: list[str] = field(default_factory=list)  # other names the paper uses for its contributor
    source: str = ""  # path of the file it came from
    source_lines: tuple[int, int] | None = None  # 1-based line range in the source file
    language: str = "en"
    kind: str = "paper"  # "paper", or "report" for a text quoting several speakers
    date: str | None = None  # publication date from front matter, a sidecar or the page's metadata


@dataclass
class Volume:
    """A set of papers published together (a proceedings volume, or a folder of papers)."""

    id: str
    title: str
    papers: list[Paper]
    date: str | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact was read: ``paper.text[start:end] == quote``."""

    paper_id: str
    start: int
    end: int
    quote: str
    page: int | None = None

    def __post_init__(self) -> None:
        # Many facts quote the same sentence: one shared string per distinct quote (and paper id) keeps a
        # large corpus in memory once, not once per fact.
        object.__setattr__(self, "paper_id", sys.intern(self.paper_id))
        object.__setattr__(self, "quote", sys.intern(self.quote))


@dataclass(frozen=True, slots=True)
class Mention:
    """A surface form of an entity in a paper, with the class it was recognised as."""

    text: str
    kind: str  # an ontology class local name: Company, Organization, Person, Place, Policy, Technology, Industry
    evidence: Evidence


@dataclass(slots=True)
class Statement:
    """A recommendation or commitment: what someone asks for or offers, in their own words."""

    kind: str  # "Recommendation" or "Commitment"
    text: str
    evidence: Evidence
    speaker: str | None = None  # organisation that made it when it is not the paper's contributor
    section: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)  # notations of the themes it addresses, set by theme tagging


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed link between two surface forms read from one sentence, e.g. a policy and what it targets."""

    subject: Mention
    predicate: str  # an ontology property local name: targets, operatesIn, subsidiaryOf
    object: Mention
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class ThemeSignal:
    """One sentence whose words signal a theme of the scheme."""

    theme: str  # skos:notation of the theme, e.g. "T02"
    terms: tuple[str, ...]  # the signal words found, as written
    evidence: Evidence  # the sentence
    heading: bool = False  # the sentence is a section heading
    section: str | None = None


@dataclass(frozen=True, slots=True)
class ThemeAssignment:
    """A theme a paper gives substantial attention to, with how much and the sentences that show it."""

    paper_id: str
    theme: str  # skos:notation
    weight: float  # signal sentences, with headings and recommendations counted extra; ranks themes
    sentences: int  # sentences that signal the theme
    reasons: tuple[str, ...]  # why it is substantial: "section", "recommendation", "sentences"
    evidence: tuple[Evidence, ...]
    central: bool = False  # among the paper's main themes, not only substantially touched


@dataclass(frozen=True, slots=True)
class KeyPhrase:
    """A normalised noun chunk, the raw material of emerging (not yet scheme) themes."""

    key: str  # normalised form: lower case, singular head, no determiners
    text: str  # as written
    evidence: Evidence  # the sentence


@dataclass
class PaperExtraction:
    """Everything extraction read from one paper."""

    paper: Paper
    mentions: list[Mention] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    theme_signals: list[ThemeSignal] = field(default_factory=list)
    themes: list[ThemeAssignment] = field(default_factory=list)
    key_phrases: list[KeyPhrase] = field(default_factory=list)


@dataclass
class Entity:
    """One real-world entity after resolution across papers, with every surface form it was seen as."""

    key: str  # IRI-safe slug, unique within its kind's namespace
    kind: str
    label: str
    aliases: set[str] = field(default_factory=set)
    parent: str | None = None  # key of the parent organisation, for subsidiaries and joint ventures


@dataclass
class Corpus:
    """The result of extraction over all inputs: papers with what was read, and the resolved entities."""

    volumes: list[Volume]
    extractions: list[PaperExtraction]
    entities: dict[tuple[str, str], Entity]  # (kind, normalised surface form) -> entity


# --- Views of a built graph, for drawing: read from RDF by assemble, measured by analysis, drawn by export.


@dataclass(frozen=True, slots=True)
class Quote:
    """An evidence quote as a reader sees it: the words, and the paper they stand in."""

    paper_id: str
    paper_title: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class ViewNode:
    """A node to draw: an entity, paper, statement or theme of the graph."""

    id: str  # the node's IRI
    kind: str  # its class's local name: Company, Person, Theme …
    label: str
    aliases: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = ()
    recurrence: int = 0  # how many papers mention it
    degree: int = 0  # filled in by analysis
    size: float = 0.0  # filled in by analysis
    x: float | None = None  # initial position, filled in by analysis
    y: float | None = None


@dataclass(frozen=True)
class ViewEdge:
    """A relation between two drawn nodes, named as the ontology labels it."""

    source: str
    target: str
    relation: str
    weight: float = 1.0


@dataclass
class GraphView:
    """What one page draws: its nodes and edges, and what the view is."""

    name: str  # "full", "themes", "company", "policy"
    title: str
    nodes: list[ViewNode]
    edges: list[ViewEdge]


# --- Facts for cross-contributor analysis: read from a built graph by assemble, analysed by analysis,
# --- written back by assemble and reported by export. Contributors are named by their label.


@dataclass(frozen=True, slots=True)
class ThemeInfo:
    """A theme of the scheme."""

    code: str  # skos:notation
    label: str
    iri: str
    alt_labels: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PaperInfo:
    id: str
    title: str
    volume: str  # volume title
    contributor: str | None


@dataclass(frozen=True, slots=True)
class PaperTheme:
    """A paper's weighted theme assignment, with the sentences that show it."""

    paper_id: str
    contributor: str | None
    theme: str
    weight: float
    central: bool
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class StatementInfo:
    """A recommendation or commitment as stated in the graph."""

    id: str  # its IRI
    kind: str
    paper_id: str
    contributor: str | None
    text: str
    themes: tuple[str, ...]
    evidence: Evidence | None


@dataclass(frozen=True, slots=True)
class Citation:
    """A paper naming an entity (policy, organisation …), with where."""

    paper_id: str
    contributor: str | None
    entity: str  # IRI
    kind: str  # class local name
    label: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class EntityLink:
    """A typed link between two entities, such as a policy and what it targets."""

    subject: str  # IRI
    predicate: str  # property local name
    object: str  # IRI
    object_label: str
    subject_label: str = ""


@dataclass(frozen=True, slots=True)
class EmergingTheme:
    """A key phrase several contributors use that no scheme theme covers: a candidate theme."""

    key: str
    label: str
    contributors: tuple[str, ...]
    evidence: tuple[Evidence, ...]  # one quote per contributor


@dataclass
class GraphFacts:
    """What analysis needs from a built graph, as plain data."""

    themes: list[ThemeInfo]
    papers: list[PaperInfo]
    paper_themes: list[PaperTheme]
    statements: list[StatementInfo]
    citations: list[Citation]
    links: list[EntityLink]
    emerging: list[EmergingTheme] = field(default_factory=list)  # as found at build time


@dataclass(frozen=True)
class ThemeRecurrence:
    """One theme across contributors: who raises it, how strongly, and a quote from each."""

    theme: str
    label: str
    contributors: tuple[str, ...]
    central_contributors: tuple[str, ...]
    weight: float
    evidence: tuple[Evidence, ...]  # the strongest sentence of each contributor, in contributor order


@dataclass(frozen=True)
class Similarity:
    a: str
    b: str
    score: float  # weighted Jaccard of theme weights, 0..1
    shared: tuple[str, ...]  # theme codes both raise


@dataclass(frozen=True)
class ConsensusGroup:
    """Recommendations of different contributors that ask for the same thing."""

    key: str  # stable id: hash of the member IRIs
    label: str  # the content words the asks share
    statements: tuple[StatementInfo, ...]

    @property
    def contributors(self) -> tuple[str, ...]:
        return tuple(sorted({s.contributor for s in self.statements if s.contributor}))


@dataclass(frozen=True)
class PolicyUse:
    """A policy: who cites it, what it targets, and how central it is in the mention graph."""

    iri: str
    label: str
    cited_by: tuple[str, ...]
    targets: tuple[str, ...]
    centrality: float
    evidence: tuple[Evidence, ...]


@dataclass
class Analysis:
    """Everything the cross-contributor analysis found."""

    recurrence: list[ThemeRecurrence]
    contributors: list[str]
    heat: dict[tuple[str, str], float]  # (contributor, theme) -> weight
    similarities: list[Similarity]
    clusters: list[tuple[str, ...]]
    consensus: list[ConsensusGroup]
    single_asks: list[StatementInfo]
    policies: list[PolicyUse]
    centrality: dict[str, float]  # entity IRI -> degree centrality in the mention graph, organisations and policies
    emerging: list[EmergingTheme]
    volume_shares: dict[tuple[str, str], float]  # (volume title, theme) -> share of the volume's papers
