"""Read one input file of any supported format into source lines for ``clean``, or fail with one clear line.

The format is taken from the extension and checked against the content: a file whose bytes are
something else (a text file named ``.pdf``, a PDF named ``.txt``, an image) is an error that says so.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import IngestError
from .metadata import Metadata, metadata_from, sidecar_metadata, split_front_matter
from .text import decode, markdown_lines

FORMATS_BY_SUFFIX = {
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
    ".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html", ".xhtml": "html",
}
SUPPORTED_SUFFIXES = tuple(FORMATS_BY_SUFFIX)
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

# Leading bytes of formats we are often handed by mistake, for a message that names them.
_MAGIC = (
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"), (b"7z\xbc\xaf", "a 7-Zip archive"), (b"Rar!", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office file (.doc/.xls); save it as .docx"),
    (b"{\\rtf", "an RTF document; save it as .docx or .txt"), (b"\x7fELF", "an executable"),
)
_NAMES = {"pdf": "a PDF", "docx": "a Word document", "html": "a web page", "text": "text", "markdown": "text"}


@dataclass
class Source:
    """One input file as source lines, with what its format and its metadata told us."""

    path: Path
    format: str
    text: str  # source lines: blank lines separate blocks, ``#`` lines are headings
    meta: Metadata
    page_of_line: list[int] | None = None  # 1-based page of each line, for paged formats
    title_hint: str | None = None  # a title from the format's own metadata, used when the text has none


def sniff(data: bytes) -> str | None:
    """The format the bytes are in ("pdf", "docx", …), a description of a non-document, or None for text."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError, OSError):
            # a damaged ZIP (a bad header may even claim an unsupported version): let the Word reader say what is wrong
            return "docx"
        return "docx" if "word/document.xml" in names else "a ZIP archive"
    for magic, description in _MAGIC:
        if data.startswith(magic):
            return description
    return None


def _check_format(path: Path, expected: str, found: str | None) -> None:
    if found is None:
        if expected in ("pdf", "docx"):
            raise IngestError(str(path), f"named {path.suffix} but is not {_NAMES[expected]} (its content is text or unknown)")
        return
    if found in _NAMES and found == expected:
        return
    if found in _NAMES:
        raise IngestError(str(path), f"named {path.suffix} but is {_NAMES[found]}; rename it to .{found}")
    if expected == "docx" and found == "a ZIP archive":
        raise IngestError(str(path), "corrupt Word document: a ZIP archive without word/document.xml")
    raise IngestError(str(path), f"named {path.suffix} but is {found}")


def _size(count: int) -> str:
    if count >= 2**20:
        return f"{count / 2**20:.1f}".removesuffix(".0") + " MiB"
    return f"{count / 2**10:.1f}".removesuffix(".0") + " KiB"


def read_source(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Read ``path`` into source lines; every way it can fail is an ``IngestError`` naming the file and the cause."""
    fmt = FORMATS_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        supported = ", ".join(sorted({s for s in SUPPORTED_SUFFIXES if s not in (".text", ".markdown", ".htm", ".xhtml")}))
        raise IngestError(str(path), f"unsupported file type {path.suffix or '(no extension)'!r}; policykg reads {supported}")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(str(path), f"file is {_size(size)}, over the {_size(max_bytes)} limit; split it or raise --max-size")
        data = path.read_bytes()
    except OSError as error:
        raise IngestError(str(path), error.strerror or str(error)) from error
    if not data.strip():
        raise IngestError(str(path), "empty file")
    _check_format(path, fmt, sniff(data))
    meta = sidecar_metadata(path)
    # The PDF, Word and HTML readers are imported when first needed: their libraries take longer to
    # import than a plain-text volume takes to read.
    if fmt == "pdf":
        from .pdf import read_pdf

        pdf = read_pdf(data, path)
        return Source(path, fmt, pdf.text, meta, pdf.page_of_line, pdf.title)
    if fmt == "docx":
        from .word import read_docx

        word = read_docx(data, path)
        return Source(path, fmt, word.text, meta, None, word.title)
    if fmt == "html":
        from .web import read_html

        page = read_html(data, path)
        declared = metadata_from(page.meta, str(path))
        declared.update(meta)
        return Source(path, fmt, page.text, declared, None, page.title)
    text = decode(data, path)
    text, front = split_front_matter(text, path)
    meta.update(front)
    if fmt == "markdown":
        text = markdown_lines(text)
    return Source(path, fmt, text, meta)
