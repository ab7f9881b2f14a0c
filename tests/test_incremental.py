"""Incremental builds: unchanged papers come from the cache, the store changes only where papers did,
and the result is the same as a fresh build's."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from graph.build import BuildResult, build
from graph.cache import extractor_fingerprint, from_jsonable, paper_key, to_jsonable
from graph.extract import default_model
from graph.model import PaperExtraction
from graph.store import CORPUS_GRAPH, paper_graph

from .conftest import DATA

PAPERS = DATA / "store" / "papers"


@pytest.fixture()
def papers(tmp_path: Path) -> Path:
    folder = tmp_path / "papers"
    shutil.copytree(PAPERS, folder)
    return folder


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    folder = tmp_path_factory.mktemp("fresh-papers") / "papers"
    shutil.copytree(PAPERS, folder)
    return build([folder], tmp_path_factory.mktemp("fresh"), use_cache=False)


def _nt(result: BuildResult) -> str:
    return (result.out_dir / "graph.nt").read_text(encoding="utf-8")


def test_no_change_rebuild_parses_nothing_and_touches_nothing(papers: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build([papers], out)
    assert (first.cache.parsed, first.cache.cached) == (3, 0)
    nt_mtime = (out / "graph.nt").stat().st_mtime_ns
    second = build([papers], out)
    assert (second.cache.parsed, second.cache.cached) == (0, 3)
    assert second.store is not None and not second.store.changed and second.store.unchanged == 6
    assert (out / "graph.nt").stat().st_mtime_ns == nt_mtime
    assert _nt(second) == _nt(first)


def test_changed_paper_is_parsed_again_and_only_its_graph_replaced(papers: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = _nt(build([papers], out))
    paper = papers / "beta.md"
    paper.write_text(paper.read_text(encoding="utf-8").replace("green electricity market", "green hydrogen market"),
                     encoding="utf-8")
    second = build([papers], out)
    assert (second.cache.parsed, second.cache.cached) == (1, 2)
    changed = next(p.id for v in second.corpus.volumes for p in v.papers if p.source.endswith("beta.md"))
    assert second.store is not None
    assert str(paper_graph(changed)) in second.store.replaced
    # The third paper shares nothing with the changed one; the first shares a consensus group with it,
    # whose membership link lives in the first paper's graph, so that graph may change too.
    assert str(paper_graph("demo-gamma")) not in second.store.replaced and second.store.unchanged >= 2
    assert "green hydrogen market" in _nt(second) and _nt(second) != before
    # The incremental result is the fresh build's, byte for byte.
    again = build([papers], tmp_path / "fresh", use_cache=False)
    assert _nt(again) == _nt(second)


def test_an_added_file_changes_no_other_papers_id_and_parses_only_itself(papers: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build([papers], out)
    # sorts before every other file: numbered by file order, it would have renumbered them all
    shutil.copy(papers / "beta.md", papers / "aardvark.md")
    second = build([papers], out)
    assert (second.cache.parsed, second.cache.cached) == (1, 3)
    ids = {p.source.rsplit("/", 1)[-1]: p.id for v in second.corpus.volumes for p in v.papers}
    assert ids["aardvark.md"] == "demo-aardvark"
    assert {p.id for v in first.corpus.volumes for p in v.papers} == set(ids.values()) - {"demo-aardvark"}


def test_a_moved_input_folder_is_read_back_from_the_cache(papers: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build([papers], out)
    moved = tmp_path / "elsewhere" / "papers"  # the papers name their volume, so their ids stay
    moved.parent.mkdir()
    papers.rename(moved)
    second = build([moved], out)
    assert (second.cache.parsed, second.cache.cached) == (0, 3)
    assert _nt(second) == _nt(first)


def test_removed_paper_graph_is_dropped_and_cross_paper_results_recomputed(papers: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([papers], out)
    (papers / "gamma.md").unlink()
    second = build([papers], out)
    assert second.store is not None
    assert second.store.dropped == [str(paper_graph("demo-gamma"))] or str(paper_graph("demo-gamma")) in second.store.dropped
    assert str(CORPUS_GRAPH) in second.store.replaced  # the third company's entity is gone from the corpus graph
    assert "Crimson Analytics" not in _nt(second)
    assert _nt(second) == _nt(build([papers], tmp_path / "fresh", use_cache=False))
    cached = list((out / "cache" / "papers").glob("*.json"))
    assert len(cached) == 2  # the removed paper's entry is gone too


def test_cached_build_equals_fresh_build(fresh: BuildResult, papers: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([papers], out)
    assert _nt(build([papers], out)) == _nt(fresh)


def test_parallel_parse_gives_the_same_graph(fresh: BuildResult, papers: Path, tmp_path: Path) -> None:
    parallel = build([papers], tmp_path / "jobs2", n_process=2, use_cache=False)
    assert parallel.cache.parsed == 3
    assert _nt(parallel) == _nt(fresh)


def test_cache_round_trip_is_exact(fresh: BuildResult) -> None:
    assert fresh.corpus is not None
    for extraction in fresh.corpus.extractions:
        data = json.loads(json.dumps(to_jsonable(extraction)))
        assert from_jsonable(PaperExtraction, data) == extraction


def test_cache_key_follows_paper_and_extractor(fresh: BuildResult, tmp_path: Path) -> None:
    assert fresh.corpus is not None
    paper = fresh.corpus.extractions[0].paper
    fingerprint = extractor_fingerprint(default_model())
    key = paper_key(paper, fingerprint)
    assert key == paper_key(paper, fingerprint)
    assert paper_key(paper, fingerprint + "x") != key
    edited = type(paper)(**{**paper.__dict__, "text": paper.text + " "})
    assert paper_key(edited, fingerprint) != key


def test_damaged_cache_entry_is_a_miss(papers: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([papers], out)
    entry = next((out / "cache" / "papers").glob("*.json"))
    entry.write_text("{not json", encoding="utf-8")
    again = build([papers], out)
    assert (again.cache.parsed, again.cache.cached) == (1, 2)
    assert build([papers], out).cache.parsed == 0  # the entry was written again
