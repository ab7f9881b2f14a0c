"""Property-based tests (hypothesis) on the normaliser, the volume splitter, the readers and the extractors:
any text gives no crash, offsets always point at the quoted text, and the output always parses."""
from __future__ import annotations

import random
import re
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from graph.assemble import assemble, sorted_ntriples
from graph.extract import extract, load_pipeline
from graph.ingest import IngestError
from graph.ingest.clean import clean
from graph.ingest.kind import document_kind
from graph.ingest.sources import read_source
from graph.ingest.text import decode, markdown_lines
from graph.ingest.volume import split_volume
from graph.model import HEADING, Paper, Volume

from .conftest import DATA

# Characters that trip text clean-up: line breaks, hyphens, bullets, footnote superscripts, tabs,
# quotes, markup, ligatures, non-breaking and zero-width spaces, and letters beyond ASCII.
TRICKY = list("\n\n\n  \t-–—•*#_[]()\\:;.,!?\"'“”‘’¹²³⁴⁵⁶⁷⁸⁹⁰½%€&/") + ["\u00a0", "\u200b", "ﬁ", "é", "ß", "中", "m²", "- ", "1. ", "# "]
WORDS = ["the", "policy", "green", "hydrogen", "port", "in-", "creased", "AI", "5G", "Chongqing", "government",
         "should", "establish", "we", "recommend", "will", "commit", "Acme", "Group", "Ltd.", "Table 1", "Figure 2",
         "https://example.org/x", "Source:", "Note:", "Introduction", "CONTENTS"]

any_text = st.lists(st.sampled_from(TRICKY) | st.characters(blacklist_categories=("Cs",)), max_size=400).map("".join)
document_like = st.lists(
    st.lists(st.sampled_from(WORDS + TRICKY), min_size=0, max_size=14).map(" ".join),
    max_size=30,
).map("\n".join)
texts = st.one_of(any_text, document_like)

RELAXED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_clean_output(raw: str, text: str, blocks, pages: list[int] | None = None) -> None:
    """The invariants of ``clean``: blocks tile the text, are stripped and non-empty, carry their section."""
    assert text == "\n\n".join(text[b.start : b.end] for b in blocks)
    section = None
    previous_end = -2
    for block in blocks:
        content = text[block.start : block.end]
        assert block.start == previous_end + 2 and block.start < block.end
        assert content == content.strip() and content
        if block.kind == HEADING:
            section = content
        assert block.section == section
        if pages is not None:
            assert block.page in pages
        previous_end = block.end


@RELAXED
@given(texts)
def test_clean_never_crashes_and_blocks_tile_the_text(raw: str) -> None:
    text, blocks = clean(raw)
    assert_clean_output(raw, text, blocks)


@RELAXED
@given(texts, st.data())
def test_clean_keeps_pages_of_lines(raw: str, data: st.DataObject) -> None:
    count = raw.count("\n") + 1
    steps = data.draw(st.lists(st.booleans(), min_size=count, max_size=count))
    pages, page = [], 1
    for step in steps:
        page += step
        pages.append(page)
    text, blocks = clean(raw, page_of_line=pages)
    assert_clean_output(raw, text, blocks, pages)


@RELAXED
@given(texts)
def test_markdown_reduction_keeps_line_numbers(raw: str) -> None:
    assert markdown_lines(raw).count("\n") == raw.count("\n")


@RELAXED
@given(st.binary(max_size=400))
def test_decode_any_bytes_gives_text_or_one_line_error(data: bytes) -> None:
    try:
        text = decode(data, Path("x.txt"))
    except IngestError as error:
        assert "\n" not in str(error) and str(error).startswith("x.txt: ")
    else:
        assert "\r" not in text and text.strip()


@RELAXED
@given(texts)
def test_kind_of_any_text_is_one_of_three(raw: str) -> None:
    assert document_kind(raw) in ("volume", "report", "paper")


@RELAXED
@given(texts)
def test_splitter_on_any_text_gives_papers_or_one_error(raw: str) -> None:
    try:
        papers = split_volume(raw, volume_id="v")
    except IngestError as error:
        assert "\n" not in str(error)
        return
    for paper in papers:
        assert_clean_output("", paper.text, paper.blocks)


# A generated compiled volume: the splitter must find every paper, title and contributor.
TITLE_WORDS = ["Green", "Hydrogen", "Corridors", "Smart", "Grids", "for", "and", "of", "the", "River", "Freight",
               "Digital", "Manufacturing", "Cities", "Water", "Quality", "Battery", "Recycling", "Future", "AI-Driven"]
NAME_WORDS = ["Northwind", "Bluewater", "Harbor", "Lumen", "Acme", "Logistics", "Analytics", "Systems", "Energy"]
SENTENCE_WORDS = ["the", "city", "should", "build", "more", "charging", "points", "along", "river", "we", "propose",
                  "a", "fund", "for", "small", "firms", "and", "data", "sharing", "between", "ports"]

