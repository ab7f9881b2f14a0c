"""Score a built graph against annotated papers (the format of tests/data/gold/ANNOTATION.md).

The graph is read only through the ontology contract, with SPARQL over ``graph.ttl``, exactly as an
external measurement would read it; nothing here looks at extraction internals. The matching rules are
the ones at the end of ANNOTATION.md:

- papers are matched by title; a contributor is right when its label equals or contains the gold
  company or one of its aliases;
- labels (policies, organisations, places, authors) match when, ignoring case and punctuation, they are
  equal, one contains the other (4+ characters), or they share 75% of their tokens (at least 2);
- a gold quote (recommendation, commitment) is found when 60% of its content words occur in one
  extracted statement of the same paper; an extracted statement is right when it overlaps a gold one
  the same way, in either direction;
- themes: recall over ``themes_central``, precision over central + mentioned, by ``skos:notation``;
- policy targets: a gold policy with targets counts when one of its ``pkg:targets`` objects read
  from that paper (the link's evidence is stated in it) shares half the content words of one gold target;
- operatesIn: the gold ``operates_in_<place>`` flag (``operates_in_chongqing``) against a
  ``pkg:operatesIn`` link from the contributor to a place of that name.

Scores are micro-averaged over papers: counts are summed, then divided.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .assemble.query import run_query
from .build import GRAPH_FILE, load_graph

TASKS = (
    "contributors",
    "authors",
    "policies",
    "organizations",
    "places",
    "recommendations",
    "commitments",
    "themes",
    "policy targets",
    "operatesIn",
)
# The gold flag of a contributor's own presence names its place: operates_in_chongqing.
_PRESENCE_FLAG = re.compile(r"^operates_in_(\w+)$")

_WORD = re.compile(r"\w+")


class GoldError(ValueError):
    """An annotation file that cannot be read; the message names the file and the cause."""


@dataclass
class TaskScore:
    """Counts and scores of one task; ``found`` gold items were found, ``correct`` extracted ones are right."""

    task: str
    gold: int = 0
    extracted: int = 0
    found: int = 0
    correct: int = 0
    # Papers whose yes/no answer agrees with the gold one, for the per-paper tasks (contributors, operatesIn).
    papers_right: int | None = None
    papers: int | None = None

    @property
    def precision(self) -> float:
        return self.correct / self.extracted if self.extracted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: TaskScore) -> None:
        self.gold += other.gold
        self.extracted += other.extracted
        self.found += other.found
        self.correct += other.correct
        if other.papers is not None:
            self.papers = (self.papers or 0) + other.papers
            self.papers_right = (self.papers_right or 0) + (other.papers_right or 0)


@dataclass
class Miss:
    """One error, for reading what went wrong: a gold item not found, or an extracted one not in the gold."""

    paper: int
    task: str
    kind: str  # "missed" (gold not found) or "spurious" (extracted, not in the gold)
    text: str


@dataclass
class Evaluation:
    tasks: dict[str, TaskScore]
    by_paper: dict[int, dict[str, TaskScore]]
    errors: list[Miss] = field(default_factory=list)
    unmatched_papers: list[str] = field(default_factory=list)  # gold titles with no paper in the graph


# --------------------------------------------------------------------------------------- matching


def normalise_label(text: str) -> str:
    """Case- and punctuation-insensitive form of a label."""
    return " ".join(_WORD.findall(text.lower().replace("_", " ")))


def labels_match(a: str, b: str) -> bool:
    """Equal, one containing the other (4+ characters), or 75% token overlap with at least 2 shared tokens."""
    a, b = normalise_label(a), normalise_label(b)
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    if len(shorter) >= 4 and shorter in longer:
        return True
    ta, tb = set(a.split()), set(b.split())
    shared = len(ta & tb)
    return shared >= 2 and shared / max(len(ta), len(tb)) >= 0.75


def any_label_match(names: Iterable[str], labels: Iterable[str]) -> bool:
    labels = list(labels)
    return any(labels_match(name, label) for name in names for label in labels)


def content_words(text: str) -> set[str]:
    # Imported here, not at the top: importing spaCy takes a second that most commands never need.
    from spacy.lang.en.stop_words import STOP_WORDS

    return {word for word in _WORD.findall(text.lower()) if word not in STOP_WORDS}


def covers(part: str, whole: str, share: float = 0.6) -> bool:
    """Whether ``share`` of the content words of ``part`` occur in ``whole``."""
    words = content_words(part)
    return bool(words) and len(words & content_words(whole)) / len(words) >= share


def quotes_match(gold: str, extracted: str) -> bool:
    return covers(gold, extracted) or covers(extracted, gold)


def _score_items(
    task: str,
    paper: int,
    gold: list[tuple[str, list[str]]],
    extracted: list[tuple[str, list[str]]],
    found_by: Callable[[list[str], list[str]], bool],
    right_by: Callable[[list[str], list[str]], bool],
    errors: list[Miss],
) -> TaskScore:
    """Score items given as (display text, names to match on) pairs."""
    score = TaskScore(task, gold=len(gold), extracted=len(extracted))
    for text, names in gold:
        if any(found_by(names, other) for _, other in extracted):
            score.found += 1
        else:
            errors.append(Miss(paper, task, "missed", text))
    for text, names in extracted:
        if any(right_by(other, names) for _, other in gold):
            score.correct += 1
        else:
            errors.append(Miss(paper, task, "spurious", text))
    return score


def _label_rule(gold: list[str], extracted: list[str]) -> bool:
    return any_label_match(gold, extracted)


def _gold_quote_found(gold: list[str], extracted: list[str]) -> bool:
    return covers(gold[0], extracted[0])


def _quote_overlap(gold: list[str], extracted: list[str]) -> bool:
    return quotes_match(gold[0], extracted[0])


# ------------------------------------------------------------------------------------- graph side


@dataclass
class _GraphPaper:
    iri: str
    title: str
    contributor: str | None = None
    contributor_labels: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    mentioned: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # class -> node -> labels
    statements: dict[str, list[str]] = field(default_factory=dict)  # class -> texts
    themes: set[str] = field(default_factory=set)
    policy_targets: dict[str, list[str]] = field(default_factory=dict)  # policy node -> target labels
    presence: list[str] = field(default_factory=list)  # labels of places the contributor operates in


def _rows(graph, sparql: str) -> list[list[str | None]]:
    return run_query(graph, sparql).rows


def _labels(graph) -> dict[str, list[str]]:
    labels: dict[str, list[str]] = {}
    for node, label in _rows(graph, "SELECT ?n ?l WHERE { { ?n rdfs:label ?l } UNION { ?n skos:altLabel ?l } }"):
        labels.setdefault(node, []).append(label)
    return labels


def read_graph(graph) -> list[_GraphPaper]:
    """What the graph says about each paper, through the ontology's classes and properties."""
    labels = _labels(graph)
    papers: dict[str, _GraphPaper] = {}
    for iri, title in _rows(graph, "SELECT ?p ?t WHERE { ?p a pkg:Paper ; dcterms:title ?t }"):
        papers[iri] = _GraphPaper(iri, title)
    for paper, org in _rows(graph, "SELECT ?p ?o WHERE { ?p a pkg:Paper ; pkg:contributedBy ?o }"):
        papers[paper].contributor = org
        papers[paper].contributor_labels = labels.get(org, [])
    for paper, name in _rows(
        graph, "SELECT ?p ?n WHERE { ?p a pkg:Paper ; pkg:authoredBy ?a . { ?a foaf:name ?n } UNION { ?a rdfs:label ?n } }"
    ):
        if name not in papers[paper].authors:
            papers[paper].authors.append(name)
    for paper, node, cls in _rows(
        graph,
        "SELECT ?p ?n ?c WHERE { ?p a pkg:Paper ; pkg:mentions ?n . ?n a ?c . "
        "VALUES ?c { pkg:Policy pkg:Organization pkg:Company pkg:Place } }",
    ):
        kind = "Organization" if cls.endswith("#Company") else cls.rsplit("#", 1)[-1]
        papers[paper].mentioned.setdefault(kind, {})[node] = labels.get(node, [])
    for paper, cls, text in _rows(
        graph,
        "SELECT ?p ?c ?t WHERE { ?s a ?c ; pkg:statedIn ?p ; pkg:text ?t . ?p a pkg:Paper . "
        "VALUES ?c { pkg:Recommendation pkg:Commitment } }",
    ):
        papers[paper].statements.setdefault(cls.rsplit("#", 1)[-1], []).append(text)
    for paper, code in _rows(graph, "SELECT ?p ?code WHERE { ?p a pkg:Paper ; pkg:hasTheme ?t . ?t skos:notation ?code }"):
        papers[paper].themes.add(code)
    # A paper's targets are the links read from its own text: a resolved policy node gathers the
    # targets of every paper, and one paper is not scored on what another says. A link and its two
    # ends share the evidence of the sentence it was read from, which names the paper.
    for paper, policy, target, text in _rows(
        graph,
        "SELECT DISTINCT ?p ?pol ?t ?x WHERE { ?pol a pkg:Policy ; pkg:targets ?t ; pkg:evidence ?e . "
        "?t pkg:evidence ?e . ?e pkg:statedIn ?p . OPTIONAL { ?t pkg:text ?x } }",
    ):
        if paper not in papers or policy not in papers[paper].mentioned.get("Policy", {}):
            continue
        found = papers[paper].policy_targets.setdefault(policy, [])
        for label in [*labels.get(target, [target.rsplit("/", 1)[-1]]), *([text] if text else [])]:
            if label not in found:
                found.append(label)
    for paper, place in _rows(
        graph, "SELECT ?p ?place WHERE { ?p a pkg:Paper ; pkg:contributedBy ?o . ?o pkg:operatesIn ?place }"
    ):
        papers[paper].presence.extend(labels.get(place, []))
    return list(papers.values())


