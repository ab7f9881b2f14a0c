"""Word documents (.docx) through python-docx: paragraph styles say what is a heading, a list item or a table.

Headings become ``#`` lines, so they are section boundaries for ``clean`` whatever their wording.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from .errors import IngestError

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)


@dataclass
class WordText:
    text: str
    title: str | None


def _body_items(document: Document):  # noqa: ANN202 - yields Paragraph | Table in reading order
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield Paragraph(child, document)
        elif tag == "tbl":
            yield Table(child, document)


def _style(paragraph: Paragraph) -> str:
    try:
        return (paragraph.style.name or "") if paragraph.style is not None else ""
    except (KeyError, ValueError):  # a style id missing from styles.xml
        return ""


def _paragraph_line(paragraph: Paragraph) -> tuple[str, str]:
    """(kind, text) of a paragraph: kind is "title", "heading", "item" or "text"."""
    text = " ".join(paragraph.text.split())
    style = _style(paragraph)
    heading = _HEADING_STYLE.match(style)
    if style.lower() == "title":
        return "title", text
    if heading:
        return "heading", "#" * min(6, int(heading.group(1)) or 1) + " " + text
    if style.lower().startswith("list") or paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None:
        return "item", f"- {text}"
    return "text", text


def read_docx(data: bytes, path: Path) -> WordText:
    """Source lines of a .docx: one block per paragraph, headings as ``#`` lines, table rows tab-separated."""
    try:
        return _read(docx.Document(io.BytesIO(data)))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise IngestError(str(path), f"corrupt Word document: {' '.join(str(error).split())[:160]}") from error
    except Exception as error:  # lxml and zipfile raise many types on damaged parts, read lazily; all mean "corrupt"
        raise IngestError(str(path), f"corrupt Word document: its parts do not parse ({type(error).__name__})") from error


def _read(document: docx.document.Document) -> WordText:
    lines: list[str] = []
    title: str | None = None
    for item in _body_items(document):
        if isinstance(item, Table):
            for row in item.rows:
                cells = [" ".join(cell.text.split()) for cell in row.cells]
                if any(cells):
                    lines.append("\t".join(cells))
            lines.append("")
            continue
        kind, text = _paragraph_line(item)
        if not text.strip("#- "):
            continue
        if kind == "title" and title is None:
            title = text
            lines.extend([f"# {text}", ""])
            continue
        lines.extend([text, ""])
    core_title = (document.core_properties.title or "").strip()
    return WordText("\n".join(lines), title or core_title or None)
