"""Re-make the format fixtures of tests/data: PDFs (fpdf2), Word documents (python-docx) and broken files.

    .venv/bin/python scripts/make_fixtures.py

Writes tests/data/formats/ (documents that must read) and tests/data/broken/ (each must fail with
one clear line). The HTML, Markdown and text fixtures beside them are written by hand and kept as
they are. The companies, people and figures in these documents are invented.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

ROOT = Path(__file__).resolve().parents[1] / "tests" / "data"
FORMATS = ROOT / "formats"
BROKEN = ROOT / "broken"
FIXED_DATE = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.timezone.utc)


class _Pdf(FPDF):
    """A4 pages with a running footer and page numbers, as reports exported from word processors have."""

    footer_text = ""

    def footer(self) -> None:
        if not self.footer_text:
            return
        self.set_y(-15)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 10, f"{self.footer_text}    {self.page_no()}", align="C")


def _new_pdf(footer: str = "") -> _Pdf:
    pdf = _Pdf(format="A4")
    pdf.footer_text = footer
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_page()
    return pdf


def _write(pdf: FPDF, text: str, size: float = 11, style: str = "", height: float = 6, gap: float = 3) -> None:
    pdf.set_font("Helvetica", style, size)
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(gap)


GREEN_PORTS = [
    ("h", "Summary"),
    ("p", "Northwind Logistics operates inland container terminals in Duisburg and Rotterdam. This paper "
          "proposes a hydrogen corridor for inland ports and describes what the company has learned from "
          "three years of pilot operations on the Rhine."),
    ("p", "We recommend that the municipal government establish a network of hydrogen refuelling stations "
          "along the river corridor by 2030, financed jointly by the port authority and private operators."),
    ("h", "Background"),
    ("p", "Inland shipping moves a large share of the region's bulk freight. Diesel barges emit most of the "
          "port's nitrogen oxides, and their engines are replaced only every twenty to thirty years, so a "
          "fleet converted today will still sail in 2050."),
    ("p", "Battery-electric barges suit short shuttle routes, but long-distance routes need the energy "
          "density of hydrogen or methanol. The two technologies complement each other and should be "
          "planned together rather than in competition."),
    ("h", "Pilot results"),
    ("p", "Between 2022 and 2024 Northwind Logistics ran two hydrogen-electric push boats on the "
          "Duisburg-Rotterdam route. The boats sailed 41,000 kilometres without a single missed departure, "
          "and refuelling took less than forty minutes at the mobile station installed on the quay."),
    ("p", "The main obstacle was not technology but permitting: each refuelling stop needed a separate "
          "approval, and the rules for storing hydrogen on a quay differ from one port to the next."),
    ("h", "Recommendations"),
    ("p", "First, the port authority should publish a single permitting procedure for hydrogen refuelling "
          "on quays, with a decision within ninety days."),
    ("p", "Second, we suggest that the regional government set up a guarantee fund for the first fifty "
          "hydrogen barges, so that operators can borrow at the rates available for diesel vessels."),
    ("p", "Northwind Logistics commits to converting ten of its own barges by 2028 and to sharing its "
          "operating data with the port authority."),
]


def make_green_ports_pdf() -> None:
    pdf = _new_pdf(footer="Northwind Logistics - Hydrogen corridors for inland ports")
    pdf.set_title("Hydrogen Corridors for Inland Ports")
    _write(pdf, "Hydrogen Corridors for Inland Ports", 20, "B", 10, 6)
    for repeat in range(3):  # long enough to span three pages, so page numbers matter
        for kind, text in GREEN_PORTS:
            if kind == "h":
                _write(pdf, text if not repeat else f"{text} (continued)", 15, "B", 8, 2)
            else:
                _write(pdf, text)
    pdf.output(str(FORMATS / "green-ports.pdf"))


def make_mini_volume_pdf() -> None:
    """A compiled volume in PDF: a contents table and two papers on later pages."""
    pdf = _new_pdf(footer="Proceedings of the River Economy Forum 2025")
    _write(pdf, "Proceedings of the River Economy Forum 2025", 18, "B", 10, 6)
    _write(pdf, "CONTENTS", 14, "B", 8, 2)
    _write(pdf, "1. Electrifying River Freight    Northwind Logistics (2)", gap=1)
    _write(pdf, "2. Water Quality Monitoring for Growing Cities    Bluewater Analytics (3)", gap=1)
    pdf.add_page()
    _write(pdf, "Electrifying River Freight", 16, "B", 9, 2)
    _write(pdf, "Northwind Logistics", 11, "I", 6, 4)
    _write(pdf, "Northwind Logistics proposes charging points for battery barges at every inland terminal. "
                "We recommend that the port authority reserve quay space for charging by 2027.")
    pdf.add_page()
    _write(pdf, "Water Quality Monitoring for Growing Cities", 16, "B", 9, 2)
    _write(pdf, "Anna Kovacs", 11, "", 6, 1)
    _write(pdf, "Chief Scientist, Bluewater Analytics", 11, "", 6, 4)
    _write(pdf, "Bluewater Analytics measures river water quality with floating sensors in Budapest and Vienna. "
                "City governments should publish sensor data openly so that researchers can study pollution events.")
    pdf.output(str(FORMATS / "mini-volume.pdf"))


def make_battery_docx() -> None:
    document = docx.Document()
    document.core_properties.title = "Closing the Loop on Battery Materials"
    document.core_properties.created = FIXED_DATE.replace(tzinfo=None)
    document.add_paragraph("Closing the Loop on Battery Materials", style="Title")
    document.add_paragraph(
        "Harbor Cell Recycling recovers lithium, nickel and cobalt from spent electric-vehicle batteries at "
        "its plant in Gothenburg. This paper sets out what a circular supply chain for battery materials needs."
    )
    document.add_heading("Why recycling matters", level=1)
    document.add_paragraph(
        "Europe imports almost all of its battery raw materials. Recycled material could cover a fifth of "
        "demand by 2035 if collection rates rise."
    )
    document.add_heading("Short", level=2)
    document.add_paragraph("A heading this short is still a heading, because its style says so.")
    document.add_heading("What we ask of governments", level=1)
    document.add_paragraph("Set collection targets for industrial batteries by 2027.", style="List Bullet")
    document.add_paragraph("Recognise recycled content in public procurement.", style="List Bullet")
    document.add_paragraph(
        "We recommend that the European Commission harmonise the classification of black mass as a "
        "secondary raw material, so that it can cross borders without waste permits."
    )
    table = document.add_table(rows=3, cols=2)
    for row, (metal, rate) in zip(table.rows, [("Metal", "Recovery rate"), ("Lithium", "80%"), ("Cobalt", "95%")]):
        row.cells[0].text, row.cells[1].text = metal, rate
    document.add_heading("Our commitment", level=1)
    document.add_paragraph(
        "Harbor Cell Recycling will double the capacity of its Gothenburg plant by 2027 and will publish "
        "the recovery rates it achieves every year."
    )
    document.save(str(FORMATS / "battery-recycling.docx"))


def make_legacy_encoded_text() -> None:
    """A note saved by an old editor in Windows-1252: it must be read, not rejected, and not garbled."""
    text = (
        "Café culture and the harbour economy\n\n"
        "Quayside cafés in Gdańsk's old port earn more from tourists than the port earns from fishing. "
        "Rents rose by 12 % last year, and a coffee now costs €4.50 on the waterfront.\n\n"
        "The harbour board should keep some quays for working boats, so that the port remains a port.\n"
    ).replace("Gdańsk", "Gdansk")  # ń is not in Windows-1252
    (FORMATS / "harbour-notes.txt").write_bytes(text.encode("cp1252"))


def make_broken() -> None:
    BROKEN.mkdir(parents=True, exist_ok=True)
    (BROKEN / "empty.txt").write_bytes(b"")
    (BROKEN / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (BROKEN / "image.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (BROKEN / "notes.pdf").write_text("These are meeting notes saved with the wrong extension.\n", encoding="utf-8")
    (BROKEN / "legacy.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))

    # Encrypted with a user password: cannot be opened without it.
    source = PdfReader(FORMATS / "green-ports.pdf")
    writer = PdfWriter()
    for page in source.pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    with open(BROKEN / "encrypted.pdf", "wb") as handle:
        writer.write(handle)

    # Corrupt: a real PDF cut in half.
    whole = (FORMATS / "green-ports.pdf").read_bytes()
    (BROKEN / "truncated.pdf").write_bytes(whole[: len(whole) // 3])

    # Scanned: pages of drawings and no text layer.
    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_DATE)
    for _ in range(2):
        pdf.add_page()
        for row in range(30):
            pdf.rect(20, 20 + row * 8, 170, 4, style="F")
    pdf.output(str(BROKEN / "scanned.pdf"))

    # A compiled volume whose contents table lists a paper the body does not hold.
    (BROKEN / "mismatched-volume.txt").write_text(
        "Proceedings of a Small Forum\n\nCONTENTS\n\n"
        "1. Electrifying River Freight\tNorthwind Logistics (2)\n"
        "2. A Paper That Was Never Printed\tGhost Consulting (3)\n\n"
        "Electrifying River Freight\n\nNorthwind Logistics\n\n"
        "Northwind Logistics proposes charging points for battery barges at every inland terminal.\n",
        encoding="utf-8",
    )

    # Bytes that are no text encoding: random high bytes.
    (BROKEN / "garbled.txt").write_bytes(bytes((i * 97 + 13) % 64 + 128 for i in range(3000)))

    # A Word file whose archive is damaged.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>not closed")
    (BROKEN / "damaged.docx").write_bytes(buffer.getvalue())


def main() -> None:
    FORMATS.mkdir(parents=True, exist_ok=True)
    make_green_ports_pdf()
    make_mini_volume_pdf()
    make_battery_docx()
    make_legacy_encoded_text()
    make_broken()
    print(f"wrote fixtures into {FORMATS} and {BROKEN}")


if __name__ == "__main__":
    main()