# -------------------------------------------------------------------------------------- gold side


def read_gold(gold_dir: Path) -> list[dict]:
    """The annotation files ``paper_NN.json`` of a folder."""
    if not gold_dir.is_dir():
        raise GoldError(f"{gold_dir}: not a folder of annotation files")
    files = sorted(gold_dir.glob("paper_*.json"))
    if not files:
        raise GoldError(f"{gold_dir}: no paper_NN.json annotation files")
    papers = []
    for path in files:
        try:
            gold = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise GoldError(f"{path}: cannot read annotation: {error}") from error
        if not isinstance(gold, dict) or not isinstance(gold.get("title"), str) or not isinstance(gold.get("paper"), int):
            raise GoldError(f"{path}: not an annotation (needs at least 'paper' and 'title')")
        papers.append(gold)
    return papers


def _match_paper(gold: dict, papers: list[_GraphPaper]) -> _GraphPaper | None:
    title = normalise_label(gold["title"])
    for paper in papers:
        if normalise_label(paper.title) == title:
            return paper
    candidates = [paper for paper in papers if labels_match(paper.title, gold["title"])]
    return candidates[0] if len(candidates) == 1 else None


# ----------------------------------------------------------------------------------------- scoring


def _contributor_right(gold: dict, paper: _GraphPaper) -> bool:
    names = [gold.get("company") or "", *gold.get("company_aliases", [])]
    return any(
        normalise_label(name) and normalise_label(name) in normalise_label(label)
        for name in names
        for label in paper.contributor_labels
    )


