"""PDF: the text layer through pypdf, with the page of every line kept for evidence.

pypdf gives lines but no paragraphs. Where each line sits on the page does: a vertical gap wider
than the usual line pitch ends a paragraph, and a line set larger than the body text is a heading.
Running headers, footers and page numbers repeated on most pages are dropped.
"""
from __future__ import annotations

import io
import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from .errors import IngestError

log = logging.getLogger(__name__)
# pypdf logs every repair it makes to a damaged file; our one line per file says what matters.
logging.getLogger("pypdf").setLevel(logging.ERROR)

# Fewer letters than this in the whole document means the pages are images of text.
_MIN_LETTERS = 20
_PARAGRAPH_GAP = 1.45  # × the usual line pitch
_HEADING_SIZE = 1.15  # × the body font size
_PAGE_NUMBER = re.compile(r"^\s*(?:[-–—]\s*)?(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*[-–—])?\s*$", re.IGNORECASE)


@dataclass
class _Line:
    text: str
    y: float | None  # baseline height on the page (PDF units, upwards)
    size: float | None  # effective font size


@dataclass
class PdfText:
    text: str
    page_of_line: list[int]
    title: str | None


def _open(data: bytes, path: Path) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except Exception as error:  # pypdf raises many types on malformed files; each means "corrupt"
        raise IngestError(str(path), f"corrupt PDF: {_reason(error)}") from error
    if encrypted:
        try:
            # Many PDFs are encrypted only to restrict printing: an empty user password opens them.
            opened = reader.decrypt("")
        except (DependencyError, NotImplementedError) as error:
            raise IngestError(str(path), f"encrypted PDF that cannot be opened here: {_reason(error)}") from error
        if not opened:
            raise IngestError(str(path), "encrypted PDF: it needs a password; save a decrypted copy first")
    return reader


def _reason(error: Exception) -> str:
    return " ".join(str(error).split())[:160] or type(error).__name__


def _page_lines(page) -> list[_Line]:  # noqa: ANN001 - pypdf's PageObject
    """The page's text as pypdf extracts it, split into lines, each with its position and font size."""
    lines: list[_Line] = []
    parts: list[str] = []
    where: list[tuple[float, float] | None] = [None]

    def finish() -> None:
        text = "".join(parts)
        position = where[0]
        lines.append(_Line(text, position[0] if position else None, position[1] if position else None))
        parts.clear()
        where[0] = None

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        for index, part in enumerate(text.split("\n")):
            if index:
                finish()
            parts.append(part)
            if part.strip() and where[0] is None:
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                scale = (abs(tm[3]) or abs(tm[0]) or 1.0) * (abs(cm[3]) or abs(cm[0]) or 1.0)
                where[0] = (y, size * scale)

    text = page.extract_text(visitor_text=visit)
    finish()
    if "\n".join(line.text for line in lines).split() != text.split():
        # The visitor missed pieces (some fonts): keep pypdf's text and lose the layout hints.
        return [_Line(line, None, None) for line in text.split("\n")]
    return lines


def _repeated_margins(pages: list[list[_Line]]) -> set[str]:
    """Lines standing first or last on most pages: running headers and footers."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        texts = [line.text.strip() for line in lines if line.text.strip()]
        edges = {re.sub(r"\d+", "#", t) for t in texts[:2] + texts[-2:]}
        counts.update(edges)
    return {text for text, count in counts.items() if count >= max(2, 0.6 * len(pages))}


def _layout(pages: list[list[_Line]]) -> tuple[list[str], list[int]]:
    """Source lines for ``clean`` (blank lines between paragraphs, ``#`` before headings) and their pages."""
    repeated = _repeated_margins(pages)
    kept = [
        [line for line in lines if line.text.strip() and not _PAGE_NUMBER.match(line.text)
         and re.sub(r"\d+", "#", line.text.strip()) not in repeated]
        for lines in pages
    ]
    sizes: Counter[float] = Counter()
    pitches: list[float] = []
    for lines in kept:
        for line in lines:
            if line.size:
                sizes[round(line.size, 1)] += len(line.text)
        for above, below in zip(lines, lines[1:]):
            if above.y is not None and below.y is not None and above.size == below.size and above.y > below.y:
                pitches.append(above.y - below.y)
    body_size = sizes.most_common(1)[0][0] if sizes else None
    pitch = statistics.median(pitches) if pitches else None

    out: list[str] = []
    out_pages: list[int] = []
    for number, lines in enumerate(kept, start=1):
        if out:
            out.append("")  # a page break separates blocks; clean re-joins sentences it cut
            out_pages.append(number)
        previous: _Line | None = None
        previous_heading = False
        for line in lines:
            is_heading = bool(body_size and line.size and line.size >= body_size * _HEADING_SIZE and len(line.text.split()) <= 20)
            gap = previous.y - line.y if previous and previous.y is not None and line.y is not None else None
            if previous is not None:
                if is_heading and previous_heading and gap is not None and 0 < gap <= 2 * (line.size or 0):
                    out[-1] = f"{out[-1]} {line.text.strip()}"  # a heading wrapped over two lines
                    continue
                wide_gap = gap is not None and pitch is not None and (gap > pitch * _PARAGRAPH_GAP or gap < 0)
                if is_heading or previous_heading or wide_gap:
                    out.append("")
                    out_pages.append(number)
            out.append(f"# {line.text.strip()}" if is_heading else line.text.rstrip())
            out_pages.append(number)
            previous, previous_heading = line, is_heading
    return out, out_pages


def read_pdf(data: bytes, path: Path) -> PdfText:
    """The text layer of a PDF as source lines with their pages; encrypted, corrupt and image-only PDFs are errors."""
    reader = _open(data, path)
    pages: list[list[_Line]] = []
    try:
        for page in reader.pages:
            pages.append(_page_lines(page))
    except FileNotDecryptedError as error:
        raise IngestError(str(path), "encrypted PDF: it needs a password; save a decrypted copy first") from error
    except Exception as error:  # as in _open: any failure inside pypdf is a damaged file
        raise IngestError(str(path), f"corrupt PDF (page {len(pages) + 1}): {_reason(error)}") from error
    letters = sum(ch.isalpha() for lines in pages for line in lines for ch in line.text)
    if letters < _MIN_LETTERS:
        raise IngestError(str(path), f"PDF has no text layer ({len(pages)} pages of images?); it needs OCR first")
    lines, page_of_line = _layout(pages)
    title = None
    try:
        info = reader.metadata
        if info is not None and info.title:
            title = info.title.strip() or None
    except Exception:  # a damaged info dictionary only costs us the title
        log.debug("%s: unreadable PDF info dictionary", path)
    return PdfText("\n".join(lines), page_of_line, title)
