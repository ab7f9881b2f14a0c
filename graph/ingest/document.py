"""One document read as a single paper (or report): its title, clean text, blocks and metadata."""
from __future__ import annotations

import re
import unicodedata

from ..model import Author, Paper
from .clean import clean
from .errors import IngestError
from .metadata import Metadata
from .sources import Source

_MD_TITLE = re.compile(r"^\s*#\s+(.+?)\s*#*\s*$")


def slug(text: str) -> str:
    """A readable, IRI-safe identifier: "Acme Ltd., China" → "acme-ltd-china"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = ascii_text.replace("&", " and ").replace("+", " plus ")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def _title_line(lines: list[str]) -> int | None:
    """Index of the first level-1 heading, or None."""
    return next((index for index, line in enumerate(lines) if _MD_TITLE.match(line)), None)


def read_document(
    source: Source,
    meta: Metadata,
    *,
    volume_id: str,
    paper_id: str,
    number: int,
    kind: str = "paper",
    contributor: str | None = None,
) -> Paper:
    """One paper from a whole document. The title is, in order: the metadata's, the first level-1
    heading, the format's own title (PDF info, HTML <title>), the first line. Lines keep their
    numbers, so pages and source lines stay right."""
    lines = source.text.split("\n")
    title = meta.title
    if not title:
        index = _title_line(lines)
        if index is not None:
            title = _MD_TITLE.match(lines[index]).group(1)  # type: ignore[union-attr]
            lines[index] = ""
        elif source.title_hint:
            title = source.title_hint
        else:
            index = next((i for i, line in enumerate(lines) if line.strip()), None)
            if index is None:
                raise IngestError(str(source.path), "no text")
            title = lines[index].strip()
            lines[index] = ""
    cleaned, blocks = clean("\n".join(lines), page_of_line=source.page_of_line)
    if not cleaned.strip():
        raise IngestError(str(source.path), "no text after the title")
    who = contributor or meta.contributor
    authors = [Author(a.name, a.role, a.affiliation or who) for a in meta.authors]
    return Paper(
        id=paper_id,
        number=number,
        title=" ".join(title.strip().strip("#").split()),
        contributor=who,
        text=cleaned,
        blocks=blocks,
        volume_id=volume_id,
        authors=authors,
        source=str(source.path),
        source_lines=(1, len(lines)),
        language=meta.language or "en",
        kind=kind,
        date=meta.date,
    )