def score_paper(gold: dict, paper: _GraphPaper | None, errors: list[Miss]) -> dict[str, TaskScore]:
    number = gold["paper"]
    paper = paper or _GraphPaper("", "")
    scores: dict[str, TaskScore] = {}

    right = _contributor_right(gold, paper)
    scores["contributors"] = TaskScore(
        "contributors", gold=1, extracted=int(paper.contributor is not None), found=int(right), correct=int(right),
        papers_right=int(right), papers=1,
    )
    scores["authors"] = _score_items(
        "authors", number,
        [(a["name"], [a["name"]]) for a in gold.get("authors", [])],
        [(name, [name]) for name in paper.authors],
        _label_rule, _label_rule, errors,
    )
    scores["policies"] = _score_items(
        "policies", number,
        [(p["name"], [p["name"], *p.get("mentions", [])]) for p in gold.get("policies", [])],
        [(ls[0] if ls else node, ls) for node, ls in paper.mentioned.get("Policy", {}).items()],
        _label_rule, _label_rule, errors,
    )
    contributor_names = [gold.get("company") or "", *gold.get("company_aliases", [])]
    own = {normalise_label(name) for name in contributor_names + paper.contributor_labels if name}
    organisations = [
        (ls[0] if ls else node, ls)
        for node, ls in paper.mentioned.get("Organization", {}).items()
        if node != paper.contributor and not any(normalise_label(label) in own for label in ls)
    ]
    gold_organisations = [
        (o["name"], [o["name"]]) for o in gold.get("organizations", []) if normalise_label(o["name"]) not in own
    ]
    scores["organizations"] = _score_items(
        "organizations", number, gold_organisations, organisations, _label_rule, _label_rule, errors
    )
    scores["places"] = _score_items(
        "places", number,
        [(name, [name]) for name in gold.get("places", [])],
        [(ls[0] if ls else node, ls) for node, ls in paper.mentioned.get("Place", {}).items()],
        _label_rule, _label_rule, errors,
    )
    for task, key, cls in (("recommendations", "recommendations", "Recommendation"), ("commitments", "commitments", "Commitment")):
        scores[task] = _score_items(
            task, number,
            [(item["quote"], [item["quote"]]) for item in gold.get(key, [])],
            [(text, [text]) for text in paper.statements.get(cls, [])],
            _gold_quote_found, _quote_overlap, errors,
        )
    central = set(gold.get("themes_central", []))
    allowed = central | set(gold.get("themes_mentioned", []))
    scores["themes"] = TaskScore(
        "themes", gold=len(central), extracted=len(paper.themes),
        found=len(central & paper.themes), correct=len(allowed & paper.themes),
    )
    errors.extend(Miss(number, "themes", "missed", code) for code in sorted(central - paper.themes))
    errors.extend(Miss(number, "themes", "spurious", code) for code in sorted(paper.themes - allowed))
    scores["policy targets"] = _score_targets(gold, paper, errors)
    scores["operatesIn"] = _score_presence(gold, paper, number, errors)
    return scores


