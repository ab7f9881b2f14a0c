"""Cross-contributor analysis on small hand-made facts whose answers are known."""
from __future__ import annotations

from graph.analysis.themes import (
    analyse,
    bipartite,
    clusters,
    consensus,
    emerging_themes,
    heat_map,
    recurrence,
    similarities,
    volume_shares,
)
from graph.model import (
    Citation,
    EntityLink,
    Evidence,
    GraphFacts,
    KeyPhrase,
    PaperInfo,
    PaperTheme,
    StatementInfo,
    ThemeInfo,
)

THEMES = [ThemeInfo("T01", "smart manufacturing", "t1"), ThemeInfo("T02", "talent", "t2"), ThemeInfo("T03", "data", "t3")]


def ev(paper: str, start: int, quote: str = "q") -> Evidence:
    return Evidence(paper, start, start + len(quote), quote)


def pt(paper: str, who: str, theme: str, weight: float, central: bool = False) -> PaperTheme:
    return PaperTheme(paper, who, theme, weight, central, (ev(paper, int(weight), f"{who} on {theme}"),))


def facts_of(paper_themes, statements=(), citations=(), links=(), papers=None) -> GraphFacts:
    papers = papers or sorted({PaperInfo(p.paper_id, p.paper_id, "vol", p.contributor) for p in paper_themes}, key=lambda p: p.id)
    return GraphFacts(THEMES, list(papers), list(paper_themes), list(statements), list(citations), list(links))


def test_recurrence_counts_distinct_contributors_not_papers() -> None:
    facts = facts_of([
        pt("p1", "A", "T01", 5, True), pt("p2", "A", "T01", 9),  # A twice: one contributor
        pt("p3", "B", "T01", 2), pt("p3", "B", "T02", 7, True), pt("p4", "C", "T02", 1),
        pt("p4", "C", "T03", 4),
    ])
    rows = recurrence(facts)
    assert [r.theme for r in rows] == ["T01", "T02", "T03"]  # T01 and T02 both 2; T01 has more weight
    t01 = rows[0]
    assert t01.contributors == ("A", "B") and t01.central_contributors == ("A",)
    assert t01.weight == 16
    # one quote per contributor, from that contributor's strongest paper
    assert [e.quote for e in t01.evidence] == ["A on T01", "B on T01"] and t01.evidence[0].paper_id == "p2"


def test_ties_in_contributors_broken_by_central_then_weight() -> None:
    facts = facts_of([pt("p1", "A", "T01", 3), pt("p2", "B", "T02", 1, True)])
    assert [r.theme for r in recurrence(facts)] == ["T02", "T01"]


def test_bipartite_and_weighted_similarity() -> None:
    heat = heat_map(facts_of([pt("p1", "A", "T01", 4), pt("p1", "A", "T02", 2), pt("p2", "B", "T01", 2), pt("p3", "C", "T03", 1)]))
    graph = bipartite(heat)
    assert graph.number_of_nodes() == 6 and graph.number_of_edges() == 4
    assert graph[("contributor", "A")][("theme", "T01")]["weight"] == 4
    pairs = similarities(heat)
    # A and B share T01: min sum 2, max sum 4 + 2 = 6; C shares nothing and is paired with nobody
    assert [(s.a, s.b, s.score, s.shared) for s in pairs] == [("A", "B", round(2 / 6, 4), ("T01",))]


def test_each_contributor_keeps_its_nearest_neighbours_only() -> None:
    rows = [pt("pA", "A", "T01", 5), pt("pA", "A", "T02", 1), pt("pB", "B", "T01", 5), pt("pB", "B", "T02", 1),
            pt("pC", "C", "T02", 5), pt("pC", "C", "T01", 1), pt("pD", "D", "T02", 5), pt("pD", "D", "T01", 1)]
    heat = heat_map(facts_of(rows))
    everyone = similarities(heat, neighbours=3)
    assert len(everyone) == 6  # every pair shares a theme, and each has 3 others
    nearest = similarities(heat, neighbours=1)
    assert [(s.a, s.b, s.score) for s in nearest] == [("A", "B", 1.0), ("C", "D", 1.0)]
    assert {(s.a, s.b): s.score for s in everyone}[("A", "C")] == round(2 / 10, 4)


def test_louvain_clusters_split_two_cliques_and_are_reproducible() -> None:
    rows = []
    for who in "ABC":
        rows += [pt(f"p{who}", who, "T01", 5), pt(f"p{who}", who, "T02", 5)]
    for who in "XYZ":
        rows += [pt(f"p{who}", who, "T03", 5)]
    rows.append(pt("pA", "A", "T03", 0.5))  # a faint bridge between the groups
    pairs = similarities(heat_map(facts_of(rows)))
    found = clusters(pairs)
    assert found == [("A", "B", "C"), ("X", "Y", "Z")]
    assert clusters(pairs) == found


