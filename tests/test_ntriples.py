"""Sorted N-Triples of a graph written in parts: runs spilled to disk and merged must equal one big sort."""
from __future__ import annotations

import random
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from graph.assemble.ntriples import NTriplesSorter, ntriples_lines
from graph.assemble.vocab import ID, PKG

NAMESPACES = {"pkg": str(PKG._NS), "id": str(ID)}


def _parts(count: int) -> list[list[str]]:
    rng = random.Random(7)
    graph = Graph()
    for i in range(count):
        subject = ID[f"org/n{rng.randrange(40)}"]
        graph.add((subject, PKG.count, Literal(rng.randrange(5))))
        graph.add((subject, PKG.mentions, URIRef(f"{ID}paper/p{i % 3}")))
    lines = ntriples_lines(graph)
    rng.shuffle(lines)
    # overlapping parts: the same line may arrive in several parts, as evidence shared by graphs might
    return [lines[i : i + 25] + lines[i + 20 : i + 30] for i in range(0, len(lines), 20)]


def test_spilled_runs_merge_to_the_sorted_unique_lines(tmp_path: Path) -> None:
    parts = _parts(200)
    sorter = NTriplesSorter(tmp_path, NAMESPACES, run_lines=30)  # forces many runs on disk
    for part in parts:
        sorter.add(part)
    merged = list(sorter.lines())
    expected = sorted({line for part in parts for line in part})
    assert merged == [f"{line}\n" for line in expected]
    assert not list(tmp_path.iterdir())  # runs are temporary files, gone once merged


def test_prefixes_are_those_used_with_plain_local_names(tmp_path: Path) -> None:
    sorter = NTriplesSorter(tmp_path, NAMESPACES)
    sorter.add(ntriples_lines([(ID["org/acme"], PKG.count, Literal(1))]))
    # "id:" is used only with "/" in local names (id:org/acme), which Turtle would have to escape
    assert sorter.prefixes() == {"pkg": str(PKG._NS)}


def test_lines_split_at_newlines_only(tmp_path: Path) -> None:
    """A literal may hold U+2028 or U+0085 unescaped; each triple is still one line."""
    triples = [(ID["org/a"], PKG.quote, Literal("one\u2028two\x85three\nfour"))]
    lines = ntriples_lines(triples)
    assert len(lines) == 1 and "\\n" in lines[0]
    assert len(Graph().parse(data="".join(f"{line}\n" for line in lines), format="nt")) == 1
