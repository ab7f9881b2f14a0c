"""The scorer: matching rules on tiny hand-made graphs with known answers, the CLI, and floors on the dev papers."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, SKOS, Graph, Literal
from rdflib.namespace import DCTERMS, FOAF

from graph.assemble import ID, PKG, bind_prefixes
from graph.build import GRAPH_FILE, BuildResult, build
from graph.cli import main
from graph.evaluate import (
    GoldError,
    covers,
    evaluate,
    evaluate_graph,
    labels_match,
    presence_flag,
    quotes_match,
    read_gold,
)

GOLD_DIR = Path(__file__).parent / "data" / "gold"

TITLE = "Making Widgets Smarter in River City"
GOLD = {
    "paper": 3,
    "title": TITLE,
    "company": "Acme",
    "company_aliases": ["Acme Widgets AG"],
    "authors": [{"name": "Dr. Jane Roe", "role": "CEO"}],
    "themes_central": ["T01", "T02"],
    "themes_mentioned": ["T05"],
    "policies": [
        {"name": "Widget Action Plan (2025-2027)", "mentions": ["Widget Plan"],
         "targets": ["40 smart widget factories by 2027"], "quote": "x"},
        {"name": "Belt and Road Initiative", "mentions": [], "targets": [], "quote": "x"},
    ],
    "places": ["River City", "Austria"],
    "organizations": [{"name": "Acme Widgets AG", "type": "company", "quote": "x"},
                      {"name": "River City University", "type": "university", "quote": "x"}],
    "recommendations": [
        {"id": "R1", "quote": "The city should fund open testbeds for small widget makers in every district."},
        {"id": "R2", "quote": "Vocational schools must teach predictive maintenance to apprentices."},
    ],
    "commitments": [{"label": "training", "quote": "Acme stands ready to co-develop training modules with local colleges."}],
    "operates_in_chongqing": True,
}


def _tiny_graph(*, title: str = TITLE, presence: str | None = "Chongqing") -> Graph:
    """A hand-made graph of one paper, with known right and wrong answers for every task."""
    g = bind_prefixes(Graph())
    paper = ID["paper/p3"]
    g.add((paper, RDF.type, PKG.Paper))
    g.add((paper, DCTERMS.title, Literal(title)))
    acme = ID["org/acme"]
    g.add((acme, RDF.type, PKG.Company))
    g.add((acme, RDFS.label, Literal("Acme Widgets AG")))
    g.add((paper, PKG.contributedBy, acme))
    g.add((paper, PKG.mentions, acme))  # the contributor is never scored as an organisation
    jane = ID["person/jane"]
    g.add((jane, FOAF.name, Literal("Jane Roe")))
    g.add((paper, PKG.authoredBy, jane))

    def node(path: str, cls, label: str, *aliases: str):
        iri = ID[path]
        g.add((iri, RDF.type, cls))
        g.add((iri, RDFS.label, Literal(label)))
        for alias in aliases:
            g.add((iri, SKOS.altLabel, Literal(alias)))
        g.add((paper, PKG.mentions, iri))
        return iri

    plan = node("policy/widget", PKG.Policy, "Widget Plan", "“Widget Plan”")
    target = ID["target/40-factories"]
    g.add((target, RDF.type, PKG.Target))
    g.add((target, RDFS.label, Literal("40 smart widget factories")))
    g.add((plan, PKG.targets, target))
    # a link and its two ends share the evidence of the sentence it was read from
    sentence = ID["evidence/p3-10-60"]
    g.add((sentence, PKG.statedIn, paper))
    g.add((plan, PKG.evidence, sentence))
    g.add((target, PKG.evidence, sentence))
    # the same plan's target read from another paper is not this paper's
    elsewhere, other_target = ID["evidence/p9-10-60"], ID["target/river-ports"]
    g.add((elsewhere, PKG.statedIn, ID["paper/p9"]))
    g.add((other_target, RDFS.label, Literal("River City widget ports")))
    g.add((plan, PKG.targets, other_target))
    g.add((plan, PKG.evidence, elsewhere))
    g.add((other_target, PKG.evidence, elsewhere))
    node("policy/dual", PKG.Policy, "Dual Circulation")  # not in the gold: spurious
    node("org/rcu", PKG.Organization, "River City University")
    node("org/ai", PKG.Organization, "AI")  # spurious
    node("place/river", PKG.Place, "River City")
    chongqing = node("place/chongqing", PKG.Place, "Chongqing")  # not in the gold places: spurious
    if presence:
        g.add((acme, PKG.operatesIn, chongqing))

    def statement(path: str, cls, text: str) -> None:
        iri = ID[path]
        g.add((iri, RDF.type, cls))
        g.add((iri, PKG.text, Literal(text)))
        g.add((iri, PKG.statedIn, paper))

    statement("recommendation/1", PKG.Recommendation,
              "We recommend that the city fund open testbeds for small widget makers.")
    statement("recommendation/2", PKG.Recommendation, "Acme has run a plant in the city since 2002.")
    statement("commitment/1", PKG.Commitment, "Acme stands ready to co-develop training modules with colleges.")
    for code in ("T01", "T05", "T09"):
        theme = ID[f"theme/{code}"]
        g.add((theme, SKOS.notation, Literal(code)))
        g.add((paper, PKG.hasTheme, theme))
    return g


def _scores(graph: Graph) -> dict:
    return evaluate_graph(graph, [GOLD]).tasks


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Siemens Ltd., China", "siemens ltd china", True),  # case and punctuation
        ("Thyssenkrupp", "Thyssenkrupp Automotive", True),  # containment
        ("AI", "Supply Chain", False),  # containment needs 4+ characters
        ("Made in China 2025", "China Manufacturing 2025 plan", False),  # 3 of 5 tokens shared
        ("Yangtze River Economic Belt", "Economic Belt of the Yangtze River", False),  # 4 of 6
        ("Chongqing Liangjiang New Area", "Liangjiang New Area Chongqing", True),  # same tokens, other order
        ("River City", "Lake City", False),
    ],
)
def test_label_matching_rules(a: str, b: str, expected: bool) -> None:
    assert labels_match(a, b) is expected
    assert labels_match(b, a) is expected


def test_quote_matching_counts_content_words_in_either_direction() -> None:
    gold = "Chongqing should establish a regional AI talent fund for vocational colleges."
    assert covers(gold, "We suggest that Chongqing establish a talent fund for regional AI vocational colleges.")
    assert not covers(gold, "Chongqing has many vocational colleges.")
    long_statement = gold + " It should also build data centres, testbeds, incubators and a new airport."
    assert not covers(long_statement, gold)
    assert quotes_match(gold, long_statement)


def test_tiny_graph_scores_are_the_known_answers() -> None:
    scores = _scores(_tiny_graph())
    recs = scores["recommendations"]
    assert (recs.gold, recs.extracted, recs.found, recs.correct) == (2, 2, 1, 1)
    assert recs.precision == recs.recall == recs.f1 == 0.5
    assert (scores["commitments"].found, scores["commitments"].correct) == (1, 1)
    assert (scores["contributors"].found, scores["contributors"].papers_right) == (1, 1)
    assert (scores["authors"].found, scores["authors"].correct) == (1, 1)
    policies = scores["policies"]
    assert (policies.gold, policies.extracted, policies.found, policies.correct) == (2, 2, 1, 1)
    orgs = scores["organizations"]
    # The contributor is neither a gold organisation nor an extracted one.
    assert (orgs.gold, orgs.extracted, orgs.found, orgs.correct) == (1, 2, 1, 1)
    places = scores["places"]
    assert (places.gold, places.extracted, places.found, places.correct) == (2, 2, 1, 1)
    themes = scores["themes"]
    # Recall over central (T01 of T01, T02); precision over central + mentioned (T01, T05 of T01, T05, T09).
    assert (themes.gold, themes.extracted, themes.found, themes.correct) == (2, 3, 1, 2)
    targets = scores["policy targets"]
    assert (targets.gold, targets.extracted, targets.found, targets.correct) == (1, 1, 1, 1)
    presence = scores["operatesIn"]
    assert (presence.found, presence.papers_right, presence.papers) == (1, 1, 1)


def test_missing_presence_and_unmatched_title_lower_the_scores() -> None:
    assert _scores(_tiny_graph(presence=None))["operatesIn"].papers_right == 0
    result = evaluate_graph(_tiny_graph(title="Some Other Paper Entirely"), [GOLD])
    assert result.unmatched_papers == [TITLE]
    assert all(score.found == 0 for score in result.tasks.values())


def test_errors_list_what_was_missed_and_what_was_spurious() -> None:
    errors = evaluate_graph(_tiny_graph(), [GOLD]).errors
    spurious = {(e.task, e.text) for e in errors if e.kind == "spurious"}
    missed = {(e.task, e.text) for e in errors if e.kind == "missed"}
    assert ("organizations", "AI") in spurious
    assert ("recommendations", "Acme has run a plant in the city since 2002.") in spurious
    assert ("places", "Austria") in missed
    assert ("themes", "T02") in missed


def test_a_policys_targets_read_from_another_paper_are_not_this_papers() -> None:
    graph = _tiny_graph()
    sentence = ID["evidence/p3-10-60"]
    graph.remove((sentence, PKG.statedIn, ID["paper/p3"]))
    graph.add((sentence, PKG.statedIn, ID["paper/p9"]))  # the matching target now comes from paper 9
    targets = _scores(graph)["policy targets"]
    assert (targets.gold, targets.extracted, targets.found, targets.correct) == (1, 0, 0, 0)


def test_cli_prints_scores_as_json(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    _tiny_graph().serialize(out / GRAPH_FILE, format="turtle")
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "paper_03.json").write_text(json.dumps(GOLD), encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(gold), "--out", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {row["task"]: row for row in json.loads(result.stdout)}
    assert rows["recommendations"]["f1"] == "0.500"
    assert rows["operatesIn"]["papers_right"] == "1/1"


def test_cli_names_the_bad_annotation_file(tmp_path: Path) -> None:
    (tmp_path / "paper_01.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(GoldError, match="paper_01.json"):
        read_gold(tmp_path)
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(tmp_path), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "paper_01.json" in result.stderr and result.stderr.count("\n") == 1


# Floors just under what the pipeline reaches on the development papers (F1 unless noted); whoever
# improves a task raises its floor, so a regression fails here.
FLOORS = {
    "contributors": 1.0,
    "authors": 0.99,
    "organizations": 0.94,
    "places": 0.96,
    "recommendations": 0.86,
    # cue phrases read across adverbs also find "AT&S is also deeply committed to developing local talent", which
    # the dev annotation does not count (as it does not count "AT&S is committed to playing an active role")
    "commitments": 0.71,
}
# Papers 4 and 15, annotated for statements only and never tuned on (tests/data/gold_heldout/README.md).
HELD_OUT_DIR = Path(__file__).parent / "data" / "gold_heldout"
# One statement per list item (not one per sentence) counts an item's sentences once: the same asks are found
# and the same 8 are spurious, but precision no longer counts a two-sentence item twice (0.84 before).
HELD_OUT_FLOORS = {"recommendations": 0.82}

# Authored papers of other cities and companies (tests/data/fresh*/README.md), F1 unless noted. The third session's
# rules cost fresh5 a place, fresh7 and fresh12 an organisation and fresh10 a commitment (floors lowered by one item).
FRESH_FLOORS = {
    "fresh": {"policies": 0.95, "organizations": 0.83, "places": 0.91, "recommendations": 0.94,
              "commitments": 0.85, "policy targets recall": 0.70},
    "fresh2": {"policies": 0.91, "organizations": 0.83, "places": 0.94, "recommendations": 0.85,
               "commitments": 0.93, "policy targets recall": 0.82},
    "fresh3": {"policies": 0.89, "organizations": 0.88, "places": 0.93, "recommendations": 0.88,
               "commitments": 0.91, "policy targets recall": 0.80},
    "fresh4": {"policies": 0.78, "organizations": 0.82, "places": 0.93, "recommendations": 0.89,
               "commitments": 0.90, "policy targets recall": 0.60},
    "fresh5": {"policies": 0.90, "organizations": 0.81, "places": 0.90, "recommendations": 0.91,
               "commitments": 0.83, "policy targets recall": 0.83},
    "fresh6": {"policies": 0.92, "organizations": 0.79, "places": 0.92, "recommendations": 0.82,
               "commitments": 0.71, "policy targets recall": 0.77},
    "fresh7": {"policies": 0.94, "organizations": 0.80, "places": 0.97, "recommendations": 0.81,
               "commitments": 0.75, "policy targets recall": 0.65},
    "fresh8": {"policies": 0.92, "organizations": 0.74, "places": 0.95, "recommendations": 0.77,
               "commitments": 0.80, "policy targets recall": 0.73},
    "fresh9": {"policies": 0.87, "organizations": 0.81, "places": 0.89, "recommendations": 0.84,
               "commitments": 0.75, "policy targets recall": 0.70},
    "fresh10": {"policies": 0.86, "organizations": 0.87, "places": 0.96, "recommendations": 0.86,
                "commitments": 0.81, "policy targets recall": 0.58},
    "fresh11": {"policies": 0.85, "organizations": 0.75, "places": 0.92, "recommendations": 0.87,
                "commitments": 0.84, "policy targets recall": 0.68},
    "fresh12": {"policies": 0.91, "organizations": 0.80, "places": 0.94, "recommendations": 0.94,
                "commitments": 1.0, "policy targets recall": 0.59},
    "fresh13": {"policies": 0.89, "organizations": 0.83, "places": 0.92, "recommendations": 0.88,
                "commitments": 0.72, "policy targets recall": 0.60},
    "fresh14": {"policies": 0.98, "organizations": 0.82, "places": 0.90, "recommendations": 0.90,
                "commitments": 0.88, "policy targets recall": 0.59},
    "fresh15": {"policies": 0.81, "organizations": 0.67, "places": 0.93, "recommendations": 0.86,
                "commitments": 0.76, "policy targets recall": 0.56},
    "fresh16": {"policies": 0.78, "organizations": 0.57, "places": 0.88, "recommendations": 0.66,
                "commitments": 0.69, "policy targets recall": 0.41},
    # fresh17 and fresh18: only their scores have been read (their READMEs), never their errors
    "fresh17": {"policies": 0.81, "organizations": 0.81, "places": 0.94, "recommendations": 0.70,
                "commitments": 0.81, "policy targets recall": 0.58},
    "fresh18": {"policies": 0.96, "organizations": 0.73, "places": 0.95, "recommendations": 0.57,
                "commitments": 1.0, "policy targets recall": 0.73},
}


def test_dev_papers_reach_their_floors(bundled_build: BuildResult) -> None:
    result = evaluate(GOLD_DIR, bundled_build.out_dir)
    assert result.unmatched_papers == []
    reached = {task: round(result.tasks[task].f1, 3) for task in FLOORS}
    assert all(reached[task] >= floor for task, floor in FLOORS.items()), reached


def test_held_out_papers_reach_their_floors(bundled_build: BuildResult) -> None:
    result = evaluate(HELD_OUT_DIR, bundled_build.out_dir)
    assert result.unmatched_papers == []
    reached = {task: round(result.tasks[task].f1, 3) for task in HELD_OUT_FLOORS}
    assert all(reached[task] >= floor for task, floor in HELD_OUT_FLOORS.items()), reached


def test_the_presence_flag_names_its_place() -> None:
    assert presence_flag({"paper": 1, "operates_in_chongqing": True}) == ("Chongqing", True)
    assert presence_flag({"paper": 2, "operates_in_new_york": False}) == ("New York", False)
    assert presence_flag({"paper": 3}) is None
    assert presence_flag({"paper": 4, "operates_in_chongqing": None}) is None  # left open: not annotated


def test_presence_is_scored_for_the_place_the_flag_names() -> None:
    elsewhere = {k: v for k, v in GOLD.items() if k != "operates_in_chongqing"} | {"operates_in_river_city": True}
    presence = evaluate_graph(_tiny_graph(), [elsewhere]).tasks["operatesIn"]  # the graph's presence is in Chongqing
    assert (presence.found, presence.papers_right, presence.papers) == (0, 0, 1)
    unannotated = {k: v for k, v in GOLD.items() if k != "operates_in_chongqing"}
    assert evaluate_graph(_tiny_graph(), [unannotated]).tasks["operatesIn"].papers == 0


@pytest.mark.parametrize("folder", sorted(FRESH_FLOORS))
def test_authored_papers_of_other_cities_reach_their_floors(folder: str, tmp_path: Path) -> None:
    data = Path(__file__).parent / "data" / folder
    built = build([data / "papers"], tmp_path / "out", store="memory")
    result = evaluate(data / "gold", built.out_dir)
    assert result.unmatched_papers == []
    reached = {task: round(result.tasks[task].f1, 3) for task in FRESH_FLOORS[folder] if not task.endswith("recall")}
    reached["policy targets recall"] = round(result.tasks["policy targets"].recall, 3)
    assert all(reached[task] >= floor for task, floor in FRESH_FLOORS[folder].items()), reached