def st(ident: str, who: str, text: str, themes=()) -> StatementInfo:
    return StatementInfo(ident, "Recommendation", f"paper-{who}", who, text, tuple(themes), ev(f"paper-{who}", 0, text))


def test_consensus_groups_same_asks_of_different_contributors_only() -> None:
    asks = [
        st("r1", "A", "Establish a municipal fund for vocational training of factory technicians"),
        st("r2", "B", "Create a vocational training fund for factory technicians and engineers"),
        st("r3", "A", "Set up vocational training fund for factory technicians in every district"),
        st("r4", "C", "Open public datasets for model training in healthcare"),
        st("r5", "C", "Harmonise cross-border data rules with neighbouring provinces"),
    ]
    groups, single = consensus(asks)
    assert len(groups) == 1
    assert groups[0].contributors == ("A", "B")
    assert {s.id for s in groups[0].statements} == {"r1", "r2", "r3"}
    assert {"vocational", "training", "fund"} <= set(groups[0].label.split())
    assert [s.id for s in single] == ["r4", "r5"]


def test_one_contributor_repeating_itself_is_not_consensus() -> None:
    groups, single = consensus([st("r1", "A", "Build smart factories now"), st("r2", "A", "Build smart factories now")])
    assert groups == [] and len(single) == 2


def test_emerging_themes_need_three_contributors_and_no_scheme_phrase() -> None:
    def kp(key: str, who: str) -> KeyPhrase:
        return KeyPhrase(key, key.title(), ev(f"paper-{who}", 10, f"{who} says {key}"))

    phrases = {
        "A": [kp("low altitude economy", "A"), kp("smart factory", "A"), kp("river port", "A")],
        "B": [kp("low altitude economy", "B"), kp("smart factory", "B"), kp("river port", "B")],
        "C": [kp("low altitude economy", "C"), kp("smart factory", "C")],
        "D": [kp("low altitude economy", "D"), kp("low altitude economy", "D")],
    }
    found = emerging_themes(phrases, ["smart factory", "factory"])
    assert [(e.key, e.contributors) for e in found] == [("low altitude economy", ("A", "B", "C", "D"))]
    assert [e.paper_id for e in found[0].evidence] == ["paper-A", "paper-B", "paper-C", "paper-D"]


def test_policies_who_cites_targets_and_centrality() -> None:
    cites = [
        Citation("p1", "A", "pol1", "Policy", "Plan One", (ev("p1", 3, "Plan One aims"),)),
        Citation("p2", "B", "pol1", "Policy", "Plan One", (ev("p2", 5, "under Plan One"),)),
        Citation("p2", "B", "pol2", "Policy", "Plan Two", (ev("p2", 9, "Plan Two"),)),
        Citation("p2", "B", "org1", "Organization", "Agency", ()),
    ]
    links = [EntityLink("pol1", "targets", "tg1", "30 smart factories", "Plan One")]
    facts = facts_of([pt("p1", "A", "T01", 3), pt("p2", "B", "T01", 3)], citations=cites, links=links)
    result = analyse(facts)
    assert [(p.label, p.cited_by, p.targets) for p in result.policies] == [
        ("Plan One", ("A", "B"), ("30 smart factories",)), ("Plan Two", ("B",), ()),
    ]
    # mention graph: p1-pol1, p2-pol1, p2-pol2, p2-org1 → 5 nodes; pol1 has degree 2 of 4 possible
    assert result.centrality["pol1"] == 0.5 and result.centrality["pol2"] == 0.25
    assert result.policies[0].centrality == 0.5


def test_volume_shares_compare_volumes() -> None:
    papers = [PaperInfo("a1", "", "Vol A", "A"), PaperInfo("a2", "", "Vol A", "B"), PaperInfo("b1", "", "Vol B", "C")]
    facts = facts_of([pt("a1", "A", "T01", 3), pt("b1", "C", "T01", 3), pt("b1", "C", "T02", 3)], papers=papers)
    assert volume_shares(facts) == {("Vol A", "T01"): 0.5, ("Vol B", "T01"): 1.0, ("Vol B", "T02"): 1.0}
    assert analyse(facts).volume_shares == volume_shares(facts)
    one_volume = facts_of([pt("a1", "A", "T01", 3)])
    assert analyse(one_volume).volume_shares == {}