titles = st.lists(st.sampled_from(TITLE_WORDS), min_size=3, max_size=9).map(" ".join).filter(lambda t: t[0].isupper())
names = st.lists(st.sampled_from(NAME_WORDS), min_size=1, max_size=3).map(" ".join)
paragraphs = st.lists(st.sampled_from(SENTENCE_WORDS), min_size=8, max_size=40).map(lambda w: " ".join(w).capitalize() + ".")


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(titles, names, st.lists(paragraphs, min_size=1, max_size=4)), min_size=1, max_size=6,
             unique_by=lambda paper: paper[0].lower()),
    st.booleans(),
)
def test_splitter_finds_every_generated_paper(papers: list[tuple[str, str, list[str]]], with_tab: bool) -> None:
    assume(all(a.lower() not in b.lower() for a, *_ in papers for b, *_ in papers if a != b))
    separator = "\t" if with_tab else " "
    contents = [f"{n}. {title}{separator}{name} ({n + 2})" for n, (title, name, _) in enumerate(papers, 1)]
    body = [f"{title}\n\n{name}\n\n" + "\n\n".join(paras) for title, name, paras in papers]
    raw = "Proceedings\n\nCONTENTS\n\n" + "\n".join(contents) + "\n\n" + "\n\n".join(body) + "\n"
    split = split_volume(raw, volume_id="gen")
    assert [(p.title, p.contributor) for p in split] == [(title, name) for title, name, _ in papers]
    for paper, (_, _, paras) in zip(split, papers):
        assert_clean_output("", paper.text, paper.blocks)
        assert paper.text == "\n\n".join(paras)


# Damaged real files: each reader either reads them or says in one line what is wrong.
@pytest.mark.parametrize("fixture", ["green-ports.pdf", "battery-recycling.docx", "smart-grid.html"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1), flips=st.integers(min_value=1, max_value=40))
def test_damaged_files_are_read_or_refused_in_one_line(tmp_path: Path, fixture: str, seed: int, flips: int) -> None:
    data = bytearray((DATA / "formats" / fixture).read_bytes())
    rng = random.Random(seed)
    for _ in range(flips):
        data[rng.randrange(len(data))] = rng.randrange(256)
    if rng.random() < 0.3:
        del data[rng.randrange(len(data)) :]
    path = tmp_path / fixture
    path.write_bytes(bytes(data))
    try:
        source = read_source(path)
    except IngestError as error:
        assert str(error).startswith(f"{path}: ") and "\n" not in str(error)
    else:
        assert source.page_of_line is None or len(source.page_of_line) == source.text.count("\n") + 1


# ------------------------------------------------------------------------------------ extractors


@lru_cache(maxsize=1)
def _nlp():
    return load_pipeline()


SPEECH = ["Acme Group Ltd.", "Northwind Logistics", "the Ministry of Commerce", "Chongqing", "Germany", "Jane Doe",
          "we recommend that the government", "should", "will invest", "by 2030", "the Made in China 2025 plan",
          "AI", "hydrogen", "semiconductors", "“quoted words here,” said Tom Berger.", "(", ")", ";", "e.g.", "5G-enabled",
          "20%", "RMB 3 billion", "Inc.", "high-quality development", "the Belt and Road Initiative"]
prose = st.lists(
    st.one_of(st.sampled_from(SPEECH), st.sampled_from(WORDS), st.sampled_from(TRICKY)),
    min_size=1, max_size=60,
).map(" ".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(prose, any_text), min_size=1, max_size=3))
def test_extractors_quote_what_the_offsets_point_at_and_the_graph_parses(raws: list[str]) -> None:
    papers = []
    for number, raw in enumerate(raws, 1):
        text, blocks = clean(raw)
        assume(text)
        papers.append(Paper(f"p-{number:02d}", number, f"Paper {number}", "Acme Group" if number % 2 else None,
                            text, blocks, "p"))
    corpus = extract([Volume("p", "Generated", papers)], _nlp())
    by_id = {paper.id: paper for paper in papers}
    evidences = []
    for extraction in corpus.extractions:
        evidences += [m.evidence for m in extraction.mentions]
        evidences += [s.evidence for s in extraction.statements]
        evidences += [r.evidence for r in extraction.relations]
    for evidence in evidences:
        text = by_id[evidence.paper_id].text
        assert 0 <= evidence.start <= evidence.end <= len(text)
        assert text[evidence.start : evidence.end] == evidence.quote
    graph = assemble(corpus)
    canonical = sorted_ntriples(graph)
    assert not re.search(r"(^|\s)_:", canonical, re.MULTILINE)  # no blank nodes
    assert set(Graph().parse(data=graph.serialize(format="turtle"), format="turtle")) == set(graph)
    assert len(Graph().parse(data=canonical, format="nt")) == len(graph)
