"""Cross-contributor analysis of themes, recommendations and policies, over plain ``GraphFacts``.

Every result keeps the quotes it rests on, so a report can show where each number comes from.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

import networkx as nx

from ..model import (
    Analysis,
    Citation,
    ConsensusGroup,
    EmergingTheme,
    GraphFacts,
    KeyPhrase,
    PolicyUse,
    Similarity,
    StatementInfo,
    ThemeRecurrence,
)

# Louvain is randomised; a fixed seed makes the clusters the same on every run.
LOUVAIN_SEED = 42
# Two asks of different contributors are "the same ask" above this Jaccard overlap of content words.
CONSENSUS_SIMILARITY = 0.25
# Words in more than this share of all recommendations say nothing about what is asked ("should", the city).
COMMON_WORD_SHARE = 0.2
# Emerging themes: a key phrase used by at least this many contributors.
EMERGING_MIN_CONTRIBUTORS = 3
# ... and by at most this share of them, once there are enough contributors to tell: a phrase nearly
# everyone uses is the volume's common subject ("artificial intelligence"), not an emerging theme.
EMERGING_MAX_SHARE = 0.5
EMERGING_SHARE_FROM = 10
EMERGING_LIMIT = 20


def recurrence(facts: GraphFacts) -> list[ThemeRecurrence]:
    """For each theme raised by anyone: its distinct contributors, central ones, total weight and a quote each.

    Ranked by number of contributors, then by how many hold it central, then by weight.
    """
    labels = {t.code: t.label for t in facts.themes}
    by_theme: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for row in facts.paper_themes:
        by_theme[row.theme][row.contributor or row.paper_id].append(row)
    rows = []
    for code, per_contributor in by_theme.items():
        contributors = tuple(sorted(per_contributor))
        central = tuple(c for c in contributors if any(r.central for r in per_contributor[c]))
        weight = sum(r.weight for rows_ in per_contributor.values() for r in rows_)
        evidence = []
        for name in contributors:
            strongest = max(per_contributor[name], key=lambda r: (r.weight, r.paper_id))
            if strongest.evidence:
                evidence.append(strongest.evidence[0])
        rows.append(ThemeRecurrence(code, labels.get(code, code), contributors, central, weight, tuple(evidence)))
    return sorted(rows, key=lambda r: (-len(r.contributors), -len(r.central_contributors), -r.weight, r.theme))


def heat_map(facts: GraphFacts) -> dict[tuple[str, str], float]:
    """Theme weight per (contributor, theme)."""
    heat: dict[tuple[str, str], float] = defaultdict(float)
    for row in facts.paper_themes:
        heat[(row.contributor or row.paper_id, row.theme)] += row.weight
    return dict(heat)


def bipartite(heat: dict[tuple[str, str], float]) -> nx.Graph:
    """Contributor × theme graph: contributor nodes (bipartite=0), theme nodes (bipartite=1), weighted edges."""
    graph = nx.Graph()
    for (contributor, theme), weight in sorted(heat.items()):
        graph.add_node(("contributor", contributor), bipartite=0)
        graph.add_node(("theme", theme), bipartite=1)
        graph.add_edge(("contributor", contributor), ("theme", theme), weight=weight)
    return graph


# Each contributor keeps its most similar others: the similarity graph (and the clusters read from it)
# then grows linearly with the contributors, not with their pairs (605 000 pairs for 1 100 contributors).
NEIGHBOURS = 10


def similarities(heat: dict[tuple[str, str], float], neighbours: int = NEIGHBOURS) -> list[Similarity]:
    """Contributor similarity, weighted Jaccard of theme weights (sum of minima over sum of maxima).

    Every pair with a theme in common is scored; a pair is kept when one of the two counts the other
    among its ``neighbours`` most similar contributors (ties broken by name).
    """
    profiles: dict[str, dict[str, float]] = defaultdict(dict)
    for (contributor, theme), weight in heat.items():
        profiles[contributor][theme] = weight
    names = sorted(profiles)
    totals = {name: sum(profiles[name].values()) for name in names}
    nearest: dict[str, list[tuple[float, str]]] = {name: [] for name in names}

    def offer(name: str, score: float, other: str) -> None:
        candidates = nearest[name]
        candidates.append((-score, other))
        if len(candidates) > 4 * neighbours:  # trimmed now and then, so memory stays linear
            candidates.sort()
            del candidates[neighbours:]

    scored: dict[tuple[str, str], Similarity] = {}
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            shared = profiles[a].keys() & profiles[b].keys()
            if not shared:
                continue
            low = sum(min(profiles[a][t], profiles[b][t]) for t in shared)
            high = totals[a] + totals[b] - low  # the sum of maxima over both profiles' themes
            if not high:
                continue
            score = round(low / high, 4)
            offer(a, score, b)
            offer(b, score, a)
    kept: set[tuple[str, str]] = set()
    for name, candidates in nearest.items():
        for _, other in sorted(candidates)[:neighbours]:
            kept.add((min(name, other), max(name, other)))
    for a, b in kept:
        shared = tuple(sorted(profiles[a].keys() & profiles[b].keys()))
        low = sum(min(profiles[a][t], profiles[b][t]) for t in shared)
        scored[(a, b)] = Similarity(a, b, round(low / (totals[a] + totals[b] - low), 4), shared)
    return sorted(scored.values(), key=lambda s: (-s.score, s.a, s.b))


def clusters(pairs: list[Similarity]) -> list[tuple[str, ...]]:
    """Groups of like-minded contributors: Louvain communities of the similarity graph, fixed seed."""
    graph = nx.Graph()
    for pair in pairs:
        graph.add_edge(pair.a, pair.b, weight=pair.score)
    if graph.number_of_edges() == 0:
        return []
    communities = nx.community.louvain_communities(graph, weight="weight", seed=LOUVAIN_SEED)
    return sorted((tuple(sorted(c)) for c in communities), key=lambda c: (-len(c), c))


_FIRST_SENTENCE = re.compile(r"(?<=[a-z0-9)”\"][.!?])\s+(?=[A-Z“\"])")


def _words(text: str) -> set[str]:
    # Imported here, not at the top: importing spaCy takes a second that most commands never need.
    from spacy.lang.en.stop_words import STOP_WORDS

    words = set()
    for word in re.findall(r"[a-z][a-z\-]+", text.lower()):
        if word in STOP_WORDS or len(word) < 3:
            continue
        # A crude singular, so "factories" and "factory" meet; exact morphology matters little for overlap.
        word = re.sub(r"ies$", "y", word) if word.endswith("ies") else re.sub(r"(?<=[^s])s$", "", word)
        words.add(word)
    return words


def consensus(statements: list[StatementInfo]) -> tuple[list[ConsensusGroup], list[StatementInfo]]:
    """Recommendations that different contributors share (grouped), and asks no other contributor makes."""
    asks = [s for s in statements if s.kind == "Recommendation"]
    # An ask of several sentences (a list item with its reasons) is compared by its first: the reasons
    # would dilute the overlap of two asks that say the same thing.
    bags = {s.id: _words(_FIRST_SENTENCE.split(s.text, maxsplit=1)[0]) for s in asks}
    frequency = Counter(w for bag in bags.values() for w in bag)
    common = {w for w, n in frequency.items() if len(asks) >= 10 and n > COMMON_WORD_SHARE * len(asks)}
    bags = {k: v - common for k, v in bags.items()}
    graph = nx.Graph()
    graph.add_nodes_from(s.id for s in asks)
    # Only asks sharing at least two words can be linked: find those through an index of words, rather
    # than comparing every pair, which grows with the square of the number of asks.
    postings: dict[str, list[int]] = defaultdict(list)
    for index, ask in enumerate(asks):
        for word in bags[ask.id]:
            postings[word].append(index)
    for i, a in enumerate(asks):
        shared = Counter(j for word in bags[a.id] for j in postings[word] if j > i)
        for j in sorted(j for j, count in shared.items() if count >= 2):
            b = asks[j]
            if a.contributor == b.contributor:
                continue
            overlap = shared[j] / (len(bags[a.id]) + len(bags[b.id]) - shared[j])
            if overlap >= CONSENSUS_SIMILARITY:
                graph.add_edge(a.id, b.id, weight=overlap)
    by_id = {s.id: s for s in asks}
    groups, grouped = [], set()
    for component in nx.connected_components(graph):
        members = tuple(sorted((by_id[i] for i in component), key=lambda s: (s.contributor or "", s.id)))
        if len({s.contributor for s in members}) < 2:
            continue
        grouped.update(component)
        shared = Counter(w for s in members for w in bags[s.id])
        label = " ".join(w for w, n in sorted(shared.items(), key=lambda x: (-x[1], x[0]))[:5] if n >= 2)
        key = hashlib.sha256("\n".join(sorted(component)).encode()).hexdigest()[:12]
        groups.append(ConsensusGroup(key, label, members))
    groups.sort(key=lambda g: (-len(g.contributors), g.label))
    single = sorted((s for s in asks if s.id not in grouped), key=lambda s: (s.contributor or "", s.id))
    return groups, single


def mention_graph(citations: list[Citation]) -> nx.Graph:
    """Papers linked to the policies and organisations they name."""
    graph = nx.Graph()
    for cite in citations:
        if cite.kind in ("Policy", "Organization", "Company"):
            graph.add_edge(("paper", cite.paper_id), ("entity", cite.entity))
    return graph


def policies(facts: GraphFacts, centrality: dict[str, float]) -> list[PolicyUse]:
    """Each cited policy: who cites it, what it targets, its centrality, and the quotes."""
    targets: dict[str, set[str]] = defaultdict(set)
    for link in facts.links:
        if link.predicate == "targets":
            targets[link.subject].add(link.object_label)
    cited: dict[str, list[Citation]] = defaultdict(list)
    for cite in facts.citations:
        if cite.kind == "Policy":
            cited[cite.entity].append(cite)
    out = []
    for iri, cites in cited.items():
        contributors = tuple(sorted({c.contributor or c.paper_id for c in cites}))
        evidence = tuple(e for c in sorted(cites, key=lambda c: c.paper_id) for e in c.evidence[:1])
        out.append(PolicyUse(iri, cites[0].label, contributors, tuple(sorted(targets[iri])), centrality.get(iri, 0.0), evidence))
    return sorted(out, key=lambda p: (-len(p.cited_by), -p.centrality, p.label))


def emerging_themes(
    phrases: dict[str, list[KeyPhrase]], scheme_phrases: Iterable[str], *, min_contributors: int = EMERGING_MIN_CONTRIBUTORS
) -> list[EmergingTheme]:
    """Key phrases used by several contributors that no scheme phrase covers, with a quote per contributor.

    ``phrases`` maps a contributor to the key phrases of their papers; a key phrase is covered when it
    holds every content word of some scheme phrase.
    """
    # Compared as content words, so "small and medium-sized enterprises" meets "small and medium-sized enterprise".
    covered = [words for words in (_words(p) for p in scheme_phrases) if words]
    users: dict[str, dict[str, KeyPhrase]] = defaultdict(dict)
    for contributor, found in phrases.items():
        for phrase in found:
            users[phrase.key].setdefault(contributor, phrase)
    ceiling = EMERGING_MAX_SHARE * len(phrases) if len(phrases) >= EMERGING_SHARE_FROM else len(phrases)
    # A phrase made only of words that most contributors use ("AI adoption", "advanced technologies") is
    # the volume's common vocabulary recombined, not a topic of its own.
    word_users: dict[str, set[str]] = defaultdict(set)
    for key, by_contributor in users.items():
        for word in key.split():
            word_users[word].update(by_contributor)
    out = []
    for key, by_contributor in users.items():
        if not min_contributors <= len(by_contributor) <= ceiling:
            continue
        if all(len(word_users[word]) > ceiling for word in key.split()):
            continue
        words = _words(key)
        if any(c <= words for c in covered):
            continue
        names = tuple(sorted(by_contributor))
        label = Counter(by_contributor[n].text.lower() for n in names).most_common(1)[0][0]
        out.append(EmergingTheme(key, label, names, tuple(by_contributor[n].evidence for n in names)))
    out.sort(key=lambda e: (-len(e.contributors), e.key))
    return out[:EMERGING_LIMIT]


def volume_shares(facts: GraphFacts) -> dict[tuple[str, str], float]:
    """Share of each volume's papers that have each theme (only meaningful with more than one volume)."""
    papers_in: dict[str, set[str]] = defaultdict(set)
    for paper in facts.papers:
        papers_in[paper.volume].add(paper.id)
    volume_of = {p.id: p.volume for p in facts.papers}
    with_theme: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in facts.paper_themes:
        with_theme[(volume_of.get(row.paper_id, ""), row.theme)].add(row.paper_id)
    return {key: round(len(ids) / len(papers_in[key[0]]), 4) for key, ids in sorted(with_theme.items()) if papers_in[key[0]]}


def analyse(facts: GraphFacts, emerging: list[EmergingTheme] | None = None) -> Analysis:
    """All cross-contributor results of ``facts``; ``emerging`` replaces the candidate themes read from the graph."""
    heat = heat_map(facts)
    pairs = similarities(heat)
    groups, single = consensus(facts.statements)
    graph = mention_graph(facts.citations)
    degree = nx.degree_centrality(graph) if graph.number_of_nodes() > 1 else {}
    centrality = {node[1]: round(value, 4) for node, value in sorted(degree.items()) if node[0] == "entity"}
    contributors = sorted({p.contributor or p.id for p in facts.papers})
    return Analysis(
        recurrence=recurrence(facts),
        contributors=contributors,
        heat=heat,
        similarities=pairs,
        clusters=clusters(pairs),
        consensus=groups,
        single_asks=single,
        policies=policies(facts, centrality),
        centrality=centrality,
        emerging=emerging if emerging is not None else facts.emerging,
        volume_shares=volume_shares(facts) if len({p.volume for p in facts.papers}) > 1 else {},
    )
