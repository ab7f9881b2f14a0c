"""Ingest: the bundled volume splits into its 22 papers; clean-up keeps offsets honest."""
from __future__ import annotations

import json
import re

import pytest

from graph.ingest import read_inputs
from graph.ingest.clean import clean
from graph.model import FOOTNOTE, PROSE_KINDS, TABLE
from graph.resources import bundled_volume

from .conftest import DATA, GOLD

EXPECTED = json.loads((DATA / "bundled_papers.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def papers():
    result = read_inputs([bundled_volume()])
    assert not result.errors
    return result.papers


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def test_bundled_volume_has_22_papers_with_contributors_titles_and_authors(papers) -> None:
    assert len(papers) == 22
    for paper, expected in zip(papers, EXPECTED):
        assert paper.number == expected["number"]
        assert paper.contributor == expected["contributor"]
        assert _words(paper.title) == _words(expected["title"])
        assert [a.name for a in paper.authors] == ([expected["author"]] if expected["author"] else [])
    assert sum(1 for paper in papers if paper.authors) == 15


@pytest.mark.parametrize("gold_file", sorted(GOLD.glob("paper_*.json")), ids=lambda p: p.stem)
def test_dev_papers_match_annotation(papers, gold_file) -> None:
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    paper = papers[gold["paper"] - 1]
    assert _words(paper.title) == _words(gold["title"])
    names = {paper.contributor, *paper.contributor_aliases}
    assert gold["company"] in names or any(gold["company"] in name for name in names)
    assert [a.name for a in paper.authors] == [a["name"] for a in gold["authors"]]
    for author, gold_author in zip(paper.authors, gold["authors"]):
        assert author.role == gold_author["role"]


def test_byline_roles_and_organisation_bylines(papers) -> None:
    ford = papers[3]
    assert ford.authors[0].role is not None and ford.authors[0].role.count(";") == 1  # two role lines kept
    mufg = papers[15]
    assert not mufg.authors and mufg.contributor_aliases  # the byline is the company's full name


def test_every_paper_starts_where_the_previous_ends(papers) -> None:
    for before, after in zip(papers, papers[1:]):
        assert before.source_lines[1] < after.source_lines[0] + 1
        assert after.title.split()[0] not in before.text[-200:].split("\n")[-1].split()[:1]


def test_hyphenation_joined_real_hyphens_kept(papers) -> None:
    text = papers[0].text
    assert "data science, and system integration" in text
    assert "sci-" not in text
    assert "AI-driven" in text
    adient = papers[1].text
    assert "continuously increased its investment" in adient


def test_page_break_sentences_rejoined_and_footnotes_marked(papers) -> None:
    paper = papers[0]
    assert "engineering graduates often lack practical experience" in paper.text
    footnotes = [paper.text[b.start : b.end] for b in paper.blocks if b.kind == FOOTNOTE]
    assert any("planning.org.cn" in note for note in footnotes)
    prose = " ".join(paper.text[b.start : b.end] for b in paper.blocks if b.kind in PROSE_KINDS)
    assert "https://" not in prose


def test_footnote_markers_detached_units_kept() -> None:
    text, _ = clean("Its role in the Economic Circle ¹strengthens its capacity. A site of 5,000 m² grew 48%¹ in 2024.")
    assert "Circle strengthens" in text
    assert "5,000 m²" in text
    assert "48% in 2024" in text


def test_flattened_table_rows_are_not_prose(papers) -> None:
    siemens = papers[5]
    rows = [siemens.text[b.start : b.end] for b in siemens.blocks if b.kind == TABLE]
    assert "2020\t2021\t2022\t2023\t2024" in rows
    prose = [siemens.text[b.start : b.end] for b in siemens.blocks if b.kind in PROSE_KINDS]
    assert not any("\t" in block for block in prose)


def test_block_offsets_cover_the_text_exactly(papers) -> None:
    for paper in papers:
        for block in paper.blocks:
            assert 0 <= block.start < block.end <= len(paper.text)
            assert paper.text[block.start : block.end] == paper.text[block.start : block.end].strip()
        joined = "\n\n".join(paper.text[b.start : b.end] for b in paper.blocks)
        assert joined == paper.text


def test_markdown_folder_one_paper_per_file(tmp_path) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "a.md").write_text(
        "---\ncontributor: Acme Robotics\n---\n# Robots for Rivertown\n\nWe recommend that Rivertown should fund a training centre.\n",
        encoding="utf-8",
    )
    (folder / "b.txt").write_text("Green Ports\n\nPorts should electrify their cranes.\n", encoding="utf-8")
    result = read_inputs([folder], contributor=None)
    assert not result.errors
    titles = {p.title: p for p in result.papers}
    assert set(titles) == {"Robots for Rivertown", "Green Ports"}
    assert titles["Robots for Rivertown"].contributor == "Acme Robotics"
    assert "training centre" in titles["Robots for Rivertown"].text
    assert len({p.volume_id for p in result.papers}) == 1


def test_contributor_option_applies_when_front_matter_is_silent(tmp_path) -> None:
    (tmp_path / "x.md").write_text("# Title\n\nSome text about ports.\n", encoding="utf-8")
    result = read_inputs([tmp_path / "x.md"], contributor="Harbour Co")
    assert result.papers[0].contributor == "Harbour Co"
