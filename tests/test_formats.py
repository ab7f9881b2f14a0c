"""Real-world formats: PDF (pages kept), DOCX (headings as sections), HTML (main text only), Markdown
and plain text with front matter or sidecars; the kind of each document recognised, not assumed.

The PDF and DOCX fixtures are made by scripts/make_fixtures.py; the others are written by hand.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal

from graph.assemble.vocab import PKG
from graph.build import build
from graph.ingest import read_inputs
from graph.ingest.kind import REPORT, document_kind, speakers
from graph.ingest.sources import read_source
from graph.model import HEADING, LIST_ITEM, PROSE_KINDS, TABLE, Paper

from .conftest import DATA

FORMATS = DATA / "formats"


def _paper(path: Path, **options) -> Paper:
    result = read_inputs([path], **options)
    assert not result.errors, result.errors
    assert len(result.papers) == 1
    return result.papers[0]


def _block_texts(paper: Paper, kind: str) -> list[str]:
    return [paper.text[block.start : block.end] for block in paper.blocks if block.kind == kind]


def _assert_blocks_honest(paper: Paper) -> None:
    for block in paper.blocks:
        assert 0 <= block.start < block.end <= len(paper.text)
        assert paper.text[block.start : block.end].strip()


# ----------------------------------------------------------------------------------------- PDF


def test_pdf_text_layer_read_with_page_numbers_and_headings() -> None:
    paper = _paper(FORMATS / "green-ports.pdf")
    _assert_blocks_honest(paper)
    assert paper.title == "Hydrogen Corridors for Inland Ports"
    assert paper.contributor == "Northwind Logistics"  # from the sidecar green-ports.toml
    pages = [block.page for block in paper.blocks]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] == 3  # three pages, in order
    headings = _block_texts(paper, HEADING)
    assert headings[:4] == ["Summary", "Background", "Pilot results", "Recommendations"]
    # The larger type made these headings, so they are section boundaries for the blocks below them.
    first_paragraph = next(b for b in paper.blocks if b.kind != HEADING)
    assert first_paragraph.section == "Summary"
    # The running footer and page numbers are furniture, not text.
    assert "Hydrogen corridors for inland ports" not in paper.text
    # A paragraph is one block even though the PDF broke it over several lines.
    assert any(text.startswith("We recommend that the municipal government") and text.endswith("private operators.")
               for text in _block_texts(paper, "paragraph"))


def test_pdf_page_of_a_block_is_the_page_its_text_is_printed_on() -> None:
    source = read_source(FORMATS / "green-ports.pdf")
    paper = _paper(FORMATS / "green-ports.pdf")
    assert source.page_of_line is not None
    # Recompute each heading's page straight from the source lines.
    for block in paper.blocks:
        if block.kind == HEADING:
            heading = paper.text[block.start : block.end]
            line = next(i for i, text in enumerate(source.text.split("\n")) if text == f"# {heading}")
            assert block.page == source.page_of_line[line]
            break


def test_compiled_volume_in_pdf_is_split_and_keeps_pages() -> None:
    result = read_inputs([FORMATS / "mini-volume.pdf"])
    assert not result.errors
    (volume,) = result.volumes
    assert volume.id == "ref-2025" and volume.title == "Proceedings of the River Economy Forum 2025"
    first, second = volume.papers
    assert (first.title, first.contributor) == ("Electrifying River Freight", "Northwind Logistics")
    assert (second.title, second.contributor) == ("Water Quality Monitoring for Growing Cities", "Bluewater Analytics")
    assert [a.name for a in second.authors] == ["Anna Kovacs"]
    assert second.authors[0].role == "Chief Scientist, Bluewater Analytics"
    assert {b.page for b in first.blocks} == {2} and {b.page for b in second.blocks} == {3}
    assert second.text.startswith("Bluewater Analytics measures river water quality")


# ---------------------------------------------------------------------------------------- DOCX


def test_docx_headings_become_section_boundaries() -> None:
    paper = _paper(FORMATS / "battery-recycling.docx")
    _assert_blocks_honest(paper)
    assert paper.title == "Closing the Loop on Battery Materials"
    assert paper.contributor == "Harbor Cell Recycling"  # from the YAML sidecar
    assert [(a.name, a.role) for a in paper.authors] == [("Lars Nilsson", "Head of Sustainability")]
    # "Short" would never pass for a heading by its wording alone; its Word style makes it one.
    assert _block_texts(paper, HEADING) == ["Why recycling matters", "Short", "What we ask of governments", "Our commitment"]
    sections = {paper.text[b.start : b.end][:30]: b.section for b in paper.blocks if b.kind != HEADING}
    assert sections["A heading this short is still "] == "Short"
    assert sections["Harbor Cell Recycling will dou"] == "Our commitment"
    assert len(_block_texts(paper, LIST_ITEM)) == 2
    assert "Lithium\t80%" in _block_texts(paper, TABLE)
    assert all(block.page is None for block in paper.blocks)


# ---------------------------------------------------------------------------------------- HTML


def test_html_main_text_without_navigation_scripts_or_furniture() -> None:
    paper = _paper(FORMATS / "smart-grid.html")
    _assert_blocks_honest(paper)
    assert paper.title == "Smart Grids for Mid-Sized Cities"  # the <h1>, not the <title> with the site name
    assert paper.contributor == "Lumen Grid Systems"  # og:site_name
    assert paper.language == "en"  # <html lang="en-GB">
    assert [a.name for a in paper.authors] == ["Priya Raman"]
    assert paper.date == "2025-02-14"  # <meta name="date">
    for furniture in ("Careers at Lumen", "console.log", "cookies", "Injected advertisement", "All rights reserved",
                      "Related: Our annual report", "font-family"):
        assert furniture not in paper.text
    assert "Lumen Grid Systems builds digital substations" in paper.text  # inline <em> kept as text
    assert _block_texts(paper, HEADING) == ["The problem", "What cities should do", "Our commitment"]
    assert len(_block_texts(paper, LIST_ITEM)) == 2


# ------------------------------------------------------------------------------ Markdown and text


def test_markdown_yaml_front_matter_and_markup_removed() -> None:
    paper = _paper(FORMATS / "water-policy.md")
    _assert_blocks_honest(paper)
    assert paper.title == "Reusing Treated Wastewater in Industry"
    assert paper.contributor == "Bluewater Analytics"
    assert paper.date == "2025-01-20"  # a YAML date, kept as ISO text
    assert [(a.name, a.role, a.affiliation) for a in paper.authors] == [("Anna Kovacs", "Chief Scientist", "Bluewater Analytics")]
    assert "utilities in Budapest and Vienna" in paper.text  # link reduced to its text
    for markup in ("https://", "chart.png", "print(", "**", "---", "contributor:"):
        assert markup not in paper.text
    assert paper.source_lines is not None and paper.source_lines[0] == 1


def test_toml_front_matter_and_a_news_report_is_recognised() -> None:
    paper = _paper(FORMATS / "port-forum-report.md")
    assert paper.kind == REPORT
    assert paper.title == "Port forum debates the future of river freight"
    assert paper.contributor == "River Economy News"
    assert speakers(paper.text) >= {"berger", "lopez", "kovacs"}


def test_single_papers_are_not_reports_and_metadata_kind_wins() -> None:
    for name in ("water-policy.md", "smart-grid.html", "battery-recycling.docx", "green-ports.pdf"):
        assert _paper(FORMATS / name).kind == "paper", name
    text = (FORMATS / "port-forum-report.md").read_text(encoding="utf-8")
    assert document_kind(text, "paper") == "paper"
    # One quoted speaker does not make a report.
    assert document_kind('# Note\n\n"We will build the plant this year," said Tom Berger.\n') == "paper"


def test_windows_1252_text_is_decoded_not_garbled() -> None:
    paper = _paper(FORMATS / "harbour-notes.txt")
    assert paper.title == "Café culture and the harbour economy"
    assert "costs €4.50 on the waterfront" in paper.text and "Quayside cafés" in paper.text


def test_options_override_metadata(tmp_path: Path) -> None:
    shutil.copy(FORMATS / "water-policy.md", tmp_path / "water-policy.md")
    paper = _paper(tmp_path / "water-policy.md", contributor="Acme Water", volume="My Papers")
    assert paper.contributor == "Acme Water"
    assert paper.volume_id == "my-papers" and paper.id == "my-papers-water-policy"
    assert paper.authors[0].affiliation == "Acme Water"


def test_sidecar_metadata_and_front_matter_precedence(tmp_path: Path) -> None:
    (tmp_path / "note.md").write_text("---\ncontributor: From Front Matter\n---\n# A Note\n\nBody text here.\n", encoding="utf-8")
    (tmp_path / "note.yaml").write_text("contributor: From Sidecar\ndate: 2024-05-01\nlanguage: de\n", encoding="utf-8")
    paper = _paper(tmp_path / "note.md")
    assert paper.contributor == "From Front Matter"
    assert paper.language == "de"
    assert paper.date == "2024-05-01"


def test_folder_read_recursively_in_sorted_order() -> None:
    result = read_inputs([FORMATS])
    assert not result.errors
    sources = [Path(p.source).name for p in result.papers]
    loose = [name for name in sources if name != "mini-volume.pdf"]
    assert loose == sorted(loose) and len(loose) == 6
    assert {v.id for v in result.volumes} == {"formats", "ref-2025"}


# ------------------------------------------------------------------------------- whole build


@pytest.fixture(scope="module")
def formats_build(tmp_path_factory: pytest.TempPathFactory):
    return build([FORMATS], tmp_path_factory.mktemp("formats"), store="memory")


def test_every_format_reaches_the_graph_with_honest_evidence(formats_build) -> None:
    assert not formats_build.errors
    graph: Graph = formats_build.graph
    assert formats_build.corpus is not None
    texts = {p.id: p for v in formats_build.corpus.volumes for p in v.papers}
    assert formats_build.papers == len(texts) == 8
    evidence = list(graph.subjects(PKG.quote, None))
    assert evidence
    pages = set()
    for node in evidence:
        paper_iri = graph.value(node, PKG.statedIn)
        paper = texts[str(paper_iri).rsplit("/", 1)[-1]]
        start, end = int(graph.value(node, PKG.charStart)), int(graph.value(node, PKG.charEnd))
        assert paper.text[start:end] == str(graph.value(node, PKG.quote))
        page = graph.value(node, PKG.page)
        if paper.source.endswith(".pdf"):
            assert page is not None
            pages.add((paper.id, int(page)))
            block = next(b for b in paper.blocks if b.start <= start < b.end and b.kind in PROSE_KINDS)
            assert int(page) == block.page
        else:
            assert page is None
    assert {page for _, page in pages} >= {1, 2, 3}  # evidence from every page of the PDFs


def test_page_numbers_reach_the_graph_as_integers(formats_build) -> None:
    graph: Graph = formats_build.graph
    values = set(graph.objects(None, PKG.page))
    assert values and all(isinstance(v, Literal) and isinstance(v.toPython(), int) for v in values)


def test_pdf_encrypted_only_against_editing_opens_without_a_password(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(FORMATS / "green-ports.pdf").pages:
        writer.add_page(page)
    writer.encrypt(user_password="", owner_password="only-the-owner-may-edit", algorithm="RC4-128")
    path = tmp_path / "restricted.pdf"
    with open(path, "wb") as handle:
        writer.write(handle)
    paper = _paper(path)
    assert "We recommend that the municipal government" in paper.text
    assert {block.page for block in paper.blocks} == {1, 2, 3}


def test_html_in_a_declared_legacy_encoding(tmp_path: Path) -> None:
    page = ('<html><head><meta charset="windows-1252"><title>T</title></head><body><main>'
            "<h1>Caf\u00e9 economics</h1><p>A coffee costs \u20ac4.50 on the waterfront, na\u00efvely priced.</p>"
            "</main></body></html>").encode("cp1252")
    path = tmp_path / "page.html"
    path.write_bytes(page)
    paper = _paper(path)
    assert paper.title == "Café economics"
    assert paper.text == "A coffee costs €4.50 on the waterfront, naïvely priced."


def test_paper_dates_reach_the_graph(formats_build) -> None:
    from rdflib.namespace import DCTERMS

    graph: Graph = formats_build.graph
    dates = {str(graph.value(paper, DCTERMS.title)): str(graph.value(paper, DCTERMS.date))
             for paper in graph.subjects(PKG.fullText, None) if graph.value(paper, DCTERMS.date) is not None}
    assert dates["Hydrogen Corridors for Inland Ports"] == "2025-02-01"  # TOML sidecar
    assert dates["Closing the Loop on Battery Materials"] == "2025-01-05"  # YAML sidecar
    assert dates["Port forum debates the future of river freight"] == "2025-03-12"  # TOML front matter
