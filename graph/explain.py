"""The library behind ``policykg explain TERM``: why does the graph say this?

Finds the nodes whose label or alias is TERM (exactly, ignoring case, quotes and dashes; else those
containing it) and gathers, by SPARQL over the built graph, each node's class, aliases, relations in
both directions, mention counts per paper and the evidence quotes with their paper and offsets.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field

from .assemble.query import PREFIXES, run_query

_FOLD = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})
# Links that are bookkeeping rather than facts about the node.
_HIDDEN = ("rdf:type", "pkg:evidence", "pkg:mentionCount", "pkg:entity", "rdfs:label", "skos:altLabel")


@dataclass(order=True)
class Quote:
    paper: str
    start: int
    end: int
    quote: str


@dataclass
class Link:
    direction: str  # "out" (node → other) or "in" (other → node)
    predicate: str  # prefixed name, e.g. "pkg:targets"
    other: str  # label of the node at the other end (its IRI when it has none)
    other_class: str | None = None


@dataclass
class Explanation:
    iri: str
    label: str
    classes: list[str]
    aliases: list[str]
    links: list[Link] = field(default_factory=list)
    mentioned_in: dict[str, int] = field(default_factory=dict)  # paper id → mentions
    evidence: list[Quote] = field(default_factory=list)
    evidence_total: int = 0


def fold(text: str) -> str:
    """Case, quote style, dashes and spacing do not matter when looking a term up."""
    return " ".join(text.translate(_FOLD).replace('"', "").strip(" '*").lower().split())


def compact(iri: str) -> str:
    """``pkg:targets`` for the full IRI of a known prefix; the IRI itself otherwise."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and re.fullmatch(r"[\w.\-/]+", iri[len(namespace):]):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _paper_id(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def find_nodes(graph, term: str) -> list[str]:
    """IRIs of the nodes labelled ``term``: exact matches on label or alias first, else containing ones."""
    wanted = fold(term)
    exact: set[str] = set()
    partial: set[str] = set()
    rows = run_query(graph, "SELECT ?n ?l WHERE { { ?n rdfs:label ?l } UNION { ?n skos:altLabel ?l } }").rows
    for node, label in rows:
        if node is None or label is None:
            continue
        folded = fold(label)
        if folded == wanted:
            exact.add(node)
        elif wanted and wanted in folded:
            partial.add(node)
    return sorted(exact) if exact else sorted(partial)


def explain_node(graph, iri: str, *, quotes: int = 5) -> Explanation:
    """Everything the graph says about one node, with at most ``quotes`` evidence quotes."""
    node = f"<{iri}>"
    labels = run_query(graph, f"SELECT ?l WHERE {{ {node} rdfs:label ?l }}").rows
    aliases = run_query(graph, f"SELECT ?l WHERE {{ {node} skos:altLabel ?l }}").rows
    classes = run_query(graph, f"SELECT ?c WHERE {{ {node} a ?c }}").rows
    explanation = Explanation(
        iri,
        min((row[0] for row in labels if row[0]), default=_paper_id(iri)),
        sorted(compact(row[0]) for row in classes if row[0]),
        sorted({row[0] for row in aliases if row[0]}),
    )
    other_end = "OPTIONAL { ?x rdfs:label ?xl } OPTIONAL { ?x a ?xc }"
    for direction, pattern in (("out", f"{node} ?p ?x"), ("in", f"?x ?p {node}")):
        rows = run_query(graph, f"SELECT ?p ?x ?xl ?xc WHERE {{ {pattern} . FILTER(isIRI(?x)) {other_end} }}").rows
        seen: dict[tuple[str, str], Link] = {}
        for predicate, other, other_label, other_class in rows:
            name = compact(predicate or "")
            if name in _HIDDEN or (direction == "in" and name == "pkg:mentions" and "/paper/" in (other or "")):
                continue  # paper mentions are summarised as counts below
            key = (name, other or "")
            if key not in seen or other_label and seen[key].other == other:
                seen[key] = Link(direction, name, other_label or other or "", compact(other_class) if other_class else None)
        explanation.links.extend(sorted(seen.values(), key=lambda link: (link.predicate, link.other)))
    for paper, count in run_query(
        graph, f"SELECT ?p ?n WHERE {{ ?p pkg:mentionCount ?r . ?r pkg:entity {node} ; pkg:count ?n }}"
    ).rows:
        explanation.mentioned_in[_paper_id(paper or "")] = int(count or 0)
    rows = run_query(
        graph,
        f"SELECT ?q ?s ?e ?p WHERE {{ {node} pkg:evidence ?ev . ?ev pkg:quote ?q ; pkg:charStart ?s ; "
        f"pkg:charEnd ?e ; pkg:statedIn ?p }}",
    ).rows
    found = sorted(Quote(_paper_id(p or ""), int(s or 0), int(e or 0), q or "") for q, s, e, p in rows)
    explanation.evidence_total = len(found)
    explanation.evidence = found[:quotes]
    return explanation


def explain(graph, term: str, *, quotes: int = 5, limit: int = 5) -> list[Explanation]:
    """Explanations of the nodes labelled ``term`` (at most ``limit``); empty when none is."""
    return [explain_node(graph, iri, quotes=quotes) for iri in find_nodes(graph, term)[:limit]]


def render_text(explanations: list[Explanation], *, links_per_predicate: int = 10) -> str:
    lines: list[str] = []
    for explanation in explanations:
        lines.append(f"{explanation.label}  ({', '.join(explanation.classes) or 'no class'})")
        lines.append(f"  iri:      {explanation.iri}")
        if explanation.aliases:
            lines.append(f"  aliases:  {'; '.join(explanation.aliases)}")
        if explanation.links:
            lines.append("  relations:")
            shown: Counter[tuple[str, str]] = Counter()
            for link in explanation.links:
                group = (link.direction, link.predicate)
                shown[group] += 1
                if shown[group] > links_per_predicate:
                    continue
                arrow = "→" if link.direction == "out" else "←"
                kind = f" [{link.other_class}]" if link.other_class else ""
                lines.append(f"    {arrow} {link.predicate} {link.other}{kind}")
            for (direction, predicate), count in sorted(shown.items()):
                if count > links_per_predicate:
                    arrow = "→" if direction == "out" else "←"
                    lines.append(f"    {arrow} {predicate} … and {count - links_per_predicate} more (--format json lists all)")
        if explanation.mentioned_in:
            counts = ", ".join(f"{paper} ×{count}" for paper, count in sorted(explanation.mentioned_in.items()))
            lines.append(f"  mentioned in: {counts}")
        if explanation.evidence:
            lines.append(f"  evidence ({len(explanation.evidence)} of {explanation.evidence_total}):")
            for quote in explanation.evidence:
                lines.append(f"    [{quote.paper} {quote.start}-{quote.end}] {quote.quote}")
        lines.append("")
    return "\n".join(lines)


def render_json(explanations: list[Explanation]) -> str:
    return json.dumps([asdict(explanation) for explanation in explanations], ensure_ascii=False, indent=2) + "\n"