def presence_flag(gold: dict) -> tuple[str, bool] | None:
    """The place and value of a gold ``operates_in_<place>`` flag (``operates_in_chongqing`` → Chongqing); None without
    one, or when the flag is null (a file annotated for other tasks leaves it open)."""
    for key, value in gold.items():
        match = _PRESENCE_FLAG.match(key)
        if match and value is not None:
            return match.group(1).replace("_", " ").title(), bool(value)
    return None


def _score_presence(gold: dict, paper: _GraphPaper, number: int, errors: list[Miss]) -> TaskScore:
    flag = presence_flag(gold)
    if flag is None:  # not annotated: nothing to score
        return TaskScore("operatesIn", gold=0, extracted=0, found=0, correct=0, papers_right=0, papers=0)
    place, gold_presence = flag
    predicted = any(labels_match(place, label) for label in paper.presence)
    if gold_presence != predicted:
        errors.append(Miss(number, "operatesIn", "missed" if gold_presence else "spurious", place))
    return TaskScore(
        "operatesIn", gold=int(gold_presence), extracted=int(predicted),
        found=int(gold_presence and predicted), correct=int(gold_presence and predicted),
        papers_right=int(gold_presence == predicted), papers=1,
    )


def _targets_hit(gold_targets: list[str], extracted_targets: list[str]) -> bool:
    return any(covers(gold, target, 0.5) for gold in gold_targets for target in extracted_targets)


def _score_targets(gold: dict, paper: _GraphPaper, errors: list[Miss]) -> TaskScore:
    """Gold policies with targets found with a matching target; extracted policies with targets that match one."""
    number = gold["paper"]
    gold_policies = [p for p in gold.get("policies", []) if p.get("targets")]
    labels = paper.mentioned.get("Policy", {})
    score = TaskScore("policy targets", gold=len(gold_policies), extracted=len(paper.policy_targets))
    for policy in gold_policies:
        names = [policy["name"], *policy.get("mentions", [])]
        if any(
            any_label_match(names, labels.get(node, [])) and _targets_hit(policy["targets"], targets)
            for node, targets in paper.policy_targets.items()
        ):
            score.found += 1
        else:
            errors.append(Miss(number, "policy targets", "missed", f"{policy['name']}: {'; '.join(policy['targets'])}"))
    for node, targets in paper.policy_targets.items():
        if any(
            any_label_match([p["name"], *p.get("mentions", [])], labels.get(node, [])) and _targets_hit(p["targets"], targets)
            for p in gold_policies
        ):
            score.correct += 1
        else:
            name = (labels.get(node) or [node])[0]
            errors.append(Miss(number, "policy targets", "spurious", f"{name}: {'; '.join(targets)}"))
    return score


def evaluate_graph(graph, gold_papers: list[dict]) -> Evaluation:
    """Score ``graph`` against annotated papers."""
    papers = read_graph(graph)
    totals = {task: TaskScore(task) for task in TASKS}
    by_paper: dict[int, dict[str, TaskScore]] = {}
    errors: list[Miss] = []
    unmatched = []
    for gold in sorted(gold_papers, key=lambda g: g["paper"]):
        paper = _match_paper(gold, papers)
        if paper is None:
            unmatched.append(gold["title"])
        scores = score_paper(gold, paper, errors)
        by_paper[gold["paper"]] = scores
        for task, score in scores.items():
            totals[task].add(score)
    return Evaluation(totals, by_paper, errors, unmatched)


def evaluate(gold_dir: Path, out_dir: Path = Path("output")) -> Evaluation:
    """Score the graph built in ``out_dir`` against the annotation files in ``gold_dir``."""
    gold = read_gold(gold_dir)
    path = out_dir / GRAPH_FILE
    if not path.exists():
        raise FileNotFoundError(path)
    return evaluate_graph(load_graph(path, with_ontology=False), gold)


def score_rows(scores: Iterable[TaskScore]) -> tuple[list[str], list[list[object]]]:
    """Columns and rows of a score table, for ``render``."""
    columns = ["task", "gold", "extracted", "found", "correct", "precision", "recall", "f1", "papers_right"]
    rows: list[list[object]] = []
    for s in scores:
        right = f"{s.papers_right}/{s.papers}" if s.papers is not None else None
        rows.append([s.task, s.gold, s.extracted, s.found, s.correct, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", right])
    return columns, rows
